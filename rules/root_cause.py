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

from budget_audit.loaders.model import Document, gc_paused
from budget_audit.rules.findings import SEVERITY_RANK, CellRef, Finding, fen_to_str
from budget_audit.rules.root_cause_search import (MAX_CANDIDATES, Budget, CellIndex, CellKey, Known, candidates,
                                                  groups, readers, reference, signature, tables_of, trials)
from budget_audit.rules.ruleset import Rule

_Index, _signature = CellIndex, signature  # the names tests and older callers use
__all__ = ["MAX_CANDIDATES", "Cause", "CellIndex", "CellKey", "find", "signature"]


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


def find(document: Document, rules: Iterable[Rule], findings: list[Finding],
         among: Iterable[int] | None = None) -> list[Cause]:
    """See _find; no cyclic garbage collection meanwhile (a large document's cells are all alive)."""
    with gc_paused():
        return _find(document, rules, findings, among)


def _find(document: Document, rules: Iterable[Rule], findings: list[Finding],
          among: Iterable[int] | None = None) -> list[Cause]:
    """Causes of the numeric findings (or of those listed in `among`): within each group of
    findings that share cells, the cell explaining the most findings first, then the next for what
    is left; a group of several findings no single cell explains is one Cause without a cell
    (naming the table every such finding involves)."""
    chosen = None if among is None else set(among)  # None: every finding (no set of 400,000 ints)
    rank, floor = SEVERITY_RANK, SEVERITY_RANK["warning"]
    numeric = [i for i, f in enumerate(findings)  # _is_numeric, inlined: 400,000 findings are no rarity
               if f.family != "STR" and f.expected is not None and f.actual is not None and f.actual != f.expected
               and rank[f.severity] >= floor]
    if chosen is not None:
        numeric = [i for i in numeric if i in chosen]
    if not numeric:
        return []
    budget = Budget(document)
    if budget.left < budget.cost:
        return []  # not one re-run allowed: no group would get a cause
    rules = list(rules)
    index = CellIndex(document)
    read_by = readers(document, rules)
    known = Known(findings, chosen)  # the signatures trials compare with, listed on the first trial
    causes: list[Cause] = []
    for members in groups([findings[i] for i in numeric], index):
        if budget.left < budget.cost:
            break  # the work allowed for this document is spent: the other groups get no cause
        group = [numeric[m] for m in members]
        causes.extend(_explain(document, findings, group, index, read_by, known, budget))
    causes.sort(key=lambda c: (not c.found, -len(c.explains), c.explains[:1]))
    return causes


def _explain(document, findings, group, index, read_by, known, budget=None) -> list[Cause]:
    """The causes of one group: the cell explaining most first, then the next for what is left."""
    tried = trials(document, findings, group, index, read_by, known, budget)
    if budget is not None and budget.left < budget.cost:
        return []  # the search was cut short: say nothing rather than "no single cell explains"
    remaining = {signature(findings[i]): i for i in group}
    ids = {i: index.ids(findings[i].cells) for i in group}
    causes = []
    while remaining and tried:
        scored = sorted(((len(set(res) & set(remaining)), rank, key) for key, (res, _, rank) in tried.items()),
                        key=lambda t: (-t[0], tuple(-r for r in t[1]), t[2]))
        score, rank, key = scored[0]
        if score == 0:
            break
        resolved = set(tried[key][0]) & set(remaining)
        ties = [k for s, r, k in scored[1:] if (s, r) == (score, rank) and set(tried[k][0]) & set(remaining) == resolved]
        table_id, row, column = key
        causes.append(Cause(explains=sorted(remaining[s] for s in resolved), cell=reference(findings, group, index, ids, key), key=key,
                            printed=document.tables[table_id].data[column][row], corrected=tried[key][1],
                            unit=document.tables[table_id].unit, alternatives=[reference(findings, group, index, ids, k) for k in ties]))
        for s in resolved:
            remaining.pop(s)
        for k in [key, *ties]:
            tried.pop(k)
    if len(remaining) > 1 or (remaining and causes):  # a lone finding no cell explains needs no cause of its own
        left = sorted(remaining.values())
        common = set.intersection(*(tables_of(findings[i].cells) for i in left))
        causes.append(Cause(explains=left, table=sorted(common)[0] if len(common) == 1 else None))
    return causes
