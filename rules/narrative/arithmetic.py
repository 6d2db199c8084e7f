"""The 说明 against itself: differences, growth rates, direction words, 一致, shares, restated
figures and totals of parts (shares: shares.py). Each check yields a Verdict for every claim it could verify."""

from __future__ import annotations

from typing import Iterator

from budget_audit.rules.compare import FAIL, PASS, compare
from budget_audit.rules.narrative.verdicts import (POINTS, Context, money, Value, Verdict, percent_outcome,
                                                   subject_names, verdict)
from budget_audit.rules.narrative.subjects import is_item
from budget_audit.rules.ruleset import Rule

MESSAGES = {
    "difference": {"zh": "第{line}行：{subject}{year}年比{base_year}年相差 {expected} {unit}，说明写作 {actual} {unit}",
                   "en": "Line {line}: {subject} differs by {expected} {unit} between {base_year} and {year}, but the text says {actual} {unit}"},
    "rate": {"zh": "第{line}行：{subject}变动率应为 {computed}%（{change} ÷ {base}，四舍五入），说明写作 {stated}%",
             "en": "Line {line}: the {subject} change rate is {computed}% ({change} ÷ {base}, rounded half-up), but the text says {stated}%"},
    "direction": {"zh": "第{line}行：说明称{subject}比{base_year}年{said}，但 {year} 年 {this} 元与 {base_year} 年 {last} 元相比实为{real}",
                  "en": "Line {line}: the text reports {said_en} in {subject} against {base_year}, but {this} ({year}) vs {last} ({base_year}) is {real_en}"},
    "zero-base": {"zh": "第{line}行：{base}{base_year}为零，不能计算百分比，说明却写作 {stated}%（{advice}）",
                  "en": "Line {line}: {base} was zero{base_year_en}, so no percentage of it exists, but the text says {stated}% ({advice_en})"},
    "equal": {"zh": "第{line}行：说明称{subject}{year}年与{base_year}年一致，但分别为 {actual} {unit} 与 {expected} {unit}，相差 {difference} {unit}",
              "en": "Line {line}: the text says {subject} is the same in {year} and {base_year}, but states {actual} {unit} and {expected} {unit}; difference {difference} {unit}"},
    "restated": {"zh": "{subject}{year}年在第{line}行写作 {actual} {unit}，在第{first_line}行写作 {expected} {unit}，相差 {difference} {unit}",
                 "en": "{subject} ({year}) is {actual} {unit} at line {line} but {expected} {unit} at line {first_line}; difference {difference} {unit}"},
    "composition": {"zh": "说明中{year}年{total}为 {actual} {unit}，而{parts}之和为 {expected} {unit}，相差 {difference} {unit}（第{lines}行）",
                    "en": "The text states {total} for {year} as {actual} {unit}, but {parts} add up to {expected} {unit}; difference {difference} {unit} (lines {lines})"},
}
ZERO_ADVICE = {"rate": {"advice": "应写明上年无此项，不写增减率", "advice_en": "it should say there was none last year, without a rate"},
               "share": {"advice": "总数为零时不写占比", "advice_en": "no share of a zero whole should be stated"}}
WORDS = {1: ("增加", "an increase"), -1: ("减少", "a decrease"), 0: ("持平", "no change")}


def _money(rule, outcome, claims, key, context, cells, expected, actual, unit) -> Verdict:
    """A verdict on two amounts in 分, printed in the claim's unit."""
    context = {**context, "unit": unit, "expected": money(expected, unit),
               "actual": money(actual, unit), "difference": money(actual - expected, unit)}
    return verdict(rule, outcome.verdict, claims, MESSAGES[key], context, cells, expected, actual, unit)


def _pair(ctx: Context, claim) -> tuple[Value, Value] | None:
    """(this year's value, the base year's value) of a comparison claim (none when it compares a
    year with itself: NAR022 reports that)."""
    if claim.base_year == claim.year:
        return None
    this = ctx.value(claim.subject, claim.year, near=claim)
    last = ctx.value(claim.subject, claim.base_year, near=claim)
    return (this, last) if this and last else None


def _base(claim) -> dict:
    return {"line": claim.line, "subject": subject_names(claim.subject), "year": claim.year, "base_year": claim.base_year}


def difference(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """Stated difference = |this year − last year|; the sign is the direction check's."""
    for claim in (c for c in ctx.claims if c.kind == "difference"):
        pair = _pair(ctx, claim)
        if pair:
            this, last = pair
            change = abs(this.fen - last.fen)
            outcome = compare(change, this.ulp + last.ulp, claim.fen, claim.ulp)
            yield _money(rule, outcome, (claim, *this.claims, *last.claims), "difference", _base(claim),
                         this.cells + last.cells, change, claim.fen, claim.unit)


def _shown(fen: int, claim, this: Value) -> str:
    """An amount in the unit the text states it in (元 when only tables give it)."""
    unit = next((c.unit for c in (*this.claims, claim) if c.unit in ("元", "万元", "亿元")), "元")
    return money(fen, unit) if unit == "元" else f"{money(fen, unit)} {unit}"


def rate(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """Stated rate = |this − last| ÷ last × 100, rounded half-up at the printed decimals."""
    for claim in (c for c in ctx.claims if c.kind == "rate"):
        pair = ctx.compared(claim)
        if pair and pair[1].fen != 0:
            this, last, _ = pair
            change = Value(this.fen - last.fen, this.ulp + last.ulp)
            outcome, computed = percent_outcome(change, last, claim.value, claim.decimals)
            context = {**_base(claim), "computed": computed, "stated": claim.value, "unit": POINTS,
                       "difference": claim.value - computed,
                       "change": _shown(abs(change.fen), claim, this), "base": _shown(last.fen, claim, this)}
            yield verdict(rule, outcome, (claim, *this.claims, *last.claims), MESSAGES["rate"], context,
                          this.cells + last.cells)


def direction(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """增加/增长/上升 need this year > last year; 减少/下降/降低 need it smaller."""
    for claim in (c for c in ctx.claims if c.kind in ("difference", "rate") and c.direction):
        pair = _pair(ctx, claim)
        if pair:
            this, last = pair
            change, slack2 = this.fen - last.fen, this.ulp + last.ulp
            real = 0 if change == 0 else (1 if change > 0 else -1)
            uncertain = 0 < slack2 and 2 * abs(change) <= slack2
            outcome = PASS if real == claim.direction or uncertain else FAIL
            context = {**_base(claim), "said": WORDS[claim.direction][0], "said_en": WORDS[claim.direction][1],
                       "real": WORDS[real][0], "real_en": WORDS[real][1],
                       "this": money(this.fen, "元"), "last": money(last.fen, "元")}
            yield verdict(rule, outcome, (claim, *this.claims, *last.claims), MESSAGES["direction"], context,
                          this.cells + last.cells)


def zero_base(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """A growth rate or share over a zero base does not exist."""
    for claim in (c for c in ctx.claims if c.kind in ("rate", "share")):
        if claim.kind == "rate":
            pair = ctx.compared(claim)
            base = pair[1] if pair else None
        else:
            base = ctx.value(claim.whole, claim.year, near=claim)
        if base is not None:
            named = claim.subject if claim.kind == "rate" else claim.whole
            year = claim.base_year if claim.kind == "rate" else claim.year
            context = {**_base(claim), "stated": claim.value,
                       "base": subject_names(named) if named else {"zh": "比较的基数", "en": "the base"},
                       "base_year": f"{year}年" if year else "", "base_year_en": f" in {year}" if year else "",
                       **ZERO_ADVICE[claim.kind]}
            yield verdict(rule, FAIL if base.fen == 0 else PASS, (claim, *base.claims), MESSAGES["zero-base"],
                          context, base.cells)


def equality(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """一致/持平: this year's and the base year's figures are equal."""
    for claim in (c for c in ctx.claims if c.kind == "equal"):
        pair = _pair(ctx, claim)
        if pair:
            this, last = pair
            outcome = compare(last.fen, last.ulp, this.fen, this.ulp)
            unit = next((c.unit for c in this.claims + last.claims), "元")
            yield _money(rule, outcome, (claim, *this.claims, *last.claims), "equal", _base(claim),
                         this.cells + last.cells, last.fen, this.fen, unit)


def restated(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """A figure stated twice (same subject, same year) reads the same both times."""
    groups: dict = {}
    for claim in ctx.claims:
        if claim.kind != "amount" or not claim.subject or not claim.year:
            continue
        # one role only: a 决算 states 年初预算, 全年预算 and 决算 of one subject and year
        role = claim.role if claim.role in ("年初预算", "全年预算", "决算", "执行数") else None
        if is_item(claim.subject):
            # a 功能分类 name recurs in other sections with other figures: within its own paragraph
            # only ("“…”科目220.63万元…2023年预算安排441.25万元")
            groups.setdefault((claim.subject, claim.year, role, claim.passage), []).append(claim)
        elif claim.named:   # printed right after its subject's name: an inherited subject is a guess
            groups.setdefault((claim.subject, claim.year, role), []).append(claim)
    for claim in ctx.claims:   # the change of a named figure, stated again in another section
        this = ctx.claims[claim.this] if claim.kind == "difference" and claim.this is not None else None
        if this is not None and this.named and this.subject == claim.subject and claim.subject \
                and not is_item(claim.subject) and claim.base_year:
            groups.setdefault((claim.subject, claim.year, "change", claim.base_year, this.fen), []).append(claim)
    for (subject, year, *_), claims in groups.items():
        first = claims[0]
        for other in claims[1:]:
            outcome = compare(first.fen, first.ulp, other.fen, other.ulp)
            context = {"line": other.line, "first_line": first.line, "subject": subject_names(subject), "year": year}
            yield _money(rule, outcome, (first, other), "restated", context, (), first.fen, other.fen, first.unit)


def composition(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """For each year the 说明 states a total and all its parts: total = Σ parts."""
    years = sorted({c.year for c in ctx.claims if c.kind == "amount" and c.year})
    for spec in rule.params.get("compositions") or []:
        totals = spec["total"] if isinstance(spec["total"], list) else [spec["total"]]
        for year in years:
            total = next((c for c in (ctx.stated(s, year) for s in totals) if c), None)
            parts = [ctx.stated(p, year) for p in spec["parts"]]
            if total is None or None in parts:
                continue
            # optional parts count when stated (Jiangsu's third use of money, 预留机动经费)
            parts += [c for c in (ctx.stated(p, year) for p in spec.get("optional", [])) if c]
            outcome = compare(sum(p.fen for p in parts), sum(p.ulp for p in parts), total.fen, total.ulp)
            numbers = [str(n) for n in sorted({c.line for c in (total, *parts)})]
            lines = {"zh": "、".join(numbers), "en": ", ".join(numbers)}
            context = {"year": year, "total": subject_names(total.subject), "lines": lines,
                       "parts": {"zh": "、".join(p.subject for p in parts), "en": " + ".join(subject_names(p.subject)["en"] for p in parts)}}
            yield _money(rule, outcome, (total, *parts), "composition", context, (),
                         outcome.expected, outcome.actual, total.unit)
