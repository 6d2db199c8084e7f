"""The PDF reader: text-layer PDFs (Word, WPS, Excel exports) -> a Document.

`load(path)` reads one PDF, or a folder holding the two PDFs of one publication (the text 文件
and the tables 表格 / 公开表) as one document whose path is the folder; each cell's place names
its file and page. pdfplumber is imported only when a PDF is read.
"""

from __future__ import annotations

from pathlib import Path

from budget_audit.loaders.model import Document

SUFFIXES = (".pdf",)


def load(path: str | Path, files: list[Path] | None = None, use_cache: bool | None = None) -> Document:
    """Read a PDF (or the given files of one publication, `path` naming the document).

    `use_cache`: reuse the reading of an unchanged file (default: yes, unless the environment
    sets BUDGET_AUDIT_NO_CACHE=1); see cache.py.
    """
    from budget_audit.loaders.document import build_document
    from budget_audit.loaders.pdf.cache import cached_pages
    from budget_audit.loaders.pdf.reader import Numbering, file_label

    path = Path(path)
    files = files or [path]
    numbering = Numbering()
    for file in files:
        numbering.add_pages(cached_pages(file, use_cache), file_label(file, len(files) > 1))
    document = build_document(numbering.items, str(path), numbering.places)
    document.problems.extend(numbering.problems)
    return document
