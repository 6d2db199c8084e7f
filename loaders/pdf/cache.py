"""The reading cache: a re-run on an unchanged PDF reuses the previous reading.

Keyed by the file's content (SHA-256) and by the reader itself (its source and pdfplumber's
version), so a reading is never stale. Kept in the user's cache folder (platformdirs;
`BUDGET_AUDIT_CACHE_DIR` overrides it). Written to a temporary file and renamed into place,
so two runs sharing the folder never see half a file; an unreadable entry is read again.
Bypassed with `use_cache=False` or `BUDGET_AUDIT_NO_CACHE=1` (the CLI's --no-cache).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

Pages = list[list[dict[str, Any]]]
_READER_FILES = ("page.py", "lines.py", "printing.py", "source.py", "cache.py")


def cache_enabled(use_cache: bool | None = None) -> bool:
    """Whether to use the cache: the parameter when given, else not when BUDGET_AUDIT_NO_CACHE is set."""
    if use_cache is not None:
        return use_cache
    return os.environ.get("BUDGET_AUDIT_NO_CACHE", "").strip().lower() not in ("1", "true", "yes")


def cache_dir() -> Path:
    """Where readings are kept."""
    override = os.environ.get("BUDGET_AUDIT_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("budget-audit")) / "pdf"


@lru_cache(maxsize=1)
def _reader_version() -> str:
    from importlib.metadata import version  # not `import pdfplumber`: a cached reading needs none of it

    digest = hashlib.sha256(version("pdfplumber").encode())
    here = Path(__file__).parent
    for name in _READER_FILES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def _key(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return f"{digest.hexdigest()}-{_reader_version()}"


def _load(entry: Path) -> Pages | None:
    try:
        pages = json.loads(entry.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return pages if isinstance(pages, list) else None


def _store(entry: Path, pages: Pages) -> None:
    """Atomic write; a cache that cannot be written only costs the next run time."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(pages, handle, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, entry)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def cached_pages(path: Path, use_cache: bool | None = None) -> Pages:
    """The page blocks of a PDF (source.read_pages), from the cache when an entry exists."""
    from budget_audit.loaders.pdf.source import check_file, read_pages

    if not cache_enabled(use_cache):
        return read_pages(path)
    check_file(path)
    try:
        entry = cache_dir() / f"{_key(path)}.json"
    except OSError:  # unreadable: the reader says why
        return read_pages(path)
    pages = _load(entry) if entry.exists() else None
    if pages is None:
        pages = read_pages(path)  # LoadError: nothing is stored
        _store(entry, pages)
    return pages
