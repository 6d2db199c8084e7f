"""What a check produces: findings that name the rule, the figures and every cell they read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any

from budget_audit.loaders.model import FEN_PER_UNIT, SourceLocation

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
# A finding over a huge table (a sum of 1,000,000 rows) lists this many cells, those a rule gives
# first (the total or parent, then the parts in order), and summarises the rest: count and span.
CELLS_LISTED = 100


@dataclass(frozen=True)
class CellRef:
    """One cell (or narrative span) a check read."""

    table: str
    row: str
    column: str
    value: str | None
    source: SourceLocation

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract's `cell` object."""
        return {"table": self.table, "row": self.row, "column": self.column,
                "value": self.value, "source": self.source.to_dict()}


class Cells(Sequence):
    """A finding's cells as a list would hold them, where a run of one column's rows (a sum over
    1,000,000 detail rows) is kept as (table, column, row positions) and each CellRef is made only
    when read: a finding of a large table costs an array, not a million objects."""

    __slots__ = ("parts", "_size")

    def __init__(self, parts):
        # each part: a list of CellRefs, or a run (table, column, int64 numpy array of rows)
        self.parts = [p for p in parts if len(p if isinstance(p, list) else p[2])]
        self._size = sum(len(p if isinstance(p, list) else p[2]) for p in self.parts)

    def __len__(self) -> int:
        return self._size

    def __iter__(self):
        from budget_audit.rules.selection import cell

        for part in self.parts:
            if isinstance(part, list):
                yield from part
            else:
                table, column, rows = part
                for row in rows.tolist():
                    yield cell(table, row, column)

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self._size)
            if step != 1:
                return list(self)[index]
            return list(islice(iter(self), start, stop)) if start < stop else []
        if index < 0:
            index += self._size
        if not 0 <= index < self._size:
            raise IndexError(index)
        for part in self.parts:
            size = len(part if isinstance(part, list) else part[2])
            if index < size:
                if isinstance(part, list):
                    return part[index]
                from budget_audit.rules.selection import cell

                return cell(part[0], int(part[2][index]), part[1])
            index -= size
        raise IndexError(index)

    def __eq__(self, other) -> bool:
        return isinstance(other, (list, tuple, Cells)) and len(other) == len(self) and list(self) == list(other)

    def __add__(self, other):
        return Cells([*self.parts, *(other.parts if isinstance(other, Cells) else [list(other)])])

    def __radd__(self, other):
        return Cells([list(other), *self.parts])

    def __repr__(self) -> str:
        return f"Cells({len(self)} cells)"

    def after(self, count: int) -> "Cells":
        """The cells past the first `count`, still lazy."""
        parts = []
        for part in self.parts:
            size = len(part if isinstance(part, list) else part[2])
            if count >= size:
                count -= size
                continue
            parts.append(part[count:] if isinstance(part, list) else (part[0], part[1], part[2][count:]))
            count = 0
        return Cells(parts)

    def span(self) -> tuple[list | None, list | None]:
        """[first, last] source line and page of the cells (None when none has one): what
        `places()` would give their min and max of, without sorting a million lines."""
        from budget_audit.rules.selection import line_array

        lines, pages = [], []
        for part in self.parts:
            if isinstance(part, list):
                lines.extend(c.source.line for c in part if c.source.line)
                pages.extend(p for c in part if (p := getattr(c.source, "page", None)))
                continue
            table, column, rows = part
            at = line_array(table, column)[rows]
            valid = at[at > 0]
            if valid.size:
                lines += [int(valid.min()), int(valid.max())]
            if valid.size < at.size:
                if table.source.line:
                    lines.append(table.source.line)
                if table.source.page:
                    pages.append(table.source.page)
        return ([min(lines), max(lines)] if lines else None), ([min(pages), max(pages)] if pages else None)

    def places(self) -> tuple[set, set]:
        """The source lines and pages of every cell (as `CellRef.source` gives them), without making
        the CellRefs: a run's cell is at its line, or at its table's title when it has none."""
        import numpy as np

        from budget_audit.rules.selection import line_array

        lines, pages = set(), set()
        for part in self.parts:
            if isinstance(part, list):
                lines.update(c.source.line for c in part)
                pages.update(getattr(c.source, "page", None) for c in part)
                continue
            table, column, rows = part
            at = line_array(table, column)[rows]
            lines.update(np.unique(at[at > 0]).tolist())
            if (at <= 0).any():
                lines.add(table.source.line)
                pages.add(table.source.page)
        lines.discard(None)
        lines.discard(0)
        pages.discard(None)
        pages.discard(0)
        return lines, pages


@dataclass
class Finding:
    """One failed (or noted) check. Amounts are in 分; `unit` says how to print them."""

    rule: str
    severity: str
    message: dict[str, str]
    table: str | None = None
    expected: int | None = None
    actual: int | None = None
    unit: str | None = None
    cells: list[CellRef] = field(default_factory=list)
    family: str | None = None
    title: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    waiver: dict[str, Any] | None = None  # the reviewed waiver that covers it (reports/adoption)
    baselined: bool = False  # recorded in the baseline given with --baseline

    @property
    def difference(self) -> int | None:
        """actual − expected, in 分."""
        if self.expected is None or self.actual is None:
            return None
        return self.actual - self.expected

    @property
    def first_line(self) -> list[int]:
        """`lines[:1]`: the first source line of the cells read (the findings' order)."""
        if _is_cells(self.cells):
            lines, _ = self.cells.span()
            return lines[:1] if lines else []
        return self.lines[:1]

    @property
    def lines(self) -> list[int]:
        """Source lines of the cells read, sorted, without repeats."""
        cells = self.cells
        if type(cells) is list and len(cells) == 1:  # most findings name one cell
            line = cells[0].source.line
            return [line] if line else []
        if _is_cells(cells):
            return sorted(cells.places()[0])
        return sorted({c.source.line for c in cells if c.source.line})

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON contract's `finding` object."""
        unit = self.unit or "元"
        cells = self.cells
        if type(cells) is list and len(cells) <= CELLS_LISTED:  # the common case: no copies
            listed, rest = cells, None
        else:
            listed = cells[:CELLS_LISTED]
            rest = cells.after(CELLS_LISTED) if _is_cells(cells) else cells[CELLS_LISTED:]
        out = {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message.get(lang) or self.message.get("zh", ""),
            "title": self.title.get(lang) or self.title.get("zh"),
            "family": self.family,
            "table": self.table,
            "expected": fen_to_str(self.expected, unit),
            "actual": fen_to_str(self.actual, unit),
            "difference": fen_to_str(self.difference, unit),
            "unit": self.unit,
            "lines": self.lines if not rest else _lines(listed),
            "cells": [c.to_dict() for c in listed],
            "waived": self.waiver,
            "baselined": self.baselined,
        }
        if rest:
            out["cells_omitted"] = omitted(rest)
        return out


def _is_cells(cells) -> bool:
    """isinstance(cells, Cells), without the abstract class's check for a plain list."""
    return type(cells) is not list and isinstance(cells, Cells)


def _lines(cells: list[CellRef]) -> list[int]:
    return sorted({c.source.line for c in cells if c.source.line})


def omitted(cells: list[CellRef]) -> dict[str, Any]:
    """The cells a finding does not list: how many, and the span of lines (or pages) they are on."""
    if isinstance(cells, Cells):
        lines, pages = cells.span()
        return {"count": len(cells), "lines": lines, "pages": pages}
    lines = [c.source.line for c in cells if c.source.line]
    pages = [c.source.page for c in cells if getattr(c.source, "page", None)]
    return {"count": len(cells), "lines": [min(lines), max(lines)] if lines else None,
            "pages": [min(pages), max(pages)] if pages else None}


def fen_to_decimal(fen: int, unit: str) -> Decimal:
    """Exact conversion of 分 to the given unit."""
    return Decimal(fen) / Decimal(FEN_PER_UNIT[unit])


def fen_to_str(fen: int | None, unit: str) -> str | None:
    """A plain decimal string ('-12.34'), exact, with the unit's usual decimals."""
    if fen is None:
        return None
    places = {"元": 2, "万元": 6, "亿元": 10}[unit]
    value = fen_to_decimal(fen, unit).quantize(Decimal(1).scaleb(-places))
    return format(value, "f")


def format_amount(fen: int | None, unit: str) -> str:
    """Human form with thousands separators: '63,234,665.44'."""
    if fen is None:
        return "—"
    places = {"元": 2, "万元": 6, "亿元": 10}[unit]
    value = fen_to_decimal(fen, unit).quantize(Decimal(1).scaleb(-places))
    return f"{value:,.{places}f}"
