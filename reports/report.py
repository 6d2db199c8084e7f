"""One AuditReport object; every output format reads only from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from budget_audit import __version__
from budget_audit.reports.report_text import COUNT_WORDS, NOT_A_DISCLOSURE, REASONS_ZH, plural, translate_reason
from budget_audit.rules.findings import SEVERITY_RANK, Finding

SCHEMA_VERSION = 1
__all__ = ["COUNT_WORDS", "NOT_A_DISCLOSURE", "REASONS_ZH", "SCHEMA_VERSION", "AuditReport", "CheckRecord",
           "DocumentResult", "TableSummary", "is_active", "plural", "translate_reason"]


def is_active(finding: Finding) -> bool:
    """A finding that counts: not waived, not in the baseline."""
    return not finding.waiver and not finding.baselined


@dataclass
class TableSummary:
    """What was read of one standard table (for the report's `tables` list)."""

    id: str
    title: str
    label: str | None
    rows: int
    unit: str | None
    line: int | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract's `table` object."""
        out: dict[str, Any] = {"id": self.id, "title": self.title, "label": self.label,
                               "rows": self.rows, "unit": self.unit}
        if self.line:
            out["source"] = {"line": self.line}
        return out


@dataclass
class CheckRecord:
    """One rule evaluated on one document (for coverage views and JUnit)."""

    rule: str
    family: str
    title: dict[str, str]
    severity: str
    failed: bool
    tables: tuple[str, ...] = ()
    skipped: str | None = None  # why the rule did not run on this document (NotApplicable)
    engine: str | None = None  # "gx" | "native" when the check ran with --engine gx


@dataclass
class DocumentResult:
    """The outcome for one input file."""

    path: str
    status: str  # pass | fail | error
    template: str | None = None
    profile: str | None = None
    unit: str | None = None
    load_error: str | None = None
    load_error_line: int | None = None
    load_reason: str | None = None  # the reason alone (load_error is "path[:line]: reason")
    tables: list[TableSummary] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    checks: list[CheckRecord] = field(default_factory=list)
    claims: dict[str, int] = field(default_factory=dict)
    document: Any = None  # the loaded Document, for formats that show table excerpts
    rules: list[Any] = field(default_factory=list, repr=False)  # the rules run (for the likely causes)
    fail_on: str | None = None  # a per-path override's fail-on (reports/adoption); None: the run's
    _causes: list[Any] | None = field(default=None, repr=False)

    @property
    def causes(self) -> list[Any]:
        """The cells most likely wrong (rules.root_cause.Cause, likeliest first), computed on first
        use so that a check nobody reads pays nothing; a failure there loses no finding."""
        if self._causes is None:
            self._causes = []
            if self.document is not None and self.rules and self.findings:
                from budget_audit.rules import root_cause

                try:
                    self._causes = root_cause.find(self.document, self.rules, self.findings)
                except Exception:  # noqa: BLE001 - a summary of the findings, never a reason to lose them
                    self._causes = []
        return self._causes

    @property
    def checks_run(self) -> int:
        """How many rules were evaluated (skipped ones are listed in `checks` but did not run)."""
        return sum(1 for c in self.checks if c.skipped is None)

    @property
    def checks_failed(self) -> int:
        """How many rules produced at least one warning or error."""
        return sum(1 for c in self.checks if c.failed)

    @property
    def checks_skipped(self) -> list[CheckRecord]:
        """The rules that did not apply to this document, each with its reason."""
        return [c for c in self.checks if c.skipped is not None]

    def _engines(self) -> dict:
        """With --engine gx: which rules GX ran and which ran natively (GX cannot express them)."""
        engines: dict[str, list[str]] = {}
        for check in self.checks:
            if check.engine and check.skipped is None:
                engines.setdefault(check.engine, []).append(check.rule)
        return {"checks_by_engine": engines} if engines else {}

    @property
    def is_disclosure(self) -> bool:
        """False when the file could not be read because it is no disclosure at all."""
        return not (self.status == "error" and self.load_reason
                    and self.load_reason.startswith(NOT_A_DISCLOSURE))

    def error_text(self, lang: str = "zh") -> str:
        """The load error in the UI language: 'path[:line]: reason', the path said once."""
        if not self.load_reason:
            return self.load_error or ""
        where = f"{self.path}:{self.load_error_line}" if self.load_error_line else self.path
        return f"{where}: {translate_reason(self.load_reason, lang)}"

    def count(self, severity: str) -> int:
        """Findings of one severity that still count (neither waived nor in the baseline)."""
        return sum(1 for f in self.findings if f.severity == severity and is_active(f))

    @property
    def waived(self) -> int:
        """Findings a reviewed waiver covers."""
        return sum(1 for f in self.findings if f.waiver)

    @property
    def baselined(self) -> int:
        """Findings recorded in the baseline (and not waived)."""
        return sum(1 for f in self.findings if f.baselined and not f.waiver)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON contract's `document` object (no cyclic garbage collection meanwhile: a large
        document's cells are all alive, and 400,000 findings' dicts would have it scan them again)."""
        from budget_audit.loaders.model import gc_paused

        with gc_paused():
            return self._to_dict(lang)

    def _to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "load_error": self.load_error,
            "template": self.template,
            "profile": self.profile,
            "unit": self.unit,
            "tables": [t.to_dict() for t in self.tables],
            "findings": [f.to_dict(lang) for f in self.findings],
            "checks_run": self.checks_run,
            "checks_failed": self.checks_failed,
            "checks_skipped": [{"rule": c.rule, "reason": c.skipped} for c in self.checks_skipped],
            **self._engines(),
            "claims": self.claims or None,
            "causes": [c.to_dict(self.findings, lang) for c in self.causes],
        }


def failing(doc: DocumentResult, fail_on: str) -> bool:
    """A finding that still counts at or above the document's fail-on (its override's, else `fail_on`)."""
    floor = SEVERITY_RANK[doc.fail_on or fail_on]
    return any(SEVERITY_RANK[f.severity] >= floor and is_active(f) for f in doc.findings)


@dataclass
class AuditReport:
    """All documents of one run."""

    documents: list[DocumentResult] = field(default_factory=list)
    fail_on: str = "error"
    skipped: list[DocumentResult] = field(default_factory=list)  # files that are no disclosure (--skip-other)
    siblings: list[Any] = field(default_factory=list)  # rules.siblings.Relation: which documents were compared
    baseline_fixed: int = 0  # baseline entries no longer found (set by reports/adoption)
    batch_errors: list[str] = field(default_factory=list)  # a --relate / siblings.yaml that cannot be read

    def count(self, severity: str) -> int:
        """Findings of one severity that still count, over all documents."""
        return sum(d.count(severity) for d in self.documents)

    @property
    def errors(self) -> int:
        """Error findings over all documents."""
        return self.count("error")

    @property
    def warnings(self) -> int:
        """Warning findings over all documents."""
        return self.count("warning")

    @property
    def infos(self) -> int:
        """Info findings (notes) over all documents."""
        return self.count("info")

    @property
    def unreadable(self) -> int:
        """Documents that could not be read."""
        return sum(1 for d in self.documents if d.status == "error")

    def settle(self) -> None:
        """Each readable document's status from the findings that still count: a document whose
        every error is waived or in the baseline passes (waivers are applied after the check)."""
        for doc in self.documents:
            if doc.status != "error":
                doc.status = "fail" if failing(doc, self.fail_on) else "pass"

    def is_failing(self) -> bool:
        """True when any finding is at or above its document's fail-on severity."""
        return any(failing(d, self.fail_on) for d in self.documents)

    def exit_code(self) -> int:
        """0 clean, 1 findings at or above fail-on (waived and baselined ones aside), 2 when an input
        could not be read or the batch step failed (a --relate / siblings.yaml that cannot be read)."""
        if any(d.status == "error" for d in self.documents) or not (self.documents or self.skipped) or self.batch_errors:
            return 2
        return 1 if self.is_failing() else 0

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON report (contract: tests/data/report.schema.json)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "budget-audit", "version": __version__},
            "documents": [d.to_dict(lang) for d in self.documents],
            "summary": {
                "documents": len(self.documents),
                "errors": self.errors,
                "warnings": self.warnings,
                "checks_run": sum(d.checks_run for d in self.documents),
                "checks_failed": sum(d.checks_failed for d in self.documents),
                "infos": self.infos,
                "unreadable": self.unreadable,
                "checks_skipped": sum(len(d.checks_skipped) for d in self.documents),
                "not_disclosures": len(self.skipped),
                "waived": sum(d.waived for d in self.documents),
                "baselined": sum(d.baselined for d in self.documents),
                "baseline_fixed": self.baseline_fixed,
            },
            "not_disclosures": [{"path": d.path, "reason": d.load_reason or d.load_error} for d in self.skipped],
            "siblings": [r.to_dict() for r in self.siblings],
            "batch_errors": list(self.batch_errors),
        }
