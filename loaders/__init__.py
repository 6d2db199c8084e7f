"""Loaders: read a document into a Document of standard tables (see model.py)."""

from __future__ import annotations

from pathlib import Path

from budget_audit.loaders.model import Document, LoadError
from budget_audit.loaders.text import SUFFIXES


def load(path: str | Path) -> Document:
    """Load a document with the loader for its file type."""
    suffix = Path(path).suffix.lower()
    if suffix in SUFFIXES or not suffix:
        from budget_audit.loaders import text

        return text.load(path)  # later formats (PDF, xlsx) get their own module and suffixes
    raise LoadError(str(path), f"unsupported file type {suffix!r}; readable: {', '.join(SUFFIXES)}")
