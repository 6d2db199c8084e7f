"""Coverage: every amount printed inside a table sits in exactly one cell of the Document.

The amounts are pdfplumber's own words (not the reader's cells) that look like money (thousands
separators or decimals, or a lone 0) and lie inside a table's box on the page; each must fall
inside exactly one amount cell of a standard table, whose text holds it: nothing dropped,
nothing read twice. Three PDFs, one per kind of print: Word-made Shanghai grid (whole 元,
合计 alone on p.18), Excel-made Jiangsu grid (white cell backgrounds, rows
cut at page breaks), a two-file publication.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PDF = Path(__file__).parents[1] / "data" / "pdf"
MONEY = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|0)$")


def _table_boxes(blocks) -> list[tuple[float, float, float, float]]:
    """The box of each run of grid rows on a page (the reader's tables)."""
    boxes, run = [], []
    for block in blocks + [{"kind": "line"}]:
        if block["kind"] == "row":
            run += [c[1] for c in block["cells"] if c is not None]
        elif run:
            boxes.append((min(b[0] for b in run), min(b[1] for b in run), max(b[2] for b in run), max(b[3] for b in run)))
            run = []
    return boxes


def _inside(x: float, y: float, box) -> bool:
    return box[0] - 0.5 <= x <= box[2] + 0.5 and box[1] - 0.5 <= y <= box[3] + 0.5


def _printed_amounts(path: Path):
    """(file, page, text, centre) of every money word inside a table box."""
    import pdfplumber

    from budget_audit.loaders.pdf.cache import cached_pages

    readings = cached_pages(path)
    with pdfplumber.open(path) as pdf:
        for number, (page, blocks) in enumerate(zip(pdf.pages, readings), 1):
            boxes = _table_boxes(blocks)
            if not boxes:
                continue
            for word in page.extract_words(x_tolerance=1.5, y_tolerance=2):
                centre = ((word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2)
                if MONEY.match(word["text"]) and any(_inside(*centre, box) for box in boxes):
                    yield number, word["text"], centre


def _amount_cells(document):
    """(file, page, bbox, text) of every amount cell of every standard table."""
    for table in document.tables.values():
        for column in table.amount_columns:
            for row, line in enumerate(table.cell_lines[column]):
                place = document.places.get(line) if line else None
                if place is not None and place.bbox is not None:
                    yield place.file, place.page, place.bbox, table.text(row, column)


@pytest.mark.parametrize("name", ["sh_putuo_wanlijiedao_2025_budget_dept.pdf", "js_fayuan_2018_budget_dept.pdf",
                                  "js_renda_2019_budget_dept"])
def test_every_printed_amount_is_in_exactly_one_cell(name):
    from test_pdf_reading import loaded  # one reading per PDF for the whole session

    path = PDF / name
    document = loaded(name)
    files = sorted(p for p in path.iterdir() if p.suffix == ".pdf") if path.is_dir() else [path]
    cells = list(_amount_cells(document))
    wrong, seen = [], 0
    for file in files:
        label = file.name if path.is_dir() else None
        for page, text, (x, y) in _printed_amounts(file):
            seen += 1
            holders = [c for c in cells if c[0] == label and c[1] == page and _inside(x, y, c[2])]
            if len(holders) != 1 or text not in holders[0][3]:
                wrong.append((label, page, text, [h[3] for h in holders]))
    assert seen > 100 and wrong == []
