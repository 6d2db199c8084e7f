"""The 决算 narrative: "全年预算为52.00万元，支出决算为51.32万元，完成全年预算数的98.69%。决算数小于全年
预算数的主要原因…". Each figure is read with its role (年初预算, 全年预算, 决算) from the words before it;
a completion rate or a 大于/小于/持平 word is checked against the figures of its own paragraph."""

from __future__ import annotations

from typing import Iterator

from budget_audit.rules.compare import FAIL, PASS
from budget_audit.rules.narrative.claims import Claim
from budget_audit.rules.narrative.verdicts import (POINTS, Context, Value, Verdict, money, percent_outcome,
                                                   subject_names, verdict)
from budget_audit.rules.ruleset import Rule

MESSAGES = {
    "completion": {"zh": "第{line}行：完成{whole}的比例应为 {computed}%（决算 {actual} 万元 ÷ {whole} {budget} 万元，四舍五入），说明写作 {stated}%",
                   "en": "Line {line}: the completion of the {whole_en} is {computed}% ({actual} ÷ {budget} 万元, rounded half-up), but the text says {stated}%"},
    "completion-zero": {"zh": "第{line}行：{whole}为零，不能计算完成比例，说明却写作 {stated}%",
                        "en": "Line {line}: the {whole_en} is zero, so no completion rate exists, but the text says {stated}%"},
    "versus": {"zh": "第{line}行：说明称“{text}”，但决算 {actual} 万元与{whole} {budget} 万元相比实为{real}",
               "en": "Line {line}: the text says '{text}', but the final account {actual} against the {whole_en} {budget} (万元) is {real_en}"},
}
WORDS = {1: ("大于", "larger"), -1: ("小于", "smaller"), 0: ("相等", "equal")}
ENGLISH = {"年初预算": "initial budget", "全年预算": "full-year budget"}


def _before(ctx: Context, claim: Claim, role: str) -> Claim | None:
    """The last amount of this role stated before the claim in its paragraph."""
    found = [c for c in ctx.claims[:claim.id] if c.kind == "amount" and c.role == role and c.passage == claim.passage]
    return found[-1] if found else None


def _figures(ctx: Context, claim: Claim) -> tuple[Claim, Claim, str] | None:
    """(决算, 预算, which 预算) for a completion or comparison claim."""
    actual = _before(ctx, claim, "决算")
    roles = [claim.whole] if claim.whole else ["全年预算", "年初预算"]
    for role in roles:
        budget = _before(ctx, claim, role)
        if actual and budget:
            return actual, budget, role
    return None


def _context(claim: Claim, actual: Claim, budget: Claim, whole: str) -> dict:
    return {"line": claim.line, "text": claim.text, "whole": whole, "whole_en": ENGLISH.get(whole, whole),
            "actual": money(actual.fen, "万元"), "budget": money(budget.fen, "万元"),
            "subject": subject_names(claim.subject)}


def _found(ctx: Context, kind: str):
    """(claim, 决算, 预算, which 预算, context) for each claim of this kind whose figures are stated."""
    for claim in (c for c in ctx.claims if c.kind == kind):
        found = _figures(ctx, claim)
        if found:
            yield (claim, *found, _context(claim, *found))


def completion(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """完成年初/全年预算的 x% = 决算 ÷ that 预算, rounded half-up; a zero 预算 has no rate (warning)."""
    for claim, actual, budget, whole, context in _found(ctx, "completion"):
        context = {**context, "stated": claim.value, "unit": POINTS}
        if budget.fen == 0:
            found_verdict = verdict(rule, FAIL, (claim, actual, budget), MESSAGES["completion-zero"], context)
            if found_verdict.finding is not None:
                found_verdict.finding.severity = "warning"
            yield found_verdict
            continue
        outcome, computed = percent_outcome(Value(actual.fen, actual.ulp), Value(budget.fen, budget.ulp),
                                            claim.value, claim.decimals)
        context.update(computed=computed, difference=claim.value - computed)
        yield verdict(rule, outcome, (claim, actual, budget), MESSAGES["completion"], context)


def versus(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """决算数大于/小于/等于（持平）预算数 agrees with the two figures (within their rounding)."""
    for claim, actual, budget, whole, context in _found(ctx, "versus"):
        change, slack2 = actual.fen - budget.fen, actual.ulp + budget.ulp
        real = 0 if change == 0 else (1 if change > 0 else -1)
        uncertain = 2 * abs(change) <= slack2   # the printed digits allow either order
        outcome = PASS if real == claim.direction or uncertain else FAIL
        context = {**context, "real": WORDS[real][0], "real_en": WORDS[real][1]}
        yield verdict(rule, outcome, (claim, actual, budget), MESSAGES["versus"], context)
