"""cross-document — a document agrees with its siblings in the same batch.

What it checks: one aspect per rule (params.check), over the pairs `rules/siblings/detect.py`
found (params.relation):
- previous-year (relation previous_year): every figure of last year the 说明 states — explicitly
  ("2017年…X万元") or as the base of a comparison ("Y万元，与上年相比增加X万元" states Y − X;
  "与上年持平" states Y) — equals last year's own document at the printed precision: a figure
  that document states for its own year, or its table figure (it agrees when any of them does,
  so a sentence the reader gave the wrong subject never makes a contradiction).
- unit-within-department (relation department_unit): no line of a 单位 document exceeds the same
  line (table, row by code or label, column) of its 部门 document.
- department-sum-of-units (relation department_unit, for a department declared complete: every
  unit published in the batch, siblings.yaml `complete:`): each line of the 部门 document = Σ the
  same line of its units, within the rounding of all the printed figures.
- initial-budget (relation budget_final): every 年初预算 a 决算's 说明 states equals the same
  body's same-year 预算 document (a figure it states, or its table figure); initial_budget.py.
- prior-year-column (relation previous_year): each line of a table's 上年 column (params.columns:
  上年 column -> 本年 column) equals that line of last year's document.
Why it matters: much of a disclosure cannot be verified from inside it. A base taken from a typo
in last year's text, a figure copied from the wrong year, a unit larger than the department that
consolidates it: each is a contradiction only its sibling shows.
Passes: renda 2018 "预留机动经费1685.72万元。与上年相比增加1557.29万元" states 2017 as 128.43万元, and
the 2017 document states 预留机动经费 128.43万元.
Fails: the same sentence printed "增加1557.39万元" (2017 would be 128.33万元, the 2017 document says
128.43); a unit's 2010301 行政运行 12,029,501.85元 under its department's 12,029,501.84元; a 2021
三公 table whose 2020年预算数 公务接待费 5,221.56 the 2020 document prints as 5,231.56; a 2024 final's
"一般公共预算财政拨款支出年初预算为0万元" beside a 2024 budget whose 功能分类 类 lines sum to 1.00万元.
Example:
    kind: cross-document
    params: {check: previous-year, relation: previous_year}
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

from budget_audit.loaders.model import Document
from budget_audit.rules.compare import FAIL, compare
from budget_audit.rules.findings import CellRef, Finding
from budget_audit.rules.kinds import NotApplicable
from budget_audit.rules.ruleset import Rule

CHECKS = {"previous-year": "previous_year", "unit-within-department": "department_unit",
          "department-sum-of-units": "department_unit", "initial-budget": "budget_final",
          "prior-year-column": "previous_year"}


def validate(params: dict[str, Any]) -> tuple[str, str] | None:
    """(key, problem) when the params cannot be run."""
    if params.get("check") not in CHECKS:
        return "check", f"one of {', '.join(CHECKS)}"
    if params.get("relation", CHECKS[params["check"]]) != CHECKS[params["check"]]:
        return "relation", f"{params['check']} compares the relation {CHECKS[params['check']]}"
    columns = params.get("columns")
    if params["check"] == "prior-year-column" and not (
            isinstance(columns, dict) and columns and all(isinstance(v, str) for v in columns.values())):
        return "columns", "a map of 上年 column -> the 本年 column it restates, e.g. {prior_year: amount}"
    if "figures" in params:
        from budget_audit.rules.kinds.narrative_claim import _validate_map

        return _validate_map("figures", params["figures"])
    return None


def check(document: Document, sibling: Document, rule: Rule, figures: Any = None,
          sibling_figures: Any = None) -> Iterator[Finding]:
    """The findings of one rule over one pair (`figures`: the narrative's subject -> table map)."""
    if rule.params["check"] == "previous-year":
        yield from _previous_year(document, sibling, rule, figures, sibling_figures)
    elif rule.params["check"] == "unit-within-department":
        from budget_audit.rules.siblings.lines import unit_within

        yield from unit_within(document, sibling, rule)
    elif rule.params["check"] == "prior-year-column":
        from budget_audit.rules.siblings.lines import prior_year_columns

        yield from prior_year_columns(document, sibling, rule)
    elif rule.params["check"] == "initial-budget":
        from budget_audit.rules.siblings.initial_budget import initial_budget

        yield from initial_budget(document, sibling, rule, figures, sibling_figures)


def _context(document: Document, figures: Any):
    from budget_audit.rules.kinds.narrative_claim import _context as claims_context

    probe = Rule(code="XD", kind="narrative-claim", severity="info", title={}, params={"figures": figures},
                 family="XD")
    return claims_context(document, probe)


def placed(document: Document, cell: CellRef) -> CellRef:
    """A cell with its real place and the file it is printed in (the sibling's too)."""
    source = document.where(cell.source)
    file = str(Path(document.path) / source.file) if source.file else document.path
    return replace(cell, source=replace(source, file=file))


def _stated_last_year(ctx, year: int) -> Iterator[tuple[Any, Any, bool]]:
    """(claim, value of last year, derived) for every figure of `year` the narrative states."""
    seen = set()
    for claim in ctx.claims:
        if claim.subject is None:
            continue
        if claim.kind == "amount" and claim.year == year:
            value, derived = ctx.value(claim.subject, year, near=claim), False
        elif claim.kind in ("difference", "equal") and claim.base_year == year:
            pair = ctx.compared(claim)
            if pair is None:
                continue
            value, derived = pair[1], pair[2] or claim.kind == "equal"
        else:
            continue
        if value is not None and (claim.subject, value.fen) not in seen:
            seen.add((claim.subject, value.fen))
            yield claim, value, derived


def _own_figures(ctx, subject: str, year: int) -> list:
    """What last year's document says of itself: every figure it states for the subject and year,
    and its table figure; the sibling agrees when any of them does (a sentence the reader gave the
    wrong subject must not make a contradiction)."""
    from budget_audit.rules.narrative import figures
    from budget_audit.rules.narrative.verdicts import Value

    values = [ctx.value(subject, year, near=c) for c in ctx.claims
              if c.kind == "amount" and c.subject == subject and c.year == year]
    figure = ctx.figure(subject, year)
    if isinstance(figure, figures.Figure):
        values.append(Value(figure.value, figure.ulp, (), tuple(figure.cells)))
    return [v for v in values if v is not None]


MESSAGES = {
    "previous-year": {
        "zh": "说明称{year}年{subject}为 {actual} {unit}{how}，而{year}年的文件（{sibling}）为 {expected} {unit}，相差 {difference} {unit}",
        "en": "The text puts {subject} of {year} at {actual} {unit}{how_en}, but the {year} document ({sibling}) "
              "says {expected} {unit}; difference {difference} {unit}"},
}


def _previous_year(document, sibling, rule, figures, sibling_figures) -> Iterator[Finding]:
    from budget_audit.rules.kinds.base import render
    from budget_audit.rules.narrative.verdicts import claim_cell, money, subject_names

    from budget_audit.rules.narrative.verdicts import Context

    try:
        this = _context(document, figures)
    except NotApplicable:
        return
    try:
        last = _context(sibling, sibling_figures)
    except NotApplicable:  # last year's document without a 说明 still has its tables
        last = Context(sibling, (), sibling_figures)
    year = last.year
    if year is None or this.year != year + 1:
        return
    for claim, value, derived in _stated_last_year(this, year):
        owns = _own_figures(last, claim.subject, year)
        if not owns or any(compare(o.fen, o.ulp, value.fen, value.ulp).verdict != FAIL for o in owns):
            continue
        own = owns[0]
        unit = next((c.unit for c in (*value.claims, claim) if c.unit in ("元", "万元", "亿元")), "万元")
        context = {"year": year, "subject": subject_names(claim.subject), "unit": unit,
                   "actual": money(value.fen, unit), "expected": money(own.fen, unit),
                   "difference": money(value.fen - own.fen, unit), "sibling": Path(sibling.path).name,
                   "how": "（由本年数与增减额推得）" if derived else "", "how_en": " (this year less the stated change)" if derived else ""}
        cells = [placed(document, claim_cell(c)) for c in sorted({claim, *value.claims}, key=lambda c: c.id)]
        cells += [placed(document, c) for c in value.cells]
        cells += [placed(sibling, claim_cell(c)) for c in own.claims] + [placed(sibling, c) for c in own.cells]
        yield Finding(rule=rule.code, severity=rule.severity, message=render(rule.message or MESSAGES["previous-year"], context),
                      table="narrative", expected=own.fen, actual=value.fen, unit=unit, cells=cells,
                      family=rule.family, title=rule.title, extra={"sibling": sibling.path, "relation": "previous_year"})
