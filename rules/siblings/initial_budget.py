"""The 决算's 年初预算 against the same body's same-year 预算 document (check initial-budget of the
cross-document kind; see cross_document.py for What / Why / Example).

A 决算 states three figures of one subject: 年初预算, 全年预算 (after the year's adjustments) and
决算. Only the 年初预算 is the 预算 document's own figure; the 全年预算 may legitimately differ, so
it is never compared. The Shanghai final tables print 决算数 (and in 表九 a 预算数 that is the
全年 figure), so the 年初预算 figures are the ones the 说明 states ("年初预算为0万元").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from budget_audit.loaders.model import Document
from budget_audit.rules.compare import FAIL, compare
from budget_audit.rules.findings import Finding
from budget_audit.rules.kinds import NotApplicable
from budget_audit.rules.ruleset import Rule

INITIAL = "年初预算"
BUDGET_ROLES = (None, "预算安排", INITIAL)  # what a 预算 document states as its own year's figure
MESSAGE = {
    "zh": "决算称{year}年{subject}年初预算为 {actual} {unit}，而{year}年的预算文件（{sibling}）为 {expected} {unit}，相差 {difference} {unit}",
    "en": "The final accounts put the initial budget of {subject} for {year} at {actual} {unit}, but the {year} budget "
          "({sibling}) says {expected} {unit}; difference {difference} {unit}"}


def _budget_figures(ctx, subject: str, year: int) -> list:
    """What the 预算 document says of the subject: each figure its 说明 states for the year, and its
    table figure; the 决算 agrees when any of them does (as for previous-year)."""
    from budget_audit.rules.narrative import figures
    from budget_audit.rules.narrative.verdicts import Value

    values = [Value(c.fen, c.ulp, (c,)) for c in ctx.claims
              if c.kind == "amount" and c.subject == subject and c.year == year and c.role in BUDGET_ROLES]
    figure = ctx.figure(subject, year)
    if isinstance(figure, figures.Figure):
        values.append(Value(figure.value, figure.ulp, (), tuple(figure.cells)))
    return values


def initial_budget(final: Document, budget: Document, rule: Rule, figures: Any = None,
                   budget_figures: Any = None) -> Iterator[Finding]:
    """Each 年初预算 the final's 说明 states = the budget's figure of that subject, at printed precision."""
    from budget_audit.rules.kinds.base import render
    from budget_audit.rules.narrative.verdicts import Context, claim_cell, money, subject_names
    from budget_audit.rules.siblings.cross_document import _context, placed

    try:
        this = _context(final, figures)
    except NotApplicable:
        return
    # the budget's own subject -> table map first, then the rule's (subjects only a 决算 names)
    maps = [m for m in (*(budget_figures if isinstance(budget_figures, list) else [budget_figures]),
                        rule.params.get("figures")) if m]
    try:
        other = _context(budget, maps)
    except NotApplicable:  # a budget without a 说明 still has its tables
        other = Context(budget, (), maps)
    year = this.year
    if year is None or other.year != year:
        return
    for claim in this.claims:
        if claim.kind != "amount" or claim.role != INITIAL or claim.subject is None or claim.year != year:
            continue
        owns = _budget_figures(other, claim.subject, year)
        if not owns or any(compare(o.fen, o.ulp, claim.fen, claim.ulp).verdict != FAIL for o in owns):
            continue
        own = owns[0]
        unit = claim.unit if claim.unit in ("元", "万元", "亿元") else "万元"
        context = {"year": year, "subject": subject_names(claim.subject), "unit": unit, "sibling": Path(budget.path).name,
                   "actual": money(claim.fen, unit), "expected": money(own.fen, unit),
                   "difference": money(claim.fen - own.fen, unit)}
        cells = [placed(final, claim_cell(claim))]
        cells += [placed(budget, claim_cell(c)) for c in own.claims] + [placed(budget, c) for c in own.cells]
        yield Finding(rule=rule.code, severity=rule.severity, message=render(rule.message or MESSAGE, context),
                      table="narrative", expected=own.fen, actual=claim.fen, unit=unit, cells=cells,
                      family=rule.family, title=rule.title, extra={"sibling": budget.path, "relation": "budget_final"})
