"""Project performance targets: district 表十三-n forms, municipal 预算表12 blocks and Shanghai
财政项目支出绩效目标填报表 forms.

All become one table with a row per project (code, name, total, fiscal, other; district forms
also the mid-term figures, Shanghai forms the year's request) and an `indicators` list of dicts
in `extras`.
"""

from __future__ import annotations

import html
import re
from typing import Any

from budget_audit.loaders.catalog import norm_label
from budget_audit.loaders.frames import FrameBuilder
from budget_audit.loaders.layout import RawRow
from budget_audit.loaders.model import Table
from budget_audit.loaders.numbers import is_blank, parse_amount
from budget_audit.loaders.segment import RawTable

LEVEL1 = {"产出指标", "效益指标", "成本指标", "满意度指标", "效果指标"}
_PROJECT = re.compile(r"^\s*(?P<code>\d{8}[0-9A-Z ]{6,}?)\s*-\s*(?P<name>.+)$")
_TAGS = re.compile(r"<[^>]+>")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff\d）)])\s+(?=[\u4e00-\u9fff（(])")


def plain_text(text: str) -> str:
    """Cell text without HTML tags and entities, blanks folded."""
    return " ".join(html.unescape(_TAGS.sub(" ", text)).split())


def _finish(builder: FrameBuilder, raws: list[RawTable], unit: str, indicators: list[dict]) -> Table:
    raw = raws[0]
    label = raw.label if len(raws) == 1 else re.sub(r"-\d+$", "", raw.label)
    table = builder.build("project_performance", raw.title, label, unit, raw.line,
                          declared_unit_text=raw.unit_text)
    table.extras["indicators"] = indicators  # dicts: project, level1, level2, name, value, line
    table.extras["problems"] = builder.problems
    return table


def district_forms(raws: list[RawTable], unit: str) -> Table:
    """表十三-n: one form per project, figures in 万元 ("1530.28万元")."""
    builder = FrameBuilder(["code", "name", "form"], ["total", "fiscal", "other",
                                                      "mid_total", "mid_fiscal", "mid_other"])
    indicators: list[dict[str, Any]] = []
    for raw in raws:
        name, name_line, cells, form_unit = "", raw.line, {}, unit
        in_indicators, level1, level2 = False, "", ""
        for row in raw.rows:
            # by position in the printed row: a grid's cells covered by a merge from the left
            # (Word, workbook, PDF) are not printed cells
            row = RawRow([c for c in row.cells if c.merged != "left"], row.page)
            texts = [norm_label(c.text) for c in row.cells]
            if texts and texts[0] == "项目名称" and len(row.cells) > 1:
                name, name_line = " ".join(row.cells[1].text.split()), row.cells[1].line
            if texts and "万元" in texts[0]:
                form_unit = "万元"
            kind = next((k for k, word in (("total", "资金总额"), ("fiscal", "财政拨款"), ("other", "其他资金"))
                         if len(texts) > 1 and word in texts[1]), None)
            if kind and len(row.cells) >= 5:
                cells[f"mid_{kind}"] = (row.cells[2].text, row.cells[2].line)
                cells[kind] = (row.cells[4].text, row.cells[4].line)
            if texts and texts[0].startswith("绩效指标"):
                in_indicators = True
                continue
            if in_indicators and len(row.cells) >= 8:
                level1 = norm_label(row.cells[1].text) or level1
                level2 = norm_label(row.cells[5].text) or level2
                if not is_blank(row.cells[6].text) or not is_blank(row.cells[7].text):
                    indicators.append({"project": name, "level1": level1, "level2": level2,
                                       "name": plain_text(row.cells[6].text),
                                       "value": plain_text(row.cells[7].text), "line": row.line})
        builder.add({"code": "", "name": name, "form": raw.label}, cells, form_unit,
                    {"name": name_line, "code": name_line, "form": raw.line})
    return _finish(builder, raws, "万元", indicators)


def _level1_index(row: RawRow) -> int | None:
    for j, cell in enumerate(row.cells):
        if norm_label(cell.text) in LEVEL1:
            return j
    return None


def municipal_blocks(raws: list[RawTable], unit: str) -> Table:
    """预算表12: a header per block, a project row, then indicator rows (some shifted left)."""
    builder = FrameBuilder(["code", "name"], ["total", "fiscal", "other"])
    indicators: list[dict[str, Any]] = []
    project, shifted = "", None
    for row in raws[0].rows:
        texts = row.texts()
        m = _PROJECT.match(texts[0]) if texts else None
        if m:
            project = _CJK_GAP.sub("", " ".join(m.group("name").split()))
            code = m.group("code").replace(" ", "")
            cells = list(row.cells) + [type(row.cells[0])("", row.line) for _ in range(4 - len(row.cells))]
            if len(cells) > 3 and not is_blank(cells[3].text) and parse_amount(cells[3].text, unit) is None:
                # the 其他资金 cell holds the goal text: the row lost a cell
                shifted = {"kind": "misaligned_row", "line": row.line, "table": "project_performance",
                           "project": project, "cells": len(cells), "expected": len(cells) + 1,
                           "rows": 1}
                builder.problems.append(shifted)
                cells.insert(3, type(cells[0])("", row.line))
            else:
                shifted = None
            builder.add({"code": code, "name": project},
                        {k: (cells[i].text, cells[i].line) for i, k in ((1, "total"), (2, "fiscal"), (3, "other"))},
                        unit, {"code": row.line, "name": row.line})
            row = type(row)(cells)
        start = _level1_index(row)
        if start is None or not project:
            continue
        if start not in (0, 5) and shifted is not None:
            shifted["rows"] += 1
        values = [c.text for c in row.cells[start:start + 6]] + [""] * 6
        indicators.append({"project": project, "level1": norm_label(values[0]), "level2": norm_label(values[1]),
                           "name": plain_text(values[2]), "value": plain_text(f"{values[3]} {values[4]} {values[5]}"),
                           "line": row.line})
    return _finish(builder, raws, unit, indicators)


# Shanghai form: 项目资金 block, the project's money (left) and the year's request (right).
_SH_LEFT = {"项目资金总额": "total", "其中:财政资金": "fiscal", "其他资金": "other"}
_SH_RIGHT = {"年度资金申请总额": "annual_total", "其中:当年财政拨款": "annual_current",
             "上年结转资金": "annual_carryover", "其他资金": "annual_other"}
_SH_UNIT = re.compile(r"[(（]\s*(万元|元)\s*[)）]")


def _is_shanghai_form(raws: list[RawTable]) -> bool:
    return any(norm_label(c.text) == "年度资金申请总额" for raw in raws for r in raw.rows for c in r.cells)


def shanghai_forms(raws: list[RawTable], unit: str) -> Table:
    """财政项目支出绩效目标填报表: one form per project, 项目资金（元） with two columns of figures."""
    builder = FrameBuilder(["code", "name", "form"], ["total", "fiscal", "other", "annual_total",
                                                      "annual_current", "annual_carryover", "annual_other"])
    indicators: list[dict[str, Any]] = []
    for number, raw in enumerate(raws, 1):
        name, name_line, cells, form_unit = "", raw.line, {}, unit
        level1 = level2 = ""
        for row in raw.rows:
            texts = [norm_label(c.text) for c in row.cells]
            if texts and texts[0] == "项目名称" and len(row.cells) > 2:
                filled = [c for c in row.cells[1:] if not is_blank(c.text)]
                if filled:
                    name, name_line = " ".join(filled[0].text.split()), filled[0].line
            m = _SH_UNIT.search(texts[0]) if texts and texts[0].startswith("项目资金") else None
            if m:
                form_unit = m.group(1)
            labelled = [(j, t) for j, t in enumerate(texts) if t in _SH_LEFT or t in _SH_RIGHT]
            for k, (j, text) in enumerate(labelled):  # a label, then its figure before the next label
                stop = labelled[k + 1][0] if k + 1 < len(labelled) else len(row.cells)
                figure = next((c for c in row.cells[j + 1:stop] if not is_blank(c.text)), None)
                side = _SH_RIGHT if (k > 0 or (text in _SH_RIGHT and text not in _SH_LEFT)
                                     or (text == "其他资金" and j > len(row.cells) // 2)) else _SH_LEFT
                column = side.get(text)
                if column and figure is not None and column not in cells:
                    cells[column] = (figure.text, figure.line)
            if _level1_index(row) is not None or (level1 and len(row.cells) >= 7):
                j = _level1_index(row)
                level1 = texts[j] if j is not None else level1
                level2 = norm_label(row.cells[2].text) or level2
                if not is_blank(row.cells[3].text):
                    indicators.append({"project": name, "level1": level1, "level2": level2,
                                       "name": plain_text(row.cells[3].text),
                                       "value": plain_text(row.cells[6].text), "line": row.line})
        builder.add({"code": "", "name": name, "form": str(number)}, cells, form_unit,
                    {"name": name_line, "code": name_line, "form": raw.line})
    table = _finish(builder, raws, unit, indicators)
    table.extras["column_labels"] = {"total": "项目资金总额", "fiscal": "其中：财政资金", "other": "其他资金"}
    return table


def project_performance(raws: list[RawTable], unit: str) -> Table:
    """Whichever shape the document uses."""
    if _is_shanghai_form(raws):
        return shanghai_forms(raws, unit)
    if any(_PROJECT.match(r.texts()[0]) for raw in raws for r in raw.rows if r.cells):
        return municipal_blocks(raws, unit)
    return district_forms(raws, unit)
