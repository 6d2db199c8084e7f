"""Fill the official 上海市普陀区 2026 budget workbooks with a published 2025 disclosure.

Run from the project root: `.venv/bin/python tests/data/xlsx/build_fixtures.py [corpus folder]`.
The empty forms (../shared/corpus/xlsx, copied to tests/data/xlsx/templates/ so that a fresh
clone can rebuild) keep their sheets, sheet names, layout, styles and merged cells; only the
cells a preparer fills are written, with the figures and text that the development PDF of the
same template prints, read here with pdfplumber (not with budget-audit's reader, so that the
PDF/xlsx parity test compares two independent readings):

- each table sheet gets its PDF table's data rows (continuation pages joined, repeated headers
  and blank rows dropped) between the form's header and its 合计 / 收入总计 row, rows inserted
  when the table is longer than the form (merged ranges below move with them); the title and
  编制部门 line become the PDF's; a line printed under the table (注：…本表为空表) goes under it;
- amounts are numbers (computed values, so the workbook has cached values) formatted with the
  decimals the PDF prints (#,##0.00), codes as the form stores them (类 a number, 款/项 text);
- the unit workbook is also saved as .xls (the older binary form of the same official workbook,
  ../shared/corpus/xlsx/putuo_budget_template.xls) with xlwt: the same cells, number formats
  and merged ranges, so that the .xls and .xlsx readers can be compared on the same content;
- narrative sheets get their title and the body as paragraphs: a printed line that starts at
  the left margin continues the paragraph above it (the PDF wrapped it), an indented one opens
  a new paragraph. One paragraph per row from the form's body cell down, like the form's own
  编制说明 sheet.

Helpers beside it: pdf_source.py (the PDF's lines, tables, sections, paragraphs) and office.py
(the .xls copy, byte-reproducible packages). tests/data/docx/build_fixtures.py builds the .docx
of the same disclosure from the 部门 workbook: run this script first.
"""

from __future__ import annotations

import re
import shutil
import sys
from copy import copy
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the two helpers beside this script

from office import reproducible, to_xls  # noqa: E402
from pdf_source import clean as _clean, paragraphs, read_pages, sections  # noqa: E402
PDFS = HERE.parent / "pdf"
BUILDS = {  # fixture: (empty official form, development PDF of the same template)
    "sh_putuo_zhengfuban_2025_budget_dept.xlsx": ("putuo_2026_department_budget_template.xlsx",
                                                   "sh_putuo_zhengfuban_2025_budget_dept.pdf"),
    "sh_putuo_zhengfuban_2025_budget_unit.xlsx": ("putuo_2026_unit_budget_template.xlsx",
                                                   "sh_putuo_zhengfuban_2025_budget_unit.pdf"),
}
_AMOUNT = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$|^-?\d+\.\d+$")  # printed with a separator or point
_TOTAL = ("合计", "收入总计")
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")


# --- filling the form -----------------------------------------------------------------------

def _value(text: str | None):
    text = (text or "").strip()
    if not text:
        return None, None
    if _AMOUNT.match(text):
        number = Decimal(text.replace(",", ""))
        decimals = max(0, -number.as_tuple().exponent)
        value = int(number) if number == number.to_integral_value() else float(number)
        return value, "#,##0" + ("." + "0" * decimals if decimals else "") + "_ "
    return text, None


def _code(text: str | None, column: int):
    text = (text or "").strip()
    return int(text) if column == 1 and text.isdigit() else (text or None)


def _layout(sheet) -> tuple[int, int | None, int]:
    """(first data row, 合计 row or None, number of header rows) of a table form."""
    label = next(r for r in (3, 4) if str(sheet.cell(r, 1).value or "").startswith("编制"))
    start = None
    for r in range(label + 1, sheet.max_row + 1):
        value = sheet.cell(r, 1).value
        if isinstance(value, int) or (isinstance(value, str) and _ORDINAL.match(value.strip())):
            start = r
            break
    if start is None:  # 三公: the row under the header (the merged header cells end above it)
        start = 1 + max(rng.max_row for rng in sheet.merged_cells.ranges if label < rng.min_row < label + 4)
    total = next((r for r in range(start, sheet.max_row + 1) if _clean(str(sheet.cell(r, 1).value)) in _TOTAL), None)
    headers = sum(1 for r in range(label + 1, start)
                  if any(sheet.cell(r, c).value not in (None, "") for c in range(1, sheet.max_column + 1)))
    return start, total, headers


def _insert_rows(sheet, at: int, count: int, style_row: int) -> None:
    """openpyxl's insert_rows leaves merged ranges and styles behind: move and copy them."""
    moved = [rng for rng in sheet.merged_cells.ranges if rng.min_row >= at]
    for rng in moved:
        sheet.merged_cells.remove(rng)
    sheet.insert_rows(at, count)
    for rng in moved:
        rng.shift(row_shift=count)
        sheet.merged_cells.add(rng)
    for row in range(at, at + count):
        for column in range(1, sheet.max_column + 1):
            source = sheet.cell(style_row, column)
            if source.has_style:
                sheet.cell(row, column)._style = copy(source._style)


def fill_table(sheet, pages: list[dict]) -> None:
    start, total_row, header_rows = _layout(sheet)
    rows, total, notes, header = [], None, [], None
    for page in pages:
        for table in page["tables"]:
            body = table["rows"]
            if header is None:
                header, body = body[:header_rows], body[header_rows:]
            elif [_clean(c) for r in body[:header_rows] for c in r] == [_clean(c) for r in header for c in r]:
                body = body[header_rows:]  # a continuation page that repeats the header
            for row in body:
                if not any((c or "").strip() for c in row):
                    continue
                if (row[0] or "").strip() in _TOTAL:
                    total = row
                else:
                    rows.append(row)
        bottom = max((t["bottom"] for t in page["tables"]), default=None)
        notes += [line["text"].strip() for line in page["lines"] if bottom is not None and line["top"] > bottom]
    first = pages[0]["lines"]
    sheet["A2"] = first[0]["text"].strip()  # the title in the document's year
    department = next((line["text"] for line in first[:3] if line["text"].startswith(("编制部门", "编制单位"))), "")
    body_name = re.match(r"(编制(?:部门|单位)：\S*)", department)
    label_row = next(r for r in (3, 4) if str(sheet.cell(r, 1).value or "").startswith("编制"))
    if body_name:
        sheet.cell(label_row, 1).value = body_name.group(1)
    for r in range(start, total_row or start + 1):  # the form's example rows (205 教育支出, …)
        for column in range(1, sheet.max_column + 1):
            cell = sheet.cell(r, column)
            if not isinstance(cell, openpyxl.cell.cell.MergedCell):
                cell.value = None
    room = (total_row - start) if total_row else len(rows)
    if len(rows) > room:
        _insert_rows(sheet, total_row, len(rows) - room, start)
        total_row += len(rows) - room
    for offset, row in enumerate(rows):
        _write_row(sheet, start + offset, row)
    if total is not None:
        _write_row(sheet, total_row, total)
    below = (total_row or start + len(rows)) + 1
    for offset, note in enumerate(notes):
        sheet.cell(below + offset, 1).value = note


def _write_row(sheet, r: int, row: list[str | None]) -> None:
    for column, text in enumerate(row, 1):
        cell = sheet.cell(r, column)
        if isinstance(cell, openpyxl.cell.cell.MergedCell):
            continue
        value, number_format = _value(text)
        if number_format is None and isinstance(value, str) and (value.isdigit() or value in ("…",)):
            value = _code(value, column)
        cell.value = value
        if number_format:
            cell.number_format = number_format


def fill_narrative(sheet, pages: list[dict]) -> None:
    lines = [line for page in pages for line in page["lines"]]
    title, body = lines[0], lines[1:]
    sheet["A1"] = title["text"].strip()
    body_row = next((r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value), 3)
    for r in range(body_row, sheet.max_row + 1):
        cell = sheet.cell(r, 1)
        if not isinstance(cell, openpyxl.cell.cell.MergedCell):
            cell.value = None
    texts = paragraphs(body)
    merged = next((rng for rng in sheet.merged_cells.ranges if rng.min_row == body_row and rng.min_col == 1), None)
    if merged is not None:  # one merged body cell (职能, 名词解释, …): the paragraphs as its lines
        sheet.cell(body_row, 1).value = "\n".join(texts)
    else:
        for offset, text in enumerate(texts):
            sheet.cell(body_row + offset, 1).value = text


def fill_cover(sheet, pages: list[dict]) -> None:
    lines = [line["text"].strip() for line in pages[0]["lines"]]
    sheet["A3"], sheet["A9"] = lines[0], lines[1]


def fill_contents(sheet, pages: list[dict]) -> None:
    lines = [line["text"].strip() for page in pages for line in page["lines"]]
    for r in range(1, sheet.max_row + 1):
        sheet.cell(r, 1).value = None
    sheet["A1"] = lines[0]
    for offset, text in enumerate(lines[1:]):
        sheet.cell(4 + offset, 1).value = text


def _title(sheet) -> str:
    for ref in ("A2", "A1", "A3"):
        value = sheet[ref].value
        if isinstance(value, str) and value.strip() and not value.startswith("\n"):
            return value.strip()
    return sheet.title


def build(corpus: Path | None = None) -> list[Path]:
    built = []
    for target, (form, pdf) in BUILDS.items():
        template = HERE / "templates" / form
        if corpus is not None and (corpus / form).exists():
            template.parent.mkdir(exist_ok=True)
            shutil.copyfile(corpus / form, template)
        book = openpyxl.load_workbook(template)
        pages = read_pages(PDFS / pdf)
        titles = {sheet.title: _title(sheet) for sheet in book.worksheets}
        found = sections(pages, list(titles.values()))
        for index, sheet in enumerate(book.worksheets):
            section = found.get(titles[sheet.title])
            if index == 0:
                fill_cover(sheet, pages[:1])
            elif index == 1:
                fill_contents(sheet, pages[1:2])
            elif section is None:
                raise SystemExit(f"{pdf}: no pages for sheet {sheet.title!r} ({titles[sheet.title]})")
            elif any(page["tables"] for page in section):
                fill_table(sheet, section)
            else:
                fill_narrative(sheet, section)
        book.properties.created = book.properties.modified = datetime(2025, 1, 1)  # reproducible
        book.save(HERE / target)
        reproducible(HERE / target)
        built.append(HERE / target)
    if corpus is not None and (corpus / "putuo_budget_template.xls").exists():  # the official .xls form
        shutil.copyfile(corpus / "putuo_budget_template.xls", HERE / "templates" / "putuo_budget_template.xls")
    unit = HERE / "sh_putuo_zhengfuban_2025_budget_unit.xlsx"
    to_xls(unit, unit.with_suffix(".xls"))
    built.append(unit.with_suffix(".xls"))
    return built


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[3] / "shared" / "corpus" / "xlsx"):
        print(path)
