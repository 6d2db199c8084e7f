"""Every development PDF pinned: each standard table with its printed title, unit, row count,
total (the printed text of its total cell) and pages (tests/data/pdf/expected.yaml, checked
against the printed pages)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

PDF = Path(__file__).parents[1] / "data" / "pdf"
EXPECTED = yaml.safe_load((PDF / "expected.yaml").read_text("utf-8")) if (PDF / "expected.yaml").exists() else {}


def _total_cell(table) -> tuple[int, str] | None:
    """(row, column) of the table's total figure: the first amount of its 合计 / 总计 row."""
    if "is_total" in table.data:
        rows = [i for i, flag in enumerate(table.data["is_total"]) if flag]
    elif "item" in table.data:
        rows = [i for i, item in enumerate(table.data["item"]) if item in ("total", "grand_total")]
    else:
        rows = []
    for row in rows:
        for column in table.amount_columns:
            if table.data[column][row] is not None:
                return row, column
    return None


def summary(document) -> dict:
    """What is pinned per document: template, meta and per table title/unit/rows/total/pages."""
    tables = {}
    for table in document.tables.values():
        where = document.where(table.source)
        entry = {"title": table.title.replace("\n", ""), "unit": table.unit, "rows": table.rows,
                 "page": f"{where.file}:{where.page}" if where.file else where.page}
        found = _total_cell(table)
        if found:
            row, column = found
            place = document.where(table.location(row, column))
            entry["total"] = table.text(row, column)
            entry["total_page"] = place.page
        tables[table.id] = entry
    return {"template": document.template, "meta": dict(document.meta), "tables": tables}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_pdf_read_as_pinned(name):
    from test_pdf_reading import loaded  # one reading per PDF for the whole session

    assert summary(loaded(name)) == EXPECTED[name]


def test_every_development_pdf_is_pinned():
    names = {p.name for p in PDF.iterdir() if p.suffix == ".pdf" or p.is_dir()}
    assert names and names == set(EXPECTED)
