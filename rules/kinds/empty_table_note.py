"""empty-table-note — a table that applies to nothing is printed empty, with a note naming its fund.

What it checks: for each table in `tables` (table id → the fund or subject its note must name,
e.g. government_fund_expenditure: 政府性基金), three things about its empty-table note, i.e. a
text printed with the table (under it, inside its grid, or on the lines just after it) that says
the table is empty ("本表为空表", "本表无数据", or a lone "无"; `note` overrides the pattern):
- a table without figures carries such a note (missing → finding);
- the note names this table's fund, not another one of the list (a note copied from the next
  table, "…无国有资本经营预算…故本表为空表" under the 政府性基金 table → finding);
- a table whose note says it is empty has no figures (a note left over a filled table → finding).
Why it matters: the Shanghai templates print all nine tables every year; an empty one must say
why, and a note copied from the neighbouring table tells the reader the wrong thing about money.
Passes: 政府性基金预算支出功能分类预算表 with only its 合计 row, blank, and "注:本部门2025年无政府性基金
预算财政拨款安排的预算，故本表为空表。" under it.
Fails: the same table with the note "注：本部门无国有资本经营预算财政拨款安排的预算，故本表为空表。"; or
with that note and a 合计 of 120,000.00 元.
Example:
    kind: empty-table-note
    params:
      tables: {government_fund_expenditure: 政府性基金, state_capital_expenditure: 国有资本经营,
               three_public_funds: 三公}
"""

from __future__ import annotations

import re

from budget_audit.loaders.catalog import norm_label
from budget_audit.loaders.model import SourceLocation
from budget_audit.rules.findings import CellRef, Finding
from budget_audit.rules.kinds import NotApplicable
from budget_audit.rules.kinds.params import REGEX, TEXT_MAP
from budget_audit.rules.kinds.base import names, render, validate_keys

PARAMS = {"tables": TEXT_MAP, "note": REGEX}

NOTE = r"本表(为)?空表|本表无数据|^无$"
AFTER = 8  # printed lines after a table's last cell that may still hold its note
MESSAGES = {
    "missing": {"zh": "{table}没有数字，也没有说明为何为空表（应注明“本部门无{fund}…故本表为空表”）",
                "en": "{table} has no figures and no note saying why it is empty (it should say there is no {fund} money)"},
    "wrong_fund": {"zh": "{table}的空表说明写的是“{named}”，而不是本表的“{fund}”：“{note}”",
                   "en": "{table}: the empty-table note names {named}, not this table's {fund}: '{note}'"},
    "not_empty": {"zh": "{table}注明为空表（“{note}”），但表中有数字：{row} {value}",
                  "en": "{table} says it is empty ('{note}') but holds figures: {row} {value}"},
}


def validate(params):
    """Required: tables (mapping table id → fund words); optional note (regex)."""
    from budget_audit.loaders.catalog import catalog

    problem = validate_keys(params, ("tables",))
    if problem:
        return problem
    if not isinstance(params["tables"], dict) or not params["tables"]:
        return "tables", "a mapping of table id to the fund its note names"
    unknown = [t for t in params["tables"] if t not in catalog()["tables"]]
    if unknown:
        return "tables", f"unknown table id {unknown[0]!r}"
    return None


def check(document, rule):
    """Yield a finding per table whose empty-table note is missing, names another fund, or lies."""
    present = [t for t in rule.params["tables"] if document.table(t) is not None]
    if not present:
        raise NotApplicable("the document has none of these tables")
    pattern = re.compile(rule.params.get("note", NOTE))
    funds = {t: norm_label(f) for t, f in rule.params["tables"].items()}
    for table_id in present:
        table = document.table(table_id)
        note = next(((t, line) for t, line in _texts(document, table) if pattern.search(norm_label(t))), None)
        figure = _first_figure(table)
        context = {"table": names(table), "fund": rule.params["tables"][table_id]}
        if note is None:
            if figure is None:
                yield _make(rule, "missing", context, [CellRef(table.id, "", "", table.title, table.source)], table)
            continue
        text, line = note
        cell = CellRef(table.id, "", "", text, SourceLocation(line=line))
        context["note"] = text.strip()
        plain = norm_label(text)
        named = [f for t, f in funds.items() if t != table_id and f in plain and f not in funds[table_id]]
        if named and funds[table_id] not in plain:
            yield _make(rule, "wrong_fund", {**context, "named": named[0]}, [cell], table)
        if figure is not None:
            row, column, value = figure
            filled = CellRef(table.id, row, column, table.text(value, column), table.location(value, column))
            yield _make(rule, "not_empty", {**context, "row": row, "value": table.text(value, column)},
                        [cell, filled], table)


def _texts(document, table):
    """Texts printed with the table: notes, cell texts, then narrative lines just after it."""
    raw = table.extras.get("raw_texts") or []
    yield from ((n, table.source.line) for n in table.notes)
    yield from raw
    for column, values in table.data.items():
        if column not in table.amount_columns:
            yield from ((v, table.location(i, column).line) for i, v in enumerate(values) if isinstance(v, str))
    lines = [line for _, line in raw if line] + [table.source.line or 0]
    start, end = min(lines), max(lines) + AFTER
    later = [t.source.line for t in document.tables.values() if (t.source.line or 0) > start]
    end = min([end] + [line - 1 for line in later])
    yield from ((p.text, p.line) for p in document.paragraphs if start < p.line <= end)


def _first_figure(table):
    """(row label, column, row index) of the first non-zero figure, None when there is none."""
    for column in table.amount_columns:
        for i, value in enumerate(table.data[column]):
            if value:
                label = next((str(table.data[k][i]) for k in ("name", "label", "item", "code")
                              if k in table.data and table.data[k][i]), "")
                return label, column, i
    return None


def _make(rule, key, context, cells, table):
    return Finding(rule=rule.code, severity=rule.severity, message=render(rule.message or MESSAGES[key], context),
                   table=table.id, cells=cells, family=rule.family, title=rule.title)
