"""The search behind rules/root_cause.py: which cells a finding names, which rules read a cell,
and what each candidate correction resolves when every rule reading the cell is run again."""

from __future__ import annotations

from budget_audit.loaders.model import Document, SourceLocation
from budget_audit.rules import engine, selection
from budget_audit.rules.findings import SEVERITY_RANK, CellRef, Finding
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
    return {signature(f) for f in findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warning"]}


class CellIndex:
    """Finding cells -> (table, row, column) of the Document, by place and printed text."""

    def __init__(self, document: Document):
        self.by_place: dict[tuple, list[CellKey]] = {}
        for table in document.tables.values():
            for column in table.amount_columns:
                for row, line in enumerate(table.cell_lines.get(column, ())):
                    if not line:
                        continue
                    text = table.text(row, column).strip()
                    for place in {SourceLocation(line=line), document.where(SourceLocation(line=line))}:
                        self.by_place.setdefault((table.id, place, text), []).append((table.id, row, column))

    def keys(self, cell: CellRef) -> list[CellKey]:
        """The Document cells a finding's cell reference names (several when a place is shared)."""
        return self.by_place.get((cell.table, cell.source, (cell.value or "").strip()), [])


def readers(document: Document, rules: list[Rule]) -> dict[CellKey, list[Rule]]:
    """Which rules read each cell (the coverage hook of rules/selection.py)."""
    out: dict[CellKey, list[Rule]] = {}
    for rule in rules:
        token = selection.READS.set(set())
        try:
            engine.run(document, [rule])
            cells = selection.READS.get()
        finally:
            selection.READS.reset(token)
        for key in cells:
            out.setdefault(key, []).append(rule)
    return out


def groups(findings: list[Finding], index: CellIndex) -> list[list[int]]:
    """Findings joined when they share a cell (union-find over cell keys)."""
    parent = list(range(len(findings)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[CellKey, int] = {}
    for i, finding in enumerate(findings):
        for cell in finding.cells:
            for key in index.keys(cell):
                if key in owner:
                    parent[root(i)] = root(owner[key])
                else:
                    owner[key] = i
    joined: dict[int, list[int]] = {}
    for i in range(len(findings)):
        joined.setdefault(root(i), []).append(i)
    return list(joined.values())


def _set(document: Document, key: CellKey, fen: int) -> None:
    table_id, row, column = key
    table = document.tables[table_id]
    table.data[column][row] = fen
    table.cache.clear()
    table.__dict__.pop("frame", None)
    document.cache.clear()


def _try(document: Document, key: CellKey, fen: int, rules: list[Rule], group: set[tuple],
         before: set[tuple], notes: frozenset = frozenset()) -> tuple[set, bool, int]:
    """(signatures of the group's findings resolved, whether a finding not there before appeared,
    how many of the `notes` (rounding-level findings) went away too)."""
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
    broke = bool({_place(s) for s in after} - {_place(s) for s in before})
    return {s for s in group if s[0] in rerun} - after, broke, gone


def _place(signature: tuple) -> tuple:
    """A finding's signature without the code it was reported under."""
    return (signature[0], *signature[2:])


def trials(document, findings, group, index, read_by, before, notes, budget: Budget | None = None
           ) -> dict[CellKey, tuple]:
    """Per candidate cell: the most findings of the group one correction resolves, that value, and
    its plausibility rank (notes it also clears, a blank cell, a sign change: see _rank)."""
    wanted = {signature(findings[i]) for i in group}
    cells: dict[CellKey, list[int]] = {}
    weight: dict[CellKey, float] = {}  # a cell of a short identity is a likelier suspect than one of a long one
    for i in group:
        for cell in findings[i].cells:
            for key in index.keys(cell):
                cells.setdefault(key, [])
                if i not in cells[key]:
                    cells[key].append(i)
                    weight[key] = weight.get(key, 0) + 1 / len(findings[i].cells)
    results: dict[CellKey, tuple] = {}
    best = 0
    # A correction can only resolve findings that read the cell: the cells most findings share go
    # first, and once one explains the whole group, cells in fewer findings cannot tie with it.
    for key in sorted(cells, key=lambda k: (-len(cells[k]), -weight[k], k))[:MAX_CANDIDATES]:
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
                if own and not _try(document, key, fen, own, {signature(findings[i])}, before)[0]:
                    continue  # it does not even resolve the finding it came from: no full re-run
                if budget is not None and not budget.spend():
                    return results
                resolved, broke, gone = _try(document, key, fen, rules, wanted, before, notes)
                if broke or not resolved:
                    continue
                trial = (frozenset(resolved), fen, _rank(document, key, fen, gone))
                if key not in results or (len(resolved), trial[2]) > (len(results[key][0]), results[key][2]):
                    results[key] = trial
                    best = max(best, len(resolved))
    return results


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
