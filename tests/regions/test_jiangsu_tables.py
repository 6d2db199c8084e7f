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


# ---- the corpus PDFs (tests/data/pdf): tables read and checked with the Jiangsu profile ----
from functools import lru_cache  # noqa: E402
from pathlib import Path  # noqa: E402

PDF = Path(__file__).parent.parent / "data" / "pdf"
TABLE_FAMILIES = ("BAL", "USE", "SUM", "HIE", "TPF", "XT")


@lru_cache(maxsize=None)
def checked(name: str):
    """(document, outcome) of a corpus publication checked with jiangsu_budget."""
    from budget_audit.loaders import load
    from budget_audit.rules import engine

    document = load(PDF / name)
    return document, engine.run(document, load_ruleset("jiangsu_budget"))


def amounts(table, where: dict) -> list:
    frame = table.frame
    for key, value in where.items():
        frame = frame[frame[key] == value]
    return list(frame["amount" if "amount" in frame else "total"])


# 收支预算总表 (公开01表): 基本 | 项目 | 单位预留机动经费 (the third column pair) and 当年支出小计, in 分;
# corpus-findings.md "Jiangsu corpus" (renda 2018 p.8: 7877.76 + 6333.96 + 1685.72 = 15897.44).
USES = {
    "js_renda_2017_budget_dept.pdf": (7_666_680_000, 5_853_960_000, 128_430_000, 13_649_070_000),
    "js_renda_2018_budget_dept.pdf": (7_877_760_000, 6_333_960_000, 1_685_720_000, 15_897_440_000),
    "js_jianchayuan_2019_budget_dept.pdf": (15_844_040_000, 4_335_300_000, 3_990_400_000, 24_169_740_000),
    "js_fayuan_2019_budget_dept.pdf": (21_968_000_000, 10_208_940_000, 5_011_400_000, 37_188_340_000),
}


@pytest.mark.parametrize("name", sorted(USES))
def test_summary_reads_the_uses_column_pair(name):
    document, _ = checked(name)
    table = document.tables["income_expenditure_summary"]
    got = tuple(amounts(table, {"side": "expenditure", "item": item})[0]
                for item in ("basic", "project", "reserve", "current_total"))
    assert got == USES[name]
    assert got[0] + got[1] + got[2] == got[3]


def test_summary_labels_split_over_rows_are_joined():
    """renda 2017 p.7: "八、社会保障和就" / "业支出" (two rows) and "2.政府性\\n基金预算" are one label each."""
    document, _ = checked("js_renda_2017_budget_dept.pdf")
    frame = document.tables["income_expenditure_summary"].frame
    assert list(frame[frame.code == "208"].label) == ["八、社会保障和就业支出"]
    assert list(frame[frame.code == "208"].amount) == [1_608_510_000]
    assert "2.政府性基金预算" in set(frame.label)


def test_income_summary_groups_and_items():
    """renda 2018 公开02表: 收入总计 15897.44 is the only total; 一般公共预算资金 小计 = 公共财政拨款（补助）资金."""
    document, _ = checked("js_renda_2018_budget_dept.pdf")
    frame = document.tables["income_summary"].frame
    assert list(frame[frame.is_total].total) == [15_897_440_000]
    general = frame[frame.group == "一般公共预算资金"]
    assert list(general.item) == ["小计", "公共财政拨款（补助）资金", "专项收入"]
    assert list(general.total)[:2] == [15_897_440_000, 15_897_440_000]


CLEAN = sorted(p.name for p in PDF.glob("js_*"))  # all 11 Jiangsu publications of the corpus


@pytest.mark.parametrize("name", CLEAN)
def test_no_false_table_error(name):
    """The hand check found no table error in any Jiangsu publication (corpus-findings.md)."""
    _, outcome = checked(name)
    wrong = [(f.rule, f.message["zh"]) for f in outcome.findings
             if f.rule.startswith(TABLE_FAMILIES) and f.severity in ("error", "warning")]
    assert wrong == []
    ran = {rule.code for rule, _ in outcome.checked}
    assert {"BAL062", "BAL064", "USE001", "XT061", "XT063", "SUM064", "TPF061", "TPF062", "SUM068", "HIE065"} <= ran, name


def test_procurement_outline():
    """renda 2018 公开12表: 合计 2,064.25 = 一、货物A 59.00 + 三、服务C 2,005.25; 办公设备购置费 59.00 = 8 + 8 + 12 + 6 + 25."""
    document, _ = checked("js_renda_2018_budget_dept.pdf")
    frame = document.tables["procurement"].frame
    assert list(frame[frame.outline == "category"].total) == [59_000_000, 2_005_250_000]
    assert list(frame[frame.is_total].total) == [2_064_250_000]
    first = list(frame.outline)[2:8]
    assert first == ["project", "item", "item", "item", "item", "item"]


def test_rules_and_explain_show_the_new_codes():
    import subprocess
    import sys

    cli = [sys.executable, "-m", "budget_audit.reports.cli"]
    out = subprocess.run([*cli, "rules", "--profile", "jiangsu_budget"], capture_output=True, text=True, check=True).stdout
    for code in ("SUM064", "SUM065", "SUM066", "SUM067", "SUM068", "HIE065", "XT061"):
        assert code in out, code
    explained = subprocess.run([*cli, "explain", "hie065"], capture_output=True, text=True, check=True).stdout
    assert "政府采购支出预算表" in explained and "outline" in explained


@pytest.mark.parametrize("name", CLEAN)
def test_tables_meet_their_schemas(name):
    """The loaders' contract (loaders/schemas.py) holds for every table read from the corpus."""
    from budget_audit.loaders.schemas import validate

    document, _ = checked(name)
    for table in document.tables.values():
        validate(table)


def test_three_public_meetings_training_column_ids():
    """renda 2018 公开09表 (one row, three header levels): 合计 2,542.60 = “三公” 833.60 + 会议费 1,305.25 +
    培训费 403.75; 833.60 = 出国 222.50 + 公务用车 183.60 + 接待 427.50; 公务用车 = 运行维护 183.60."""
    document, _ = checked("js_renda_2018_budget_dept.pdf")
    frame = document.tables["three_public_meetings"].frame
    row = frame.iloc[0]
    got = {c: row[c] for c in ("total", "three_public", "overseas", "vehicle", "vehicle_operation", "reception",
                               "meetings", "training")}
    assert got == {"total": 2_542_600_000, "three_public": 833_600_000, "overseas": 222_500_000,
                   "vehicle": 183_600_000, "vehicle_operation": 183_600_000, "reception": 427_500_000,
                   "meetings": 1_305_250_000, "training": 403_750_000}


def test_a_planted_reserve_error_is_found():
    """The same PDF with 单位预留机动经费 read 1.00万元 higher: BAL062 (当年支出小计 = 基本 + 项目 + 预留) fails by
    exactly that, on the 收支预算总表's page (the check can fail)."""
    from budget_audit.loaders import load
    from budget_audit.rules import engine

    document = load(PDF / "js_renda_2018_budget_dept.pdf")
    table = document.tables["income_expenditure_summary"]
    row = next(i for i, (side, item) in enumerate(zip(table.data["side"], table.data["item"]))
               if side == "expenditure" and item == "reserve")
    table.data["amount"][row] += 1_000_000  # 1.00万元 in 分
    rules = [r for r in load_ruleset("jiangsu_budget") if r.code == "BAL062"]
    (finding,) = engine.run(document, rules).findings
    assert (finding.severity, finding.expected - finding.actual) == ("error", 1_000_000)
    assert finding.cells[0].source.page == 8


def test_zhengxie_2017_label_typo_is_found():
    """Real label error (corpus-findings.md): 政协 2017 公开表 表二 prints the group "财政转专户管理资金" for
    财政专户管理资金 (file 2017年度部门预算公开表.pdf, p.2); no other publication's groups differ."""
    found = {name: [(f.rule, f.cells[0].value, f.cells[0].source.file, f.cells[0].source.page)
                    for f in checked(name)[1].findings if f.rule == "STR061"] for name in CLEAN}
    assert found.pop("js_zhengxie_2017_budget_dept") == [("STR061", "财政转专户管理资金", "2017年度部门预算公开表.pdf", 2)]
    assert all(v == [] for v in found.values())
