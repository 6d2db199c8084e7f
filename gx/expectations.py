"""The one custom expectation: an identity that holds within the rounding its printed digits allow.

What it checks: per row of an identity frame (gx/frames.py), 2·|actual − expected| ≤ actual_ulp +
expected_ulp (rules/compare.py, all in integer 分); with relation `ge` (`le`) only a shortfall
(an excess) beyond that slack fails.
Why: GX's built-ins compare exactly or with one fixed tolerance; the admissible difference here
differs per row (it is the sum of the ulps of the cells added up), so no built-in is exact.
Example: actual 100 000 000, expected 100 004 000, ulps 10 000 + 0 -> within rounding (info);
expected 100 006 000 -> fails.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import MulticolumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import MulticolumnMapMetricProvider
from great_expectations.expectations.metrics.map_metric_provider.multicolumn_condition_partial import (
    multicolumn_condition_partial,
)

METRIC = "budget_audit.identity_within_rounding"


class IdentityWithinRounding(MulticolumnMapMetricProvider):
    """Row-wise condition: [actual, expected, actual_ulp, expected_ulp] agree within rounding."""

    condition_metric_name = METRIC
    condition_domain_keys = ("batch_id", "table", "column_list", "row_condition", "condition_parser",
                             "ignore_row_if")
    condition_value_keys = ("relation",)

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list, **kwargs):
        actual, expected, actual_ulp, expected_ulp = (column_list.iloc[:, i].astype("int64") for i in range(4))
        within = 2 * (actual - expected).abs() <= actual_ulp + expected_ulp
        relation = kwargs.get("relation") or "eq"
        if relation == "ge":
            return within | (actual >= expected)
        if relation == "le":
            return within | (actual <= expected)
        return within


class ExpectIdentityWithinRounding(MulticolumnMapExpectation):
    """column_list = [actual, expected, actual_ulp, expected_ulp] (integer 分): the two figures
    agree within half the sum of the ulps (relation eq), or fall short / exceed only within it."""

    relation: Literal["eq", "ge", "le"] = "eq"
    map_metric = METRIC
    success_keys = ("mostly", "relation")
    args_keys = ("column_list",)
    library_metadata: ClassVar[dict] = {"maturity": "production", "tags": ["budget-audit"],
                                        "contributors": ["budget-audit"]}
