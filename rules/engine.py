"""run(document, rules) -> findings and the record of every check; never stops early."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable

from budget_audit.loaders.model import Document
from budget_audit.rules.findings import SEVERITY_RANK, Finding
from budget_audit.rules.kinds import KINDS, NotApplicable
from budget_audit.rules.ruleset import Rule


@dataclass
class Outcome:
    """What the rules found in one document."""

    findings: list[Finding] = field(default_factory=list)
    checked: list[tuple[Rule, bool]] = field(default_factory=list)  # (rule, failed)
    skipped: list[tuple[Rule, str]] = field(default_factory=list)   # (rule, reason)
    claims: dict[str, int] = field(default_factory=dict)


def selected(rules: Iterable[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """Rules whose code starts with a selected prefix and with no ignored prefix."""
    select, ignore = tuple(select), tuple(ignore)
    return [r for r in rules
            if (not select or r.code.startswith(select) or r.family in select)
            and not (ignore and (r.code.startswith(ignore) or r.family in ignore))]


def _crashed(rule: Rule, exc: Exception) -> Finding:
    detail = f"{type(exc).__name__}: {exc}"
    return Finding(rule=rule.code, severity="warning", family=rule.family, title=rule.title,
                   message={"zh": f"规则 {rule.code} 未能执行（{detail}），其结论缺失；请报告此问题",
                            "en": f"Rule {rule.code} could not run ({detail}); its result is missing. Please report this."},
                   extra={"crashed": True})


def run(document: Document, rules: Iterable[Rule]) -> Outcome:
    """Evaluate every rule; a rule whose tables the document lacks is skipped, not failed."""
    outcome = Outcome()
    for rule in rules:
        kind = KINDS[rule.kind]
        try:
            found = list(kind.check(document, rule))
        except NotApplicable as why:
            outcome.skipped.append((rule, str(why)))
            continue
        except Exception as exc:  # a bug in a check must not hide the other checks' findings
            found = [_crashed(rule, exc)]
        failed = any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warning"] for f in found)
        outcome.checked.append((rule, failed))
        for finding in found:
            finding.extra.setdefault("check", rule.code)  # the rule that ran (a finding may carry another code)
            finding.family = finding.family or rule.family
            finding.title = finding.title or rule.title
            outcome.findings.append(finding)
    for kind in dict.fromkeys(KINDS[rule.kind] for rule, _ in outcome.checked):
        if hasattr(kind, "stats"):  # a kind that reads claims says how many it could check
            outcome.claims.update(kind.stats(document, [r for r, _ in outcome.checked if KINDS[r.kind] is kind]))
    outcome.findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.lines[:1] or [0], f.rule))
    if document.places:  # position numbers -> pages and boxes, sheet!ref, …
        for finding in outcome.findings:
            finding.cells = [replace(c, source=document.where(c.source)) for c in finding.cells]
    return outcome
