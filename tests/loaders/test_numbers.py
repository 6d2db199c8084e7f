"""Printed figures: accounting negatives (review 2026-12 item 23, issue 9 item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from budget_audit.loaders import text
from budget_audit.loaders.numbers import parse_amount, parse_decimal
from budget_audit.rules.engine import run
from budget_audit.rules.ruleset import load_ruleset, profile_for

SAMPLE = Path(__file__).parents[2] / "samples" / "beijing-zhengwu-center-2026-budget.txt"


@pytest.mark.parametrize(("printed", "fen"), [
    ("(123.00)", -12300), ("(1,234.50)", -123450), ("（1,234.50）", -123450),  # full-width brackets
    ("( 8,721.588540 )", -8_721_588_540), ("-123.00", -12300), ("123.00", 12300),
])
def test_accounting_negative(printed, fen):
    assert parse_amount(printed, "元" if "8,721" not in printed else "万元").fen == fen


@pytest.mark.parametrize("printed", ["(一)", "(-5)", "(150万元)", "()", "(12", "12)"])
def test_brackets_that_are_not_a_figure(printed):
    assert parse_amount(printed, "元") is None


def test_parse_decimal_reads_brackets():
    assert parse_decimal("(3.25)") == (parse_decimal("-3.25")[0], 2)


def _findings(source: str):
    document = text.from_text(source, "center.txt")
    return document, run(document, load_ruleset(profile_for(document.template))).findings


def test_review_item_23_no_str007_and_no_consequential_bal004():
    """Center 2026 with 事业收入 printed as an accounting negative (-100万元) and 其他收入 +100万元:
    本年收入合计 still holds, so nothing may be reported beyond what the unchanged sample gives."""
    original = SAMPLE.read_text(encoding="utf-8")
    lines = original.split("\n")
    assert lines[12].startswith("五、事业收入\t\t") and lines[16].startswith("九、其他收入\t\t")
    lines[12] = lines[12].replace("五、事业收入\t", "五、事业收入\t(100.000000)", 1)
    lines[16] = lines[16].replace("九、其他收入\t", "九、其他收入\t100.000000", 1)
    cells = lines[44].split("\t")  # 预算02表: 合计, 小计, 一般公共预算, 政府性基金, 国有资本, 财政专户, 事业收入, ...
    cells[6], cells[10] = "（100.000000）", "100.000000"
    lines[44] = "\t".join(cells)
    document, found = _findings("\n".join(lines))
    summary = document.tables["income_expenditure_summary"].frame
    business = summary[(summary["side"] == "income") & (summary["item"] == "business")]["amount"]
    assert list(business) == [-100_000_000]  # -100万元 in 分
    assert list(document.tables["income_summary"].frame["business"]) == [-100_000_000]
    codes = sorted(f.rule for f in found)
    assert "STR007" not in codes and "BAL004" not in codes
    _, reference = _findings(original)
    assert codes == sorted(f.rule for f in reference)
