"""The search behind rules/root_cause.py: which cells a finding names, which rules read a cell,
and what each candidate correction resolves when every rule reading the cell is run again."""

from __future__ import annotations

from functools import cached_property

import numpy as np

from budget_audit.loaders.model import Document, SourceLocation
from budget_audit.rules import engine, selection
from budget_audit.rules.findings import SEVERITY_RANK, CellRef, Cells, Finding
from budget_audit.rules.kinds import KINDS
from budget_audit.rules.ruleset import Rule

CellKey = tuple[str, int, str]  # (table id, row position, column id)
MAX_CANDIDATES = 60  # cells tried per group: a bound on the re-runs for large groups
WORK_LIMIT = 2_000_000  # rows and paragraphs re-checked per document: keeps a huge document's search linear


class Budget:
    """The re-checking a document's search may do: each re-run costs the document's table rows and
    paragraphs (what a run reads). Once spent, the remaining groups are shown without a likely cause
    (never a guessed one). A count, not a clock: the same document always gets the same causes."""

    def __init__(self, document: Document, limit: int | None = None):
        self.cost = max(1, sum(t.rows for t in document.tables.values()) + len(document.paragraphs))
        self.left = WORK_LIMIT if limit is None else limit

    def spend(self) -> bool:
        """Whether one more re-run is allowed (and charge it)."""
        if self.left < self.cost:
            return False
        self.left -= self.cost
        return True


def signature(finding: Finding) -> tuple:
    """What identifies a finding across re-runs: its check, code and first cell's place."""
    head = finding.cells[0] if finding.cells else None
    return (finding.extra.get("check", finding.rule), finding.rule, head.table if head else None,
            head.row if head else None, head.column if head else None)


def warnings_and_errors(findings: list[Finding]) -> set[tuple]:
    """The signatures of the findings at warning level or above."""
    rank, floor = SEVERITY_RANK, SEVERITY_RANK["warning"]
    out: set[tuple] = set()
    add = out.add
    for f in findings:  # signature(f), inlined: a document may have 400,000 findings
        if rank[f.severity] >= floor:
            head = f.cells[0] if f.cells else None
            add((f.extra.get("check", f.rule), f.rule, head.table if head else None,
                 head.row if head else None, head.column if head else None))
    return out


class CellIndex:
    """Finding cells -> (table, row, column) of the Document, by place and printed text.

    Two amount cells at the same place printing the same text cannot be told apart from a
    finding's reference: they form one *class*, and a reference names every key of its class.
    Each class has an integer id. For a text export whose rows each sit on a line of their own
    (the common case, and every large table) the classes are computed with numpy per table; any
    other table is indexed cell by cell."""

    def __init__(self, document: Document):
        self.document = document
        self._fast: dict[str, _Classes | None] = {}
        self._slow: dict[str, dict[tuple, list[CellKey]]] = {}
        self._slow_ids: dict[CellKey, int] = {}  # one class per key in a slow table
        self._slow_keys: list[CellKey] = []
        self._offset = 0  # fast tables' id ranges, one after the other
        self._named: dict[int, tuple] = {}  # id(cells) -> (cells, their class ids): groups, candidates and causes ask again

    def _table(self, table_id: str):
        if table_id not in self._fast:
            table = self.document.tables.get(table_id)
            classes = _Classes.of(table, self._offset) if table is not None and not self.document.places else None
            if classes is not None:
                self._offset += classes.size
            self._fast[table_id] = classes
        return self._fast[table_id]

    def _slow_table(self, table_id: str) -> dict[tuple, list[CellKey]]:
        if table_id not in self._slow:
            by_place: dict[tuple, list[CellKey]] = {}
            table = self.document.tables.get(table_id)
            for column in table.amount_columns if table is not None else ():
                for row, line in enumerate(table.cell_lines.get(column, ())):
                    if not line:
                        continue
                    text = table.text(row, column).strip()
                    for place in {SourceLocation(line=line), self.document.where(SourceLocation(line=line))}:
                        by_place.setdefault((table.id, place, text), []).append((table.id, row, column))
            self._slow[table_id] = by_place
        return self._slow[table_id]

    def keys(self, cell: CellRef) -> list[CellKey]:
        """The Document cells a finding's cell reference names (several when a place is shared)."""
        classes = self._table(cell.table)
        if classes is not None:
            return classes.keys(cell)
        return self._slow_table(cell.table).get((cell.table, cell.source, (cell.value or "").strip()), [])

    def _slow_id(self, key: CellKey) -> int:
        if key not in self._slow_ids:
            self._slow_ids[key] = -1 - len(self._slow_keys)  # negative: apart from the fast ids
            self._slow_keys.append(key)
        return self._slow_ids[key]

    def ids(self, cells) -> "np.ndarray":
        """The sorted unique class ids of the keys some cells name."""
        known = self._named.get(id(cells))
        if known is not None and known[0] is cells:
            return known[1]
        found = self._ids(cells)
        if isinstance(cells, Cells) or len(cells) > 16:
            self._named[id(cells)] = (cells, found)
        return found

    def _ids(self, cells) -> "np.ndarray":
        out, single = [], []
        for part in (cells.parts if isinstance(cells, Cells) else [list(cells)]):
            if not isinstance(part, list):
                table, column, rows = part
                classes = self._table(table.id)
                if classes is not None and column in classes.position:
                    found, loose = classes.run_ids(column, rows)
                    out.append(found)
                    part = [selection.cell(table, int(r), column) for r in loose]
                else:
                    part = [selection.cell(table, int(r), column) for r in rows]
            batch: dict[str, list[CellRef]] = {}  # a fast table's cells, looked up together
            for cell in part:
                classes = self._table(cell.table)
                if classes is not None:
                    batch.setdefault(cell.table, []).append(cell)
                else:
                    single.extend(self._slow_id(k) for k in self.keys(cell))
            for table_id, refs in batch.items():
                classes = self._fast[table_id]
                if len(refs) > 16:  # one search pays for itself only over many cells
                    out.append(classes.cells_ids(refs))
                else:
                    single.extend(i for cell in refs for i in classes.cell_ids(cell))
        out.append(np.asarray(single, dtype="int64"))
        return _unique(np.concatenate(out))

    def members(self, class_id: int) -> list[CellKey]:
        """The keys of one class, in the index's order (table, column, row)."""
        if class_id < 0:
            return [self._slow_keys[-1 - class_id]]
        for classes in self._fast.values():
            if classes is not None and classes.offset <= class_id < classes.offset + classes.size:
                return classes.members(class_id)
        return []

    def class_of(self, key: CellKey) -> int | None:
        """The id of the class a key belongs to (None: no reference names it)."""
        classes = self._table(key[0])
        if classes is not None:
            return classes.class_of(key)
        return self._slow_ids.get(key)


class _Classes:
    """The classes of one table whose rows each sit on a line of their own: a cell's class is its
    row and the first column (in the table's order) of that row printing the same text."""

    def __init__(self, table, offset, columns, lines, first, row_lines):
        self.table, self.offset, self.columns = table, offset, columns
        self.position = {c: j for j, c in enumerate(columns)}
        self.lines, self.first = lines, first  # per column: line (0: none), class column (-1: none)
        self.rows = table.rows
        self.size = max(1, len(columns) * self.rows)
        ordered = len(row_lines) < 2 or bool((row_lines[1:] >= row_lines[:-1]).all())
        self.line_order = np.arange(len(row_lines)) if ordered else np.argsort(row_lines, kind="stable")
        self.sorted_lines = row_lines[self.line_order]

    @classmethod
    def of(cls, table, offset: int):
        columns = [c for c in table.amount_columns if c in table.cell_lines]
        n = table.rows
        if not columns or not n or len(columns) > 30000 or any(len(table.cell_texts.get(c, ())) != n for c in columns):
            return None
        # columns usually share one list of lines (a tab row's cells are all on its line) and blank
        # columns one list of texts: each distinct list is read once
        line_of: dict[int, np.ndarray] = {}
        for c in columns:
            values = table.cell_lines[c]
            if id(values) not in line_of:
                line_of[id(values)] = _line_numbers(values, n)
        if any((ln < 0).any() for ln in line_of.values()):
            return None
        lines = [line_of[id(table.cell_lines[c])] for c in columns]
        distinct = list(line_of.values())
        row_lines = distinct[0] if len(distinct) == 1 else np.maximum.reduce(distinct)
        if any(((ln != 0) & (ln != row_lines)).any() for ln in distinct):
            return None  # a row printed over several lines
        printed = row_lines[row_lines > 0]
        if len(_unique(printed)) != len(printed):
            return None  # several rows on one line (halves side by side)
        texts = [id(table.cell_texts[c]) for c in columns]
        equal = _EqualTexts({id(table.cell_texts[c]): table.cell_texts[c] for c in columns}, n, texts)
        has_line = {id(ln): ln > 0 for ln in distinct}
        first = []
        for j in range(len(columns)):
            mine = np.full(n, j, dtype="int16")  # a column's position (arithmetic casts to int64)
            for i in range(j - 1, -1, -1):  # the first earlier column of the same text wins
                same = has_line[id(lines[i])]
                if texts[i] != texts[j]:  # one list of texts: every row's texts are equal
                    same = same & equal(texts[i], texts[j])
                mine[same] = i
            mine[lines[j] == 0] = -1  # not indexed: no line
            first.append(mine)
        return cls(table, offset, columns, lines, first, row_lines)

    def _row(self, line: int) -> int | None:
        at = int(np.searchsorted(self.sorted_lines, line))
        if at < len(self.sorted_lines) and self.sorted_lines[at] == line and line > 0:
            return int(self.line_order[at])
        return None

    def _matches(self, cell: CellRef) -> tuple[int | None, list[int]]:
        source = cell.source
        if source != SourceLocation(line=source.line) or not source.line:
            return None, []
        row = self._row(source.line)
        if row is None:
            return None, []
        text = (cell.value or "").strip()
        return row, [j for j in range(len(self.columns))
                     if self.lines[j][row] == source.line and self.table.text(row, self.columns[j]).strip() == text]

    def keys(self, cell: CellRef) -> list[CellKey]:
        row, found = self._matches(cell)
        return [(self.table.id, row, self.columns[j]) for j in found]

    def cell_ids(self, cell: CellRef) -> list[int]:
        row, found = self._matches(cell)
        return [self.offset + j * self.rows + row for j in found[:1]]

    def cells_ids(self, cells: list[CellRef]) -> np.ndarray:
        """cell_ids of many cells at once (a finding listing 50,000 cells): their rows found in one
        search, then column by column the cells whose line and text it holds, first column first."""
        picked, lines, texts = [], [], []
        for cell in cells:
            source = cell.source
            if source != SourceLocation(line=source.line) or not source.line:
                continue
            picked.append(cell)
            lines.append(source.line)
            texts.append((cell.value or "").strip())
        if not picked:
            return np.zeros(0, dtype="int64")
        wanted = np.asarray(lines)
        if wanted.dtype.kind != "i" or wanted.shape != (len(lines),):
            return np.asarray([i for cell in picked for i in self.cell_ids(cell)], dtype="int64")
        at = np.searchsorted(self.sorted_lines, wanted)
        inside = at < len(self.sorted_lines)
        at = np.where(inside, at, 0)
        valid = inside & (self.sorted_lines[at] == wanted) & (wanted > 0)
        pending = np.flatnonzero(valid)
        rows = self.line_order[at]
        out = []
        for j, column in enumerate(self.columns):
            if not len(pending):
                break
            at_rows = rows[pending]
            same_line = (self.lines[j][at_rows] == wanted[pending]).tolist()
            left = []
            for p, row, same in zip(pending.tolist(), at_rows.tolist(), same_line):
                if same and self.table.text(row, column).strip() == texts[p]:
                    out.append(self.offset + j * self.rows + row)
                else:
                    left.append(p)
            pending = np.asarray(left, dtype="int64")
        return np.asarray(out, dtype="int64")

    def run_ids(self, column: str, rows) -> tuple:
        """Class ids of the run's cells that have a line, and the rows of those without one."""
        j = self.position[column]
        first = self.first[j][rows].astype("int64")
        has = first >= 0
        return self.offset + first[has] * self.rows + rows[has], rows[~has]

    def members(self, class_id: int) -> list[CellKey]:
        j, row = divmod(class_id - self.offset, self.rows)
        return [(self.table.id, row, c) for i, c in enumerate(self.columns) if self.first[i][row] == j]

    def class_of(self, key: CellKey) -> int | None:
        j = self.position.get(key[2])
        if j is None or self.first[j][key[1]] < 0:
            return None
        return self.offset + int(self.first[j][key[1]]) * self.rows + key[1]


class _EqualTexts:
    """Row by row, whether two lists of printed texts are equal once stripped, compared by numpy
    as object arrays (no fixed-width string arrays of a million rows, no pandas on the report
    path): pair by pair for a few lists; for many, hashes first and the texts where hashes agree.
    A pair with a list several columns share (the blank columns') is kept for the next column."""

    def __init__(self, lists: dict[int, list], n: int, used: list[int]):
        self.lists, self.n = lists, n
        seen: set[int] = set()
        self.shared = {key for key in used if key in seen or seen.add(key)}
        # few lists: compare their texts pair by pair; many: hash each list once, compare hashes
        self.direct = len(lists) <= 8
        self._texts: dict[int, list] = {}
        self._hashes: dict[int, np.ndarray] = {}
        self._objects: dict[int, np.ndarray] = {}
        self._pairs: dict[tuple, np.ndarray] = {}

    def _stripped(self, key: int):
        if key not in self._texts:
            self._texts[key] = _stripped(self.lists[key], self.n)
        return self._texts[key]

    def _hash(self, key: int) -> np.ndarray:
        if key not in self._hashes:
            self._hashes[key] = np.fromiter(map(hash, self._stripped(key)), dtype="int64", count=self.n)
        return self._hashes[key]

    def _object(self, key: int) -> np.ndarray:
        if key not in self._objects:
            self._objects[key] = np.array(self._stripped(key), dtype=object)
        return self._objects[key]

    def __call__(self, a: int, b: int) -> np.ndarray:
        pair = (min(a, b), max(a, b))
        if pair in self._pairs:
            return self._pairs[pair]
        if self.direct:
            same = np.asarray(self._object(a) == self._object(b), dtype=bool)
        else:
            same = self._hash(a) == self._hash(b)
            at = np.flatnonzero(same)
            if at.size > self.n // 4:  # most rows agree: compare whole columns, no gathered copies
                same &= np.asarray(self._object(a) == self._object(b), dtype=bool)
            elif at.size:
                same[at[~np.asarray(self._object(a)[at] == self._object(b)[at], dtype=bool)]] = False
        if a in self.shared or b in self.shared:
            self._pairs[pair] = same
        return same


def _line_numbers(values, n: int) -> np.ndarray:
    """A column's cell lines as int64, 0 for none: np.array reads a list of plain ints at once."""
    if type(values) is list:
        try:
            found = np.array(values)
        except (TypeError, ValueError, OverflowError):
            found = None
        if found is not None and found.dtype.kind == "i" and found.shape == (n,):
            return found.astype("int64", copy=False)
    return np.fromiter(((ln if ln else 0) for ln in values), dtype="int64", count=n)


def _stripped(values, n: int):
    """Table.text() of every cell, stripped. Texts that are all str without whitespace (a text
    export's) are their own stripped texts: one join and one split tell, not a call per cell."""
    try:
        joined = "\x00".join(values)
    except TypeError:  # a blank (None) or a number among them
        joined = None
    if joined is not None and joined.count("\x00") == n - 1 and (
            not joined or len(joined.split(None, 1)[0]) == len(joined)):
        return values
    return [("" if v is None or v != v else str(v)).strip() for v in values]


def _unique(ids: np.ndarray) -> np.ndarray:
    """np.unique of int64 ids, by a sort (numpy's hashing unique is far slower on a million ids)."""
    ids = np.asarray(ids, dtype="int64")
    if len(ids) < 2 or bool((ids[1:] > ids[:-1]).all()):
        return ids  # every caller passes an array of its own
    ids = np.sort(ids)
    keep = np.empty(len(ids), dtype=bool)
    keep[0] = True
    np.not_equal(ids[1:], ids[:-1], out=keep[1:])
    return ids[keep]


class ReadBy:
    """Which rules read each cell, as the rules' reads per (table, column) in packed bit masks.
    Given a document and rules still to run, each is run on first need: get() runs them all,
    reads_any() only until one reads the cell."""

    def __init__(self, reads: list[tuple[Rule, dict]], document: Document | None = None,
                 pending: list[Rule] | None = None):
        self.reads = reads
        self.document, self.pending = document, list(pending or [])

    def _run_next(self) -> None:
        self.reads.append((self.pending[0], _reads(self.document, self.pending[0])))
        del self.pending[0]

    @staticmethod
    def _reads_cell(masks: dict, key: CellKey) -> bool:
        table_id, row, column = key
        bits = masks.get((table_id, column))
        return bits is not None and row >> 3 < len(bits) and bool((bits[row >> 3] >> (7 - (row & 7))) & 1)

    def get(self, key: CellKey, default=None) -> list[Rule]:
        while self.pending:
            self._run_next()
        out = [rule for rule, masks in self.reads if self._reads_cell(masks, key)]
        return out if out else (default if default is not None else [])

    def reads_any(self, key: CellKey) -> bool:
        """Whether some rule reads the cell (get(key) is not empty)."""
        if any(self._reads_cell(masks, key) for _, masks in self.reads):
            return True
        while self.pending:
            self._run_next()
            if self._reads_cell(self.reads[-1][1], key):
                return True
        return False


# kinds that never call selection.values/total (their modules say READS_AMOUNTS = False)
READS_NO_AMOUNT = frozenset(kind for kind, module in KINDS.items() if not getattr(module, "READS_AMOUNTS", True))


def readers(document: Document, rules: list[Rule]) -> ReadBy:
    """Which rules read each cell (the coverage hook of rules/selection.py), each rule run when
    first needed; kinds that read no amount are not run (tests/scale pins it): nothing to record."""
    return ReadBy([], document, [rule for rule in rules if rule.kind not in READS_NO_AMOUNT])


def _reads(document: Document, rule: Rule) -> dict:
    """The rows one rule reads, per (table id, column), as packed bit masks."""
    token = selection.READ_ROWS.set({})
    try:
        engine.run(document, [rule])
        rows = selection.READ_ROWS.get()
    finally:
        selection.READ_ROWS.reset(token)
    masks = {}
    for (table_id, column), parts in rows.items():
        mask = np.zeros(document.tables[table_id].rows, dtype=bool)
        for part in parts:
            mask[part] = True
        masks[table_id, column] = np.packbits(mask)
    return masks


def groups(findings: list[Finding], index: CellIndex) -> list[list[int]]:
    """Findings joined when they share a cell (union-find over the classes of cells they name)."""

    parent = list(range(len(findings)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[int, int] = {}  # class id -> the first finding naming it (slow, small ids)
    dense: dict[int, np.ndarray] = {}  # fast table offset -> owner per class
    for i, finding in enumerate(findings):
        ids = index.ids(finding.cells)
        others: set[int] = set()
        for offset, size, picked in _by_table(index, ids):
            if offset is None:
                for class_id in picked.tolist():
                    if class_id in owner:
                        others.add(owner[class_id])
                    else:
                        owner[class_id] = i
                continue
            if offset not in dense:
                dense[offset] = np.full(size, -1, dtype="int32" if len(findings) < 2**31 else "int64")
            own = dense[offset]
            at = own[picked - offset]
            others.update(_unique(at[at >= 0]).tolist())
            own[(picked - offset)[at < 0]] = i
        for j in others:
            parent[root(i)] = root(j)
    joined: dict[int, list[int]] = {}
    for i in range(len(findings)):
        joined.setdefault(root(i), []).append(i)
    return list(joined.values())


def _by_table(index: CellIndex, ids):
    """Split sorted class ids into (offset, size, ids) per fast table, and (None, 0, ids) for the rest."""
    rest = ids[ids < 0]
    if len(rest):
        yield None, 0, rest
    for classes in index._fast.values():
        if classes is None:
            continue
        lo, hi = np.searchsorted(ids, [classes.offset, classes.offset + classes.size])
        if hi > lo:
            yield classes.offset, classes.size, ids[lo:hi]


def _set(document: Document, key: CellKey, fen: int) -> None:
    table_id, row, column = key
    table = document.tables[table_id]
    table.data[column][row] = fen
    table.cache.clear()
    table.__dict__.pop("frame", None)
    document.cache.clear()


def _try(document: Document, key: CellKey, fen: int, rules: list[Rule], group: set[tuple],
         before: set[tuple], notes: frozenset = frozenset(), places: set | None = None) -> tuple[set, bool, int]:
    """(signatures of the group's findings resolved, whether a finding not there before appeared,
    how many of the `notes` (rounding-level findings) went away too). `places`: the _place of
    each of `before`, when the caller keeps them."""
    table_id, row, column = key
    printed = document.tables[table_id].data[column][row]
    _set(document, key, fen)
    try:
        found = engine.run(document, rules).findings
    finally:
        _set(document, key, printed)
    after = warnings_and_errors(found)
    rerun = {r.code for r in rules}
    gone = len({s for s in notes if s[0] in rerun} - {signature(f) for f in found}) if notes else 0
    # a check that reports the same place under another code (a mismatch that became a unit-label
    # problem) has not found anything new
    broke = bool({_place(s) for s in after} - ({_place(s) for s in before} if places is None else places))
    return {s for s in group if s[0] in rerun} - after, broke, gone


def _place(signature: tuple) -> tuple:
    """A finding's signature without the code it was reported under."""
    return (signature[0], *signature[2:])


class Known:
    """What a trial compares its findings with: the signatures of the document's warnings and
    errors (and their places) and of the chosen rounding notes. Made on the first trial: a
    document of 400,000 findings whose search re-runs nothing never lists them."""

    def __init__(self, findings: list[Finding], chosen: set[int] | None = None):
        self.findings, self.chosen = findings, chosen

    @cached_property
    def before(self) -> set[tuple]:
        return warnings_and_errors(self.findings)

    @cached_property
    def places(self) -> set[tuple]:
        return {_place(s) for s in self.before}

    @cached_property
    def notes(self) -> frozenset:
        chosen = self.chosen
        return frozenset(signature(f) for i, f in enumerate(self.findings)
                         if f.severity == "info" and (chosen is None or i in chosen))


def trials(document, findings, group, index, read_by, known: Known, budget: Budget | None = None
           ) -> dict[CellKey, tuple]:
    """Per candidate cell: the most findings of the group one correction resolves, that value, and
    its plausibility rank (notes it also clears, a blank cell, a sign change: see _rank)."""
    wanted = {signature(findings[i]) for i in group}
    cells, _ = candidates(findings, group, index)
    results: dict[CellKey, tuple] = {}
    if budget is not None and budget.left < 2 * budget.cost:
        return _last_trial(document, findings, cells, read_by, budget)
    best = 0
    # A correction can only resolve findings that read the cell: the cells most findings share go
    # first, and once one explains the whole group, cells in fewer findings cannot tie with it.
    for key in cells:
        if best == len(wanted) and len(cells[key]) < best:
            break
        rules = read_by.get(key, [])
        table_id, row, column = key
        printed = document.tables[table_id].data[column][row] or 0
        for i in cells[key] if rules else ():
            difference = findings[i].actual - findings[i].expected
            own = [r for r in rules if r.code == findings[i].extra.get("check", findings[i].rule)]
            for fen in sorted({printed - difference, printed + difference} - {printed}):
                if fen < 0 < printed:
                    continue  # a printed amount turned negative is no typo's correction (a misread table is likelier)
                if budget is not None and not budget.spend():
                    return results
                if own and not _try(document, key, fen, own, {signature(findings[i])}, known.before,
                                    places=known.places)[0]:
                    continue  # it does not even resolve the finding it came from: no full re-run
                if budget is not None and not budget.spend():
                    return results
                resolved, broke, gone = _try(document, key, fen, rules, wanted, known.before, known.notes,
                                             places=known.places)
                if broke or not resolved:
                    continue
                trial = (frozenset(resolved), fen, _rank(document, key, fen, gone))
                if key not in results or (len(resolved), trial[2]) > (len(results[key][0]), results[key][2]):
                    results[key] = trial
                    best = max(best, len(resolved))
    return results


def _last_trial(document, findings, cells, read_by: ReadBy, budget: Budget) -> dict:
    """trials() when at most one re-run is left. Every correction tried costs a re-run of its
    own check (or, with none, of every reader) and one more of every reader to count, so the first
    correction to try spends the budget and nothing is counted: only whether some rule reads a
    cell matters, and readers are run until one does (not every rule, a million rows each)."""
    for key in cells:
        if not read_by.reads_any(key):
            continue
        table_id, row, column = key
        printed = document.tables[table_id].data[column][row] or 0
        for i in cells[key]:
            difference = findings[i].actual - findings[i].expected
            for fen in sorted({printed - difference, printed + difference} - {printed}):
                if fen < 0 < printed:
                    continue
                budget.spend()  # what the first correction's re-run charges; the next is refused
                return {}
    return {}


def candidates(findings, group, index: CellIndex) -> tuple[dict[CellKey, list[int]], dict[int, np.ndarray]]:
    """The cells tried for a group, in the order tried: most findings naming them first, then the
    heavier (a cell of a short identity is a likelier suspect than one of a long one), then by key;
    at most MAX_CANDIDATES, each with the findings (in group order) naming it. And the class ids
    each finding names. Computed per class of cells, so a group over a million rows stays arrays."""
    ids = {i: index.ids(findings[i].cells) for i in group}
    named, count, weight = _counted(findings, group, ids)
    order = np.lexsort((-weight, -count))
    chosen, listed, threshold = [], 0, None
    for at in _lazily(order):  # classes before the MAX_CANDIDATES-th key, then its ties
        if threshold is None:
            chosen.append(at)
            listed += len(index.members(int(named[at])))
            if listed >= MAX_CANDIDATES:
                threshold = (count[at], weight[at])
        else:
            break
    keys: list[tuple] = []
    for at in chosen:
        if threshold is not None and (count[at], weight[at]) == threshold:
            continue  # the tie is taken below, by key
        keys.extend((-int(count[at]), -float(weight[at]), k) for k in index.members(int(named[at])))
    if threshold is not None:
        tied = named[(count == threshold[0]) & (weight == threshold[1])]
        keys.extend((-int(threshold[0]), -float(threshold[1]), k) for k in _first_keys(index, tied, MAX_CANDIDATES))
    keys.sort()
    cells = {}
    for _, _, key in keys[:MAX_CANDIDATES]:
        class_id = index.class_of(key)
        cells[key] = [i for i in group if _has(ids[i], class_id)]
    return cells, ids


def _counted(findings, group, ids: dict[int, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The class ids the group's findings name (sorted), how many name each, and the sum of
    1 / len(cells) over them, added in group order (each finding's ids hold no repeats)."""
    parts = [ids[i] for i in group]
    shares = [1 / len(findings[i].cells) for i in group]
    total = sum(len(p) for p in parts)
    if not total:
        return np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64"), np.zeros(0, dtype="float64")
    low = min(int(p[0]) for p in parts if len(p))
    span = max(int(p[-1]) for p in parts if len(p)) - low + 1
    if span <= 4 * total + 4096:  # one slot per id in range: no sort of millions of ids
        count = np.zeros(span, dtype="int32")
        weight = np.zeros(span, dtype="float64")
        for share, part in zip(shares, parts):
            at = part - low
            count[at] += 1
            weight[at] += share
        present = np.flatnonzero(count)
        return present + low, count[present].astype("int64"), weight[present]
    named = _unique(np.concatenate(parts))
    count = np.zeros(len(named), dtype="int64")
    weight = np.zeros(len(named), dtype="float64")
    for share, part in zip(shares, parts):  # in group order, as a running sum per cell would add them
        at = np.searchsorted(named, part)
        count[at] += 1
        weight[at] += share
    return named, count, weight


def _lazily(order: np.ndarray, step: int = 256):
    """The positions of an order as ints, a few at a time (the caller stops early)."""
    for start in range(0, len(order), step):
        yield from order[start:start + step].tolist()


def _has(ids: np.ndarray, class_id: int) -> bool:
    at = int(np.searchsorted(ids, class_id))
    return at < len(ids) and int(ids[at]) == class_id


def _first_keys(index: CellIndex, tied: np.ndarray, count: int) -> list[CellKey]:
    """The `count` smallest keys (table id, row, column) of some classes, without listing them all."""
    keys: list[CellKey] = [k for c in tied[tied < 0].tolist() for k in index.members(c)]
    for classes in index._fast.values():
        if classes is None:
            continue
        lo, hi = np.searchsorted(tied, [classes.offset, classes.offset + classes.size])
        if hi <= lo:
            continue
        picked = tied[lo:hi]
        rows = (picked - classes.offset) % classes.rows
        order = np.argsort(rows, kind="stable")
        if len(order) > count:  # every class holds a key; keep whole rows up to the count-th class
            cut = rows[order[count - 1]]
            order = order[rows[order] <= cut]
        keys.extend(k for c in picked[order].tolist() for k in index.members(c))
    return sorted(keys)[:count] if len(keys) > count else keys


def reference(findings, group, index: CellIndex, ids: dict[int, np.ndarray], key: CellKey) -> CellRef:
    """The cell reference a cause shows for a key: the last one, in the group's findings and their
    cells in order, that names it."""
    class_id = index.class_of(key)
    for i in reversed(group):
        if not _has(ids[i], class_id):
            continue
        cells = findings[i].cells
        for part in reversed(cells.parts if isinstance(cells, Cells) else [list(cells)]):
            if isinstance(part, list):
                for cell in reversed(part):
                    if _has(index.ids([cell]), class_id):
                        return cell
                continue
            table, column, rows = part
            classes = index._table(table.id)
            if classes is not None and column in classes.position:
                first = classes.first[classes.position[column]][rows].astype("int64")
                own = np.nonzero((first >= 0) & (classes.offset + first * classes.rows + rows == class_id))[0]
                loose = np.nonzero(first < 0)[0]
                for at in reversed(loose.tolist()):
                    if own.size and at < own[-1]:
                        break
                    if _has(index.ids([selection.cell(table, int(rows[at]), column)]), class_id):
                        return selection.cell(table, int(rows[at]), column)
                if own.size:
                    return selection.cell(table, int(rows[own[-1]]), column)
                continue
            for row in reversed(rows.tolist()):
                cell = selection.cell(table, row, column)
                if _has(index.ids([cell]), class_id):
                    return cell
    raise KeyError(key)


def tables_of(cells) -> set[str]:
    """The tables some cells are in."""
    if isinstance(cells, Cells):
        return {c.table for p in cells.parts if isinstance(p, list) for c in p} | \
            {p[0].id for p in cells.parts if not isinstance(p, list)}
    return {c.table for c in cells}


def _rank(document: Document, key: CellKey, fen: int, gone: int) -> tuple[int, int, int, int]:
    """Among cells that resolve as much, the likelier typo (higher is likelier): one whose correction
    also clears rounding notes it took part in, a printed figure rather than a blank cell, a
    correction that keeps the figure's sign, and one that makes the figure rounder (budget lines
    are often whole 元 or 万元; a stray last digit is likelier than one lost)."""
    table_id, row, column = key
    table = document.tables[table_id]
    printed = table.data[column][row] or 0
    return (gone, int(bool(table.text(row, column).strip())), int((fen < 0) == (printed < 0)),
            _zeros(fen) - _zeros(printed))


def _zeros(fen: int) -> int:
    """Trailing zeros of an amount in 分 (0 has none: it is no rounder than any figure)."""
    n, zeros = abs(fen), 0
    while n and n % 10 == 0 and zeros < 12:
        n, zeros = n // 10, zeros + 1
    return zeros
