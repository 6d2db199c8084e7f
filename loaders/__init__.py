"""Loaders: read a document into a Document of standard tables (see model.py).

Each input format has one reader module with a `load(path)` and its `SUFFIXES`; `load` below
dispatches on the suffix, and a folder holding the two PDFs of one publication is one document.
"""

from __future__ import annotations

import errno
import os
from importlib import import_module
from pathlib import Path

from budget_audit.loaders.model import Document, LoadError

# suffix -> reader module (imported only when a file of that type is read)
READERS = {".txt": "text", ".text": "text", ".tsv": "text", ".pdf": "pdf",
           ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".docx": "docx"}
SUFFIXES = tuple(READERS)


def load(path: str | Path, use_cache: bool | None = None) -> Document:
    """Load a document with the reader for its file type (a two-file PDF folder: see pdf).

    `use_cache`: PDF readings are reused from the user's cache unless False (or the
    environment sets BUDGET_AUDIT_NO_CACHE=1); see loaders/pdf/cache.py.
    """
    _refuse_broken_link(Path(path))
    if Path(path).is_dir():
        from budget_audit.loaders.discover import publication_files, readable_entries

        files = publication_files(Path(path))
        if files:
            return import_module("budget_audit.loaders.pdf").load(path, files, use_cache=use_cache)
        held = len(readable_entries(Path(path)))
        if held:  # a folder of documents is checked (check FOLDER), not read as one
            raise LoadError(str(path), f"folder holds {held} documents, not the two PDFs of one publication; "
                                       "name one file (check FOLDER checks each)")
        raise LoadError(str(path), f"folder holds no readable document ({', '.join(SUFFIXES)})")
    suffix = Path(path).suffix.lower()
    module = READERS.get(suffix) or ("text" if not suffix else None)
    if module is None:
        raise LoadError(str(path), f"unsupported file type {suffix!r}; readable: {', '.join(SUFFIXES)}")
    if module == "pdf":
        return import_module("budget_audit.loaders.pdf").load(path, use_cache=use_cache)
    return import_module(f"budget_audit.loaders.{module}").load(path)


def _refuse_broken_link(path: Path) -> None:
    """A link that loops or points nowhere is named as such, not as a missing file."""
    if not path.is_symlink():
        return
    try:
        path.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports a loop this way
        raise LoadError(str(path), "symbolic link loop") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LoadError(str(path), "symbolic link loop") from None
        raise LoadError(str(path), f"dangling symbolic link (to {os.readlink(path)})") from None
