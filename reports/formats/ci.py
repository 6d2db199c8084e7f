"""What the CI formats (JUnit, SARIF, GitHub, Markdown) share: where a finding points, its level
and texts in one language, and the rules evaluated in a run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from budget_audit.loaders.catalog import table_name
from budget_audit.reports.report import AuditReport
from budget_audit.rules.findings import Finding, format_amount

SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
NARRATIVE = "narrative"  # the table id of findings about the 说明 text


@dataclass(frozen=True)
class RuleInfo:
    """A rule as a run evaluated it: code, family, titles and declared severity."""

    code: str
    family: str
    title: dict[str, str]
    severity: str


def text(mapping: dict[str, str], lang: str) -> str:
    """The text in `lang`, falling back to Chinese."""
    return mapping.get(lang) or mapping.get("zh", "")


def display_name(table_id: str, summary: Any, lang: str) -> str:
    """The printed label and title in Chinese ('预算03表 支出总表'), label and standard name in
    English; '说明' for the narrative. `summary` is the document's TableSummary, if it has the table."""
    if table_id == NARRATIVE:
        return "说明" if lang == "zh" else "narrative (说明)"
    if not table_id:
        return "—"
    label = summary.label if summary is not None else None
    title = summary.title if summary is not None and lang == "zh" else table_name(table_id, lang)
    return f"{label or ''} {title}".strip()


def anchor_line(finding: Finding) -> int | None:
    """The line a finding is reported at: its first cell in the finding's own table (the figure
    that is wrong), else its first cell with a line."""
    located = [c for c in finding.cells if c.source.line]
    own = [c for c in located if c.table == finding.table]
    chosen = own or located
    return chosen[0].source.line if chosen else None


def figures(finding: Finding, lang: str) -> str:
    """'应为 1.00，实为 2.00，差额 1.00 元' — empty when the finding compares no amounts."""
    if finding.expected is None or finding.actual is None:
        return ""
    unit = finding.unit or "元"
    parts = [format_amount(v, unit) for v in (finding.expected, finding.actual, finding.difference)]
    if lang == "zh":
        return f"应为 {parts[0]}，实为 {parts[1]}，差额 {parts[2]} {unit}"
    return f"expected {parts[0]}, actual {parts[1]}, difference {parts[2]} {unit}"


def rules(report: AuditReport) -> list[RuleInfo]:
    """Every rule evaluated on any document (and any rule a finding names), by code."""
    found: dict[str, RuleInfo] = {}
    for doc in report.documents:
        for check in doc.checks:
            found.setdefault(check.rule, RuleInfo(check.rule, check.family, check.title, check.severity))
        for f in doc.findings:
            found.setdefault(f.rule, RuleInfo(f.rule, f.family or f.rule.rstrip("0123456789"),
                                              f.title or {"zh": f.rule}, f.severity))
    return sorted(found.values(), key=lambda r: r.code)
