"""JSON Lines: one line per document, the JSON contract's `document` object (as the json format
builds it), then one line: the contract's top level without `documents` (summary, not_disclosures…).

`check --format jsonl` streams (unless a baseline is used): each line is written when its document
(and every one before it) is done, and no document is kept, so memory stays flat over any number
of documents.
"""

from __future__ import annotations

import json
from typing import Any

from budget_audit.reports.formats.places import failure_text, guarded
from budget_audit.reports.report import AuditReport, DocumentResult


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def document_line(doc: DocumentResult, lang: str = "zh") -> str:
    """One document's line; a document that cannot be written out becomes an unreadable one with
    the reason (as in the json format), the others are kept."""
    def fallback(item: DocumentResult, exc: Exception) -> dict:
        return DocumentResult(path=item.path, status="error",
                              load_error=f"{item.path}: {failure_text(exc, lang)}").to_dict(lang)

    return _dumps(guarded(lambda d: d.to_dict(lang), doc, fallback))


def summary_line(summary: dict, skipped: list[DocumentResult], lang: str = "zh") -> str:
    """The last line of a streamed run: the contract's top level without `documents`, as a report
    holding no document builds it (batch-level comparisons need documents kept: none are made),
    with the run's counters as its summary."""
    tail = AuditReport(skipped=skipped).to_dict(lang)
    tail.pop("documents")
    tail["summary"] = {**tail["summary"], **summary}
    return _dumps(tail)


def render(report, lang: str = "zh") -> str:
    """The whole run at once (a report kept in full, e.g. with a baseline): the same lines."""
    lines = [document_line(doc, lang) for doc in report.documents]
    tail = report.to_dict(lang)
    tail.pop("documents")
    return "".join(lines) + _dumps(tail)
