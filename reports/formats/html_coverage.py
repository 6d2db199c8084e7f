"""The coverage table of the HTML report: every rule code of a document and what came of it.

The verdict of each code is derived from the findings that carry it, so the table can never
contradict them: a code with a warning or error is failed, one with only notes is noted, one
with none passed. A finding reported under another rule's code (a cross-table check reports a
unit-label error as STR004) makes that code a row of its own, naming the checks that reported
it. A rule that could not run is shown skipped, with its reason when the report has one.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from budget_audit.reports.formats.ci import text
from budget_audit.reports.report import DocumentResult
from budget_audit.rules.kinds.reasons import reason_text

STATES = ("failed", "noted", "passed", "skipped")


def _reason(check: Any, lang: str = "zh") -> str | None:
    """Why a rule did not run, in the report's language, when the report records it (CheckRecord.skipped)."""
    for name in ("reason", "skipped_reason", "skipped"):
        value = getattr(check, name, None)
        if isinstance(value, dict):
            value = value.get(lang) or value.get("zh") or value.get("en")
        if isinstance(value, str) and value:
            return reason_text(value, lang)
    return None


def _state(code: str, serious: Counter, notes: Counter, reason: str | None) -> str:
    if serious[code]:
        return "failed"
    if notes[code]:
        return "noted"
    return "skipped" if reason else "passed"


def coverage(doc: DocumentResult, lang: str, family_names: dict[str, dict[str, str]]) -> dict[str, Any]:
    """{groups: [{family, name, checks, passed}], counts: {state: n}, run: n}."""
    serious = Counter(f.rule for f in doc.findings if f.severity != "info")
    notes = Counter(f.rule for f in doc.findings if f.severity == "info")
    reporters: dict[str, set[str]] = {}
    for f in doc.findings:
        reporters.setdefault(f.rule, set()).add(str(f.extra.get("check", f.rule)))
    rows: dict[str, dict[str, Any]] = {}
    for check in doc.checks:
        reason = _reason(check, lang)
        rows.setdefault(check.rule, {
            "rule": check.rule, "family": check.family, "title": text(check.title, lang), "severity": check.severity,
            "state": _state(check.rule, serious, notes, reason), "reason": reason, "by": []})
    for f in doc.findings:  # codes no check of their own reported (emitted by another rule)
        if f.rule not in rows:
            rows[f.rule] = {"rule": f.rule, "family": f.family or f.rule.rstrip("0123456789"),
                            "title": text(f.title, lang) if f.title else f.rule, "severity": f.severity,
                            "state": _state(f.rule, serious, notes, None), "reason": None,
                            "by": sorted(reporters[f.rule] - {f.rule})}
    for row in rows.values():
        row["findings"] = serious[row["rule"]] + notes[row["rule"]]
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows.values(), key=lambda r: (r["family"], r["rule"])):
        groups.setdefault(row["family"], []).append(row)
    counts = Counter(row["state"] for row in rows.values())
    return {"groups": [{"family": family, "name": family_names.get(family, {}).get(lang, ""), "checks": checks,
                        "passed": sum(c["state"] == "passed" for c in checks)}
                       for family, checks in groups.items()],
            "counts": {s: counts[s] for s in STATES}, "run": sum(counts[s] for s in STATES if s != "skipped")}
