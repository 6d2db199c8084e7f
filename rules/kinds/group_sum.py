"""group-sum — a detail table grouped by a key equals the summary table's rows.

What it checks: Σ of the detail rows sharing a key (表九 by 功能分类代码, 预算03表 by 科目) equals
the summary row with that key (表五, 预算05表), for every key on either side. With
`only_summary_keys`, keys the summary does not list are ignored (表九 projects vs 表十三 forms).
Why it matters: the detail tables are where auditors trace money; if they do not add up to the
summary tables, one of the two was not updated.
Passes: 表九 rows of 2080501 (11,020.00 + 960.00 + 1,420.00) = 表五 2080501 13,400.00.
Fails: 预算03表 rows of 2010301 add up to 1,743.356772 while 预算05表 prints 18,703.728551.
Example:
    kind: group-sum
    params:
      detail: {table: budget_detail, key: [code], column: total}
      summary: {table: general_budget_expenditure, where: {level: 项}, key: [code], column: total}
"""

from __future__ import annotations

from budget_audit.rules import selection as sel
from budget_audit.rules.compare import PASS, compare
from budget_audit.rules.findings import Cells
from budget_audit.rules.kinds import NotApplicable
from budget_audit.rules.kinds.params import FLAG, SPEC
from budget_audit.rules.kinds.base import finding, names, need, validate_keys, validate_table

PARAMS = {"detail": SPEC, "summary": SPEC, "only_summary_keys": FLAG}

DEFAULT = {
    "zh": "{detail_table} 中「{key}」各行{detail_column}之和为 {expected} {unit}，而 {summary_table} 对应行为 {actual} {unit}，相差 {difference} {unit}",
    "en": "{detail_table}: rows of [{key}] add up to {expected} {unit} ({detail_column}), but {summary_table} prints {actual} {unit}; difference {difference} {unit}",
}


def validate(params):
    """Required: detail and summary, each {table, key: [columns], column, where?}."""
    problem = validate_keys(params, ("detail", "summary"))
    for side in ("detail", "summary"):
        if problem:
            return problem
        spec = params[side]
        if not isinstance(spec, dict) or "key" not in spec or "column" not in spec:
            return f"{side}", "needs table, key and column"
        problem = validate_table(params, side)
    return problem


def _grouped(table, spec):
    # several rules group the same rows by the same key
    key = repr((sorted((spec.get("where") or {}).items()), spec["key"]))
    return sel.memo(table, "groups", key, [*(spec.get("where") or {}), *spec["key"]], lambda: _group(table, spec))


def _group(table, spec):
    picked = sel.mask(table, spec.get("where"))
    if "is_total" in table.data:
        picked &= ~sel.truthy(table, "is_total")
    found = sel.grouped(table, picked, spec["key"], strip=True)  # {key: int64 array of rows}
    if found is not None:
        return {key: rows for key, rows in found.items() if any(key)}
    return _group_rows(table, spec)


def _group_rows(table, spec):
    """_group row by row: for key columns that cannot be factorised (and to pin the fast path)."""
    rows = sel.rows(table, spec.get("where"))
    if "is_total" in table.data:
        totals = sel.keys(table, "is_total")
        rows = [r for r in rows if not totals[r]]
    columns = [sel.keys(table, k) for k in spec["key"]]
    groups: dict = {}
    for row in rows:
        key = tuple(str(column[row]).strip() for column in columns)
        if any(key):
            groups.setdefault(key, []).append(row)
    return groups


def _listed(rows) -> list[int]:
    return rows.tolist() if hasattr(rows, "tolist") else rows


def _as_rows(rows):
    import numpy as np

    return np.asarray(rows, dtype="int64")


def check(document, rule):
    """Yield a finding for every key whose detail sum differs from the summary row."""
    dspec, sspec = rule.params["detail"], rule.params["summary"]
    detail, summary = need(document, dspec["table"], sspec["table"])
    for table, spec in ((detail, dspec), (summary, sspec)):
        if spec["column"] not in table.cell_ulps:
            raise NotApplicable(f"{table.id} has no amount column {spec['column']}")
        for column in spec["key"]:
            if column not in table.cell_lines:
                raise NotApplicable(f"{table.id} has no column {column}")
    dgroups, sgroups = _grouped(detail, dspec), _grouped(summary, sspec)
    if not dgroups or not sgroups:
        raise NotApplicable("nothing to group on one side")
    keys = list(sgroups) if rule.params.get("only_summary_keys") else \
        list(sgroups) + [k for k in dgroups if k not in sgroups]
    for key in keys:
        drows, srows = dgroups.get(key, []), sgroups.get(key, [])
        dval, dulp = sel.total(detail, dspec["column"], drows)
        sval, sulp = sel.total(summary, sspec["column"], srows)
        outcome = compare(dval, dulp, sval, sulp)
        if outcome.verdict == PASS:
            continue
        cells = Cells([[sel.cell(summary, r, sspec["column"]) for r in _listed(srows)],
                       (detail, dspec["column"], _as_rows(drows))])
        context = {"detail_table": names(detail), "summary_table": names(summary),
                   "key": " ".join(key),
                   "detail_column": {l: sel.column_label(detail, dspec["column"], l) for l in ("zh", "en")}}
        result = finding(rule, outcome, summary.unit, cells, DEFAULT, context, summary.id)
        if result:  # each table with its own figure: neither "should be" the other's
            result.extra["sides"] = [{"table": detail.id, "value": dval}, {"table": summary.id, "value": sval}]
            yield result
