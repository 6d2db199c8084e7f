"""Narrative messages name lines ("第79行", "Line 79"); in a PDF, workbook or Word document those
are position numbers, so the message names the page (and the file of a two-file publication)."""

from __future__ import annotations

import re

from budget_audit.loaders.model import Document

_ZH = re.compile(r"第(\d+(?:、\d+)*)行")
_EN = re.compile(r"\b([Ll])ines? (\d+(?:, \d+)*)")


def _where(document: Document, number: int, lang: str) -> str:
    place = document.places.get(number)
    if place is not None and place.sheet:  # a workbook cell
        return f"{place.sheet}!{place.ref}"
    if place is not None and place.page is None and place.ref:  # a Word paragraph or table cell
        return place.ref
    if place is None or place.page is None:
        return f"第{number}行" if lang == "zh" else f"line {number}"
    page = f"第{place.page}页" if lang == "zh" else f"page {place.page}"
    if place.file:
        return f"{place.file}{page}" if lang == "zh" else f"{place.file} {page}"
    return page


def _pages(document: Document, numbers: str, lang: str, separator: str) -> str:
    seen = dict.fromkeys(_where(document, int(n), lang) for n in numbers.split(separator))
    return ("、" if lang == "zh" else ", ").join(seen)


def located(message: dict[str, str], document: Document) -> dict[str, str]:
    """The message with each line number replaced by its page, when the document has places."""
    if not document.places:
        return message
    out = dict(message)
    if "zh" in out:
        out["zh"] = _ZH.sub(lambda m: _pages(document, m.group(1), "zh", "、"), out["zh"])
    if "en" in out:
        def english(m: re.Match) -> str:
            text = _pages(document, m.group(2), "en", ", ")
            return text[0].upper() + text[1:] if m.group(1) == "L" else text
        out["en"] = _EN.sub(english, out["en"])
    return out
