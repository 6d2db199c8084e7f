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

from bisect import bisect_left
from typing import Any

from pdfplumber.utils import extract_text, extract_words
from pdfplumber.utils.text import LIGATURES

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
                or any(not is_white_box(r) for r in page.objects.get("rect", ())))


def _table_blocks(table, rows, texts) -> list[tuple[float, Block]]:
    """(top, row block) for every row of a found table; `up` lists the columns whose cell is
    covered by a merged cell from a row above (not from the left): a header label there is
    its own, not its left neighbour's."""
    xs = sorted({cell[0] for cell in table.cells})
    blocks = []
    for index, (row, row_texts) in enumerate(zip(rows, texts)):
        cells = [None if box is None else [(text or "").strip(), _round(box)]
                 for box, text in zip(row.cells, row_texts)]
        top = min(c[1][1] for c in cells if c is not None)
        block: Block = {"kind": "row", "cells": cells}
        up = [j for j, box in enumerate(row.cells) if box is None and _covered_from_above(rows[:index], xs[j], top)]
        if up:
            block["up"] = up
        blocks.append((top, block))
    return blocks


def _cell_texts(rows, chars) -> list[list[str | None]]:
    """Table.extract()'s texts, found in one pass: the characters sorted once by their middle,
    each row taking its band by bisection instead of scanning every character of the page
    per row (the same characters, in page order, so the same texts)."""
    mids = sorted(((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2, i) for i, c in enumerate(chars))
    vs = [m[0] for m in mids]
    out = []
    for row in rows:
        x0, top, x1, bottom = row.bbox
        band = sorted((i, h, v) for v, h, i in mids[bisect_left(vs, top):bisect_left(vs, bottom)] if x0 <= h < x1)
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            # pdfplumber's test (_in_cell) on the middles already computed
            inside = [chars[i] for i, h, v in band if cell[0] <= h < cell[2] and cell[1] <= v < cell[3]]
            texts.append(_text(inside) if inside else "")
        out.append(texts)
    return out


def _text(chars) -> str:
    """pdfplumber's extract_text(chars) (default tolerances, 3 pt), computed directly for the
    common cell: one line of upright characters (tops within 2.9 pt, so pdfplumber's clustering
    makes one line). Other cells go to pdfplumber."""
    tops = [c["top"] for c in chars]
    if max(tops) - min(tops) >= 2.9 or not all(c["upright"] is True and c["text"] for c in chars):
        return extract_text(chars)
    words: list[str] = []
    word = ""
    prev = None
    for char in sorted(chars, key=lambda c: c["x0"]):
        text = char["text"]
        if text.isspace():
            if word:
                words.append(word)
            word, prev = "", None
            continue
        if prev is not None and (char["x0"] < prev["x0"] or char["x0"] > prev["x1"] + 3):
            words.append(word)
            word = ""
        word += LIGATURES.get(text, text)
        prev = char
    if word:
        words.append(word)
    return " ".join(words)


def _in_cell(char, bbox) -> bool:
    """pdfplumber's test: the middle inside, the right and bottom edges excluded."""
    h, v = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return bbox[0] <= h < bbox[2] and bbox[1] <= v < bbox[3]


def _covered_from_above(above, x: float, top: float) -> bool:
    return any(box is not None and box[0] <= x + 0.5 < box[2] and box[1] < top < box[3] - 0.5
               for row in above for box in row.cells)


def is_white_box(obj) -> bool:
    """A filled white rectangle without a stroke (Excel's cell background): paints nothing."""
    if obj.get("object_type") != "rect" or obj.get("stroke") or not obj.get("fill"):
        return False
    color = obj.get("non_stroking_color")
    values = color if isinstance(color, (tuple, list)) else (color,)
    return len(values) in (1, 3) and all(isinstance(v, (int, float)) and v >= 0.99 for v in values)


def _real_tables(page) -> list[tuple[Any, list, list]]:
    """(table, rows, cell texts) of the ruled tables that hold text, found on the rulings that
    print: white rectangles (cell backgrounds, or boxes on an empty page) are no rulings."""
    if not _has_rulings(page):
        return []
    ruled = page.filter(lambda obj: not is_white_box(obj))
    found = []
    for table in ruled.find_tables(_TABLES):
        rows = table.rows
        texts = _cell_texts(rows, ruled.chars)
        if any(any(c for c in row if c) for row in texts) and len(rows) > 1 or _one_row_with_figures(texts):
            found.append((table, rows, texts))
    return found


def _one_row_with_figures(texts) -> bool:
    return len(texts) == 1 and sum(1 for c in texts[0] if c) >= 2


def read_page(page) -> list[Block]:
    """The page's blocks top to bottom (a table's rows at the table's place), then the
    problems of its print ({"kind": "problem", ...}: printing.py)."""
    page, problems = printable(page)
    tables = _real_tables(page)
    boxes = [t.bbox for t, _, _ in tables]
    # Words only of the characters outside the tables: the cells hold the rest.
    chars = [c for c in page.chars if not any(_inside(c, box) for box in boxes)] if boxes else page.chars
    outside = [w for w in extract_words(chars, **_WORDS) if not any(_inside(w, box) for box in boxes)]
    placed: list[tuple[float, Block]] = []
    for table, rows, texts in tables:
        placed.extend(_table_blocks(table, rows, texts))
    for line in group_lines(outside):
        segs = [[text, _round(box)] for text, box in segments(line)]
        placed.append((min(s[1][1] for s in segs), {"kind": "line", "segments": segs}))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed] + problems
