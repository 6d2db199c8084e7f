"""The workbook excerpt: a finding's cells shown in their sheet's own rows and columns (A, B, …),
under the table's header rows, a cell computed by a formula followed by its formula."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from budget_audit.loaders.model import SourceLocation
from budget_audit.reports.formats.html_grid import MAX_ROWS, NUMBER, Excerpt, GridCell, GridRow

SHEET_CONTEXT = 2  # sheet rows shown above and below the cells a check read
_REF = re.compile(r"^([A-Z]+)(\d+)$")


def _cell_at(ref: str) -> tuple[int, int]:
    """'C7' -> (7, 3)."""
    letters, row = _REF.match(ref).groups()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return int(row), column


@dataclass
class SheetIndex:
    """What the excerpts of one workbook table need, built once per table: the sheet's printed
    cells, the rows that hold text, the table's first (header) row and first data row."""

    sheet: str
    texts: dict[tuple[int, int], str]
    filled_rows: dict[int, int]  # row -> its last filled column
    header_top: int
    data_top: int
    formulas: dict[str, str]


def sheet_index(document: Any, table: Any, sheet: str) -> SheetIndex:
    """The SheetIndex of one workbook table on its sheet (the whole sheet's cells when loaded)."""

    def cell(number: int | None) -> tuple[int, int] | None:
        where = document.places.get(number) if number else None
        return _cell_at(where.ref) if where is not None and where.sheet == sheet and where.ref else None

    texts = document.meta.get("sheet_cells", {}).get(sheet) or {}
    raw = [(at, text) for text, n in table.extras.get("raw_texts", []) if (at := cell(n))]
    if not texts:  # a document built without the sheet's cells: the table's own printed texts
        texts = dict(raw)
    data = [at[0] for column in table.cell_lines.values() for n in column if (at := cell(n))]
    filled: dict[int, int] = {}
    for r, c in texts:
        filled[r] = max(c, filled.get(r, 0))
    return SheetIndex(sheet, texts, filled, min((at[0] for at, _ in raw), default=1),
                      min(data, default=1), table.extras.get("formulas", {}))


def sheet_excerpt(index: SheetIndex, sources: list[SourceLocation], title: str) -> Excerpt:
    """The sheet around a workbook finding: its header rows, then the rows of the cells read
    with SHEET_CONTEXT rows either side, in the sheet's own columns; the cells read marked."""
    from budget_audit.loaders.workbook import column_letter

    hits = {_cell_at(s.ref) for s in sources if s.sheet == index.sheet}
    top = min([index.data_top] + [r for r, _ in hits])
    shown = {r for r in index.filled_rows if index.header_top <= r < top}  # the header rows
    for row, _ in hits:
        shown.update(range(max(1, row - SHEET_CONTEXT), row + SHEET_CONTEXT + 1))
    shown = sorted(r for r in shown if r in index.filled_rows or any(h[0] == r for h in hits))
    rows, more = shown[:MAX_ROWS], max(0, len(shown) - MAX_ROWS)
    width = max([c for _, c in hits] + [index.filled_rows.get(r, 0) for r in rows])
    grid, previous = [], None
    for row in rows:
        cells = []
        for column in range(1, width + 1):
            at, name = (row, column), f"{index.sheet}!{column_letter(column)}{row}"
            text = index.texts.get(at, "").strip()
            shown_text = f"{text} ({index.formulas[name]})" if at in hits and name in index.formulas else text
            cells.append(GridCell(shown_text, at in hits, None, bool(NUMBER.fullmatch(text)), name))
        grid.append(GridRow(str(row), cells, previous is not None and row != previous + 1))
        previous = row
    return Excerpt("table", f"{title} · {index.sheet}", columns=[column_letter(c) for c in range(1, width + 1)],
                   rows=grid, more_rows=more, sources=sources, by_line=False)


def sheet_row(places: list[str]) -> str:
    """'C7', 'D7' of one sheet row -> '7' (the sheet is in the caption)."""
    rows = {re.sub(r"^.*![A-Z]+", "", p) for p in places if "!" in p}
    return rows.pop() if len(rows) == 1 and next(iter(rows)).isdigit() else ""
