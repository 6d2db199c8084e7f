"""Tables whose rows are named items rather than coded lines: the 三公 table (items as rows or as
columns) and 部门整体绩效目标表 (labelled figures). 收支总表 (two sides): loaders/summary.py."""

from __future__ import annotations

import re

from budget_audit.loaders.builders import clean, finish
from budget_audit.loaders.catalog import catalog, norm_label
from budget_audit.loaders.codes import strip_ordinal
from budget_audit.loaders.frames import FrameBuilder
from budget_audit.loaders.headers import candidates, column_ids, column_paths, split_header
from budget_audit.loaders.model import Table
from budget_audit.loaders.numbers import parse_amount
from budget_audit.loaders.segment import RawTable
from budget_audit.loaders.summary import two_sided  # noqa: F401  (document.py's registry)


_YEAR = re.compile(r"(\d{4})\s*年")
_YEAR_PREFIX = re.compile(r"^(?:19|20)\d{2}年度?")
_QIZHONG = re.compile(r"^\s*其中\s*[;；:：,，]?\s*")


def three_public(raws: list[RawTable], unit: str) -> Table:
    """“三公”经费: one record per item (total, overseas, reception, vehicle, purchase, operation)."""
    raw = raws[0]
    items = catalog()["three_public_items"]
    header, body = split_header(raw.rows, unit)
    builder = FrameBuilder(["item", "label"], ["amount"])
    years = [int(m.group(1)) for c in (header[-1].cells if header else []) if (m := _YEAR.search(c.text))]
    if years:  # items are rows, one column per year (district 表七)
        current = max(years)
        columns = {j: ("amount" if int(_YEAR.search(c.text).group(1)) == current else "prior_year")
                   for j, c in enumerate(header[-1].cells) if _YEAR.search(c.text)}
        for row in body:
            if not row.non_blank():
                continue
            label = clean(row.cells[0].text)
            item = items.get(norm_label(_QIZHONG.sub("", strip_ordinal(label))), "")
            cells = {col: (row.cells[j].text, row.cells[j].line) for j, col in columns.items()
                     if j < len(row.cells)}
            builder.add({"item": item, "label": label}, cells, unit,
                        {"item": row.line, "label": row.line})
    else:  # one row of figures, one column per item (municipal 预算09表)
        width = max(len(r.cells) for r in header + body) if header or body else 0
        columns = column_ids(header, width)
        labels = [c[2] for c in columns]
        paths = column_paths(header, width)
        if paths and all(p and p[-1] in _BUDGET_FINAL for p in paths):  # 决算: 预算数 | 决算数 per item
            return _budget_and_final(raws, header, body, paths, unit)
        # "2023年机关运行经费预算数": the year in a header label is not part of the item's name
        grid_paths = [candidates(path) + candidates([_YEAR_PREFIX.sub("", p) for p in path]) for path in paths]
        for row in body[:1]:
            for j, cell in enumerate(row.cells):
                item = next((items[k] for k in grid_paths[j] if k in items), "")
                builder.add({"item": item, "label": labels[j]}, {"amount": (cell.text, cell.line)},
                            unit, {"item": header[0].line if header else cell.line})
    return finish(builder, raws, unit)


_BUDGET_FINAL = {"预算数": "budget", "决算数": "amount"}


def _budget_and_final(raws, header, body, paths, unit) -> Table:
    """决算 “三公” table: each item prints 预算数 and 决算数; one record per item, 决算数 as `amount`."""
    items = catalog()["three_public_items"]
    builder = FrameBuilder(["item", "label"], ["amount", "budget"])
    figures = next((r for r in body if any(parse_amount(c.text, unit) is not None for c in r.cells)), None)
    order: dict[str, dict] = {}
    for j, path in enumerate(paths):
        item = next((items[k] for k in candidates(path[:-1]) if k in items), "")
        entry = order.setdefault(item or f"col{j}", {"label": path[-2] if len(path) > 1 else "", "cells": {}})
        if figures is not None and j < len(figures.cells):
            entry["cells"][_BUDGET_FINAL[path[-1]]] = (figures.cells[j].text, figures.cells[j].line)
    for item, entry in order.items():
        if entry["cells"]:
            builder.add({"item": item if not item.startswith("col") else "", "label": entry["label"]},
                        entry["cells"], unit, {"item": header[0].line, "label": header[0].line})
    table = finish(builder, raws, unit)
    table.extras["column_labels"] = {"amount": "决算数", "budget": "预算数"}
    return table


_KV_ITEMS = {"资金总额": "total", "基本支出": "basic", "项目支出": "project"}
_DECLARED_UNIT = re.compile(r"[(（]\s*(万元|亿元|元)\s*[)）]")


def key_value(raws: list[RawTable], unit: str) -> Table:
    """部门整体支出绩效目标表: labelled figures (资金总额/基本支出/项目支出)."""
    raw = raws[0]
    builder = FrameBuilder(["item", "label"], ["amount"])
    declared = None
    for row in raw.rows:
        for cell in row.cells:
            m = _DECLARED_UNIT.search(cell.text)
            if m and declared is None:
                declared = (m.group(1), clean(cell.text))
    table_unit = declared[0] if declared else unit
    for row in raw.rows:
        cells = row.non_blank()
        for i, cell in enumerate(cells[:-1]):
            item = _KV_ITEMS.get(norm_label(cell.text).rstrip(":："))
            if item:
                value = cells[i + 1]
                builder.add({"item": item, "label": clean(cell.text)}, {"amount": (value.text, value.line)},
                            table_unit, {"item": cell.line, "label": cell.line})
    table = finish(builder, raws, table_unit)
    if declared:
        table.declared_unit_text = declared[1]
    return table
