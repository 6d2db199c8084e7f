"""What a page holds but does not print right: text outside the page, text printed twice.

A Word or WPS export can leave text beyond the page's edge (a paragraph pushed below the
bottom margin, a table placed under the page, a unit line past the right edge): it is in the
file but not on paper. Such characters are not read; each page's clipped text is reported
once (an auditor must know that a line does not print). Characters printed twice on the same
spot are read once; a line that is mostly doubled is reported.

A page printed sideways (a landscape table: the page's /Rotate, or text drawn turned on an
upright page) is read turned so that its text runs left to right: the same rows and cells as
the table printed upright. Boxes on such a page are in its reading orientation.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from pdfplumber.page import DerivedPage

_TOLERANCE = 1.0


def _direction(char: dict[str, Any]) -> int:
    """The way a character's baseline runs, as the clockwise turn of the page that prints it
    left to right: 0 upright, 90 (reading down the page), 180 (upside down), 270 (reading up)."""
    a, b = char["matrix"][:2]  # the baseline in PDF space (y up)
    if abs(a) >= abs(b):
        return 0 if a > 0 else 180
    return 90 if b < 0 else 270


def _turn_of(page) -> int:
    """How far the page is turned: the direction most of its characters run in (0: upright)."""
    found = Counter(_direction(c) for c in page.chars if c["text"].strip())
    if not found:
        return 0
    turn, count = found.most_common(1)[0]
    return turn if count * 2 > sum(found.values()) else 0


class TurnedPage(DerivedPage):
    """A page turned by `turn` degrees (anticlockwise) so that its text reads left to right:
    every object's position in the turned page, characters made upright."""

    def __init__(self, parent, turn: int):
        super().__init__(parent)
        self.turn = turn
        x0, top, x1, bottom = parent.bbox
        self._origin, self._size = (x0, top), (x1 - x0, bottom - top)
        width, height = self._size
        self.bbox = (0, 0, height, width) if turn in (90, 270) else (0, 0, width, height)
        self.mediabox = self.cropbox = self.bbox

    def _point(self, x: float, y: float) -> tuple[float, float]:
        """A point (x, top) of the parent page in the turned page."""
        (ox, oy), (width, height) = self._origin, self._size
        x, y = x - ox, y - oy
        if self.turn == 90:    # text read downwards: turn anticlockwise
            return y, width - x
        if self.turn == 270:   # text read upwards: turn clockwise
            return height - y, x
        return width - x, height - y

    def _vector(self, dx: float, dy: float) -> tuple[float, float]:
        """A direction in PDF space (y up) in the turned page."""
        if self.turn == 90:
            return -dy, dx
        if self.turn == 270:
            return dy, -dx
        return -dx, -dy

    def _object(self, obj: dict[str, Any]) -> dict[str, Any]:
        if "x0" not in obj or "top" not in obj:
            return obj
        out = dict(obj)
        corners = [self._point(x, y) for x in (obj["x0"], obj["x1"]) for y in (obj["top"], obj["bottom"])]
        out["x0"], out["x1"] = min(x for x, _ in corners), max(x for x, _ in corners)
        out["top"], out["bottom"] = min(y for _, y in corners), max(y for _, y in corners)
        out["width"], out["height"] = out["x1"] - out["x0"], out["bottom"] - out["top"]
        page_height = self.bbox[3]
        out["y0"], out["y1"] = page_height - out["bottom"], page_height - out["top"]
        if "doctop" in obj:
            out["doctop"] = out["top"] + (obj["doctop"] - obj["top"])
        if obj.get("pts"):
            out["pts"] = [self._point(x, y) for x, y in obj["pts"]]
        if obj.get("path"):
            out["path"] = [(step[0], *(self._point(*pt) for pt in step[1:])) for step in obj["path"]]
        if obj.get("object_type") == "char" and obj.get("matrix"):
            a, b, c, d, _, _ = obj["matrix"]
            (a, b), (c, d) = self._vector(a, b), self._vector(c, d)
            out["matrix"] = (a, b, c, d, out["x0"], out["y0"])
            out["upright"] = 0 < a * d and b * c <= 0  # as pdfminer tells it
        return out

    @property
    def objects(self) -> dict[str, list[dict[str, Any]]]:
        if not hasattr(self, "_objects"):
            self._objects = {kind: [self._object(o) for o in objs] for kind, objs in self.parent_page.objects.items()}
        return self._objects


def upright(page):
    """The page as it is read: turned when it prints its text sideways or upside down."""
    turn = _turn_of(page)
    return TurnedPage(page, turn) if turn else page


def _outside(char: dict[str, Any], bbox) -> bool:
    x0, top, x1, bottom = bbox
    return (char["x0"] < x0 - _TOLERANCE or char["x1"] > x1 + _TOLERANCE
            or char["top"] < top - _TOLERANCE or char["bottom"] > bottom + _TOLERANCE)


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
    page = upright(page)
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
        for _, text, box, _ in _lines_and_parts(list(once.values())):
            if len(text) >= 3:  # a doubled run of a line, not a stray glyph
                problems.append({"kind": "problem", "problem": "doubled_line", "text": text[:60], "bbox": box})
        page = page.dedupe_chars(tolerance=1)
    return page, problems
