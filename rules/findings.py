"""What a check produces: findings that name the rule, the figures and every cell they read."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
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
    def lines(self) -> list[int]:
        """Source lines of the cells read, sorted, without repeats."""
        return sorted({c.source.line for c in self.cells if c.source.line})

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON contract's `finding` object."""
        unit = self.unit or "元"
        listed, rest = self.cells[:CELLS_LISTED], self.cells[CELLS_LISTED:]
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


def _lines(cells: list[CellRef]) -> list[int]:
    return sorted({c.source.line for c in cells if c.source.line})


def omitted(cells: list[CellRef]) -> dict[str, Any]:
    """The cells a finding does not list: how many, and the span of lines (or pages) they are on."""
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
