"""The development PDF as the fixture builder reads it, with pdfplumber only (not budget-audit's
reader, so that the PDF/workbook parity test compares two independent readings): printed lines,
ruled tables, the pages of each section, and paragraphs rebuilt from wrapped lines."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber

_FORM_YEAR, _DOC_YEAR = "2026", "2025"  # the empty forms are 2026's, the published document 2025's


def clean(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def read_pages(pdf_path: Path) -> list[dict]:
    """Per page: its printed lines (text, x0, size, top) and its ruled tables (rows, top, bottom)."""
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            lines = [{"text": line["text"], "x0": line["x0"], "top": line["top"],
                      "size": round(max(c["size"] for c in line["chars"]))}
                     for line in page.extract_text_lines() if line["text"].strip()]
            tables = [{"rows": t.extract(), "top": t.bbox[1], "bottom": t.bbox[3]} for t in page.find_tables()]
            pages.append({"lines": lines, "tables": tables})
    return pages


def sections(pages: list[dict], titles: list[str]) -> dict[str, list[dict]]:
    """Sheet title -> the pages of its section: a page whose first line is a sheet's title
    (in the document's year) opens that section; other pages continue the one before."""
    found: dict[str, list[dict]] = {}
    current = None
    for page in pages:
        first = clean(page["lines"][0]["text"]) if page["lines"] else ""
        for title in titles:
            if first and _title_matches(title, first):
                current = title
                found[current] = []
                break
        if current is not None:
            found[current].append(page)
    return found


def _title_matches(form_title: str, printed: str) -> bool:
    wanted = clean(form_title).replace(_FORM_YEAR, _DOC_YEAR)
    wanted = re.sub(r"^XX(（[^）]*）)?", "", wanted)  # "XX（部门）主要职能": the body's name goes there
    return printed == wanted or (form_title.startswith("XX") and printed.endswith(wanted))


def paragraphs(lines: list[dict]) -> list[str]:
    """Printed lines -> paragraphs: a line at the left margin continues the one above."""
    if not lines:
        return []
    margin = min(line["x0"] for line in lines)
    out: list[str] = []
    for line in lines:
        if out and line["x0"] < margin + 6:
            out[-1] += line["text"].strip()
        else:
            out.append(line["text"].strip())
    return out
