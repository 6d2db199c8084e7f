"""The table lines of sibling documents: a unit's lines within its department's, a department
equal to the sum of its units, a 上年 column equal to last year's document (the cross-document
kind's table checks; see cross_document.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from budget_audit.loaders.model import Document
from budget_audit.rules.findings import Finding
from budget_audit.rules.ruleset import Rule
from budget_audit.rules.siblings.cross_document import placed

KEY_COLUMNS = ("side", "item", "code", "dept_econ_code", "gov_econ_code", "function_code", "is_total")
LABELS = ("name", "label", "dept_econ_name", "gov_econ_name", "project")
MESSAGES = {
    "department-sum-of-units": {
        "zh": "{table}“{row}”的“{column}”：部门为 {actual} {unit}，而所属 {n} 个单位（{sibling}）之和为 {expected} {unit}，相差 {difference} {unit}",
        "en": "{table}, “{row}”, “{column}”: the department's {actual} {unit} differs from the sum of its {n} units "
              "({sibling}), {expected} {unit}, by {difference} {unit}"},
    "unit-within-department": {
        "zh": "{table}“{row}”的“{column}”：单位为 {actual} {unit}，超过部门（{sibling}）的 {expected} {unit}，多 {difference} {unit}",
        "en": "{table}, “{row}”, “{column}”: the unit's {actual} {unit} exceeds its department's {expected} {unit} "
              "({sibling}) by {difference} {unit}"},
    "prior-year-column": {
        "zh": "{table}“{row}”的“{column}”为 {actual} {unit}，而上年的文件（{sibling}）本年数为 {expected} {unit}，相差 {difference} {unit}",
        "en": "{table}, “{row}”, “{column}”: {actual} {unit}, but last year's document ({sibling}) prints "
              "{expected} {unit} for its own year; difference {difference} {unit}"},
}


def row_keys(table) -> dict[tuple, int]:
    """Row position by a key that names the line in any document of the template (codes, side and
    item, the 合计 flag; a label only when no code exists); rows whose key repeats are left out."""
    keys: dict[tuple, list[int]] = {}
    for row in range(table.rows):
        key = tuple((c, str(table.data[c][row])) for c in KEY_COLUMNS
                    if c in table.data and table.data[c][row] not in (None, "", False))
        if not any(c in ("code", "dept_econ_code", "gov_econ_code", "function_code", "item") for c, _ in key):
            label = next((table.data[c][row] for c in LABELS if c in table.data and table.data[c][row]), None)
            key += (("label", "".join(str(label).split())),) if label else ()
        if key:
            keys.setdefault(key, []).append(row)
    return {k: rows[0] for k, rows in keys.items() if len(rows) == 1}


def unit_within(unit_doc, department, rule) -> Iterator[Finding]:
    from budget_audit.loaders.catalog import table_name
    from budget_audit.rules.kinds.base import render
    from budget_audit.rules.findings import format_amount
    from budget_audit.rules.selection import cell

    for table_id, table in unit_doc.tables.items():
        other = department.tables.get(table_id)
        if other is None or other.unit != table.unit:
            continue
        theirs = row_keys(other)
        for key, row in row_keys(table).items():
            if key not in theirs:
                continue
            for column in (c for c in table.amount_columns if c in other.amount_columns):
                mine, dept = table.data[column][row], other.data[column][theirs[key]]
                if mine is None or mine <= 0 or dept is None or dept < 0:
                    continue
                slack2 = table.cell_ulps[column][row] + other.cell_ulps[column][theirs[key]]
                if 2 * (mine - dept) <= slack2:
                    continue
                here, there = cell(table, row, column), cell(other, theirs[key], column)
                context = {"table": table_name(table_id), "row": here.row, "column": here.column, "unit": table.unit,
                           "actual": format_amount(mine, table.unit), "expected": format_amount(dept, table.unit),
                           "difference": format_amount(mine - dept, table.unit), "sibling": Path(department.path).name}
                yield Finding(rule=rule.code, severity=rule.severity,
                              message=render(rule.message or MESSAGES["unit-within-department"], context),
                              table=table_id, expected=dept, actual=mine, unit=table.unit,
                              cells=[placed(unit_doc, here), placed(department, there)], family=rule.family,
                              title=rule.title, extra={"sibling": department.path, "relation": "department_unit"})


def department_sum(department: Document, units: list[Document], rule: Rule) -> Iterator[Finding]:
    """Each line of a department printed by at least one unit = Σ that line over all its units."""
    from budget_audit.loaders.catalog import table_name
    from budget_audit.rules.findings import format_amount
    from budget_audit.rules.kinds.base import render
    from budget_audit.rules.selection import cell

    for table_id, table in department.tables.items():
        parts = [(u, u.tables[table_id]) for u in units if table_id in u.tables and u.tables[table_id].unit == table.unit]
        if len(parts) != len(units):
            continue  # a unit without this table: nothing to say about its sum
        keyed = [(u, t, row_keys(t)) for u, t in parts]
        for key, row in row_keys(table).items():
            holders = [(u, t, keys[key]) for u, t, keys in keyed if key in keys]
            if not holders:
                continue
            for column in (c for c in table.amount_columns if all(c in t.amount_columns for _, t in parts)):
                total = table.data[column][row]
                if total is None:
                    continue
                summed = sum(t.data[column][r] or 0 for _, t, r in holders)
                slack2 = table.cell_ulps[column][row] + sum(t.cell_ulps[column][r] for _, t, r in holders)
                if 2 * abs(total - summed) <= slack2:
                    continue
                here = cell(table, row, column)
                context = {"table": table_name(table_id), "row": here.row, "column": here.column, "unit": table.unit,
                           "actual": format_amount(total, table.unit), "expected": format_amount(summed, table.unit),
                           "difference": format_amount(total - summed, table.unit), "n": len(units),
                           "sibling": "、".join(Path(u.path).name for u in units)}
                cells = [placed(department, here)] + [placed(u, cell(t, r, column)) for u, t, r in holders]
                yield Finding(rule=rule.code, severity=rule.severity,
                              message=render(rule.message or MESSAGES["department-sum-of-units"], context),
                              table=table_id, expected=summed, actual=total, unit=table.unit, cells=cells,
                              family=rule.family, title=rule.title,
                              extra={"siblings": [u.path for u in units], "relation": "department_unit"})


def prior_year_columns(document: Document, previous: Document, rule: Rule) -> Iterator[Finding]:
    """Each line of a 上年 column (params.columns: 上年 column -> the 本年 column it restates) = the
    same line of last year's document, within the rounding of both printed figures."""
    from budget_audit.loaders.catalog import table_name
    from budget_audit.rules.findings import format_amount
    from budget_audit.rules.kinds.base import render
    from budget_audit.rules.selection import cell

    for table_id, table in document.tables.items():
        other = previous.tables.get(table_id)
        if other is None:
            continue
        theirs = row_keys(other)
        for prior, current in rule.params.get("columns", {}).items():
            if prior not in table.cell_ulps or current not in other.cell_ulps:
                continue
            for key, row in row_keys(table).items():
                if key not in theirs:
                    continue
                stated, own = table.data[prior][row], other.data[current][theirs[key]]
                if stated is None or own is None:
                    continue  # a line either document leaves out says nothing of the other
                slack2 = table.cell_ulps[prior][row] + other.cell_ulps[current][theirs[key]]
                if 2 * abs(stated - own) <= slack2:
                    continue
                here, there = cell(table, row, prior), cell(other, theirs[key], current)
                context = {"table": table_name(table_id), "row": here.row, "column": here.column, "unit": table.unit,
                           "actual": format_amount(stated, table.unit), "expected": format_amount(own, table.unit),
                           "difference": format_amount(stated - own, table.unit), "year": previous.year or "",
                           "sibling": Path(previous.path).name}
                yield Finding(rule=rule.code, severity=rule.severity,
                              message=render(rule.message or MESSAGES["prior-year-column"], context),
                              table=table_id, expected=own, actual=stated, unit=table.unit,
                              cells=[placed(document, here), placed(previous, there)], family=rule.family,
                              title=rule.title, extra={"sibling": previous.path, "relation": "previous_year"})
