"""A PDF's printed lines as the narrative reads them: page numbers dropped, and which line runs on
to the next line of its paragraph (from the lines' boxes: a line printed to the right margin)."""

from __future__ import annotations

import re

from budget_audit.loaders.model import Paragraph


_HEADING_START = re.compile(r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))")
_ENDS = tuple("。！？：")
_RUNS_ON = tuple("。，、；：）)%") + ("万元", "元")


_FOLIO = re.compile(r"^[\s\-—─–]*(?:第\s*)?\d{1,4}(?:\s*页)?[\s\-—─–]*$")


def printed_text(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A PDF's text lines without its page numbers ("27", "─ 8 ─"), which sit inside paragraphs
    that run on to the next page."""
    return [p for p in paragraphs if not _FOLIO.match(p.text)]


def _margins(wheres) -> dict:
    """The right margin of each page: its widest line; a page of a few lines (a cover, a title)
    takes the file's usual margin instead, so that its one line is not "full"."""
    import statistics

    widest: dict = {}
    for where in wheres:
        key = (where.file, where.page)
        count, right = widest.get(key, (0, 0.0))
        widest[key] = (count + 1, max(right, where.bbox[2]))
    usual = {}
    for (file, _), (count, right) in widest.items():
        if count >= 5:
            usual.setdefault(file, []).append(right)
    return {key: right if count >= 5 or not usual.get(key[0]) else statistics.median(usual[key[0]])
            for key, (count, right) in widest.items()}


def continuing(paragraphs: list[Paragraph], places: dict) -> frozenset[int]:
    """The PDF lines that run on to the next line of their paragraph: a line printed to the
    right margin of its page (the widest line there, within two characters) runs on unless the
    next one starts a heading; a line that stops short ends its paragraph, unless the next line
    starts with punctuation or a unit ("（项）" / "。", "…总计20323.21" / "万元"), or it is long and stops
    mid-sentence (the next word did not fit)."""
    boxes = {p.line: places[p.line] for p in paragraphs if p.line in places and places[p.line].bbox}
    margin = _margins(boxes.values())
    out = set()
    for paragraph, following in zip(paragraphs, paragraphs[1:]):
        here, there = boxes.get(paragraph.line), boxes.get(following.line)
        if here is None or there is None:
            continue
        text, nxt = paragraph.text.rstrip(), following.text.strip()
        if not text or not nxt or _HEADING_START.match(nxt):
            continue
        size = here.bbox[3] - here.bbox[1]
        full = here.bbox[2] >= margin[(here.file, here.page)] - 2 * size
        # a long line that stops mid-sentence wrapped early: the next word did not fit ("…比2024年" / "24,558.18万元")
        long = here.bbox[2] >= margin[(here.file, here.page)] - 6 * size and not text.endswith(_ENDS + ("；",))
        if nxt.startswith(_RUNS_ON) or long or (full and not (text.endswith(_ENDS) and here.page != there.page)):
            out.add(paragraph.line)
    return frozenset(out)
