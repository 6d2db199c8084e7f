"""The shared half of every reader: a located row/text stream -> a Document.

Each input format has one reader that yields `RawRow` / `TextLine` items whose `line` numbers
are position numbers (text files: real line numbers; PDF, workbook, Word: reading-order numbers
that `places` maps to page + bbox, sheet + ref, ...). Everything after that is shared and
driven by the catalog: table labels and titles, units, header rows, codes, and the standard
tables' builders (`build_document`). `text.from_text` and the PDF reader both call it.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from budget_audit.loaders import builders, itemized, performance
from budget_audit.loaders.catalog import builder_for, catalog, detect_template, norm_label, split_title
from budget_audit.loaders.grid import merge_code_parts
from budget_audit.loaders.headers import is_data_row, repeat_test
from budget_audit.loaders.layout import LineBlock, RawRow, RawTexts, TabRow, TextLine, first_texts, one_text
from budget_audit.loaders.model import Document, LoadError, Paragraph, SourceLocation, Table, gc_paused
from budget_audit.loaders.segment import RawTable, segment

_BUILDERS = {
    "columnar": builders.columnar,
    "two_sided": itemized.two_sided,
    "three_public": itemized.three_public,
    "key_value": itemized.key_value,
    "project_performance": performance.project_performance,
}
_YEAR = re.compile(r"(20\d{2})\s*年(?:度)?\s*(?:部门|单位)?(?:预算|决算)")
_NOTE = re.compile(r"^\s*(?:注|说明|备注)\s*[:：\d]")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_BODY = re.compile(r"(?:编制部门|部门名称|编制单位|单位名称|预算单位|部门)\s*[:：]\s*([^\s:：]{2,40}?)(?=\s|单位\s*[:：]|$)")


def build_document(items: list[RawRow | TextLine], path: str,
                   places: dict[int, SourceLocation] | None = None,
                   meta: dict[str, Any] | None = None) -> Document:
    """Recognise the standard tables and the narrative in a located item stream (see _build)."""
    with gc_paused():  # millions of cells that all live on: no collection scanning them over and over
        return _build(items, path, places, meta)


def _build(items: list[RawRow | TextLine], path: str,
           places: dict[int, SourceLocation] | None = None,
           meta: dict[str, Any] | None = None) -> Document:
    """Recognise the standard tables and the narrative in a located item stream.

    LoadError when no table can be recognised. `places` (position number -> real place) is kept
    on the Document: findings, and `Table.source` (the title's position number, which the rules
    read as a line), resolve to pages or cell refs through `Document.where`.
    """
    raw_tables, narrative, label_template = segment(items)
    grid_problems: list[dict[str, Any]] = []
    for raw in raw_tables:
        raw.rows = merge_code_parts(_drop_repeated_header(raw.rows, raw.unit or "元"), grid_problems)
    known = [t for t in raw_tables if t.table_id]
    if not known:
        where = f" (table labels seen: {', '.join(t.label for t in raw_tables[:5])})" if raw_tables else ""
        raise LoadError(path, f"no budget table could be recognised{where}")
    template = detect_template([t.title for t in raw_tables], _texts(narrative, raw_tables)) or label_template
    document = Document(path=path, template=template, year=_year(narrative, raw_tables),
                        unit=None, paragraphs=_paragraphs(narrative))
    document.meta.update(publication_meta(document, raw_tables, narrative))
    document.places = dict(places or {})
    document.problems.extend(grid_problems)
    if meta:
        document.meta.update(meta)
    for raw in raw_tables:
        if not raw.table_id:
            document.problems.append({"kind": "unknown_table", "line": raw.line, "table": None,
                                      "label": raw.label, "title": raw.title})
    groups: dict[str, list[RawTable]] = {}
    for raw in known:
        groups.setdefault(raw.table_id, []).append(raw)
    for table_id, raws in groups.items():
        if len(raws) > 1 and any(r.rows for r in raws):  # a contents line names a table too
            raws = [r for r in raws if r.rows]
        if len(raws) > 1 and table_id != "project_performance":
            document.problems.append({"kind": "duplicate_table", "line": raws[1].line,
                                      "table": table_id, "first_line": raws[0].line})
            raws = raws[:1]
        document.tables[table_id] = _build_table(document, table_id, raws, raw_tables)
    if template is None:
        document.problems.append({"kind": "unknown_template", "line": known[0].line, "table": None,
                                  "tables": ", ".join(document.tables)})
    units = Counter(t.unit for t in document.tables.values() if t.declared_unit_text)
    document.unit = units.most_common(1)[0][0] if units else None
    return document


def _drop_repeated_header(rows: list[RawRow], unit: str) -> list[RawRow]:
    """Rows without figures that print the header again (a continuation page's 类 | 款 | 项)."""
    head = 0
    while head < len(rows) and not is_data_row(rows[head], unit):
        head += 1
    header = [r for r in rows[:head] if r.non_blank()]
    if not header:
        return rows
    # a row is dropped only when it repeats a header row (its first text tested first, see
    # repeat_test), and only then (rarely) is it asked whether it holds figures
    repeats = repeat_test(header)
    return rows[:head] + [r for r in rows[head:] if not repeats(r) or is_data_row(r, unit)]


def _build_table(document: Document, table_id: str, raws: list[RawTable], raw_tables: list[RawTable]) -> Table:
    unit = raws[0].unit or _fallback_unit(raw_tables)
    table: Table = _BUILDERS[builder_for(table_id)](raws, unit)
    printed_notes = tuple(n.text.strip() for raw in raws for n in raw.notes if _NOTE.match(n.text))
    if printed_notes and not table.notes:  # a note printed as text under the grid ("注：本部门无相关收支项目")
        table.notes = printed_notes
    texts: list = []
    block, run = None, []  # run: the rows for block, added at once
    rows = raws[0].rows if len(raws) == 1 else [row for raw in raws for row in raw.rows]
    text = one_text(rows)
    if text is not None:  # a text export's table: one block of all its rows
        block = LineBlock(text)
        block.extend(rows)
        texts.append(block)
        rows = []
    for raw in raws if rows else ():
        for row in raw.rows:
            if isinstance(row, TabRow) and not row.changed and row._start is not None:
                if block is None or block.text is not row._text:
                    if run:
                        block.extend(run)
                        run = []
                    block = LineBlock(row._text)
                    texts.append(block)
                run.append(row)  # split again when read
                continue
            if run:
                block.extend(run)
                run = []
            block = None
            if isinstance(row, TabRow) and not row.changed:
                texts.append([row.number, row.printed])
            else:
                texts.extend((c.text, c.line) for c in row.non_blank())
    if run:
        block.extend(run)
    table.extras["raw_texts"] = RawTexts(texts + [(n.text, n.line) for raw in raws for n in raw.notes])
    document.problems.extend(table.extras.pop("problems", []))
    # an empty table (no data row at all) has no total to print: STR021 asks for its note instead
    if catalog()["tables"][table_id].get("has_total") and table.rows and not _has_total(table):
        last = max([line for raw in raws for row in raw.rows for line in _lines_of(row)] or [raws[0].line])
        document.problems.append({"kind": "no_total_row", "line": last, "table": table_id})
    return table


def _lines_of(row: RawRow) -> list[int]:
    """The lines of a row's cells (a tab row's are its line)."""
    if isinstance(row, TabRow) and not row.changed:
        return [row.number] * row.width()
    return [c.line for c in row.cells]


def _has_total(table: Table) -> bool:
    if "is_total" in table.data:
        return any(table.data["is_total"])
    if "item" in table.data:
        return any(item in ("total", "grand_total") for item in table.data["item"])
    return True


def _fallback_unit(raw_tables: list[RawTable]) -> str:
    units = Counter(t.unit for t in raw_tables if t.unit)
    return units.most_common(1)[0][0] if units else "元"


def _year(narrative, raw_tables) -> int | None:
    """The budget year: as the table titles print it ("2023年部门…"), else the narrative's."""
    titled = Counter(int(m.group(1)) for t in raw_tables for m in [_TITLE_YEAR.search(t.title)] if m)
    if titled:
        return titled.most_common(1)[0][0]
    texts = [t.text for t in narrative[:20]] + [n.text for r in raw_tables[:2] for n in r.notes]
    for text in texts:
        m = _YEAR.search(text)
        if m:
            return int(m.group(1))
    return None


def _texts(narrative, raw_tables) -> list[str]:
    """What template detection reads: narrative, titles, notes, headings and row labels."""
    out = [t.text for t in narrative]
    for raw in raw_tables:
        out += [raw.title, raw.unit_text or "", *raw.heading, *(n.text for n in raw.notes)]
        out += first_texts(raw.rows)
    return out


def publication_meta(document: Document, raw_tables, narrative) -> dict[str, Any]:
    """body (as printed beside the unit or before a title), year, kind budget|final, level dept|unit."""
    bodies = Counter(split_title(t.title)[1] for t in raw_tables if split_title(t.title)[1])
    for raw in raw_tables:
        for text in raw.heading:
            m = _BODY.search(text)
            if m:
                bodies[m.group(1)] += 1
    titles = " ".join(t.title for t in raw_tables if t.table_id)
    template = document.template or ""
    final = template.endswith("_final") or ("决算" in titles and "预算" not in titles)
    unit = template.endswith("unit_budget") or bool(re.search(r"(?:^|年|\s)(?:预算)?单位", titles))
    return {"body": bodies.most_common(1)[0][0] if bodies else _cover_body(narrative), "year": document.year,
            "kind": "final" if final else "budget", "level": "unit" if unit else "dept"}


_COVER = re.compile(r"^(?P<body>[\u4e00-\u9fff（）()]{4,40}?)\s*(?:19|20)\d{2}\s*年度?\s*(?:部门|单位)?(?:预算|决算)")


_NOT_A_BODY = re.compile(r"^(?:第[一二三四五六七八九十\d]+部分|目录|部门|单位)$")


def _cover_body(narrative) -> str | None:
    """The body's name on the cover ("江苏省人民检察院" / "2017年部门预算"), lines before 目录 joined."""
    cover = ""
    for line in narrative[:6]:
        text = line.text.strip()
        if norm_label(text) == "目录":
            break
        cover += "" if text.isdigit() else text
    m = _COVER.match(cover)
    if not m or _NOT_A_BODY.match(m.group("body")):  # "第一部分 2021年部门预算情况说明" names no body
        return None
    return m.group("body")


def _paragraphs(narrative) -> list[Paragraph]:
    return [Paragraph(t.text.strip(), t.line) for t in narrative if t.text.strip()]
