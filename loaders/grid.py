"""Shared clean-ups of raw table grids, for readers whose cells come from a printed grid.

Codes printed as 类 | 款 | 项 cells (PDF, workbook) become one code cell ("201" "03" "01" ->
"2010301"), as the builders read them. A part left blank under a printed parent (Word tables
print 类 once per group) is taken from the row above and reported as `code_by_position`.
"""

from __future__ import annotations

from typing import Any

from budget_audit.loaders.catalog import norm_label
from budget_audit.loaders.layout import RawCell, RawRow

_PARTS = ("类", "款", "项")


def _code_columns(rows: list[RawRow]) -> tuple[int, int, int] | None:
    """(header row index, first column, number of parts) of a 类 | 款 (| 项) header."""
    for index, row in enumerate(rows[:6]):
        texts = [norm_label(c.text) for c in row.cells]
        for j in range(len(texts) - 1):
            if texts[j] == "类" and texts[j + 1] == "款":
                width = 3 if j + 2 < len(texts) and texts[j + 2] == "项" else 2
                return index, j, width
    return None


def merge_code_parts(rows: list[RawRow], problems: list[dict[str, Any]]) -> list[RawRow]:
    """Rows with their 类 | 款 | 项 cells merged into one code cell (unchanged without them)."""
    found = _code_columns(rows)
    if not found:
        return rows
    header_index, first, width = found
    last: list[str] = [""] * width
    merged = []
    for index, row in enumerate(rows):
        parts = row.cells[first:first + width]
        if len(parts) < width:
            merged.append(row)
            continue
        texts = [norm_label(c.text) for c in parts]
        if index <= header_index or not all(t.isdigit() or not t for t in texts):
            text = "" if index == header_index else next((c.text for c in parts if c.text.strip()), "")
        else:
            text = _code(texts, last, parts[0].line, problems)
        cell = RawCell(text, parts[0].line)
        merged.append(RawRow(row.cells[:first] + [cell] + row.cells[first + width:], page=row.page))
    return merged


def _code(texts: list[str], last: list[str], line: int, problems: list[dict[str, Any]]) -> str:
    """The joined code; blank upper parts under a printed lower part come from the row above."""
    if not any(texts):
        return ""
    deepest = max(i for i, t in enumerate(texts) if t)
    filled = list(texts)
    for i in range(deepest):
        if not filled[i]:
            filled[i] = last[i]
            problems.append({"kind": "code_by_position", "line": line, "code_part": _PARTS[i],
                             "taken": last[i]})
    for i, text in enumerate(filled):
        last[i] = text if i <= deepest else ""
    return "".join(filled[: deepest + 1])
