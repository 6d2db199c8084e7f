"""Old binary Excel workbooks (.xls, BIFF8) -> a Document, every cell located as sheet + cell ref.

xlrd (the maintained .xls reader) gives each cell's cached value and its number format; the
sheets then go through the same workbook.py stream as .xlsx, so the same workbook saved in
either form reads the same. xlrd runs nothing; a workbook that holds macros is still refused,
as for .xlsm, so that the rule does not depend on the format. Size is bounded by the format
itself (65,536 rows) and by workbook.check_size. Hidden sheets are not read, as in .xlsx.
"""

from __future__ import annotations

from pathlib import Path

from budget_audit.loaders import workbook
from budget_audit.loaders.document import build_document
from budget_audit.loaders.model import Document, LoadError

SUFFIXES = (".xls",)
MAX_BYTES = 64 * 1024 * 1024  # a disclosure workbook is well under 1 MiB
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_VBA = "_VBA_PROJECT_CUR".encode("utf-16-le")  # the OLE storage that holds a workbook's macros


def load(path: str | Path) -> Document:
    """Read one .xls workbook; LoadError (file + reason) when it cannot be a disclosure."""
    path = str(path)
    data = _check_container(path)
    sheets = _read(path, data)
    items, places = workbook.to_items(sheets)
    return build_document(items, path, places, workbook.sheet_cells(sheets))


def _check_container(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise LoadError(path, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise LoadError(path, f"larger than {MAX_BYTES // 2**20} MiB: too large to be a disclosure workbook")
    if data[:4] == b"PK\x03\x04":
        raise LoadError(path, "an Excel .xlsx workbook saved under an .xls name: rename it to .xlsx")
    if data[:8] != _OLE:
        raise LoadError(path, "not an Excel workbook (not an .xls file; corrupt or another file type)")
    if _VBA in data:
        raise LoadError(path, "the workbook holds macros (_VBA_PROJECT_CUR); nothing was run. Save a copy "
                              "without macros (.xlsx) and check that")
    return data


def _read(path: str, data: bytes) -> list[workbook.Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True,
                                  logfile=_Silent())
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise LoadError(path, "the workbook is encrypted (password-protected): remove the password in "
                                  "Excel or WPS, save, and check the copy") from None
        raise LoadError(path, f"not a readable Excel workbook ({exc})") from None
    except Exception as exc:  # xlrd raises many types (IndexError, struct.error…) for a damaged file
        raise LoadError(path, f"not a readable Excel workbook (damaged or truncated .xls file: "
                              f"{type(exc).__name__})") from None
    try:
        sheets, cells = [], 0
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.visibility:  # hidden or very hidden: not printed, not published
                book.unload_sheet(index)
                continue
            read = _read_sheet(path, book, sheet, cells)
            cells += len(read.cells)
            sheets.append(read)
            book.unload_sheet(index)
        return sheets
    except LoadError:
        raise
    except Exception as exc:
        raise LoadError(path, f"a sheet could not be read ({type(exc).__name__}: {exc})") from None
    finally:
        book.release_resources()


def _read_sheet(path: str, book, sheet, cells_before: int) -> workbook.Sheet:
    import xlrd

    read = workbook.Sheet(sheet.name)
    workbook.check_size(path, sheet.name, sheet.nrows, cells_before)
    read.merges = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sheet.merged_cells]  # 0-based, end excl.
    for r in range(sheet.nrows):
        for c, cell in enumerate(sheet.row(r)):
            if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            if cell.ctype == xlrd.XL_CELL_ERROR:
                text = xlrd.error_text_from_code.get(cell.value, "#ERR")
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                text = "TRUE" if cell.value else "FALSE"
            elif cell.ctype == xlrd.XL_CELL_DATE:
                text = xlrd.xldate_as_datetime(cell.value, book.datemode).isoformat(sep=" ")
            elif cell.ctype == xlrd.XL_CELL_NUMBER:
                value = int(cell.value) if cell.value.is_integer() else cell.value
                text = workbook.number_text(value, _format(book, cell.xf_index))
            else:
                text = str(cell.value)
            if text.strip():
                read.cells[(r + 1, c + 1)] = text
        workbook.check_size(path, sheet.name, r + 1, cells_before + len(read.cells))
    return read


def _format(book, xf_index: int | None) -> str | None:
    if xf_index is None or xf_index >= len(book.xf_list):
        return None
    found = book.format_map.get(book.xf_list[xf_index].format_key)
    return found.format_str if found is not None else None


class _Silent:
    """xlrd writes warnings to a log file; a user sees only our one message."""

    def write(self, _text: str) -> None:
        pass
