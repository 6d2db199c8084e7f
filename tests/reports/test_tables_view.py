"""`budget-audit tables`: every table with every figure in full, under its printed headers,
named by id or printed label, in the UI's language."""

from __future__ import annotations

import json
import re

import pytest

from budget_audit.loaders.model import Document, SourceLocation, Table
from budget_audit.reports import tables_view


@pytest.fixture(scope="module")
def center(documents):
    return documents["beijing-zhengwu-center-2026-budget.txt"]


def test_a_table_is_named_by_id_or_printed_label(center, documents):
    assert tables_view.resolve(center, "预算03表") == "expenditure_summary"
    assert tables_view.resolve(center, "EXPENDITURE_SUMMARY") == "expenditure_summary"
    assert tables_view.resolve(center, "支出总表") == "expenditure_summary"
    assert tables_view.resolve(documents["xicheng-zhengwu-2021-budget.txt"], "表三") == "expenditure_summary"
    assert tables_view.resolve(center, "预算99表") is None
    with pytest.raises(KeyError, match="预算99表"):
        tables_view.render(center, "预算99表", "rich")
    assert tables_view.render(center, "预算03表", "json") == tables_view.render(center, "expenditure_summary", "json")


def test_every_figure_is_shown_in_full_under_its_printed_header(center):
    text = tables_view.render(center, "预算03表", "rich")
    table = center.tables["expenditure_summary"]
    assert "…" not in text and "year" not in text and "?" not in text
    header = next(line for line in text.splitlines() if "科目编码" in line)
    for label in ("科目名称", "部门经济分类名称", "合计", "基本支出", "项目支出", "对附属单位补助支出", "行"):
        assert f" {label} " in header
    assert "is_total" not in text and "dept_econ_name" not in text
    for column in table.amount_columns:  # each printed figure, whole, on the row of its line
        for row in range(table.rows):
            printed = table.text(row, column).strip()
            if printed:
                line = next(ln for ln in text.splitlines() if ln.rstrip().endswith(f"│ {table.cell_lines[column][row]} │"))
                assert f" {printed} " in line, (printed, line)
    assert "4,076.438884" in text and "76.292400" in text


def test_the_listing_shows_every_table_with_its_cells(center):
    text = tables_view.render(center, None, "rich")
    assert text.splitlines()[0] == f"{center.path}：模板 beijing_municipal，单位 万元"
    for table in center.tables.values():
        assert f"{table.label} {table.title}（{table.id}）：单位 {table.unit}，{table.rows} 行，位置：行 {table.source.line}" \
            in text
    assert text.count("┃ 科目编码 ") >= 3 and "…" not in text
    assert "说明段落：0" in text


def test_english_headers(center):
    text = tables_view.render(center, "expenditure_summary", "rich", lang="en")
    assert "unit 万元, 28 rows, at line 47" in text
    header = next(line for line in text.splitlines() if " code " in line)
    assert " line " in header and "科目编码" not in text and "subsidies to subordinate units" in header
    listing = tables_view.render(center, None, "rich", lang="en")
    assert "│ label " in listing or "┃ label " in listing
    assert "narrative paragraphs: 0" in listing


def test_json_and_csv_keep_each_cells_line(center):
    data = json.loads(tables_view.render(center, "预算10表", "json"))
    assert data["tables"][0]["place"] == "3" and data["year"] is None
    rows = data["cells"]
    assert rows[-1]["total"] == {"value": "9715.698690", "text": "9,715.698690", "line": 136} or rows[-1]["total"]["line"]
    csv_text = tables_view.render(center, "procurement", "csv")
    assert csv_text.splitlines()[0].endswith("total,total_line")


def _pdf_like() -> Document:
    """A one-table document located like a PDF reader locates it: position numbers -> pages and boxes."""
    table = Table(id="procurement", title="政府采购预算明细表", label="表十", unit="元",
                  data={"name": ["货物", "合计"], "is_total": [False, True], "total": [12_345_600, 12_345_600]},
                  cell_ulps={"total": [0, 0]}, cell_lines={"name": [2, 4], "total": [3, 5]},
                  cell_texts={"name": ["货物", "合计"], "total": ["123,456.00", "123,456.00"]},
                  amount_columns=("total",), source=SourceLocation(line=1),
                  extras={"column_labels": {"total": "金额"}})
    places = {1: SourceLocation(page=7, bbox=(200.0, 60.0, 400.0, 74.0)),
              2: SourceLocation(page=7, bbox=(50.0, 120.0, 90.0, 132.0)),
              3: SourceLocation(page=7, bbox=(300.0, 120.4, 380.0, 132.2)),
              4: SourceLocation(page=8, bbox=(50.0, 40.0, 90.0, 52.0)),
              5: SourceLocation(page=8, bbox=(300.0, 40.0, 380.0, 52.0))}
    return Document(path="x.pdf", template=None, year=2024, unit="元", tables={"procurement": table}, places=places)


def test_pdf_cells_show_page_and_position():
    document = _pdf_like()
    text = tables_view.render(document, "表十", "rich")
    assert text.splitlines()[0] == "x.pdf：2024 年，单位 元"
    assert "位置：第7页" in text
    assert re.search(r"│ 货物 +│ +123,456.00 │ 第7页 y 120–132 +│", text), text
    assert re.search(r"│ 合计 +│ +123,456.00 │ 第8页 y 40–52 +│", text)
    cells = json.loads(tables_view.render(document, "procurement", "json"))["cells"]
    assert cells[0]["total"]["source"] == {"page": 7, "bbox": [300.0, 120.4, 380.0, 132.2]}
    assert cells[1]["total"]["place"] == "第8页"
    assert "total_place" in tables_view.render(document, "procurement", "csv").splitlines()[0]
