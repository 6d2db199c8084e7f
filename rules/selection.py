"""Reading a table the way rules ask for it: row filters, values with ulps, cell references."""

from __future__ import annotations

import operator
from contextvars import ContextVar
from itertools import repeat
from typing import Any

from budget_audit.loaders.catalog import catalog
from budget_audit.loaders.model import Table
from budget_audit.rules.findings import CellRef


def mask(table: Table, where: dict[str, Any] | None):
    """Boolean numpy array of the rows matching `where` (cached per table and filter):
    {col: value | [values] | {not: [...]} | {prefix: ...} | {not_prefix: ...} | {present: bool}}."""
    import numpy as np

    def build():
        result = np.ones(table.rows, dtype=bool)
        for column, wanted in (where or {}).items():
            if column not in table.data:
                return np.zeros(table.rows, dtype=bool)
            test = _predicate(wanted)
            found = factors(table, column)
            if found is None:  # an amount column, or values of mixed kinds: row by row
                result &= np.fromiter(map(test, table.data[column]), dtype=bool, count=table.rows)
            else:  # the test once per distinct value
                codes, distinct = found
                result &= np.fromiter(map(test, distinct), dtype=bool, count=len(distinct))[codes]
        return result

    return memo(table, "masks", repr(sorted((where or {}).items())), where or (), build).copy()


# Kinds of key values whose equal values behave alike under every test a rule makes (str(),
# truthiness, startswith, ==): bool and int together would not (True == 1, str() differs).
_FACTOR_KINDS = (frozenset({str, type(None), bool}), frozenset({str, type(None), int}))


# Tables from this many rows have their key columns factorised: below it, a loop over the rows
# costs less than the numpy calls (a sample's tables have tens of rows)
LARGE = 1024


def factors(table: Table, column: str):
    """(codes, distinct values) of a key column: codes[row] indexes the row's value in `distinct`
    (first seen first); None for a small table, an amount column or one whose values are of other
    kinds (floats, bool next to int), which the callers then read row by row. Cached for the
    table's lifetime."""
    if table.rows < LARGE or column in table.cell_ulps or column not in table.data:
        return None

    def build():
        import numpy as np

        values = table.data[column]
        kinds = set(map(type, values))
        if not any(kinds <= allowed for allowed in _FACTOR_KINDS):
            return None
        index = dict.fromkeys(values)
        for i, value in enumerate(index):
            index[value] = i
        dtype = "int32" if len(index) < 2**31 else "int64"
        return np.fromiter(map(index.__getitem__, values), dtype=dtype, count=len(values)), list(index)

    return memo(table, "factors", column, (), build)


def truthy(table: Table, column: str):
    """Boolean numpy array: each row's value of a key column is true (is_total)."""
    import numpy as np

    def build():
        found = factors(table, column)
        if found is None:
            return np.fromiter(map(bool, table.data[column]), dtype=bool, count=table.rows)
        codes, distinct = found
        return np.fromiter(map(bool, distinct), dtype=bool, count=len(distinct))[codes]

    return memo(table, "truthy", column, (column,), build)


def memo(table: Table, kind: str, key: Any, columns, build):
    """`build()`, computed once per table, kind and key. Kept in `table.fixed` when it reads none
    of the amount `columns` (key columns, printed texts and lines never change after loading), so
    it outlives the likely-cause search's trials, which change amounts and clear `table.cache`."""
    store = table.cache if columns and any(c in table.cell_ulps for c in columns) else table.fixed
    found = store.setdefault(kind, {})
    if key not in found:
        found[key] = build()
    return found[key]


def rows(table: Table, where: dict[str, Any] | None) -> list[int]:
    """Positions of the rows matching `where`."""
    return mask(table, where).nonzero()[0].tolist()


def grouped(table: Table, picked, columns: list[str], strip: bool = False):
    """The rows of `picked` (a boolean mask) by their key: {(str(value), …): int64 array of rows},
    keys in the order of their first row, rows ascending, as a loop over the rows appending to
    `groups.setdefault(key, [])` gives them (with `strip`, each str(value) is stripped). None when
    a key column cannot be factorised (the caller then loops)."""
    import numpy as np

    rows = np.flatnonzero(picked)
    combined = np.zeros(len(rows), dtype="int64")
    parts = []  # per column: the distinct key texts
    size = 1
    for column in columns:
        found = factors(table, column)
        if found is None:
            return None
        codes, distinct = found
        texts: dict[str, int] = {}
        # distinct values with the same text (after strip) are one key
        remap = np.fromiter((texts.setdefault(str(v).strip() if strip else str(v), len(texts)) for v in distinct),
                            dtype="int64", count=len(distinct))
        size *= max(len(texts), 1)
        if size >= 2**62:
            return None
        combined = combined * len(texts) + remap[codes[rows]]
        parts.append(list(texts))
    result = {}
    for code, members in grouped_by(combined, rows):
        key = []
        for texts in reversed(parts):
            code, at = divmod(code, len(texts))
            key.append(texts[at])
        result[tuple(reversed(key))] = members
    return result


def grouped_by(labels, rows) -> list:
    """[(label, int64 array of its rows)] for an int64 label per row of `rows` (ascending): labels
    in the order of their first row, each label's rows in their order."""
    import numpy as np

    if not len(rows):
        return []
    order = np.argsort(labels, kind="stable")  # rows in their order within a label
    ordered = labels[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    ends = np.append(starts[1:], len(ordered))
    members = np.asarray(rows, dtype="int64")[order]  # each label's rows a view of it
    first, starts, ends = ordered[starts].tolist(), starts.tolist(), ends.tolist()
    return [(first[i], members[starts[i]:ends[i]]) for i in np.argsort(order[starts], kind="stable").tolist()]


def _predicate(wanted: Any):
    """A one-argument test for a `where` value."""
    if isinstance(wanted, dict):
        if "present" in wanted:
            return lambda v: (v is not None) == bool(wanted["present"])
        if "not" in wanted:
            excluded = _as_list(wanted["not"])
            return lambda v: v not in excluded
        if "prefix" in wanted:
            prefixes = tuple(_as_list(wanted["prefix"]))
            return lambda v: str(v).startswith(prefixes)
        if "not_prefix" in wanted:
            prefixes = tuple(_as_list(wanted["not_prefix"]))
            return lambda v: not str(v).startswith(prefixes)
    allowed = _as_list(wanted)
    return lambda v: v in allowed


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


# When set (by coverage tooling), every cell a rule reads is added as (table id, row, column).
READS: ContextVar[set | None] = ContextVar("reads", default=None)
# When set (by the likely-cause search), the rows a rule reads are added per (table id, column), as
# arrays of positions: a sum over a million rows is one array, not a million tuples.
READ_ROWS: ContextVar[dict | None] = ContextVar("read_rows", default=None)


def arrays(table: Table, column: str):
    """Cached (values, ulps) int64 arrays of a whole column; blank cells are 0 with ulp 0."""
    import numpy as np

    cache = table.cache.setdefault("arrays", {})
    if column not in cache:
        values, ulps = table.data[column], table.cell_ulps[column]
        by_list = table.cache.setdefault("ulp_arrays", {})  # columns sharing one ulps list share its array
        if id(ulps) not in by_list:
            by_list[id(ulps)] = (ulps, np.asarray(ulps, dtype="int64"))  # the list kept: its id stays its own
        cache[column] = (_filled(values), by_list[id(ulps)][1])
    return cache[column]


def _filled(values: list):
    """An amount column as int64, blank cells (None) 0: C loops for no, all or few blanks."""
    import numpy as np

    blanks = values.count(None)
    if blanks == len(values):
        return np.zeros(len(values), dtype="int64")
    if blanks > len(values) // 16:
        return np.array([v or 0 for v in values], dtype="int64")
    if blanks:
        values, at = list(values), -1
        for _ in range(blanks):
            at = values.index(None, at + 1)
            values[at] = 0
    return np.array(values, dtype="int64")


def keys(table: Table, column: str) -> list:
    """The values of a column, row by row (amounts: int 分 or None)."""
    return table.data[column]


def values(table: Table, column: str, rows=None):
    """(values, ulps) as int64 numpy arrays for the rows given (a mask or positions)."""
    import numpy as np

    picked = None if rows is None else np.asarray(rows)
    if column not in table.cell_ulps:  # not an amount column (or absent): nothing to add up
        n = table.rows if picked is None else (int(np.count_nonzero(picked)) if picked.dtype == bool else len(picked))
        return np.zeros(n, dtype="int64"), np.zeros(n, dtype="int64")
    data, ulps = arrays(table, column)
    if picked is not None and picked.dtype != bool:
        picked = picked.astype("int64")  # an empty list arrives as float
    elif picked is not None and len(picked) == len(data) and picked.all():
        picked = None  # every row: the arrays themselves, not copies (callers only read them)
    if READS.get() is not None or READ_ROWS.get() is not None:
        _record(table, column, np.arange(len(data)) if picked is None else
                (np.nonzero(picked)[0] if picked.dtype == bool else picked))
    if picked is None:
        return data, ulps
    return data[picked], ulps[picked]


def total(table: Table, column: str, positions) -> tuple[int, int]:
    """(Σ values, Σ ulps) in 分 of some rows of a column: plain Python for the handful of rows an
    identity adds up, numpy for long runs (exact: int64 only while no sum can overflow it);
    blank cells count 0 with ulp 0."""
    if column not in table.cell_ulps:
        return 0, 0
    if hasattr(positions, "__len__") and len(positions) > 256 and not isinstance(positions, (set, dict)):
        import numpy as np

        data, ulps = arrays(table, column)
        if _bound(table, column) * len(positions) < 2**62:
            picked = np.asarray(positions, dtype="int64")
            _record(table, column, picked)
            return int(data[picked].sum()), int(ulps[picked].sum())
    data, ulps = table.data[column], table.cell_ulps[column]
    positions = positions.tolist() if hasattr(positions, "tolist") else list(positions)  # numpy rows: Python ints
    _record(table, column, positions)
    return sum(data[r] or 0 for r in positions), sum(ulps[r] for r in positions)


def _bound(table: Table, column: str) -> int:
    """The largest |value| or ulp of a column (what decides whether an int64 sum is exact)."""
    cache = table.cache.setdefault("bounds", {})
    if column not in cache:
        data, ulps = arrays(table, column)
        cache[column] = max(int(abs(data).max(initial=0)), int(ulps.max(initial=0)), 1)
    return cache[column]


def printed_rows(table: Table, column: str, rows):
    """The rows (int64 array) among `rows` whose cell in `column` holds a figure."""
    import numpy as np

    rows = np.asarray(rows, dtype="int64")
    if column not in table.cell_ulps:
        return rows[:0]
    present = memo(table, "present", column, (column,),
                   lambda: np.fromiter(map(operator.is_not, table.data[column], repeat(None)), dtype=bool, count=table.rows))
    return rows[present[rows]]


def line_array(table: Table, column: str):
    """Every cell's source line as an int64 array (0 where the cell has none: its table's title)."""
    import numpy as np

    def build():
        lines = table.cell_lines[column]
        if set(map(type, lines)) <= {int}:  # plain int lines (0 and below: none)
            found = np.fromiter(lines, dtype="int64", count=table.rows)
            return np.where(found > 0, found, 0)
        # anything else (None, NaN, a float) as before
        return np.array([ln if ln.__class__ is int and ln > 0 else (ln if ln and ln == ln and int(ln) > 0 else 0)
                         for ln in table.cell_lines[column]], dtype="int64")

    return memo(table, "line_arrays", column, (), build)  # lines never change after loading


def _record(table: Table, column: str, positions) -> None:
    """Note the cells read, when coverage tooling asks (READS is set)."""
    reads = READS.get()
    if reads is not None:
        reads.update((table.id, int(r), column) for r in positions)
    rows = READ_ROWS.get()
    if rows is not None:
        import numpy as np

        rows.setdefault((table.id, column), []).append(np.asarray(positions, dtype="int64"))


def is_printed(table: Table, column: str, row: Any) -> bool:
    """True when the cell holds a figure."""
    return column in table.cell_ulps and table.data[column][row] is not None


def row_label(table: Table, row: Any) -> str:
    """A human name for a row: '2010301 行政运行', '本年收入合计', a project name."""
    return memo(table, "row_labels", row, (), lambda: _row_label(table, row))  # key columns only


def _row_label(table: Table, row: Any) -> str:
    columns = table.data
    parts = []
    for column in ("code", "name", "dept_econ_code", "dept_econ_name", "label", "project"):
        if column in columns and column not in table.cell_ulps:  # key columns only
            value = str(keys(table, column)[row]).strip()
            if value and value not in parts:
                parts.append(value)
    if "is_total" in columns and keys(table, "is_total")[row] and not parts:
        parts.append("合计")
    return " ".join(parts[:3]) or f"#{row + 1}"


def column_label(table: Table, column: str, lang: str = "zh") -> str:
    """The printed header of a column, else the catalog's name for its id."""
    printed = table.extras.get("column_labels", {}).get(column)
    if printed and lang == "zh":
        return printed
    names = catalog().get("column_names", {}).get(column)
    return names[lang] if names else column


def cell(table: Table, row: Any, column: str) -> CellRef:
    """A reference to one cell, for a finding's `cells` (made once per cell: the likely-cause
    search re-runs rules that name the same cells thousands of times)."""
    refs = table.fixed.setdefault("cells", {})  # memo(…, "cells", …) inlined: called millions of times
    ref = refs.get((row, column))
    if ref is None:
        text = table.text(row, column).strip()  # the printed text: a trial's amount leaves it
        ref = refs[row, column] = CellRef(table=table.id, row=row_label(table, row), column=column_label(table, column),
                                          value=text or None, source=table.location(row, column))
    return ref
