"""The likely cause in every report format (first, with the findings it explains), and waived or
baselined findings shown as such but never counted as failing."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from budget_audit.reports.formats import json as json_format
from budget_audit.reports.formats import markdown
from budget_audit.reports.formats.terminal import make_console, render

HOTLINE_TABLE_ERROR = sorted(["XT003", "GRP001", "GRP002", "SUM001", "SUM001", "GRP001", "GRP003", "SUM001"])


@pytest.fixture(scope="module")
def hotline(sample_report):
    return next(d for d in sample_report.documents if "hotline" in d.path)


def test_json_adds_the_causes_and_keeps_every_finding(sample_report, hotline, report_schema):
    data = json.loads(json_format.render(sample_report))
    jsonschema.validate(data, report_schema)
    doc = next(d for d in data["documents"] if "hotline" in d["path"])
    assert len(doc["findings"]) == len(hotline.findings)
    first = doc["causes"][0]
    assert first["found"] is False and first["table"] == "expenditure_summary" and first["cell"] is None
    assert sorted(doc["findings"][i]["rule"] for i in first["explains"]) == HOTLINE_TABLE_ERROR
    assert [doc["findings"][i]["rule"] for i in doc["causes"][1]["explains"]] == ["SUM003", "SUM003"]
    center = next(d for d in data["documents"] if "center" in d["path"])
    assert center["causes"] == []  # arithmetically clean: nothing to explain
    assert {"waived", "baselined", "baseline_fixed"} <= set(data["summary"]) and data["siblings"] == []


def test_a_found_cause_names_the_cell_printed_and_corrected(tmp_path):
    from budget_audit.reports.pipeline import check_paths
    from tests.reports.planted import broken_center

    report = check_paths([str(broken_center(tmp_path))])  # 预算05表 合计 raised by 1 万元 (line 136)
    data = json.loads(json_format.render(report))
    (cause,) = [c for c in data["documents"][0]["causes"] if c["found"]]
    assert cause["cell"]["source"] == {"line": 136} and cause["cell"]["table"] == "general_budget_expenditure"
    assert (cause["printed"], cause["corrected"], cause["unit"]) == ("9716.698690", "9715.698690", "万元")
    text = render(report, "zh", console=make_console(width=120, color=False))
    assert "可能的原因：预算05表" in text and "印作 9,716.698690，应为 9,715.698690 万元" in text
    assert text.index("可能的原因") < text.index("SUM")


def test_terminal_and_markdown_show_the_cause_first_over_its_findings(sample_report):
    text = render(sample_report, "zh", console=make_console(width=120, color=False))
    hotline = text[text.index("beijing-12345-hotline"):]
    cause = hotline.index("可能的原因：以下 8 项问题共涉及预算03表 支出总表")
    assert cause < hotline.index("XT003") and cause < hotline.index("SUM001")
    english = render(sample_report, "en", console=make_console(width=120, color=False))
    assert "Likely cause: the 8 findings below all involve" in english
    md = markdown.render(sample_report, "zh")
    part = md[md.index("beijing-12345-hotline-budget.txt", md.index("### ")):]
    assert part.index("**可能的原因：以下 8 项问题") < part.index("`XT003`")


def test_waived_and_baselined_findings_are_shown_but_do_not_fail(sample_report):
    report = copy.deepcopy(sample_report)
    for doc in report.documents:
        for f in doc.findings:
            if f.severity == "error":
                f.waiver = {"reason": "已与财政局核实"}
    center = next(d for d in report.documents if "center" in d.path)
    center.findings[0].waiver, center.findings[0].baselined = None, True
    assert not report.is_failing() and report.exit_code() == 0
    data = json.loads(json_format.render(report))
    assert data["summary"]["errors"] == 0 and data["summary"]["waived"] == sample_report.errors
    assert data["summary"]["baselined"] == 1
    text = render(report, "zh", console=make_console(width=120, color=False))
    assert "已豁免（理由：已与财政局核实）" in text and "已在基线中" in text
    assert "已豁免" in markdown.render(report, "zh") and "waived (reason: 已与财政局核实)" in markdown.render(report, "en")
    assert {d["status"] for d in data["documents"]} == {"pass"}  # nothing left that counts
    from budget_audit.reports.formats import html

    page = html.render(report, "zh")
    assert '<span class="waived">已豁免（理由：已与财政局核实）</span>' in page
