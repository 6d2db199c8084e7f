"""A 功能分类 item named in the text ("“一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目",
"人大事务（款）行政运行（项）") found in a table by its printed names: the class row, then the 款 row
under it, then the 项 row under that. Names compare without blanks, with "（类）支出" and a trailing
支出 optional ("一般公共服务（类）" is 一般公共服务支出), and a text name may carry words before the
table's ("其中一般公共服务" ends with it)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from budget_audit.loaders.catalog import table_name
from budget_audit.loaders.model import Document
from budget_audit.rules import selection as sel
from budget_audit.rules.narrative.figures import Figure, Reason, specs
from budget_audit.rules.narrative.subjects import item_path, item_segments

LEVELS = ("类", "款", "项")
# class names the 2018 classification renamed: a text still using one names a class no table prints
RENAMED = {"医疗卫生与计划生育支出": "卫生健康支出", "医疗卫生与计划生育": "卫生健康支出",
           "城乡社区事务": "城乡社区支出", "国土海洋气象等支出": "自然资源海洋气象等支出"}


def norm(name: str) -> str:
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"\s+", "", text)
    return re.sub(r"支出$", "", text)


def matches(printed: str, stated: str) -> bool:
    """The table's name `printed` is the text's name `stated`."""
    a, b = norm(printed), norm(stated)
    return bool(a) and (a == b or b.endswith(a))


def levelled(subject: str) -> list[tuple[str, str]]:
    """[(name, level)] with the levels a dash-joined path leaves unprinted filled from 类 down."""
    segments = item_segments(subject)
    if all(level for _, level in segments):
        return [(name, level) for name, level in segments]
    return [(name, level or LEVELS[i]) for i, (name, level) in enumerate(segments[:3])]


_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")


def _class_row(table, subject: str) -> int | Reason:
    """A 类 in a summary table's 功能分类 column (收支预算总表: code 204, label "四、公共安全支出")."""
    segments = levelled(subject)
    reason = {"zh": f"{table_name(table.id)}只列到类", "en": f"{table_name(table.id, 'en')} lists classes only"}
    if len(segments) != 1 or segments[0][1] != "类":
        return reason
    rows = [i for i, (code, label) in enumerate(zip(table.data["code"], table.data["label"]))
            if len(str(code or "")) == 3 and matches(_ORDINAL.sub("", str(label or "")), segments[0][0])]
    return rows[0] if len(rows) == 1 else reason


def find_row(table, subject: str) -> int | Reason:
    """The row of the item's deepest segment, each segment under the one before it."""
    codes, names, levels = table.data.get("code"), table.data.get("name"), table.data.get("level")
    if codes and not names and table.data.get("label"):
        return _class_row(table, subject)
    if not (codes and names and levels):
        return {"zh": f"{table_name(table.id)}没有科目编码与名称", "en": f"{table_name(table.id, 'en')} has no codes and names"}
    prefix, found = "", None
    for name, level in levelled(subject):
        rows = [i for i in range(table.rows) if levels[i] == level and str(codes[i] or "").startswith(prefix)
                and matches(str(names[i] or ""), name)]
        if len(rows) != 1:
            return {"zh": f"{table_name(table.id)}中没有唯一的“{name}”（{level}）", "en":
                    f"{table_name(table.id, 'en')} has no single {level} row named {name}"}
        found, prefix = rows[0], str(codes[rows[0]])
    return found


def item_amount(document: Document, spec: Any, subject: str, prior: bool = False) -> Figure | Reason:
    """The item's figure in the first table of `spec` that prints it (the text does not say which
    money: the fiscal tables first, then 支出总表)."""
    found = item_amounts(document, spec, subject, prior)
    return found[0] if isinstance(found, list) else found


def item_amounts(document: Document, spec: Any, subject: str, prior: bool = False) -> list[Figure] | Reason:
    """The item's figure in every table of `spec` that prints it, in the spec's order."""
    reason: Reason = {"zh": f"表格中没有“{item_path(subject)}”", "en": f"no table prints {item_path(subject)}"}
    out: list[Figure] = []
    for one in specs(spec):
        table = document.table(one["table"])
        if table is None:
            continue
        column = one.get("prior_column") if prior else one["column"]
        if column is None or column not in table.cell_ulps:
            continue
        row = find_row(table, subject)
        if isinstance(row, dict):
            reason = row
            continue
        value, ulp = sel.total(table, column, [row])
        out.append(Figure(value, ulp, table.unit, (sel.cell(table, row, column),), (table.id,)))
    return out or reason


def unknown_names(document: Document, spec: Any, subject: str) -> list[tuple[str, str, str | None]]:
    """(name, level, the name the tables print instead) for each segment no item table prints."""
    out = []
    tables = [t for t in (document.table(o["table"]) for o in specs(spec)) if t is not None and t.data.get("name")]
    if not tables:
        return out
    for name, level in levelled(subject):
        printed = [str(n or "") for t in tables for n, lv in zip(t.data["name"], t.data.get("level", [])) if lv == level]
        if printed and not any(matches(p, name) for p in printed):
            out.append((name, level, RENAMED.get(norm(name)) or RENAMED.get(name)))
    return out


def printed_level(document: Document, spec: Any, name: str, level: str) -> tuple[str, int | None] | None:
    """(the level, the line) at which an item table prints `name` when not at `level`: the text
    calls 20805 行政事业单位离退休 a （类） while the tables print it as a （款）."""
    for table in (document.table(o["table"]) for o in specs(spec)):
        if table is None or not table.data.get("name"):
            continue
        for i, (printed, lv) in enumerate(zip(table.data["name"], table.data.get("level", []))):
            if lv and lv != level and matches(str(printed or ""), name) and norm(str(printed or "")) == norm(name):
                return lv, table.location(i, "name").line
    return None
