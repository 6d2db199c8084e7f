"""Inputs -> the documents to check, each once.

Files named are kept as given (a missing one is reported when loaded); a folder contributes its
readable files, sorted, except that a folder holding exactly the two PDFs of one publication
(the text 文件 and the tables 表格 / 公开表) is one document whose path is the folder. The same
document named twice (directly, through a folder, or through a link) is checked once. Symbolic
link loops and dangling links inside a folder are kept so that loading names each of them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable

_YEAR = re.compile(r"(?:19|20)\d{2}")


def _entries(folder: Path) -> list[Path]:
    """The folder's entries that are not hidden ([] when it cannot be listed)."""
    try:
        return [p for p in folder.iterdir() if not p.name.startswith(".")]
    except OSError:
        return []


def readable_entries(folder: Path) -> list[Path]:
    """The entries a reader exists for (by suffix)."""
    from budget_audit.loaders import SUFFIXES

    return [p for p in _entries(folder) if p.suffix.lower() in SUFFIXES]


def publication_files(folder: Path) -> list[Path] | None:
    """[text PDF, tables PDF] when the folder holds exactly the two PDFs of one publication."""
    entries = _entries(folder)
    readable = readable_entries(folder)
    pdfs = [p for p in readable if p.suffix.lower() == ".pdf" and p.is_file()]
    if len(pdfs) != 2 or len(readable) != 2 or any(p.is_dir() for p in entries):
        return None
    tables = [p for p in pdfs if "表" in p.stem]
    if len(tables) != 1:
        return None
    text = next(p for p in pdfs if p is not tables[0])
    years = {y for p in pdfs for y in _YEAR.findall(p.stem)}
    if len(years) > 1:  # two publications of different years side by side
        return None
    return [text, tables[0]]


def _folder_documents(folder: Path) -> list[str]:
    from budget_audit.loaders import SUFFIXES

    if publication_files(folder):
        return [str(folder)]
    found: list[str] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        here = Path(root)
        if here != folder and publication_files(here):
            found.append(str(here))
            dirs.clear()
            continue
        for name in sorted(files) + [d for d in dirs if (here / d).is_symlink()]:
            path = here / name
            if path.suffix.lower() in SUFFIXES or _is_broken_link(path):
                found.append(str(path))
    return sorted(found)


def _is_broken_link(path: Path) -> bool:
    """A dangling link or a link loop (named as an error rather than skipped)."""
    if not path.is_symlink():
        return False
    try:
        path.resolve(strict=True)
    except (OSError, RuntimeError):
        return True
    return False


def _identity(path: str) -> tuple:
    """What makes two names the same document: the real file (device + inode) when it exists."""
    try:
        st = os.stat(path)
        return ("inode", st.st_dev, st.st_ino)
    except OSError:
        return ("name", os.path.normpath(os.path.abspath(path)))


def discover(paths: Iterable[str]) -> list[str]:
    """The documents to check, in the order named, each once."""
    documents: list[str] = []
    seen: set[tuple] = set()
    for raw in paths:
        path = Path(raw)
        inside = _folder_documents(path) if path.is_dir() else []
        for document in inside or [raw]:
            key = _identity(document)
            if key not in seen:
                seen.add(key)
                documents.append(document)
    return documents
