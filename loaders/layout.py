"""Text exports -> a stream of rows and text lines, each cell with its line numbers.

Two layouts (DOMAIN.md §4):
- *cell per line* (Word export, seed 001): a cell is a line starting with a tab; an empty line
  ends a row; a line without a tab inside a row continues the last cell's text.
- *tab separated* (spreadsheet export, seeds 002/003): one row per line, cells split by tabs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from budget_audit.loaders.model import gc_paused


@dataclass(slots=True)
class RawCell:
    """One cell's printed text and the lines it spans."""

    text: str
    line: int
    line_end: int | None = None
    merged: str | None = None  # paged grids: "up" / "left" when covered by a merged neighbour


@dataclass
class RawRow:
    """One row of cells; `line` is where it starts."""

    cells: list[RawCell] = field(default_factory=list)
    page: int | None = None  # the printed page (readers of paged formats), None for text files

    @property
    def line(self) -> int:
        """First line of the row."""
        return self.cells[0].line if self.cells else 0

    def texts(self) -> list[str]:
        """The cells' texts."""
        return [c.text for c in self.cells]

    def non_blank(self) -> list[RawCell]:
        """Cells with visible text (computed once: a row is complete before anyone asks)."""
        filled = self.__dict__.get("_filled")
        if filled is None:
            filled = self.__dict__["_filled"] = [c for c in self.cells if c.text and not c.text.isspace()]
        return filled


@dataclass(slots=True)
class TextLine:
    """A line outside any row: a title, a unit note, or narrative text."""

    text: str
    line: int
    page: int | None = None  # the printed page (readers of paged formats), None for text files


def is_cell_per_line(text: str) -> bool:
    """True when tab lines hold one cell each: a leading tab and no other (the Word export).

    Counted on the whole text at C speed: in that layout nearly every tab opens a line.
    """
    tabs = text.count("\t")
    leading = text.count("\n\t") + text.startswith("\t")
    return tabs > 0 and leading * 10 >= tabs * 9


def read_cell_per_line(lines: list[str]) -> list[RawRow | TextLine]:
    """Rows and text lines of the Word-export layout."""
    items: list[RawRow | TextLine] = []
    add_item = items.append
    cells: list[RawCell] | None = None  # the open row's cells
    for number, line in enumerate(lines, 1):
        if line[:1] == "\t":
            if cells is None:
                cells = []
            cells.append(RawCell(line[1:], number))
        elif not line or line.isspace():
            if cells is not None:
                add_item(RawRow(cells))
            cells = None
        elif cells:
            cell = cells[-1]
            cell.text = f"{cell.text}\n{line}"
            cell.line_end = number
        else:
            add_item(TextLine(line, number))
    if cells is not None:
        add_item(RawRow(cells))
    return items


def read_tab_separated(lines: list[str]) -> list[RawRow | TextLine]:
    """Rows and text lines of the spreadsheet-export layout."""
    items: list[RawRow | TextLine] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if "\t" not in line:
            items.append(TextLine(line, number))
            continue
        items.append(RawRow([RawCell(text, number) for text in line.split("\t")]))
    return items


def read_items(text: str) -> list[RawRow | TextLine]:
    """The row/text stream of a document, whichever layout it uses."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    with gc_paused():
        if is_cell_per_line(text):
            return read_cell_per_line(lines)
        return read_tab_separated(lines)
