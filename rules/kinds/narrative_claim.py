"""narrative-claim — the 说明's figures agree with each other and with the tables.

What it checks: the claims read from the narrative (rules/narrative/claims.py: amounts in 元/万元/亿元,
counts, comparisons with a year and a direction word, shares, 一致/持平), one aspect per rule
(params.check): difference (this year − last year = the stated 增减额), rate (the stated % =
difference ÷ last year, rounded half-up at the printed decimals), direction (增加/减少 agrees
with the sign), zero-base (no rate over a zero base), share (占…的 x% = part ÷ the named whole),
equality (一致/持平 means equal), restated (a figure stated twice reads the same), composition
(a stated total = Σ its stated parts, for every year, last year included), table-amount and
table-count (each figure equals its table figure: params.figures / params.counts map subjects to
table cells; an item printed by several tables is compared with the one that agrees, more than three
rounding notes of a document are one note), coverage and table-coverage (claims no check could
verify, with the reason; one note per line, subject and reason).
Why it matters: readers quote the 说明, not the tables; a wrong sentence misstates the budget
even when every table adds up, and a figure nobody could check should be known as such.
Passes: "基本支出预算15,470,540.24元，占总支出预算的24.47%" with 表三 基本支出 15,470,540.24 and
总计 63,234,665.44 (24.4654…% rounds half-up to 24.47%).
Fails: "2020年收入预算63,268,913.02元" with 2020 基本支出 13,176,216.96 and 项目支出 48,968,896.06,
which add up to 62,145,113.02 (1,123,800.00 元 short; sample 001, lines 46, 50, 52).
Example:
    kind: narrative-claim
    params:
      check: table-amount
      figures:
        基本支出: {table: expenditure_summary, where: {is_total: true}, column: basic}
        "三公经费": {table: three_public_funds, where: {item: total}, column: amount, prior_column: prior_year}
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from budget_audit.rules.narrative import coverage as coverage
from budget_audit.rules.narrative.subjects import SUBJECTS
from budget_audit.rules.narrative.claims import budget_year, extract
from budget_audit.rules.narrative.lines import continuing, printed_text
from budget_audit.rules.kinds import NotApplicable
from budget_audit.rules.kinds.base import validate_check, validate_table
from budget_audit.rules.kinds.params import LIST, MAP_OR_LIST, TEXT
from budget_audit.rules.narrative.verdicts import Context

PARAMS = {"check": TEXT, "figures": MAP_OR_LIST, "counts": MAP_OR_LIST, "compositions": LIST}

REPORTING = {"coverage": coverage.coverage, "table-coverage": coverage.table_coverage}
CHECKS = (*coverage.VERIFYING, *REPORTING)
NEEDS = {"table-amount": ("figures",), "item-names": ("figures",), "table-count": ("counts",), "composition": ("compositions",),
         "coverage": ("figures",), "table-coverage": ("figures",)}


def validate(params):
    """Required: check (one of CHECKS) and the maps it reads: figures, counts, compositions."""
    problem = validate_check(params, CHECKS, NEEDS)
    for key in ("figures", "counts"):
        for figures in _maps(params.get(key)):
            problem = problem or _validate_map(key, figures)
    for i, spec in enumerate(params.get("compositions") or []):
        names = [*_list(spec.get("total")), *spec.get("parts", []), *spec.get("optional", [])] if isinstance(spec, dict) else []
        unknown = [n for n in names if n not in SUBJECTS]
        if not names or unknown:
            problem = problem or (f"compositions[{i}]", f"needs total and parts, known subjects (not {unknown})")
    return problem


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [value] if value is not None else []


def _maps(value: Any) -> list:
    return [m for m in _list(value) if m is not None]


def _validate_map(key: str, figures: Any):
    if not isinstance(figures, dict):
        return key, "must map subjects to table specs"
    for subject, spec in figures.items():
        if subject not in SUBJECTS:
            return f"{key}.{subject}", f"unknown subject (known: {', '.join(SUBJECTS)})"
        for one in _list(spec):
            if not isinstance(one, dict) or validate_table(one) or (key == "figures" and "column" not in one):
                return f"{key}.{subject}", "needs a known table id" + (" and a column" if key == "figures" else "")
    return None


def _context(document, rule) -> Context:
    if "claims" not in document.cache:  # every narrative rule reads the same claims
        paragraphs, joined = document.paragraphs, frozenset()
        if document.places:   # a PDF's lines: page numbers dropped, paragraphs joined from the boxes
            paragraphs = printed_text(paragraphs)
            joined = continuing(paragraphs, document.places)
        document.cache["claims"] = extract(paragraphs, budget_year(paragraphs, document.year), joined)
    claims = document.cache["claims"]
    if not claims:
        raise NotApplicable("the document's narrative states no figures")
    return Context(document, claims, rule.params.get("figures"))


def check(document, rule):
    """Yield the findings of the rule's check over the narrative's claims."""
    ctx = _context(document, rule)
    name = rule.params["check"]
    if name in REPORTING:
        found = REPORTING[name](ctx, rule)
    else:
        found = (v.finding for v in coverage.verdicts(ctx, [rule]) if v.finding is not None)
    for finding in found:
        if document.places:   # a copy: verdicts are cached, and the engine places this one in pages
            finding = replace(finding)
        yield finding


def stats(document, rules) -> dict[str, int]:
    """How many claims were found, checked, passed, failed and not checkable, over `rules`."""
    try:
        ctx = _context(document, rules[0]) if rules else None
    except NotApplicable:
        return {}
    if ctx is None:
        return {}
    checked, failed = set(), set()
    for verdict in coverage.verdicts(ctx, list(rules)):
        ids = {c.id for c in verdict.claims}
        checked |= ids
        if verdict.failed:
            failed |= ids
    return {"found": len(ctx.claims), "checked": len(checked), "passed": len(checked - failed),
            "failed": len(failed), "not_checkable": len(ctx.claims) - len(checked)}
