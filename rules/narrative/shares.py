"""Shares: "占总支出预算的24.47%" = part ÷ the named whole; "其中：A万元，占Z%；B万元，占W%" = each
part ÷ the total the list itemises. Rounded half-up at the printed decimals; a list whose printed
shares add up to exactly 100 while a share misses its recomputed value was forced to 100 (an
error even where the printed value looks like a truncation)."""

from __future__ import annotations

from typing import Iterator

from budget_audit.rules.compare import FAIL
from budget_audit.rules.narrative.verdicts import (POINTS, TRUNCATED, Context, Value, Verdict, money,
                                                   percent_outcome, subject_names, verdict)
from budget_audit.rules.ruleset import Rule

MESSAGE = {"zh": "第{line}行：{subject}占{whole}的比例应为 {computed}%（{part} ÷ {total}，四舍五入），说明写作 {stated}%{forced}",
           "en": "Line {line}: {subject} is {computed}% of {whole} ({part} ÷ {total}, rounded half-up), but the text says {stated}%{forced}"}
FORCED = {"zh": "（所列各项占比合计被凑成100%）", "en": " (the listed shares were forced to add up to 100%)"}
LISTED = {"zh": "所列总数", "en": "the listed total"}


def _stated(ctx: Context, claim_id: int | None) -> Value | None:
    """The value of the amount claim with this id ("其中：A万元，占Z%": A, and the total listed)."""
    if claim_id is None:
        return None
    claim = ctx.claims[claim_id]
    return Value(claim.fen, claim.ulp, (claim,))


def _summed(ctx: Context, rule: Rule, claim) -> Value | None:
    """A whole the text does not state, as the sum of its stated parts (params.compositions:
    "因公出国（境）费222.5万元，占“三公”经费的8.75%；…": 三公经费 = the three items stated)."""
    for spec in rule.params.get("compositions") or []:
        totals = spec["total"] if isinstance(spec["total"], list) else [spec["total"]]
        if claim.whole in totals:
            parts = [ctx.stated(p, claim.year) for p in spec["parts"]]
            if None not in parts:
                return Value(sum(p.fen for p in parts), sum(p.ulp for p in parts), tuple(parts))
    return None


def _forced(ctx: Context, claim) -> bool:
    """The shares listed with this one (same total) add up to exactly 100."""
    if claim.anchor is None:
        return False
    listed = [c.value for c in ctx.claims if c.kind == "share" and c.anchor == claim.anchor]
    return len(listed) > 1 and sum(listed) == 100


def _shown(value: Value) -> str:
    unit = next((c.unit for c in value.claims if c.unit), "元")
    return f"{money(value.fen, unit)} {unit}"


def share(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """占…的 x% = part ÷ whole × 100, rounded half-up at the printed decimals."""
    for claim in (c for c in ctx.claims if c.kind == "share"):
        part = _stated(ctx, claim.part) or ctx.value(claim.subject, claim.year, near=claim)
        whole = _stated(ctx, claim.anchor)
        if claim.whole is not None:
            whole = ctx.value(claim.whole, claim.year, near=claim) or _summed(ctx, rule, claim)
        if not (part and whole and whole.fen != 0):
            continue
        outcome, computed = percent_outcome(part, whole, claim.value, claim.decimals)
        forced = outcome in (FAIL, TRUNCATED) and _forced(ctx, claim)
        if forced:
            outcome = FAIL
        if claim.whole is not None:
            named = subject_names(claim.whole)
        else:
            anchor = ctx.claims[claim.anchor]
            named = subject_names(anchor.subject) if anchor.subject else LISTED
        context = {"line": claim.line, "subject": subject_names(claim.subject), "year": claim.year,
                   "whole": named, "computed": computed, "stated": claim.value, "unit": POINTS,
                   "difference": claim.value - computed, "part": _shown(part), "total": _shown(whole),
                   "forced": FORCED if forced else ""}
        yield verdict(rule, outcome, (claim, *part.claims, *whole.claims), MESSAGE, context,
                      part.cells + whole.cells)
