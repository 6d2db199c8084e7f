"""Reading cache (placeholder until the content-keyed cache lands): reads every time."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def cached_pages(path: Path) -> list[list[dict[str, Any]]]:
    from budget_audit.loaders.pdf.source import read_pages

    return read_pages(path)
