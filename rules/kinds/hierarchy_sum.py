"""hierarchy-sum — every parent row equals the sum of its child rows.

What it checks: with `scheme: function`, 类 (3 digits) = Σ its 款 (5), 款 = Σ its 项 (7), for
every amount column; with `scheme: catalog`, a service-catalog line (A → A23 → A2315) or the
unit line = Σ the lines directly under it, down to the projects; with `scheme: outline`, a row
whose `outline` key is level k of `levels` = Σ the rows of level k + 1 printed under it (政府采购:
大类 → 专项 → 采购物品; the total row = Σ 大类 is column-sum's).
Why it matters: subtotals are re-typed by hand in many templates; one typo makes a 类 disagree
with the 项 that make it up.
Passes: 20805 行政事业单位养老支出 1,907,977.28 = 2080501 + 2080505 + 2080506.
Fails: A23 公共信息 21,975,780.00 while A2315 + A2316 = 21,975,781.00.
Example:
    kind: hierarchy-sum
    params: {table: general_budget_expenditure, scheme: function}
"""

from __future__ import annotations

import re

from budget_audit.loaders.codes import function_parent
from budget_audit.rules import selection as sel
from budget_audit.rules.compare import PASS, compare
from budget_audit.rules.findings import Cells
from budget_audit.rules.kinds import NotApplicable
from budget_audit.rules.kinds.params import TEXT, TEXTS, choice
from budget_audit.rules.kinds.base import finding, names, need, validate_keys, validate_table

PARAMS = {"table": TEXT, "scheme": choice("function", "catalog", "outline"), "levels": TEXTS,
          "columns": TEXTS}

DEFAULT = {
    "zh": "{table}「{row}」的「{column}」为 {actual} {unit}，而其下级科目之和为 {expected} {unit}，相差 {difference} {unit}",
    "en": "{table} [{row}]: {column} is {actual} {unit} but its sub-items add up to {expected} {unit}; difference {difference} {unit}",
}
_CATALOG = re.compile(r"^[A-Z]\d*$")


def validate(params):
    """Required: table, scheme; an outline names its levels (the values are typed in PARAMS)."""
    problem = validate_keys(params, ("table", "scheme")) or validate_table(params)
    if not problem and params["scheme"] == "outline":
        levels = params.get("levels")
        if not isinstance(levels, list) or len(levels) < 2 or not all(isinstance(v, str) for v in levels):
            return "levels", "the outline's levels, top first (at least two names)"
    return problem


def outline_children(table, levels: list[str]) -> dict:
    """Parent row -> the rows one level down printed under it, until the next row of its level or above."""
    kinds = sel.keys(table, "outline")
    rank = {name: i for i, name in enumerate(levels)}
    result: dict = {}
    stack: list[tuple[int, int]] = []  # (rank, row)
    for row in range(table.rows):
        level = rank.get(str(kinds[row]))
        if level is None:
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack and stack[-1][0] == level - 1:
            result.setdefault(stack[-1][1], []).append(row)
        stack.append((level, row))
    return result


def catalog_parents(codes: list[str]) -> list[int | None]:
    """Parent row position per row of a service-catalog listing (unit → A → A23 → A2315 → project)."""
    parents: list[int | None] = []
    stack: list[tuple[str, int]] = []  # (catalog code, position)
    unit_row = None
    for i, code in enumerate(codes):
        if _CATALOG.match(code):
            while stack and not code.startswith(stack[-1][0]):
                stack.pop()
            parents.append(stack[-1][1] if stack else unit_row)
            stack.append((code, i))
        elif unit_row is None and not stack:
            unit_row = i
            parents.append(None)
        else:
            parents.append(stack[-1][1] if stack else unit_row)
    return parents


def children_map(table, scheme: str) -> dict:
    """Parent row -> child rows (ascending; parents in the order of their first child)."""
    if scheme == "function":
        found = sel.memo(table, "function_children", "code", (), lambda: _function_children(table))
        if found is not None:
            return found
    return _children_rows(table, scheme)


def _function_children(table) -> dict | None:
    """children_map's function scheme over the distinct codes (function_parent once per code);
    None when the codes cannot be factorised."""
    import numpy as np

    found = sel.factors(table, "code")
    if found is None:
        return None
    codes, distinct = found
    texts: dict[str, int] = {}  # distinct values with the same str() are one code
    remap = np.fromiter((texts.setdefault(str(v), len(texts)) for v in distinct), dtype="int64", count=len(distinct))
    rows = np.flatnonzero(~sel.truthy(table, "is_total")) if "is_total" in table.data else np.arange(table.rows)
    of_row = remap[codes[rows]]
    last = np.full(len(texts), -1, dtype="int64")  # the last row printing each code (what a dict of them keeps)
    order = np.argsort(of_row, kind="stable")
    ends = np.flatnonzero(np.diff(of_row[order], append=-1)) if len(order) else order
    last[of_row[order[ends]]] = rows[order[ends]]
    if "" in texts:
        last[texts[""]] = -1  # an empty code is no parent
    parent_code = np.fromiter((texts.get(function_parent(t), -1) for t in texts), dtype="int64", count=len(texts))
    parent_row = np.where(parent_code >= 0, last[np.maximum(parent_code, 0)], -1)[of_row]
    keep = parent_row >= 0
    grouped = sel.grouped_by(parent_row[keep], rows[keep])
    return {int(parent): children for parent, children in grouped}


def _children_rows(table, scheme: str) -> dict:
    """children_map row by row (the catalog scheme; codes that cannot be factorised)."""
    totals = sel.keys(table, "is_total") if "is_total" in table.data else [False] * table.rows
    rows = [r for r in range(table.rows) if not totals[r]]
    codes = [str(sel.keys(table, "code")[r]) for r in rows]
    result: dict = {}
    if scheme == "function":
        position = {c: r for c, r in zip(codes, rows) if c}
        for code, row in zip(codes, rows):
            parent = position.get(function_parent(code))
            if parent is not None:
                result.setdefault(parent, []).append(row)
    else:
        for row, parent in zip(rows, catalog_parents(codes)):
            if parent is not None:
                result.setdefault(rows[parent], []).append(row)
    return result


def _listed(rows) -> list[int]:
    return rows.tolist() if hasattr(rows, "tolist") else rows


def _as_rows(rows):
    import numpy as np

    return np.asarray(rows, dtype="int64")


def check(document, rule):
    """Yield a finding for every parent row and column that differs from its children."""
    (table,) = need(document, rule.params["table"])
    if rule.params["scheme"] == "outline":
        if "outline" not in table.data:
            raise NotApplicable(f"{table.id} is not printed as an outline")
        tree = outline_children(table, list(rule.params["levels"]))
    elif "code" not in table.data:
        raise NotApplicable(f"{table.id} has no classification codes")
    else:
        tree = children_map(table, rule.params["scheme"])
    if not tree:
        raise NotApplicable(f"{table.id} prints no parent/child rows")
    columns = rule.params.get("columns") or list(table.amount_columns)
    for parent, children in tree.items():
        for column in columns:
            if column not in table.cell_ulps:
                continue
            p_val, p_ulp = sel.total(table, column, [parent])
            c_val, c_ulp = sel.total(table, column, children)
            outcome = compare(c_val, c_ulp, p_val, p_ulp)
            if outcome.verdict == PASS:
                continue
            cells = [sel.cell(table, r, column) for r in [parent, *_listed(children)]] if len(children) <= 256 \
                else Cells([[sel.cell(table, parent, column)], (table, column, _as_rows(children))])  # made when read
            context = {"table": names(table), "row": sel.row_label(table, parent),
                       "column": {lang: sel.column_label(table, column, lang) for lang in ("zh", "en")}}
            result = finding(rule, outcome, table.unit, cells, DEFAULT, context, table.id)
            if result:
                yield result
