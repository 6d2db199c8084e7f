"""column-sum — the total row of a table equals the sum of its detail rows, column by column.

What it checks: for each amount column, the 合计/总计 row = Σ the detail rows. With
`rows: top`, only rows whose 功能分类 parent is not itself listed are summed (类 rows when the
table prints 类/款/项, every row when it prints only 项), so subtotals are not counted twice.
Why it matters: a total that is not the sum of what is printed above it is the most visible
arithmetic error a disclosure can carry.
Passes: 表三 总计 63,234,665.44 = Σ 类 rows (201 + 205 + 206 + 208 + 210 + 221).
Fails: 预算03表 合 计 27,921.891610 while its rows add up to 5,816.074996.
Example:
    kind: column-sum
    params: {table: expenditure_summary, columns: [total, basic, project], rows: top}
"""

from __future__ import annotations

from budget_audit.loaders.codes import function_parent
from budget_audit.rules import selection as sel
from budget_audit.rules.compare import PASS, compare
from budget_audit.rules.findings import Cells
from budget_audit.rules.kinds import NotApplicable
from budget_audit.rules.kinds.params import ROWS, TEXT, TEXTS
from budget_audit.rules.kinds.base import finding, names, need, validate_keys, validate_table

PARAMS = {"table": TEXT, "columns": TEXTS, "rows": ROWS}

DEFAULT = {
    "zh": "{table} 合计行「{column}」为 {actual} {unit}，而各明细行之和为 {expected} {unit}，相差 {difference} {unit}",
    "en": "{table}: the total row's {column} is {actual} {unit} but its detail rows add up to {expected} {unit}; difference {difference} {unit}",
}


def validate(params):
    """Required: table; optional columns (default: every amount column), rows: top|all|filter."""
    return validate_keys(params, ("table",)) or validate_table(params)


def detail_mask(table, rows_spec):
    """The rows a total sums: top-level rows, all non-total rows, or a filter."""
    columns = rows_spec if isinstance(rows_spec, dict) else ()
    return sel.memo(table, "detail_masks", repr(rows_spec), columns, lambda: _detail_mask(table, rows_spec)).copy()


def _detail_mask(table, rows_spec):
    import numpy as np

    not_total = ~np.array(sel.keys(table, "is_total"), dtype=bool)
    if isinstance(rows_spec, dict):
        return sel.mask(table, rows_spec) & not_total
    if rows_spec == "top" and "code" in table.data:
        found = sel.factors(table, "code")
        if found is not None:  # function_parent once per distinct code
            codes, distinct = found
            present = {distinct[c] for c in np.unique(codes[not_total]).tolist()}
            top = np.fromiter((function_parent(c) not in present for c in distinct), dtype=bool, count=len(distinct))
            return not_total & top[codes]
        codes = sel.keys(table, "code")
        present = {c for c, keep in zip(codes, not_total) if keep}
        return not_total & np.array([function_parent(c) not in present for c in codes], dtype=bool)
    return not_total


def check(document, rule):
    """Yield one finding per amount column whose total differs from the sum of its rows."""
    (table,) = need(document, rule.params["table"])
    if "is_total" not in table.data or not any(table.data["is_total"]):
        raise NotApplicable(f"{table.id} prints no total row")
    total_row = int(sel.truthy(table, "is_total").nonzero()[0][-1])  # the last total row
    details = detail_mask(table, rule.params.get("rows", "all"))
    if not details.any():
        raise NotApplicable(f"{table.id} prints only its total row")
    columns = rule.params.get("columns") or list(table.amount_columns)
    for column in columns:
        if column not in table.cell_ulps:
            continue
        t_val, t_ulp = sel.total(table, column, [total_row])
        d_val, d_ulp = sel.total(table, column, details.nonzero()[0])
        outcome = compare(d_val, d_ulp, t_val, t_ulp)
        if outcome.verdict == PASS:
            continue
        # the detail cells as a run: made one by one only when a report reads them
        cells = Cells([[sel.cell(table, total_row, column)],
                       (table, column, sel.printed_rows(table, column, details.nonzero()[0]))])
        context = {"table": names(table),
                   "column": {lang: sel.column_label(table, column, lang) for lang in ("zh", "en")}}
        result = finding(rule, outcome, table.unit, cells, DEFAULT, context, table.id)
        if result:
            yield result
