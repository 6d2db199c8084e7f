"""The HTML report as text: self-contained, escaped, bilingual, with excerpts for every finding."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
from html import unescape

import pytest

from budget_audit.loaders.model import SourceLocation
from budget_audit.reports.formats import html
from budget_audit.reports.formats.html_excerpts import excerpts
from budget_audit.reports.pipeline import check_paths
from budget_audit.reports.report import AuditReport
from budget_audit.rules.findings import CellRef, Finding
from tests.reports.planted import IMG, SCRIPT, hostile_copy

DATA_BLOCK = re.compile(r'<script type="application/json" id="report-data">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def page_zh(sample_report):
    return html.render(sample_report, "zh")


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory):
    path = hostile_copy(tmp_path_factory.mktemp("hostile"))
    return html.render(check_paths([str(path)]), "zh")


def test_every_finding_has_a_details_element_with_its_rule(sample_report, page_zh):
    ids = re.findall(r'<details class="finding sev-(\w+)" id="(d\d+-f\d+)" data-finding data-severity="\w+" '
                     r'data-rule="(\w+)"', page_zh)
    expected = [(f.severity, f"d{i}-f{j}", f.rule) for i, d in enumerate(sample_report.documents, 1)
                for j, f in enumerate(d.findings, 1)]
    assert sorted(ids) == sorted(expected) and len(ids) > 10
    # listed with the findings each likely cause explains first, in the cause's order
    hotline = next(i for i, d in enumerate(sample_report.documents, 1) if "hotline" in d.path)
    first = sample_report.documents[hotline - 1].causes[0].explains
    shown = [ident for _, ident, _ in ids if ident.startswith(f"d{hotline}-")]
    assert shown[:len(first)] == [f"d{hotline}-f{j + 1}" for j in first]


def test_likely_causes_come_first_with_links_to_their_findings(sample_report, page_zh):
    causes = page_zh.index('<ol class="causes"')
    assert causes < page_zh.index('<details class="finding', causes)
    block = page_zh[causes:page_zh.index("</ol>", causes)]
    assert "预算03表 支出总表" in unescape(block) and "没有一个单元格" in unescape(block)
    assert len(re.findall(r'<a href="#d\d+-f\d+">', block)) >= 8


def test_nothing_is_fetched(page_zh):
    assert not re.search(r'(?:src|href|action)\s*=\s*"(?!#)', page_zh)
    assert "<link" not in page_zh and "@import" not in page_zh and "url(" not in page_zh
    assert "http://" not in page_zh and "https://" not in page_zh


def test_content_security_policy_allows_only_our_own_style_and_script(page_zh):
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page_zh).group(1))
    style = re.search(r"<style>(.*?)</style>", page_zh, re.S).group(1)
    script = re.findall(r"<script>(.*?)</script>", page_zh, re.S)
    assert len(script) == 1

    def digest(text):
        return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert "default-src 'none'" in csp
    assert f"style-src '{digest(style)}'" in csp and f"script-src '{digest(script[0])}'" in csp
    assert "unsafe-inline" not in csp


def test_document_markup_is_escaped_in_html_and_in_the_json_block(hostile_page):
    assert SCRIPT not in hostile_page and IMG not in hostile_page
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in hostile_page
    assert "budget-&lt;img src=x onerror=alert(2)&gt;.txt" in hostile_page
    assert hostile_page.count("<script") == 2 and "<img" not in hostile_page
    block = DATA_BLOCK.search(hostile_page).group(1)
    assert "<" not in block and "\\u003cscript" in block
    assert any(SCRIPT.lower() in text for text in json.loads(block)["search"].values())


def test_script_json_cannot_close_its_element():
    text = html.script_json({"a": "</script><!-- & -->"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><!-- & -->"}


def test_english_interface_and_messages(sample_report):
    page = html.render(sample_report, "en")
    assert '<html lang="en">' in page and "<title>Budget disclosure audit report</title>" in page
    finding = sample_report.documents[0].findings[0]
    assert escape(finding.message["en"]) in page and escape(finding.message["zh"]) not in page


def test_chinese_is_the_default(sample_report, page_zh):
    assert html.render(sample_report) == page_zh
    assert '<html lang="zh-CN">' in page_zh and "<title>预算公开审核报告</title>" in page_zh


def test_excerpt_marks_every_cell_a_table_finding_read(sample_report):
    doc = next(d for d in sample_report.documents if "hotline" in d.path)
    finding = next(f for f in doc.findings if f.rule == "SUM001")
    tables = {t.id: t for t in doc.tables}
    [grid] = excerpts(finding.cells, doc.document, tables, "zh")
    hits = [(row.lines, cell.text) for row in grid.rows for cell in row.cells if cell.hit]
    assert sorted(hits) == sorted((str(c.source.line), c.value) for c in finding.cells)
    assert grid.title == "预算03表 支出总表" and "合计" in grid.columns


def test_cross_table_finding_gets_one_excerpt_per_table(sample_report):
    doc = next(d for d in sample_report.documents if "xicheng" in d.path)
    finding = next(f for f in doc.findings if f.rule == "STR004")
    tables = {t.id: t for t in doc.tables}
    grids = excerpts(finding.cells, doc.document, tables, "zh")
    assert [g.title for g in grids] == ["表三 部门支出总体情况表", "表十二 部门整体支出绩效目标申报表"]
    assert all(sum(c.hit for r in g.rows for c in r.cells) == 1 for g in grids)


def test_narrative_finding_shows_its_sentence_with_the_numbers_marked(documents):
    document = documents["xicheng-zhengwu-2021-budget.txt"]
    paragraph = next(p for p in document.paragraphs if "34,247.58" in p.text)
    cells = [CellRef("narrative", "说明", "减少额", "34,247.58元", SourceLocation(line=paragraph.line)),
             CellRef("narrative", "说明", "下降", "0.05%", SourceLocation(line=paragraph.line))]
    [passage] = excerpts(cells, document, {}, "zh")
    assert passage.kind == "narrative" and passage.passages[0]["line"] == paragraph.line
    segments = passage.passages[0]["segments"]
    assert [text for text, marked in segments if marked] == ["34,247.58元", "0.05%"]
    assert "".join(text for text, _ in segments) == paragraph.text


def test_narrative_finding_renders_marked_sentence(sample_report):
    doc = next(d for d in sample_report.documents if "xicheng" in d.path)
    paragraph = next(p for p in doc.document.paragraphs if "34,247.58" in p.text)
    planted = Finding(rule="NAR001", severity="error", message={"zh": "说明与表不符", "en": "narrative differs"},
                      table="narrative", family="NAR", title={"zh": "说明中的增减额", "en": "change amount"},
                      cells=[CellRef("narrative", "说明", "", "34,247.58", SourceLocation(line=paragraph.line))])
    report = AuditReport(documents=[dataclasses.replace(doc, findings=[planted])])
    page = html.render(report, "zh")
    assert "<mark>34,247.58</mark>" in page and "<figcaption>说明</figcaption>" in page


def escape(text):
    from markupsafe import escape as markup_escape

    return str(markup_escape(text))


def test_unreadable_document_shows_its_error_not_an_all_clear(tmp_path):
    missing = tmp_path / "missing.txt"
    page = html.render(check_paths([str(missing)]), "zh")
    assert f'<p class="load-error">{missing}: ' in page
    assert '<span class="badge status-error">无法读取</span>' in page and "未发现问题" not in page


def test_family_chart_counts_by_severity(sample_report):
    page = html.render(sample_report, "en")
    for family in {f.family for d in sample_report.documents for f in d.findings}:
        findings = [f for d in sample_report.documents for f in d.findings if f.family == family]
        counts = [f"{word} {n}" for severity, word in (("error", "error"), ("warning", "warning"), ("info", "note"))
                  if (n := sum(f.severity == severity for f in findings))]
        assert re.search(rf'data-family="{family}">.*?class="fam-total">{len(findings)} \({", ".join(counts)}\)</text>',
                         page, re.S)


COVERAGE_ROW = re.compile(r'<tr class="(\w+)" data-rule="(\w+)" data-state="(\w+)">')


def test_coverage_agrees_with_the_findings(sample_report, page_zh):
    sections = page_zh.split('data-doc aria-label="')[1:]
    assert len(sections) == len(sample_report.documents)
    for section, doc in zip(sections, sample_report.documents):
        states = {rule: state for _, rule, state in COVERAGE_ROW.findall(section)}
        serious = {f.rule for f in doc.findings if f.severity != "info"}
        noted = {f.rule for f in doc.findings if f.severity == "info"} - serious
        assert {r for r, s in states.items() if s == "failed"} == serious
        assert {r for r, s in states.items() if s == "noted"} == noted
        assert {c.rule for c in doc.checks} <= set(states)
        skipped = {r for r, s in states.items() if s == "skipped"}
        assert skipped == {c.rule for c in doc.checks if c.skipped} - serious - noted
        run = len(states) - len(skipped)
        assert f"本文件共执行 {run} 项检查：{run - len(serious) - len(noted)} 项通过，{len(serious)} 项未通过，" \
               f"{len(noted)} 项仅有提示。" in section
        assert (f"另有 {len(skipped)} 项未执行。" in section) == bool(skipped)


def test_a_code_reported_by_another_rule_is_in_coverage(sample_report, page_zh):
    """The district sample's 3 STR004 errors come from the PRF cross-table checks: STR004 is a
    failed row naming them, and PRF002–PRF004 (no finding of their own code) are not failed."""
    index, doc = next((i, d) for i, d in enumerate(sample_report.documents, 1) if "xicheng" in d.path)
    section = page_zh.split(f'id="d{index}" data-doc')[1].split("data-doc")[0]
    states = {rule: state for _, rule, state in COVERAGE_ROW.findall(section)}
    assert sum(f.rule == "STR004" for f in doc.findings) == 3 and "STR004" not in {c.rule for c in doc.checks}
    assert states["STR004"] == "failed" and [states[c] for c in ("PRF002", "PRF003", "PRF004")] == ["passed"] * 3
    reporters = sorted({f.extra["check"] for f in doc.findings if f.rule == "STR004"})
    assert f"（由 {', '.join(reporters)} 报告）" in section


def test_a_skipped_rule_shows_its_reason(sample_report):
    from types import SimpleNamespace

    doc = sample_report.documents[1]
    skipped = SimpleNamespace(rule="SUM999", family="SUM", title={"zh": "某项检查", "en": "a check"}, severity="error",
                              failed=False, tables=(), skipped="文件中没有表 budget_detail")
    checks = [c for c in doc.checks if not getattr(c, "skipped", None)] + [skipped]
    page = html.render(AuditReport(documents=[dataclasses.replace(doc, checks=checks)]), "zh")
    row = page.split('data-rule="SUM999" data-state="skipped">')[1].split("</tr>")[0]
    assert "未执行" in row and "文件中没有表 budget_detail" in row and "另有 1 项未执行。" in page


def test_search_text_holds_figures_without_separators(sample_report, page_zh):
    search = json.loads(DATA_BLOCK.search(page_zh).group(1))["search"]
    hits = [k for k, v in search.items() if "63234665.44" in v]
    assert hits and all("63,234,665.44" in search[k] for k in hits)
    assert html.searchable("合计 1,234.50 与 9，876") == "合计 1,234.50 与 9，876 合计 1234.50 与 9876"


def test_a_document_the_report_cannot_show_does_not_lose_the_others(sample_report):
    bad = Finding(rule="SUM001", severity="error", message={"zh": "x", "en": "x"}, table="t", cells=[None])
    broken = dataclasses.replace(sample_report.documents[0], path="bad.txt", findings=[bad])
    page = html.render(AuditReport(documents=[broken, *sample_report.documents]), "zh")
    section = page.split('id="d1" data-doc')[1].split('id="d2" data-doc')[0]
    assert "bad.txt" in section and '<p class="load-error">本文件的报告未能生成（' in section
    assert page.count('<details class="finding') == sum(len(d.findings) for d in sample_report.documents)


def test_the_html_path_never_imports_pandas(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ALL_SAMPLES

    code = ("import sys\nfrom budget_audit.reports.pipeline import check_paths\n"
            "from budget_audit.reports.formats import html\n"
            f"page = html.render(check_paths({[str(p) for p in ALL_SAMPLES]!r}), 'zh')\n"
            "assert page.count('<td class=') > 100\nprint('pandas' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
