"""Workbook sheets (.xlsx, .xls) -> the located row/text stream of `document.build_document`.

Both workbook readers reduce a sheet to its non-blank cells (row, column -> printed text);
this module numbers them in reading order (sheet by sheet, row by row, left to right) and maps
every number to `SourceLocation(sheet=, ref=)`. A merged range's text sits in its top-left
cell and the rest of the range is blank, marked as covered ("up" / "left", as the PDF reader
marks a ruled grid) so that headers.py forward-fills an upper header level but not into a
column whose label is merged down from above (机关运行经费预算数). Recognition stays shared: a sheet whose
rows never hold two texts (cover, contents, the narrative sheets) becomes text lines, one per
printed line of each cell; any other sheet becomes rows spanning its used columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from decimal import ROUND_HALF_UP, Decimal

from budget_audit.loaders.layout import RawCell, RawRow, TextLine
from budget_audit.loaders.model import Document, LoadError, SourceLocation

MAX_ROWS = 65_536       # rows per sheet: the old .xls limit; a disclosure sheet holds a few hundred
MAX_CELLS = 1_000_000   # non-blank cells per workbook
MAX_DECIMALS = 6        # 6 decimals of 万元 is 1 分: finer digits of a stored double are noise

_NOTE = re.compile(r"^\s*(注|说明|备注)\s*[:：\d]")  # a note printed under a table
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')  # literal text, colours, padding in a format


@dataclass
class Sheet:
    """One sheet's non-blank cells: {(row, column): printed text}, 1-based like Excel."""

    name: str
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # cells computed by a formula
    empty: set[tuple[int, int]] = field(default_factory=set)  # cells present without a value
    uncalculated: list[tuple[int, int]] = field(default_factory=list)  # formulas without a stored result
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_row, min_col, max_row, max_col


def covered(sheet: Sheet, rows: int, columns: int) -> dict[tuple[int, int], str]:
    """The cells a merged range covers (all but its top-left), within rows x columns: "up" below
    the range's first row, "left" to the right in it, as the PDF reader marks a ruled grid's
    merged cells (a header label merged down over the rows below is a column's own label)."""
    out: dict[tuple[int, int], str] = {}
    for min_row, min_col, max_row, max_col in sheet.merges:
        for row in range(min_row, min(max_row, rows) + 1):
            for column in range(min_col, min(max_col, columns) + 1):
                if (row, column) != (min_row, min_col):
                    out[(row, column)] = "up" if row > min_row else "left"
    return out


def column_letter(column: int) -> str:
    """1 -> A, 27 -> AA (Excel's column names)."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def ref(row: int, column: int) -> str:
    """The A1-style reference of a cell."""
    return f"{column_letter(column)}{row}"


def number_text(value: float | int, number_format: str | None) -> str:
    """A stored number as printed text: never hiding a stored digit down to 1 分 of 万元.

    A cell formatted as an amount (decimals or a thousands separator in its format) shows at
    least the format's decimals, and more when the stored value has them (a value displayed as
    91,016,775 that holds 91,016,775.35 is read as 91,016,775.35: the workbook holds the exact
    figure). A General cell prints as Excel shows it: 201 stays a code, 867.5 stays 867.5.
    """
    fmt = _QUOTED.sub("", (number_format or "General").split(";")[0])
    general = fmt.strip().lower() in ("general", "", "@")
    decimal = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    decimal = decimal.quantize(Decimal(1).scaleb(-MAX_DECIMALS), rounding=ROUND_HALF_UP).normalize()
    needed = max(0, -decimal.as_tuple().exponent)
    if "%" in fmt and not general:
        shown = len(fmt.split(".")[1].rstrip("%").strip()) if "." in fmt else 0
        return f"{decimal * 100:.{max(shown, needed - 2)}f}%"
    shown = 0 if general or "." not in fmt else sum(ch in "0#?" for ch in fmt.split(".")[1])
    comma = "," if "," in fmt and not general else ""
    return f"{decimal:{comma}.{max(shown, needed)}f}"


def check_size(path: str, sheet: str, rows: int, cells: int) -> None:
    """LoadError when a sheet or the workbook is too large to be a disclosure (bounded time)."""
    if rows > MAX_ROWS:
        raise LoadError(path, f"sheet {sheet!r} has more than {MAX_ROWS:,} rows: not a disclosure "
                              "sheet (it holds a few hundred); nothing read beyond that")
    if cells > MAX_CELLS:
        raise LoadError(path, f"more than {MAX_CELLS:,} filled cells (reached in sheet {sheet!r}): "
                              "too large to be a disclosure")


def _is_narrative(sheet: Sheet) -> bool:
    rows = [r for r, _ in sheet.cells]
    return len(rows) == len(set(rows))


def _notes(sheet: Sheet) -> set[int]:
    """Rows under a sheet's table that hold only a note ("注：…本表为空表"): text, not rows."""
    rows: dict[int, list[str]] = {}
    for (row, _), text in sheet.cells.items():
        rows.setdefault(row, []).append(text)
    last_table_row = max((r for r, texts in rows.items() if len(texts) > 1), default=0)
    return {r for r, texts in rows.items()
            if r > last_table_row and len(texts) == 1 and _NOTE.match(texts[0])}


def to_items(sheets: list[Sheet]) -> tuple[list[RawRow | TextLine], dict[int, SourceLocation]]:
    """The row/text stream of the workbook and the place of every position number.

    Each sheet is a page (`page` = its 1-based position) as in the paged formats: a contents
    sheet is recognised by its heading and the narrative sheets after the tables resume the
    narrative instead of becoming a table's notes.
    """
    items: list[RawRow | TextLine] = []
    places: dict[int, SourceLocation] = {}

    def place(sheet: Sheet, row: int, column: int) -> int:
        number = len(places) + 1
        places[number] = SourceLocation(sheet=sheet.name, ref=ref(row, column))
        return number

    for page, sheet in enumerate(sheets, 1):
        if not sheet.cells:
            continue
        if _is_narrative(sheet):
            for (row, column), text in sorted(sheet.cells.items()):
                for line in text.splitlines():
                    if line.strip():
                        items.append(TextLine(line.rstrip(), place(sheet, row, column), page=page))
            continue
        width = max(column for _, column in sheet.cells)
        merged = covered(sheet, max(r for r, _ in sheet.cells), width)
        notes = _notes(sheet)
        for row in sorted({r for r, _ in sheet.cells}):
            if row in notes:
                column, text = next((c, t) for (r, c), t in sheet.cells.items() if r == row)
                items.append(TextLine(text.strip(), place(sheet, row, column), page=page))
                continue
            items.append(RawRow([RawCell(sheet.cells.get((row, column), ""), place(sheet, row, column),
                                         merged=merged.get((row, column))) for column in range(1, width + 1)],
                                page=page))
    return items, places


def sheet_cells(sheets: list[Sheet]) -> dict[str, Any]:
    """Document.meta: the printed text of every filled cell, {"sheet_cells": {sheet: {(row, column):
    text}}}, so that a report can show a finding's cells in their sheet as the preparer sees it."""
    return {"sheet_cells": {sheet.name: dict(sheet.cells) for sheet in sheets if sheet.cells}}


def mark_formulas(document: Document, sheets: list[Sheet]) -> None:
    """Table.extras["formulas"]: {"sheet!ref": formula} of each table cell a formula computed
    (and Document.meta["formulas"] for the whole workbook), so a finding can say that the figure
    it checks is a formula's cached result."""
    formulas = {f"{s.name}!{ref(r, c)}": f for s in sheets for (r, c), f in s.formulas.items()}
    if not formulas:
        return
    document.meta["formulas"] = formulas  # for a finding to say that a cell it read is a formula
    for table in document.tables.values():
        lines = {line for column in table.cell_lines.values() for line in column if line}
        found = {}
        for line in lines:
            where = document.places.get(int(line))
            key = f"{where.sheet}!{where.ref}" if where else None
            if key in formulas:
                found[key] = formulas[key]
        if found:
            table.extras["formulas"] = dict(sorted(found.items()))


def uncalculated(path: str, sheets: list[Sheet]) -> None:
    """LoadError naming the first formula cell that has no stored result (never calculated)."""
    for sheet in sheets:
        for row, column in sorted(sheet.uncalculated):
            formula = sheet.formulas[(row, column)]
            raise LoadError(path, f"{sheet.name}!{ref(row, column)}: formula {formula} has no computed "
                                  "value (the workbook was saved without calculating it); open it in "
                                  "Excel or WPS, let it calculate, save, and check again")
