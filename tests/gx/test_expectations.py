"""The custom rounding expectation through GX itself, the context's privacy settings, and what the
engine does when GX and a native kind disagree."""

from __future__ import annotations

import os

import pandas as pd

from budget_audit.gx.context import context, gx
from budget_audit.gx.findings import decided
from budget_audit.gx.expectations import ExpectIdentityWithinRounding
from budget_audit.gx.frames import Comparisons
from budget_audit.rules.ruleset import load_ruleset


def _unexpected(df, **kwargs):
    ctx, batch = context()
    module = gx()
    suite = ctx.suites.add(module.ExpectationSuite(name="s"))
    suite.add_expectation(ExpectIdentityWithinRounding(
        column_list=["actual", "expected", "actual_ulp", "expected_ulp"], **kwargs))
    definition = ctx.validation_definitions.add(module.ValidationDefinition(name="v", data=batch, suite=suite))
    result = definition.run(batch_parameters={"dataframe": df}, result_format="COMPLETE").results[0]
    return sorted(result.result["unexpected_index_list"])


# 0: exact; 1: |d| = 5 = half the slack 10 (within); 2: |d| = 6 (beyond); 3: shortfall 6; 4: excess 6
FRAME = pd.DataFrame({"actual": [100, 100, 100, 100, 106], "expected": [100, 105, 106, 106, 100],
                      "actual_ulp": [10, 10, 10, 10, 10], "expected_ulp": [0, 0, 0, 0, 0]})


def test_rounding_slack_is_half_the_sum_of_the_ulps_exactly():
    assert _unexpected(FRAME) == [2, 3, 4]
    assert _unexpected(FRAME, relation="ge") == [2, 3]  # only a shortfall beyond rounding fails
    assert _unexpected(FRAME, relation="le") == [4]


def test_no_ulp_means_no_slack():
    exact = FRAME.assign(actual_ulp=0)
    assert _unexpected(exact) == [1, 2, 3, 4]


def test_context_is_ephemeral_with_analytics_off():
    ctx, _ = context()
    assert os.environ["GX_ANALYTICS_ENABLED"] == "false"
    assert ctx.config.analytics_enabled is False
    assert type(ctx).__name__ == "EphemeralDataContext"
    assert ctx.variables.progress_bars.metric_calculations is False


def test_a_disagreement_is_reported_not_hidden():
    rule = next(r for r in load_ruleset("base") if r.kind == "row-identity")
    part = Comparisons(rule, "expenditure_summary", keys=["row 0", "row 1"],
                       rows=[(100, 100, 0, 0), (101, 100, 0, 0)])
    from budget_audit.rules.findings import Finding

    native = [Finding(rule=rule.code, severity=rule.severity, message={"zh": "x", "en": "x"},
                      expected=100, actual=101)]
    assert decided(rule, part, native, {1}, None) == native  # agreement: the native wording
    said = decided(rule, part, native, {0, 1}, None)  # GX flags a row that holds
    assert said[0].extra["engine_mismatch"] == "differs" and said[0].severity == "warning" and said[1] is native[0]
    said = decided(rule, part, native, set(), None)  # GX passes the row native found
    assert [f.extra.get("engine_mismatch") for f in said] == ["holds"]
    stray = Finding(rule=rule.code, severity="error", message={"zh": "y", "en": "y"}, expected=5, actual=7)
    said = decided(rule, part, native + [stray], {1}, None)  # a native finding with no comparison
    assert said[:2] == native + [stray] and said[2].extra["engine_mismatch"] == "unpaired"


def test_gx_results_travel_from_a_worker_as_json():
    import pickle

    from budget_audit.gx.engine import run
    from budget_audit.loaders import load
    from tests.conftest import HOTLINE

    document = load(HOTLINE)
    run(document, load_ruleset(document.template))
    back = pickle.loads(pickle.dumps(document.cache["gx_results"]))
    assert back.json() == document.cache["gx_results"].json() and back.json()[0]["results"]
