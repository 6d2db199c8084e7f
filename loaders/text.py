"""Loader for plain-text exports of budget disclosures (.txt)."""

from __future__ import annotations

import re
from pathlib import Path

from budget_audit.loaders.decode import read_text
from budget_audit.loaders.document import build_document
from budget_audit.loaders.layout import read_items
from budget_audit.loaders.model import Document, gc_paused

SUFFIXES = (".txt", ".text", ".tsv")  # loaders/__init__ dispatches on these


def load(path: str | Path) -> Document:
    """Read one text export into a Document; LoadError when no table can be recognised."""
    path = str(path)
    text = read_text(path)
    return from_text(text, path)


def from_text(text: str, path: str = "<text>") -> Document:
    """Build a Document from already decoded text (line numbers are the positions)."""
    text, found = show_invisible(text)
    with gc_paused():  # one pause for reading and building: each resumed collection scans every new row
        document = build_document(read_items(text), path)
    document.problems.extend(found)
    return document


# Invisible format characters (Unicode category Cf: zero-width space, joiners, word joiner, soft
# hyphen, bidi marks, a BOM inside the text). Next to a digit one breaks an amount without showing:
# it is printed as 〈U+200B〉 so that the finding about that cell names it; elsewhere it is dropped.
_CF = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
       "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
       "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")  # Cf, Unicode 14
_INVISIBLE = re.compile(f"[{_CF}]")
_IN_AMOUNT = re.compile(f"(?<=[\\d,.])[{_CF}]+|[{_CF}]+(?=[\\d,.])")


def show_invisible(text: str) -> tuple[str, list[dict]]:
    """The text with invisible characters in amounts shown as 〈U+XXXX〉 and the others removed,
    and one reader problem (kind invisible_character, line, the shown text) per line touched."""
    spans = _invisible_lines(text)
    if not spans:
        return text, []
    pieces, found, last, number, counted = [], [], 0, 1, 0
    for start, end in spans:
        number += text.count("\n", counted, start)
        counted = start
        line = text[start:end]
        shown = _IN_AMOUNT.sub(lambda m: "".join(f"〈U+{ord(ch):04X}〉" for ch in m.group(0)), line)
        cleaned = _INVISIBLE.sub("", shown)
        pieces += (text[last:start], cleaned)
        last = end
        codes = sorted({f"U+{ord(ch):04X}" for ch in _INVISIBLE.findall(line)})
        found.append({"kind": "invisible_character", "line": number, "text": cleaned.strip(),
                      "characters": codes, "in_amount": shown != line})
    pieces.append(text[last:])
    return "".join(pieces), found


_CHUNK = 1 << 16
_BLANKS = ("\t", "\n", "\r", "\u3000")  # not printable, not Cf, and common in an export


def _invisible_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line (between newlines) that holds an invisible character, in order.

    A piece of text whose characters are all printable once its common blanks are spaces holds
    none (every Cf character is unprintable to str.isprintable): the regex, a tenth of the
    speed, reads only the pieces that fail that test.
    """
    spans: list[tuple[int, int]] = []
    size, end = len(text), -1
    for offset in range(0, size, _CHUNK):
        piece = text[offset:offset + _CHUNK]
        for blank in _BLANKS:
            piece = piece.replace(blank, " ")
        if piece.isprintable():
            continue
        for m in _INVISIBLE.finditer(text, offset, offset + _CHUNK):
            at = m.start()
            if at < end:  # on the line already found
                continue
            end = text.find("\n", at)
            end = size if end < 0 else end
            spans.append((text.rfind("\n", 0, at) + 1, end))
    return spans
