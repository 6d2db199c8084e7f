"""Coverage: every amount printed inside a table sits in exactly one cell of the Document.

The amounts are pdfplumber's own words (not the reader's cells), printed on the page (inside its
edges, doubled characters once), inside a table: the box of the rulings that print (white cell
backgrounds are no rulings). Table boxes come from the rulings, not from the reader's tables, so
a row cut at a page break (read from text lines) is checked too. A word is an amount when it
looks like money (thousands separators or decimals, or a lone 0), or when it is a bare whole
number that the print itself shows to be an amount (see _is_bare_amount: its column, or its row,
holds unmistakable amounts; codes sit in code columns and open their rows). Each must fall inside
exactly one amount cell of a standard table, whose text is that word: nothing dropped, nothing
read twice; and every amount cell with a number holds exactly its printed word (nothing read from
nowhere). Every development PDF, one- and two-file publications.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PDF = Path(__file__).parents[1] / "data" / "pdf"
NAMES = sorted(p.name for p in PDF.iterdir() if p.suffix == ".pdf" or p.is_dir())
MONEY = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|0)$")
SURE = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)$")  # money, never a code or a count
BARE = re.compile(r"^-?[1-9]\d*$")  # a whole number without separators; "05" (a 款/项 code) is none
NUMBER = re.compile(r"^-?\d[\d,]*(?:\.\d+)?$")
CODE_HEADER = re.compile(r"编码|代码|^[类款项]$")
# The bare whole numbers taken as amounts, by file and page: pins the rule (codes are never taken).
BARE_AMOUNTS = {
    "js_jianchayuan_2019_budget_dept.pdf": {(None, 20): ["80", "237", "237", "700"]},  # 三公 table, one row
    "sh_putuo_wanlijiedao_2025_budget_dept.pdf": {(None, 29): ["15"]},  # 三公 table, 购置费
}


def _inside(x: float, y: float, box) -> bool:
    return box[0] - 0.5 <= x <= box[2] + 0.5 and box[1] - 0.5 <= y <= box[3] + 0.5


def _centre(word) -> tuple[float, float]:
    return (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2


def _ruled(page):
    """The page's rulings that print (the edges of a white rect carry no fill: filter rects)."""
    from budget_audit.loaders.pdf.page import is_white_box

    return page.filter(lambda obj: not is_white_box(obj))


def _ruled_boxes(ruled) -> list[list[float]]:
    """Boxes of the printed rulings that touch each other (one per ruled table)."""
    boxes = [[e["x0"], e["top"], e["x1"], e["bottom"]] for e in ruled.edges]
    merged = True
    while merged:
        merged, out = False, []
        for b in boxes:
            for o in out:
                if b[0] <= o[2] + 2 and o[0] <= b[2] + 2 and b[1] <= o[3] + 2 and o[1] <= b[3] + 2:
                    o[:] = [min(o[0], b[0]), min(o[1], b[1]), max(o[2], b[2]), max(o[3], b[3])]
                    merged = True
                    break
            else:
                out.append(list(b))
        boxes = out
    return [b for b in boxes if b[2] - b[0] > 20 and b[3] - b[1] > 10]


def _column(word, words, verticals) -> list[dict]:
    """The other words of the word's printed column: between the vertical rulings on either side
    of it at its height, or (no ruling there) the words its x-range overlaps."""
    cx, cy = _centre(word)
    at = [e["x0"] for e in verticals if e["top"] - 1 <= cy <= e["bottom"] + 1]
    left, right = [x for x in at if x <= cx], [x for x in at if x > cx]
    if left and right:
        lo, hi = max(left), min(right)
        return [w for w in words if w is not word and lo < _centre(w)[0] < hi]
    return [w for w in words if w is not word and w["x0"] < word["x1"] and word["x0"] < w["x1"]]


def _is_bare_amount(word, words, verticals) -> bool:
    """A bare whole number ("80", "237": no separator, no decimals) is an amount when the print
    says so, else it may be a classification code ("302", "2040401", "05"). Codes sit in code
    columns: headed 编码 / 代码 / 类 / 款 / 项, or holding only whole numbers (a column of codes);
    and a code opens its row (code, name, then amounts). So the word is an amount when its column
    has no code header and either holds unmistakable amounts (decimals or thousands separators:
    never a code), or holds no other number while its row prints an unmistakable amount to its
    left (a one-row table such as 三公经费: 1276.7 | 418.26 | 80 | 237 ...). A lone code on a cut
    row (30312 | 提租补贴 | 1,018.01) has no amount to its left; a whole-number column with no
    decimals anywhere is not taken (it cannot be told from codes by its print)."""
    if not BARE.match(word["text"]):
        return False
    column = _column(word, words, verticals)
    if any(CODE_HEADER.search(w["text"]) for w in column):
        return False
    if any(SURE.match(w["text"]) for w in column):
        return True
    cy = _centre(word)[1]
    return not any(NUMBER.match(w["text"]) for w in column) and any(
        SURE.match(w["text"]) and abs(_centre(w)[1] - cy) < 2 and w["x1"] <= word["x0"] for w in words)


def _amount_words(words, verticals) -> list[dict]:
    """The words of one table box that are amounts: money-like, or bare whole numbers the print
    shows to be amounts (_is_bare_amount)."""
    return [w for w in words if MONEY.match(w["text"]) or _is_bare_amount(w, words, verticals)]


def _printed(file: Path):
    """{page: amount words inside table boxes}, as printed."""
    import pdfplumber

    from budget_audit.loaders.pdf.cache import cached_pages

    cached_pages(file)  # the reader's reading, shared with load()
    found = {}
    with pdfplumber.open(file) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            x0, top, x1, bottom = page.bbox
            printed = page.filter(lambda o: o.get("object_type") != "char" or (
                o["x0"] >= x0 - 1 and o["x1"] <= x1 + 1 and o["top"] >= top - 1 and o["bottom"] <= bottom + 1))
            printed = printed.dedupe_chars(tolerance=1)
            words = printed.extract_words(x_tolerance=1.5, y_tolerance=2)
            ruled = _ruled(page)
            verticals = [e for e in ruled.edges if e["orientation"] == "v"]
            found[number] = [w for box in _ruled_boxes(ruled)
                             for w in _amount_words([w for w in words if _inside(*_centre(w), box)], verticals)]
    return found


@pytest.fixture(scope="module")
def readings():
    """name -> (Document, {(file, page): amount words}); each PDF read once per module."""
    from budget_audit.loaders import load

    memo = {}

    def read(name):
        if name not in memo:
            path = PDF / name
            files = sorted(p for p in path.iterdir() if p.suffix == ".pdf") if path.is_dir() else [path]
            words = {(f.name if path.is_dir() else None, n): ws for f in files for n, ws in _printed(f).items()}
            memo[name] = (load(path), words)
        return memo[name]
    return read


def _amount_cells(document):
    """(table id, column, row, file, page, bbox, text) of every amount cell of every standard table."""
    for table in document.tables.values():
        for column in table.amount_columns:
            for row, line in enumerate(table.cell_lines[column]):
                place = document.places.get(line) if line else None
                yield (table.id, column, row, place and place.file, place and place.page, place and place.bbox,
                       table.text(row, column))


@pytest.mark.parametrize("name", NAMES)
def test_every_printed_amount_is_in_exactly_one_cell(name, readings):
    document, words = readings(name)
    cells = [c for c in _amount_cells(document) if c[5] is not None]
    wrong, seen = [], 0
    for (file, page), found in words.items():
        for word in found:
            seen += 1
            holders = [c for c in cells if c[3] == file and c[4] == page and _inside(*_centre(word), c[5])]
            if len(holders) != 1 or "".join(holders[0][6].split()) != word["text"]:
                wrong.append((file, page, word["text"], [h[6] for h in holders]))
    assert seen > 100 and wrong == []


@pytest.mark.parametrize("name", NAMES)
def test_every_amount_cell_holds_its_printed_word(name, readings):
    document, words = readings(name)
    wrong, seen = [], 0
    for table, column, row, file, page, bbox, text in _amount_cells(document):
        if not NUMBER.match("".join(text.split())):  # blank or a label
            continue
        seen += 1
        inside = [w["text"] for w in words.get((file, page), []) if bbox and _inside(*_centre(w), bbox)]
        if inside != ["".join(text.split())]:
            wrong.append((table, column, row, file, page, text, inside))
    assert seen > 100 and wrong == []


@pytest.mark.parametrize("name", NAMES)
def test_bare_whole_numbers_taken_as_amounts(name, readings):
    """Exactly the pinned bare whole numbers are taken as amounts (none of the codes)."""
    _, words = readings(name)
    taken = {key: [w["text"] for w in found if BARE.match(w["text"])] for key, found in words.items()}
    assert {key: texts for key, texts in taken.items() if texts} == BARE_AMOUNTS.get(name, {})


def _w(text: str, x0: float, top: float, width: float = 20.0) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 8}


def _v(x: float, top: float = 0.0, bottom: float = 200.0) -> dict:
    return {"x0": x, "x1": x, "top": top, "bottom": bottom, "orientation": "v"}


@pytest.mark.parametrize("words, verticals, expected", [
    # a column with decimals: its whole numbers are amounts (rulings at 0 | 50 | 100 | 150)
    ([_w("合计", 60, 10), _w("12.50", 60, 30), _w("80", 60, 50)], [_v(0), _v(50), _v(100)], True),
    # ... unless headed as a code column
    ([_w("科目编码", 5, 10), _w("12.50", 5, 30), _w("302", 5, 50)], [_v(0), _v(50)], False),
    ([_w("款", 60, 10), _w("1.5", 5, 50), _w("80", 60, 50)], [_v(0), _v(50), _v(100)], False),
    # a column of whole numbers only is a column of codes, even with an amount left in the row
    ([_w("1.25", 5, 30), _w("201", 60, 30), _w("3.00", 5, 50), _w("20101", 60, 50)], [_v(0), _v(50), _v(100)], False),
    # one-row table: an unmistakable amount to its left in the row, no other number in its column
    ([_w("小计", 60, 10), _w("1276.7", 5, 50), _w("237", 60, 50)], [_v(0), _v(50), _v(100)], True),
    # a code opens its row: the amount is to its right
    ([_w("提租补贴", 60, 50), _w("1,018.01", 110, 50), _w("30312", 5, 50)], [_v(0), _v(50), _v(100), _v(150)], False),
    # the amount to the left is on another line
    ([_w("1276.7", 5, 30), _w("237", 60, 50)], [_v(0), _v(50), _v(100)], False),
    # no rulings: the column is the words the number's x-range overlaps
    ([_w("12.50", 62, 30), _w("80", 60, 50)], [], True),
    ([_w("12.50", 100, 30), _w("80", 60, 50)], [], False),
    # a leading zero is a 款/项 code, never an amount
    ([_w("12.50", 60, 30), _w("05", 60, 50)], [_v(0), _v(50), _v(100)], False),
])
def test_bare_amount_rule(words, verticals, expected):
    """The rule of _is_bare_amount on hand-made print: the last word is the bare number."""
    assert _is_bare_amount(words[-1], words, verticals) is expected
