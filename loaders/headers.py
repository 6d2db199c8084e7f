"""Header rows -> column ids, through the catalog's header labels.

Multi-level headers are read as a path per column (upper rows forward-filled across their
merged span), and the most specific "parent/child" key that the catalog knows wins.
"""

from __future__ import annotations

import re

from budget_audit.loaders.catalog import catalog, norm_label
from budget_audit.loaders.layout import PlainRow, RawRow, TabRow
from budget_audit.loaders.numbers import is_blank, parse_amount

NOTE_TEXTS = frozenset({"无", "本表无数据"})  # an empty table's note, as its only printed text
_CODE_START = re.compile(r"^\s*(?!(?:19|20)\d{2}\s*年)(\d{3,}|[A-Z]\d*)(\s|-|[\u4e00-\u9fff]|$)")  # a year is no code


def is_data_row(row: RawRow, unit: str) -> bool:
    """A row that holds figures, a classification code, or only a total label and figures."""
    totals = catalog()["total_labels"]
    labels = [c for c in row.non_blank() if parse_amount(c.text, unit) is None]
    if len(labels) < len(row.non_blank()):
        return True
    if len(labels) == 1 and norm_label(labels[0].text) in totals | NOTE_TEXTS:
        return True
    first = row.non_blank()
    return bool(first) and first[0] is row.cells[0] and bool(_CODE_START.match(first[0].text))


def split_header(rows: list[RawRow], unit: str) -> tuple[list[RawRow], list[RawRow]]:
    """(header rows, body rows); body rows that repeat the header are dropped."""
    header: list[RawRow] = []
    index = 0
    while index < len(rows) and not is_data_row(rows[index], unit):
        if rows[index].non_blank():
            header.append(rows[index])
        index += 1
    if not header:
        return header, rows[index:]
    repeats = repeat_test(header)
    return header, [r for r in rows[index:] if not repeats(r)]


_DIGITS = frozenset("0123456789")


def repeat_test(header: list[RawRow]):
    """A test whether a row prints one of the `header` rows again (the same texts, normalised).

    Its first text is tested first, and a first text that starts with an ASCII digit no header
    text starts with is no repeat without normalising it (NFKC keeps an ASCII digit as it is and
    composes it with nothing after it; blanks and quote marks are all norm_label removes): a
    body of a million code rows is not normalised cell by cell.
    """
    signatures = {tuple(norm_label(t) for t in h.texts()) for h in header}
    firsts = {s[0] for s in signatures if s}
    safe = _DIGITS - {f[:1] for f in firsts}  # leading characters of no repeat

    def repeats(row: RawRow) -> bool:
        if row.__class__ is PlainRow and not row.changed:  # read from offsets, its first cell not blank
            if row._text[row._start] in safe:
                return False
        elif isinstance(row, TabRow) and not row.changed:  # its first character, from the line
            text, start, end = row._text, row._start, row._end
            if (text[:1] if start is None else text[start:start + 1] if start < end else "") in safe:
                return False
        first = row.cell_text(0)
        if first is None:  # a row without cells
            return () in signatures
        if first[:1] in safe:
            return False
        if norm_label(first) not in firsts:
            return False
        return tuple(norm_label(t) for t in row.texts()) in signatures

    return repeats


def _aligned(header: list[RawRow], width: int) -> list[list[str]]:
    """Header texts padded to the body width; a short row had its first cell merged wider.

    Upper levels span their children: a blank is filled from its left neighbour, except in a
    column that has its own label above (机关运行经费预算数, 会议费 spanning every header row):
    spans nest, so a neighbour's lower label cannot reach under another upper label.
    """
    grid = []
    for row in header:
        texts = [t.strip() for t in row.texts()]
        if len(texts) < width:
            texts = texts[:1] + [""] * (width - len(texts)) + texts[1:]
        grid.append(texts[:width])
    for level, texts in enumerate(grid[:-1]):
        for j in range(1, width):
            if is_blank(texts[j]) and not _own_label_above(grid, level, j):
                texts[j] = texts[j - 1]
    return grid


def _own_label_above(grid: list[list[str]], level: int, j: int) -> bool:
    """The nearest label above (level, j) is printed in column j itself, not spread from j - 1."""
    for upper in range(level - 1, -1, -1):
        if not is_blank(grid[upper][j]):
            return grid[upper][j] != grid[upper][j - 1]
    return False


def column_paths(header: list[RawRow], width: int) -> list[list[str]]:
    """Per column, its header labels top to bottom (normalised, repeats of a merged cell once)."""
    grid = _aligned(header, width)
    paths = []
    for j in range(width):
        path: list[str] = []
        for level in grid:
            label = norm_label(level[j])
            if label and (not path or path[-1] != label):
                path.append(label)
        paths.append(path)
    return paths


def candidates(path: list[str]) -> list[str]:
    """Catalog keys to try for a column, most specific first: 'parent/child', then single labels."""
    return ["/".join(path[i:]) for i in range(len(path))] + path[::-1]


def column_ids(header: list[RawRow], width: int) -> list[tuple[str, str, str]]:
    """Per column: (column id, kind 'key'|'amount'|'text', printed header label)."""
    keys, amounts = catalog()["key_columns"], catalog()["amount_columns"]
    result = []
    for j, path in enumerate(column_paths(header, width)):
        found = ("", "text")
        for key in candidates(path):
            if key in amounts:
                found = (amounts[key], "amount")
                break
            if key in keys:
                found = (keys[key], "key")
                break
        column = found[0] or f"col{j}"
        if any(column == c for c, _, _ in result):  # a label printed twice: keep both, apart
            column = f"{column}_{j}"
        result.append((column, found[1], path[-1] if path else ""))
    return result
