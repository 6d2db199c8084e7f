"""The narrative of sample 001 (lines 1–115): every claim read, the real error pinned, no false one."""

from __future__ import annotations

import pytest

from budget_audit.rules import engine
from budget_audit.rules.narrative.claims import extract
from budget_audit.rules.kinds import narrative_claim
from budget_audit.rules.ruleset import SETS, RuleSetError, load_ruleset

NARRATIVE = str(SETS / "narrative.yaml")
# Claims that no check can verify from the document, with the reason's key words.
NOT_CHECKABLE = {
    (65, "2个"): "未能识别",                     # "包括2个所属单位": units, not a budget figure
    (79, "0辆"): "公务用车数量",                  # vehicle counts (2021 and 2020): no table counts them
    (88, "4个"): "政府采购",                      # the district template has no procurement table
    (88, "40,109,649.50元"): "政府采购预算明细表",
    (106, "645.61万元"): "国有资产",              # asset holdings at the end of 2020
    (106, "0台"): "表格中没有",
    (106, "0万元"): "表格中没有",
    (108, "0台"): "表格中没有",                   # numbers of assets to buy
    (108, "1套"): "通用设备购置",
    (108, "0万元"): "专用设备购置",
}


@pytest.fixture(scope="module")
def sample(documents):
    return documents["xicheng-zhengwu-2021-budget.txt"]


@pytest.fixture(scope="module")
def outcome(sample):
    return engine.run(sample, load_ruleset(NARRATIVE))


def test_claims_read_from_the_narrative(sample):
    claims = extract(sample.paragraphs, sample.year)
    assert len(claims) == 62
    by_place = {(c.line, c.text, c.year): c for c in claims}
    income_2020 = by_place[(46, "63,268,913.02元", 2020)]
    assert (income_2020.kind, income_2020.subject, income_2020.fen, income_2020.ulp) == ("amount", "收入预算", 6326891302, 0)
    rate = by_place[(46, "0.05%", 2021)]
    assert (rate.kind, rate.subject, rate.base_year, rate.direction, str(rate.value), rate.decimals) == \
        ("rate", "收入预算", 2020, -1, "0.05", 2)
    share = by_place[(50, "24.47%", 2021)]
    assert (share.kind, share.subject, share.whole) == ("share", "基本支出", "支出预算")
    project = by_place[(52, "47,764,125.20元", 2021)]   # printed "47,764,125.20 元"
    assert (project.subject, project.start, project.end, project.fen) == ("项目支出", 8, 23, 4776412520)
    equipment = by_place[(108, "283.11万元", 2021)]
    assert (equipment.subject, equipment.fen, equipment.ulp, equipment.decimals) == ("通用设备购置", 283110000, 10000, 2)
    overseas = [c for c in claims if c.line == 71]
    assert [(c.kind, c.subject, c.year) for c in overseas] == [
        ("amount", "因公出国（境）费", 2021), ("amount", "因公出国（境）费", 2020), ("equal", "因公出国（境）费", 2021)]
    assert not any(c.text.startswith(("50万元", "100万元")) for c in claims)   # 单位价值50万元以上 is a bound


def test_the_real_inconsistency_is_pinned(outcome):
    errors = [f for f in outcome.findings if f.rule.startswith("NAR") and f.severity in ("error", "warning")]
    assert len(errors) == 1
    finding = errors[0]
    assert finding.rule == "NAR008" and finding.severity == "error"
    assert (finding.expected, finding.actual, finding.difference) == (6214511302, 6326891302, 112380000)
    assert finding.to_dict()["difference"] == "1123800.00"
    assert finding.lines == [46, 50, 52]
    assert [(c.table, c.row, c.value) for c in finding.cells] == [
        ("narrative", "收入预算", "63,268,913.02元"), ("narrative", "基本支出", "13,176,216.96元"),
        ("narrative", "项目支出", "48,968,896.06元")]
    assert "2020年收入预算" in finding.message["zh"] and "1,123,800.00" in finding.message["en"]


def test_equipment_in_wanyuan_is_a_rounding_note(outcome):
    (note,) = [f for f in outcome.findings if f.rule == "NAR012"]
    assert note.severity == "info"
    assert (note.expected, note.actual, note.unit) == (283106950, 283110000, "元")
    assert note.lines[0] == 108 and {c.table for c in note.cells} == {"narrative", "budget_detail"}


def test_every_verifiable_claim_is_checked(sample, outcome):
    coverage = [f for f in outcome.findings if f.rule == "NAR090"]
    found = {(f.cells[0].source.line, f.cells[0].value): f.message["zh"] for f in coverage}
    assert set(found) == set(NOT_CHECKABLE)
    for place, words in NOT_CHECKABLE.items():
        assert words in found[place], (place, found[place])
    # one note per line, subject and reason: line 79's 0辆 of 2021 and 2020 are one; 0台 ×3 and 0万元 ×2
    # (line 106) and 0台 ×2 (line 108) name different assets
    assert len(coverage) == 15
    (vehicles,) = [f for f in coverage if f.cells[0].source.line == 79]
    assert vehicles.message["zh"].startswith("第79行“0辆”×2（公务用车数量，2021、2020年）无法核对") and len(vehicles.cells) == 2
    assert outcome.claims == {"found": 62, "checked": 46, "passed": 43, "failed": 3, "not_checkable": 16}


def test_amounts_checked_only_internally_are_named(outcome):
    internal = [f for f in outcome.findings if f.rule == "NAR091"]
    assert [(f.lines, f.cells[0].value) for f in internal] == [([84], "1,068,840.24元")]
    assert "机构运行经费" in internal[0].message["zh"]


def test_stats_count_what_the_rules_run(sample):
    only_tables = [r for r in load_ruleset(NARRATIVE) if r.code == "NAR010"]
    stats = narrative_claim.stats(sample, only_tables)
    assert stats["found"] == 62 and stats["failed"] == 0 and stats["checked"] == stats["passed"] == 22


def test_the_profile_runs_the_narrative_rules_and_reports_claims(sample_report):
    district = next(d for d in sample_report.documents if d.path.endswith("xicheng-zhengwu-2021-budget.txt"))
    assert district.claims["found"] == 62 and district.claims["failed"] == 3
    nar_errors = [f for f in district.findings if f.rule.startswith("NAR") and f.severity == "error"]
    assert [f.rule for f in nar_errors] == ["NAR008"]


def test_municipal_samples_have_no_narrative_claims(sample_report):
    for doc in sample_report.documents:
        if "xicheng" in doc.path:
            continue
        assert not [f for f in doc.findings if f.rule.startswith("NAR")]
        # skipped (nothing to read): absent from the coverage, or listed with the reason
        assert not [c for c in doc.checks if c.rule.startswith("NAR") and not getattr(c, "skipped", None)]
        assert not doc.claims


@pytest.mark.parametrize("params, key", [
    ({"check": "sums"}, "check"),
    ({"check": "table-amount"}, "figures"),
    ({"check": "table-amount", "figures": {"预算": {"table": "expenditure_summary", "column": "total"}}}, "figures.预算"),
    ({"check": "table-amount", "figures": {"基本支出": {"table": "no_such_table", "column": "basic"}}}, "figures.基本支出"),
    ({"check": "composition", "compositions": [{"total": "收入预算", "parts": ["基本支出", "支出"]}]}, "compositions[0]"),
])
def test_rule_set_errors_name_the_key(tmp_path, params, key):
    path = tmp_path / "bad.yaml"
    rule = {"code": "NAR999", "kind": "narrative-claim", "severity": "error", "title": {"zh": "x", "en": "x"}, "params": params}
    import yaml

    path.write_text(yaml.safe_dump({"name": "bad", "rules": [rule]}, allow_unicode=True), "utf-8")
    with pytest.raises(RuleSetError) as raised:
        load_ruleset(str(path))
    assert f"rule NAR999: key 'params.{key}'" in str(raised.value)


def test_the_kind_documents_itself():
    doc = narrative_claim.__doc__
    for heading in ("What it checks:", "Why it matters:", "Passes:", "Fails:", "Example:"):
        assert heading in doc
