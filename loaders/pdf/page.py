"""One PDF page -> blocks in reading order: table rows (ruled grids) and text lines.

A block is plain data (so that a reading can be cached as JSON):
- {"kind": "row", "cells": [[text, bbox] | None, ...], "up": [j, ...]}: a row of a ruled table;
  None is a cell covered by a merged neighbour, from above for the columns listed in `up`
  (optional), else from the left;
- {"kind": "line", "segments": [[text, bbox], ...]}: a printed line outside any table, split
  at wide gaps.
Only pages with rulings (lines or rectangles) are table-searched.
"""

from __future__ import annotations

from typing import Any

from budget_audit.loaders.pdf.lines import group_lines, segments
from budget_audit.loaders.pdf.printing import printable

Block = dict[str, Any]
_WORDS = {"x_tolerance": 1.5, "y_tolerance": 2, "keep_blank_chars": False}
_TABLES = {"vertical_strategy": "lines", "horizontal_strategy": "lines",
           "snap_tolerance": 3, "join_tolerance": 3, "intersection_tolerance": 3}


def _round(box) -> list[float]:
    return [round(float(v), 2) for v in box]


def _inside(word: dict[str, Any], box) -> bool:
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _has_rulings(page) -> bool:
    """Only pages with visible rulings are table-searched (the costly part of reading)."""
    return bool(page.objects.get("line") or page.objects.get("curve")
                or any(not _is_white_box(r) for r in page.objects.get("rect", ())))


def _table_blocks(table) -> list[tuple[float, Block]]:
    """(top, row block) for every row of a found table; `up` lists the columns whose cell is
    covered by a merged cell from a row above (not from the left): a header label there is
    its own, not its left neighbour's."""
    rows = table.rows
    xs = sorted({cell[0] for cell in table.cells})
    blocks = []
    for index, (row, texts) in enumerate(zip(rows, table.extract())):
        cells = [None if box is None else [(text or "").strip(), _round(box)]
                 for box, text in zip(row.cells, texts)]
        top = min(c[1][1] for c in cells if c is not None)
        block: Block = {"kind": "row", "cells": cells}
        up = [j for j, box in enumerate(row.cells) if box is None and _covered_from_above(rows[:index], xs[j], top)]
        if up:
            block["up"] = up
        blocks.append((top, block))
    return blocks


def _covered_from_above(above, x: float, top: float) -> bool:
    return any(box is not None and box[0] <= x + 0.5 < box[2] and box[1] < top < box[3] - 0.5
               for row in above for box in row.cells)


def _is_white_box(obj) -> bool:
    """A filled white rectangle without a stroke (Excel's cell background): paints nothing."""
    if obj.get("object_type") != "rect" or obj.get("stroke") or not obj.get("fill"):
        return False
    color = obj.get("non_stroking_color")
    values = color if isinstance(color, (tuple, list)) else (color,)
    return len(values) in (1, 3) and all(isinstance(v, (int, float)) and v >= 0.99 for v in values)


def _real_tables(page) -> list:
    """Ruled tables that hold text, found on the rulings that print: white rectangles (cell
    backgrounds, or boxes on an empty page) are no rulings."""
    if not _has_rulings(page):
        return []
    found = page.filter(lambda obj: not _is_white_box(obj)).find_tables(_TABLES)
    return [t for t in found if any(any(c for c in row if c) for row in t.extract()) and len(t.rows) > 1
            or _one_row_with_figures(t)]


def _one_row_with_figures(table) -> bool:
    rows = table.extract()
    return len(rows) == 1 and sum(1 for c in rows[0] if c) >= 2


def read_page(page) -> list[Block]:
    """The page's blocks top to bottom (a table's rows at the table's place), then the
    problems of its print ({"kind": "problem", ...}: printing.py)."""
    page, problems = printable(page)
    tables = _real_tables(page)
    words = page.extract_words(**_WORDS)
    outside = [w for w in words if not any(_inside(w, t.bbox) for t in tables)]
    placed: list[tuple[float, Block]] = []
    for table in tables:
        placed.extend(_table_blocks(table))
    for line in group_lines(outside):
        segs = [[text, _round(box)] for text, box in segments(line)]
        placed.append((min(s[1][1] for s in segs), {"kind": "line", "segments": segs}))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed] + problems
