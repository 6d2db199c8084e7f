"""Raw tables -> standard Tables. One builder per table shape; the catalog says which applies."""

from __future__ import annotations

import re
from typing import Any

from budget_audit.loaders.catalog import catalog, norm_label
from budget_audit.loaders.codes import (FUNCTION_CLASS_CODES, economic_use, function_level,
                                        split_code, strip_ordinal)
from budget_audit.loaders.frames import FrameBuilder
from budget_audit.loaders.headers import candidates, column_ids, column_paths, split_header
from budget_audit.loaders.layout import RawRow
from budget_audit.loaders.model import Table
from budget_audit.loaders.numbers import is_blank, parse_amount
from budget_audit.loaders.segment import RawTable

_CODE_NAME_TARGETS = {
    "code_name": ("code", "name"),
    "gov_econ_code_name": ("gov_econ_code", "gov_econ_name"),
    "dept_econ_code_name": ("dept_econ_code", "dept_econ_name"),
}
_FUNCTION_CODED = {"income_summary", "expenditure_summary", "general_budget_expenditure",
                   "government_fund_expenditure", "state_capital_expenditure", "budget_detail"}


def _clean(text: str) -> str:
    return " ".join(text.replace("\u3000", " ").split())


def _is_note_row(row: RawRow) -> bool:
    """A row whose only text is an empty-table note such as "无"."""
    cells = row.non_blank()
    return len(cells) == 1 and norm_label(cells[0].text) in {"无", "本表无数据"}


def columnar(raws: list[RawTable], unit: str) -> Table:
    """Tables with a header row of column labels and one record per body row."""
    raw = raws[0]
    header, body = split_header(raw.rows, unit)
    width = _width(header, body)
    columns = column_ids(header, width)
    builder = FrameBuilder(["is_total"], [c for c, kind, _ in columns if kind == "amount"])
    totals = catalog()["total_labels"]
    notes = []
    for row in body:
        if _is_note_row(row):
            notes.append(row.non_blank()[0].text.strip())
            continue
        if not row.non_blank():
            continue
        keys: dict[str, Any] = {}
        key_lines: dict[str, int] = {}
        amounts: dict[str, tuple[str, int]] = {}
        if len(row.cells) != width and width:
            builder.problems.append({"kind": "misaligned_row", "line": row.line,
                                     "cells": len(row.cells), "expected": width})
        for (column, kind, _), cell in zip(columns, row.cells):
            if kind == "amount":
                amounts[column] = (cell.text, cell.line)
                continue
            text = _clean(cell.text)
            if column in _CODE_NAME_TARGETS or (column == "code_name"):
                code_col, name_col = _CODE_NAME_TARGETS.get(column, ("code", "name"))
                if code_col in keys:  # a second function column (表十's 支出功能分类科目)
                    code_col, name_col = "function_code", "function_name"
                code, name = split_code(text)
                keys[code_col], keys[name_col] = code, name
                key_lines[code_col] = key_lines[name_col] = cell.line
            else:
                keys[column] = text
                key_lines[column] = cell.line
        keys["is_total"] = any(norm_label(str(v)) in totals for v in keys.values() if isinstance(v, str))
        _derive_keys(raw.table_id or "", keys)
        builder.add(keys, amounts, unit, key_lines)
    if len(builder.records) == 1 and len(builder.keys) == 1:  # one row of figures: it is the total
        builder.records[0]["keys"]["is_total"] = True
    table = _finish(builder, raws, unit, notes=tuple(notes))
    table.extras["column_labels"] = {c: label for c, kind, label in columns if kind == "amount"}
    return table


def _width(header: list[RawRow], body: list[RawRow]) -> int:
    """The table's width: its header's, else the commonest body row length."""
    if header:
        return max(len(r.cells) for r in header)
    lengths = [len(r.cells) for r in body if r.non_blank()]
    return max(set(lengths), key=lengths.count) if lengths else 0


def _derive_keys(table_id: str, keys: dict[str, Any]) -> None:
    """Codes glued to names, 功能分类 levels, basic-expenditure uses, catalog parents."""
    if "code" in keys and "name" not in keys and table_id != "purchased_services":
        keys["code"], keys["name"] = split_code(keys["code"])
    if table_id in _FUNCTION_CODED and "code" in keys:
        code, name = split_code(keys["code"]) if not keys["code"].isdigit() else (keys["code"], "")
        keys["code"] = code
        if name and not keys.get("name"):
            keys["name"] = name
        keys["level"] = function_level(code)
        keys["class_code"] = code[:3]
    if table_id == "purchased_services":
        code = keys.get("code", "")
        keys["kind"] = "catalog" if re.match(r"^[A-Z]\d*$", code) else ("item" if len(code) >= 10 else "unit")
    if table_id == "basic_expenditure":
        keys["use"] = economic_use(keys.get("dept_econ_code", ""))


def _finish(builder: FrameBuilder, raws: list[RawTable], unit: str, **extra: Any) -> Table:
    raw = raws[0]
    table = builder.build(raw.table_id or "", raw.title, raw.label, unit, raw.line,
                          declared_unit_text=raw.unit_text, **extra)
    for problem in builder.problems:
        problem.setdefault("table", table.id)
    table.extras["problems"] = builder.problems
    return table


def two_sided(raws: list[RawTable], unit: str) -> Table:
    """收支总表 / 财政拨款收支总表: income items left, expenditure items right."""
    raw = raws[0]
    cat = catalog()
    builder = FrameBuilder(["side", "item", "code", "label", "indent"], ["amount"])
    started = False
    in_carryover = False
    for row in raw.rows:
        cells = row.cells + []
        if not started:
            started = any(parse_amount(c.text, unit) is not None for c in row.non_blank())
            if not started:
                continue
        if len(cells) < 4:
            continue
        for side, (label_cell, amount_cell) in (("income", cells[0:2]), ("expenditure", cells[2:4])):
            if is_blank(label_cell.text):
                continue
            label = label_cell.text.rstrip()
            plain = norm_label(strip_ordinal(label))
            indent = (len(label) - len(label.lstrip(" \u3000"))) // 2
            code = ""
            if side == "income":
                item = cat["income_items"].get(plain, "")
                if item == "carryover":
                    in_carryover = True
                elif item and in_carryover and item not in ("grand_total", "business_fund"):
                    item = f"carryover_{item}"
            else:
                item = cat["expenditure_items"].get(plain, "")
                if not item and plain in FUNCTION_CLASS_CODES:
                    item, code = "function", FUNCTION_CLASS_CODES[plain]
            keys = {"side": side, "item": item, "code": code, "label": _clean(label), "indent": indent}
            builder.add(keys, {"amount": (amount_cell.text, amount_cell.line)}, unit,
                        {k: label_cell.line for k in ("side", "item", "code", "label", "indent")})
    return _finish(builder, raws, unit)


_YEAR = re.compile(r"(\d{4})\s*年")
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
            label = _clean(row.cells[0].text)
            item = items.get(norm_label(_QIZHONG.sub("", strip_ordinal(label))), "")
            cells = {col: (row.cells[j].text, row.cells[j].line) for j, col in columns.items()
                     if j < len(row.cells)}
            builder.add({"item": item, "label": label}, cells, unit,
                        {"item": row.line, "label": row.line})
    else:  # one row of figures, one column per item (municipal 预算09表)
        width = max(len(r.cells) for r in header + body) if header or body else 0
        columns = column_ids(header, width)
        labels = [c[2] for c in columns]
        grid_paths = [candidates(path) for path in column_paths(header, width)]
        for row in body[:1]:
            for j, cell in enumerate(row.cells):
                item = next((items[k] for k in grid_paths[j] if k in items), "")
                builder.add({"item": item, "label": labels[j]}, {"amount": (cell.text, cell.line)},
                            unit, {"item": header[0].line if header else cell.line})
    return _finish(builder, raws, unit)


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
                declared = (m.group(1), _clean(cell.text))
    table_unit = declared[0] if declared else unit
    for row in raw.rows:
        cells = row.non_blank()
        for i, cell in enumerate(cells[:-1]):
            item = _KV_ITEMS.get(norm_label(cell.text).rstrip(":："))
            if item:
                value = cells[i + 1]
                builder.add({"item": item, "label": _clean(cell.text)}, {"amount": (value.text, value.line)},
                            table_unit, {"item": cell.line, "label": cell.line})
    table = _finish(builder, raws, table_unit)
    if declared:
        table.declared_unit_text = declared[1]
    return table
