"""Excerpts for the HTML report: the cells a finding read, shown in their table or sentence.

A table excerpt keeps the rows that hold a cell the check read, with the printed column headers
and where each row was printed (line, page or sheet row); the cells read are marked. A workbook
table is shown as its sheet: the sheet's own rows and columns (A, B, …) around the cells read,
under the table's header rows, a cell computed by a formula followed by its formula. A narrative
excerpt is the paragraph with the figures marked. Cells that cannot be placed in a grid are listed
with their place. Everything reads the Table's plain lists (no pandas), and every index is built
once per table, so a report is linear in findings and rows.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from budget_audit.loaders.model import SourceLocation
from budget_audit.reports.formats.ci import NARRATIVE, display_name
from budget_audit.reports.formats.columns import header, printed_columns
from budget_audit.reports.formats.places import place, place_label
from budget_audit.rules.findings import CellRef
from budget_audit.rules.selection import column_label, row_label

MAX_ROWS = 60
SHEET_CONTEXT = 2  # sheet rows shown above and below the cells a check read
_REF = re.compile(r"^([A-Z]+)(\d+)$")
_NUMBER = re.compile(r"-?\d[\d,，]*(?:\.\d+)?%?")


@dataclass
class GridCell:
    text: str
    hit: bool = False
    line: int | None = None  # the cell's own place, shown when its row spans several
    numeric: bool = False
    place: str = ""


@dataclass
class GridRow:
    lines: str
    cells: list[GridCell]
    gap_before: bool = False


@dataclass
class Excerpt:
    """One table, one narrative passage or a list of source places, for one finding."""

    kind: str  # table | narrative | lines
    title: str
    columns: list[str] = field(default_factory=list)
    rows: list[GridRow] = field(default_factory=list)
    more_rows: int = 0
    passages: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    sources: list[SourceLocation] = field(default_factory=list)  # where the marked cells were printed
    by_line: bool = True  # rows are placed by text lines (else by page or sheet row)
    image: dict[str, Any] | None = None  # the printed page region (html_pages), for PDF cells


def key(source: SourceLocation) -> Any:
    """What identifies a printed place: the line of a text export, else the whole location."""
    return source.line if source.line is not None else source


class Excerpter:
    """Excerpts of one document's findings; caches its per-table indexes across findings."""

    def __init__(self, document: Any, tables: dict[str, Any], lang: str):
        self.document, self.tables, self.lang = document, tables, lang
        self._grids: dict[str, tuple[list[str], dict[Any, list[tuple[int, str]]]]] = {}
        self._sheets: dict[tuple[str, str], SheetIndex] = {}
        paragraphs = document.paragraphs if document is not None else []
        self._paragraphs = sorted(paragraphs, key=lambda p: p.line)
        self._paragraph_lines = [p.line for p in self._paragraphs]

    def __call__(self, cells: list[CellRef]) -> list[Excerpt]:
        """The excerpts for a finding's cells, one per table read (in the order first read)."""
        groups: dict[str, list[CellRef]] = {}
        for ref in cells:
            groups.setdefault(ref.table or "", []).append(ref)
        out: list[Excerpt] = []
        for table_id, refs in groups.items():
            title = display_name(table_id, self.tables.get(table_id), self.lang)
            if table_id == NARRATIVE and self.document is not None:
                out.append(self._narrative(refs, title))
                continue
            table = self.document.table(table_id) if self.document is not None and table_id else None
            rest = refs
            if table is not None:
                grid, rest = self._grid(table, refs, title)
                if grid is not None:
                    out.append(grid)
            if rest:
                out.append(Excerpt("lines", title, lines=[self._line_item(ref) for ref in rest],
                                   sources=[r.source for r in rest]))
        return out

    def _where(self, line: int | None) -> SourceLocation | None:
        if not line or line <= 0:
            return None
        return self.document.where(SourceLocation(line=line))

    def _line_item(self, ref: CellRef) -> dict[str, Any]:
        where = " · ".join(part for part in (ref.row, ref.column) if part)
        return {"line": place_label(ref.source, self.lang) or "—", "where": where, "value": ref.value or ""}

    def _index(self, table: Any) -> tuple[list[str], dict[Any, list[tuple[int, str]]]]:
        """The columns worth showing and, per printed place, the cells printed there."""
        if table.id not in self._grids:
            columns = printed_columns(table)
            index: dict[Any, list[tuple[int, str]]] = {}
            for column in columns:
                for row, line in enumerate(table.cell_lines[column]):
                    source = self._where(line)
                    if source is not None:
                        index.setdefault(key(source), []).append((row, column))
            self._grids[table.id] = (columns, index)
        return self._grids[table.id]

    def _match(self, table: Any, index: dict, ref: CellRef) -> list[tuple[int, str]]:
        """The grid cell a reference names: at its place, under its column header or holding its
        text; when several qualify (two sides of a 收支总表 share a line), the one in its row."""
        candidates = index.get(key(ref.source), [])
        value = (ref.value or "").strip()
        by_column = [(r, c) for r, c in candidates if column_label(table, c) == ref.column]
        by_text = [(r, c) for r, c in (by_column or candidates) if value and table.text(r, c).strip() == value]
        pool = by_text or by_column
        by_row = [(r, c) for r, c in pool if row_label(table, r) == ref.row]
        return (by_row or pool)[:1]

    def _grid(self, table: Any, refs: list[CellRef], title: str) -> tuple[Excerpt | None, list[CellRef]]:
        columns, index = self._index(table)
        hits: set[tuple[int, str]] = set()
        rest = []
        for ref in refs:
            found = self._match(table, index, ref)
            hits.update(found)
            if not found:
                rest.append(ref)
        if not hits:
            return None, rest
        sources = [s for r, c in sorted(hits) if (s := self._where(table.cell_lines[c][r])) is not None]
        if sources and all(s.sheet and s.ref for s in sources):
            key_ = (table.id, sources[0].sheet)
            if key_ not in self._sheets:
                self._sheets[key_] = sheet_index(self.document, table, sources[0].sheet)
            return sheet_excerpt(self._sheets[key_], sources, title), rest
        rows = sorted({r for r, _ in hits})
        shown, more = rows[:MAX_ROWS], max(0, len(rows) - MAX_ROWS)
        hit_columns = {c for _, c in hits}
        columns = [c for c in columns if c in hit_columns or any(table.text(r, c).strip() for r in shown)]
        grid_rows, previous = [], None
        for row in shown:
            cells = [self._cell(table, row, c, (row, c) in hits) for c in columns]
            grid_rows.append(GridRow(self._row_place(cells), cells, previous is not None and row != previous + 1))
            previous = row
        headers = [header(table, c, self.lang) for c in columns]
        by_line = any(c.line for r in grid_rows for c in r.cells)
        return Excerpt("table", title, columns=headers, rows=grid_rows, more_rows=more, sources=sources,
                       by_line=by_line), rest

    def _cell(self, table: Any, row: int, column: str, hit: bool) -> GridCell:
        line = table.cell_lines[column][row]
        line = line if line and line > 0 else None
        source = self._where(line)
        return GridCell(table.text(row, column).strip(), hit, line if source is not None and source.line else None,
                        column in table.amount_columns, place(source, self.lang, with_file=False) if source else "")

    def _row_place(self, cells: list[GridCell]) -> str:
        numbers = [c.line for c in cells if c.line]
        if numbers:
            low, high = min(numbers), max(numbers)
            return str(low) if low == high else f"{low}–{high}"
        places = list(dict.fromkeys(c.place for c in cells if c.place))
        return _sheet_row(places) or (places[0] if places else "")

    def _narrative(self, refs: list[CellRef], title: str) -> Excerpt:
        passages: dict[int, tuple[Any, list[str]]] = {}
        for ref in refs:
            paragraph = self._paragraph_at(ref)
            if paragraph is None:
                continue
            passages.setdefault(paragraph.line, (paragraph, []))[1].append(ref.value or "")
        out = [{"line": p.line, "place": place_label(self._where(p.line), self.lang), "segments": mark(p.text, values)}
               for p, values in passages.values()]
        lines = [self._line_item(ref) for ref in refs] if not out else []
        return Excerpt("narrative", title, passages=out, lines=lines, sources=[r.source for r in refs])

    def _paragraph_at(self, ref: CellRef) -> Any:
        line = ref.source.line
        if not line and self.document is not None and self.document.places:
            line = self._number_of(ref.source)
        if not line:
            return None
        at = bisect.bisect_right(self._paragraph_lines, line)
        return self._paragraphs[at - 1] if at else None

    def _number_of(self, source: SourceLocation) -> int | None:
        """The position number a resolved place came from (PDF, workbook): built once."""
        if not hasattr(self, "_numbers"):
            self._numbers = {loc: n for n, loc in sorted(self.document.places.items(), reverse=True)}
        return self._numbers.get(source)


def excerpts(cells: list[CellRef], document: Any, tables: dict[str, Any], lang: str) -> list[Excerpt]:
    """The excerpts for one finding's cells (for many findings, reuse one Excerpter)."""
    return Excerpter(document, tables, lang)(cells)


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
            cells.append(GridCell(shown_text, at in hits, None, bool(_NUMBER.fullmatch(text)), name))
        grid.append(GridRow(str(row), cells, previous is not None and row != previous + 1))
        previous = row
    return Excerpt("table", f"{title} · {index.sheet}", columns=[column_letter(c) for c in range(1, width + 1)],
                   rows=grid, more_rows=more, sources=sources, by_line=False)


def _sheet_row(places: list[str]) -> str:
    """'C7', 'D7' of one sheet row -> '7' (the sheet is in the caption)."""
    rows = {re.sub(r"^.*![A-Z]+", "", p) for p in places if "!" in p}
    return rows.pop() if len(rows) == 1 and next(iter(rows)).isdigit() else ""


def mark(text: str, values: list[str]) -> list[tuple[str, bool]]:
    """Split text into (segment, is_marked) pairs, marking every occurrence of the values
    (or of the number inside a value, when the value itself is not printed there)."""
    spans = []
    for value in filter(None, (v.strip() for v in values)):
        needles = [value] if value in text else _NUMBER.findall(value)
        for needle in filter(None, needles):
            spans += [(m.start(), m.end()) for m in re.finditer(re.escape(needle), text)]
    segments, cursor = [], 0
    for start, end in sorted(spans):
        if start < cursor:
            start = cursor
        if start >= end:
            continue
        segments += [(text[cursor:start], False), (text[start:end], True)]
        cursor = end
    segments.append((text[cursor:], False))
    return [s for s in segments if s[0]]
