"""The rich terminal report: a summary per document, findings grouped by table."""

from __future__ import annotations

import io
import shutil
import sys
from typing import Any

from budget_audit.reports.formats.ci import display_name, text
from budget_audit.reports.report import AuditReport, DocumentResult
from budget_audit.rules.findings import SEVERITY_RANK, format_amount

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
WORDS = {
    "zh": {"pass": "通过", "fail": "未通过", "error": "无法读取", "errors": "错误", "warnings": "警告",
           "infos": "提示", "checks": "项检查", "failed": "项未通过", "expected": "应为", "actual": "实为",
           "difference": "差额", "lines": "行", "doc": "文件", "none": "未发现问题", "claims": "说明中的数字"},
    "en": {"pass": "pass", "fail": "fail", "error": "unreadable", "errors": "errors", "warnings": "warnings",
           "infos": "notes", "checks": "checks", "failed": "failed", "expected": "expected", "actual": "actual",
           "difference": "difference", "lines": "lines", "doc": "document", "none": "no problems found",
           "claims": "narrative claims"},
}


def escape(value: str) -> str:
    """Document text printed through rich: brackets are text, never markup."""
    from rich.markup import escape as rich_escape

    return rich_escape(value)


CLAIM_WORDS = {
    "zh": {"found": "识别", "checked": "已核对", "passed": "相符", "failed": "不符", "not_checkable": "无法核对"},
    "en": {"found": "found", "checked": "checked", "passed": "passed", "failed": "failed", "not_checkable": "not checkable"},
}


def _console(width: int | None = None):
    from rich.console import Console

    tty = sys.stdout.isatty()
    width = width or (shutil.get_terminal_size((120, 40)).columns if tty else 120)
    return Console(file=io.StringIO(), force_terminal=tty, width=width, highlight=False, soft_wrap=False)


def _status_line(doc: DocumentResult, words: dict[str, str]) -> str:
    if doc.status == "error":
        return f"[bold red]✗ {words['error']}[/] {escape(doc.load_error or '')}"
    mark = "[green]✓" if doc.status == "pass" else "[bold red]✗"
    return (f"{mark} {words[doc.status]}[/]  {doc.checks_run} {words['checks']}, {doc.checks_failed} {words['failed']}; "
            f"{doc.count('error')} {words['errors']}, {doc.count('warning')} {words['warnings']}, "
            f"{doc.count('info')} {words['infos']}  [dim]({escape(doc.template or '?')} / {escape(doc.profile or '?')})[/]")


def _findings_table(findings: list, words: dict[str, str], lang: str):
    from rich.table import Table

    grid = Table(show_header=True, header_style="bold", expand=True, show_lines=False)
    grid.add_column("", width=7, no_wrap=True)
    grid.add_column("rule", width=7, no_wrap=True)
    grid.add_column(words["lines"], width=10)
    grid.add_column("", ratio=1)
    grid.add_column(f"{words['expected']} / {words['actual']} / {words['difference']}", width=34, justify="right")
    for f in findings:
        lines = ",".join(str(n) for n in f.lines[:4]) + ("…" if len(f.lines) > 4 else "")
        figures = ""
        if f.expected is not None:
            unit = f.unit or "元"
            figures = (f"{format_amount(f.expected, unit)}\n{format_amount(f.actual, unit)}\n"
                       f"[bold]{format_amount(f.difference, unit)}[/] {unit}")
        grid.add_row(f"[{STYLE[f.severity]}]{f.severity}[/]", f.rule, lines,
                     escape(text(f.message, lang)), figures)
    return grid


def render(report: AuditReport, lang: str = "zh", console: Any = None) -> str:
    """The full report; pass a Console (fixed width, StringIO) for deterministic output."""
    words = WORDS[lang]
    console = console or _console()
    for doc in report.documents:
        console.rule(f"[bold]{escape(doc.path)}")
        console.print(_status_line(doc, words))
        if doc.claims:
            names = CLAIM_WORDS[lang]
            console.print(f"{words['claims']}: " + ", ".join(f"{names.get(k, k)} {v}" for k, v in doc.claims.items()))
        groups: dict[str, list] = {}
        for f in doc.findings:
            groups.setdefault(f.table or "", []).append(f)
        for table_id, findings in groups.items():
            summary = next((t for t in doc.tables if t.id == table_id), None)
            name = display_name(table_id, summary, lang)
            console.print(f"\n[bold]{escape(name)}[/] [dim]{escape(table_id)}[/]")
            console.print(_findings_table(findings, words, lang))
        if doc.status == "pass" and not doc.findings:
            console.print(words["none"])
    errors, warnings = report.errors, report.warnings
    console.rule()
    console.print(f"{len(report.documents)} {words['doc']}; {errors} {words['errors']}, {warnings} {words['warnings']}")
    return console.file.getvalue()


def render_quiet(report: AuditReport, lang: str = "zh") -> str:
    """One line per document: verdict, path, counts. FAIL means findings at or above --fail-on
    (what makes the exit status 1); WARN means warnings below it; ERROR an unreadable file."""
    words = WORDS[lang]
    floor = SEVERITY_RANK[report.fail_on]
    lines = []
    for doc in report.documents:
        if doc.status == "error":
            lines.append(f"ERROR {doc.path}: {doc.load_error}")
            continue
        worst = max((SEVERITY_RANK[f.severity] for f in doc.findings), default=-1)
        verdict = "FAIL" if worst >= floor else "WARN" if worst >= SEVERITY_RANK["warning"] else "PASS"
        lines.append(f"{verdict:5} {doc.path}: {doc.count('error')} {words['errors']}, "
                     f"{doc.count('warning')} {words['warnings']}, {doc.checks_run} {words['checks']}")
    return "\n".join(lines) + "\n"
