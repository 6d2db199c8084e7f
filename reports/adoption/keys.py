"""How a finding is recognised again in a later run: its rule, its document (relative to the folder
of the waiver or baseline file) and the figures it read as printed. Line numbers are left out, so
an inserted paragraph changes nothing; a changed figure makes it a different finding."""

from __future__ import annotations

import os
from pathlib import Path


def document_key(path: str, folder: Path) -> str:
    """The document's path relative to `folder` (POSIX), or absolute when it lies outside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(folder).as_posix()
    except ValueError:
        return absolute.as_posix()


def figures(finding) -> list[str | None]:
    """The printed values of the cells the finding read, in its own order (None: an empty cell)."""
    return [cell.value for cell in finding.cells]


def same_figures(a, b) -> bool:
    """The same figures, whatever their order (a multiset: every figure counts)."""
    def order(items):
        return sorted(("" if v is None else "\0" + str(v)) for v in items)

    return order(a) == order(b)


def is_adoption_finding(finding) -> bool:
    """ADO findings are about the waiver file itself: never waived, never baselined."""
    return finding.rule.startswith("ADO")
