"""Reading a table the way rules ask for it: row filters, values with ulps, cell references."""

from __future__ import annotations

from typing import Any

from budget_audit.loaders.catalog import catalog
from budget_audit.loaders.model import Table
from budget_audit.rules.findings import CellRef


def mask(table: Table, where: dict[str, Any] | None):
    """Boolean Series of the rows matching `where`: {col: value | [values] | {not: [...]}}."""
    frame = table.frame
    result = frame.index == frame.index
    for column, wanted in (where or {}).items():
        if column not in frame.columns:
            return frame.index != frame.index
        series = frame[column]
        if isinstance(wanted, dict) and "not" in wanted:
            result &= ~series.isin(_as_list(wanted["not"]))
        elif isinstance(wanted, dict) and "prefix" in wanted:
            result &= series.astype(str).str.startswith(tuple(_as_list(wanted["prefix"])))
        elif isinstance(wanted, dict) and "not_prefix" in wanted:
            result &= ~series.astype(str).str.startswith(tuple(_as_list(wanted["not_prefix"])))
        else:
            result &= series.isin(_as_list(wanted))
    return result


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


def values(table: Table, column: str, rows=None):
    """(values, ulps) as int64 numpy arrays; blank cells are 0 with ulp 0."""
    import numpy as np

    if column not in table.frame.columns:
        n = len(table.frame) if rows is None else int(np.asarray(rows).sum())
        return np.zeros(n, dtype="int64"), np.zeros(n, dtype="int64")
    series, ulps = table.frame[column], table.ulps[column]
    if rows is not None:
        series, ulps = series[rows], ulps[rows]
    return series.fillna(0).to_numpy(dtype="int64"), ulps.to_numpy(dtype="int64")


def is_printed(table: Table, column: str, row: Any) -> bool:
    """True when the cell holds a figure."""
    return column in table.frame.columns and table.frame.at[row, column] is not None and \
        str(table.frame.at[row, column]) != "<NA>"


def row_label(table: Table, row: Any) -> str:
    """A human name for a row: '2010301 行政运行', '本年收入合计', a project name."""
    frame = table.frame
    parts = []
    for column in ("code", "name", "dept_econ_code", "dept_econ_name", "label", "project"):
        if column in frame.columns:
            value = str(frame.at[row, column]).strip()
            if value and value not in parts:
                parts.append(value)
    if frame.columns.__contains__("is_total") and bool(frame.at[row, "is_total"]) and not parts:
        parts.append("合计")
    return " ".join(parts[:3]) or f"#{row + 1}"


def column_label(table: Table, column: str, lang: str = "zh") -> str:
    """The printed header of a column, else the catalog's name for its id."""
    printed = table.extras.get("column_labels", {}).get(column)
    if printed and lang == "zh":
        return printed
    names = catalog().get("column_names", {}).get(column)
    return names[lang] if names else column


def cell(table: Table, row: Any, column: str) -> CellRef:
    """A reference to one cell, for a finding's `cells`."""
    text = table.text(row, column).strip()
    return CellRef(table=table.id, row=row_label(table, row), column=column_label(table, column),
                   value=text or None, source=table.location(row, column))
