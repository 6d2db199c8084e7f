"""The printed page behind a PDF finding: the region of the page that holds the cells a check
read, rendered with pypdfium2 (a pdfplumber dependency) and embedded as a data: PNG, with each
cell outlined. Only pages that findings need are rendered, and the images per document are
bounded, so a report stays a file one can mail.
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

    def _pdf(self, file: str | None) -> Any:
        path = self.path / file if file and self.path.is_dir() else Path(file) if file else self.path
        if path not in self._files:
            import pypdfium2

            self._files[path] = pypdfium2.PdfDocument(str(path))
        return self._files[path]

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
        width, height = page.get_size()
        x0 = max(0.0, min(b[0] for b in boxes) - MARGIN)
        top = max(0.0, min(b[1] for b in boxes) - MARGIN)
        x1 = min(width, max(b[2] for b in boxes) + MARGIN)
        bottom = min(height, max(b[3] for b in boxes) + MARGIN)
        # crop = (left, bottom, right, top) points cut from each side of the page
        bitmap = page.render(scale=SCALE, crop=(x0, height - bottom, width - x1, top))
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
        for pdf in self._files.values():
            pdf.close()
        self._files.clear()
