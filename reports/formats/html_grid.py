"""What an HTML excerpt is: a table grid, a narrative passage or a list of places, for one finding."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from budget_audit.loaders.model import SourceLocation

MAX_ROWS = 60  # rows an excerpt shows; the rest are counted in more_rows
NUMBER = re.compile(r"-?\d[\d,，]*(?:\.\d+)?%?")  # a printed figure (marked in text, right-aligned)


@dataclass
class GridCell:
    """One shown cell: its text, whether the check read it, and where it was printed."""

    text: str
    hit: bool = False
    line: int | None = None  # the cell's own place, shown when its row spans several
    numeric: bool = False
    place: str = ""


@dataclass
class GridRow:
    """One shown row: its place (lines or sheet row), its cells, and whether rows were skipped above it."""

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
