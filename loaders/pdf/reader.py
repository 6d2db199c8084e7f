"""PDF files -> the located row/text stream that `document.build_document` turns into a Document.

Every printed text line outside a table is one `TextLine`, every table cell one `RawCell`; each
gets the next position number, and `places[number]` says where it was printed (page, bbox in
PDF points from the page's top-left, and the file when a document is read from several).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from budget_audit.loaders.catalog import table_id_for_title
from budget_audit.loaders.layout import RawCell, RawRow, TextLine
from budget_audit.loaders.model import SourceLocation

Item = RawRow | TextLine


class Numbering:
    """Hands out consecutive position numbers and records their places."""

    def __init__(self) -> None:
        self.places: dict[int, SourceLocation] = {}
        self.items: list[Item] = []
        self.problems: list[dict[str, Any]] = []  # what does not print right (printing.py), empty pages

    def place(self, page: int, bbox, file: str | None) -> int:
        number = len(self.places) + 1
        self.places[number] = SourceLocation(page=page, bbox=tuple(bbox) if bbox else None, file=file)
        return number

    def add_pages(self, pages: list[list[dict[str, Any]]], file: str | None) -> None:
        """Append the blocks of one file's pages (page numbers 1-based)."""
        columns: list[tuple[float, float]] = []  # the last table's columns (x0, x1)
        fresh = True  # after text: the next row starts a table
        printed = [_printed_text(blocks) for blocks in pages]
        for page_number, blocks in enumerate(pages, 1):
            continued = True  # rows before any text on a page go on with the last table
            blocks = list(blocks)  # lines taken into a row are blanked out below
            if 1 < page_number < len(pages) and not any(b["kind"] != "problem" for b in blocks):
                self.problems.append({"kind": "empty_page", "page": page_number, "line": None, "file": file})
            for index, block in enumerate(blocks):
                if block is None:
                    continue
                if block["kind"] == "problem":
                    if block["problem"] == "clipped_line" and _flows_on(block, printed, page_number):
                        continue
                    self.problems.append({"kind": block["problem"], "text": block["text"], "page": page_number,
                                          "line": self.place(page_number, block["bbox"], file)})
                    continue
                if block["kind"] == "line" and continued and not _is_page_furniture(block):
                    merged = _lines_as_row(blocks, index)
                    if merged:
                        block, taken = merged
                        blocks[index + 1:index + taken] = [None] * (taken - 1)
                if block["kind"] == "line":
                    if not _is_page_furniture(block):
                        continued, fresh = False, True
                    self.items.append(self._item(block, page_number, file))
                    continue
                if continued and columns:
                    block = widen(block, columns)
                if all(c is not None for c in block["cells"]) and (fresh or len(block["cells"]) > len(columns)):
                    columns, fresh = [(c[1][0], c[1][2]) for c in block["cells"]], False
                self.items.append(self._item(block, page_number, file))

    def _item(self, block: dict[str, Any], page: int, file: str | None) -> Item:
        if block["kind"] == "row":
            up = set(block.get("up", ()))
            cells = [RawCell(c[0], self.place(page, c[1], file)) if c is not None else
                     RawCell("", self.place(page, None, file), merged="up" if j in up else "left")
                     for j, c in enumerate(block["cells"])]
            return RawRow(cells, page=page)
        segments = block["segments"]
        if len(segments) == 1 or not any(_is_unit_note(text) for text, _ in segments):
            text = " ".join(text for text, _ in segments)
            return TextLine(text, self.place(page, _union([b for _, b in segments]), file), page=page)
        return RawRow([RawCell(text, self.place(page, box, file)) for text, box in segments], page=page)


def widen(block: dict[str, Any], columns: list[tuple[float, float]], tolerance: float = 4.0) -> dict[str, Any]:
    """A continuation row with fewer cells than its table (合计 printed across the code and name
    columns on a page of its own) spread over the table's columns by position: each cell at
    the column it starts in, the columns it covers as merged cells. Unchanged unless every
    cell's edges meet column edges."""
    cells = block["cells"]
    if len(cells) >= len(columns) or any(c is None for c in cells):
        return block
    starts = [next((j for j, (x0, _) in enumerate(columns) if abs(x0 - c[1][0]) <= tolerance), None) for c in cells]
    ends = [next((j for j, (_, x1) in enumerate(columns) if abs(x1 - c[1][2]) <= tolerance), None) for c in cells]
    if None in starts or None in ends or starts[0] != 0 or ends[-1] != len(columns) - 1 or \
            any(ends[i] + 1 != starts[i + 1] for i in range(len(cells) - 1)):
        return block
    wide: list[Any] = [None] * len(columns)
    for cell, start in zip(cells, starts):
        wide[start] = cell
    return {**block, "cells": wide}


def _lines_as_row(blocks: list[Any], start: int) -> tuple[dict[str, Any], int] | None:
    """Text lines over a continued grid whose top ruling fell at the page break ("2040504 案件
    审判 1,833.30", or a row whose label wraps: "分散自行组织 2.00" / "养服务"): the row they
    are, segments placed in the columns of the grid below (a column's segments joined top to
    bottom), and how many blocks it took; None unless every segment lies inside a column."""
    lines = []
    for block in blocks[start:start + 4]:
        if block is None or block["kind"] != "line" or _is_page_furniture(block) or _starts_table(block):
            break
        lines.append(block)
    if not lines or not any(_FIGURE.search(t) for ln in lines for t, _ in ln["segments"]):
        return None
    below = blocks[start + len(lines)] if start + len(lines) < len(blocks) else None
    if below is None or below["kind"] != "row" or any(c is None for c in below["cells"]):
        return None
    columns = [c[1] for c in below["cells"]]
    parts: list[list[tuple[str, list[float]]]] = [[] for _ in columns]
    for line in lines:
        for text, box in line["segments"]:
            j = next((j for j, col in enumerate(columns) if col[0] - 2 <= box[0] and box[2] <= col[2] + 2), None)
            if j is None:  # runs across columns: a sentence, not a cell
                return None
            parts[j].append((text, box))
    top, bottom = min(s[1][1] for ln in lines for s in ln["segments"]), max(s[1][3] for ln in lines for s in ln["segments"])
    cells = [["\n".join(t for t, _ in found), [min(b[0] for _, b in found), min(b[1] for _, b in found),
                                                max(b[2] for _, b in found), max(b[3] for _, b in found)]]
             if found else ["", [col[0], top, col[2], bottom]] for found, col in zip(parts, columns)]
    return {"kind": "row", "cells": cells}, len(lines)


_FIGURE = re.compile(r"\d[\d,]*\.\d+|\d{1,3}(?:,\d{3})+")


def _starts_table(line: dict[str, Any]) -> bool:
    """A title or unit line: what opens the next table, never a row of the last one."""
    text = "".join(t for t, _ in line["segments"])
    return "单位" in text or "表" in text or table_id_for_title(text) is not None


def _is_page_furniture(block: dict[str, Any]) -> bool:
    """A page number or running mark ("15", "—2—"), printed above or below a continued table."""
    text = "".join(t for t, _ in block["segments"]).strip("—-－ 第页")
    return text.isdigit() or not text


def _is_unit_note(text: str) -> bool:
    return "单位" in text and len(text) <= 16


def _union(boxes) -> tuple[float, float, float, float]:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def file_label(path: Path, several: bool) -> str | None:
    """The `file` of a place: the file's name when a document is read from several files."""
    return path.name if several else None


def _printed_text(blocks: list[dict[str, Any]]) -> str:
    """A page's printed text without spaces (for finding a line printed on another page)."""
    parts = []
    for block in blocks:
        if block["kind"] == "line":
            parts += [text for text, _ in block["segments"]]
        elif block["kind"] == "row":
            parts += [c[0] for c in block["cells"] if c is not None]
    return "".join("".join(parts).split())


def _flows_on(problem: dict[str, Any], printed: list[str], page: int) -> bool:
    """Text beyond a page's edge that the pages before or after print inside them: a text frame
    flowing over pages (Word, WPS), which prints whole; not a line lost from the paper. A frame
    reaching N page heights below the bottom edge is looked for on the next N + 1 pages (each
    prints less than a page height of it: margins, its own text), likewise above the top."""
    lines = ["".join(t.split()) for t in problem.get("lines", [])]
    parts = problem.get("parts") or [[line] for line in lines]
    if sum(len(line) for line in lines) < 20:  # a unit label or a page number is printed on every page
        return False
    before, after = problem.get("above", 0) + 1, problem.get("below", 0) + 1
    near = "\n".join(printed[p - 1] for p in range(page - before, page + after + 1)
                     if p != page and 1 <= p <= len(printed))
    # a line prints whole, or cell by cell when the next pages print its table as a grid
    return all(line in near or (runs and all(run in near for run in runs))
               for line, runs in zip(lines, parts) if line)
