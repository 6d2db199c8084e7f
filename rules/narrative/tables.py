"""The 说明 against the tables: each amount and count equals its table figure.

Amounts compare in 分 within the rounding of both printed figures (DOMAIN.md §3): the
narrative's 283.11万元 against the table's 2,831,069.50元 is a rounding note, not an error.
Last year's figures are compared only where a table prints last year (表七's prior-year column).
"""

from __future__ import annotations

from typing import Iterator

from budget_audit.loaders.catalog import table_name
from budget_audit.rules.narrative import figures as figures
from budget_audit.rules.compare import FAIL, PASS, compare
from budget_audit.rules.narrative.subjects import ITEM, is_item
from budget_audit.rules.narrative.verdicts import Context, Verdict, money, subject_names, verdict
from budget_audit.rules.ruleset import Rule

MESSAGES = {
    "table-amount": {"zh": "第{line}行：{subject}{year}年写作“{printed}”（{actual} {unit}），{table}为 {expected} {unit}，相差 {difference} {unit}",
                     "en": "Line {line}: {subject} ({year}) is stated as '{printed}' ({actual} {unit}), but {table} shows {expected} {unit}; difference {difference} {unit}"},
    "item-names": {"zh": "第{line}行：科目名称“{name}”（{level}）在表格中没有{renamed}",
                   "en": "Line {line}: the item name '{name}' ({level}) is printed by no table{renamed_en}"},
    "table-count": {"zh": "第{line}行：{subject}写作 {actual}{word}，{table}中为 {expected} 个",
                    "en": "Line {line}: the text counts {actual} {subject}, but {table} lists {expected}"},
}


def _tables(figure: figures.Figure) -> dict[str, str]:
    ids = list(dict.fromkeys(figure.tables))
    return {"zh": "、".join(table_name(i) for i in ids), "en": ", ".join(table_name(i, "en") for i in ids)}


def table_amount(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """Every amount whose subject has a table figure (params.figures, the context's maps) equals it."""
    # an amount said to be last year's outturn or this year's 年初/全年预算 is not the table's figure
    for claim in (c for c in ctx.claims if c.kind == "amount" and c.role not in ("年初预算", "全年预算", "执行数")):
        figure = ctx.figure(claim.subject, claim.year)
        if not isinstance(figure, figures.Figure):
            continue
        outcome = compare(figure.value, figure.ulp, claim.fen, claim.ulp)
        if outcome.verdict == PASS:  # no message to write for a figure that agrees
            yield Verdict((claim,), PASS)
            continue
        unit = figure.unit
        context = {"line": claim.line, "subject": subject_names(claim.subject), "year": claim.year,
                   "printed": claim.text, "table": _tables(figure), "unit": unit, "expected": money(figure.value, unit),
                   "actual": money(claim.fen, unit), "difference": money(claim.fen - figure.value, unit)}
        yield verdict(rule, outcome.verdict, (claim,), MESSAGES["table-amount"], context, figure.cells,
                      figure.value, claim.fen, unit)


def table_count(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """Every count whose subject has a table row count (params.counts) equals it."""
    maps = rule.params.get("counts")
    for claim in (c for c in ctx.claims if c.kind == "count" and c.year == ctx.year):
        spec = figures.spec_for(maps, claim.subject)
        figure = figures.count(ctx.document, spec) if spec is not None else None
        if isinstance(figure, figures.Figure):
            context = {"line": claim.line, "subject": subject_names(claim.subject), "table": _tables(figure),
                       "actual": claim.value, "word": claim.unit, "expected": figure.value}
            outcome = PASS if claim.value == figure.value else FAIL
            yield verdict(rule, outcome, (claim,), MESSAGES["table-count"], context, figure.cells)


def item_names(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """The 功能分类 names the text uses are the names the tables print (医疗卫生与计划生育支出 is
    卫生健康支出 since 2018)."""
    from budget_audit.rules.narrative.items import unknown_names

    spec = figures.spec_for(ctx.maps, ITEM)
    if spec is None:
        return
    seen = set()
    for claim in (c for c in ctx.claims if c.kind == "amount" and is_item(c.subject) and c.subject not in seen):
        seen.add(claim.subject)
        unknown = unknown_names(ctx.document, spec, claim.subject)
        if not unknown:
            if any(ctx.document.table(o["table"]) is not None for o in figures.specs(spec)):
                yield Verdict((claim,), PASS)
            continue
        name, level, instead = unknown[0]
        context = {"line": claim.line, "name": name, "level": level,
                   "renamed": f"（2018年起为“{instead}”）" if instead else "",
                   "renamed_en": f" (it is {instead} since 2018)" if instead else ""}
        yield verdict(rule, FAIL, (claim,), MESSAGES["item-names"], context)
