"""Jiangsu template and profile: titles recognised, 预留机动经费 in every uses identity."""

import pytest

from budget_audit.loaders.catalog import table_id_for_title
from budget_audit.rules.ruleset import load_ruleset, profile_for

TITLES = {  # as printed in the corpus PDFs (2017-2019)
    "收支预算总表": "income_expenditure_summary",
    "收入预算总表": "income_summary",
    "支出预算总表": "expenditure_summary",
    "财政拨款收支预算总表": "fiscal_appropriation_summary",
    "财政拨款支出预算表（功能科目）": "fiscal_expenditure",
    "财政拨款基本支出预算表（经济科目）": "fiscal_basic_expenditure",
    "一般公共预算支出预算表（功能科目）": "general_budget_expenditure",
    "一般公共预算基本支出预算表（经济科目）": "basic_expenditure",
    "“三公”经费、会议费、培训费支出预算表": "three_public_meetings",
    "“三公”经费、会议费、培训费支出预算表（一般公共预算）": "three_public_meetings",
    "政府性基金预算财政拨款支出预算表": "government_fund_expenditure",
    "财政拨款政府性基金支出预算表": "government_fund_expenditure",
    "一般公共预算机关运行经费支出预算表": "operating_costs",
    "政府采购支出预算表": "procurement",
}


@pytest.mark.parametrize("title,table_id", sorted(TITLES.items()))
def test_title_recognised(title, table_id):
    assert table_id_for_title(title) == table_id


def test_profile_is_the_template_name():
    assert profile_for("jiangsu_budget") == "jiangsu_budget"


def test_reserve_in_every_uses_identity():
    rules = {r.code: r for r in load_ruleset("jiangsu_budget")}
    assert rules["USE001"].params["parts"] == ["basic", "project", "reserve", "carryforward"]
    for code in ("BAL062", "BAL064"):
        assert {"side": "expenditure", "item": "reserve"} in rules[code].params["parts"]
    assert "SUM004" not in rules and "SUM007" not in rules and "XT001" not in rules
    assert rules["SUM003"].params["rows"] == "top"
