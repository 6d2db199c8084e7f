"""Which claims the checks could verify, and why the others could not be.

A claim is checked when some check reached a verdict on it; the rest are reported, one info
finding each, with the reason, so that no stated figure is silently dropped.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterator

from budget_audit.rules.narrative import arithmetic as arithmetic
from budget_audit.rules.narrative import figures as figures
from budget_audit.rules.narrative import final as final
from budget_audit.rules.narrative import lists as lists
from budget_audit.rules.narrative import shares as shares
from budget_audit.rules.narrative import years as years
from budget_audit.rules.narrative import tables as tables
from budget_audit.rules.narrative.claims import Claim
from budget_audit.rules.narrative.verdicts import Context, Verdict, claim_cell, subject_names
from budget_audit.rules.findings import Finding
from budget_audit.rules.ruleset import Rule

VERIFYING = {
    "difference": arithmetic.difference, "rate": arithmetic.rate, "direction": arithmetic.direction,
    "zero-base": arithmetic.zero_base, "share": shares.share, "equality": arithmetic.equality,
    "restated": arithmetic.restated, "composition": arithmetic.composition,
    "table-amount": tables.table_amount, "table-count": tables.table_count, "item-names": tables.item_names,
    "completion": final.completion, "versus": final.versus, "base-year": years.base_year,
    "basis": years.basis, "negative-base": years.negative_base, "item-sum": lists.item_sum,
}
MESSAGES = {
    "coverage": {"zh": "第{line}行{text}（{subject}{when}）无法核对：{reason}",
                 "en": "Line {line}: {text} ({subject}{when}) cannot be checked: {reason}"},
    "table-coverage": {"zh": "第{line}行{text}（{subject}{when}）只核对了说明内部的算术：{reason}",
                       "en": "Line {line}: {text} ({subject}{when}) was checked only against the text itself: {reason}"},
}


# What each verifying check reads besides the claims; equal inputs give the same claims verdicts.
READS = {"table-amount": ("figures",), "item-names": ("figures",), "table-count": ("counts",), "composition": ("compositions",),
         "share": ("compositions",)}


def _inputs(rule: Rule) -> tuple[str, str]:
    name = rule.params["check"]
    return name, repr([rule.params.get(key) for key in READS.get(name, ())])


def verdicts(ctx: Context, rules: list[Rule]) -> Iterator[Verdict]:
    """Every verdict of the verifying rules among `rules` (computed once per document and rule)."""
    cache = ctx.document.cache.setdefault("verdicts", {})
    reached = ctx.document.cache.setdefault("claims_reached", {})
    for rule in rules:
        check = VERIFYING.get(rule.params["check"])
        if check is None:
            continue
        key = (rule.code, rule.params["check"])
        if key not in cache:
            cache[key] = list(check(Context(ctx.document, ctx.claims, rule.params.get("figures")), rule))
            reached.setdefault(_inputs(rule), {c.id for v in cache[key] for c in v.claims})
        yield from cache[key]


def _as_rules(rule: Rule) -> list[Rule]:
    """The checks a coverage rule stands for, each with the maps that rule names."""
    return [replace(rule, params={**rule.params, "check": name}) for name in VERIFYING]


def checked(ctx: Context, rule: Rule) -> set[int]:
    """Ids of the claims some check reached a verdict on (reusing what the checks already found)."""
    reached = ctx.document.cache.setdefault("claims_reached", {})
    ids: set[int] = set()
    for variant in _as_rules(rule):
        if _inputs(variant) not in reached:
            list(verdicts(ctx, [variant]))
        ids |= reached[_inputs(variant)]
    return ids


def coverage(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """An info finding for each claim that no check could verify, with the reason."""
    done = checked(ctx, rule)
    groups: dict[tuple, list[tuple[Claim, dict[str, str]]]] = {}
    for claim in ctx.claims:
        if claim.id not in done:
            reason = _reason(ctx, claim, rule.params)
            # one note per paragraph: a list wrapped over two printed lines (a PDF) is still one
            # note, as in the workbook cell or Word paragraph it was printed from
            where = claim.passage
            groups.setdefault((where, claim.subject, reason["zh"]), []).append((claim, reason))
    for group in groups.values():   # "车辆0辆，其中：…用车0辆、…0辆" is one note, not nine
        yield _finding(rule, "coverage", [c for c, _ in group], group[0][1])


def table_coverage(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """An info finding for each of this year's amounts checked only internally (no table figure)."""
    done = checked(ctx, rule)
    for claim in ctx.claims:
        if claim.id in done and claim.kind == "amount" and claim.subject and claim.year == ctx.year \
                and figures.spec_for(rule.params.get("figures"), claim.subject) is None:
            reason = {"zh": f"表格中没有“{claim.subject}”的对应数字",
                      "en": f"no table figure for {subject_names(claim.subject)['en']}"}
            yield _finding(rule, "table-coverage", [claim], reason)


def _finding(rule: Rule, key: str, claims: list[Claim], reason: dict[str, str]) -> Finding:
    from collections import Counter

    from budget_audit.rules.kinds.base import render  # kinds import this module

    claim = claims[0]
    printed = Counter(c.text for c in claims)
    text = {"zh": "、".join(f"“{t}”" + (f"×{n}" if n > 1 else "") for t, n in printed.items()),
            "en": ", ".join(f"'{t}'" + (f" ×{n}" if n > 1 else "") for t, n in printed.items())}
    # the year tells apart two figures of one line ("2021年0辆，2020年0辆")
    years = "、".join(dict.fromkeys(str(c.year) for c in claims if c.year))
    when = {"zh": f"，{years}年", "en": f", {years.replace('、', ', ')}"} if years else ""
    context = {"line": claim.line, "text": text, "subject": subject_names(claim.subject),
               "when": when, "reason": reason}
    return Finding(rule=rule.code, severity=rule.severity, message=render(rule.message or MESSAGES[key], context),
                   table="narrative", cells=[claim_cell(c) for c in claims], family=rule.family, title=rule.title,
                   extra={"claims": [c.id for c in claims], "reason": reason})


def _reason(ctx: Context, claim: Claim, params: dict[str, Any]) -> dict[str, str]:
    """Why a claim could not be checked, in Chinese and English."""
    name = subject_names(claim.subject)
    if claim.subject is None:
        return {"zh": "未能识别这个数字说的是什么", "en": "no subject was recognised for this figure"}
    if claim.kind == "percent":
        return {"zh": "没有说明这个百分比的基数", "en": "the base of this percentage is not stated"}
    if claim.kind not in ("amount", "count"):
        return {"zh": "比较所需的数字没有全部给出", "en": "the figures it compares are not all available"}
    if claim.kind == "count":
        spec = figures.spec_for(params.get("counts"), claim.subject)
        found = figures.count(ctx.document, spec) if spec is not None and claim.year == ctx.year else None
    else:
        spec, found = figures.spec_for(ctx.maps, claim.subject), ctx.figure(claim.subject, claim.year)
    if spec is None:
        what = ("数量", "count of") if claim.kind == "count" else ("数字", "figure for")
        return {"zh": f"表格中没有“{claim.subject}”的对应{what[0]}", "en": f"no table gives the {what[1]} {name['en']}"}
    if found is None:
        return {"zh": f"{claim.year}年的数字不在本文件的表格中，说明中也没有用到它的比较",
                "en": f"the document's tables do not show {claim.year}, and no statement compares it"}
    return found if isinstance(found, dict) else {"zh": "无法读取对应的表格数字", "en": "the table figure could not be read"}
