"""pandera schemas: the loaders' output contract, one per standard table.

Imported by tests and by `budget-audit tables --validate`, never on the check path (pandera
costs more to import than a whole check).
"""

from __future__ import annotations

import pandera.pandas as pa

from budget_audit.loaders.model import Table

FUNCTION_CODE = r"^(\d{3}|\d{5}|\d{7})?$"
GOV_ECON = r"^(5\d{4})?$"
DEPT_ECON = r"^(3\d{4}|3\d{6})?$"
DEPT_ECON_OR_CLASS = r"^(3\d{2}|3\d{4}|3\d{6})?$"  # 决算 基本支出表 prints the 类 lines (301, 302) too
LEVEL = ["类", "款", "项", ""]

_text = pa.Column(str)


def _amounts(*names: str) -> dict[str, pa.Column]:
    return {n: pa.Column("Int64", nullable=True, required=False) for n in names}


def _coded(*amounts: str, unique: list[str] | None = None) -> pa.DataFrameSchema:
    columns = {
        "is_total": pa.Column(bool),
        "code": pa.Column(str, pa.Check.str_matches(FUNCTION_CODE)),
        "name": _text,
        "level": pa.Column(str, pa.Check.isin(LEVEL)),
        "class_code": pa.Column(str, pa.Check.str_matches(r"^(\d{3})?$")),
        "gov_econ_code": pa.Column(str, pa.Check.str_matches(GOV_ECON), required=False),
        "dept_econ_code": pa.Column(str, pa.Check.str_matches(DEPT_ECON), required=False),
        **_amounts(*amounts),
    }
    return pa.DataFrameSchema(columns, unique=unique, strict=False)


_two_sided = pa.DataFrameSchema({
    "side": pa.Column(str, pa.Check.isin(["income", "expenditure"])),
    "item": _text,
    "code": pa.Column(str, pa.Check.str_matches(r"^(\d{3})?$")),
    "label": pa.Column(str, pa.Check.str_length(min_value=1)),
    "indent": pa.Column(int, pa.Check.ge(0)),
    "amount": pa.Column("Int64", nullable=True),
    # the expenditure side's further amount columns (财政拨款 合计 | 一般 | 基金 | 国资; 单位 表1 人员 | 公用 | 项目)
    **_amounts("general_public_budget", "gov_fund", "state_capital", "personnel", "public", "project"),
}, strict=True)
_grouped = pa.DataFrameSchema({  # Jiangsu 收入预算总表 (loaders/grouped.py)
    "group": _text, "item": _text, "label": _text, "is_total": pa.Column(bool), **_amounts("total"),
}, strict=True)
_one_row = pa.DataFrameSchema({"is_total": pa.Column(bool, pa.Check.eq(True)),
                               **_amounts("total", "basic", "project", "reserve", "carryforward")},
                              strict=False, checks=pa.Check(lambda frame: len(frame) == 1, error="one row"))
_THREE_PUBLIC = ["total", "overseas", "reception", "vehicle", "vehicle_purchase", "vehicle_operation",
                 "operating_costs", "three_public", "meetings", "training", ""]
USES = ["total", "basic", "project", "personnel", "public", "project_excl_capital", "remit_upper",
        "business_operating", "subsidy_lower"]
INCOME = ["total", "current_total", "carryover", "general_public_budget", "gov_fund", "state_capital",
          "special_account", "business", "operating", "higher_subsidy", "subsidiary", "other", "business_fund",
          "carryover_general_public_budget", "carryover_gov_fund", "carryover_state_capital",
          "carryover_special_account", "carryover_unit_funds"]

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "income_expenditure_summary": _two_sided,
    "fiscal_appropriation_summary": _two_sided,
    "income_summary": pa.DataFrameSchema({"is_total": pa.Column(bool), **_amounts(*INCOME)}, strict=False),
    "expenditure_summary": _coded(*USES),
    "general_budget_expenditure": _coded(*USES),
    "government_fund_expenditure": _coded(*USES),
    "state_capital_expenditure": _coded(*USES),
    "budget_detail": _coded("total"),
    "basic_expenditure": pa.DataFrameSchema({
        "is_total": pa.Column(bool),
        "gov_econ_code": pa.Column(str, pa.Check.str_matches(GOV_ECON), required=False),
        "dept_econ_code": pa.Column(str, required=False),  # checked below: a code, or a total's label
        "use": pa.Column(str, pa.Check.isin(["personnel", "public", ""]), required=False),
        "total_of": pa.Column(str, pa.Check.isin(["personnel", "public", ""]), required=False),
        **_amounts("total", "personnel", "public"),
    }, strict=False),
    "three_public_funds": pa.DataFrameSchema({
        "item": pa.Column(str, pa.Check.isin(_THREE_PUBLIC)),
        "label": _text,
        **_amounts("amount", "prior_year", "budget"),
    }, strict=True),
    "purchased_services": pa.DataFrameSchema({
        "is_total": pa.Column(bool), **_amounts("total"),
        "kind": pa.Column(str, pa.Check.isin(["unit", "catalog", "item"]), required=False),
    }, strict=False),
    "procurement": pa.DataFrameSchema({
        "is_total": pa.Column(bool), "name": pa.Column(str, required=False), **_amounts("total"),
        # Jiangsu 政府采购支出预算表: an outline 大类 → 专项 → 采购物品
        "outline": pa.Column(str, pa.Check.isin(["category", "project", "item", ""]), required=False),
    }, strict=False),
    "transfer_payments": pa.DataFrameSchema({"is_total": pa.Column(bool), **_amounts("total")}, strict=False),
    "department_performance": pa.DataFrameSchema({
        "item": pa.Column(str, pa.Check.isin(["total", "basic", "project"])), "label": _text,
        "amount": pa.Column("Int64", nullable=True)}, unique=["item"], strict=True),
    "project_performance": pa.DataFrameSchema({
        "code": pa.Column(str, pa.Check.str_matches(r"^([0-9A-Z]{12,})?$")),
        "name": pa.Column(str, pa.Check.str_length(min_value=1)),
        **_amounts("total", "fiscal", "other", "mid_total", "mid_fiscal", "mid_other",
                   "annual_total", "annual_current", "annual_carryover", "annual_other"),
    }, unique=["name"], strict=False),
    "project_performance_index": pa.DataFrameSchema({
        "number": pa.Column(str, pa.Check.str_matches(r"^\d+$")),
        "project": pa.Column(str, pa.Check.str_length(min_value=1))}, strict=False),
}


def schema_for(table: Table) -> pa.DataFrameSchema | None:
    """The contract of a table's shape; None for a table no schema describes yet."""
    if table.id == "income_summary" and "group" in table.data:
        return _grouped
    if table.id == "expenditure_summary" and "code" not in table.data:
        return _one_row  # Jiangsu 支出预算总表: one 合计 row, 合计 | 基本 | 项目 | 预留机动经费
    return SCHEMAS.get(table.id)


def validate(table: Table) -> None:
    """Raise pandera's SchemaErrors (lazy: every problem at once) when the table breaks its contract.

    A table printed empty (no rows) has nothing to check; a table without a schema neither."""
    schema = schema_for(table)
    if schema is None or table.rows == 0:
        return
    schema.validate(table.frame, lazy=True)
    if table.id == "basic_expenditure" and "dept_econ_code" in table.data:
        import re

        bad = [c for c, total in zip(table.data["dept_econ_code"], table.data["is_total"])
               if not total and not re.match(DEPT_ECON_OR_CLASS, str(c))]
        if bad:
            raise ValueError(f"basic_expenditure: dept_econ_code {bad[0]!r} is not a 3xx / 3xxxx / 3xxxxxx code")
    # the aligned frames must describe the same cells
    for name in ("ulps", "lines", "texts"):
        other = getattr(table, name)
        if not other.index.equals(table.frame.index):
            raise ValueError(f"{table.id}: {name} index differs from frame")
    missing = set(table.amount_columns) - set(table.cell_ulps)
    if missing:
        raise ValueError(f"{table.id}: no ulps for {sorted(missing)}")
