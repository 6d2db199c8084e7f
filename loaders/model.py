"""The loaders' output: a Document of standard tables, each cell with its source location.

Amounts are integers in 分 (0.01 元). A 万元 figure printed with 6 decimals is exactly 1 分, so
every figure in the supported templates is an integer number of 分. Each amount also keeps its
*ulp*: the value of one unit of its last printed digit, in 分 (1,234.5 元 -> 10 分; 150万元 ->
1,000,000 分), which is what the rounding-aware comparisons need. A figure printed to the 分 is
exact (money is counted in 分), so its ulp is 0: no rounding can excuse a difference there.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported by the loaders that build frames, not by this module
    import pandas as pd

FEN_PER_UNIT = {"元": 100, "万元": 1_000_000, "亿元": 10_000_000_000}


@contextmanager
def gc_paused():
    """No cyclic garbage collection inside: reading a million rows makes millions of objects that
    all live on, and each full collection would scan them all again (two thirds of the loading
    time at 300,000 rows). Reference counting still frees what is dropped; the collector runs
    again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class SourceLocation:
    """Where a cell or paragraph was printed: a line of a text file; a page and box of a PDF
    (`bbox` = x0, top, x1, bottom in PDF points from the page's top-left, as pdfplumber gives
    them); a sheet and cell ref of a workbook; a table/row/cell or paragraph ref of a Word file.
    `file` names the file when a document is read from several (a two-file publication).
    """

    line: int | None = None
    line_end: int | None = None
    sheet: str | None = None
    ref: str | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    file: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract's `source` object: only the keys that are known."""
        out = {k: v for k, v in self.__dict__.items() if v is not None}
        if self.bbox is not None:
            out["bbox"] = [round(v, 1) for v in self.bbox]
        return out

    def __str__(self) -> str:
        if self.line is not None:
            return f"L{self.line}" if not self.line_end else f"L{self.line}-{self.line_end}"
        if self.sheet is not None:
            return f"{self.sheet}!{self.ref}"
        if self.ref is not None:
            return self.ref
        where = f"p{self.page}" if self.page else "?"
        return f"{self.file}:{where}" if self.file else where


@dataclass(frozen=True)
class Amount:
    """An exact printed amount: value and ulp in 分, plus the decimals printed."""

    fen: int
    ulp: int
    decimals: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """One narrative paragraph (说明) with the line it starts on (for a PDF, Word file or workbook:
    the position ordinal that `Document.places` locates)."""

    text: str
    line: int


@dataclass
class Table:
    """One standard table.

    `data` holds, per column, the values of every row: key columns (str, bool, int) and amount
    columns (int 分, None when blank). `frame` is the same as a pandas DataFrame (nullable Int64
    amounts), built on first use. Per column, `cell_lines` and `cell_texts` give every cell's
    source line and printed text, and per amount column `cell_ulps` its ulp in 分; `ulps`,
    `lines` and `texts` show them as DataFrames aligned with `frame`. Plain lists are what the
    rules read, so a check never pays for DataFrames it does not need.
    """

    id: str
    title: str
    label: str | None
    unit: str
    data: dict[str, list[Any]]
    cell_ulps: dict[str, list[int]]
    cell_lines: dict[str, list[int | None]]
    cell_texts: dict[str, list[str]]
    amount_columns: tuple[str, ...]
    source: SourceLocation
    declared_unit_text: str | None = None
    notes: tuple[str, ...] = ()
    extras: dict[str, Any] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # for rule evaluation
    # For rule evaluation, what depends only on key columns, printed texts and lines (cell references,
    # groups by key): these never change after loading, so it outlives `cache`, which a changed amount clears
    fixed: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def rows(self) -> int:
        """Number of data rows."""
        return len(next(iter(self.data.values()), []))

    @cached_property
    def frame(self) -> "pd.DataFrame":
        """The table as a DataFrame: key columns and nullable Int64 amount columns (分)."""
        import pandas as pd

        columns = {c: (pd.array(v, dtype="Int64") if c in self.cell_ulps else v) for c, v in self.data.items()}
        return pd.DataFrame(columns, index=pd.RangeIndex(self.rows))

    @cached_property
    def ulps(self) -> "pd.DataFrame":
        """Ulps in 分 of the amount columns, aligned with `frame`."""
        import pandas as pd

        return pd.DataFrame(self.cell_ulps, index=pd.RangeIndex(self.rows), columns=list(self.amount_columns), dtype="int64")

    @cached_property
    def lines(self) -> "pd.DataFrame":
        """Source line of every cell, aligned with `frame`."""
        import pandas as pd

        return pd.DataFrame(self.cell_lines, index=pd.RangeIndex(self.rows), columns=list(self.cell_lines)).astype("Int64")

    @cached_property
    def texts(self) -> "pd.DataFrame":
        """Printed text of every cell, aligned with `frame`."""
        import pandas as pd

        return pd.DataFrame(self.cell_texts, index=pd.RangeIndex(self.rows), columns=list(self.cell_texts))

    def location(self, row: Any, column: str) -> SourceLocation:
        """The source location of one cell (falls back to the table's title line)."""
        lines = self.cell_lines.get(column)
        line = lines[row] if lines is not None else None
        if not line or line != line or int(line) <= 0:
            return self.source
        return SourceLocation(line=int(line))

    def text(self, row: Any, column: str) -> str:
        """The printed text of one cell ('' when blank)."""
        texts = self.cell_texts.get(column)
        value = texts[row] if texts is not None else None
        return "" if value is None or value != value else str(value)


@dataclass
class Document:
    """A loaded disclosure: its standard tables by id and its narrative paragraphs."""

    path: str
    template: str | None
    year: int | None
    unit: str | None
    tables: dict[str, Table] = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # for rule evaluation
    # Readers of formats without lines (PDF, xlsx, docx) number every printed text and cell in
    # reading order and map each number here to its real place; the rules work with the numbers
    # (`line`) as they do for text files, and `where` turns them into pages, boxes or cell refs.
    places: dict[int, SourceLocation] = field(default_factory=dict, repr=False)
    # What the reader could tell about the publication: body (as printed on the cover),
    # kind ('budget' | 'final'), level ('dept' | 'unit'), year; for cross-document checks.
    meta: dict[str, Any] = field(default_factory=dict)

    def table(self, table_id: str) -> Table | None:
        """The standard table with this id, or None when the document lacks it."""
        return self.tables.get(table_id)

    def where(self, source: SourceLocation) -> SourceLocation:
        """The real place of a location the rules made from a position number (itself for text files)."""
        if not self.places or source.line is None:
            return source
        return self.places.get(source.line, source)


class LoadError(Exception):
    """The input cannot be read as a disclosure; the message names file, line and reason."""

    def __init__(self, path: str, reason: str, line: int | None = None):
        self.path, self.reason, self.line = path, reason, line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {reason}")
