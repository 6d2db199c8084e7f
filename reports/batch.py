"""Batch-level checks on an AuditReport: the cross-document rules over the siblings found among its
documents (rules/siblings). Works from the DocumentResults alone (each holds its loaded Document),
so an in-order run, worker processes and a Dask cluster give the same report."""

from __future__ import annotations

from budget_audit.reports.report import AuditReport, CheckRecord, is_active
from budget_audit.rules.findings import SEVERITY_RANK


def cross_document(report: AuditReport, relate: str | None = None) -> None:
    """The batch's cross-document checks (see _cross_document); a failure of the tool itself is one
    batch error naming it, and every document keeps its own findings."""
    try:
        _cross_document(report, relate)
    except Exception as exc:  # noqa: BLE001 - never a traceback for the user, never a lost report
        report.batch_errors.append(f"cross-document checks could not run ({type(exc).__name__}: {exc}); "
                                   "please report this")


def _cross_document(report: AuditReport, relate: str | None) -> None:
    """Find the relations, run the cross-document rules, add their findings and checks to the
    documents they are about, and record the relations used in `report.siblings`. A --relate
    option or siblings.yaml that cannot be read is a batch error (exit status 2), said once."""
    from budget_audit.rules import siblings
    from budget_audit.rules.siblings.detect import RelateError, relations_from_folder, relations_from_option

    results = [d for d in report.documents if d.document is not None and d.status != "error"]
    if len(results) < 2:
        return
    try:
        pairs = relations_from_option(relate or "")
        basis = "option" if pairs else "siblings.yaml"
        named, complete = relations_from_folder([d.path for d in results])
    except RelateError as exc:
        report.batch_errors.append(str(exc))
        return
    batch = [(d.document, siblings.figures_map(d.rules)) for d in results]
    relations, found, ran = siblings.check_batch(batch, pairs + named, basis, complete)
    report.siblings = relations
    by_path = {d.path: d for d in results}
    floor = SEVERITY_RANK[report.fail_on]
    for path, rule in ran:
        result = by_path[path]
        mine = [f for f in found.get(path, []) if f.rule == rule.code and f not in result.findings]
        result.findings.extend(mine)
        failed = any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warning"] for f in found.get(path, [])
                     if f.rule == rule.code)
        result.checks.append(CheckRecord(rule.code, rule.family, rule.title, rule.severity, failed))
    for result in by_path.values():
        if any(SEVERITY_RANK[f.severity] >= floor and is_active(f) for f in result.findings):
            result.status = "fail"
