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
         before: set[tuple]) -> tuple[set, bool]:
    """(signatures of the group's findings resolved, whether a finding not there before appeared)."""
    table_id, row, column = key
    printed = document.tables[table_id].data[column][row]
    _set(document, key, fen)
    try:
        after = {_signature(f) for f in engine.run(document, rules).findings
                 if SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warning"]}
    finally:
        _set(document, key, printed)
    rerun = {r.code for r in rules}
    return {s for s in group if s[0] in rerun} - after, bool(after - before)


def find(document: Document, rules: Iterable[Rule], findings: list[Finding]) -> list[Cause]:
    """Causes of the numeric findings: within each group of findings that share cells, the cell
    explaining the most findings first, then the next for what is left; what no single cell
    explains is one Cause without a cell (naming the table every such finding involves)."""
    numeric = [i for i, f in enumerate(findings) if _is_numeric(f)]
    if not numeric:
        return []
    rules = list(rules)
    index = _Index(document)
    readers = _reads(document, rules)
    before = {_signature(f) for f in findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warning"]}
    causes: list[Cause] = []
    for members in _groups([findings[i] for i in numeric], index):
        group = [numeric[m] for m in members]
        causes.extend(_explain(document, findings, group, index, readers, before))
    causes.sort(key=lambda c: (not c.found, -len(c.explains), c.explains[:1]))
    return causes


def _trials(document, findings, group, index, readers, before) -> dict[CellKey, tuple[frozenset, int]]:
    """Per candidate cell, the most findings of the group one correction resolves, and that value."""
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
    results: dict[CellKey, tuple[frozenset, int]] = {}
    for key in sorted(cells, key=lambda k: (-weight[k], k))[:MAX_CANDIDATES]:
        rules = readers.get(key, [])
        table_id, row, column = key
        printed = document.tables[table_id].data[column][row] or 0
        for i in cells[key] if rules else ():
            difference = findings[i].actual - findings[i].expected
            own = [r for r in rules if r.code == findings[i].extra.get("check", findings[i].rule)]
            for fen in {printed - difference, printed + difference} - {printed}:
                if own and not _try(document, key, fen, own, {_signature(findings[i])}, before)[0]:
                    continue  # it does not even resolve the finding it came from: no full re-run
                resolved, broke = _try(document, key, fen, rules, wanted, before)
                if not broke and len(resolved) > len(results.get(key, (frozenset(), 0))[0]):
                    results[key] = (frozenset(resolved), fen)
    return results


def _explain(document, findings, group, index, readers, before) -> list[Cause]:
    trials = _trials(document, findings, group, index, readers, before)
    remaining = {_signature(findings[i]): i for i in group}
    refs = {key: cell for i in group for cell in findings[i].cells for key in index.keys(cell)}
    causes = []
    while remaining and trials:
        scored = sorted(((len(set(res) & set(remaining)), key) for key, (res, _) in trials.items()),
                        key=lambda t: (-t[0], t[1]))
        score, key = scored[0]
        if score == 0:
            break
        resolved = set(trials[key][0]) & set(remaining)
        ties = [k for s, k in scored[1:] if s == score and set(trials[k][0]) & set(remaining) == resolved]
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
