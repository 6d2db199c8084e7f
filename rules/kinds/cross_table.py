"""cross-table — the same figure printed in two tables is the same, after 元/万元 conversion.

What it checks: the figure (or sum of rows) selected on the left equals the one selected on the
right; with `join`, row by row on key columns (表五 rows = 表三 rows by 科目编码). Figures are
compared in 分, so 万元 and 元 tables compare directly, within the rounding each one printed.
When the two differ by exactly a factor of 10,000, the table's unit label is what is wrong: the
finding is reported under `unit_rule` (a structure code) with that explanation.
With `relation: le` (`ge`) the left figure must be at most (at least) the right one: a figure that
is part of another (30217 公务接待费 of 基本支出 ≤ the 三公 table's 公务接待费, which project money
also pays; 机关运行经费 ≤ 302 + 310 where the units' figures are included); only the wrong
direction beyond rounding fails. Each finding names both tables with their own figure
(`extra.sides`): neither is said to be the one that "should be" right.
Why it matters: the same money must read the same wherever a citizen looks it up.
Passes: 表三 总计 63,234,665.44 元 = 表五 总计 63,234,665.44 元.
Fails: 表十二 资金总额 labelled 万元 printing 63,234,665.44 (= 元 figure of 表三).
Example:
    kind: cross-table
    params:
      left: {table: expenditure_summary, where: {is_total: true}, column: total}
      right: {table: general_budget_expenditure, where: {is_total: true}, column: total}
"""

from __future__ import annotations

from budget_audit.loaders.model import FEN_PER_UNIT
from budget_audit.rules import selection as sel
from budget_audit.rules.compare import FAIL, PASS, compare
from budget_audit.rules.findings import Cells, Finding, format_amount
from budget_audit.rules.kinds import NotApplicable
from budget_audit.rules.kinds.params import SPECS, TEXT, TEXTS, choice
from budget_audit.rules.kinds.base import finding, names, need, render, validate_keys, validate_table

PARAMS = {"left": SPECS, "right": SPECS, "join": TEXTS, "unit_rule": TEXT,
          "relation": choice("eq", "le", "ge")}

DEFAULT = {
    "zh": "{right_table}「{right_row}」{right_column} 为 {actual} {unit}，与 {left_table}「{left_row}」{left_column} {expected} {unit} 不一致，相差 {difference} {unit}",
    "en": "{right_table} [{right_row}] {right_column} is {actual} {unit}, but {left_table} [{left_row}] {left_column} says {expected} {unit}; difference {difference} {unit}",
}
LESS = {
    "zh": "{left_table}「{left_row}」{left_column} {expected} {unit} 超过了 {right_table}「{right_row}」{right_column} {actual} {unit}（前者是后者的一部分），超出 {excess} {unit}",
    "en": "{left_table} [{left_row}] {left_column} {expected} {unit} exceeds {right_table} [{right_row}] {right_column} {actual} {unit}, of which it is a part, by {excess} {unit}",
}
MORE = {
    "zh": "{left_table}「{left_row}」{left_column} {expected} {unit} 小于 {right_table}「{right_row}」{right_column} {actual} {unit}（后者是前者的一部分），相差 {excess} {unit}",
    "en": "{left_table} [{left_row}] {left_column} {expected} {unit} is less than {right_table} [{right_row}] {right_column} {actual} {unit}, which is part of it, by {excess} {unit}",
}
UNIT = {
    "zh": "{right_table} 的单位标注为“{declared}”，但其数字 {printed} 与 {left_table} 的 {expected} {unit} 只在按“元”理解时一致：单位标注与数字不符",
    "en": "{right_table} is labelled '{declared}' but its figure {printed} matches {left_table}'s {expected} {unit} only when read in 元: the unit label contradicts the figures",
}


def validate(params):
    """Required: left and right, each {table, column, where?} or a list of them (summed);
    optional join: [key columns] (single specs only), unit_rule: a structure code,
    relation: eq | le | ge (left to right)."""
    problem = validate_keys(params, ("left", "right"))
    if problem:
        return problem
    for side in ("left", "right"):
        for i, spec in enumerate(_specs(params[side])):
            if not isinstance(spec, dict) or "column" not in spec:
                return f"{side}.column", "missing"
            if validate_table(spec):
                return f"{side}.table", f"unknown table id {spec.get('table')!r}"
    return None


def _specs(value):
    return value if isinstance(value, list) else [value]


def _groups(table, spec, join):
    """{key: int64 array of rows} (cached: key columns never change)."""
    key = repr((sorted((spec.get("where") or {}).items()), list(join)))
    return sel.memo(table, "join_groups", key, [*(spec.get("where") or {}), *join],
                    lambda: _group(table, spec, join))


def _group(table, spec, join):
    found = sel.grouped(table, sel.mask(table, spec.get("where")), list(join))
    return found if found is not None else _group_rows(table, spec, join)


def _group_rows(table, spec, join):
    """_group row by row: for key columns that cannot be factorised (and to pin the fast path)."""
    import numpy as np

    rows = sel.rows(table, spec.get("where"))
    columns = [sel.keys(table, k) for k in join]
    groups: dict = {}
    for row in rows:
        key = tuple(str(column[row]) for column in columns)
        groups.setdefault(key, []).append(row)
    return {key: np.asarray(rows, dtype="int64") for key, rows in groups.items()}


def _collect(document, specs, join):
    """Per key: (value, ulp, cells, first (table, row)) summed over every spec of a side; the
    cells as runs (table, column, int64 rows), made into CellRefs only for a finding."""
    tables = need(document, *[s["table"] for s in specs])
    out: dict = {}
    for table, spec in zip(tables, specs):
        if spec["column"] not in table.cell_ulps:
            raise NotApplicable(f"{table.id} has no amount column {spec['column']}")
        for column in join:
            if column not in table.cell_lines:
                raise NotApplicable(f"{table.id} has no column {column}")
        for key, rows in _groups(table, spec, join).items():
            values, ulps = sel.total(table, spec["column"], rows)
            value, ulp, cells, first = out.get(key, (0, 0, [], None))
            out[key] = (value + values, ulp + ulps, cells + [(table, spec["column"], rows)],
                        (first or ()) + tuple((table, r, spec["column"]) for r in rows[:3].tolist()))  # rows named
    return tables, out


def _cells(runs):
    """A side's cells: a list of CellRefs for a few, lazy Cells for long runs."""
    if sum(len(rows) for _, _, rows in runs) <= 256:
        return [sel.cell(table, r, column) for table, column, rows in runs for r in rows.tolist()]
    return Cells(runs)


def check(document, rule):
    """Yield a finding for every figure (or joined row) that differs between the two sides."""
    join = rule.params.get("join") or []
    ltables, lside = _collect(document, _specs(rule.params["left"]), join)
    rtables, rside = _collect(document, _specs(rule.params["right"]), join)
    if not lside or not rside:
        raise NotApplicable("one of the tables has no row to compare")
    left, right = ltables[0], rtables[0]
    relation = rule.params.get("relation", "eq")
    for key in list(lside) + [k for k in rside if k not in lside]:
        lval, lulp, lcells, lfirst = lside.get(key, (0, 0, [], None))
        rval, rulp, rcells, rfirst = rside.get(key, (0, 0, [], None))
        outcome = compare(lval, lulp, rval, rulp)
        if outcome.verdict == PASS or (relation == "le" and lval <= rval) or (relation == "ge" and lval >= rval):
            continue
        lcells, rcells = _cells(lcells), _cells(rcells)
        lrows, rrows = lfirst or (), rfirst or ()
        lfirst, rfirst = lrows[0] if lrows else None, rrows[0] if rrows else None
        context = {
            "left_table": names(lfirst[0] if lfirst else left), "right_table": names(rfirst[0] if rfirst else right),
            "left_row": _row_names(lrows, len(lcells)), "right_row": _row_names(rrows, len(rcells)),
            "left_column": {l: sel.column_label(lfirst[0], lfirst[2], l) if lfirst else "" for l in ("zh", "en")},
            "right_column": {l: sel.column_label(rfirst[0], rfirst[2], l) if rfirst else "" for l in ("zh", "en")},
        }
        if outcome.verdict == FAIL and rule.params.get("unit_rule") and rfirst and rval and \
                rval == lval * FEN_PER_UNIT[right.unit] // FEN_PER_UNIT["元"]:
            yield _unit_finding(rule, left, right, [rfirst[1]], outcome, lcells + rcells, context)
            continue
        template = {"le": LESS, "ge": MORE}.get(relation, DEFAULT) if outcome.verdict == FAIL else DEFAULT
        context["excess"] = format_amount(abs(lval - rval), left.unit)
        result = finding(rule, outcome, left.unit, lcells + rcells, template, context, right.id)
        if result:
            result.extra["sides"] = [{"table": (lfirst[0] if lfirst else left).id, "value": lval},
                                     {"table": (rfirst[0] if rfirst else right).id, "value": rval}]
            yield result


def _row_names(named, count: int) -> str:
    """The rows a side sums: '302 商品和服务支出 + 310 资本性支出', '…' when it sums more."""
    labels = list(dict.fromkeys(sel.row_label(t, r) for t, r, _ in named))
    return (" + ".join(labels) + (" …" if count > len(named) else "")) or "—"


def _unit_finding(rule, left, right, rrows, outcome, cells, context):
    printed = right.text(rrows[0], rule.params["right"]["column"]).strip() if rrows else ""
    context = {**context, "declared": right.unit, "printed": printed, "unit": left.unit,
               "expected": format_amount(outcome.expected, left.unit)}
    # the figure both tables print; no actual or difference: a ×10,000 gap means nothing
    return Finding(rule=rule.params["unit_rule"], severity="error", message=render(UNIT, context),
                   table=right.id, expected=outcome.expected, actual=None, unit=left.unit,
                   cells=cells, family="STR", extra={"declared_unit": right.unit, "printed": printed},
                   title={"zh": "单位标注与数字不符", "en": "Unit label contradicts the figures"})
