"""row-identity — within each row, a column equals the sum of other columns.

What it checks: for every selected row of one table, `total` = Σ `parts`
(合计 = 基本支出 + 项目支出; 基本支出 = 人员经费 + 公用经费).
Why it matters: a row whose uses do not add up publishes two different figures for the same money.
Passes: 2010301 行政运行 | 合计 10,487,612.96 | 基本 10,487,612.96 | 项目 0.00.
Fails: 合计 55,420,668.66 | 基本 10,487,612.96 | 项目 44,933,055.71 (0.01 元 off, with 2-decimal
figures that leave no rounding slack).
With `relation: ge` (or `le`) the total must be at least (at most) the sum instead.
Example:
    kind: row-identity
    params: {table: expenditure_summary, total: total, parts: [basic, project]}
"""

from __future__ import annotations

from budget_audit.rules import selection as sel
from budget_audit.rules.compare import compare_arrays, compare
from budget_audit.rules.kinds import NotApplicable
from budget_audit.rules.kinds.params import FLAG, TEXT, TEXTS, WHERE, choice
from budget_audit.rules.kinds.base import finding, names, need, validate_keys, validate_table

PARAMS = {"table": TEXT, "total": TEXT, "parts": TEXTS, "where": WHERE,
          "relation": choice("eq", "ge", "le"), "missing_is_zero": FLAG}

DEFAULT = {
    "zh": "{table}「{row}」：{total_label} {actual} {unit}，而 {parts_label} 之和为 {expected} {unit}，相差 {difference} {unit}",
    "en": "{table} [{row}]: {total_label} is {actual} {unit} but {parts_label} add up to {expected} {unit}; difference {difference} {unit}",
}


def validate(params):
    """Required: table, total, parts; optional where, relation (eq | ge | le), missing_is_zero."""
    return validate_keys(params, ("table", "total", "parts")) or validate_table(params)


def check(document, rule):
    """Yield a finding for every row where total ≠ Σ parts beyond rounding."""
    import numpy as np

    (table,) = need(document, rule.params["table"])
    total, parts = rule.params["total"], list(rule.params["parts"])
    missing = [c for c in [total, *parts] if c not in table.cell_ulps]
    if missing and not rule.params.get("missing_is_zero"):
        raise NotApplicable(f"{table.id} has no column {missing[0]}")
    rows = sel.mask(table, rule.params.get("where"))
    index = rows.nonzero()[0]
    t_val, t_ulp = sel.values(table, total, rows)
    p_val = np.zeros(len(index), dtype="int64")
    p_ulp = np.zeros(len(index), dtype="int64")
    for part in parts:
        v, u = sel.values(table, part, rows)
        p_val += v
        p_ulp += u
    verdicts = compare_arrays(p_val, p_ulp, t_val, t_ulp)
    relation = rule.params.get("relation", "eq")
    if relation != "eq":  # an inequality: only the wrong direction beyond rounding fails
        wrong = (t_val < p_val) if relation == "ge" else (t_val > p_val)
        verdicts = np.where(wrong, verdicts, 0)
    for i in np.nonzero(verdicts)[0]:
        row = index[i]
        outcome = compare(int(p_val[i]), int(p_ulp[i]), int(t_val[i]), int(t_ulp[i]))
        cells = [sel.cell(table, row, c) for c in [total, *parts] if c in table.data]
        context = {"table": names(table), "row": sel.row_label(table, row),
                   "total_label": {lang: sel.column_label(table, total, lang) for lang in ("zh", "en")},
                   "parts_label": {lang: " + ".join(sel.column_label(table, p, lang) for p in parts)
                                   for lang in ("zh", "en")}}
        result = finding(rule, outcome, table.unit, cells, DEFAULT, context, table.id)
        if result:
            yield result
