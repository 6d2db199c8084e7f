"""Group/item lists with one amount column: Jiangsu 收入预算总表 (一般公共预算资金 | 小计, then its
items 公共财政拨款（补助）资金 / 专项收入 on the rows below; 收入总计 on top)."""

from __future__ import annotations

from budget_audit.loaders.builders import clean, finish, join_lines
from budget_audit.loaders.catalog import catalog, norm_label
from budget_audit.loaders.frames import FrameBuilder
from budget_audit.loaders.headers import split_header
from budget_audit.loaders.layout import RawCell, RawRow
from budget_audit.loaders.model import Table
from budget_audit.loaders.numbers import is_blank, parse_amount
from budget_audit.loaders.segment import RawTable

SUBTOTAL = "小计"


def _texts(row: RawRow, unit: str) -> list[tuple[int, RawCell]]:
    return [(j, c) for j, c in enumerate(row.cells) if not is_blank(c.text) and parse_amount(c.text, unit) is None]


def is_grouped(rows: list[RawRow], unit: str = "万元") -> bool:
    """A body where 小计 is printed right of a group column: groups with their items below."""
    return any(norm_label(c.text) == SUBTOTAL and j > min(k for k, _ in _texts(r, unit))
               for r in rows for j, c in _texts(r, unit)) or any(
        len(r.non_blank()) >= 2 and norm_label(r.non_blank()[1].text) == SUBTOTAL for r in rows)


def grouped_items(raws: list[RawTable], unit: str) -> Table:
    """One record per printed line: keys group, item, label; is_total only for the grand total
    (收入总计), never for a group's 小计. A group label printed mid-span (vertically centred
    beside its 小计 row) belongs to that 小计. Figures printed on rows without any label mean the
    rows did not line up: then only the grand total is kept (the group checks are skipped)."""
    raw = raws[0]
    _, body = split_header(raw.rows, unit)
    totals = catalog()["total_labels"] | {norm_label("收入总计")}
    lines = []  # (group cell, item cell, amount cell, row)
    columns = sorted({j for r in body for j, _ in _texts(r, unit)})
    group_col = columns[0] if columns else 0
    orphans = []
    for row in body:
        texts = _texts(row, unit)
        figures = [c for c in row.cells if parse_amount(c.text, unit) is not None]
        if not texts:
            if figures:
                orphans.append(row)
            continue
        group = next((c for j, c in texts if j == group_col), None)
        item = next((c for j, c in texts if j > group_col), None)
        lines.append([group, item, figures[-1] if figures else row.cells[-1], row])
    for n, line in enumerate(lines):  # 小计 with its group label printed on a following row
        if line[0] is None and line[1] is not None and norm_label(line[1].text) == SUBTOTAL:
            later = next((m for m in range(n + 1, min(n + 3, len(lines))) if lines[m][0] is not None), None)
            if later is not None:
                line[0], lines[later][0] = lines[later][0], None
                lines[later].append(line[0])  # a continuation of the same group
    builder = FrameBuilder(["group", "item", "label", "is_total"], ["total"])
    group = ""
    for line in lines:
        group_cell, item_cell, amount, row = line[:4]
        if group_cell is not None:
            group = clean(join_lines(group_cell.text))
        elif len(line) > 4:
            group = clean(join_lines(line[4].text))
        item = clean(join_lines(item_cell.text)) if item_cell is not None else ""
        is_total = group_cell is not None and norm_label(group) in totals and not item
        if orphans and not is_total:
            continue
        label = " ".join(p for p in (group if (not item or item == SUBTOTAL) else "", item) if p)
        first = (group_cell or item_cell)
        builder.add({"group": "" if is_total else group, "item": item, "label": label or group,
                     "is_total": is_total}, {"total": (amount.text, amount.line)}, unit,
                    {k: first.line for k in ("group", "item", "label", "is_total")})
    if orphans:
        builder.problems.append({"kind": "misaligned_row", "line": orphans[0].line,
                                 "cells": len(orphans[0].non_blank()), "expected": 2, "rows": len(orphans)})
    table = finish(builder, raws, unit)
    table.extras["column_labels"] = {"total": "金额"}
    return table
