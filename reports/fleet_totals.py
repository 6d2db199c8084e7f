"""The counters of a streamed run (--format jsonl): what AuditReport's summary and exit status
need, without keeping any document."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from budget_audit.reports.report import DocumentResult, failing

# the JSON contract's summary keys, in AuditReport.to_dict's order (a test compares the two)
KEYS = ("documents", "errors", "warnings", "checks_run", "checks_failed", "infos", "unreadable",
        "checks_skipped", "not_disclosures", "waived", "baselined", "baseline_fixed")


@dataclass
class Totals:
    """Summary counters over the documents seen so far."""

    fail_on: str = "error"
    counts: Counter = field(default_factory=Counter)
    failing: bool = False
    documents: tuple = ()  # nothing is kept
    skipped: tuple = ()

    def add(self, doc: DocumentResult, disclosure: bool = True) -> None:
        """Count one document (a file that is no disclosure only as such)."""
        if not disclosure:
            self.counts["not_disclosures"] += 1
            return
        self.counts.update(documents=1, errors=doc.count("error"), warnings=doc.count("warning"),
                           infos=doc.count("info"), unreadable=int(doc.status == "error"),
                           checks_run=doc.checks_run, checks_failed=doc.checks_failed,
                           checks_skipped=len(doc.checks_skipped), waived=doc.waived, baselined=doc.baselined)
        self.failing = self.failing or failing(doc, self.fail_on)

    def summary(self) -> dict[str, Any]:
        """The JSON contract's `summary` object (baseline_fixed stays 0: a run with a baseline is
        not streamed, see check_command)."""
        return {key: self.counts[key] for key in KEYS}

    def is_failing(self) -> bool:
        """True when any finding is at or above the fail-on severity."""
        return self.failing

    def exit_code(self) -> int:
        """As AuditReport.exit_code: 2 when a document is unreadable or there is none, 1 failing, else 0."""
        if self.counts["unreadable"] or not (self.counts["documents"] or self.counts["not_disclosures"]):
            return 2
        return 1 if self.failing else 0
