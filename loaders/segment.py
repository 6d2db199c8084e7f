"""Split the row/text stream into raw tables (label, title, unit, rows) and narrative text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from budget_audit.loaders.catalog import builder_for, label_patterns, norm_label, table_id_for_title
from budget_audit.loaders.layout import PlainRow, RawRow, TabRow, TextLine

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
    heading: list[str] = field(default_factory=list)  # texts printed beside the unit (编制部门：…)


def _single_text(item: RawRow | TextLine) -> tuple[str, int] | None:
    """The text of an item that holds exactly one visible text (a text line or lone cell)."""
    if isinstance(item, TextLine):
        return item.text.strip(), item.line
    if isinstance(item, TabRow):  # from the line: no cells made for a million rows
        texts = item.filled_texts()
        return (texts[0].strip(), item.line) if len(texts) == 1 else None
    cells = item.non_blank()
    if len(cells) == 1:
        return cells[0].text.strip(), cells[0].line
    return None


def _plain_rows(items: list[RawRow | TextLine], start: int) -> int:
    """The end of the run of plain rows from `start` (layout.PlainRow: as read, no label, title
    or unit line in them), which segment only adds to the open table."""
    plain = PlainRow
    for index in range(start, len(items)):
        row = items[index]
        if type(row) is not plain or row.changed:
            return index
    return len(items)


def _label_of(single: tuple[str, int] | None) -> tuple[str, str, int, str] | None:
    """(label, title-in-same-cell, line, template) when the item's lone text is a table label
    of a catalog template (its `label` regex: 表三, 预算03表, 公开 01 表, 公开表一)."""
    if not single:
        return None
    text, line = single
    text = unicodedata.normalize("NFKC", text).strip()
    for template, pattern in label_patterns():
        m = pattern.match(text)
        if m:
            return text[:m.end()].strip(" :："), text[m.end():].strip(" :：\n"), line, template
    return None


def _known_title(single: tuple[str, int] | None) -> tuple[str, str, int] | None:
    """(label, title, line) when the item's lone text is a catalog title, alone or after a label."""
    if not single:
        return None
    text, line = single
    if "\n" in text and not table_id_for_title(text):  # title and unit printed in one grid cell
        text = _title_and_unit(text)[0]
    if len(text) > 40:
        return None
    if table_id_for_title(text):
        return "", text, line
    head, _, rest = text.partition(" ")
    if rest and len(head) <= 12 and table_id_for_title(rest.strip()):
        return head, rest.strip(), line
    return None


def _wrapped_title(single: tuple[str, int], following: RawRow | TextLine) -> tuple[str, str, int] | None:
    """A title wrapped onto a second printed line ("“三公”经费、会议费、培训费支出预算" / "表")."""
    if not isinstance(following, TextLine) or len(single[0]) > 40 or len(following.text.strip()) > 12:
        return None
    joined = single[0] + following.text.strip()
    return ("", joined, single[1]) if table_id_for_title(joined) else None


def _unit_in(item: RawRow | TextLine) -> tuple[str, str] | None:
    texts = [item.text] if isinstance(item, TextLine) else item.filled_texts()
    for text in texts:
        if "单位" not in text:  # NFKC leaves 单位 as it is: skip the normalisation
            continue
        m = _UNIT.search(unicodedata.normalize("NFKC", text))
        if m and len(norm_label(text)) <= 12:
            return m.group(1), text.strip()
    return None


_PART = re.compile(r"^\s*第[一二三四五六七八九十]+部分")


def _resumes_narrative(table: RawTable, item: TextLine) -> bool:
    """A text line on a later page than the table's last row (paged formats only), or the heading
    of a part of the publication ("第三部分 …预算情况说明", printed under the last table on its
    page): the narrative goes on after the tables (Shanghai's 其他相关情况说明), it is not a table note."""
    text = unicodedata.normalize("NFKC", item.text)
    if _PART.match(text):
        return True
    if item.page is None or not table.rows or table.rows[-1].page is None:
        return False
    return item.page > table.rows[-1].page and not _NOTE.match(text)


def _is_contents_heading(single: tuple[str, int] | None) -> bool:
    return bool(single) and norm_label(single[0]) == "目录"


def _title_and_unit(text: str) -> tuple[str, tuple[str, str] | None]:
    """A title cell that also holds the unit line ("收支预算总表\n部门：… 单位：万元"): the title
    lines and the unit; a title wrapped over lines ("…支出预算\n表") stays whole."""
    if "\n" not in text or table_id_for_title(text):
        return text, None
    lines = [line for line in text.split("\n") if line.strip()]
    unit = next(((m.group(1), line.strip()) for line in lines
                 for m in [_UNIT.search(unicodedata.normalize("NFKC", line))] if m), None)
    title = next((line for line in lines if table_id_for_title(line)), lines[0] if lines else text)
    return title, unit


_ENTRY = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d{1,2}\s*[、.．]|第[一二三四五六七八九十]+部分)")


class _Contents:
    """Follows a table of contents: from its 目录 heading to the page where the body begins (the
    first entry printed again, or a next page that does not go on with entries)."""

    def __init__(self) -> None:
        self.page: int | None = None  # the page of the last contents item
        self.first: str | None = None  # the first entry (the body's first heading)
        self.last = ""  # the last contents item's text

    def holds(self, item: RawRow | TextLine, single: tuple[str, int] | None) -> bool:
        text = norm_label(single[0]) if single else ""
        if text == "目录" and item.page is not None:
            self.page, self.first, self.last = item.page, None, ""
            return True
        if self.page is None:
            return False
        if self.first is None:
            self.first = text or None
        elif text and text == self.first:
            self.page = None
            return False
        if item.page != self.page:
            entry = _ENTRY.match(unicodedata.normalize("NFKC", single[0] if single else ""))
            # the end of an entry wrapped over the page break ("十一、…培训费支" / "出预算表")
            wrapped = bool(text) and len(text) <= 12 and table_id_for_title(self.last + text) is not None
            if item.page != self.page + 1 or not (entry or wrapped):
                self.page = None
                return False
            self.page = item.page
        self.last = text
        return True


_ONE_PER_PAGE = ("project_performance",)  # forms printed one per project, each under the same title


def _continues(table: RawTable | None, title: str, item: RawRow | TextLine) -> bool:
    """The same title printed again at the top of the next page: the table goes on there."""
    if table is None or not table.rows or table.rows[-1].page is None or item.page is None:
        return False
    table_id = table_id_for_title(title)
    return (item.page == table.rows[-1].page + 1 and table_id is not None
            and table_id == table_id_for_title(table.title) and builder_for(table_id) not in _ONE_PER_PAGE)


def _is_contents_entry(table: RawTable | None) -> bool:
    """A title followed directly by the next title, nothing printed between: a contents line."""
    return (table is not None and bool(table.title) and not table.rows and not table.notes
            and table.unit is None)


def segment(items: list[RawRow | TextLine]) -> tuple[list[RawTable], list[TextLine], str | None]:
    """Raw tables in order, the narrative text (before the first table; for paged formats also
    where it resumes after a table), and the template its table labels suggest.

    A table of contents does not open tables: lines on a page headed 目录, and a title directly
    followed by another title, are kept as narrative.
    """
    tables: list[RawTable] = []
    narrative: list[TextLine] = []
    template: str | None = None
    current: RawTable | None = None
    contents = _Contents()
    following = 0  # the item read next (a run of plain rows, or a wrapped title, is read at once)
    while following < len(items):
        index, item = following, items[following]
        following += 1
        if type(item) is PlainRow and contents.page is None:
            stop = _plain_rows(items, index)
            if stop > index:  # body rows: what the general path below does with each of them
                if current is not None:
                    current.rows.extend(items[index:stop])
                following = stop
                continue
        single = _single_text(item)
        on_contents = contents.holds(item, single)
        label = None if on_contents else _label_of(single)
        titled = None if on_contents or label else _known_title(single)
        if not (on_contents or label or titled) and single and index + 1 < len(items):
            titled = _wrapped_title(single, items[index + 1])
            if titled is not None:
                following = index + 2
        if label and not label[1] and _is_contents_entry(current) and not current.label:
            current.label = label[0]  # the title printed above its label ("收支预算总表" / "公开表一")
            template = template or label[3]
            continue
        if (label or titled) and _is_contents_entry(current):
            tables.remove(current)
        if label:
            current = RawTable(label=label[0], title=label[1], line=label[2])
            template = template or label[3]
            tables.append(current)
            continue
        if current is not None and not current.title and single and not _unit_in(item):
            current.title, unit = _title_and_unit(single[0])
            if unit and current.unit is None:
                current.unit, current.unit_text = unit
                current.heading = [single[0]]
            continue
        if titled and _continues(current, titled[1], item):
            continue
        if titled:  # a table printed without a label we know (another region's numbering)
            current = RawTable(label=titled[0], title=titled[1], line=titled[2])
            unit = _title_and_unit(single[0])[1] if single else None
            if unit:
                current.unit, current.unit_text = unit
                current.heading = [single[0]]
            tables.append(current)
            continue
        if current is None or on_contents:
            if isinstance(item, TextLine):
                narrative.append(item)
            continue
        unit = _unit_in(item)
        if unit and current.unit is not None and unit[0] == current.unit and (current.rows or current.notes):
            continue  # the unit line printed again over a continuation page
        unit = unit if current.unit is None else None
        if unit:
            current.unit, current.unit_text = unit
            if isinstance(item, RawRow):
                current.heading = item.filled_texts()
            continue
        if isinstance(item, TextLine):
            if _resumes_narrative(current, item):
                current = None
                narrative.append(item)
            else:
                current.notes.append(item)
        elif current.rows or item.filled_texts():
            current.rows.append(item)
    if _is_contents_entry(current):
        tables.remove(current)
    for table in tables:
        table.table_id = table_id_for_title(table.title)
    return tables, narrative, template
