"""Collect cells row by row, then build a Table's aligned frames in one go."""

from __future__ import annotations

from itertools import compress, repeat
from operator import is_, itemgetter
from typing import Any, Callable, Collection

from budget_audit.loaders.model import SourceLocation, Table
from budget_audit.loaders.numbers import is_blank, parse_amount, plain_amounts

_PARSED_LIMIT = 65536  # printed figures remembered per unit by add_block (exports with distinct figures)


def picker(keys: list[Any]) -> Callable[[Any], tuple]:
    """`lambda c: tuple(c[k] for k in keys)`, in one C call per container (operator.itemgetter)."""
    if len(keys) == 1:
        key = keys[0]
        return lambda container: (container[key],)
    return itemgetter(*keys)


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
        # add_block's figures read so far, per unit: text -> 分, text -> ulp, and the texts that are
        # no number (blank cells: None and 0, no problem)
        self._parsed: dict[str, tuple[dict[str, int | None], dict[str, int], set[str]]] = {}

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

    def add_block(self, lines: list[Any], keys: dict[Any, tuple[dict[str, Any], Collection[str]]],
                  rows: list[Any], cells: dict[str, list[str]], unit: str) -> None:
        """Rows each printed on one line, all cells on it (a tab-separated export's lines), in one
        go: the same as, for each row i, `add(dict(keys[rows[i]][0]), {c: (texts[i], lines[i]) for
        c, texts in cells.items()}, unit, {k: lines[i] for k in keys[rows[i]][1]})`. `keys` holds
        the rows' distinct key values (with the names of the keys taking the row's line) by an id,
        in the order the rows first use them, `rows` each row's id, `cells` each amount column's
        printed texts, one per row."""
        m = len(rows)
        if not m:
            return
        n = self.count
        amounts, shared = self._amounts, self._shared.setdefault
        refs = lines if cells else [None] * m  # a row's line: its first figure's
        problems: list[tuple[int, int, dict[str, Any]]] = []
        for position, (column, texts) in enumerate(cells.items()):
            lists = amounts.get(column)
            if lists is None:
                if column not in self.amounts:
                    self.amounts.append(column)
                lists = amounts[column] = ([None] * n, [0] * n, [""] * n)
                self._amount_lines[column] = [None] * n
            distinct = set(texts)
            fen_of, ulp_of, bad, ulp_set, one = self._parse(distinct, unit)
            fen, ulps, printed = lists
            if len(distinct) == 1:  # a column left blank (or printing one figure) all along
                text = texts[0]
                fen.extend([fen_of[text]] * m)
                ulps.extend([ulp_of[text]] * m)
                printed.extend([shared(text, text)] * m)
            else:
                take = picker(texts)
                fen.extend(take(fen_of))
                if len(ulp_set) == 1:  # every figure read so far has this ulp (printed to the 分: 0)
                    ulps.extend([next(iter(ulp_set))] * m)
                else:
                    ulps.extend(take(ulp_of))
                # one object per printed text, unless each but the empty ones (one object) is met
                # once here: distinct figures, nothing to share
                blank = texts.count("")
                printed.extend(texts if blank + len(distinct) - (blank > 0) == m else take(one))
            own = self._amount_lines[column]
            if own is not None:  # (else each of its lines is its row's: nothing to keep)
                own.extend(lines)
            if not bad.isdisjoint(distinct):
                problems.extend((i, position, {"kind": "unparsed_amount", "line": lines[i], "column": column,
                                               "text": texts[i].strip()})
                                for i in compress(range(m), map(bad.__contains__, texts)))
        problems.sort()  # row by row, as add() meets them (no two at one row and column)
        self.problems.extend(p for _, _, p in problems)
        self._row_lines.extend(refs)
        named = {}  # each distinct key values as add() stores them (a key named like an amount column renamed)
        for id_, (values, _) in keys.items():
            values = dict(values)
            for key in [k for k in values if k in amounts or k not in self._values]:
                if key in amounts:
                    values[f"{key}_key"] = values.pop(key)
                    key = f"{key}_key"
                if key not in self.keys:
                    self.keys.append(key)
                    self._values[key] = [""] * n
                    # no line of its own yet while no row came before (as a key given to __init__)
                    self._key_lines[key] = [None] * n if n else None
            named[id_] = values
        index = dict(zip(named, range(len(named))))
        take = picker(picker(rows)(index))  # a row's values: its distinct key values' position
        for key, store in self._values.items():
            of = [values.get(key, "") for values in named.values()]
            of = [shared(v, v) if type(v) is str else v for v in of]
            first = of[0]
            if all(v is first for v in of):  # the same in every row
                store.extend([first] * m)
            else:
                store.extend(take(of))
        for key, own in self._key_lines.items():
            where = {id_: key in sources for id_, (_, sources) in keys.items()}
            if all(where.values()):
                key_lines = lines
            elif not any(where.values()):
                key_lines = [None] * m
            else:
                key_lines = [line if where[id_] else None for line, id_ in zip(lines, rows)]
            if own is not None:
                own.extend(key_lines)
            elif any(a is not b and not (type(a) is type(b) and a == b) for a, b in zip(key_lines, refs)):
                self._key_lines[key] = self._row_lines[:n] + list(key_lines)
        if len(cells) < len(amounts):
            for column, (fen, ulps, texts) in amounts.items():
                if column not in cells:  # a column these rows do not print
                    fen.extend([None] * m)
                    ulps.extend([0] * m)
                    texts.extend([""] * m)
                    own = self._amount_lines[column]
                    if own is not None:
                        own.extend([None] * m)
                    elif cells:
                        self._amount_lines[column] = self._row_lines[:n] + [None] * m
        self.count = n + m

    def _parse(self, texts: set[str], unit: str) -> tuple[dict[str, int | None], dict[str, int], set[str],
                                                            set[int], dict[str, str]]:
        """The figures read for `unit`, `texts` among them (read now if new): 分 and ulp by text,
        the texts that are no number, the ulps met, and one object per text (the first met)."""
        parsed = self._parsed.get(unit)
        if parsed is None or len(parsed[0]) > _PARSED_LIMIT:
            parsed = self._parsed[unit] = ({"": None}, {"": 0}, set(), {0}, {"": ""})
        fen_of, ulp_of, bad, ulp_set, one = parsed
        new = list(texts.difference(fen_of))
        if new:
            one.update(zip(new, new))
            read, fens, ulps = plain_amounts(new, unit)
            fen_of.update(zip(read, fens))
            ulp_of.update(zip(read, ulps))
            ulp_set.update(ulps)
            if None in fens:  # no number (parse_amount's None too)
                bad.update(compress(read, map(is_, fens, repeat(None))))
            for text in (texts.difference(fen_of) if len(read) < len(new) else ()):  # the rest
                if is_blank(text):  # not a plain figure: parse_amount says
                    fen_of[text], ulp_of[text] = None, 0
                    continue
                full = parse_amount(text, unit)
                if full is None:
                    bad.add(text)
                    fen_of[text], ulp_of[text] = None, 0
                else:
                    fen_of[text], ulp_of[text] = full.fen, full.ulp
                    ulp_set.add(full.ulp)
        return parsed

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
            types = set(map(type, values))
            # a key column's values and printed texts are one list when equal (neither is ever
            # changed after loading: the likely-cause search changes amounts only)
            if types <= {str}:
                texts[key] = values  # already the printed texts
                continue
            texts[key] = _printed(values, types)
            if not all(issubclass(t, (bool, int)) for t in types):
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


def _printed(values: list[Any], types: set[type]) -> list[str]:
    """`[str(v) for v in values]`, one string per distinct (type, value): True and 1 stay apart."""
    if types == {bool}:  # a column of flags (is_total): by value
        text_of = {v: str(v) for v in set(values)}
        return list(map(text_of.__getitem__, values))
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
