"""Excerpts for the HTML report: the cells a finding read, shown in their table or sentence.

A table excerpt keeps the rows that hold a cell the check read, with the printed column headers
and source line numbers; the cells read are marked. A narrative excerpt is the paragraph with the
figures marked. Cells that cannot be placed in a grid are listed by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from budget_audit.reports.formats.ci import NARRATIVE, display_name
from budget_audit.rules.findings import CellRef
from budget_audit.rules.selection import column_label, row_label

MAX_ROWS = 60
# Columns the loaders derive (ids, indents, flags) rather than print as such.
DERIVED = {"side", "item", "indent", "is_total", "level", "class_code", "use", "form"}
KEY_COLUMNS = {
    "code": ("科目编码", "code"), "name": ("科目名称", "name"), "label": ("项目", "item"),
    "gov_econ_code": ("政府经济分类", "government economic code"),
    "gov_econ_name": ("政府经济分类名称", "government economic class"),
    "dept_econ_code": ("部门经济分类", "department economic code"),
    "dept_econ_name": ("部门经济分类名称", "department economic class"),
    "function_code": ("功能分类科目编码", "function code"), "function_name": ("功能分类科目", "function"),
    "level1": ("一级", "level 1"), "level2": ("二级", "level 2"), "level3": ("三级", "level 3"),
    "kind": ("类别", "kind"), "project": ("项目名称", "project"), "number": ("序号", "no."),
    "unit_code": ("单位编码", "unit code"),
    "unit_name": ("单位名称", "unit"), "document_no": ("文号", "document no."),
}
_NUMBER = re.compile(r"-?\d[\d,，]*(?:\.\d+)?%?")


@dataclass
class GridCell:
    text: str
    hit: bool = False
    line: int | None = None
    numeric: bool = False


@dataclass
class GridRow:
    lines: str
    cells: list[GridCell]
    gap_before: bool = False


@dataclass
class Excerpt:
    """One table, one narrative passage or a list of source lines, for one finding."""

    kind: str  # table | narrative | lines
    title: str
    columns: list[str] = field(default_factory=list)
    rows: list[GridRow] = field(default_factory=list)
    more_rows: int = 0
    passages: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)


def excerpts(cells: list[CellRef], document: Any, tables: dict[str, Any], lang: str) -> list[Excerpt]:
    """The excerpts for a finding's cells, one per table read (in the order first read);
    `tables` maps table ids to the document's TableSummary objects."""
    groups: dict[str, list[CellRef]] = {}
    for ref in cells:
        groups.setdefault(ref.table or "", []).append(ref)
    out: list[Excerpt] = []
    for table_id, refs in groups.items():
        title = display_name(table_id, tables.get(table_id), lang)
        if table_id == NARRATIVE and document is not None:
            out.append(_narrative(document, refs, title))
            continue
        table = document.table(table_id) if document is not None and table_id else None
        rest = refs
        if table is not None:
            grid, rest = _grid(table, refs, title, lang)
            if grid is not None:
                out.append(grid)
        if rest:
            out.append(Excerpt("lines", title, lines=[_line_item(ref) for ref in rest]))
    return out


def _line_item(ref: CellRef) -> dict[str, Any]:
    where = " · ".join(part for part in (ref.row, ref.column) if part)
    return {"line": ref.source.line, "where": where, "value": ref.value or ""}


def _shown_columns(table: Any) -> list[str]:
    lines = table.lines
    return [c for c in table.texts.columns
            if c not in DERIVED and c in lines.columns and lines[c].notna().any()]


def _header(table: Any, column: str, lang: str) -> str:
    if column in KEY_COLUMNS and column not in table.amount_columns:
        return KEY_COLUMNS[column][0 if lang == "zh" else 1]
    return column_label(table, column, lang)


def _line_index(table: Any, columns: list[str]) -> dict[int, list[tuple[Any, str]]]:
    index: dict[int, list[tuple[Any, str]]] = {}
    for column in columns:
        for row, line in table.lines[column].items():
            if line is not None and line == line and int(line) > 0:
                index.setdefault(int(line), []).append((row, column))
    return index


def _match(table: Any, index: dict, ref: CellRef) -> list[tuple[Any, str]]:
    """The grid cell a reference names: on its line, under its column header or holding its
    text; when several qualify (two sides of a 收支总表 share a line), the one in its row."""
    candidates = index.get(ref.source.line or -1, [])
    value = (ref.value or "").strip()
    by_column = [(r, c) for r, c in candidates if column_label(table, c) == ref.column]
    by_text = [(r, c) for r, c in (by_column or candidates) if value and table.text(r, c).strip() == value]
    pool = by_text or by_column
    by_row = [(r, c) for r, c in pool if row_label(table, r) == ref.row]
    return (by_row or pool)[:1]


def _grid(table: Any, refs: list[CellRef], title: str, lang: str) -> tuple[Excerpt | None, list[CellRef]]:
    columns = _shown_columns(table)
    index = _line_index(table, columns)
    hits: set[tuple[Any, str]] = set()
    rest = []
    for ref in refs:
        found = _match(table, index, ref)
        hits.update(found)
        if not found:
            rest.append(ref)
    if not hits:
        return None, rest
    position = {row: i for i, row in enumerate(table.frame.index)}
    rows = sorted({r for r, _ in hits}, key=position.__getitem__)
    shown, more = rows[:MAX_ROWS], max(0, len(rows) - MAX_ROWS)
    hit_columns = {c for _, c in hits}
    columns = [c for c in columns if c in hit_columns or any(table.text(r, c).strip() for r in shown)]
    grid_rows, previous = [], None
    for row in shown:
        cells = [GridCell(table.text(row, c).strip(), (row, c) in hits, _line(table, row, c),
                          c in table.amount_columns) for c in columns]
        numbers = sorted({c.line for c in cells if c.line})
        span = "" if not numbers else str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"
        gap = previous is not None and position[row] != position[previous] + 1
        grid_rows.append(GridRow(span, cells, gap))
        previous = row
    headers = [_header(table, c, lang) for c in columns]
    return Excerpt("table", title, columns=headers, rows=grid_rows, more_rows=more), rest


def _line(table: Any, row: Any, column: str) -> int | None:
    line = table.lines.at[row, column]
    return int(line) if line is not None and line == line and int(line) > 0 else None


def _narrative(document: Any, refs: list[CellRef], title: str) -> Excerpt:
    passages: dict[int, tuple[Any, list[str]]] = {}
    for ref in refs:
        paragraph = _paragraph_at(document.paragraphs, ref.source.line)
        if paragraph is None:
            continue
        passages.setdefault(paragraph.line, (paragraph, []))[1].append(ref.value or "")
    out = [{"line": p.line, "segments": mark(p.text, values)} for p, values in passages.values()]
    lines = [_line_item(ref) for ref in refs] if not out else []
    return Excerpt("narrative", title, passages=out, lines=lines)


def _paragraph_at(paragraphs: list[Any], line: int | None) -> Any:
    if not line:
        return None
    before = [p for p in paragraphs if p.line <= line]
    return before[-1] if before else None


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
