"""The workbook reader refuses what cannot be a disclosure with one clear message; input untouched."""

from __future__ import annotations

import hashlib
import time
import zipfile

import pytest

from budget_audit.loaders import xlsx
from budget_audit.loaders.model import LoadError
from budget_audit.loaders.workbook import number_text


def _unchanged_error(path, match):
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(LoadError, match=match) as error:
        xlsx.load(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    return str(error.value)


def _book(path, rows):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "部门收支总表"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_formula_never_calculated_names_sheet_and_cell(tmp_path):
    path = _book(tmp_path / "f.xlsx", [["收入总计", 1.0, 2.0, "=B1+C1"]])  # openpyxl stores no value
    message = _unchanged_error(path, "no computed value")
    assert "部门收支总表!D1" in message and "=B1+C1" in message


def test_corrupt_and_not_a_workbook(tmp_path):
    good = _book(tmp_path / "g.xlsx", [["a", 1]])
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[:300])
    _unchanged_error(cut, "not an Excel workbook")
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    _unchanged_error(other, "without xl/workbook.xml")


def test_macros_refused_nothing_run(tmp_path):
    path = _book(tmp_path / "m.xlsm", [["a", 1]])
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 Sub Auto_Open()")
    _unchanged_error(path, "holds macros")


def test_encrypted_workbook(tmp_path):
    path = tmp_path / "e.xlsx"  # an encrypted OOXML file is an OLE container with this stream
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le"))
    _unchanged_error(path, "encrypted")


@pytest.mark.parametrize(("value", "fmt", "text"), [
    (91016775.35, "#,##0_ ", "91,016,775.35"),   # stored digits are never hidden by the format
    (46140000, "#,##0.00", "46,140,000.00"),
    (201, "General", "201"),                      # a code stays a code
    (867.5, "General", "867.5"),
    (0.1 + 0.2, "0.00", "0.30"),                  # float noise below 1 分 of 万元 dropped
])
def test_number_text(value, fmt, text):
    assert number_text(value, fmt) == text


def test_not_a_disclosure(tmp_path):
    path = _book(tmp_path / "sales.xlsx", [["客户", "订单数", "金额"], ["甲公司", 3, 1200.5], ["乙公司", 1, 300]])
    message = _unchanged_error(path, "no budget table could be recognised")
    assert str(path) in message


def _million_row_book(path):
    """A sheet of 1,000,000 filled rows, written as raw SpreadsheetML (openpyxl would take minutes)."""
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 1_000_001))
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><dimension ref="A1:A1000000"/><sheetData>{rows}</sheetData></worksheet>')
    ns = "http://schemas.openxmlformats.org"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", f'<?xml version="1.0"?><Types xmlns="{ns}/package/2006/content-types">'
                         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                         '<Default Extension="xml" ContentType="application/xml"/>'
                         '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                         'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
                         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        archive.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
                         f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
                         'Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
                         f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets><sheet name="部门收支总表" '
                         'sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/'
                         f'relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/'
                         'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def test_million_row_sheet_bounded(tmp_path):
    path = _million_row_book(tmp_path / "million.xlsx")
    start = time.perf_counter()
    message = _unchanged_error(path, "more than 65,536 rows")
    assert "部门收支总表" in message and time.perf_counter() - start < 30


def test_formula_that_computed_an_empty_text_is_calculated(tmp_path):
    """=IF(B1>5,B1,"") saved by Excel as <c t="str"><f>…</f><v></v></c>: a computed "", not a formula
    left uncalculated (openpyxl, which never calculates, saves the same cell without t="str")."""
    path = _book(tmp_path / "f.xlsx", [["收入总计", 1.0, '=IF(B1>5,B1,"")']])
    with zipfile.ZipFile(path) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = files["xl/worksheets/sheet1.xml"].decode()
    files["xl/worksheets/sheet1.xml"] = sheet.replace('<c r="C1">', '<c r="C1" t="str">').encode()
    assert files["xl/worksheets/sheet1.xml"] != sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    _unchanged_error(path, "no budget table could be recognised")  # read on: not refused at C1
