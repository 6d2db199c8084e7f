"""What a comparison compares with: the year before the budget year ("比2024年" in a 2025 budget,
never the budget year itself), the same kind of figure throughout (比2024年预算 or 比2024年预算执行数,
not both), and a last-year figure that can exist (0万元 "比上年增加1421.25万元" makes it negative)."""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from budget_audit.rules.compare import FAIL, PASS
from budget_audit.rules.narrative.subjects import is_item
from budget_audit.rules.narrative.verdicts import Context, Verdict, money, subject_names, verdict
from budget_audit.rules.ruleset import Rule

MESSAGES = {
    "base-year": {"zh": "第{line}行：{year}年的说明与{base_year}年比较，应与上一年（{expected}年）比较",
                  "en": "Line {line}: the {year} text compares with {base_year}; the comparison year is the year before ({expected})"},
    "basis": {"zh": "第{line}行：与上年的“{basis}”比较，而说明其余各处比较的是“{usual}”（{count}处）",
              "en": "Line {line}: compares with last year's {basis}, while the rest of the text compares with its {usual} ({count} places)"},
    "negative-base": {"zh": "第{line}行：{subject}为 {this} {unit}，却比上年增加 {change} {unit}：上年数将为负（{last} {unit}）",
                      "en": "Line {line}: {subject} is {this} {unit} but is said to have grown by {change} {unit}: last year would be negative ({last} {unit})"},
}


def _comparisons(ctx: Context):
    """The first claim of each comparison (比…/与…相比), in reading order."""
    seen = set()
    for claim in ctx.claims:
        if claim.group is not None and claim.group not in seen and claim.base_year is not None:
            seen.add(claim.group)
            yield claim


def base_year(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """Every comparison is with the year before the document's year."""
    if ctx.year is None:
        return
    for claim in _comparisons(ctx):
        outcome = PASS if claim.base_year == ctx.year - 1 else FAIL
        context = {"line": claim.line, "year": ctx.year, "base_year": claim.base_year, "expected": ctx.year - 1}
        yield verdict(rule, outcome, (claim,), MESSAGES["base-year"], context)


def basis(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """The totals and 三公 compare with one kind of last-year figure (预算 or 预算执行数) throughout;
    the 功能分类 items are not counted (a template may compare them with 执行数)."""
    claims = [c for c in _comparisons(ctx) if c.basis and not is_item(c.subject)]
    counts = Counter(c.basis for c in claims)
    if len(counts) < 2:
        return
    usual, count = counts.most_common(1)[0]
    for claim in claims:
        context = {"line": claim.line, "basis": claim.basis, "usual": usual, "count": count}
        yield verdict(rule, PASS if claim.basis == usual else FAIL, (claim,), MESSAGES["basis"], context)


def negative_base(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """An increase larger than this year's figure leaves last year below zero."""
    for claim in (c for c in ctx.claims if c.kind == "difference" and c.direction == 1 and c.this is not None):
        this = ctx.claims[claim.this]
        if this.kind != "amount" or this.unit != claim.unit or this.year != claim.year:
            continue
        last = this.fen - claim.fen
        outcome = FAIL if 2 * last < -(this.ulp + claim.ulp) else PASS
        context = {"line": claim.line, "subject": subject_names(claim.subject), "unit": claim.unit,
                   "this": money(this.fen, claim.unit), "change": money(claim.fen, claim.unit),
                   "last": money(last, claim.unit)}
        yield verdict(rule, outcome, (claim, this), MESSAGES["negative-base"], context)
