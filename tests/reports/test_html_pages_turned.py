"""The HTML report's page image on a page printed sideways or upside down (issue #10 item 5, #12):
the reader turns such a page so that it reads left to right and gives its cells' boxes in that
reading orientation, so the picture must show the page turned the same way, outlines on the cells.

Real PDFs (人大 2017 p.16 turned six ways, tests/loaders/test_pdf_rotated.py), real loading and
real rendering with pypdfium2."""

from __future__ import annotations

import base64
import io

import pytest

from budget_audit.loaders.model import SourceLocation
from budget_audit.reports.formats.html_pages import MARGIN, OUTLINE, SCALE, PageImages
from tests.loaders.test_pdf_rotated import SOURCE, TURNS, one_page

pytestmark = pytest.mark.skipif(not SOURCE.exists(), reason="tests/data/pdf holds the corpus PDFs")

# How far the reader turns each variant (printing.py `_turn_of`, degrees anticlockwise)
TURNED = {
    "rotate 90": 90,
    "rotate 270": 270,
    "rotate 180": 180,
    "text drawn turned 90 on an upright page": 270,
    "text drawn turned 270 on an upright page": 90,
    "rotate 90 and text turned 270 (upside down)": 180,
}
# Mean absolute grey difference (0-255) allowed between a turned page's picture and the upright
# one's. Measured 0.000 (pixel-identical); the outlines alone make 1.5 (the same crop without
# them) and every wrong orientation 13-16, so 1.0 tells a right picture from any wrong one.
NEAR = 1.0
FAR = 10.0


def _picture(src: str):
    from PIL import Image

    assert src.startswith("data:image/png;base64,")
    return Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB")


def _difference(a, b) -> float:
    from PIL import ImageChops, ImageStat

    a, b = a.convert("L"), b.convert("L").resize(a.size)
    return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]


def _shown(path, name: str):
    """(sources, picture) of three cells of the table, on two rows and three columns (a region
    that no turn maps onto itself): 2010101's code and name, and the total four rows below."""
    from budget_audit.loaders import load

    path.write_bytes(one_page(15, **(TURNS[name][0] if name in TURNS else {})))
    doc = load(path)
    table = doc.tables["general_budget_expenditure"]
    row = table.data["code"].index("2010101")
    cells = [("code", row), ("name", row), ("total", row + 4)]
    sources = [doc.where(SourceLocation(line=table.cell_lines[c][r])) for c, r in cells]
    pages = PageImages(str(path))
    try:
        image = pages.image(sources)
    finally:
        pages.close()
    assert image is not None and image["page"] == 1 and image["boxes"] == 3
    return sources, _picture(image["src"])


def _region(width: float, height: float, boxes) -> tuple[float, float, float, float]:
    """(x0, top, x1, bottom) of the page shown around the boxes, as html_pages cuts it."""
    return (max(0.0, min(b[0] for b in boxes) - MARGIN), max(0.0, min(b[1] for b in boxes) - MARGIN),
            min(width, max(b[2] for b in boxes) + MARGIN), min(height, max(b[3] for b in boxes) + MARGIN))


def _plain(path, boxes, rotation: int = 0):
    """The region rendered straight with pypdfium2, turned clockwise by `rotation`, no outlines."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        page = pdf[0]
        width, height = page.get_size()
        if rotation in (90, 270):
            width, height = height, width
        x0, top, x1, bottom = _region(width, height, boxes)
        return page.render(scale=SCALE, rotation=rotation, crop=(x0, height - bottom, width - x1, top)).to_pil().convert("RGB")
    finally:
        pdf.close()


def _red(picture) -> tuple[int, int, int, int]:
    """Bounding box of the outline pixels."""
    from PIL import Image, ImageChops

    mask = ImageChops.difference(picture, Image.new("RGB", picture.size, OUTLINE)).convert("L").point(lambda v: 255 if v == 0 else 0)
    box = mask.getbbox()
    assert box, "no outline drawn"
    return box[0], box[1], box[2] - 1, box[3] - 1


@pytest.fixture(scope="module")
def upright(tmp_path_factory):
    path = tmp_path_factory.mktemp("upright") / "upright.pdf"
    sources, picture = _shown(path, "upright")
    return path, sources, picture


@pytest.mark.parametrize("name", sorted(TURNS))
def test_a_turned_page_shows_its_cells_as_the_upright_page_does(tmp_path, upright, name):
    _, sources, expected = upright
    path = tmp_path / "turned.pdf"
    turned, picture = _shown(path, name)
    assert [s.bbox for s in turned] == [s.bbox for s in sources]  # boxes in the reading orientation
    assert picture.size == expected.size
    assert _difference(expected, picture) < NEAR
    # The test can fail: the page in any other orientation (0 is what the report showed before)
    # is far from the upright picture.
    right = -TURNED[name] % 360
    assert _difference(expected, _plain(path, [s.bbox for s in turned], right)) < 2.0  # only the outlines missing
    for rotation in {0, 90, 180, 270} - {right}:
        assert _difference(expected, _plain(path, [s.bbox for s in turned], rotation)) > FAR, rotation


@pytest.mark.parametrize("name", ["upright", *sorted(TURNS)])
def test_the_outlines_are_at_the_cells(tmp_path, upright, name):
    sources, picture = _shown(tmp_path / "page.pdf", name)
    boxes = [s.bbox for s in sources]
    printed = _plain(upright[0], boxes)  # the cells as printed: the upright page rendered straight
    x0, top, _, _ = _region(595.3, 841.9, boxes)  # every variant reads as the A4 page printed upright
    # the union of the boxes, scaled, 2 px outside them (the outline's width)
    want = ((min(b[0] for b in boxes) - x0) * SCALE - 2, (min(b[1] for b in boxes) - top) * SCALE - 2,
            (max(b[2] for b in boxes) - x0) * SCALE + 2, (max(b[3] for b in boxes) - top) * SCALE + 2)
    got = _red(picture)
    assert all(abs(g - w) <= 2 for g, w in zip(got, want)), (got, want)
    # Each box outlined (red at its corners) around its printed cell: inside the outline the
    # picture is the cell as printed upright (measured 0.02-0.03, palette rounding; 7.8-25 for
    # the pictures turned pages got before, whose outlines sat where the boxes are, over other print).
    for b in boxes:
        for x, y in ((b[0], b[1]), (b[2], b[3])):
            px, py = round((x - x0) * SCALE), round((y - top) * SCALE)
            near = {picture.getpixel((px + dx, py + dy)) for dx in (-2, -1, 0, 1) for dy in (-2, -1, 0, 1)}
            assert OUTLINE in near, (b, x, y)
        inside = (round((b[0] - x0) * SCALE) + 4, round((b[1] - top) * SCALE) + 4,
                  round((b[2] - x0) * SCALE) - 4, round((b[3] - top) * SCALE) - 4)
        assert OUTLINE not in {c for _, c in picture.crop(inside).getcolors(1 << 16)}
        assert _difference(printed.crop(inside), picture.crop(inside)) < NEAR, b


def test_an_unturned_page_is_rendered_as_before(tmp_path, upright):
    """Upright pages, and a /Rotate 90 page whose content is drawn turned back (人大 2019 公开表:
    it shows upright, the reader does not turn it), are rendered as displayed, no turn added:
    byte for byte the picture the report gave before turned pages were handled."""
    import pypdfium2
    from PIL import ImageDraw

    def before(path, boxes) -> str:  # html_pages' rendering as it was (reports/formats/html_pages.py at 2ac3547)
        pdf = pypdfium2.PdfDocument(str(path))
        page = pdf[0]
        assert page.get_rotation() == (90 if path == turned_back else 0)
        width, height = page.get_size()
        x0, top, x1, bottom = _region(width, height, boxes)
        picture = page.render(scale=SCALE, crop=(x0, height - bottom, width - x1, top)).to_pil().convert("RGB")
        pdf.close()
        draw = ImageDraw.Draw(picture)
        for b in boxes:
            draw.rectangle([(b[0] - x0) * SCALE - 2, (b[1] - top) * SCALE - 2,
                            (b[2] - x0) * SCALE + 2, (b[3] - top) * SCALE + 2], outline=OUTLINE, width=2)
        buffer = io.BytesIO()
        picture.convert("P", palette=1, colors=64).save(buffer, format="PNG", optimize=True)
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")

    path, sources, _ = upright
    turned_back = SOURCE.parent / "js_renda_2019_budget_dept" / "江苏省人大常委会办公厅2019年部门预算公开表.pdf"
    # a cell box on the turned-back page as it reads (it shows upright: its displayed page)
    shown = [SourceLocation(page=1, bbox=(60.0, 150.0, 250.0, 175.0), file=turned_back.name)]
    for file, cells, folder in ((path, sources, path), (turned_back, shown, turned_back.parent)):
        pages = PageImages(str(folder))
        try:
            image = pages.image(cells)
        finally:
            pages.close()
        assert image is not None
        assert image["src"] == before(file, [s.bbox for s in cells])
        assert image["src"] != before(file, [(b[0] + 1, *b[1:]) for b in (s.bbox for s in cells)])  # the comparison sees a point
