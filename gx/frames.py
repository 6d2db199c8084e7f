"""Identity frames: every comparison an arithmetic rule makes, one row each, for GX to validate.

A rule's comparisons are listed exactly as the native kind makes them, in the same order and from
the same cells (the kinds' own helpers pick the rows): `expected` is the side the kind adds up
(parts, detail rows, children, the left table), `actual` the printed figure it is compared with,
each with the sum of the ulps of the cells it was built from, all integer 分. GX then decides which
rows differ; no verdict is computed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from budget_audit.rules import selection as sel

COLUMNS = ("actual", "expected", "actual_ulp", "expected_ulp")
# Kinds GX does not express, with the reason (listed in every suite's meta, run natively).
NOT_EXPRESSED = {
    "structure": "layout and labels (required tables, header alignment, template residue): text, not amounts",
    "narrative-claim": "reads figures out of the free-text 说明 and matches them to tables: no tabular form",
    "empty-table-note": "an empty table's note must name its own fund: a text check on notes",
    "wording": "wording of the narrative (residue, quotes, clipped lines): a text check",
}


@dataclass
class Comparisons:
    """One rule's comparisons: a label per row and the four integer columns."""

    rule: object
    home: str  # the standard table whose suite holds the rule
    relation: str = "eq"
    keys: list[str] = field(default_factory=list)
    rows: list[tuple[int, int, int, int]] = field(default_factory=list)  # COLUMNS order

    def add(self, key: str, expected: tuple[int, int], actual: tuple[int, int]) -> None:
        self.rows.append((int(actual[0]), int(expected[0]), int(actual[1]), int(expected[1])))
        self.keys.append(key)


def _row_identity(document, rule):
    import numpy as np

    table = document.table(rule.params["table"])
    out = Comparisons(rule, table.id, rule.params.get("relation", "eq"))
    rows = sel.mask(table, rule.params.get("where"))
    t_val, t_ulp = sel.values(table, rule.params["total"], rows)
    p_val, p_ulp = np.zeros(len(t_val), dtype="int64"), np.zeros(len(t_val), dtype="int64")
    for part in rule.params["parts"]:
        v, u = sel.values(table, part, rows)
        p_val, p_ulp = p_val + v, p_ulp + u
    for i, row in enumerate(rows.nonzero()[0]):
        out.add(f"row {int(row)}", (p_val[i], p_ulp[i]), (t_val[i], t_ulp[i]))
    return out


def _item_identity(document, rule):
    table = document.table(rule.params["table"])
    column = rule.params.get("column", "amount")
    total_rows = sel.rows(table, rule.params["total"])
    part_rows: list = []
    for spec in rule.params.get("parts") or []:
        part_rows += [r for r in sel.rows(table, spec) if r not in part_rows]
    if "parts_where" in rule.params:
        part_rows += [r for r in sel.rows(table, rule.params["parts_where"]) if r not in part_rows and r not in total_rows]
    out = Comparisons(rule, table.id)
    out.add(f"row {total_rows[0]}", sel.total(table, column, part_rows), sel.total(table, column, total_rows[:1]))
    return out


def _column_sum(document, rule):
    from budget_audit.rules.kinds.column_sum import detail_mask

    table = document.table(rule.params["table"])
    total_row = max(i for i, flag in enumerate(table.data["is_total"]) if flag)
    details = detail_mask(table, rule.params.get("rows", "all")).nonzero()[0]
    out = Comparisons(rule, table.id)
    for column in rule.params.get("columns") or list(table.amount_columns):
        if column in table.cell_ulps:
            out.add(column, sel.total(table, column, details), sel.total(table, column, [total_row]))
    return out


def _hierarchy_sum(document, rule):
    from budget_audit.rules.kinds import hierarchy_sum

    table = document.table(rule.params["table"])
    out = Comparisons(rule, table.id)
    if rule.params["scheme"] == "outline":
        tree = hierarchy_sum.outline_children(table, list(rule.params["levels"]))
    else:
        tree = hierarchy_sum.children_map(table, rule.params["scheme"])
    for parent, children in tree.items():
        for column in rule.params.get("columns") or list(table.amount_columns):
            if column in table.cell_ulps:
                out.add(f"row {parent} {column}", sel.total(table, column, children),
                        sel.total(table, column, [parent]))
    return out


def _cross_table(document, rule):
    from budget_audit.rules.kinds.cross_table import _collect, _specs

    join = rule.params.get("join") or []
    _, left = _collect(document, _specs(rule.params["left"]), join)
    rtables, right = _collect(document, _specs(rule.params["right"]), join)
    # `relation` reads left to right: left (expected) <= right (actual) is actual >= expected
    relation = {"le": "ge", "ge": "le"}.get(rule.params.get("relation", "eq"), "eq")
    out = Comparisons(rule, rtables[0].id, relation)
    for key in list(left) + [k for k in right if k not in left]:
        lval, lulp = left.get(key, (0, 0))[:2]
        rval, rulp = right.get(key, (0, 0))[:2]
        out.add(" ".join(key) or "—", (lval, lulp), (rval, rulp))
    return out


def _group_sum(document, rule):
    from budget_audit.rules.kinds.group_sum import _grouped

    dspec, sspec = rule.params["detail"], rule.params["summary"]
    detail, summary = document.table(dspec["table"]), document.table(sspec["table"])
    dgroups, sgroups = _grouped(detail, dspec), _grouped(summary, sspec)
    keys = list(sgroups) if rule.params.get("only_summary_keys") else \
        list(sgroups) + [k for k in dgroups if k not in sgroups]
    out = Comparisons(rule, summary.id)
    for key in keys:
        out.add(" ".join(key), sel.total(detail, dspec["column"], dgroups.get(key, [])),
                sel.total(summary, sspec["column"], sgroups.get(key, [])))
    return out


BUILDERS = {"row-identity": _row_identity, "item-identity": _item_identity, "column-sum": _column_sum,
            "hierarchy-sum": _hierarchy_sum, "cross-table": _cross_table, "group-sum": _group_sum}


def comparisons(document, rule) -> Comparisons:
    """The comparisons of an expressible rule; call only once the native kind has found the rule
    applicable (it raises NotApplicable for what the document lacks)."""
    return BUILDERS[rule.kind](document, rule)


def frame(parts: list[Comparisons], documents: list[str] | None = None):
    """One DataFrame of many rules' comparisons (`row_id`, `rule`, `key`, `document`, `relation`,
    the four integer columns); `documents` names the document of each part when a batch holds several."""
    import pandas as pd

    records = [(c.rule.code, key, documents[i] if documents else "", c.relation, *row)
               for i, c in enumerate(parts) for key, row in zip(c.keys, c.rows)]
    df = pd.DataFrame.from_records(records, columns=["rule", "key", "document", "relation", *COLUMNS])
    df.insert(0, "row_id", range(len(df)))
    return df.astype({c: "int64" for c in COLUMNS})
