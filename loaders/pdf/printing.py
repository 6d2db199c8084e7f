"""What a page holds but does not print right: text outside the page, text printed twice.

A Word or WPS export can leave text beyond the page's edge (a paragraph pushed below the
bottom margin, a table placed under the page, a unit line past the right edge): it is in the
file but not on paper. Such characters are not read; each page's clipped text is reported
once (an auditor must know that a line does not print). Characters printed twice on the same
spot are read once; a line that is mostly doubled is reported.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

_TOLERANCE = 1.0


def _outside(char: dict[str, Any], bbox) -> bool:
    x0, top, x1, bottom = bbox
    return (char["x0"] < x0 - _TOLERANCE or char["x1"] > x1 + _TOLERANCE
            or char["top"] < top - _TOLERANCE or char["bottom"] > bottom + _TOLERANCE)


def _lines(chars: list[dict[str, Any]]) -> list[tuple[float, str, list[float]]]:
    """(top, text, bbox) of the printed lines these characters make, top to bottom."""
    return [(top, text, box) for top, text, box, _ in _lines_and_parts(chars)]


def _lines_and_parts(chars: list[dict[str, Any]]) -> list[tuple[float, str, list[float], list[str]]]:
    """(top, text, bbox, parts) of the printed lines, top to bottom; `parts` are the runs of the
    line that a gap wider than a character separates (the cells of a table row)."""
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for char in chars:
        rows[round(char["top"])].append(char)
    out = []
    for top in sorted(rows):
        row = sorted(rows[top], key=lambda c: c["x0"])
        text = "".join(c["text"] for c in row).strip()
        if text:
            box = [min(c["x0"] for c in row), min(c["top"] for c in row), max(c["x1"] for c in row), max(c["bottom"] for c in row)]
            parts, run = [], [row[0]]
            for before, char in zip(row, row[1:]):
                if char["x0"] - before["x1"] > max(before["x1"] - before["x0"], char["bottom"] - char["top"]):
                    parts.append(run)
                    run = []
                run.append(char)
            parts.append(run)
            texts = ["".join("".join(c["text"] for c in run).split()) for run in parts]
            out.append((top, text, [round(v, 2) for v in box], [t for t in texts if t]))
    return out


def _pages_beyond(chars: list[dict[str, Any]], bbox) -> tuple[int, int]:
    """How many page heights the characters reach above the top edge and below the bottom one."""
    x0, top, x1, bottom = bbox
    height = max(bottom - top, 1.0)
    above = max(0.0, top - min(c["top"] for c in chars))
    below = max(0.0, max(c["bottom"] for c in chars) - bottom)
    return -int(-above // height), -int(-below // height)


def printable(page) -> tuple[Any, list[dict[str, Any]]]:
    """(the page as printed: chars inside it, each once; problem blocks for what is not)."""
    problems: list[dict[str, Any]] = []
    chars = page.chars
    clipped = [c for c in chars if _outside(c, page.bbox) and c["text"].strip()]
    if clipped:
        lines = _lines_and_parts(clipped)
        more = f" (+{len(lines) - 1})" if len(lines) > 1 else ""
        above, below = _pages_beyond(clipped, page.bbox)
        problems.append({"kind": "problem", "problem": "clipped_line", "text": lines[0][1][:60] + more,
                         "bbox": lines[0][2], "lines": [text for _, text, _, _ in lines],
                         "parts": [parts for *_, parts in lines], "above": above, "below": below})
        bbox = page.bbox
        page = page.filter(lambda obj: obj.get("object_type") != "char" or not _outside(obj, bbox))
    keys = [(c["text"], round(c["x0"]), round(c["top"])) for c in page.chars]
    if len(set(keys)) < len(keys):
        counts: dict[tuple, int] = defaultdict(int)
        for key in keys:
            counts[key] += 1
        once = {key: c for c, key in zip(page.chars, keys) if counts[key] > 1 and c["text"].strip()}
        for _, text, box in _lines(list(once.values())):
            if len(text) >= 3:  # a doubled run of a line, not a stray glyph
                problems.append({"kind": "problem", "problem": "doubled_line", "text": text[:60], "bbox": box})
        page = page.dedupe_chars(tolerance=1)
    return page, problems
