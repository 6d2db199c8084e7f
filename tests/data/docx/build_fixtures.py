"""Build the Word fixtures from documents' own content.

Run from the project root: `.venv/bin/python tests/data/docx/build_fixtures.py`.

sh_putuo_zhengfuban_2025_budget_dept.docx: the filled official workbook
(tests/data/xlsx/sh_putuo_zhengfuban_2025_budget_dept.xlsx, itself filled from the PDF) as the
Word document a department would print instead: sheet by sheet, each on its own page (a page
break between sheets); a narrative sheet's lines become paragraphs, a table sheet's title and
编制部门/单位 lines paragraphs, its table (from the first header row to the last row) one Word
table of the sheet's width with each cell's printed text and the sheet's cells merged down
merged in Word too (see merge_like_sheet), the notes under it paragraphs.

xicheng-zhengwu-2021-budget.docx from seed 001 (samples/…-budget.txt):
The narrative lines become Word paragraphs; the table rows become Word table rows, one Word
table per printed table (a new one at each 表X label row). A row with fewer cells than its
table is wide had its first cell merged wider (as headers.py reads the text export), so that
cell spans the missing columns (gridSpan). A cell of several lines holds one paragraph each.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime
from pathlib import Path

import docx

from budget_audit.loaders.decode import read_text
from budget_audit.loaders.layout import TextLine, read_items

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests" / "data" / "xlsx"))  # the shared package helpers

from office import reproducible  # noqa: E402

WORKBOOK = ROOT / "tests" / "data" / "xlsx" / "sh_putuo_zhengfuban_2025_budget_dept.xlsx"
SOURCE = ROOT / "samples" / "xicheng-zhengwu-2021-budget.txt"
TARGET = Path(__file__).with_name("xicheng-zhengwu-2021-budget.docx")
_NOTE = re.compile(r"^\s*(注|说明|备注)\s*[:：\d]")  # a note under a table: a paragraph, not a row
_LABEL = re.compile(r"^\s*表[一二三四五六七八九十]+(-\d+)?\s*[:：]")


def groups(items):
    """Paragraph texts and lists of rows (one list per Word table), in document order."""
    out, rows = [], None
    for item in items:
        if isinstance(item, TextLine):
            rows = None
            out.append(item.text)
            continue
        if rows is None or _LABEL.match(item.cells[0].text):
            rows = []
            out.append(rows)
        rows.append([c.text for c in item.cells])
    return out


def add_table(document, rows):
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for row, texts in zip(table.rows, rows):
        cells = list(row.cells)
        first = cells[0]
        if len(texts) < width:  # the first cell spans the columns the row lacks
            first = first.merge(cells[width - len(texts)])
        targets = [first] + cells[width - len(texts) + 1:]
        for cell, text in zip(targets, texts):
            lines = text.split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    return table


def build() -> None:
    document = docx.Document()
    previous_table = False
    for group in groups(read_items(read_text(str(SOURCE)))):
        if isinstance(group, str):
            document.add_paragraph(group)
            previous_table = False
            continue
        if previous_table:  # two Word tables need a paragraph between them
            document.add_paragraph("")
        add_table(document, group)
        previous_table = True
    document.core_properties.created = document.core_properties.modified = datetime(2021, 1, 1)  # reproducible
    document.save(TARGET)
    reproducible(TARGET)


def merge_like_sheet(table, merges, table_rows, across: bool = False) -> None:
    """Merge the Word cells the sheet merges down (机关运行经费预算数 over three header rows), and
    with `across` those it merges across columns too (gridSpan, a row's first cell too: 收入总表's
    项目 across four columns). The committed fixture merges down only; the Word reader reads a
    cell spanning columns as the grid columns it covers, so the file built with `across` reads as
    its workbook too (tests/loaders/test_docx.py::
    test_shanghai_docx_with_every_merge_reads_as_its_workbook builds and checks it)."""
    at = {sheet_row: index for index, sheet_row in enumerate(table_rows)}
    for min_row, min_col, max_row, max_col in merges:
        if not across and min_col != max_col:
            continue
        if min_row in at and max_row in at and (min_row, min_col) != (max_row, max_col):
            first = table.cell(at[min_row], min_col - 1)
            text = first.text
            merged = first.merge(table.cell(at[max_row], max_col - 1))
            merged.text = text  # python-docx joins the texts of the merged cells: keep the label's own


def build_from_workbook(source: Path = WORKBOOK, target: Path | None = None, across: bool = False) -> Path:
    from budget_audit.loaders import xlsx

    target = target or Path(__file__).with_name(source.with_suffix(".docx").name)
    document = docx.Document()
    for index, sheet in enumerate(xlsx._read(str(source), data_only=True)):
        if not sheet.cells:
            continue
        if index:
            document.add_page_break()
        rows: dict[int, dict[int, str]] = {}
        for (r, c), text in sheet.cells.items():
            rows.setdefault(r, {})[c] = text
        multi = [r for r, cells in rows.items() if len(cells) > 1]
        header = min((r for r in multi if r > 4), default=None)  # the table's first header row
        notes = {r for r, cells in rows.items() if len(cells) == 1 and _NOTE.match(next(iter(cells.values())))}
        last = max((r for r in rows if r not in notes), default=None) if multi else None
        width = max(c for _, c in sheet.cells)
        table_rows = [r for r in sorted(rows) if header is not None and header <= r <= last]
        for r in sorted(rows):
            if header is not None and r == header:
                table = add_table(document, [[rows[t].get(c, "") for c in range(1, width + 1)] for t in table_rows])
                merge_like_sheet(table, sheet.merges, table_rows, across)
                document.add_paragraph("")
            if r in table_rows:
                continue
            for text in ("\t".join(rows[r][c] for c in sorted(rows[r]))).split("\n"):
                document.add_paragraph(text)
    document.core_properties.created = document.core_properties.modified = datetime(2025, 1, 1)
    document.save(target)
    reproducible(target)
    return target


if __name__ == "__main__":
    build()
    build_from_workbook()
