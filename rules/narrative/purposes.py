"""An item's stated purpose that names a 功能分类 item of another class: a description copied from
another item ("住房公积金（项）。主要用于：事业单位医疗保险支出" — 2210201 described by 2101102's name).

Only names the document's own tables print are compared, and only across classes (类): a purpose
naming the item's own 类 or 款, or a sibling under the same 类, is ordinary wording."""

from __future__ import annotations

import re
from typing import Any, Iterator

ITEM = re.compile(r"(?P<item>[^（）“”、。，：:\s]{2,30})（项）[”\"]?[^。]{0,40}?。?[^。]{0,10}?"
                  r"主要用于[：:]?(?P<purpose>[^。]{2,120})")


def item_names(document) -> dict[str, set[str]]:
    """Each 功能分类 name the tables print -> its codes (类 3, 款 5, 项 7 digits; 一般行政管理事务 is
    printed under many 款)."""
    names: dict[str, set[str]] = {}
    for table in document.tables.values():
        codes, labels = table.data.get("code"), table.data.get("name")
        if codes is None or labels is None:
            continue
        for code, name in zip(codes, labels):
            code, name = str(code or "").strip(), "".join(str(name or "").split())
            if name and code.isdigit() and len(code) in (3, 5, 7):
                names.setdefault(name, set()).add(code)
    return names


def copied_purposes(document, texts) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, context) of each item whose purpose names another class's item and not its own."""
    names = item_names(document)
    for passage in texts:
        for m in ITEM.finditer(passage.text):
            item, purpose = m.group("item"), "".join(m.group("purpose").split())
            codes = names.get(item)
            if not codes or item in purpose:
                continue
            classes = {c[:3] for c in codes}
            others = sorted(n for n, c in names.items() if len(n) >= 4 and n in purpose and not classes & {x[:3] for x in c}
                            and n not in item and item not in n)
            if others:
                yield passage.place(m.start("purpose"), m.end("purpose"))[0], {
                    "text": purpose[:60], "item": item, "code": "、".join(sorted(codes)), "other": others[0],
                    "other_code": "、".join(sorted(names[others[0]]))}
