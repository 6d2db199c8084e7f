"""Word documents (.docx) -> a Document; paragraphs and table cells located as P12 / T3R2C4.

python-docx parses the package (its XML parser resolves no entities and reaches no network);
the body is walked here, in order, for the text Word prints with every tracked change accepted:
inserted runs (w:ins, w:moveTo) in, deleted ones (w:del, w:moveFrom, w:delText) out, a row
deleted as a tracked change not read, a paragraph whose mark is deleted run on into the next;
the content of content controls (w:sdt) and custom XML around runs, paragraphs, cells and rows,
smart tags and hyperlinks in; a field's result in and its instruction out (python-docx's own
paragraph text reads only runs directly in a paragraph or a hyperlink: a figure typed as a
tracked insertion or in a template's content control read as blank, and a cell or row in one
was skipped, moving the cells after it). Hidden text (w:vanish, w:specVanish), which Word does
not print, is not read: set on the run, or by its character style, its paragraph's style (their
w:basedOn chains) or the document defaults, resolved once per style (_Hidden); a hidden digit in a
figure would otherwise be read as printed. A paragraph whose mark is hidden runs on into the next,
as one whose mark is deleted. w:webHidden (hidden in a web view only) is read. A symbol (w:sym)
is read as its character (_symbol), never dropped from between digits.

A paragraph outside tables is a text line (one holding tabs between texts is a row of those
texts, as a tab-separated text export reads it: "编制部门：…<tab>单位：元"); each Word table
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
blanks a cell covers from the left share its place; a tracked deletion is counted as Word shows
it with its markup, so the rows after a deleted row keep their numbers; paragraphs joined by a
deleted mark are at the first that prints text). A document with page breaks (a printed break
of type page, a paragraph set to start a page, a section break) gives its items the page they
start on, as the paged formats do, so that the 说明 after the tables (Shanghai's 其他相关情况说明, on its own
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
_UNREAD = object()  # read_body's styles when the caller has not read them
MAX_ITEMS = 200_000  # paragraphs + cells: far beyond any disclosure, bounds the time on a hostile file
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def load(path: str | Path) -> Document:
    """Read one Word document; LoadError with the reason when it cannot be a disclosure."""
    path = str(path)
    body, styles = _body(path)
    items, places = read_body(path, body, styles)
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
        document = docx.Document(path)
        return document.element.body, _styles_of(document)
    except Exception as exc:  # python-docx raises many types for a damaged package
        raise LoadError(path, f"not a readable Word document ({type(exc).__name__}: {exc})") from None


def _styles_of(document):
    """The document's w:styles element (styles.xml), None without a styles part (python-docx
    would make a default one: its template's styles are not the document's)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        return document.part.part_related_by(RT.STYLES).element
    except KeyError:
        return None


def read_body(path: str, body, styles=_UNREAD) -> tuple[list[RawRow | TextLine], dict[int, SourceLocation]]:
    """The located row/text stream of a document body, in reading order; `styles` the document's
    w:styles element (None: it has none), read from the file at `path` when not given."""
    if styles is _UNREAD:
        import docx

        styles = _styles_of(docx.Document(path))
    hidden = _Hidden.of(body, styles)
    items: list[RawRow | TextLine] = []
    places: dict[int, SourceLocation] = {}

    def place(where: str) -> int:
        if len(places) >= MAX_ITEMS:
            raise LoadError(path, f"more than {MAX_ITEMS:,} paragraphs and cells: too large to be a disclosure")
        places[len(places) + 1] = SourceLocation(ref=where)
        return len(places)

    paragraphs = tables = 0
    page = 1
    joined = None  # (text, paragraph, page) of paragraphs whose tracked-deleted mark joins them to the next

    def paragraph_item(text: str, number: int, at: int) -> None:
        parts = [part for part in text.strip().split("\t") if part.strip()]
        if len(parts) > 1:  # "编制部门：…<tab>单位：元": cells split by tabs, as in a text export
            items.append(RawRow([RawCell(part.strip(), place(f"P{number}")) for part in parts], page=at))
        elif text.strip():
            items.append(TextLine(text, place(f"P{number}"), page=at))

    for child in _blocks(body):
        if child.tag == _P:
            paragraphs += 1
            page += _breaks_before(child)
            text, breaks = _read(child, hidden)
            number, at = paragraphs, page
            if joined is not None:
                before, first, first_page = joined
                if before.strip():  # the joined text is located where its first printed part is
                    number, at = first, first_page
                text, joined = before + text, None
            page += breaks
            if _mark_deleted(child) or (hidden is not None and _mark_hidden(child, hidden)):
                joined = (text, number, at)
                continue
            paragraph_item(text, number, at)
            page += _section_ends(child)
        else:
            if joined is not None:  # a deleted mark before a table joins nothing: the paragraph stays
                paragraph_item(*joined)
                joined = None
            tables += 1
            for r, tr in enumerate(_within(child, _TR), 1):
                if _row_deleted(tr):  # a tracked deletion: not printed once accepted (its number stays, as shown)
                    continue
                cells = []
                for c, tc in enumerate(_within(tr, _TC), 1):
                    where = place(f"T{tables}R{r}C{c}")
                    text = _cell_text(tc, hidden)
                    # one cell per grid column, as a workbook's merged range: the grid columns a
                    # cell spans are blanks covered from the left (from above in a continuation),
                    # the first cell's too, so every row keeps the grid's columns
                    props = tc.find(_TCPR)  # once per cell: finding an element is the costly step
                    down = _continues(props, "w:vMerge")
                    merged = "up" if down else "left" if _continues(props, "w:hMerge") else None
                    cells.append(RawCell(text, where, merged=merged))
                    cells += [RawCell("", where, merged="up" if down else "left") for _ in range(_span(props) - 1)]
                if cells:  # grid columns before the first cell or after the last (w:gridBefore/After)
                    # are blanks of the row, so that its cells stay in their columns
                    before, after = _skipped(tr, "w:gridBefore"), _skipped(tr, "w:gridAfter")
                    if before:
                        cells[:0] = [RawCell("", place(f"T{tables}R{r}")) for _ in range(before)]
                    if after:
                        cells += [RawCell("", place(f"T{tables}R{r}")) for _ in range(after)]
                    items.append(RawRow(cells, page=page))
    if joined is not None:
        paragraph_item(*joined)
    if page == 1:  # no page break anywhere: no pages, as in a text export
        for item in items:
            item.page = None
    return items, places


def _span(props) -> int:
    """The grid columns a table cell spans (w:gridSpan in its w:tcPr `props`, 1 without it)."""
    return max(1, _count(props.find(_W + "gridSpan") if props is not None else None, 1))


def _skipped(tr, tag: str) -> int:
    """Grid columns a row leaves without a cell before its first or after its last (w:gridBefore
    / w:gridAfter in w:trPr, 0 without it)."""
    props = tr.find(_TRPR)
    return _count(props.find(_W + tag[2:]) if props is not None else None, 0)


def _count(element, default: int) -> int:
    """An element's w:val as a count of grid columns, at most 64 (bounds a hostile file)."""
    try:
        return max(0, min(int(element.get(_VAL, default)), 64)) if element is not None else default
    except ValueError:
        return default


def _continues(props, tag: str) -> bool:
    """True for the continuation of a merged cell (its w:tcPr `props`): w:vMerge (merged down) or
    the legacy w:hMerge (merged across, one w:tc per grid column) without val=restart."""
    merge = props.find(_W + tag[2:]) if props is not None else None
    return merge is not None and merge.get(_VAL, "continue") != "restart"


def _breaks_before(paragraph) -> int:
    """1 when the paragraph is set to start on a new page (w:pageBreakBefore)."""
    props = paragraph.find(_PPR)
    flag = props.find(_W + "pageBreakBefore") if props is not None else None
    return int(flag is not None and flag.get(_VAL, "1") not in ("0", "false"))


def _section_ends(paragraph) -> int:
    """1 when a section break ends the paragraph (w:sectPr in its w:pPr)."""
    props = paragraph.find(_PPR)
    return int(props is not None and props.find(_SECTPR) is not None)


# WordprocessingML names, spelled out so that reading needs no python-docx lookups per element
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R, _PPR, _RPR, _TRPR = (_W + n for n in ("p", "tbl", "tr", "tc", "r", "pPr", "rPr", "trPr"))
_T, _TAB, _PTAB, _BR, _CR, _HYPHEN = (_W + n for n in ("t", "tab", "ptab", "br", "cr", "noBreakHyphen"))
_DEL, _FLDCHAR, _SECTPR, _TCPR = _W + "del", _W + "fldChar", _W + "sectPr", _W + "tcPr"
_TYPE, _FLDCHARTYPE, _VAL = _W + "type", _W + "fldCharType", _W + "val"
_VANISH, _SPECVANISH, _SYM = _W + "vanish", _W + "specVanish", _W + "sym"
# containers of rows, cells and paragraphs that print their content: content controls and custom XML
_WRAPPERS = frozenset(_W + n for n in ("sdt", "sdtContent", "customXml"))
# containers of runs that print their content: tracked insertions and moves to, content controls,
# custom XML, smart tags, hyperlinks, simple fields (their runs are the result), bidi spans.
# Not entered: w:del / w:moveFrom (deleted: not printed), w:sdtPr and other properties.
_INLINE = _WRAPPERS | frozenset(_W + n for n in ("ins", "moveTo", "smartTag", "hyperlink", "fldSimple", "dir", "bdo"))


def _within(parent, tag: str):
    """`parent`'s children of `tag`, those inside content controls and custom XML too, in order."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _within(child, tag)


def _blocks(parent):
    """The paragraphs and tables of a body or cell, those inside block content controls and custom
    XML too (a template's 编制说明 or table in a w:sdt), in order."""
    for child in parent.iterchildren():
        if child.tag == _P or child.tag == _TBL:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _cell_text(tc, hidden) -> str:
    """A cell's paragraphs, one line each (a paragraph whose mark is a tracked deletion joins the
    next); a table nested in the cell one line per row, its cells' texts between tabs (a figure
    pasted as a one-cell table reads as itself, a wider nested table as text, never as blank)."""
    text = ""
    for block in _blocks(tc):
        if block.tag == _P:
            runs_on = _mark_deleted(block) or (hidden is not None and _mark_hidden(block, hidden))
            text += _read(block, hidden)[0] + ("" if runs_on else "\n")
        else:
            for tr in _within(block, _TR):
                if not _row_deleted(tr):
                    text += "\t".join(_cell_text(cell, hidden) for cell in _within(tr, _TC)) + "\n"
    return text[:-1] if text.endswith("\n") else text


def _mark_hidden(paragraph, hidden) -> bool:
    """True when the paragraph's mark is hidden: printed, its text runs on into the next
    paragraph's, as with a deleted mark (a section break's mark still ends its section)."""
    return hidden.mark(paragraph) and not _section_ends(paragraph)


def _mark_deleted(paragraph) -> bool:
    """True when the paragraph's mark is a tracked deletion (w:pPr/w:rPr/w:del): accepted, its
    text runs on into the next paragraph."""
    props = paragraph.find(_PPR)
    marks = props.find(_RPR) if props is not None else None
    return marks is not None and marks.find(_DEL) is not None


def _row_deleted(tr) -> bool:
    """True for a table row deleted as a tracked change (w:trPr/w:del)."""
    props = tr.find(_TRPR)
    return props is not None and props.find(_DEL) is not None


def _read(paragraph, hidden=None) -> tuple[str, int]:
    """A paragraph's printed text and its page breaks, with all tracked changes accepted:
    inserted runs in, deleted runs out (w:delText is never read), the content of content
    controls, custom XML, smart tags and hyperlinks in, a field's result in and its instruction
    (w:instrText, the runs between w:fldChar begin and separate) out; hidden runs (`hidden`, a
    _Hidden of the document; None when nothing in it is hidden) out. Runs, tabs and line breaks
    read as python-docx reads them (a tab "\t", a line break "\n", a page or column break ""),
    a symbol (w:sym) as its character (_symbol)."""
    out: list[str] = []
    fields: list[bool] = []  # open complex fields, innermost last: True once past its separator
    breaks = 0
    base = hidden.paragraph(paragraph) if hidden is not None else None

    hides = hidden.hides if hidden is not None else None

    def walk(node, base=base, hides=hides) -> None:  # bound once, not closure cells: cheaper per paragraph
        nonlocal breaks
        for child in node.iterchildren():
            tag = child.tag
            if tag == _R:
                if base is not None and hides(child, base):  # only where something is hidden
                    for item in child.iterchildren(_FLDCHAR):  # a hidden field's structure still counts
                        _field(item, fields)
                    continue
                for item in child.iterchildren():
                    kind = item.tag
                    if kind == _FLDCHAR:
                        _field(item, fields)
                    elif fields and not all(fields):
                        continue  # a field's instruction (or a field nested in one): not printed
                    elif kind == _T:
                        out.append(item.text or "")
                    elif kind == _TAB or kind == _PTAB:
                        out.append("\t")
                    elif kind == _BR:
                        what = item.get(_TYPE)
                        if what in (None, "textWrapping"):
                            out.append("\n")
                        elif what == "page":
                            breaks += 1
                    elif kind == _CR:
                        out.append("\n")
                    elif kind == _HYPHEN:
                        out.append("-")
                    elif kind == _SYM:
                        out.append(_symbol(item))
            elif tag in _INLINE:
                walk(child)

    walk(paragraph)
    return "".join(out), breaks


def _field(item, fields: list[bool]) -> None:
    """Follow a w:fldChar in the open complex fields (True once past its separator)."""
    what = item.get(_FLDCHARTYPE) or item.get(_TYPE)
    if what == "begin":
        fields.append(False)
    elif what == "separate" and fields:
        fields[-1] = True
    elif what == "end" and fields:
        fields.pop()


class _Hidden:
    """Which runs and paragraph marks of a document Word hides (w:vanish, w:specVanish: not
    printed; w:webHidden hides only in a web view and is read). ECMA-376 Part 1 17.3.2.41 and
    17.7: a run's direct w:vanish sets the state outright (w:val="0"/"false"/"off" shows it);
    without one the state comes from the style hierarchy, the document defaults
    (w:docDefaults/w:rPrDefault), then the paragraph's style (w:pStyle, else the default paragraph
    style), then the run's character style (w:rStyle, else the default character style). vanish
    is a toggle property (17.7.3): a level whose style is hidden flips the state, one that is not
    leaves it; within one style's w:basedOn chain the nearest style that sets it decides (the
    style inheritance of 17.7.2: a derived style can turn it off). specVanish hides wherever it is
    set. Styles are resolved once per style id; a document with no hidden markup anywhere gets
    no _Hidden (None), so its runs are read as before at no cost."""

    def __init__(self, styles, flags=()) -> None:
        """`styles` the w:styles element (or None), `flags` the body's w:vanish / w:specVanish."""
        self.styles: dict[tuple[str, str], object] = {}
        self.default: dict[str, str] = {}  # style type -> id of its w:default style
        vanish = spec = False
        if styles is not None:
            for style in styles.iterchildren(_W + "style"):
                kind, sid = style.get(_W + "type", "paragraph"), style.get(_W + "styleId")
                if sid is not None:
                    self.styles.setdefault((kind, sid), style)
                    if style.get(_W + "default") in ("1", "true", "on"):
                        self.default.setdefault(kind, sid)
            defaults = styles.find(_W + "docDefaults")
            props = defaults.find(_W + "rPrDefault") if defaults is not None else None
            props = props.find(_RPR) if props is not None else None
            if props is not None:
                vanish, spec = (_on(props.find(_VANISH)) is True), (_on(props.find(_SPECVANISH)) is True)
        self.base = (vanish, spec)
        self.resolved: dict[tuple[str, str | None], tuple[bool | None, bool]] = {}
        self.paragraphs: dict[str | None, tuple[bool, bool]] = {}
        self.runs: dict[tuple, tuple[bool, bool]] = {}
        # the run properties (w:rPr) and paragraph marks that set vanish directly, found once
        # in the body, so that a run or a mark needs no lookup of its own
        self.direct: dict[object, list[bool | None]] = {}
        self.marks: dict[object, list[bool | None]] = {}
        for flag in flags:
            props = flag.getparent()
            state = self.direct.setdefault(props, [None, None])
            state[flag.tag == _SPECVANISH] = _on(flag)
            owner = props.getparent()
            if props.tag == _RPR and owner is not None and owner.tag == _PPR:
                self.marks[owner.getparent()] = state
        # a style type matters only when one of its styles is hidden (most documents: none)
        self.characters, self.styled = (any(any(self.style(kind, sid)) for k, sid in self.styles if k == kind)
                                        for kind in ("character", "paragraph"))

    @classmethod
    def of(cls, body, styles) -> _Hidden | None:
        """The document's _Hidden, None when neither its body nor its styles hide anything."""
        marks = (_VANISH, _SPECVANISH)
        flags = list(body.iter(*marks))
        if not flags and (styles is None or next(styles.iter(*marks), None) is None):
            return None
        return cls(styles, flags)

    def style(self, kind: str, sid: str | None) -> tuple[bool | None, bool]:
        """(vanish, specVanish) a style of `kind` sets, its w:basedOn chain resolved (None: unset)."""
        key = (kind, sid)
        if key not in self.resolved:
            vanish, spec, seen = None, None, set()
            while sid is not None and sid not in seen and len(seen) < 64:  # a cycle or a hostile chain ends
                seen.add(sid)
                style = self.styles.get((kind, sid))
                if style is None:
                    break
                props = style.find(_RPR)
                if props is not None:
                    if vanish is None:
                        vanish = _on(props.find(_VANISH))
                    if spec is None:
                        spec = _on(props.find(_SPECVANISH))
                parent = style.find(_W + "basedOn")
                sid = parent.get(_VAL) if parent is not None else None
            self.resolved[key] = (vanish, bool(spec))
        return self.resolved[key]

    def paragraph(self, paragraph) -> tuple[bool, bool]:
        """(vanish, specVanish) of a run in `paragraph` without direct formatting or character style."""
        if not self.styled:
            return self.base
        props = paragraph.find(_PPR)
        named = props.find(_W + "pStyle") if props is not None else None
        sid = named.get(_VAL) if named is not None else self.default.get("paragraph")
        if sid not in self.paragraphs:
            vanish, spec = self.style("paragraph", sid)
            self.paragraphs[sid] = (self.base[0] ^ bool(vanish), self.base[1] or spec)
        return self.paragraphs[sid]

    def hides(self, run, base: tuple[bool, bool]) -> bool:
        """True when the w:r `run` in a paragraph of state `base` (self.paragraph) is hidden."""
        props = run.find(_RPR)
        return self.run(props, base) if props is not None else base[0] or base[1]

    def run(self, props, base: tuple[bool, bool]) -> bool:
        """True when a run with the w:rPr `props` in a paragraph of state `base` is hidden."""
        vanish, spec = base
        if self.characters:
            named = props.find(_W + "rStyle")
            key = (named.get(_VAL) if named is not None else self.default.get("character"), base)
            if key not in self.runs:
                style, style_spec = self.style("character", key[0])
                self.runs[key] = (vanish ^ bool(style), spec or style_spec)
            vanish, spec = self.runs[key]
        direct = self.direct.get(props)
        if direct is not None:
            vanish = vanish if direct[0] is None else direct[0]
            spec = spec if direct[1] is None else direct[1]
        return vanish or spec

    def mark(self, paragraph) -> bool:
        """True when the paragraph's mark is hidden (its text then runs on into the next)."""
        vanish, spec = self.paragraph(paragraph)
        direct = self.marks.get(paragraph)
        if direct is not None:
            vanish = vanish if direct[0] is None else direct[0]
            spec = spec if direct[1] is None else direct[1]
        return vanish or spec


def _on(flag) -> bool | None:
    """An on/off property's state (ST_OnOff: absent val is on), None when it is not set."""
    return None if flag is None else flag.get(_VAL, "true") not in ("0", "false", "off")


def _symbol(sym) -> str:
    """The character a w:sym prints. Word stores a symbol font's glyph as w:char in the private use
    area (F020-F0FF, or 20-FF): for the Symbol font it is mapped to Unicode by the font's own
    encoding (_SYMBOL_FONT: Greek letters, ×, ±, •, …); any other font's code (Wingdings, …) has no
    Unicode meaning and is kept as the private-use character itself, so a glyph never vanishes
    from between digits ("1" + a symbol + "000" is never read as 1000). An unreadable code is U+FFFD."""
    try:
        code = int(sym.get(_W + "char", ""), 16)
    except ValueError:
        return "\ufffd"
    font = (sym.get(_W + "font") or "").strip().lower()
    if font == "symbol" and (code >> 8) in (0, 0xF0) and (code & 0xFF) in _SYMBOL_FONT:
        return _SYMBOL_FONT[code & 0xFF]
    if code < 0x100 and font and font != "symbol":
        code += 0xF000  # a symbol font's glyph written without its private-use offset
    return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"


# The Symbol font's encoding (Adobe's Symbol encoding, the printable ASCII and common Latin-1 codes)
_SYMBOL_FONT = dict(zip(range(0x20, 0x7F), (
    " !∀#∃%&∋()∗+,−./0123456789:;<=>?"
    "≅ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ[∴]⊥_"
    "‾αβχδεφγηιϕκλμνοπθρστυϖωξψζ{|}∼")))
_SYMBOL_FONT.update({
    0xA0: "€", 0xA1: "ϒ", 0xA2: "′", 0xA3: "≤", 0xA4: "⁄", 0xA5: "∞", 0xA6: "ƒ", 0xA7: "♣", 0xA8: "♦",
    0xA9: "♥", 0xAA: "♠", 0xAB: "↔", 0xAC: "←", 0xAD: "↑", 0xAE: "→", 0xAF: "↓", 0xB0: "°", 0xB1: "±",
    0xB2: "″", 0xB3: "≥", 0xB4: "×", 0xB5: "∝", 0xB6: "∂", 0xB7: "•", 0xB8: "÷", 0xB9: "≠", 0xBA: "≡",
    0xBB: "≈", 0xBC: "…", 0xBF: "↵", 0xC5: "⊕", 0xC6: "∅", 0xC7: "∩", 0xC8: "∪", 0xD6: "√", 0xD7: "⋅",
    0xD8: "¬", 0xD9: "∧", 0xDA: "∨", 0xE0: "◊", 0xE5: "∑", 0xF2: "∫",
})
