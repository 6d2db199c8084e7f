"""The JSON report: exactly the contract in shared/contract/report.schema.json."""

from __future__ import annotations

import json

from budget_audit.reports.report import AuditReport


def render(report: AuditReport, lang: str = "zh") -> str:
    """Deterministic JSON (sorted keys, no floats) for the whole run."""
    return json.dumps(report.to_dict(lang), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
