"""Office packages for the fixtures: the .xls copy of a workbook (xlwt) and byte-reproducible
.xlsx/.docx packages (fixed zip times and modified date)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl


def to_xls(source: Path, target: Path) -> None:
    """The same workbook in the old binary form: values, number formats, merged ranges."""
    import xlwt

    book = openpyxl.load_workbook(source)
    out = xlwt.Workbook(encoding="utf-8")
    styles: dict[str, xlwt.XFStyle] = {}

    def style(number_format: str) -> xlwt.XFStyle:
        if number_format not in styles:
            styles[number_format] = xlwt.easyxf(num_format_str=number_format)
        return styles[number_format]

    for sheet in book.worksheets:
        target_sheet = out.add_sheet(sheet.title, cell_overwrite_ok=True)
        target_sheet.visibility = 0 if sheet.sheet_state == "visible" else 1
        merged = {(rng.min_row, rng.min_col): rng for rng in sheet.merged_cells.ranges}
        covered = {(r, c) for rng in sheet.merged_cells.ranges for r in range(rng.min_row, rng.max_row + 1)
                   for c in range(rng.min_col, rng.max_col + 1)}
        for row in sheet.iter_rows():
            for cell in row:
                at = (cell.row, cell.column)
                if at in merged:
                    rng = merged[at]
                    target_sheet.write_merge(rng.min_row - 1, rng.max_row - 1, rng.min_col - 1, rng.max_col - 1,
                                             cell.value, style(cell.number_format))
                elif at not in covered and cell.value is not None:
                    target_sheet.write(cell.row - 1, cell.column - 1, cell.value, style(cell.number_format))
    out.save(str(target))


def reproducible(path: Path, when: str = "2025-01-01T00:00:00Z") -> None:
    """Rewrite an Office package with fixed zip times and modified date: a rebuild is byte-identical."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + when.encode(), data)
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)
