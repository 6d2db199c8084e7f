"""GitHub Actions workflow commands: an annotation per finding on the document's line.

`::error file=samples/x.txt,line=95,title=SUM001 …::message`, one group per document. Values are
escaped as the Actions toolkit does: %, CR and LF in messages; also ':' and ',' in properties.
"""

from __future__ import annotations

from budget_audit.reports.formats.ci import accepted_note, accepted_summary, anchor_line, figures, is_active, text
from budget_audit.reports.formats.places import anchor_cell, failure_text, guarded, place
from budget_audit.reports.report import AuditReport, DocumentResult

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    """A command's message: % first, then CR and LF."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """A command property value: as data, plus ':' and ','."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    """One workflow command line; properties with value None are left out."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def render(report: AuditReport, lang: str = "zh") -> str:
    """Annotations for every finding and every unreadable document, grouped by document."""
    out = []
    for doc in report.documents:
        out.append(command("group", doc.path))
        out += guarded(lambda d: _annotations(d, lang), doc,
                       lambda d, exc: [command("error", failure_text(exc, lang), file=d.path)])
        out.append(command("endgroup", ""))
    summary = accepted_summary(report, lang)
    if summary:
        out.append(command("notice", summary, title="budget-audit"))
    return "\n".join(out) + "\n"


def _annotations(doc: DocumentResult, lang: str) -> list[str]:
    out = []
    if doc.status == "error":
        out.append(command("error", doc.load_error or doc.path, file=doc.path, line=doc.load_error_line))
    tables = {t.id: t for t in doc.tables}
    for f in doc.findings:
        if f.baselined and f.waiver is None:  # known before; counted in the closing notice
            continue
        amounts = figures(f, lang, tables)
        cell = anchor_cell(f)
        where = "" if cell is None or cell.source.line else place(cell.source, lang)
        message = (f"{where}: " if where else "") + text(f.message, lang) + (f"\n{amounts}" if amounts else "")
        if not is_active(f):  # a waived finding is shown with its reason, as a notice that fails nothing
            message = f"{accepted_note(f, lang)} {message}"
        out.append(command(COMMANDS[f.severity] if is_active(f) else "notice", message, file=doc.path, line=anchor_line(f),
                           title=f"{f.rule} {text(f.title, lang)}"))
    return out
