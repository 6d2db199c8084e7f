"""The terminal report on a fixed-width Console writing to StringIO: deterministic text."""

from __future__ import annotations

import shutil
from io import StringIO

import pytest
from rich.cells import cell_len
from rich.console import Console

from budget_audit.reports.formats import terminal
from budget_audit.reports.pipeline import check_paths
from budget_audit.rules.findings import format_amount
from tests.conftest import CENTER
from tests.reports.planted import broken_center


def console(width: int = 120) -> Console:
    return Console(file=StringIO(), width=width, force_terminal=False, highlight=False)


@pytest.fixture(scope="module")
def text_zh(sample_report):
    return terminal.render(sample_report, "zh", console=console())


def test_every_document_and_finding_is_shown(sample_report, text_zh):
    for doc in sample_report.documents:
        section = text_zh.split(doc.path, 1)[1]
        assert f"{doc.checks_run} 项检查, {doc.checks_failed} 项未通过; {doc.count('error')} 错误" in section
        for f in doc.findings:
            assert f.rule in section
    assert text_zh.rstrip().endswith(
        f"{len(sample_report.documents)} 文件; {sample_report.errors} 错误, {sample_report.warnings} 警告")


def test_figures_of_a_sum_finding_are_printed(sample_report, text_zh):
    doc = next(d for d in sample_report.documents if "hotline" in d.path)
    f = next(f for f in doc.findings if f.rule == "SUM001")
    for amount in (f.expected, f.actual, f.difference):
        assert format_amount(amount, f.unit) in text_zh


def test_output_is_plain_and_fits_the_width(sample_report, text_zh):
    assert "\x1b[" not in text_zh
    assert max(cell_len(line) for line in text_zh.splitlines()) <= 120
    assert terminal.render(sample_report, "zh", console=console()) == text_zh


def test_english(sample_report):
    text = terminal.render(sample_report, "en", console=console())
    assert "✗ fail" in text and " errors, " in text and "未通过" not in text.split("\n", 2)[1]


def test_a_clean_document_says_so():
    report = check_paths([str(CENTER)], select=["BAL"])
    assert report.documents[0].findings == [] and report.documents[0].checks_run > 0
    text = terminal.render(report, "zh", console=console())
    assert "✓ 通过" in text and "未发现问题" in text


def test_quiet_one_line_per_document(tmp_path, sample_report):
    broken = broken_center(tmp_path)
    report = check_paths([str(CENTER), str(broken), str(tmp_path / "missing.txt")])
    lines = terminal.render_quiet(report, "zh").splitlines()
    assert lines[0] == f"WARN  {CENTER}: 0 错误, 3 警告, {report.documents[0].checks_run} 项检查"
    assert lines[1].startswith(f"FAIL  {broken}: ") and lines[2].startswith("ERROR ")
    assert len(lines) == 3
    strict = check_paths([str(CENTER)], fail_on="warning")
    assert terminal.render_quiet(strict, "en").startswith(f"FAIL  {CENTER}: 0 errors, 3 warnings")


def test_brackets_in_document_text_print_as_text(tmp_path):
    named = tmp_path / "预算[bold]x[red].txt"
    shutil.copy(CENTER, named)
    missing = tmp_path / "缺[/red].txt"  # a folder "缺[" that does not exist: "[/red]" is in the error
    text = terminal.render(check_paths([str(named), str(missing)]), "zh", console=console(240))
    assert str(named) in text and f"{missing}: file not found" in text
