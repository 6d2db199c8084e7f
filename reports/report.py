"""One AuditReport object; every output format reads only from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from budget_audit import __version__
from budget_audit.rules.findings import SEVERITY_RANK, Finding

SCHEMA_VERSION = 1


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
    tables: list[TableSummary] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    checks: list[CheckRecord] = field(default_factory=list)
    claims: dict[str, int] = field(default_factory=dict)
    document: Any = None  # the loaded Document, for formats that show table excerpts

    @property
    def checks_run(self) -> int:
        """How many rules were evaluated."""
        return len(self.checks)

    @property
    def checks_failed(self) -> int:
        """How many rules produced at least one warning or error."""
        return sum(1 for c in self.checks if c.failed)

    def count(self, severity: str) -> int:
        """Findings of one severity."""
        return sum(1 for f in self.findings if f.severity == severity)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON contract's `document` object."""
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
            "claims": self.claims or None,
        }


@dataclass
class AuditReport:
    """All documents of one run."""

    documents: list[DocumentResult] = field(default_factory=list)
    fail_on: str = "error"

    @property
    def errors(self) -> int:
        """Error findings over all documents."""
        return sum(d.count("error") for d in self.documents)

    @property
    def warnings(self) -> int:
        """Warning findings over all documents."""
        return sum(d.count("warning") for d in self.documents)

    def is_failing(self) -> bool:
        """True when any finding is at or above the fail-on severity."""
        floor = SEVERITY_RANK[self.fail_on]
        return any(SEVERITY_RANK[f.severity] >= floor for d in self.documents for f in d.findings)

    def exit_code(self) -> int:
        """0 clean, 1 findings at or above fail-on, 2 when an input could not be read."""
        if not self.documents or any(d.status == "error" for d in self.documents):
            return 2
        return 1 if self.is_failing() else 0

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON report (contract: shared/contract/report.schema.json)."""
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
            },
        }
