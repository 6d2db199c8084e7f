"""Where a narrative subject's figure is printed in the tables: YAML specs -> figures in 分.

A spec is {table, column, where?, prior_column?, match?, otherwise?, instead?} or a list of them
(summed); `instead` is the spec read when the document has no `table` (another template prints
the figure elsewhere);
`otherwise` ({where, unless?}) is read when `where` selects no row and no `unless` row is printed. `match`
keeps the rows whose `column` value names a row of another table, e.g. the 表九 rows of the
projects that have a 表十三 form: {column: project, table: project_performance, key: name}.
A count spec is {table, where?}: the number of rows. When a figure cannot be read, the
functions return the reason instead, in Chinese and English.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from budget_audit.loaders.catalog import table_name
from budget_audit.loaders.model import Document
from budget_audit.rules import selection as sel
from budget_audit.rules.findings import CellRef
from budget_audit.rules.narrative.subjects import family

Reason = dict[str, str]


@dataclass(frozen=True)
class Figure:
    """A table figure: value and ulp in 分 (or a row count), and the cells it was read from."""

    value: int
    ulp: int
    unit: str
    cells: tuple[CellRef, ...]
    tables: tuple[str, ...] = ()


def spec_for(maps: Any, subject: str | None) -> Any:
    """The spec of a subject in one map or a list of maps (the first that has it)."""
    subject = family(subject)   # every 功能分类 item is mapped under 功能分类科目
    for figures in maps if isinstance(maps, list) else [maps]:
        if figures and subject in figures:
            return figures[subject]
    return None


def specs(spec: Any) -> list[dict[str, Any]]:
    """A spec as a list of single-table specs."""
    return spec if isinstance(spec, list) else [spec]


def amount(document: Document, spec: Any, prior: bool = False) -> Figure | Reason:
    """The sum of the selected cells (the previous year's column when `prior`)."""
    value = ulp = 0
    cells: list[CellRef] = []
    unit = "元"
    used = []
    for one in specs(spec):
        while document.table(one["table"]) is None and isinstance(one.get("instead"), dict):
            one = one["instead"]  # a template that prints the figure in another table
        used.append(one["table"])
        column = one.get("prior_column") if prior else one["column"]
        if column is None:
            return {"zh": f"{table_name(one['table'])}只列本年数", "en": f"{table_name(one['table'], 'en')} shows this year only"}
        table, rows = _rows(document, one)
        if table is None:
            return rows
        if not rows and one.get("otherwise"):
            one, (table, rows) = _otherwise(document, one)
        if not rows:
            return {"zh": f"{table_name(table.id)}中没有对应的行", "en": f"{table_name(table.id, 'en')} has no matching row"}
        if column not in table.cell_ulps:
            return {"zh": f"{table_name(table.id)}没有“{column}”栏", "en": f"{table_name(table.id, 'en')} has no column {column}"}
        values, ulps = sel.total(table, column, rows)
        value, ulp, unit = value + values, ulp + ulps, table.unit
        cells += [sel.cell(table, row, column) for row in rows]
    return Figure(value, ulp, unit, tuple(cells), tuple(used))


def _otherwise(document: Document, spec: dict[str, Any]):
    """The spec's `otherwise` (the same table, another `where`) when the table prints none of the
    `unless` rows: Shanghai's 财务收支预算总表 has no 本年收入 row, and with no 上年结转 row its 收入总计
    is the year's income."""
    other = {**spec, **spec["otherwise"]}
    unless = other.pop("unless", None)
    other.pop("otherwise", None)
    table = document.table(spec["table"])
    if unless is not None and sel.mask(table, unless).any():
        return spec, (table, [])
    return other, _rows(document, other)


def count(document: Document, spec: Any) -> Figure | Reason:
    """The number of selected rows."""
    total, cells = 0, []
    for one in specs(spec):
        table, rows = _rows(document, one)
        if table is None:
            return rows
        label_column = next((c for c in ("name", "project", "label") if c in table.data), None)
        total += len(rows)
        cells += [sel.cell(table, row, label_column) if label_column else
                  CellRef(table.id, sel.row_label(table, row), "", None, table.location(row, "")) for row in rows]
    return Figure(total, 0, "", tuple(cells), tuple(one["table"] for one in specs(spec)))


def _rows(document: Document, spec: dict[str, Any]):
    """(table, selected row labels, maybe none) or (None, reason)."""
    import numpy as np

    table = document.table(spec["table"])
    if table is None:
        return None, {"zh": f"文件中没有{table_name(spec['table'])}", "en": f"the document has no {table_name(spec['table'], 'en')}"}
    mask = sel.mask(table, spec.get("where"))
    match = spec.get("match")
    if match:
        other = document.table(match["table"])
        if other is None:
            return None, {"zh": f"文件中没有{table_name(match['table'])}", "en": f"the document has no {table_name(match['table'], 'en')}"}
        wanted = set(other.data.get(match["key"], []))
        keys = table.data.get(match["column"], [None] * table.rows)
        # A bool array of the table's length: `&=` with a plain list fails when it is empty.
        mask &= np.fromiter((value in wanted for value in keys), dtype=bool, count=table.rows)
    return table, [int(i) for i in mask.nonzero()[0]]
