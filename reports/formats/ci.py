"""What the CI formats (JUnit, SARIF, GitHub, Markdown) share: where a finding points, its level
and texts in one language, and the rules evaluated in a run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from budget_audit.loaders.catalog import table_name
from budget_audit.reports.formats.places import anchor_cell
from budget_audit.reports.report import AuditReport, is_active
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
    if not table_id:  # findings about the whole document (missing tables, template residue)
        return "文档" if lang == "zh" else "document"
    label = summary.label if summary is not None else None
    title = summary.title if summary is not None and lang == "zh" else table_name(table_id, lang)
    return f"{label or ''} {title}".strip()


def anchor_line(finding: Finding) -> int | None:
    """The line a finding is reported at: its first cell in the finding's own table (the figure
    that is wrong), else its first cell with a place; None for a PDF or workbook cell."""
    cell = anchor_cell(finding)
    return cell.source.line if cell is not None else None


SIDE_FAMILIES = {"XT", "GRP"}  # kinds whose expected is the other table's figure, actual the finding table's
# Neutral labels: the check's figure against the printed one. Neither is said to be right: the
# total may be the wrong cell, or a part (the likely cause says which)
WORDS = {"zh": {"expected": "核算值", "actual": "印数", "difference": "差额", "sep": "，"},
         "en": {"expected": "computed", "actual": "printed", "difference": "difference", "sep": ", "}}


@dataclass(frozen=True)
class Figures:
    """A finding's amounts as printed: two labelled figures ('核算值'/'印数', or the two tables that
    disagree, side by side) and the difference."""

    labels: tuple[str, str]
    values: tuple[str, str]
    difference: str
    unit: str
    sides: bool


def comparison(finding: Finding, lang: str, tables: dict[str, Any] | None = None) -> Figures | None:
    """The figures of a finding; None when it compares no amounts. A cross-table finding names
    each table with its own figure, so no table is said to be the one that "should be" right:
    from `extra["sides"]` ([{table, value}, {table, value}] in 分) when the finding carries it,
    else from its cells (the other table's figure is `expected`, the finding's table `actual`)."""
    tables = tables or {}
    unit = finding.unit or "元"
    sides = finding.extra.get("sides")
    if isinstance(sides, list) and len(sides) == 2 and all(isinstance(s, dict) for s in sides):
        names = tuple(display_name(str(s.get("table") or ""), tables.get(s.get("table")), lang) for s in sides)
        values = tuple(format_amount(s.get("value"), unit) for s in sides)
        if sides[0].get("value") is not None and sides[1].get("value") is not None:
            difference = format_amount(sides[1]["value"] - sides[0]["value"], unit)
        else:
            difference = "—"
        return Figures(names, values, difference, unit, True)  # type: ignore[arg-type]
    if finding.expected is None or finding.actual is None:
        return None
    values = (format_amount(finding.expected, unit), format_amount(finding.actual, unit))
    difference = format_amount(finding.difference, unit)
    others = list(dict.fromkeys(c.table for c in finding.cells if c.table and c.table != finding.table))
    if finding.family in SIDE_FAMILIES and finding.table and len(others) == 1:
        names = (display_name(others[0], tables.get(others[0]), lang),
                 display_name(finding.table, tables.get(finding.table), lang))
        return Figures(names, values, difference, unit, True)
    words = WORDS[lang]
    return Figures((words["expected"], words["actual"]), values, difference, unit, False)


def figures(finding: Finding, lang: str, tables: dict[str, Any] | None = None) -> str:
    """'核算值 1.00，印数 2.00，差额 1.00 元' (or each table with its figure) — empty when the
    finding compares no amounts."""
    shown = comparison(finding, lang, tables)
    if shown is None:
        return ""
    words = WORDS[lang]
    return (f"{shown.labels[0]} {shown.values[0]}{words['sep']}{shown.labels[1]} {shown.values[1]}"
            f"{words['sep']}{words['difference']} {shown.difference} {shown.unit}")


ACCEPTED = {"zh": {"waived": "已豁免", "baselined": "基线已有", "fixed": "基线条目已改正", "by": "接受人",
                   "summary": "豁免 {waived} 个，基线 {baselined} 个（不导致失败），基线条目已改正 {fixed} 个"},
            "en": {"waived": "waived", "baselined": "in baseline", "fixed": "baseline entries fixed", "by": "accepted by",
                   "summary": "{waived} waived, {baselined} in the baseline (not failing); {fixed} baseline entries fixed"}}


def accepted_note(finding: Finding, lang: str) -> str:
    """'[已豁免：reason（接受人 X，至 2027-06-30）]' / '[基线已有]'; empty for an active finding."""
    words = ACCEPTED[lang]
    colon = "：" if lang == "zh" else ": "
    if finding.waiver is not None:
        w = finding.waiver
        return f"[{words['waived']}{colon}{w.get('reason', '')} ({words['by']} {w.get('accepted_by', '')}, {w.get('expires', '')})]"
    return f"[{words['baselined']}]" if finding.baselined else ""


def accepted_counts(report: AuditReport) -> dict[str, int]:
    """Waived and baselined findings of the run, and the baseline entries no longer found."""
    findings = [f for d in report.documents for f in d.findings]
    return {"waived": sum(1 for f in findings if f.waiver is not None),
            "baselined": sum(1 for f in findings if f.baselined and f.waiver is None),
            "fixed": int(getattr(report, "baseline_fixed", 0) or 0)}


def accepted_summary(report: AuditReport, lang: str) -> str:
    """One line with the counts, empty when nothing was waived or baselined."""
    counts = accepted_counts(report)
    return ACCEPTED[lang]["summary"].format(**counts) if any(counts.values()) else ""


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
