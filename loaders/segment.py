"""Split the row/text stream into raw tables (label, title, unit, rows) and narrative text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from budget_audit.loaders.catalog import norm_label, table_id_for_title, template_for_label
from budget_audit.loaders.layout import RawRow, TextLine

_DISTRICT_LABEL = re.compile(r"^\s*(表[一二三四五六七八九十]+(?:-\d+)?)\s*[:：]?\s*$")
_MUNICIPAL_LABEL = re.compile(r"^\s*(预算\d{2}表|预算表\d{2})\s*(.*)$")
_NOTE = re.compile(r"^\s*(注|说明|备注)\s*[:：\d]")
_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|亿元|元)")


@dataclass
class RawTable:
    """The rows printed under one table label, before they are given a standard meaning."""

    label: str
    title: str
    line: int
    table_id: str | None = None
    unit: str | None = None
    unit_text: str | None = None
    rows: list[RawRow] = field(default_factory=list)
    notes: list[TextLine] = field(default_factory=list)


def _single_text(item: RawRow | TextLine) -> tuple[str, int] | None:
    """The text of an item that holds exactly one visible text (a text line or lone cell)."""
    if isinstance(item, TextLine):
        return item.text.strip(), item.line
    cells = item.non_blank()
    if len(cells) == 1:
        return cells[0].text.strip(), cells[0].line
    return None


def _label_of(single: tuple[str, int] | None) -> tuple[str, str, int] | None:
    """(label, title-in-same-cell, line) when the item's lone text starts a table."""
    if not single:
        return None
    text, line = single
    text = unicodedata.normalize("NFKC", text)
    m = _DISTRICT_LABEL.match(text)
    if m:
        return m.group(1), "", line
    m = _MUNICIPAL_LABEL.match(text)
    if m:
        return m.group(1), m.group(2).strip(), line
    return None


def _known_title(single: tuple[str, int] | None) -> tuple[str, str, int] | None:
    """(label, title, line) when the item's lone text is a catalog title, alone or after a label."""
    if not single or len(single[0]) > 40:
        return None
    text, line = single
    if table_id_for_title(text):
        return "", text, line
    head, _, rest = text.partition(" ")
    if rest and len(head) <= 12 and table_id_for_title(rest.strip()):
        return head, rest.strip(), line
    return None


def _unit_in(item: RawRow | TextLine) -> tuple[str, str] | None:
    texts = [item.text] if isinstance(item, TextLine) else [c.text for c in item.non_blank()]
    for text in texts:
        if "单位" not in text:  # NFKC leaves 单位 as it is: skip the normalisation
            continue
        m = _UNIT.search(unicodedata.normalize("NFKC", text))
        if m and len(norm_label(text)) <= 12:
            return m.group(1), text.strip()
    return None


def _resumes_narrative(table: RawTable, item: TextLine) -> bool:
    """A text line on a later page than the table's last row (paged formats only): the
    narrative goes on after the tables (Shanghai's 其他相关情况说明), it is not a table note."""
    if item.page is None or not table.rows or table.rows[-1].page is None:
        return False
    return item.page > table.rows[-1].page and not _NOTE.match(unicodedata.normalize("NFKC", item.text))


def segment(items: list[RawRow | TextLine]) -> tuple[list[RawTable], list[TextLine], str | None]:
    """Raw tables in order, the narrative text (before the first table; for paged formats also
    where it resumes after a table), and the template."""
    tables: list[RawTable] = []
    narrative: list[TextLine] = []
    template: str | None = None
    current: RawTable | None = None
    for item in items:
        single = _single_text(item)
        label = _label_of(single)
        if label:
            current = RawTable(label=label[0], title=label[1], line=label[2])
            template = template or template_for_label(label[0])
            tables.append(current)
            continue
        if current is not None and not current.title and single and not _unit_in(item):
            current.title = single[0]
            continue
        titled = _known_title(single)
        if titled:  # a table printed without a label we know (another region's numbering)
            current = RawTable(label=titled[0], title=titled[1], line=titled[2])
            tables.append(current)
            continue
        if current is None:
            if isinstance(item, TextLine):
                narrative.append(item)
            continue
        unit = _unit_in(item) if current.unit is None else None
        if unit:
            current.unit, current.unit_text = unit
            continue
        if isinstance(item, TextLine):
            if _resumes_narrative(current, item):
                current = None
                narrative.append(item)
            else:
                current.notes.append(item)
        elif item.non_blank() or current.rows:
            current.rows.append(item)
    for table in tables:
        table.table_id = table_id_for_title(table.title)
    return tables, narrative, template
