"""Excel workbooks (.xlsx, .xlsm) -> a Document, every cell located as sheet + cell ref.

openpyxl in read-only mode (rows streamed, a row and cell cap: bounded time on any sheet),
with defusedxml installed so that openpyxl's XML parsing cannot expand entities or reach
outside the file. Cached values are read (what Excel last computed); a formula saved without a
computed value is a LoadError naming its sheet!cell, never a blank read as zero. Hidden sheets
(helper lists, scratch work) are not read: they are not printed, so they are not published. Nothing in the
file is ever run: a workbook holding macros is refused before openpyxl opens it.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path

from budget_audit.loaders import workbook
from budget_audit.loaders.document import build_document
from budget_audit.loaders.model import Document, LoadError

SUFFIXES = (".xlsx", ".xlsm")
MAX_UNPACKED = 256 * 1024 * 1024  # bytes of XML a disclosure workbook could never need
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def load(path: str | Path) -> Document:
    """Read one workbook; LoadError (file + sheet!cell + reason) when it cannot be a disclosure."""
    path = str(path)
    _check_container(path)
    sheets = _read(path, data_only=True)
    if _has_formulas(path):
        for sheet, with_formulas in zip(sheets, _read(path, data_only=False)):
            sheet.formulas = with_formulas.formulas
            sheet.uncalculated = [at for at in sheet.formulas if at not in sheet.cells and at in sheet.empty]
        workbook.uncalculated(path, sheets)
    items, places = workbook.to_items(sheets)
    document = build_document(items, path, places, workbook.sheet_cells(sheets))
    workbook.mark_formulas(document, sheets)
    return document


def _check_container(path: str) -> None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
            if head == _OLE:
                handle.seek(0)
                if _ENCRYPTED in handle.read(8 * 1024 * 1024):
                    raise LoadError(path, "the workbook is encrypted (password-protected): remove the "
                                          "password in Excel or WPS, save, and check the copy")
                raise LoadError(path, "an old-format Excel (.xls) workbook saved under an .xlsx name: "
                                      "rename it to .xls")
        with zipfile.ZipFile(path) as archive:
            names = archive.infolist()
    except zipfile.BadZipFile:
        raise LoadError(path, "not an Excel workbook (not a valid .xlsx zip container; corrupt or "
                              "another file type)") from None
    except OSError as exc:
        raise LoadError(path, f"cannot be read ({exc.strerror or exc})") from None
    if any(info.filename.lower().endswith("vbaproject.bin") for info in names):
        raise LoadError(path, "the workbook holds macros (vbaProject.bin); nothing was run. Save a copy "
                              "as .xlsx (without macros) and check that")
    if sum(info.file_size for info in names) > MAX_UNPACKED:
        raise LoadError(path, f"unpacks to more than {MAX_UNPACKED // 2**20} MiB: too large to be a disclosure")
    if not any(info.filename == "xl/workbook.xml" for info in names):
        raise LoadError(path, "not an Excel workbook (a zip file without xl/workbook.xml)")


def _has_formulas(path: str) -> bool:
    """True when a sheet's XML holds a formula element (scanned in chunks, at C speed)."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not info.filename.startswith("xl/worksheets/") or not info.filename.endswith(".xml"):
                continue
            with archive.open(info) as stream:
                tail = b""
                while chunk := stream.read(1 << 20):
                    if _FORMULA.search(tail + chunk):
                        return True
                    tail = chunk[-8:]
    return False


def _merges(path: str, member: str | None) -> list[tuple[int, int, int, int]]:
    """A sheet's merged ranges (min_row, min_col, max_row, max_col), read from its XML: openpyxl's
    read-only mode does not keep them. Scanned in chunks, like the formula scan."""
    from openpyxl.utils.cell import range_boundaries

    if not member:
        return []
    found: list[tuple[int, int, int, int]] = []
    with zipfile.ZipFile(path) as archive:
        try:
            stream = archive.open(member.lstrip("/"))
        except KeyError:
            return []
        with stream:
            tail = b""
            while chunk := stream.read(1 << 20):
                text = tail + chunk
                cut = text.rfind(b"<")  # a tag split by the chunk boundary is read with the next chunk
                head, tail = (text[:cut], text[cut:]) if cut > 0 else (text, b"")
                for ref in _MERGE.findall(head):
                    min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
                    found.append((min_row, min_col, max_row, max_col))
            for ref in _MERGE.findall(tail):
                min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
                found.append((min_row, min_col, max_row, max_col))
    return found


def _read(path: str, data_only: bool) -> list[workbook.Sheet]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except LoadError:
        raise
    except Exception as exc:  # openpyxl raises many types for a damaged package
        raise LoadError(path, f"not a readable Excel workbook ({type(exc).__name__}: {exc})") from None
    try:
        sheets, cells = [], 0
        for sheet in book.worksheets:
            if not hasattr(sheet, "iter_rows"):  # a chart sheet holds no cells
                continue
            if getattr(sheet, "sheet_state", "visible") != "visible":  # not printed, not published
                continue
            read = _read_sheet(path, sheet, data_only, cells)
            if data_only:
                read.merges = _merges(path, getattr(sheet, "_worksheet_path", None))
            cells += len(read.cells)
            sheets.append(read)
        return sheets
    except LoadError:
        raise
    except Exception as exc:
        raise LoadError(path, f"a sheet could not be read ({type(exc).__name__}: {exc})") from None
    finally:
        book.close()


def _read_sheet(path: str, sheet, data_only: bool, cells_before: int) -> workbook.Sheet:
    read = workbook.Sheet(sheet.title)
    sheet.reset_dimensions()  # rows as long as their cells, not padded to a stale used range
    for number, row in enumerate(sheet.iter_rows(), 1):
        workbook.check_size(path, sheet.title, number, cells_before + len(read.cells))
        for column, cell in enumerate(row, 1):  # padding cells (EmptyCell) know no position
            value = cell.value
            if value is None:
                if getattr(cell, "data_type", None) != "str":  # t="str" with no text: a formula gave ""
                    read.empty.add((number, column))
                continue
            if not data_only and isinstance(value, str) and value.startswith("="):
                read.formulas[(number, column)] = value
            elif not data_only and hasattr(value, "text"):  # array / data-table formula objects
                read.formulas[(number, column)] = str(value.text)
            text = _text(value, cell.number_format)
            if text.strip():
                read.cells[(number, column)] = text
    if not data_only:
        read.empty.clear()
    return read


def _text(value, number_format: str | None) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return workbook.number_text(value, number_format)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)
