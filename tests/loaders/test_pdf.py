"""The PDF reader on a real Shanghai disclosure: tables recognised, cells located on their pages."""

from __future__ import annotations

from pathlib import Path

import pytest

PDF = Path(__file__).parents[1] / "data" / "pdf" / "sh_putuo_zhengfuban_2025_budget_dept.pdf"


@pytest.fixture(scope="session")
def zhengfuban():
    from budget_audit.loaders import load

    return load(PDF)


def test_shanghai_tables_recognised_with_pages(zhengfuban):
    pages = {t.id: zhengfuban.where(t.source).page for t in zhengfuban.tables.values()}
    assert pages == {"income_expenditure_summary": 8, "income_summary": 9, "expenditure_summary": 11,
                     "fiscal_appropriation_summary": 13, "general_budget_expenditure": 14,
                     "government_fund_expenditure": 16, "state_capital_expenditure": 17,
                     "basic_expenditure": 18, "three_public_funds": 20}
    assert zhengfuban.tables["three_public_funds"].unit == "万元"
    assert zhengfuban.tables["expenditure_summary"].unit == "元"


def test_total_row_of_expenditure_summary_located(zhengfuban):
    table = zhengfuban.tables["expenditure_summary"]
    row = table.data["is_total"].index(True)
    assert table.data["total"][row] == 9_101_677_535  # 91,016,775.35 元 in 分
    assert table.data["code"][:2] == ["201", "20103"]  # 类 | 款 | 项 cells merged into one code
    place = zhengfuban.where(table.location(row, "total"))
    assert place.page == 12 and place.bbox is not None


def test_narrative_lines_have_pages(zhengfuban):
    first = next(p for p in zhengfuban.paragraphs if "收入预算9,101.68万元" in p.text)
    assert zhengfuban.places[first.line].page == 6
