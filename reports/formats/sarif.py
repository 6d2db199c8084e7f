"""SARIF 2.1.0 for code-scanning views: one run, the evaluated rules as tool.driver.rules, a
result per finding at the document's path and the line of the figure that is wrong."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from budget_audit import __version__
from budget_audit.loaders.model import SourceLocation
from budget_audit.reports.formats.ci import SARIF_LEVELS, accepted_counts, rules, text
from budget_audit.reports.formats.places import anchor_cell, failure_text, guarded
from budget_audit.reports.report import AuditReport, DocumentResult
from budget_audit.rules.findings import fen_to_str

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
MAX_RELATED = 50  # a sum over a long table reads hundreds of cells; the first ones locate it


def render(report: AuditReport, lang: str = "zh") -> str:
    """The SARIF log of the whole run, as deterministic JSON."""
    evaluated = rules(report)
    index = {r.code: i for i, r in enumerate(evaluated)}
    driver = {
        "name": "budget-audit", "version": __version__, "semanticVersion": __version__,
        "rules": [{"id": r.code, "name": r.code,
                   "shortDescription": {"text": text(r.title, lang)},
                   "fullDescription": {"text": f"{r.title.get('zh', '')} / {r.title.get('en', '')}"},
                   "help": {"text": f"budget-audit explain {r.code}"},
                   "defaultConfiguration": {"level": SARIF_LEVELS[r.severity]},
                   "properties": {"family": r.family}} for r in evaluated],
    }
    run = {
        "tool": {"driver": driver},
        "artifacts": [{"location": artifact_location(d.path)} for d in report.documents],
        "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri() + "/"}},
        "results": [result for i, d in enumerate(report.documents) for result in _guarded_results(d, i, index, lang)],
        "invocations": [_invocation(report)],
        "columnKind": "unicodeCodePoints",
        "properties": {"budgetAudit": accepted_counts(report)},
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def artifact_location(path: str) -> dict[str, str]:
    """Where a document is: relative to the working directory (%SRCROOT%, as code-scanning
    services want) when it is inside it, else an absolute file: URI; non-ASCII percent-encoded."""
    pure = Path(path)
    if pure.is_absolute():
        try:
            pure = pure.relative_to(Path.cwd())
        except ValueError:
            return {"uri": "file://" + quote(pure.as_posix(), safe="/")}
    return {"uri": quote(pure.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def _location(doc_index: int, path: str, source: SourceLocation | None, ident: int | None = None) -> dict[str, Any]:
    """A physical location: the line of a text export as a region; a PDF page or a workbook cell
    has no line, so the location is region-less and names it in `properties` (page, bbox, sheet,
    ref). A cell of a two-file document points at its own file."""
    artifact: dict[str, Any] = {**artifact_location(path), "index": doc_index}
    if source is not None and source.file:
        own = Path(path) / source.file if not Path(source.file).is_absolute() and Path(path).is_dir() else Path(source.file)
        artifact = artifact_location(str(own))
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if source is not None and source.line:
        physical["region"] = {"startLine": source.line}
    location: dict[str, Any] = {"physicalLocation": physical}
    where = {k: v for k, v in source.to_dict().items() if k in ("page", "bbox", "sheet", "ref")} if source else {}
    if where:
        location["properties"] = where
    if ident is not None:
        location["id"] = ident
    return location


def _results(doc: DocumentResult, doc_index: int, index: dict[str, int], lang: str) -> list[dict[str, Any]]:
    out = []
    for f in doc.findings:
        anchor = anchor_cell(f)
        first = anchor.source if anchor is not None else None
        others = list(dict.fromkeys(c.source for c in f.cells if c.source != first and
                                    (c.source.line or c.source.page or c.source.ref)))[:MAX_RELATED]
        unit = f.unit or "元"
        properties = {"table": f.table, "family": f.family, "lines": f.lines,
                      **{k: fen_to_str(v, unit) for k, v in
                         (("expected", f.expected), ("actual", f.actual), ("difference", f.difference))
                         if v is not None}}
        if f.unit:
            properties["unit"] = f.unit
        result = {
            "ruleId": f.rule, "ruleIndex": index[f.rule], "level": SARIF_LEVELS[f.severity],
            "message": {"text": text(f.message, lang)},
            "locations": [_location(doc_index, doc.path, first)],
            "relatedLocations": [_location(doc_index, doc.path, s, i) for i, s in enumerate(others)],
            "partialFingerprints": {"budgetAudit/v1": _fingerprint(f)},
            "properties": properties,
        }
        suppressions = _suppressions(f)
        if suppressions:
            result["suppressions"] = suppressions
        out.append(result)
    return out


def _suppressions(finding) -> list[dict[str, Any]]:
    """A waived result is suppressed externally (the waiver file) with its reason; a baselined one
    too, justified by the baseline. Code hosts then show them as suppressed, not as alerts."""
    if finding.waiver is not None:
        w = finding.waiver
        return [{"kind": "external", "status": "accepted", "justification": str(w.get("reason", "")),
                 "properties": {"acceptedBy": w.get("accepted_by"), "expires": w.get("expires"),
                                "file": w.get("file"), "entry": w.get("entry")}}]
    if finding.baselined:
        return [{"kind": "external", "status": "accepted",
                 "justification": "recorded in the baseline (budget-audit check --baseline)"}]
    return []


def _guarded_results(doc: DocumentResult, doc_index: int, index: dict[str, int], lang: str) -> list[dict[str, Any]]:
    """The results of one document; a document the format cannot write becomes one notification-like
    error result naming why, and the other documents keep theirs."""
    def broken(item: DocumentResult, exc: Exception) -> list[dict[str, Any]]:
        return [{"ruleId": "report-error", "level": "error", "message": {"text": failure_text(exc, lang)},
                 "locations": [_location(doc_index, item.path, None)]}]

    return guarded(lambda d: _results(d, doc_index, index, lang), doc, broken)


def _fingerprint(finding) -> str:
    """Stable across runs while the finding stays: rule, table and the cells it names (not lines)."""
    cells = "|".join(f"{c.table}/{c.row}/{c.column}" for c in finding.cells)
    return hashlib.sha256(f"{finding.rule}|{finding.table}|{cells}".encode("utf-8")).hexdigest()[:32]


def _invocation(report: AuditReport) -> dict[str, Any]:
    """Whether every document could be read; unreadable ones as error notifications."""
    notes = [{"level": "error", "message": {"text": d.load_error or d.path},
              "locations": [_location(i, d.path, SourceLocation(line=d.load_error_line))]}
             for i, d in enumerate(report.documents) if d.status == "error"]
    return {"executionSuccessful": not notes, "toolExecutionNotifications": notes}
