"""The rich terminal report: a summary per document, findings grouped by table.

Readable at 80 columns: messages wrap (never cut), figures go under their message, the place
column starts with the cell the finding is about. Colour only on a terminal: a Console that is
not one (a file, a pipe) gets plain text.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from typing import Any

from budget_audit.reports.formats.causes import RELATED, cause_text, groups, marker, relation_lines
from budget_audit.reports.formats.ci import comparison, display_name, text
from budget_audit.reports.formats.places import failure_text, finding_places, guarded, load_error
from budget_audit.reports.report import AuditReport, DocumentResult, plural

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
PIPE_WIDTH = 100  # a pipe or file has no width; 100 reads in a pager and in most editors
WORDS = {
    "zh": {"pass": "通过", "fail": "未通过", "error": "无法读取", "severity": "级别", "rule": "规则",
           "line": "行", "place": "位置", "message": "问题", "none": "未发现问题", "claims": "说明中的数字",
           "sep": "，", "semi": "；", "difference": "差额", "sev": {"error": "错误", "warning": "警告", "info": "提示"}},
    "en": {"pass": "pass", "fail": "fail", "error": "unreadable", "severity": "severity", "rule": "rule",
           "line": "line", "place": "place", "message": "finding", "none": "no problems found",
           "claims": "narrative claims", "sep": ", ", "semi": "; ", "difference": "difference",
           "sev": {"error": "error", "warning": "warning", "info": "note"}},
}
CLAIM_WORDS = {
    "zh": {"found": "识别", "checked": "已核对", "passed": "相符", "failed": "不符", "not_checkable": "无法核对"},
    "en": {"found": "found", "checked": "checked", "passed": "passed", "failed": "failed", "not_checkable": "not checkable"},
}


def escape(value: str) -> str:
    """Document text printed through rich: brackets are text, never markup."""
    from rich.markup import escape as rich_escape

    return rich_escape(value)


def make_console(width: int | None = None, color: bool | None = None):
    """A Console writing to a string. Colour when `color`, else only when stdout is a terminal
    and NO_COLOR is unset; the width of the terminal, else PIPE_WIDTH (or $COLUMNS)."""
    from rich.console import Console

    tty = sys.stdout.isatty()
    color = (tty and not os.environ.get("NO_COLOR")) if color is None else color
    width = width or shutil.get_terminal_size((PIPE_WIDTH, 40)).columns  # $COLUMNS, the terminal, else 100
    return Console(file=io.StringIO(), force_terminal=color, no_color=not color, color_system="auto" if color else None,
                   width=width, highlight=False, soft_wrap=False)


def _status_line(doc: DocumentResult, words: dict[str, Any], lang: str) -> str:
    if doc.status == "error":
        return f"[bold red]✗ {words['error']}[/] {escape(load_error(doc, lang))}"
    mark = "[green]✓" if doc.status == "pass" else "[bold red]✗"
    counts = words["sep"].join(plural(doc.count(s), s, lang) for s in ("error", "warning", "info"))
    rules = doc.template if doc.profile == doc.template else f"{doc.template or '—'} / {doc.profile or '—'}"
    return (f"{mark} {words[doc.status]}[/]  {plural(doc.checks_run, 'check', lang)}{words['sep']}"
            f"{plural(doc.checks_failed, 'failed', lang)}{words['semi']}{counts}  [dim]({escape(rules or '—')})[/]")


def _figures(finding, tables: dict, words: dict[str, Any], lang: str) -> str:
    shown = comparison(finding, lang, tables)
    if shown is None:
        return ""
    return (f"[dim]{escape(shown.labels[0])}[/] {shown.values[0]} · [dim]{escape(shown.labels[1])}[/] {shown.values[1]}"
            f" · [dim]{words['difference']}[/] [bold]{shown.difference}[/] {shown.unit}")


def _findings_table(findings: list, tables: dict, words: dict[str, Any], lang: str):
    from rich import box
    from rich.table import Table

    by_line = any(c.source.line for f in findings for c in f.cells)
    grid = Table(show_header=True, header_style="bold", box=box.SIMPLE_HEAD, expand=True, pad_edge=False,
                 show_edge=False)
    grid.add_column(words["severity"], no_wrap=True)
    grid.add_column(words["rule"], no_wrap=True)
    grid.add_column(words["line" if by_line else "place"], max_width=16, overflow="fold")
    grid.add_column(words["message"], ratio=1, overflow="fold")
    for f in findings:
        body = escape(text(f.message, lang))
        figures = _figures(f, tables, words, lang)
        waived = marker(f, lang)  # waived or baselined: shown, not counted
        if waived:
            body = f"[dim]{escape(waived)}[/]\n{body}"
        grid.add_row(f"[dim]{words['sev'][f.severity]}[/]" if waived else f"[{STYLE[f.severity]}]{words['sev'][f.severity]}[/]", f.rule,
                     "\n".join(finding_places(f, lang)), body + (f"\n{figures}" if figures else ""))
    return grid


def _document(console: Any, doc: DocumentResult, words: dict[str, Any], lang: str) -> None:
    console.print(_status_line(doc, words, lang))
    engines = {c.engine for c in doc.checks if c.engine}
    if engines:  # --engine gx: say which checks GX ran and which ran natively
        count = {e: sum(1 for c in doc.checks if c.engine == e and c.skipped is None) for e in ("gx", "native")}
        console.print(f"[dim]Great Expectations 执行 {count['gx']} 项，本地引擎执行 {count['native']} 项（GX 无法表达）[/]"
                      if lang == "zh" else
                      f"[dim]Great Expectations ran {count['gx']} checks; {count['native']} ran natively (GX cannot express them)[/]")
    if doc.claims:
        names = CLAIM_WORDS[lang]
        console.print(f"{words['claims']}: " + words["sep"].join(f"{names.get(k, k)} {v}" for k, v in doc.claims.items()))
    tables = {t.id: t for t in doc.tables}
    for cause, explained in groups(doc):  # the likely causes first, each over the findings it explains
        if cause is not None:
            console.print(f"\n[bold magenta]{escape(cause_text(cause, len(explained), tables, lang))}[/]")
            console.print(_findings_table(explained, tables, words, lang))
            continue
        by_table: dict[str, list] = {}
        for f in explained:
            by_table.setdefault(f.table or "", []).append(f)
        for table_id, findings in by_table.items():
            name = display_name(table_id, tables.get(table_id), lang)
            console.print(f"\n[bold]{escape(name)}[/]" + (f"  [dim]{escape(table_id)}[/]" if table_id else ""))
            console.print(_findings_table(findings, tables, words, lang))
    if doc.status == "pass" and not doc.findings:
        console.print(words["none"])


def closing_line(report: AuditReport, lang: str) -> str:
    """'3 个文件：15 个错误，10 个警告，18 个提示，0 个无法读取' / '3 documents: 15 errors · …'."""
    parts = [plural(report.count(s), s, lang) for s in ("error", "warning", "info")]
    parts.append(plural(report.unreadable, "unreadable", lang))
    joined = "，".join(parts) if lang == "zh" else " · ".join(parts)
    return f"{plural(len(report.documents), 'document', lang)}{'：' if lang == 'zh' else ': '}{joined}"


def render(report: AuditReport, lang: str = "zh", console: Any = None) -> str:
    """The full report; pass a Console (fixed width, StringIO) for deterministic output."""
    words = WORDS[lang]
    console = console or make_console()
    getattr(report, "settle", lambda: None)()  # waivers may have been applied after the check
    for doc in report.documents:
        console.rule(f"[bold]{escape(doc.path)}")
        guarded(lambda d: _document(console, d, words, lang), doc,
                lambda d, exc: console.print(f"[bold red]✗[/] {escape(failure_text(exc, lang))}"))
    console.rule()
    related = relation_lines(report, lang)
    if related:
        console.print(f"[bold]{RELATED[lang]}[/]")
        for line in related:
            console.print(f"  {escape(line)}")
    for problem in getattr(report, "batch_errors", ()):
        console.print(f"[bold red]✗[/] {escape(problem)}")
    from budget_audit.reports import fleet_summary

    summary = fleet_summary.render(report, lang)  # a fleet: by status, rules failing most, worst documents
    if summary is not None:
        console.print(summary)
    console.print(closing_line(report, lang))
    return console.file.getvalue()

