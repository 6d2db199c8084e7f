"""The 功能分类 items of a 说明 add up to the total they itemise: the items of one depth (classes
"一般公共服务（类）…", or the 项 "“A-B-C”科目X万元") stated for the budget year, each counted once,
sum to a stated total of that year (支出预算, 财政拨款支出 or 一般公共预算支出: the list does not say
which, so the check passes when it matches any)."""

from __future__ import annotations

from typing import Iterator

from budget_audit.rules.compare import FAIL, PASS, ROUNDING, compare
from budget_audit.rules.narrative.items import levelled
from budget_audit.rules.narrative.subjects import is_item
from budget_audit.rules.narrative.verdicts import Context, Verdict, money, verdict
from budget_audit.rules.ruleset import Rule

TOTALS = ("支出预算", "财政拨款支出", "一般公共预算支出")
# 经济分类 classes, listed in the same （类）/（款） style in the 基本支出 sections: not 功能分类
ECONOMIC = ("工资福利支出", "商品和服务支出", "对个人和家庭的补助", "资本性支出", "对企业补助", "债务利息及费用支出")


def _function_item(subject: str) -> bool:
    """A 功能分类 path: two levels or more, or a class that is not an economic one ("办公费（款）" is)."""
    path = levelled(subject)
    return len(path) > 1 or (path[0][1] == "类" and not path[0][0].startswith(ECONOMIC))
MESSAGE = {"zh": "第{line}行起所列{count}个{level}级科目合计 {expected} 万元，与说明中的{total}（{names}）均不相等",
           "en": "The {count} {level} items listed from line {line} add up to {expected} 万元, which is none of the totals stated ({names})"}


def item_sum(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """Σ items of one depth = one of the year's stated totals, within the printed rounding."""
    if ctx.year is None:
        return
    depths: dict = {}
    for claim in ctx.claims:
        if claim.kind == "amount" and is_item(claim.subject) and claim.year == ctx.year and claim.unit == "万元" \
                and claim.role in (None, "预算安排") and claim.named and _function_item(claim.subject):
            level = levelled(claim.subject)[-1][1]
            depths.setdefault(level, {}).setdefault(claim.subject, claim)
    totals = [c for c in (ctx.stated(s, ctx.year) for s in TOTALS) if c is not None and c.unit == "万元"]
    if not totals:
        return
    for level, items in depths.items():
        claims = list(items.values())
        if len(claims) < 2:
            continue
        fen, ulp = sum(c.fen for c in claims), sum(c.ulp for c in claims)
        outcomes = [compare(fen, ulp, t.fen, t.ulp).verdict for t in totals]
        outcome = PASS if PASS in outcomes else ROUNDING if ROUNDING in outcomes else FAIL
        names = "、".join(f"{t.subject} {money(t.fen, '万元')}" for t in totals)
        nearest = min(totals, key=lambda t: abs(t.fen - fen))
        context = {"line": claims[0].line, "count": len(claims), "level": level, "expected": money(fen, "万元"),
                   "total": "合计", "names": names, "unit": "万元", "difference": money(fen - nearest.fen, "万元")}
        yield verdict(rule, outcome, (*claims, *totals), MESSAGE, context)
