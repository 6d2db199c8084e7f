"""The terminal report on a fixed-width Console writing to StringIO: deterministic text."""

from __future__ import annotations

import re
import shutil
from io import StringIO

import pytest
from rich.cells import cell_len
from rich.console import Console

from budget_audit.reports.formats import terminal
from budget_audit.reports.formats.ci import anchor_line
from budget_audit.reports.pipeline import check_paths
from budget_audit.reports.report import AuditReport, plural
from budget_audit.rules.findings import Finding, format_amount
from tests.conftest import CENTER


def console(width: int = 120) -> Console:
    return Console(file=StringIO(), width=width, force_terminal=False, highlight=False)


@pytest.fixture(scope="module")
def text_zh(sample_report):
    return terminal.render(sample_report, "zh", console=console())


def _cut(line: str, cells: int) -> str:
    """`line` from its `cells`-th terminal cell on (CJK characters are two cells wide)."""
    width = 0
    for i, ch in enumerate(line):
        if width >= cells:
            return line[i:]
        width += cell_len(ch)
    return ""


def message_column(text: str, header: str) -> list[str]:
    """The text of every findings table's last column, one entry per table, whitespace removed."""
    out, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if line.rstrip().endswith(header) and i + 1 < len(lines) and set(lines[i + 1].strip()) == {"─"}:
            offset = cell_len(line[:line.rindex(header)])
            i += 2
            body = []
            while i < len(lines) and lines[i].strip():
                body.append(_cut(lines[i], offset))
                i += 1
            out.append(re.sub(r"\s+", "", "".join(body)))
        i += 1
    return out


def test_every_document_and_finding_is_shown(sample_report, text_zh):
    for doc in sample_report.documents:
        section = text_zh.split(doc.path, 1)[1]
        assert (f"{doc.checks_run} 项检查，{doc.checks_failed} 项未通过；{doc.count('error')} 个错误，"
                f"{doc.count('warning')} 个警告，{doc.count('info')} 个提示") in section
        for f in doc.findings:
            assert f.rule in section
    infos = sum(d.count("info") for d in sample_report.documents)
    assert infos > 0
    assert text_zh.rstrip().endswith(f"{len(sample_report.documents)} 个文件：{sample_report.errors} 个错误，"
                                     f"{sample_report.warnings} 个警告，{infos} 个提示，0 个无法读取")


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_messages_wrap_whole_at_80_and_100_columns(sample_report, width, lang):
    text = terminal.render(sample_report, lang, console=console(width))
    assert "…" not in text
    assert max(cell_len(line) for line in text.splitlines()) <= width
    columns = "".join(message_column(text, terminal.WORDS[lang]["message"]))
    findings = [f for d in sample_report.documents for f in d.findings]
    assert len(findings) > 40
    for f in findings:  # every message is printed in full, in order, wrapped in its column
        assert re.sub(r"\s+", "", f.message[lang]) in columns, f.message[lang]


def test_headers_are_in_the_reports_language(sample_report, text_zh):
    assert "级别   规则" in text_zh and " rule " not in text_zh and "问题" in text_zh
    english = terminal.render(sample_report, "en", console=console(100))
    assert "severity   rule" in english and "级别" not in english


def test_place_column_starts_with_the_total_row_of_a_column_sum(sample_report):
    doc = next(d for d in sample_report.documents if "hotline" in d.path)
    text = terminal.render(AuditReport(documents=[doc]), "zh", console=console(80))
    sums = [f for f in doc.findings if f.rule in ("SUM001", "SUM003")]
    assert {anchor_line(f) for f in sums} == {95, 193}  # the 合计 rows of 预算03表 and 预算06表
    rows = re.findall(r"^错误\s+(SUM00[13])\s+(\d+)\s", text, re.M)
    assert rows == [(f.rule, str(anchor_line(f))) for f in sums]
    assert re.search(r"^\s+53–86\s", text, re.M)  # then the detail lines, as runs


def test_figures_only_where_a_finding_has_them(sample_report, text_zh):
    doc = next(d for d in sample_report.documents if "hotline" in d.path)
    f = next(f for f in doc.findings if f.rule == "SUM001")
    assert (f"核算值 {format_amount(f.expected, f.unit)} · 印数 {format_amount(f.actual, f.unit)} · "
            f"差额 {format_amount(f.difference, f.unit)} 万元") in re.sub(r"\s+", " ", text_zh)
    structure = next(f for f in doc.findings if f.rule == "STR002")  # no figures: no column, no empty lines
    assert structure.expected is None
    line = next(ln for ln in text_zh.splitlines() if "STR002" in ln)
    assert line.rstrip().endswith("预算01表") or "收支总表" in line


def test_cross_table_figures_name_both_tables(sample_report):
    doc = next(d for d in sample_report.documents if "hotline" in d.path)
    f = next(f for f in doc.findings if f.rule == "XT003")
    text = re.sub(r"\s+", " ", terminal.render(AuditReport(documents=[doc]), "zh", console=console(100)))
    assert (f"预算03表 支出总表 {format_amount(f.expected, f.unit)} · 预算01表 收支总表 "
            f"{format_amount(f.actual, f.unit)} · 差额 {format_amount(f.difference, f.unit)} 万元") in text
    assert "核算值 4,588.530572" not in text


def test_findings_of_no_table_are_grouped_under_document(tmp_path):
    cut = tmp_path / "cut.txt"
    cut.write_text("\n".join(CENTER.read_text("utf-8").split("\n")[:40]), "utf-8")
    report = check_paths([str(cut)])
    assert any(not f.table for f in report.documents[0].findings)
    text = terminal.render(report, "zh", console=console(80))
    assert "\n文档\n" in text and "\n—" not in text
    assert "\ndocument\n" in terminal.render(report, "en", console=console(80))


def test_output_is_plain_and_deterministic(sample_report, text_zh):
    assert "\x1b[" not in text_zh
    assert max(cell_len(line) for line in text_zh.splitlines()) <= 120
    assert terminal.render(sample_report, "zh", console=console()) == text_zh


def test_colour_only_when_asked_or_on_a_terminal(sample_report, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = terminal.render(sample_report, "zh", console=terminal.make_console(100, color=True))
    assert "\x1b[" in coloured
    plain = terminal.render(sample_report, "zh", console=terminal.make_console(100, color=False))
    assert "\x1b[" not in plain
    # pytest captures stdout: not a terminal, so the default console is plain too
    assert "\x1b[" not in terminal.render(sample_report, "zh")
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in terminal.render(sample_report, "zh", console=terminal.make_console(100))


def test_english_counts_use_plurals(sample_report):
    text = terminal.render(sample_report, "en", console=console())
    assert "✗ fail" in text and "未通过" not in text.split("\n", 2)[1]
    assert text.rstrip().endswith(f"3 documents: {sample_report.errors} errors · {sample_report.warnings} warnings · "
                                  f"{sum(d.count('info') for d in sample_report.documents)} notes · 0 unreadable")
    assert plural(1, "error", "en") == "1 error" and plural(1, "failed", "en") == "1 failed"
    single = check_paths([str(CENTER)], select=["BAL"])
    assert terminal.render(single, "en", console=console()).rstrip().endswith(
        "1 document: 0 errors · 0 warnings · 0 notes · 0 unreadable")


def test_a_clean_document_says_so():
    report = check_paths([str(CENTER)], select=["BAL"])
    assert report.documents[0].findings == [] and report.documents[0].checks_run > 0
    text = terminal.render(report, "zh", console=console())
    assert "✓ 通过" in text and "未发现问题" in text


def test_a_document_that_cannot_be_rendered_does_not_lose_the_others(sample_report):
    doc = sample_report.documents[0]
    bad = Finding(rule="SUM001", severity="error", message={"zh": "x", "en": "x"}, table="t", cells=[None])
    broken = AuditReport(documents=[doc.__class__(path="bad.txt", status="fail", findings=[bad]),
                                    *sample_report.documents])
    text = terminal.render(broken, "zh", console=console(100))
    assert "本文件的报告未能生成" in text.split("bad.txt", 1)[1].split(doc.path)[0]
    for d in sample_report.documents:
        assert d.path in text
    assert all(f.rule in text for f in doc.findings)


def test_brackets_in_document_text_print_as_text(tmp_path):
    named = tmp_path / "预算[bold]x[red].txt"
    shutil.copy(CENTER, named)
    missing = tmp_path / "缺[/red].txt"  # a folder "缺[" that does not exist: "[/red]" is in the error
    text = terminal.render(check_paths([str(named), str(missing)]), "zh", console=console(240))
    assert str(named) in text and f"{missing}: " in text  # the reason, in zh once report.py translates it
