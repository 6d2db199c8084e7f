"""Markdown for a merge-request comment: an overview table, then per document a summary table
and its findings. Document text is escaped so it can neither break a table nor become markup."""

from __future__ import annotations

from budget_audit.reports.formats.causes import RELATED, cause_text, groups, marker, relation_lines
from budget_audit.reports.formats.ci import display_name, text
from budget_audit.reports.formats.places import anchor_cell, failure_text, guarded, load_error, place_label
from budget_audit.reports.report import AuditReport, DocumentResult

SPECIALS = set("\\`*_[]<>|~&$")
ICONS = {"pass": "✅", "fail": "❌", "error": "⛔", "warning": "⚠️", "info": "ℹ️"}
WORDS = {
    "zh": {"title": "预算公开审核结果", "document": "文件", "status": "结论", "error": "错误", "warning": "警告",
           "info": "提示", "checks": "检查", "failed": "未通过", "template": "模板", "profile": "规则集",
           "unit": "单位", "line": "行", "none": "未发现问题。", "pass": "通过", "fail": "未通过",
           "unreadable": "无法读取", "colon": "：", "notes": "{n} 条提示"},
    "en": {"title": "Budget disclosure audit", "document": "Document", "status": "Result", "error": "error",
           "warning": "warning", "info": "note", "checks": "Checks", "failed": "Failed", "template": "Template",
           "profile": "Rule set", "unit": "Unit", "line": "line", "none": "No problems found.", "pass": "pass",
           "fail": "fail", "unreadable": "unreadable", "colon": ": ", "notes": "{n} notes"},
}


def escape(value: object) -> str:
    """Inline Markdown text: backslash before every character that could start markup or end a
    table cell; line breaks become spaces."""
    plain = " ".join(str(value).split())
    return "".join("\\" + ch if ch in SPECIALS else ch for ch in plain)


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _status(doc: DocumentResult, words: dict[str, str]) -> str:
    if doc.status == "error":
        return f"{ICONS['error']} {words['unreadable']}"
    return f"{ICONS[doc.status]} {words[doc.status]}"


def render(report: AuditReport, lang: str = "zh") -> str:
    """The whole comment."""
    w = WORDS[lang]
    getattr(report, "settle", lambda: None)()  # waivers may have been applied after the check
    out = [f"## {w['title']}", "",
           _row(w["document"], w["status"], w["error"], w["warning"], w["info"], w["checks"], w["failed"]),
           _row("---", "---", "---:", "---:", "---:", "---:", "---:")]
    for doc in report.documents:
        out.append(_row(escape(doc.path), _status(doc, w), doc.count("error"), doc.count("warning"),
                        doc.count("info"), doc.checks_run, doc.checks_failed))
    related = relation_lines(report, lang)
    if related:
        out += ["", f"**{RELATED[lang]}**", "", *(f"- {escape(line)}" for line in related)]
    for doc in report.documents:
        out += ["", *guarded(lambda d: _document(d, w, lang), doc,
                             lambda d, exc: [f"### {ICONS['error']} {escape(d.path)}", "", escape(failure_text(exc, lang))])]
    return "\n".join(out) + "\n"


def _document(doc: DocumentResult, w: dict[str, str], lang: str) -> list[str]:
    out = [f"### {_status(doc, w)} {escape(doc.path)}", ""]
    if doc.status == "error":
        return out + [escape(load_error(doc, lang))]
    out += [_row(w["template"], w["profile"], w["unit"], w["checks"], w["failed"], w["error"], w["warning"], w["info"]),
            _row("---", "---", "---", "---:", "---:", "---:", "---:", "---:"),
            _row(escape(doc.template or "—"), escape(doc.profile or "—"), escape(doc.unit or "—"), doc.checks_run,
                 doc.checks_failed, doc.count("error"), doc.count("warning"), doc.count("info")), ""]
    if not doc.findings:
        return out + [w["none"]]
    tables = {t.id: t for t in doc.tables}
    rest: list = []
    for cause, explained in groups(doc):  # the likely causes first, each over the findings it explains
        if cause is None:
            rest = explained
            continue
        out += [f"**{escape(cause_text(cause, len(explained), tables, lang))}**", "",
                *(f"  {_item(f, tables, w, lang)}" for f in explained), ""]
    notes = [_item(f, tables, w, lang) for f in rest if f.severity == "info"]
    out += [_item(f, tables, w, lang) for f in rest if f.severity != "info"]
    if notes:  # notes fold away: they need no action
        out += ["", f"<details><summary>{w['notes'].format(n=len(notes))}</summary>", "", *notes, "", "</details>"]
    return out


def _item(f, tables: dict, w: dict[str, str], lang: str) -> str:
    cell = anchor_cell(f)
    name = display_name(f.table or "", tables.get(f.table or ""), lang) if f.table else ""
    spot = place_label(cell.source, lang) if cell is not None else ""
    where = " · ".join(part for part in (escape(name), escape(spot)) if part)
    waived = marker(f, lang)
    label = f"~~{w[f.severity]}~~ {escape(waived)}" if waived else f"**{w[f.severity]}**"
    return f"- {ICONS[f.severity]} {label} `{f.rule}` {where}{w['colon']}{escape(text(f.message, lang))}"
