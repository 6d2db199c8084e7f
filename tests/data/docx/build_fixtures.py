"""Build xicheng-zhengwu-2021-budget.docx from seed 001's own content (samples/…-budget.txt).

Run from the project root: `.venv/bin/python tests/data/docx/build_fixtures.py`.
The narrative lines become Word paragraphs; the table rows become Word table rows, one Word
table per printed table (a new one at each 表X label row). A row with fewer cells than its
table is wide had its first cell merged wider (as headers.py reads the text export), so that
cell spans the missing columns (gridSpan). A cell of several lines holds one paragraph each.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import docx

from budget_audit.loaders.decode import read_text
from budget_audit.loaders.layout import RawRow, TextLine, read_items

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "samples" / "xicheng-zhengwu-2021-budget.txt"
TARGET = Path(__file__).with_name("xicheng-zhengwu-2021-budget.docx")
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


if __name__ == "__main__":
    build()
