"""Open a PDF and read its pages into blocks, or say plainly why it cannot be read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from budget_audit.loaders.model import LoadError

MAX_BYTES = 200 * 1024 * 1024  # a published disclosure is a few MB
ENCRYPTED = "the PDF is encrypted (password protected); publish or check an unprotected copy"


def check_file(path: Path) -> None:
    if not path.exists():
        raise LoadError(str(path), "file not found")
    if path.is_dir():
        raise LoadError(str(path), "is a folder, not a document")
    size = path.stat().st_size
    if size == 0:
        raise LoadError(str(path), "file is empty")
    if size > MAX_BYTES:
        raise LoadError(str(path), f"file is {size // (1024 * 1024)} MiB; larger than {MAX_BYTES // (1024 * 1024)} MiB is refused")
    with path.open("rb") as handle:
        if not handle.read(1024).lstrip().startswith(b"%PDF"):
            raise LoadError(str(path), "not a PDF file (no %PDF header)")


def read_pages(path: Path) -> list[list[dict[str, Any]]]:
    """Every page's blocks (page.read_page); LoadError for encrypted, corrupt or scanned files."""
    check_file(path)
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    from budget_audit.loaders.pdf.page import read_page

    try:
        with pdfplumber.open(path) as pdf:
            pages = []
            for page in pdf.pages:
                pages.append(read_page(page))
                page.close()  # its parsed objects are not needed again: half the memory, less for the GC to walk
    except LoadError:
        raise
    except Exception as exc:  # pdfminer raises many types on a damaged file; pdfplumber wraps them
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(inner).lower() \
                or "encrypt" in type(inner).__name__.lower():
            raise LoadError(str(path), ENCRYPTED) from exc
        detail = f"{type(inner).__name__}: {str(inner)[:120]}" if str(inner) else type(inner).__name__
        raise LoadError(str(path), f"damaged or truncated PDF ({detail})") from exc
    _check_text_layer(path, pages)
    return pages


def _check_text_layer(path: Path, pages: list[list[dict[str, Any]]]) -> None:
    """A scanned PDF has pages without any text: name them (OCR is not done)."""
    empty = [n for n, blocks in enumerate(pages, 1) if not any(_has_text(b) for b in blocks)]
    if not pages:
        raise LoadError(str(path), "the PDF has no pages")
    if len(empty) == len(pages) or len(empty) * 2 > len(pages):
        raise LoadError(str(path), f"no text layer on page(s) {_ranges(empty)} of {len(pages)}: a scanned PDF "
                                   "(images of pages) cannot be read; OCR is not supported, publish the text PDF")


def _has_text(block: dict[str, Any]) -> bool:
    if block["kind"] == "problem":
        return False
    if block["kind"] == "line":
        return any(t.strip() for t, _ in block["segments"])
    return any(c and c[0].strip() for c in block["cells"])


def _ranges(numbers: list[int]) -> str:
    """'1-3, 7' for [1, 2, 3, 7]."""
    out, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            out.append(str(start) if start == n else f"{start}-{n}")
            start = None
    return ", ".join(out)
