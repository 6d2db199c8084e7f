"""Words -> printed lines -> segments (runs of words separated by wide gaps).

A printed line is the set of words whose vertical extents overlap most; a year set on its own
baseline ("2025" raised in a title) still overlaps its line. Inside a line a gap wider than
about two characters separates segments: the left and right halves of "编制部门：… 单位：元",
or the columns of a table printed without rulings.
"""

from __future__ import annotations

from typing import Any

Box = tuple[float, float, float, float]
Segment = tuple[str, Box]


def _overlap(a_top: float, a_bottom: float, b_top: float, b_bottom: float) -> float:
    return min(a_bottom, b_bottom) - max(a_top, b_top)


def group_lines(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words grouped into printed lines, top to bottom, each line left to right."""
    lines: list[list[dict[str, Any]]] = []
    bounds: list[list[float]] = []  # top, bottom of each open line
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        height = max(word["bottom"] - word["top"], 0.1)
        for index in range(len(lines) - 1, max(len(lines) - 4, -1), -1):
            top, bottom = bounds[index]
            if _overlap(top, bottom, word["top"], word["bottom"]) >= 0.5 * min(height, bottom - top):
                lines[index].append(word)
                bounds[index] = [min(top, word["top"]), max(bottom, word["bottom"])]
                break
        else:
            lines.append([word])
            bounds.append([word["top"], word["bottom"]])
    order = sorted(range(len(lines)), key=lambda i: bounds[i][0])
    return [sorted(lines[i], key=lambda w: w["x0"]) for i in order]


def _join(words: list[dict[str, Any]]) -> Segment:
    text = ""
    for prev, word in zip([None] + words[:-1], words):
        if prev is not None and _is_latin(prev["text"][-1]) and _is_latin(word["text"][0]):
            text += " "
        text += word["text"]
    box = (min(w["x0"] for w in words), min(w["top"] for w in words),
           max(w["x1"] for w in words), max(w["bottom"] for w in words))
    return text, box


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def segments(line: list[dict[str, Any]], gap_chars: float = 2.0) -> list[Segment]:
    """A line's runs of words; a gap wider than `gap_chars` character heights splits them."""
    runs: list[list[dict[str, Any]]] = [[line[0]]]
    for word in line[1:]:
        prev = runs[-1][-1]
        size = max(min(prev["bottom"] - prev["top"], word["bottom"] - word["top"]), 1.0)
        if word["x0"] - prev["x1"] > gap_chars * size:
            runs.append([word])
        else:
            runs[-1].append(word)
    return [_join(run) for run in runs]


def line_text(line: list[dict[str, Any]]) -> Segment:
    """The whole line as one text (letter-spaced words joined without blanks)."""
    return _join(line)
