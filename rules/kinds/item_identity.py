"""item-identity — one row of a table equals the sum of other rows of the same table.

What it checks: in one column, the row selected by `total` = Σ the rows selected by `parts`
(收入总计 = 本年收入合计 + 上年结转; "三公"经费合计 = 因公出国（境）费 + 公务接待费 + 公务用车…;
公务用车购置及运行维护费 = 购置费 + 运行维护费).
Why it matters: these are the balance identities of the summary tables; if they fail, the
document's own totals contradict it.
Passes: 收入总计 63,234,665.44 = 本年收入合计 63,234,665.44 + 上年结转 (blank).
Fails: 收入总计 9,715.698690 with 本年收入合计 8,721.588540 and 上年结转结余 994.110151.
Example:
    kind: item-identity
    params:
      table: income_expenditure_summary
      total: {side: income, item: grand_total}
      parts: [{side: income, item: current_total}, {side: income, item: carryover}]
"""

from __future__ import annotations

from budget_audit.rules import selection as sel
from budget_audit.rules.compare import compare
from budget_audit.rules.kinds import NotApplicable
from budget_audit.rules.kinds.params import TEXT, WHERE, WHERES
from budget_audit.rules.kinds.base import finding, names, need, validate_keys, validate_table

PARAMS = {"table": TEXT, "column": TEXT, "total": WHERE, "parts": WHERES, "parts_where": WHERE}

DEFAULT = {
    "zh": "{table}：{total_row} {actual} {unit}，而 {parts_rows} 之和为 {expected} {unit}，相差 {difference} {unit}",
    "en": "{table}: {total_row} is {actual} {unit} but {parts_rows} add up to {expected} {unit}; difference {difference} {unit}",
}


def validate(params):
    """Required: table, total (a row filter), parts (a list of row filters) or parts_where."""
    if "parts" not in params and "parts_where" not in params:
        return "parts", "missing (or give parts_where)"
    return validate_keys(params, ("table", "total")) or validate_table(params)


def check(document, rule):
    """Yield a finding when the total row differs from the sum of the part rows."""
    (table,) = need(document, rule.params["table"])
    column = rule.params.get("column", "amount")
    if column not in table.cell_ulps:
        raise NotApplicable(f"{table.id} has no amount column {column}")
    total_rows = sel.rows(table, rule.params["total"])
    if not total_rows:
        raise NotApplicable(f"{table.id} has no row {rule.params['total']}")
    part_rows: list = []
    for spec in rule.params.get("parts") or []:
        part_rows += [r for r in sel.rows(table, spec) if r not in part_rows]
    if "parts_where" in rule.params:
        more = sel.rows(table, rule.params["parts_where"])
        part_rows += [r for r in more if r not in part_rows and r not in total_rows]
    if not part_rows:
        raise NotApplicable(f"{table.id} has none of the part rows")
    total = total_rows[0]
    t_val, t_ulp = sel.total(table, column, [total])
    p_val, p_ulp = sel.total(table, column, part_rows)
    outcome = compare(p_val, p_ulp, t_val, t_ulp)
    cells = [sel.cell(table, r, column) for r in [total, *part_rows]]
    context = {"table": names(table), "total_row": sel.row_label(table, total),
               "parts_rows": " + ".join(sel.row_label(table, r) for r in part_rows[:6])
               + (" …" if len(part_rows) > 6 else "")}
    result = finding(rule, outcome, table.unit, cells, DEFAULT, context, table.id)
    if result:
        yield result
