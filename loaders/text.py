"""Loader for plain-text exports of budget disclosures (.txt)."""

from __future__ import annotations

from pathlib import Path

from budget_audit.loaders.decode import read_text
from budget_audit.loaders.document import build_document
from budget_audit.loaders.layout import read_items
from budget_audit.loaders.model import Document

SUFFIXES = (".txt", ".text", ".tsv")  # loaders/__init__ dispatches on these


def load(path: str | Path) -> Document:
    """Read one text export into a Document; LoadError when no table can be recognised."""
    path = str(path)
    text = read_text(path)
    return from_text(text, path)


def from_text(text: str, path: str = "<text>") -> Document:
    """Build a Document from already decoded text (line numbers are the positions)."""
    return build_document(read_items(text), path)
