"""Collect cells row by row, then build a Table's aligned frames in one go."""

from __future__ import annotations

from typing import Any

from budget_audit.loaders.model import SourceLocation, Table
from budget_audit.loaders.numbers import parse_amount


class FrameBuilder:
    """Accumulates rows of key values and amounts with their lines and printed texts, column by
    column (no record per row: a million rows would be a million dicts)."""

    def __init__(self, keys: list[str], amounts: list[str]):
        self.keys, self.amounts = list(keys), list(amounts)
        self.problems: list[dict[str, Any]] = []
        self.key_memo: dict[tuple, Any] = {}  # a builder's key texts -> key columns (builders.columnar)
        self.count = 0  # rows added
        self._values: dict[str, list[Any]] = {k: [] for k in self.keys}
        # every column's lines, as one list of the rows' lines (the line of each row's first figure)
        # that a column keeps to itself only once one of its cells is elsewhere: a tab-separated
        # row prints all its cells on its line, so a million rows hold one list, not one per column
        self._row_lines: list[Any] = []
        self._key_lines: dict[str, list[Any] | None] = {k: None for k in self.keys}
        self._amount_lines: dict[str, list[Any] | None] = {c: None for c in self.amounts}
        # per amount column: value (int 分 or None), ulp, printed text (lines: _amount_lines)
        self._amounts: dict[str, tuple[list, list, list]] = {c: ([], [], []) for c in self.amounts}
        # one object per distinct printed text: a detail export repeats its codes, names and figures
        # on row after row (a million rows, a few thousand distinct texts per column)
        self._shared: dict[str, str] = {}

    def add(self, keys: dict[str, Any], cells: dict[str, tuple[str, int]], unit: str,
            key_lines: dict[str, int] | None = None) -> None:
        """One row: key values, and per amount column the printed text and its line."""
        n = self.count
        amounts = self._amounts
        shared = self._shared.setdefault
        ref = next(iter(cells.values()))[1] if cells else None
        self._row_lines.append(ref)
        place = self._place
        amount_lines = self._amount_lines
        for column, (text, line) in cells.items():
            lists = amounts.get(column)
            if lists is None:
                if column not in self.amounts:
                    self.amounts.append(column)
                lists = amounts[column] = ([None] * n, [0] * n, [""] * n)
                self._amount_lines[column] = [None] * n
            blank = not text or text.isspace()
            amount = None if blank else parse_amount(text, unit)
            if amount is None and not blank:
                self.problems.append({"kind": "unparsed_amount", "line": line, "column": column,
                                      "text": text.strip()})
            fen, ulps, texts = lists
            if amount is not None:
                fen.append(amount.fen)
                ulps.append(amount.ulp)
            else:
                fen.append(None)
                ulps.append(0)
            own = amount_lines[column]  # _place, inlined
            if own is not None:
                own.append(line)
            elif not (line is ref or (type(line) is type(ref) and line == ref)):
                amount_lines[column] = self._row_lines[:n] + [line]
            texts.append(shared(text, text))
        for key in [k for k in keys if k in amounts or k not in self._values]:
            if key in amounts:  # a key named like an amount column: keep it apart
                keys[f"{key}_key"] = keys.pop(key)
                key = f"{key}_key"
            if key not in self.keys:
                self.keys.append(key)
                self._values[key] = [""] * n
                self._key_lines[key] = [None] * n
        key_lines = key_lines or {}
        get, at = keys.get, key_lines.get
        for key, values in self._values.items():
            value = get(key, "")
            values.append(shared(value, value) if type(value) is str else value)
        key_store = self._key_lines
        ref_type = type(ref)
        for key, own in key_store.items():  # _place, inlined: run for every key of every row
            line = at(key)
            if own is not None:
                own.append(line)
            elif not (line is ref or (type(line) is ref_type and line == ref)):
                key_store[key] = self._row_lines[:n] + [line]
        if len(cells) < len(amounts):
            for column, (fen, ulps, texts) in amounts.items():
                if len(fen) == n:  # a column this row does not print
                    fen.append(None)
                    ulps.append(0)
                    place(self._amount_lines, column, None, ref, n)
                    texts.append("")
        self.count = n + 1

    def _place(self, store: dict[str, list | None], column: str, line: Any, ref: Any, n: int) -> None:
        """Row n's line of a column: nothing to keep while it is the row's line."""
        own = store[column]
        if own is not None:
            own.append(line)
        elif not (line is ref or (type(line) is type(ref) and line == ref)):
            store[column] = self._row_lines[:n] + [line]  # this column's cells are elsewhere

    def _lines(self, store: dict[str, list | None], column: str) -> list:
        own = store.get(column)
        return self._row_lines if own is None else own

    def set_key(self, row: int, key: str, value: Any) -> None:
        """Change one row's key value after it was added."""
        self._values[key][row] = value

    def build(self, table_id: str, title: str, label: str | None, unit: str, line: int,
              **extra: Any) -> Table:
        """The Table: column lists of values, ulps, lines and printed texts, aligned by row."""
        self._shared = {}
        data: dict[str, list[Any]] = {k: self._values[k] for k in self.keys}
        ulps: dict[str, list[int]] = {}
        lines: dict[str, list[Any]] = {k: self._lines(self._key_lines, k) for k in self.keys}
        texts: dict[str, list[str]] = {}
        for key in self.keys:
            values = data[key]
            # a key column's values and printed texts are one list when equal (neither is ever
            # changed after loading: the likely-cause search changes amounts only)
            if all(type(v) is str for v in values):
                texts[key] = values  # already the printed texts
                continue
            texts[key] = _printed(values)
            if not all(isinstance(v, (bool, int)) for v in values):
                data[key] = texts[key]
        for column in self.amounts:
            fen, ulp, printed = self._amounts[column]
            data[column], ulps[column], texts[column] = fen, ulp, printed
            lines[column] = self._lines(self._amount_lines, column)
        _share(lines)  # a tab-separated row's cells are all on its line: one list for every column
        _share(ulps)  # every figure printed to the 分: all ulps 0 (ulps are never changed either)
        _share(texts)  # the printed texts of columns left blank (values are not shared: a trial changes one)
        return Table(
            id=table_id, title=title, label=label, unit=unit, data=data,
            cell_ulps=ulps, cell_lines=lines, cell_texts=texts,
            amount_columns=tuple(self.amounts),
            source=SourceLocation(line=line),
            **extra,
        )


def _share(lists: dict[str, list]) -> None:
    """Columns whose lists are equal hold the same list (lines, ulps and printed texts never change
    after loading; amounts do, in the likely-cause search's trials, so they are never shared)."""
    unique: list[list] = []
    for key, values in lists.items():
        same = next((u for u in unique if u is values or u == values), None)
        if same is None:
            unique.append(values)
        else:
            lists[key] = same


def _printed(values: list[Any]) -> list[str]:
    """`[str(v) for v in values]`, one string per distinct (type, value): True and 1 stay apart."""
    seen: dict[tuple, str] = {}
    out = []
    for v in values:
        try:
            text = seen.get((type(v), v))
        except TypeError:  # an unhashable value
            out.append(str(v))
            continue
        if text is None:
            text = seen[type(v), v] = str(v)
        out.append(text)
    return out
