"""收支总表 / 财政拨款收支总表 (two sides): the income side, then every (label, amounts…) column group
of the expenditure side (Jiangsu prints two: 功能分类 and 支出用途)."""

from __future__ import annotations

import re

from budget_audit.loaders.builders import clean, finish, join_lines
from budget_audit.loaders.catalog import catalog, norm_label
from budget_audit.loaders.codes import FUNCTION_CLASS_CODES, strip_ordinal
from budget_audit.loaders.frames import FrameBuilder
from budget_audit.loaders.headers import column_ids
from budget_audit.loaders.model import Table
from budget_audit.loaders.numbers import is_blank, parse_amount
from budget_audit.loaders.segment import RawTable


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _groups(body: list, width: int, unit: str, named: set[int]) -> list[tuple[int, list[int]]]:
    """(label column, its amount columns) for rows of one width: a label column holds Chinese text,
    an amount column figures (or a header the catalog names)."""
    rows = [r for r in body if len(r.cells) == width]
    labels = [j for j in range(width) if any(_CJK.search(r.cells[j].text) for r in rows)] or [0]
    numeric = {j for r in rows for j, c in enumerate(r.cells) if parse_amount(c.text, unit) is not None}
    groups = []
    for i, j in enumerate(labels):
        stop = labels[i + 1] if i + 1 < len(labels) else width
        groups.append((j, [a for a in range(j + 1, stop) if a in numeric | named] or [j + 1]))
    return groups


def _known(label: str, side: str) -> str:
    """The item id of a summary row label ('function' for a 功能分类 class), '' when unknown."""
    plain = norm_label(strip_ordinal(label))
    cat = catalog()
    item = cat["income_items" if side == "income" else "expenditure_items"].get(plain, "")
    return item or ("function" if side == "expenditure" and plain in FUNCTION_CLASS_CODES else "")


def two_sided(raws: list[RawTable], unit: str) -> Table:
    """收支总表 / 财政拨款收支总表: income items left, expenditure items right.

    Every (label, amounts…) group of columns is read: the first is income, the others expenditure
    (Jiangsu prints two: 功能分类 and 支出用途). A side's amount is its first filled column; a column
    whose header the catalog knows (人员经费, 一般公共预算 …) keeps its id, so 合计 = Σ per row is
    checked. A label printed over two rows is joined, and its amount found on either.
    """
    raw = raws[0]
    rows = raw.rows
    first = next((i for i, r in enumerate(rows)
                  if any(parse_amount(c.text, unit) is not None for c in r.non_blank())), len(rows))
    header, body = [r for r in rows[:first] if r.non_blank()], rows[first:]
    head_width = max((len(r.cells) for r in header), default=0)
    head_ids = {j: c for j, (c, kind, _) in enumerate(column_ids(header, head_width))
                if kind == "amount" and not re.fullmatch(r"(total|amount)(_\d+)?", c)} if header else {}
    layouts: dict[int, list] = {}
    entries: list[dict] = []
    last: dict[int, dict] = {}  # per column group, its latest entry
    for n, row in enumerate(body):
        cells = row.cells
        if len(cells) < 4:
            continue
        ids = head_ids if len(cells) == head_width else {}
        if len(cells) not in layouts:
            layouts[len(cells)] = _groups(body, len(cells), unit, set(ids))
        pending_in_row = None
        for g, (j, amount_cols) in enumerate(layouts[len(cells)]):
            side = "income" if g == 0 else "expenditure"
            text = join_lines(cells[j].text.rstrip())
            if not _CJK.search(text):  # a figure in a label column belongs to the group before
                text = ""
            amounts = {}
            for k, a in enumerate(amount_cols):  # the side's first filled column is its amount
                if a >= len(cells):  # a short row (a mangled export): the column is not printed
                    continue
                column = ids.get(a, "amount") if g and k else "amount"
                if column not in amounts or (is_blank(amounts[column][0]) and not is_blank(cells[a].text)):
                    amounts[column] = (cells[a].text, cells[a].line)
            filled = any(not is_blank(t) for t, _ in amounts.values())
            prev = last.get(g)
            if not is_blank(text):
                if prev and n - prev["row"] <= 2 and not prev["item"] and _known(prev["label"] + text, side):
                    prev["label"] += text.strip()  # the second line of a split label
                    prev["item"] = _known(prev["label"], side)
                    prev["row"] = n
                    if filled and not prev["filled"]:
                        prev["amounts"], prev["filled"] = amounts, True
                    continue
                entry = {"side": side, "label": text, "line": cells[j].line, "amounts": amounts,
                         "filled": filled, "item": _known(text, side), "row": n}
                entries.append(entry)
                last[g] = entry
                if not filled and entry["item"] != "function":
                    pending_in_row = entry
            elif filled:
                if prev and not prev["filled"] and n - prev["row"] <= 2 and prev["item"] != "function":
                    prev["amounts"], prev["filled"] = amounts, True  # printed on the label's second line
                elif pending_in_row is not None:  # one cell merged across the next group
                    pending_in_row["amounts"], pending_in_row["filled"] = amounts, True
                    pending_in_row = None
    return _build_two_sided(entries, raws, unit)


def _build_two_sided(entries: list[dict], raws: list[RawTable], unit: str) -> Table:
    builder = FrameBuilder(["side", "item", "code", "label", "indent"], ["amount"])
    in_carryover = False
    for e in entries:
        label, side, item = e["label"], e["side"], e["item"]
        indent = (len(label) - len(label.lstrip(" \u3000"))) // 2
        code = FUNCTION_CLASS_CODES.get(norm_label(strip_ordinal(label)), "") if item == "function" else ""
        if side == "income":
            if item == "carryover":
                in_carryover = True
            elif item and in_carryover and item not in ("grand_total", "business_fund"):
                item = f"carryover_{item}"
        keys = {"side": side, "item": item, "code": code, "label": clean(label), "indent": indent}
        builder.add(keys, e["amounts"], unit, {k: e["line"] for k in keys})
    return finish(builder, raws, unit)
