"""run(document, rules) -> findings and the record of every check; never stops early."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable

from budget_audit.loaders.model import Document, gc_paused
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


class SelectionError(Exception):
    """--select / --ignore name no rule, or leave none to run."""


def _matches(rule: Rule, patterns: tuple[str, ...]) -> bool:
    """Code prefix or family, case-insensitively (`sum`, `STR00`, `xt003`)."""
    return rule.code.upper().startswith(patterns) or rule.family.upper() in patterns


def selected(rules: Iterable[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """Rules whose code starts with a selected prefix (or is of a selected family) and with no ignored one."""
    select, ignore = tuple(p.upper() for p in select), tuple(p.upper() for p in ignore)
    return [r for r in rules
            if (not select or _matches(r, select)) and not (ignore and _matches(r, ignore))]


def check_selection(rules: Iterable[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> None:
    """SelectionError when a --select/--ignore entry matches no rule, or nothing is left to run:
    a typo must never turn into a run of zero checks that reports PASS."""
    rules = list(rules)
    for option, patterns in (("--select", select), ("--ignore", ignore)):
        for pattern in patterns:
            if not any(_matches(r, (pattern.upper(),)) for r in rules):
                raise SelectionError(f"{option} {pattern}: matches no rule (codes such as SUM001 or families such as "
                                     f"{', '.join(sorted({r.family for r in rules})[:8])}; see `budget-audit rules`)")
    if rules and not selected(rules, select, ignore):
        raise SelectionError("--select/--ignore leave no rule to run")


def _crashed(rule: Rule, exc: Exception, step: str = "check") -> Finding:
    detail = f"{type(exc).__name__}: {exc}"
    return Finding(rule=rule.code, severity="warning", family=rule.family, title=rule.title,
                   message={"zh": f"规则 {rule.code} 未能执行（{detail}），其结论缺失；请报告此问题",
                            "en": f"Rule {rule.code} could not run ({detail}); its result is missing. Please report this."},
                   extra={"crashed": True, "step": step})


def run(document: Document, rules: Iterable[Rule]) -> Outcome:
    """Evaluate every rule; a rule whose tables the document lacks is skipped, not failed."""
    with gc_paused():  # a large document's cells are all alive: a full collection would scan them again
        return _run(document, rules)


def _run(document: Document, rules: Iterable[Rule]) -> Outcome:
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
    finish(document, outcome)
    return outcome


def finish(document: Document, outcome: Outcome) -> None:
    """What every engine does once its rules ran (the GX engine too): the claims statistics, the
    findings' order, and places (cells and messages) in the document's own terms."""
    for kind in dict.fromkeys(KINDS[rule.kind] for rule, _ in outcome.checked):
        if hasattr(kind, "stats"):  # a kind that reads claims says how many it could check
            ran = [r for r, _ in outcome.checked if KINDS[r.kind] is kind]
            try:
                outcome.claims.update(kind.stats(document, ran))
            except Exception as exc:  # statistics are a summary: their failure loses no finding
                outcome.findings.append(_crashed(ran[0], exc, "stats"))
    outcome.findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity], _first_line(f) or [0], f.rule))
    if document.places:  # position numbers -> pages and boxes, sheet!ref, … (in cells and messages)
        from budget_audit.rules.narrative.places import located

        for finding in outcome.findings:
            finding.cells = [replace(c, source=document.where(c.source)) for c in finding.cells]
            finding.message = located(finding.message, document)
    formulas = (document.meta or {}).get("formulas") or {}
    if formulas:  # a workbook: say which checked figures a formula computed (their cached values were read)
        for finding in outcome.findings:
            _note_formulas(finding, formulas)


def _first_line(finding: Finding) -> list[int]:
    """finding.first_line, without a sorted set per finding for a plain list of cells."""
    cells = finding.cells
    if type(cells) is not list:
        return finding.first_line
    if len(cells) == 1:
        line = cells[0].source.line
        return [line] if line else []
    lines = [line for c in cells if (line := c.source.line)]
    return [min(lines)] if lines else []


def _note_formulas(finding: Finding, formulas: dict[str, str]) -> None:
    read = {key: formulas[key] for c in finding.cells
            if (key := f"{c.source.sheet}!{c.source.ref}") in formulas}
    if not read:
        return
    finding.extra["formulas"] = read
    zh = "、".join(f"{k}（{v}）" for k, v in read.items())
    en = ", ".join(f"{k} ({v})" for k, v in read.items())
    finding.message = {**finding.message, "zh": f"{finding.message.get('zh', '')}；公式单元格（读取的是其保存的计算结果）：{zh}",
                       "en": f"{finding.message.get('en', '')}; formula cells (their saved results were read): {en}"}
