"""PDF files -> the located row/text stream that `document.build_document` turns into a Document.

Every printed text line outside a table is one `TextLine`, every table cell one `RawCell`; each
gets the next position number, and `places[number]` says where it was printed (page, bbox in
PDF points from the page's top-left, and the file when a document is read from several).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from budget_audit.loaders.layout import RawCell, RawRow, TextLine
from budget_audit.loaders.model import SourceLocation

Item = RawRow | TextLine


class Numbering:
    """Hands out consecutive position numbers and records their places."""

    def __init__(self) -> None:
        self.places: dict[int, SourceLocation] = {}
        self.items: list[Item] = []

    def place(self, page: int, bbox, file: str | None) -> int:
        number = len(self.places) + 1
        self.places[number] = SourceLocation(page=page, bbox=tuple(bbox) if bbox else None, file=file)
        return number

    def add_pages(self, pages: list[list[dict[str, Any]]], file: str | None) -> None:
        """Append the blocks of one file's pages (page numbers 1-based)."""
        for page_number, blocks in enumerate(pages, 1):
            for block in blocks:
                self.items.append(self._item(block, page_number, file))

    def _item(self, block: dict[str, Any], page: int, file: str | None) -> Item:
        if block["kind"] == "row":
            cells = [RawCell("" if c is None else c[0], self.place(page, None if c is None else c[1], file))
                     for c in block["cells"]]
            return RawRow(cells, page=page)
        segments = block["segments"]
        if len(segments) == 1 or not any(_is_unit_note(text) for text, _ in segments):
            text = " ".join(text for text, _ in segments)
            return TextLine(text, self.place(page, _union([b for _, b in segments]), file), page=page)
        return RawRow([RawCell(text, self.place(page, box, file)) for text, box in segments], page=page)


def _is_unit_note(text: str) -> bool:
    return "单位" in text and len(text) <= 16


def _union(boxes) -> tuple[float, float, float, float]:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def file_label(path: Path, several: bool) -> str | None:
    """The `file` of a place: the file's name when a document is read from several files."""
    return path.name if several else None
