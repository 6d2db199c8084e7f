"""PDF findings in the reports: the HTML excerpt shows the printed page region with the cells
outlined (a real PDF, rendered with pypdfium2, in a real browser); SARIF, GitHub and Markdown cite
the page, not a line."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import pytest

from budget_audit.reports.formats import get, html
from budget_audit.reports.formats.html_pages import MARGIN, SCALE
from budget_audit.reports.pipeline import check_paths

PDF = Path(__file__).resolve().parents[1] / "data" / "pdf" / "js_fayuan_2019_budget_dept.pdf"
IMAGE = re.compile(r'<img class="page-image" src="data:image/png;base64,([^"]+)"')


@pytest.fixture(scope="module")
def pdf_report():
    if not PDF.is_file():
        pytest.skip(f"{PDF} is not in the repository yet (the PDF reader's fixtures)")
    report = check_paths([str(PDF)])
    boxed = [f for f in report.documents[0].findings if any(c.source.page and c.source.bbox for c in f.cells)]
    assert boxed, "the PDF's findings cite page boxes"
    return report, boxed


def _red_box(png: bytes) -> tuple[int, int, int, int]:
    from PIL import Image

    picture = Image.open(io.BytesIO(png)).convert("RGB")
    red = [(x, y) for y in range(picture.height) for x in range(picture.width)
           if picture.getpixel((x, y)) == (220, 38, 38)]
    assert red, "no outline drawn"
    xs, ys = [p[0] for p in red], [p[1] for p in red]
    return min(xs), min(ys), max(xs), max(ys)


def test_each_pdf_excerpt_shows_its_page_region_with_the_cells_outlined(pdf_report):
    report, boxed = pdf_report
    page = html.render(report, "zh")
    images = IMAGE.findall(page)
    assert len(images) == len(boxed)
    first = next(c.source for c in boxed[0].cells if c.source.bbox)
    png = base64.b64decode(images[0])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) < 200_000
    x0, top, x1, bottom = _red_box(png)
    width, height = (first.bbox[2] - first.bbox[0]) * SCALE, (first.bbox[3] - first.bbox[1]) * SCALE
    assert abs((x1 - x0) - (width + 4)) <= 3 and abs((bottom - top) - (height + 4)) <= 3
    assert abs(x0 - (min(MARGIN, first.bbox[0]) * SCALE - 2)) <= 2
    assert f"原页面：第{first.page}页" in page
    assert f"Printed page: p. {first.page}" in html.render(report, "en")


def test_the_page_image_shows_in_a_real_browser(pdf_report, browser, tmp_path):
    from selenium.webdriver.common.by import By

    report, _ = pdf_report
    path = tmp_path / "pdf.html"
    path.write_text(html.render(report, "zh"), "utf-8")
    browser.get(path.as_uri())
    item = next(i for i in browser.find_elements(By.CSS_SELECTOR, "[data-finding]")
                if i.find_elements(By.CSS_SELECTOR, "img.page-image"))
    item.find_element(By.CSS_SELECTOR, "summary").click()
    img = item.find_element(By.CSS_SELECTOR, "img.page-image")
    assert img.is_displayed()
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img) > 50
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []  # CSP allows data: images


def test_ci_formats_cite_the_page(pdf_report, sarif_schema):
    import jsonschema

    report, boxed = pdf_report
    log = json.loads(get("sarif").render(report))
    jsonschema.validators.validator_for(sarif_schema)(sarif_schema).validate(log)
    source = next(c.source for c in boxed[0].cells if c.source.bbox)
    result = log["runs"][0]["results"][report.documents[0].findings.index(boxed[0])]
    location = result["locations"][0]
    assert "region" not in location["physicalLocation"]
    assert location["properties"]["page"] == source.page and len(location["properties"]["bbox"]) == 4
    assert f"::{'error' if boxed[0].severity == 'error' else 'warning'} " in get("github").render(report)
    assert f"第{source.page}页: " in get("github").render(report)
    assert f"第{source.page}页" in get("markdown").render(report)


@pytest.fixture(scope="module")
def sarif_schema():
    return json.loads((Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
