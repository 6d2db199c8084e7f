"""Files -> loaded documents -> rule outcomes -> one AuditReport. Bad input never stops a batch."""

from __future__ import annotations

from typing import Callable, Iterable

from budget_audit.loaders import load
from budget_audit.loaders.model import Document, LoadError
from budget_audit.reports.report import AuditReport, CheckRecord, DocumentResult, TableSummary
from budget_audit.rules import engine
from budget_audit.rules.findings import SEVERITY_RANK
from budget_audit.rules.ruleset import RuleSetError, load_ruleset, profile_for


def discover(paths: Iterable[str]) -> list[str]:
    """The documents to check, each once (loaders/discover.py: folders, two-file publications,
    duplicates, links that loop or dangle kept so that they are named)."""
    from budget_audit.loaders.discover import discover as discover_documents

    return discover_documents(paths)


def summarize(document: Document) -> list[TableSummary]:
    """What was read, table by table."""
    return [TableSummary(t.id, t.title, t.label, t.rows, t.unit, t.source.line)
            for t in document.tables.values()]


def check_document(path: str, profile: str | None = None, ruleset: str | None = None,
                   select: Iterable[str] = (), ignore: Iterable[str] = (), fail_on: str = "error",
                   engine_name: str = "native", use_cache: bool | None = None) -> DocumentResult:
    """Load and check one file; a load failure becomes a result with status 'error'. `use_cache`:
    False reads a PDF afresh (None: the environment decides, loaders.load)."""
    try:
        document = load(path, use_cache=use_cache)
    except LoadError as exc:
        return DocumentResult(path=path, status="error", load_error=str(exc), load_error_line=exc.line,
                              load_reason=exc.reason)
    except Exception as exc:  # a loader bug must not stop the batch; say so plainly
        reason = f"could not be read ({type(exc).__name__}: {exc}); please report this"
        return DocumentResult(path=path, status="error", load_error=f"{path}: {reason}", load_reason=reason)
    try:
        return check_loaded(document, profile, ruleset, select, ignore, fail_on, engine_name)
    except RuleSetError:
        raise
    except Exception as exc:  # the engine guards each rule; this is the last net for the batch
        reason = f"could not be checked ({type(exc).__name__}: {exc}); please report this"
        return DocumentResult(path=path, status="error", load_error=f"{path}: {reason}", load_reason=reason)


def check_loaded(document: Document, profile: str | None = None, ruleset: str | None = None,
                 select: Iterable[str] = (), ignore: Iterable[str] = (), fail_on: str = "error",
                 engine_name: str = "native") -> DocumentResult:
    """Run the rules on a loaded document (natively, or through Great Expectations with
    engine_name "gx"); it fails when a finding reaches `fail_on`."""
    path = document.path
    chosen = ruleset or profile or profile_for(document.template)
    rules = engine.selected(load_ruleset(chosen), select, ignore)
    if engine_name == "gx":
        from budget_audit.gx.engine import run as run_gx

        outcome = run_gx(document, rules)
    else:
        outcome = engine.run(document, rules)
    engines = getattr(outcome, "engines", {})  # only the GX engine says which engine ran a rule
    checks = [CheckRecord(r.code, r.family, r.title, r.severity, failed, engine=engines.get(r.code))
              for r, failed in outcome.checked]
    checks += [CheckRecord(r.code, r.family, r.title, r.severity, False, skipped=why) for r, why in outcome.skipped]
    failing = any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on] for f in outcome.findings)
    return DocumentResult(path=path, status="fail" if failing else "pass", template=document.template,
                          profile=chosen, unit=document.unit, tables=summarize(document),
                          findings=outcome.findings, checks=checks, claims=outcome.claims,
                          document=document, rules=rules)


def check_paths(paths: Iterable[str], profile: str | None = None, ruleset: str | None = None,
                select: Iterable[str] = (), ignore: Iterable[str] = (), fail_on: str = "error",
                progress: Callable[[str], None] | None = None, expand: bool = True,
                skip_other: bool = False, engine: str = "native", relate: str | None = None) -> AuditReport:
    """Check every document (folders expanded unless the caller did it); the report keeps the order.
    With `skip_other`, files that are no disclosure at all are set aside in `report.skipped`."""
    report = AuditReport(fail_on=fail_on)
    for path in (discover(paths) if expand else list(paths)):
        result = check_document(path, profile, ruleset, select, ignore, fail_on, engine)
        (report.documents if result.is_disclosure or not skip_other else report.skipped).append(result)
        if progress:
            progress(path)
    finish_batch(report, relate)
    return report


def finish_batch(report: AuditReport, relate: str | None = None) -> None:
    """Checks that need the whole batch (siblings: previous year, 部门 and 单位, 预算 and 决算), run
    once every document is in `report`; fleet.check calls it too, after its workers. `relate`
    names relations the names do not show ("A=B", see rules/siblings/detect.py), as does a
    siblings.yaml beside the documents."""
    from budget_audit.reports.batch import cross_document

    cross_document(report, relate)
