"""Excerpts for the HTML report: the cells a finding read, shown in their table or sentence.

A table excerpt keeps the rows that hold a cell the check read, with the printed column headers
and where each row was printed (line, page or sheet row); the cells read are marked. A workbook
table is shown as its sheet (html_sheet.py). A narrative
excerpt is the paragraph with the figures marked. Cells that cannot be placed in a grid are listed
with their place. Everything reads the Table's plain lists (no pandas), and every index is built
once per table, so a report is linear in findings and rows.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from budget_audit.loaders.model import SourceLocation
from budget_audit.reports.formats.ci import NARRATIVE, display_name
from budget_audit.reports.formats.columns import header, printed_columns
from budget_audit.reports.formats.html_grid import MAX_ROWS, NUMBER, Excerpt, GridCell, GridRow
from budget_audit.reports.formats.html_sheet import SHEET_CONTEXT, SheetIndex, sheet_excerpt, sheet_index, sheet_row
from budget_audit.reports.formats.places import place, place_label
from budget_audit.rules.findings import CellRef
from budget_audit.rules.selection import column_label, row_label

__all__ = ["MAX_ROWS", "SHEET_CONTEXT", "Excerpt", "Excerpter", "GridCell", "GridRow", "SheetIndex", "excerpts",
           "key", "mark", "sheet_excerpt", "sheet_index"]


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
        return sheet_row(places) or (places[0] if places else "")

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


def mark(text: str, values: list[str]) -> list[tuple[str, bool]]:
    """Split text into (segment, is_marked) pairs, marking every occurrence of the values
    (or of the number inside a value, when the value itself is not printed there)."""
    spans = []
    for value in filter(None, (v.strip() for v in values)):
        needles = [value] if value in text else NUMBER.findall(value)
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
