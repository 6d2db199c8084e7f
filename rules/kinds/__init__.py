"""Rule kinds: one module each, a registry you can read in ten seconds.

Each kind module has a docstring with What it checks / Why it matters / Passes / Fails (which
`budget-audit explain` prints), `PARAMS` (every key it reads and its type, checked by
kinds/params.py before any document is read), `validate(params) -> (key, problem) | None`, and
`check(document, rule) -> Iterator[Finding]` that raises NotApplicable when the document lacks
what the rule reads. A kind that never reads an amount (selection.values/total) says so with
`READS_AMOUNTS = False`: the likely-cause search then does not re-run its rules to record reads.
"""

from __future__ import annotations


class NotApplicable(Exception):
    """The document lacks a table or row the rule reads: the rule is skipped, not failed."""


from budget_audit.rules.kinds import (column_sum, cross_table, group_sum, hierarchy_sum,  # noqa: E402
                                      item_identity, row_identity, structure)
from budget_audit.rules.kinds import narrative_claim  # noqa: E402
from budget_audit.rules.kinds import empty_table_note  # noqa: E402
from budget_audit.rules.kinds import wording  # noqa: E402

KINDS = {
    "row-identity": row_identity,
    "item-identity": item_identity,
    "column-sum": column_sum,
    "hierarchy-sum": hierarchy_sum,
    "cross-table": cross_table,
    "group-sum": group_sum,
    "structure": structure,
    "narrative-claim": narrative_claim,
    "empty-table-note": empty_table_note,
    "wording": wording,
}


def get(kind: str):
    """The module of a rule kind; KeyError names the unknown kind."""
    try:
        return KINDS[kind]
    except KeyError:
        raise KeyError(f"unknown rule kind {kind!r}; known: {', '.join(KINDS)}") from None
