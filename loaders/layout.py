"""Text exports -> a stream of rows and text lines, each cell with its line numbers.

Two layouts (DOMAIN.md §4):
- *cell per line* (Word export, seed 001): a cell is a line starting with a tab; an empty line
  ends a row; a line without a tab inside a row continues the last cell's text.
- *tab separated* (spreadsheet export, seeds 002/003): one row per line, cells split by tabs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter, is_

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

    def filled_texts(self) -> list[str]:
        """The texts of the cells with visible text."""
        return [c.text for c in self.non_blank()]

    def width(self) -> int:
        """How many cells the row has."""
        return len(self.cells)

    def cell_text(self, j: int) -> str | None:
        """The text of the j-th cell, None past the row's end."""
        return self.cells[j].text if j < len(self.cells) else None

    def forget(self) -> None:
        """Drop what can be made again when read (a tab row's cells); nothing for other rows."""


class TabRow(RawRow):
    """One line of a tab-separated export: it keeps the line and makes its cells when first read,
    and `forget()` drops them again once the tables are built (a million rows keep a million lines,
    not eight million cells). Plain attributes only (never `__dict__`): the compact instance layout."""

    _cells: list[RawCell] | None = None
    _filled: list[RawCell] | None = None
    changed = False  # True once its cells are no longer the printed line's split

    def __init__(self, cells: list[RawCell] | None = None, page: int | None = None):
        # as RawRow(cells, page) (a reader that rebuilds a row with type(row)(cells)): no line kept
        self._cells, self.page, self.changed = list(cells or []), page, True

    @classmethod
    def of(cls, printed: str, number: int, start: int | None = None, end: int | None = None) -> "TabRow":
        """The row of one printed line: `printed`, or `printed[start:end]` of the whole text (a
        million rows then hold offsets into one string, not a million strings)."""
        row = cls.__new__(cls)
        row._text, row.number = printed, number
        if start is not None:
            row._start, row._end = start, end
        return row

    _start: int | None = None
    _end: int | None = None

    @property
    def printed(self) -> str:
        """The printed line."""
        return self._text if self._start is None else self._text[self._start:self._end]

    @property
    def cells(self) -> list[RawCell]:
        cells = self._cells
        if cells is None:
            number = self.number
            cells = self._cells = [RawCell(text, number) for text in self.printed.split("\t")]
        return cells

    @cells.setter
    def cells(self, value: list[RawCell]) -> None:
        self._cells, self._filled, self.changed = value, None, True

    def non_blank(self) -> list[RawCell]:
        filled = self._filled
        if filled is None:
            filled = self._filled = [c for c in self.cells if c.text and not c.text.isspace()]
        return filled

    @property
    def line(self) -> int:
        if self.changed:
            return self.cells[0].line if self.cells else 0
        return self.number

    def texts(self) -> list[str]:
        if self.changed:
            return [c.text for c in self.cells]
        return self.printed.split("\t")

    def forget(self) -> None:
        """Drop the cells made from the line (they are made again when read)."""
        if not self.changed and (self._cells is not None or self._filled is not None):
            self._cells = self._filled = None  # only when made: no slots added to a row never split

    def filled_texts(self) -> list[str]:
        """The texts of `non_blank()`, from the line (no cells made)."""
        if self.changed:
            return super().filled_texts()
        return [t for t in self.printed.split("\t") if t and not t.isspace()]

    def cell_text(self, j: int) -> str | None:
        """The j-th cell's text, from the line."""
        if self.changed:
            return super().cell_text(j)
        texts = self.printed.split("\t", j + 1)  # only as far as cell j (faster than finds)
        return texts[j] if j < len(texts) else None

    def width(self) -> int:
        """`len(cells)`, from the line."""
        if self.changed:
            return len(self.cells)
        if self._start is None:
            return self._text.count("\t") + 1
        return self._text.count("\t", self._start, self._end) + 1

    def printed_texts(self) -> list[tuple[str, int]]:
        """(text, line) of the cells with visible text: `non_blank()`'s, from the line."""
        number = self.number
        return [(t, number) for t in self.printed.split("\t") if t and not t.isspace()]



class PlainRow(TabRow):
    """A tab row whose first two cells show text and which prints no 单位, as read (while not
    `changed`): no label, title or unit line, so segment adds it to its table without a look."""


class LineBlock:
    """Consecutive tab rows of one text, as their lines' numbers and offsets (24 bytes a row)."""

    __slots__ = ("text", "numbers", "starts", "ends")

    def __init__(self, text: str):
        from array import array

        self.text, self.numbers, self.starts, self.ends = text, array("q"), array("q"), array("q")

    def add(self, row: "TabRow") -> None:
        self.numbers.append(row.number)
        self.starts.append(row._start)
        self.ends.append(row._end)

    def extend(self, rows: list["TabRow"]) -> None:
        """`add` of each row (rows of this text, as printed), at C speed."""
        self.numbers.extend(map(_NUMBER, rows))
        self.starts.extend(map(_START, rows))
        self.ends.extend(map(_END, rows))

    def __len__(self) -> int:
        return len(self.numbers)

    def lines(self):
        """(number, printed line) of each row."""
        text = self.text
        for number, start, end in zip(self.numbers, self.starts, self.ends):
            yield number, text[start:end]


class RawTexts(Sequence):
    """A table's printed texts with their lines, (text, line) as a list would hold them, where
    tab-separated rows are kept as their lines (in blocks of offsets into the text) and split
    again when read."""

    def __init__(self, parts: list):
        # each: a (text, line) tuple, a tab row's [number, printed line], or a LineBlock of rows
        self.parts = parts
        self._size: int | None = None

    def rows(self):
        """Every part as (line, texts-or-None, printed line-or-None): a tab row's printed line."""
        for part in self.parts:
            if isinstance(part, tuple):
                yield part[1], part[0], None
            elif isinstance(part, LineBlock):
                for number, printed in part.lines():
                    yield number, None, printed
            else:
                yield part[0], None, part[1]

    def __iter__(self):
        for line, text, printed in self.rows():
            if printed is None:
                yield text, line
                continue
            for cell in printed.split("\t"):
                if cell and not cell.isspace():
                    yield cell, line

    def __len__(self) -> int:
        if self._size is None:
            self._size = sum(1 for _ in self)
        return self._size

    def __getitem__(self, index):
        return list(self)[index]

    def __eq__(self, other) -> bool:
        return isinstance(other, (list, tuple, RawTexts)) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"RawTexts({len(self)} texts)"


@dataclass(slots=True)
class TextLine:
    """A line outside any row: a title, a unit note, or narrative text."""

    text: str
    line: int
    page: int | None = None  # the printed page (readers of paged formats), None for text files


_CHANGED, _TEXT, _START, _END, _NUMBER = (attrgetter(name) for name in ("changed", "_text", "_start", "_end", "number"))
_TAB_ROWS = frozenset({TabRow, PlainRow})


def one_text(rows: list[RawRow]) -> str | None:
    """The text when every row is a tab row, as printed, held as offsets into that one text (what
    read_items makes of a table): asked at C speed, so its rows can be read in bulk."""
    if not rows or not set(map(type, rows)) <= _TAB_ROWS or any(map(_CHANGED, rows)):
        return None
    text = rows[0]._text
    if not all(map(is_, repeat(text), map(_TEXT, rows))) or None in map(_START, rows):
        return None
    return text


def first_texts(rows: list[RawRow]) -> list[str]:
    """`row.cell_text(0)` of each row that has cells; a tab row's from its line's offsets."""
    out: list[str] = []
    add, tab_row = out.append, TabRow
    for row in rows:
        if isinstance(row, tab_row) and not row.changed and row._start is not None:
            text, start, end = row._text, row._start, row._end
            tab = text.find("\t", start, end)
            add(text[start:end if tab < 0 else tab])
        elif row.width():
            add(row.cell_text(0))
    return out


def is_cell_per_line(text: str) -> bool:
    """True when tab lines hold one cell each: a leading tab and no other (the Word export).

    Counted on the whole text at C speed: in that layout nearly every tab opens a line.
    """
    lines = text.count("\n") + 1  # at most this many tabs open a line
    if text.count("\t", 0, len(text) // 4) * 9 > lines * 10:  # a quarter has too many tabs already
        return False
    tabs = text.count("\t")
    if lines * 10 < tabs * 9:  # too few lines for it: no need to count "\n\t"
        return False
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


_PIECE = 1 << 20  # characters split into lines at a time (a few MB of line strings at most)


def read_tab_separated(text: str) -> list[RawRow | TextLine]:
    """Rows and text lines of the spreadsheet-export layout, each row an offset range of the text:
    the lines are never all kept as strings (a million rows would be a second copy of the text);
    a piece of the text is split into lines at a time. A row whose first two cells start with a
    visible character and which prints no 单位 is a PlainRow (one look at two characters; any
    other row is left to segment's general reading)."""
    items: list[RawRow | TextLine] = []
    add, new, tab_row, plain = items.append, object.__new__, TabRow, PlainRow
    find, size, number, start, piece = text.find, len(text), 0, 0, 0
    unit_at = -1  # the next 单位 at or after the line read (size: none)
    while piece <= size:
        stop = find("\n", min(piece + _PIECE, size))
        stop = size if stop < 0 else stop
        for line in text[piece:stop].split("\n"):
            number += 1
            end = start + len(line)
            if "\t" in line:
                if not line[0].isspace():
                    if unit_at < start:
                        unit_at = find("单位", start)
                        unit_at = size if unit_at < 0 else unit_at
                    tab = line.find("\t")
                    second = line[tab + 1:tab + 2]
                    kind = plain if unit_at >= end and second and not second.isspace() else tab_row
                elif line.isspace():  # a line of tabs and blanks is no row
                    start = end + 1
                    continue
                else:
                    kind = tab_row
                row = new(kind)  # TabRow.of(text, number, start, end), without the call
                row._text, row.number, row._start, row._end = text, number, start, end
                add(row)
            elif line.strip():
                add(TextLine(line, number))
            start = end + 1
        piece = stop + 1
    return items


def read_items(text: str) -> list[RawRow | TextLine]:
    """The row/text stream of a document, whichever layout it uses."""
    if "\r" in text:  # found at C speed, and no copy of a text that has none
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    with gc_paused():
        if is_cell_per_line(text):
            return read_cell_per_line(text.split("\n"))
        return read_tab_separated(text)
