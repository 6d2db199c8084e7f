"""Likely cause: the one printed cell whose correction makes a group of findings hold.

One wrong cell usually breaks several identities at once (its row, its column, the table that
restates it, the narrative that quotes it). Findings that share cells form a group; for each cell
of a group we try the corrections the failed identities imply (the cell moved by each finding's
difference, either way), re-run every rule that reads the cell, and keep the cell whose correction
makes every finding of the group go away without making a new one. The engine is the oracle, so a
cause is never a guess the rules would not confirm. A group that no single cell explains is said so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from budget_audit.loaders.model import Document, SourceLocation
from budget_audit.rules import engine, selection
from budget_audit.rules.findings import SEVERITY_RANK, CellRef, Finding, fen_to_str
from budget_audit.rules.ruleset import Rule

CellKey = tuple[str, int, str]  # (table id, row position, column id)
MAX_CANDIDATES = 60  # cells tried per group: a bound on the re-runs for large groups


@dataclass
class Cause:
    """The cell most likely wrong, and the findings its correction resolves (indexes)."""

    explains: list[int]
    cell: CellRef | None = None
    key: CellKey | None = None
    printed: int | None = None
    corrected: int | None = None
    unit: str | None = None
    alternatives: list[CellRef] = field(default_factory=list)  # other cells that explain as much
    table: str | None = None  # no single cell: the one table every finding of the group involves

    @property
    def found(self) -> bool:
        """False for a group that no single cell explains."""
        return self.cell is not None

    def to_dict(self, findings: list[Finding] | None = None, lang: str = "zh") -> dict:
        """The JSON report's `cause` object: `explains` holds indexes into the document's findings."""
        unit = self.unit or "元"
        return {"found": self.found, "cell": self.cell.to_dict() if self.cell else None,
                "printed": fen_to_str(self.printed, unit), "corrected": fen_to_str(self.corrected, unit),
                "unit": self.unit, "explains": list(self.explains), "table": self.table or (self.cell.table if self.cell else None),
                "alternatives": [a.to_dict() for a in self.alternatives]}


def _is_numeric(finding: Finding) -> bool:
    if finding.family == "STR":  # a wrong unit label or a layout problem is not a wrong figure
        return False
    return (finding.expected is not None and finding.actual is not None and finding.actual != finding.expected
            and SEVERITY_RANK[finding.severity] >= SEVERITY_RANK["warning"])


def _signature(finding: Finding) -> tuple:
    head = finding.cells[0] if finding.cells else None
    return (finding.extra.get("check", finding.rule), finding.rule, head.table if head else None, head.row if head else None, head.column if head else None)


class _Index:
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
        return self.by_place.get((cell.table, cell.source, (cell.value or "").strip()), [])


def _reads(document: Document, rules: list[Rule]) -> dict[CellKey, list[Rule]]:
    """Which rules read each cell (the coverage hook of rules/selection.py)."""
    readers: dict[CellKey, list[Rule]] = {}
    for rule in rules:
        token = selection.READS.set(set())
        try:
            engine.run(document, [rule])
            cells = selection.READS.get()
        finally:
            selection.READS.reset(token)
        for key in cells:
            readers.setdefault(key, []).append(rule)
    return readers


def _groups(findings: list[Finding], index: _Index) -> list[list[int]]:
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
    groups: dict[int, list[int]] = {}
    for i in range(len(findings)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


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
    after = {_signature(f) for f in found if SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warning"]}
    rerun = {r.code for r in rules}
    gone = len({s for s in notes if s[0] in rerun} - {_signature(f) for f in found}) if notes else 0
    # a check that reports the same place under another code (a mismatch that became a unit-label
    # problem) has not found anything new
    broke = bool({_place(s) for s in after} - {_place(s) for s in before})
    return {s for s in group if s[0] in rerun} - after, broke, gone


def _place(signature: tuple) -> tuple:
    """A finding's signature without the code it was reported under."""
    return (signature[0], *signature[2:])


def find(document: Document, rules: Iterable[Rule], findings: list[Finding],
         among: Iterable[int] | None = None) -> list[Cause]:
    """Causes of the numeric findings (or of those listed in `among`): within each group of
    findings that share cells, the cell explaining the most findings first, then the next for what
    is left; a group of several findings no single cell explains is one Cause without a cell
    (naming the table every such finding involves)."""
    chosen = set(range(len(findings)) if among is None else among)
    numeric = [i for i, f in enumerate(findings) if _is_numeric(f) and i in chosen]
    if not numeric:
        return []
    rules = list(rules)
    index = _Index(document)
    readers = _reads(document, rules)
    before = {_signature(f) for f in findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warning"]}
    notes = frozenset(_signature(f) for i, f in enumerate(findings) if f.severity == "info" and i in chosen)
    causes: list[Cause] = []
    for members in _groups([findings[i] for i in numeric], index):
        group = [numeric[m] for m in members]
        causes.extend(_explain(document, findings, group, index, readers, before, notes))
    causes.sort(key=lambda c: (not c.found, -len(c.explains), c.explains[:1]))
    return causes


def _trials(document, findings, group, index, readers, before, notes) -> dict[CellKey, tuple]:
    """Per candidate cell: the most findings of the group one correction resolves, that value, and
    its plausibility rank (notes it also clears, a blank cell, a sign change: see _rank)."""
    wanted = {_signature(findings[i]) for i in group}
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
        rules = readers.get(key, [])
        table_id, row, column = key
        printed = document.tables[table_id].data[column][row] or 0
        for i in cells[key] if rules else ():
            difference = findings[i].actual - findings[i].expected
            own = [r for r in rules if r.code == findings[i].extra.get("check", findings[i].rule)]
            for fen in sorted({printed - difference, printed + difference} - {printed}):
                if fen < 0 < printed:
                    continue  # a printed amount turned negative is no typo's correction (a misread table is likelier)
                if own and not _try(document, key, fen, own, {_signature(findings[i])}, before)[0]:
                    continue  # it does not even resolve the finding it came from: no full re-run
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


def _explain(document, findings, group, index, readers, before, notes) -> list[Cause]:
    trials = _trials(document, findings, group, index, readers, before, notes)
    remaining = {_signature(findings[i]): i for i in group}
    refs = {key: cell for i in group for cell in findings[i].cells for key in index.keys(cell)}
    causes = []
    while remaining and trials:
        scored = sorted(((len(set(res) & set(remaining)), rank, key) for key, (res, _, rank) in trials.items()),
                        key=lambda t: (-t[0], tuple(-r for r in t[1]), t[2]))
        score, rank, key = scored[0]
        if score == 0:
            break
        resolved = set(trials[key][0]) & set(remaining)
        ties = [k for s, r, k in scored[1:] if (s, r) == (score, rank) and set(trials[k][0]) & set(remaining) == resolved]
        table_id, row, column = key
        causes.append(Cause(explains=sorted(remaining[s] for s in resolved), cell=refs[key], key=key,
                            printed=document.tables[table_id].data[column][row], corrected=trials[key][1],
                            unit=document.tables[table_id].unit, alternatives=[refs[k] for k in ties]))
        for s in resolved:
            remaining.pop(s)
        for k in [key, *ties]:
            trials.pop(k)
    if len(remaining) > 1 or (remaining and causes):  # a lone finding no cell explains needs no cause of its own
        left = sorted(remaining.values())
        common = set.intersection(*({c.table for c in findings[i].cells} for i in left))
        causes.append(Cause(explains=left, table=sorted(common)[0] if len(common) == 1 else None))
    return causes
