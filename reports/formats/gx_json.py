"""`--format gx-json`: Great Expectations' own validation results, per document.

Each document lists the ExpectationSuiteValidationResult JSON of every identity-frame suite GX ran
(`check --engine gx` keeps them in the document's cache). A document checked natively is
validated through GX here, with the rules its check ran, so the output never depends on the engine.
"""

from __future__ import annotations

import json

from budget_audit.reports.report import AuditReport, DocumentResult


def _results(doc: DocumentResult) -> list:
    document = doc.document
    if document is None:
        return []
    if "gx_results" not in document.cache:
        from budget_audit.gx.engine import run
        from budget_audit.rules.ruleset import load_ruleset

        ran = {c.rule for c in doc.checks}
        run(document, [r for r in load_ruleset(doc.profile) if r.code in ran])
    return document.cache["gx_results"].json()


def _document(doc: DocumentResult, lang: str) -> dict:
    if doc.status == "error":
        return {"path": doc.path, "status": "error", "error": doc.error_text(lang)}
    try:
        results = _results(doc)
    except Exception as exc:  # noqa: BLE001 - one document's failure keeps the others
        return {"path": doc.path, "status": "error", "error": f"{doc.path}: GX: {type(exc).__name__}: {exc}"}
    return {"path": doc.path, "status": doc.status, "profile": doc.profile,
            "success": all(r.get("success") for r in results), "validation_results": results}


def render(report: AuditReport, lang: str = "zh") -> str:
    """One JSON object: the GX version and, per document, GX's validation results."""
    from budget_audit.gx.context import gx

    data = {"format": "budget-audit gx-json", "great_expectations_version": gx().__version__,
            "documents": [_document(doc, lang) for doc in report.documents]}
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
