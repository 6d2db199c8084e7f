"""The printed page behind a PDF finding: the region of the page that holds the cells a check
read, rendered with pypdfium2 (a pdfplumber dependency) and embedded as a data: PNG, with each
cell outlined. Only pages that findings need are rendered, and the images per document are
bounded, so a report stays a file one can mail.

A page printed sideways or upside down is read turned so that its text runs left to right, and
its cells' boxes are in that reading orientation (loaders/pdf/printing.py); the page is rendered
turned the same way, so the picture shows the region read and the outlines sit on its cells.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

from budget_audit.loaders.model import SourceLocation

SCALE = 1.5          # pixels per PDF point (108 dpi): small print stays legible
MARGIN = 36.0        # points of page around the cells, so the auditor sees their row and header
MAX_IMAGES = 40      # per document; later findings show the cells as read only
OUTLINE = (220, 38, 38)


class PageImages:
    """Renders page regions of one document's PDF files, opening each file once."""

    def __init__(self, document_path: str):
        self.path = Path(document_path)
        self.count = 0
        self._files: dict[Path, Any] = {}
        self._plumbed: dict[Path, Any] = {}   # pdfplumber files, opened only to tell a page's turn
        self._turns: dict[tuple[Path, int], int] = {}

    def _file(self, file: str | None) -> Path:
        return self.path / file if file and self.path.is_dir() else Path(file) if file else self.path

    def _pdf(self, file: str | None) -> Any:
        path = self._file(file)
        if path not in self._files:
            import pypdfium2

            self._files[path] = pypdfium2.PdfDocument(str(path))
        return self._files[path]

    def _turn(self, file: str | None, number: int) -> int:
        """How far the reader turned this page so that it reads left to right (degrees
        anticlockwise, 0: upright), told from its characters exactly as the reader tells it."""
        path = self._file(file)
        if (path, number) not in self._turns:
            import pdfplumber

            from budget_audit.loaders.pdf.printing import _turn_of

            if path not in self._plumbed:
                self._plumbed[path] = pdfplumber.open(path)
            page = self._plumbed[path].pages[number - 1]
            try:
                self._turns[path, number] = _turn_of(page)
            finally:
                page.close()  # its parsed objects are not needed again
        return self._turns[path, number]

    def image(self, sources: list[SourceLocation]) -> dict[str, Any] | None:
        """{src, page, file, boxes} for the first page among `sources` that has boxes; None when
        no source has a page box, the bound is reached or the file cannot be rendered."""
        boxed = [s for s in sources if s.page and s.bbox]
        if not boxed or self.count >= MAX_IMAGES:
            return None
        first = boxed[0]
        on_page = [s for s in boxed if (s.page, s.file) == (first.page, first.file)]
        try:
            src = self._render(first.file, first.page, [s.bbox for s in on_page])
        except Exception:  # noqa: BLE001 - an unrenderable page loses its picture, not the report
            return None
        self.count += 1
        return {"src": src, "page": first.page, "file": first.file, "boxes": len(on_page)}

    def _render(self, file: str | None, number: int, boxes: list[tuple[float, float, float, float]]) -> str:
        from PIL import ImageDraw

        page = self._pdf(file)[number - 1]
        turn = self._turn(file, number)
        width, height = page.get_size()  # as displayed (PDFium applies /Rotate), as pdfplumber reads it
        if turn in (90, 270):
            width, height = height, width  # the reading page: boxes are in it
        x0 = max(0.0, min(b[0] for b in boxes) - MARGIN)
        top = max(0.0, min(b[1] for b in boxes) - MARGIN)
        x1 = min(width, max(b[2] for b in boxes) + MARGIN)
        bottom = min(height, max(b[3] for b in boxes) + MARGIN)
        # The reader turned the page `turn` degrees anticlockwise; PDFium's rotation is clockwise
        # and its crop = (left, bottom, right, top) points cut from each side applies after it.
        bitmap = page.render(scale=SCALE, rotation=-turn % 360, crop=(x0, height - bottom, width - x1, top))
        picture = bitmap.to_pil().convert("RGB")
        draw = ImageDraw.Draw(picture)
        for b in boxes:
            draw.rectangle([(b[0] - x0) * SCALE - 2, (b[1] - top) * SCALE - 2,
                            (b[2] - x0) * SCALE + 2, (b[3] - top) * SCALE + 2], outline=OUTLINE, width=2)
        buffer = io.BytesIO()
        picture.convert("P", palette=1, colors=64).save(buffer, format="PNG", optimize=True)  # 1 = ADAPTIVE
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")

    def close(self) -> None:
        """Release the PDF files."""
        for pdf in [*self._files.values(), *self._plumbed.values()]:
            pdf.close()
        self._files.clear()
        self._plumbed.clear()
