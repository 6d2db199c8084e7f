"""The PDF reader's cell text (page._text) is pdfplumber's extract_text() of the same characters.

_text computes extract_text(chars) directly for the common cell (one line of upright characters),
for speed. Here, for every table cell of every development PDF, the characters the reader gathers
for the cell (_cell_texts: the page as printed, its characters whose middle lies inside the cell's
box, in page order) give the same text both ways; the reader's stored cell text is that text too
(the boxes come from the cached reading, rounded to 0.01 pt: the check shows they still gather the
reader's characters). Synthetic cells cover the edges of the fast path.
"""

from __future__ import annotations

from bisect import bisect_left
from pathlib import Path

import pytest
from pdfplumber.utils import extract_text
from pdfplumber.utils.text import LIGATURES

from budget_audit.loaders.pdf.page import _in_cell, _text

PDF = Path(__file__).parents[1] / "data" / "pdf"
NAMES = sorted(p.name for p in PDF.iterdir() if p.suffix == ".pdf" or p.is_dir())


def _fast(chars) -> bool:
    """Whether _text computes the text itself (its condition: one line of upright characters)."""
    tops = [c["top"] for c in chars]
    return max(tops) - min(tops) < 2.9 and all(c["upright"] is True and c["text"] for c in chars)


def _cells(file: Path):
    """(page, reader's text, bbox, chars) of every table cell with characters, as the reader
    gathers them: the printed page's characters, by middle inside the box, in page order."""
    import pdfplumber

    from budget_audit.loaders.pdf.cache import cached_pages
    from budget_audit.loaders.pdf.printing import printable

    pages = cached_pages(file)
    with pdfplumber.open(file) as pdf:
        for number, (page, blocks) in enumerate(zip(pdf.pages, pages), 1):
            rows = [b for b in blocks if b["kind"] == "row"]
            if not rows:
                continue
            chars = printable(page)[0].chars
            mids = sorted(((c["top"] + c["bottom"]) / 2, i) for i, c in enumerate(chars))
            vs = [m[0] for m in mids]
            for row in rows:
                for cell in row["cells"]:
                    if cell is None:
                        continue
                    text, box = cell
                    near = mids[bisect_left(vs, box[1] - 1):bisect_left(vs, box[3] + 1)]
                    inside = [chars[i] for i in sorted(i for _, i in near) if _in_cell(chars[i], box)]
                    if inside:
                        yield number, text, box, inside


@pytest.mark.parametrize("name", NAMES)
def test_cell_text_is_pdfplumbers(name):
    path = PDF / name
    files = sorted(p for p in path.iterdir() if p.suffix == ".pdf") if path.is_dir() else [path]
    wrong, compared, fast = [], 0, 0
    for file in files:
        for page, stored, box, chars in _cells(file):
            compared += 1
            fast += _fast(chars)
            ours, theirs = _text(chars), extract_text(chars)
            if ours != theirs or theirs.strip() != stored:
                wrong.append((file.name, page, box, ours, theirs, stored))
    assert wrong == []
    # The fast path is what is under test: most cells take it.
    assert compared >= 50 and fast >= 0.8 * compared, (compared, fast)


def _char(text: str, x0: float, top: float = 100.0, width: float = 5.0, upright: bool = True) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 10, "doctop": top,
            "width": width, "height": 10, "upright": upright, "size": 10, "fontname": "F"}


def _word(text: str, x0: float, top: float = 100.0) -> list[dict]:
    return [_char(t, x0 + 5 * i, top) for i, t in enumerate(text)]


EDGES = {
    # a space character between two words ends the first
    "space char": (_word("12", 10) + [_char(" ", 20)] + _word("34", 25), "12 34", True),
    # a space char and a gap: still one space
    "space then gap": (_word("ab", 10) + [_char(" ", 20)] + _word("cd", 40), "ab cd", True),
    # a gap wider than 3 pt starts a new word; exactly 3 pt does not
    "gap 3.5 pt": (_word("12", 10) + _word("34", 23.5), "12 34", True),
    "gap 3.0 pt": (_word("12", 10) + _word("34", 23.0), "1234", True),
    # printed right to left in the content stream: sorted by x0 first
    "page order reversed": (list(reversed(_word("1234", 10))), "1234", True),
    # overlapping characters (kerning; a char printed over another at the same x0)
    "overlap": ([_char("1", 10), _char("2", 13), _char("3", 16)], "123", True),
    "same x0": ([_char("A", 10), _char("B", 10), _char("C", 15)], "ABC", True),
    # tops 2.8 pt apart: one line, the fast path; 3.0 pt: one line for pdfplumber, computed by it
    "tops 2.8 apart": ([_char("A", 10, 100.0), _char("B", 15, 102.8)], "AB", True),
    "tops 3.0 apart": ([_char("A", 10, 100.0), _char("B", 15, 103.0)], "AB", False),
    "tops 3.2 apart": ([_char("A", 10, 100.0), _char("B", 15, 103.2)], "A\nB", False),
    "two lines": (_word("12", 10, 100.0) + _word("34", 10, 112.0), "12\n34", False),
    # a non-upright character between upright ones: pdfplumber groups by uprightness in page order
    "non-upright": ([_char("A", 20), _char("B", 10, upright=False), _char("C", 30)], "A B C", False),
    # an empty text: pdfplumber (split_at_punctuation="") makes it an empty word of its own
    "empty text": ([_char("A", 10), _char("", 15), _char("B", 20)], "A  B", False),
    # a ligature glyph is expanded (pdfplumber's LIGATURES: "ﬁ" -> "fi")
    "ligature": ([_char("ﬁ", 10), _char("x", 15)], "fix", True),
}


@pytest.mark.parametrize("case", sorted(EDGES))
def test_edge_cells(case):
    chars, expected, fast = EDGES[case]
    assert _fast(chars) is fast
    assert _text(chars) == extract_text(chars) == expected


def test_ligature_case_is_one():
    assert LIGATURES.get("ﬁ") == "fi"  # else the ligature case tests nothing
