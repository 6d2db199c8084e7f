"""The real publication errors of the three samples, pinned with their exact figures and lines.

Each is explained in samples/README.md. The lists are complete: any other error or warning on
a sample would be a false alarm (narrative findings are pinned in test_narrative*.py).
"""

from __future__ import annotations

import pytest

# (rule, severity, expected, actual, difference, first lines, number of lines cited)
DISTRICT = [
    # 表十二 labels its figures 万元 but prints the 元 figures of 表三: the figure both print, no
    # actual or difference (a 10,000-fold gap says nothing; review item 9).
    ("STR004", "error", "63234665.44", None, None, [826, 2187], 2),
    ("STR004", "error", "15470540.24", None, None, [827, 2191], 2),
    ("STR004", "error", "47764125.20", None, None, [828, 2195], 2),
    # 表十三-2: mid-term total 1638.0624万元 below the annual total 2047.578万元.
    ("PRF005", "warning", "2047.578000", "1638.062400", "-409.515600", [2493, 2495], 2),
    # Template placeholders left in 表十三-2 (2021+6年) and 表十三-3 (20××年—20××+n年).
    ("STR003", "warning", None, None, None, [2513], 1),
    ("STR003", "warning", None, None, None, [2707], 1),
]
CENTER = [
    # 预算07表, 预算08表 and 预算11表 are empty without saying why.
    ("STR005", "warning", None, None, None, [163], 1),
    ("STR005", "warning", None, None, None, [171], 1),
    ("STR005", "warning", None, None, None, [195], 1),
]
HOTLINE = [
    # 预算03表: rows of 201 add up to 4,588.530572 万元; 预算01表 prints 26,694.347186.
    ("XT003", "error", "4588.530572", "26694.347186", "22105.816614", [9, 53, 54, 55], 30),
    # 预算01表 expenditure side labelled 上年结转结余 (income-side label).
    ("STR002", "error", None, None, None, [36], 1),
    # 预算03表 rows of 2010301 / 2010302 against 预算05表.
    ("GRP001", "error", "1743.396772", "18703.728551", "16960.331779", [53, 54, 55, 56], 22),
    ("GRP002", "error", "1743.396772", "18703.728551", "16960.331779", [53, 54, 55, 56], 22),
    ("GRP001", "error", "2845.133800", "7990.618635", "5145.484835", [74, 75, 76, 77], 9),
    ("GRP003", "error", "2845.133800", "7990.618635", "5145.484835", [74, 75, 76, 77], 9),
    # 预算03表 合 计 (line 95) against the sum of its rows.
    ("SUM001", "error", "5816.074996", "27921.891610", "22105.816614", [53, 54, 55, 56], 40),
    ("SUM001", "error", "2640.341196", "19600.672975", "16960.331779", [53, 54, 55, 56], 30),
    ("SUM001", "error", "3175.733800", "8321.218635", "5145.484835", [74, 75, 76, 77], 11),
    # 预算06表 合 计 (line 193) against the sum of its rows.
    ("SUM003", "error", "2640.341196", "19600.672975", "16960.331779", [162, 163, 164, 165], 29),
    ("SUM003", "error", "2397.613852", "19357.945631", "16960.331779", [162, 163, 164, 165], 14),
    ("STR005", "warning", None, None, None, [195], 1),
    ("STR005", "warning", None, None, None, [203], 1),
    ("STR005", "warning", None, None, None, [228], 1),
    # 预算表12 line 305: the 云服务租赁 row lost its 其他资金 cell.
    ("STR006", "warning", None, None, None, [305], 1),
]


def _pinned(document_result):
    rows = []
    for f in document_result.findings:
        if f.family == "NAR" or f.severity == "info":
            continue
        data = f.to_dict()
        rows.append((f.rule, f.severity, data["expected"], data["actual"], data["difference"], f.lines[:4], len(f.lines)))
    return rows


@pytest.mark.parametrize("index,expected", [(0, DISTRICT), (1, CENTER), (2, HOTLINE)])
def test_every_real_error_and_nothing_else(sample_report, index, expected):
    assert sorted(_pinned(sample_report.documents[index]), key=repr) == sorted(expected, key=repr)


def test_totals_cited_by_their_lines(sample_report):
    hotline = sample_report.documents[2]
    sum001 = next(f for f in hotline.findings if f.rule == "SUM001")
    assert 95 in sum001.lines  # the 合 计 row itself
    assert sum001.cells[0].row == "合计" or "合" in sum001.cells[0].row
    assert sum001.cells[0].value == "27,921.891610"
    label = next(f for f in hotline.findings if f.rule == "STR002")
    assert label.cells[0].value == "上年结转结余" and label.cells[0].source.line == 36


def test_messages_in_both_languages(sample_report):
    finding = next(f for f in sample_report.documents[0].findings if f.rule == "STR004")
    assert "单位" in finding.message["zh"] and "unit label" in finding.message["en"]
    assert finding.to_dict("en")["message"] == finding.message["en"]


def test_cross_table_findings_name_both_tables_with_their_figures(sample_report):
    """Review item 9: XT003 is 预算03表's detail rows (4,588.530572 万元) against 预算01表's 26,694.347186,
    each table with its own figure, so 预算01表 is not told it "should be" 4,588.53."""
    hotline = sample_report.documents[2]
    xt003 = next(f for f in hotline.findings if f.rule == "XT003")
    assert [(s["table"], s["value"]) for s in xt003.extra["sides"]] == [
        ("expenditure_summary", 4_588_530_572), ("income_expenditure_summary", 26_694_347_186)]
    unit = next(f for f in sample_report.documents[0].findings if f.rule == "STR004")
    assert unit.difference is None and unit.extra["declared_unit"] == "万元"
