"""Pages printed sideways (issue #12 item 4): a landscape table on a page whose /Rotate turns it,
or whose text is drawn turned on an upright page, reads as the same table printed upright.

The test PDFs are real: page 16 of 人大 2017 (一般公共预算支出预算表) made the only page of the file
by an incremental update (a new page tree), then turned by /Rotate, by a turned content stream
(`cm`), or both."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SOURCE = Path(__file__).parents[1] / "data" / "pdf" / "js_renda_2017_budget_dept.pdf"
pytestmark = pytest.mark.skipif(not SOURCE.exists(), reason="tests/data/pdf holds the corpus PDFs")


def one_page(page_index: int, rotate: int = 0, turn_content: int = 0) -> bytes:
    """The corpus file with only this page, /Rotate set and/or its content drawn turned by
    `turn_content` degrees anticlockwise on a page of swapped size (appended objects, /Prev xref)."""
    data = SOURCE.read_bytes()
    kids = re.search(rb"/Kids\[([^\]]*)\]", data).group(1).split(b"R")
    number = int(kids[page_index].split()[0])
    body = re.search(rb"\n%d 0 obj\s*(<<.*?>>)\s*endobj" % number, data, re.S).group(1)
    size = int(re.findall(rb"/Size (\d+)", data)[-1])
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    x0, y0, x1, y1 = (float(v) for v in re.search(rb"/MediaBox\[([^\]]*)\]", body).group(1).split())
    width, height = x1 - x0, y1 - y0
    new = {2: b"<</Type/Pages/Count 1/Kids[ %d 0 R ]>>" % number}
    if rotate:
        body = body[:-2] + b"/Rotate %d >>" % rotate
    if turn_content:
        cm = {90: b"0 1 -1 0 %.2f 0 cm" % height, 270: b"0 -1 1 0 0 %.2f cm" % width}[turn_content]
        start, end, size = size, size + 1, size + 2
        new[start] = b"<</Length %d>>stream\nq %s\nendstream" % (len(cm) + 3, cm)
        new[end] = b"<</Length 2>>stream\nQ\nendstream"
        contents = re.search(rb"/Contents (\d+) 0 R", body).group(1)
        body = re.sub(rb"/Contents \d+ 0 R", b"/Contents[%d 0 R %s 0 R %d 0 R]" % (start, contents, end), body)
        body = re.sub(rb"/MediaBox\[[^\]]*\]", b"/MediaBox[0 0 %.2f %.2f]" % (height, width), body)
    new[number] = body
    out, offsets = bytearray(data if data.endswith(b"\n") else data + b"\n"), {}
    for num, obj in sorted(new.items()):
        offsets[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, obj)
    xref = len(out)
    out += b"xref\n" + b"".join(b"%d 1\n%010d 00000 n \n" % (num, offsets[num]) for num in sorted(offsets))
    out += b"trailer\n<</Size %d/Root 1 0 R/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (size, prev, xref)
    return bytes(out)


# (how the page is turned, what pdfplumber shows: the page's rotation, the first title char's upright flag)
TURNS = {
    "rotate 90": ({"rotate": 90}, 90),
    "rotate 270": ({"rotate": 270}, 270),
    "rotate 180": ({"rotate": 180}, 180),
    "text drawn turned 90 on an upright page": ({"turn_content": 90}, 0),
    "text drawn turned 270 on an upright page": ({"turn_content": 270}, 0),
    "rotate 90 and text turned 270 (upside down)": ({"rotate": 90, "turn_content": 270}, 90),
}


def _write(tmp_path, name: str, **how) -> Path:
    path = tmp_path / f"{name.replace(' ', '_')}.pdf"
    path.write_bytes(one_page(15, **how))
    return path


def _cells(blocks):
    """(kind, texts, boxes) of every block: what the rest of the reader gets."""
    out = []
    for block in blocks:
        items = block["cells"] if block["kind"] == "row" else block.get("segments", [])
        out.append((block["kind"], [c[0] if c else None for c in items], [c[1] if c else None for c in items]))
    return out


@pytest.fixture(scope="module")
def upright(tmp_path_factory):
    from budget_audit.loaders.pdf.source import read_pages

    path = _write(tmp_path_factory.mktemp("upright"), "upright")
    (blocks,) = read_pages(path)
    return path, blocks


@pytest.mark.parametrize("name", sorted(TURNS))
def test_a_turned_page_reads_as_the_upright_one(tmp_path, upright, name):
    import pdfplumber

    from budget_audit.loaders.pdf.source import read_pages

    how, rotation = TURNS[name]
    path = _write(tmp_path, name, **how)
    with pdfplumber.open(path) as pdf:  # the file is turned as meant: pdfplumber sees it sideways
        page = pdf.pages[0]
        assert page.rotation == rotation
        assert not page.extract_text().startswith("一般公共预算支出预算表")
    (blocks,) = read_pages(path)
    assert _cells(blocks) == _cells(upright[1])  # same texts, rows, cells, and boxes (in reading orientation)


@pytest.mark.parametrize("name", ["rotate 90", "text drawn turned 270 on an upright page"])
def test_a_turned_table_has_its_amounts_on_their_rows(tmp_path, upright, name):
    from budget_audit.loaders import load

    table = load(_write(tmp_path, name, **TURNS[name][0])).tables["general_budget_expenditure"]
    assert table.data == load(upright[0]).tables["general_budget_expenditure"].data
    row = table.data["code"].index("2010101")
    assert (table.data["name"][row], table.data["total"][row]) == ("行政运行", 4_545_940_000)  # 4,545.94万元 in 分


def test_a_rotated_page_whose_content_is_turned_back_is_left_as_it_is():
    """人大 2019 公开表: every page /Rotate 90 with its content drawn turned, so it shows upright."""
    import pdfplumber

    from budget_audit.loaders.pdf.printing import upright as turned

    path = SOURCE.parent / "js_renda_2019_budget_dept" / "江苏省人大常委会办公厅2019年部门预算公开表.pdf"
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert page.rotation == 90 and turned(page) is page
