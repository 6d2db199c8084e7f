"""Word documents (.docx) -> a Document; paragraphs and table cells located as P12 / T3R2C4.

python-docx reads the body in order (its XML parser resolves no entities and reaches no
network). A paragraph outside tables is a text line (one holding tabs between texts is a row of
those texts, as a tab-separated text export reads it: "编制部门：…<tab>单位：元"); each Word table
row is a row of the table's grid columns, as the workbook readers read a merged range and the
PDF reader a ruled grid: a cell spanning columns (gridSpan; the first cell of a row too) is
followed by blank cells covered from the left, a vertically merged continuation (w:vMerge) is
blank and covered from above across every column it spans, a legacy w:hMerge continuation is
covered from the left, grid columns a row leaves without cells (w:gridBefore / w:gridAfter) are
blanks of that row (located at `T<t>R<r>`), so every row keeps its columns
beside labels merged down (收入总表: 项目 across four columns over 功能分类科目编码 across three, 功能分类
科目名称 merged down beside 类 | 款 | 项) and a header label merged down is its column's own label.
Locations: `P<n>` counts the body's paragraphs outside tables (from 1, empty ones too),
`T<t>R<r>C<c>` the table, its row and the cell in that row, as a reader counts them in Word (the
blanks a cell covers from the left share its place). A document with page breaks (a break of type page, a
paragraph set to start a page, a section break) gives its items the page they start on, as
the paged formats do, so that the 说明 after the tables (Shanghai's 其他相关情况说明, on its own
page) is narrative again rather than a note of the table before it; a document without any
break has no pages (None), like a text export.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from budget_audit.loaders.document import build_document
from budget_audit.loaders.layout import RawCell, RawRow, TextLine
from budget_audit.loaders.model import Document, LoadError, SourceLocation

SUFFIXES = (".docx",)
MAX_ITEMS = 200_000  # paragraphs + cells: far beyond any disclosure, bounds the time on a hostile file
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def load(path: str | Path) -> Document:
    """Read one Word document; LoadError with the reason when it cannot be a disclosure."""
    path = str(path)
    body = _body(path)
    items, places = read_body(path, body)
    return build_document(items, path, places)


def _body(path: str):
    try:
        with open(path, "rb") as handle:
            if handle.read(8) == _OLE:
                raise LoadError(path, "an encrypted (password-protected) or old-format (.doc) Word file: "
                                      "remove the password or save it as .docx, and check the copy")
        with zipfile.ZipFile(path) as archive:
            names = {info.filename for info in archive.infolist()}
    except zipfile.BadZipFile:
        raise LoadError(path, "not a Word document (not a valid .docx zip container; corrupt or "
                              "another file type)") from None
    except OSError as exc:
        raise LoadError(path, f"cannot be read ({exc.strerror or exc})") from None
    if "word/document.xml" not in names:
        raise LoadError(path, "not a Word document (a zip file without word/document.xml)")
    import docx

    try:
        return docx.Document(path).element.body
    except Exception as exc:  # python-docx raises many types for a damaged package
        raise LoadError(path, f"not a readable Word document ({type(exc).__name__}: {exc})") from None


def read_body(path: str, body) -> tuple[list[RawRow | TextLine], dict[int, SourceLocation]]:
    """The located row/text stream of a document body, in reading order."""
    from docx.oxml.ns import qn

    items: list[RawRow | TextLine] = []
    places: dict[int, SourceLocation] = {}

    def place(where: str) -> int:
        if len(places) >= MAX_ITEMS:
            raise LoadError(path, f"more than {MAX_ITEMS:,} paragraphs and cells: too large to be a disclosure")
        places[len(places) + 1] = SourceLocation(ref=where)
        return len(places)

    paragraphs = tables = 0
    page = 1
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            paragraphs += 1
            page += _breaks_before(child)
            text = _text(child)
            parts = [part for part in text.strip().split("\t") if part.strip()]
            if len(parts) > 1:  # "编制部门：…<tab>单位：元": cells split by tabs, as in a text export
                items.append(RawRow([RawCell(part.strip(), place(f"P{paragraphs}")) for part in parts], page=page))
            elif text.strip():
                items.append(TextLine(text, place(f"P{paragraphs}"), page=page))
            page += _breaks_after(child)
        elif child.tag == qn("w:tbl"):
            tables += 1
            for r, tr in enumerate(child.iterchildren(qn("w:tr")), 1):
                cells = []
                for c, tc in enumerate(tr.iterchildren(qn("w:tc")), 1):
                    where = place(f"T{tables}R{r}C{c}")
                    text = "\n".join(_text(p) for p in tc.iterchildren(qn("w:p")))
                    # one cell per grid column, as a workbook's merged range: the grid columns a
                    # cell spans are blanks covered from the left (from above in a continuation),
                    # the first cell's too, so every row keeps the grid's columns
                    down = _continues(tc, "w:vMerge")
                    merged = "up" if down else "left" if _continues(tc, "w:hMerge") else None
                    cells.append(RawCell(text, where, merged=merged))
                    cells += [RawCell("", where, merged="up" if down else "left") for _ in range(_span(tc) - 1)]
                if cells:  # grid columns before the first cell or after the last (w:gridBefore/After)
                    # are blanks of the row, so that its cells stay in their columns
                    before, after = _skipped(tr, "w:gridBefore"), _skipped(tr, "w:gridAfter")
                    if before:
                        cells[:0] = [RawCell("", place(f"T{tables}R{r}")) for _ in range(before)]
                    if after:
                        cells += [RawCell("", place(f"T{tables}R{r}")) for _ in range(after)]
                    items.append(RawRow(cells, page=page))
    if page == 1:  # no page break anywhere: no pages, as in a text export
        for item in items:
            item.page = None
    return items, places


def _span(tc) -> int:
    """The grid columns a table cell spans (w:gridSpan, 1 without it)."""
    from docx.oxml.ns import qn

    props = tc.find(qn("w:tcPr"))
    return max(1, _count(props.find(qn("w:gridSpan")) if props is not None else None, 1))


def _skipped(tr, tag: str) -> int:
    """Grid columns a row leaves without a cell before its first or after its last (w:gridBefore
    / w:gridAfter in w:trPr, 0 without it)."""
    from docx.oxml.ns import qn

    props = tr.find(qn("w:trPr"))
    return _count(props.find(qn(tag)) if props is not None else None, 0)


def _count(element, default: int) -> int:
    """An element's w:val as a count of grid columns, at most 64 (bounds a hostile file)."""
    from docx.oxml.ns import qn

    try:
        return max(0, min(int(element.get(qn("w:val"), default)), 64)) if element is not None else default
    except ValueError:
        return default


def _continues(tc, tag: str) -> bool:
    """True for the continuation of a merged cell: w:vMerge (merged down) or the legacy w:hMerge
    (merged across, one w:tc per grid column) without val=restart."""
    from docx.oxml.ns import qn

    props = tc.find(qn("w:tcPr"))
    merge = props.find(qn(tag)) if props is not None else None
    return merge is not None and merge.get(qn("w:val"), "continue") != "restart"


def _breaks_before(paragraph) -> int:
    """1 when the paragraph is set to start on a new page (w:pageBreakBefore)."""
    from docx.oxml.ns import qn

    props = paragraph.find(qn("w:pPr"))
    flag = props.find(qn("w:pageBreakBefore")) if props is not None else None
    return int(flag is not None and flag.get(qn("w:val"), "1") not in ("0", "false"))


def _breaks_after(paragraph) -> int:
    """Page breaks inside the paragraph (w:br type=page) and a section break ending it."""
    from docx.oxml.ns import qn

    breaks = sum(1 for br in paragraph.iter(qn("w:br")) if br.get(qn("w:type")) == "page")
    props = paragraph.find(qn("w:pPr"))
    return breaks + int(props is not None and props.find(qn("w:sectPr")) is not None)


def _text(paragraph) -> str:
    """A paragraph's visible text (runs, tabs and breaks as python-docx reads them)."""
    from docx.text.paragraph import Paragraph

    return Paragraph(paragraph, None).text
