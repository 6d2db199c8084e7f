"""The JSON report: exactly the contract in shared/contract/report.schema.json."""

from __future__ import annotations

import json

from budget_audit.reports.formats.places import failure_text, guarded
from budget_audit.reports.report import AuditReport, DocumentResult


def render(report: AuditReport, lang: str = "zh") -> str:
    """Deterministic JSON (sorted keys, no floats) for the whole run; a document that cannot be
    written out appears as an unreadable one with the reason, and the others are kept."""
    getattr(report, "settle", lambda: None)()  # waivers may have been applied after the check
    try:
        data = report.to_dict(lang)
    except Exception:  # noqa: BLE001 - one document's failure; _guarded keeps the others
        data = _guarded(report, lang)
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _guarded(report: AuditReport, lang: str) -> dict:
    def fallback(doc: DocumentResult, exc: Exception) -> DocumentResult:
        return DocumentResult(path=doc.path, status="error", load_error=f"{doc.path}: {failure_text(exc, lang)}")

    kept = [guarded(lambda d: (d.to_dict(lang), d)[1], doc, fallback) for doc in report.documents]
    return AuditReport(documents=kept, fail_on=report.fail_on).to_dict(lang)
