"""The 说明 against the tables: each amount and count equals its table figure.

Amounts compare in 分 within the rounding of both printed figures (DOMAIN.md §3): the
narrative's 283.11万元 against the table's 2,831,069.50元 is a rounding note, not an error.
Last year's figures are compared only where a table prints last year (表七's prior-year column).
"""

from __future__ import annotations

from typing import Iterator

from budget_audit.loaders.catalog import table_name
from budget_audit.rules.narrative import figures as figures
from budget_audit.rules.compare import FAIL, PASS, ROUNDING, compare
from budget_audit.rules.findings import Finding
from budget_audit.rules.narrative.claims import Claim
from budget_audit.rules.narrative.subjects import ITEM, is_item
from budget_audit.rules.narrative.verdicts import Context, Verdict, claim_cell, money, subject_names, verdict
from budget_audit.rules.ruleset import Rule

MESSAGES = {
    "table-amount": {"zh": "第{line}行：{subject}{year}年写作“{printed}”（{actual} {unit}），{table}{at}为 {expected} {unit}，相差 {difference} {unit}{should}",
                     "en": "Line {line}: {subject} ({year}) is stated as '{printed}' ({actual} {unit}), but {table}{at_en} shows {expected} {unit}; difference {difference} {unit}{should_en}"},
    "rounding-notes": {"zh": "第{lines}行：{count} 个金额与{table}的数字只差在印刷精度的舍入范围内（最大差额 {widest} {unit}，{subject}写作“{printed}”），仅作提示",
                       "en": "Lines {lines_en}: {count} amounts differ from {table} only within the rounding of the printed digits (largest difference {widest} {unit}: {subject} stated as '{printed}'); note only"},
    "item-names": {"zh": "第{line}行：科目名称“{name}”（{level}）在表格中没有{renamed}",
                   "en": "Line {line}: the item name '{name}' ({level}) is printed by no table{renamed_en}"},
    "item-level": {"zh": "第{line}行：“{name}”写作（{level}），表格{at}中它是（{printed}）；说明应写作“{name}（{printed}）”",
                   "en": "Line {line}: '{name}' is called a {level}, but the tables{at_en} print it as a {printed}; the text should say {name} ({printed})"},
    "table-count": {"zh": "第{line}行：{subject}写作 {actual}{word}，{table}中为 {expected} 个",
                    "en": "Line {line}: the text counts {actual} {subject}, but {table} lists {expected}"},
}


def _tables(figure: figures.Figure) -> dict[str, str]:
    ids = list(dict.fromkeys(figure.tables))
    return {"zh": "、".join(table_name(i) for i in ids), "en": ", ".join(table_name(i, "en") for i in ids)}


def table_amount(ctx: Context, rule: Rule) -> Iterator[Verdict]:
    """Every amount whose subject has a table figure (params.figures, the context's maps) equals it.
    More than MERGE rounding notes of one rule become one note (an auditor reads one line, not 15)."""
    rounded: list[tuple[Claim, figures.Figure]] = []
    # an amount said to be last year's outturn or this year's 年初/全年预算 is not the table's figure
    for claim in (c for c in ctx.claims if c.kind == "amount" and c.role not in ("年初预算", "全年预算", "执行数")):
        found = _best(ctx, claim)
        if found is None:
            continue
        figure, outcome = found
        if outcome.verdict == PASS:  # no message to write for a figure that agrees
            yield Verdict((claim,), PASS)
            continue
        if outcome.verdict == FAIL and _listed_part(ctx, claim):
            continue   # "其中：…政府性基金预算收入0万元，占0%": a part of the list, not the heading's total
        if outcome.verdict == ROUNDING:
            rounded.append((claim, figure))
            continue
        yield _amount_verdict(rule, outcome.verdict, claim, figure)
    if len(rounded) > MERGE:
        yield _merged(rule, rounded)
    else:
        yield from (_amount_verdict(rule, ROUNDING, claim, figure) for claim, figure in rounded)


MERGE = 3


def _at(cells) -> dict[str, str]:
    """Where the table figure is printed: "（第N行）", which a PDF's message turns into its page."""
    line = next((c.source.line for c in cells if c.source is not None and c.source.line), None)
    return {"at": f"（第{line}行）" if line else "", "at_en": f" (line {line})" if line else ""}


def _listed_part(ctx: Context, claim: Claim) -> bool:
    """An amount whose subject is inherited, read after a 其中 or followed by a share of the listed
    total: one item of a list the rules cannot name."""
    if claim.named:
        return False
    following = ctx.claims[claim.id + 1] if claim.id + 1 < len(ctx.claims) else None
    # "…收入预算9,101.68万元，其中：…；事业收入0万元" (事业收入 is no subject the rules know)
    return claim.listed or following is not None and following.kind == "share" \
        and following.whole is None and following.passage == claim.passage


def _best(ctx: Context, claim: Claim):
    """(figure, comparison) of the claim's table figure; an item printed by several tables (一般公共预算
    and 支出总表: the text does not say which money) is compared with the one that agrees best."""
    if is_item(claim.subject) and ctx.year is not None and claim.year in (ctx.year, ctx.year - 1):
        from budget_audit.rules.narrative.items import item_amounts

        spec = figures.spec_for(ctx.maps, ITEM)
        candidates = item_amounts(ctx.document, spec, claim.subject, prior=claim.year != ctx.year) if spec else []
    else:
        figure = ctx.figure(claim.subject, claim.year)
        candidates = [figure] if isinstance(figure, figures.Figure) else []
    if not isinstance(candidates, list) or not candidates:
        return None
    rank = {PASS: 0, ROUNDING: 1, FAIL: 2}
    scored = [(f, compare(f.value, f.ulp, claim.fen, claim.ulp)) for f in candidates]
    return min(scored, key=lambda pair: rank.get(pair[1].verdict, 2))


def _amount_verdict(rule: Rule, outcome: str, claim: Claim, figure: figures.Figure) -> Verdict:
    unit = figure.unit
    expected = money(figure.value, unit)
    context = {"line": claim.line, "subject": subject_names(claim.subject), "year": claim.year,
               "printed": claim.text, "table": _tables(figure), "unit": unit, "expected": expected,
               "actual": money(claim.fen, unit), "difference": money(claim.fen - figure.value, unit),
               **_at(figure.cells),
               # what the text would have to say for the check to pass
               "should": f"；说明应写作 {expected} {unit}" if outcome == FAIL else "",
               "should_en": f"; the text should say {expected} {unit}" if outcome == FAIL else ""}
    return verdict(rule, outcome, (claim,), MESSAGES["table-amount"], context, figure.cells,
                   figure.value, claim.fen, unit)


def _merged(rule: Rule, rounded: list[tuple[Claim, figures.Figure]]) -> Verdict:
    """One info note for many amounts that differ from their tables only by the printed rounding."""
    from budget_audit.rules.kinds.base import render  # kinds import this module

    claims = tuple(claim for claim, _ in rounded)
    units = {figure.unit for _, figure in rounded}
    unit = units.pop() if len(units) == 1 else "元"
    widest = max(rounded, key=lambda pair: abs(pair[0].fen - pair[1].value))
    tables = {"zh": "、".join(dict.fromkeys(_tables(f)["zh"] for _, f in rounded)),
              "en": ", ".join(dict.fromkeys(_tables(f)["en"] for _, f in rounded))}
    context = {"lines": "、".join(dict.fromkeys(str(c.line) for c in claims)),
               "lines_en": ", ".join(dict.fromkeys(str(c.line) for c in claims)), "count": len(claims),
               "table": tables, "unit": widest[1].unit, "widest": money(abs(widest[0].fen - widest[1].value), widest[1].unit),
               "subject": subject_names(widest[0].subject), "printed": widest[0].text}
    message = render(MESSAGES["rounding-notes"], context)
    cells = tuple(cell for _, figure in rounded for cell in figure.cells)
    finding = Finding(rule=rule.code, severity="info", message=message, table="narrative",
                      cells=[claim_cell(c) for c in claims] + list(cells), family=rule.family,
                      title=rule.title, extra={"claims": [c.id for c in claims]})
    return Verdict(claims, ROUNDING, finding)


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
    from budget_audit.rules.narrative.items import levelled, printed_level, unknown_names

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
        elsewhere = printed_level(ctx.document, spec, name, level)
        if name == levelled(claim.subject)[0][0] and not instead and elsewhere is None:
            continue   # a head no function table prints at any level: 经济分类 ("基本工资（款）"), not a misname
        if level == "款" and name in _economic_kuan(ctx.document):
            continue   # "住房公积金（款）" in the 基本支出 section: the 经济分类 款 30311, which the tables print
        # "卫生健康支出（类）卫生健康支出（款）…": the path names it at its level too: a shifted name
        if elsewhere is not None and (name, elsewhere[0]) not in levelled(claim.subject):
            at = {"at": f"（第{elsewhere[1]}行）", "at_en": f" (line {elsewhere[1]})"} if elsewhere[1] else {"at": "", "at_en": ""}
            context = {"line": claim.line, "name": name, "level": level, "printed": elsewhere[0], **at}
            yield verdict(rule, FAIL, (claim,), MESSAGES["item-level"], context)
            continue
        context = {"line": claim.line, "name": name, "level": level,
                   "renamed": f"（2018年起为“{instead}”）" if instead else "",
                   "renamed_en": f" (it is {instead} since 2018)" if instead else ""}
        yield verdict(rule, FAIL, (claim,), MESSAGES["item-names"], context)


def _economic_kuan(document) -> set[str]:
    """The 经济分类 款 names the tables print (5-digit codes 3xxxx: 30311 住房公积金, 30312 提租补贴)."""
    if "economic_kuan" not in document.cache:
        names = set()
        for table in document.tables.values():
            codes, labels = table.data.get("code"), table.data.get("name")
            if codes is not None and labels is not None:
                names |= {"".join(str(n).split()) for c, n in zip(codes, labels)
                          if n and len(str(c or "")) == 5 and str(c).startswith("3")}
        document.cache["economic_kuan"] = names
    return document.cache["economic_kuan"]
