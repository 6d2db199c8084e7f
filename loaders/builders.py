"""Raw tables -> standard Tables. One builder per table shape; the catalog says which applies."""

from __future__ import annotations

import re
from itertools import repeat
from operator import add, attrgetter, contains, mul
from typing import Any

from budget_audit.loaders.catalog import catalog, norm_label
from budget_audit.loaders.codes import (economic_use, function_level,
                                        split_code)
from budget_audit.loaders.frames import FrameBuilder, picker
from budget_audit.loaders.headers import NOTE_TEXTS, column_ids, split_header
from budget_audit.loaders.layout import RawRow, TabRow
from budget_audit.loaders.model import Table
from budget_audit.loaders.numbers import is_blank
from budget_audit.loaders.segment import RawTable

_CODE_NAME_TARGETS = {
    "code_name": ("code", "name"),
    "gov_econ_code_name": ("gov_econ_code", "gov_econ_name"),
    "dept_econ_code_name": ("dept_econ_code", "dept_econ_name"),
}
_FUNCTION_CODED = {"income_summary", "expenditure_summary", "general_budget_expenditure",
                   "government_fund_expenditure", "state_capital_expenditure", "budget_detail"}


def clean(text: str) -> str:
    """Cell text with blanks (U+3000 included) folded to single spaces."""
    return " ".join(text.replace("\u3000", " ").split())


_CJK_BREAK = re.compile(r"(?<=[\u4e00-\u9fff、（(])\s*\n\s*(?=[\u4e00-\u9fff）)])")


def join_lines(text: str) -> str:
    """A label printed over two lines in one cell ("三、单位预留机\n动经费") is one label."""
    return _CJK_BREAK.sub("", text).replace("\n", " ")


def _is_note(filled: list[str]) -> bool:
    """A row whose only text (its filled cells' texts) is an empty-table note such as "无"."""
    return len(filled) == 1 and norm_label(filled[0]) in NOTE_TEXTS


def columnar(raws: list[RawTable], unit: str, blocks: bool = True) -> Table:
    """Tables with a header row of column labels and one record per body row (`blocks`: runs of
    tab rows read together, see _add_rows; False reads each row by itself, as a check of that)."""
    raw = raws[0]
    header, body = split_header(raw.rows, unit)
    if raw.table_id == "income_summary":
        from budget_audit.loaders import grouped

        if grouped.is_grouped(body, unit):  # Jiangsu 收入预算总表: groups with 小计, items below
            return grouped.grouped_items(raws, unit)
    halves = _side_by_side(header, body)
    if halves:
        header, body = halves
    width = _width(header, body)
    columns = column_ids(header, width)
    if halves:  # the 决算 基本支出表: code | name | 决算数 twice; its figure is each line's total
        columns = [("dept_econ_name" if c == "name" else "total" if c == "amount" else c, kind, label)
                   for c, kind, label in columns]
    columns = _without_fillers(columns, body)
    builder = FrameBuilder(["is_total"], [c for c, kind, _ in columns if kind == "amount"])
    totals = catalog()["total_labels"]
    notes = []
    _add_rows(builder, body, columns, width, totals, halves, raw.table_id or "", unit, notes, blocks)
    if builder.count == 1 and len(builder.keys) == 1:  # one row of figures: it is the total
        builder.set_key(0, "is_total", True)
    table = finish(builder, raws, unit, notes=tuple(notes))
    table.extras["column_labels"] = {c: label for c, kind, label in columns if kind == "amount"}
    return table


_BLOCK = 16384  # body rows looked at together (a block's cells live only while it is added)
_FEW = 200  # a body of fewer rows is read row by row (a block's setup would cost it more)


def _add_rows(builder, body, columns, width, totals, halves, table_id, unit, notes, blocks) -> None:
    """The body rows into the builder, in order. A run of unchanged tab rows each with every
    column's cell and at least two filled (so no note, no blank row, none misaligned) is added as
    one block from its lines (_add_block); any other row by itself (_add_row)."""
    if (not blocks or len(body) < _FEW or width < 2 or len(columns) != width
            or len({c for c, _, _ in columns}) != width):
        for row in body:
            _add_row(builder, row, columns, width, totals, halves, table_id, unit, notes)
            row.forget()  # its cells were made for this row only
        return
    tabs = width - 1
    for start in range(0, len(body), _BLOCK):
        chunk = body[start:start + _BLOCK]
        end = len(chunk)
        if all(map(isinstance, chunk, repeat(TabRow, end))) and not any(map(_CHANGED, chunk)):
            if _add_block(builder, chunk, list(map(_PRINTED, chunk)), columns, width, totals, halves,
                          table_id, unit):
                continue
        lines = [r.printed if isinstance(r, TabRow) and not r.changed else None for r in chunk]
        # two filled cells leave a tab inside the stripped line (strip and isspace: the same blanks)
        plain = [t is not None and t.count("\t") == tabs and "\t" in t.strip() for t in lines]
        i = 0
        while i < end:
            if plain[i]:
                j = _next(plain, False, i, end)
                _add_block(builder, chunk[i:j], lines[i:j], columns, width, totals, halves, table_id, unit)
            else:
                j = _next(plain, True, i, end)
                for row in chunk[i:j]:
                    _add_row(builder, row, columns, width, totals, halves, table_id, unit, notes)
                    row.forget()
            i = j


_CHANGED, _PRINTED, _NUMBER = attrgetter("changed"), attrgetter("printed"), attrgetter("number")


def _next(flags: list[bool], value: bool, start: int, end: int) -> int:
    """The first position from `start` whose flag is `value` (`end` if none)."""
    try:
        return flags.index(value, start, end)
    except ValueError:
        return end


def _add_block(builder, rows, lines, columns, width, totals, halves, table_id, unit) -> bool:
    """Rows as _add_row adds them, column by column: their lines (each an unchanged tab row's with
    a cell per column) split at once, key columns worked out once per distinct key texts. False
    (nothing added) unless every row has two filled cells: two columns never blank, or each row's
    line tested."""
    m = len(rows)
    distinct_lines = dict.fromkeys(lines)
    # a detail export prints many lines again: the block's distinct lines are split, then spread
    unique = list(distinct_lines) if len(distinct_lines) * 2 <= m else lines
    flat = "\t\n\t".join(unique).split("\t")  # a "\n" between lines: no cell holds one
    u = len(unique)
    if len(flat) != u * (width + 1) - 1 or flat[width::width + 1].count("\n") != u - 1:
        return False  # a line without one cell per column
    cells = [flat[j::width + 1] for j in range(width)]  # per column, a text per line of `unique`
    del flat
    key_at = [j for j, (_, kind, _) in enumerate(columns) if kind not in ("amount", "filler")]
    distinct = {j: set(cells[j]) for j in key_at}
    if sum(not any(map(is_blank, d)) for d in distinct.values()) < 2:
        distinct.update((j, set(cells[j])) for j in range(width) if j not in distinct)
        if sum(not any(map(is_blank, d)) for d in distinct.values()) < 2 and not all(
                map(contains, map(str.strip, unique), repeat("\t"))):  # (see _add_rows' plain)
            return False
    # each row's key texts as one number, digit by digit per key column (no tuple per row)
    ids, decode = [0] * u, []
    for j in key_at:
        texts = list(distinct[j])
        digits = picker(cells[j])(dict(zip(texts, range(len(texts)))))
        ids = list(map(add, map(mul, ids, repeat(len(texts))), digits)) if decode else digits
        decode.append(texts)
    if unique is not lines:  # each row's line among the distinct ones
        spread = picker(picker(lines)(dict(zip(unique, range(u)))))
        ids, cells = spread(ids), [spread(texts) for texts in cells]
    memo = builder.key_memo
    keys = {}
    for id_ in dict.fromkeys(ids):  # in the order the rows first print them
        printed, rest = [], id_
        for texts in reversed(decode):
            rest, k = divmod(rest, len(texts))
            printed.append(texts[k])
        printed = tuple(reversed(printed))
        known = memo.get(printed)
        if known is None:
            row = [""] * width
            for j, text in zip(key_at, printed):
                row[j] = text
            known = _keys_of(columns, row, totals, halves, table_id)
            if len(memo) < 65536:
                memo[printed] = known
        keys[id_] = (known[0], known[1].keys())
    amounts = {column: cells[j] for j, (column, kind, _) in enumerate(columns) if kind == "amount"}
    builder.add_block(list(map(_NUMBER, rows)), keys, ids, amounts, unit)
    for row in rows:
        row.forget()
    return True


def _add_row(builder, row, columns, width, totals, halves, table_id, unit, notes) -> None:
    """One body row of a columnar table into the builder (or its note)."""
    if isinstance(row, TabRow) and not row.changed:  # from its line: every cell is on it
        texts = row.printed.split("\t")
        lines = [row.number] * len(texts)
        filled = [t for t in texts if t and not t.isspace()]
    else:
        cells = row.cells
        texts, lines = [c.text for c in cells], [c.line for c in cells]
        filled = [c.text for c in row.non_blank()]
    if _is_note(filled):
        notes.append(filled[0].strip())
        return
    if not filled:
        return
    if len(texts) != width and width:
        builder.problems.append({"kind": "misaligned_row", "line": row.line,
                                 "cells": len(texts), "expected": width})
    amounts: dict[str, tuple[str, int]] = {}
    printed = []
    for (column, kind, _), text, line in zip(columns, texts, lines):
        if kind == "amount":
            amounts[column] = (text, line)
        elif kind != "filler":
            printed.append(text)
    # the key columns follow from the key cells' texts alone: a detail export repeats them row
    # after row, so they are worked out once per distinct texts (bounded, for exports that do not)
    memo = builder.key_memo
    known = memo.get(tuple(printed))
    if known is None:
        known = _keys_of(columns, texts, totals, halves, table_id)
        if len(memo) < 65536:
            memo[tuple(printed)] = known
    keys, sources = known
    builder.add(dict(keys), amounts, unit, {k: lines[j] for k, j in sources.items()})


def _keys_of(columns, texts, totals, halves, table_id) -> tuple[dict[str, Any], dict[str, int]]:
    """A body row's key values, and per key the position of the cell whose line it takes."""
    keys: dict[str, Any] = {}
    sources: dict[str, int] = {}
    for j, ((column, kind, _), printed) in enumerate(zip(columns, texts)):
        if kind in ("filler", "amount"):
            continue
        text = clean(printed)
        if column in _CODE_NAME_TARGETS or (column == "code_name"):
            code_col, name_col = _CODE_NAME_TARGETS.get(column, ("code", "name"))
            if code_col in keys:  # a second function column (表十's 支出功能分类科目)
                code_col, name_col = "function_code", "function_name"
            code, name = split_code(text)
            keys[code_col], keys[name_col] = code, name
            sources[code_col] = sources[name_col] = j
        else:
            keys[column] = text
            sources[column] = j
    keys["is_total"] = any(norm_label(str(v)) in totals for v in keys.values() if isinstance(v, str))
    if halves and not keys["is_total"]:  # 人员经费合计 | 公用经费合计: one total per half
        use = next((u for v in keys.values() if isinstance(v, str) for w, u in _HALF_TOTALS.items()
                    if norm_label(v) == w), None)
        if use:
            keys["is_total"], keys["total_of"] = True, use
    _derive_keys(table_id, keys)
    if halves and "dept_econ_code" in keys:  # class = Σ its items, read by hierarchy-sum
        keys["code"] = keys["dept_econ_code"] if keys["dept_econ_code"].isdigit() else ""
    return keys, sources


_HALF_TOTALS = {"人员经费合计": "personnel", "公用经费合计": "public"}


def _side_by_side(header: list[RawRow], body: list[RawRow]) -> tuple[list[RawRow], list[RawRow]] | None:
    """A table printed as two halves side by side (header A B C A B C): the header's half, and the
    body's left halves followed by its right halves, so each printed line is one record."""
    if not header:
        return None
    texts = [norm_label(t) for t in header[-1].texts()]
    half = len(texts) // 2
    if half < 2 or len(texts) != 2 * half or texts[:half] != texts[half:] or not all(texts[:half]):
        return None
    if any(r.width() != 2 * half for r in body if r.filled_texts()):
        return None
    cut = [RawRow(r.cells[:half], r.page) for r in header]
    left = [RawRow(r.cells[:half], r.page) for r in body]
    right = [RawRow(r.cells[half:], r.page) for r in body]
    return cut, left + right


_REPEAT = re.compile(r"^(?:.+_\d+|col\d+)$")


def _without_fillers(columns: list[tuple[str, str, str]], body: list[RawRow]) -> list[tuple[str, str, str]]:
    """Grid columns with nothing printed in the body and no header of their own (a merged cell's
    span, read as columns: total_4, col7) are dropped, so no empty duplicate column is kept."""
    def empty(j: int) -> bool:
        return all(not (r.cell_text(j) or "").strip() for r in body)

    return [(c, "filler", label) if _REPEAT.match(c) and empty(j) else (c, kind, label)
            for j, (c, kind, label) in enumerate(columns)]


def _width(header: list[RawRow], body: list[RawRow]) -> int:
    """The table's width: its header's, else the commonest body row length."""
    if header:
        return max(len(r.cells) for r in header)
    lengths = [r.width() for r in body if r.filled_texts()]
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
    if table_id == "procurement" and "category" in keys and not keys.get("is_total"):
        # Jiangsu 政府采购: 大类 row, then 专项 (with its 经济科目), then 采购物品 rows (a name merged
        # over two rows, one per 采购组织形式, prints on the first only; a 专项 name repeated after a
        # page break sits on an item row)
        keys["outline"] = ("category" if keys.get("category") else
                           "item" if keys.get("item_name") or keys.get("procurement_method") else
                           "project" if keys.get("project") or keys.get("econ_name") else "")


def finish(builder: FrameBuilder, raws: list[RawTable], unit: str, **extra: Any) -> Table:
    """Build the Table and hand it the loader problems met on the way."""
    raw = raws[0]
    table = builder.build(raw.table_id or "", raw.title, raw.label, unit, raw.line,
                          declared_unit_text=raw.unit_text, **extra)
    for problem in builder.problems:
        problem.setdefault("table", table.id)
    table.extras["problems"] = builder.problems
    return table
