"""Loader for plain-text exports of budget disclosures (.txt)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from budget_audit.loaders import builders, itemized, performance
from budget_audit.loaders.catalog import builder_for, catalog
from budget_audit.loaders.decode import read_text
from budget_audit.loaders.layout import read_items
from budget_audit.loaders.model import Document, LoadError, Paragraph, Table
from budget_audit.loaders.segment import RawTable, segment

SUFFIXES = (".txt", ".text", ".tsv")  # loaders/__init__ dispatches on these
_BUILDERS = {
    "columnar": builders.columnar,
    "two_sided": itemized.two_sided,
    "three_public": itemized.three_public,
    "key_value": itemized.key_value,
    "project_performance": performance.project_performance,
}
_YEAR = re.compile(r"(20\d{2})\s*年(?:度)?\s*(?:部门|单位)?(?:预算|决算)")


def load(path: str | Path) -> Document:
    """Read one text export into a Document; LoadError when no table can be recognised."""
    path = str(path)
    text = read_text(path)
    return from_text(text, path)


def from_text(text: str, path: str = "<text>") -> Document:
    """Build a Document from already decoded text."""
    raw_tables, narrative, template = segment(read_items(text))
    known = [t for t in raw_tables if t.table_id]
    if not known:
        where = f" (table labels seen: {', '.join(t.label for t in raw_tables[:5])})" if raw_tables else ""
        raise LoadError(path, f"no budget table could be recognised{where}")
    document = Document(path=path, template=template, year=_year(narrative, raw_tables),
                        unit=None, paragraphs=_paragraphs(narrative))
    for raw in raw_tables:
        if not raw.table_id:
            document.problems.append({"kind": "unknown_table", "line": raw.line, "table": None,
                                      "label": raw.label, "title": raw.title})
    groups: dict[str, list[RawTable]] = {}
    for raw in known:
        groups.setdefault(raw.table_id, []).append(raw)
    for table_id, raws in groups.items():
        if len(raws) > 1 and table_id != "project_performance":
            document.problems.append({"kind": "duplicate_table", "line": raws[1].line,
                                      "table": table_id, "first_line": raws[0].line})
            raws = raws[:1]
        unit = raws[0].unit or _fallback_unit(raw_tables)
        table: Table = _BUILDERS[builder_for(table_id)](raws, unit)
        table.extras["raw_texts"] = [(c.text, c.line) for raw in raws for row in raw.rows
                                     for c in row.non_blank()] + [(n.text, n.line) for raw in raws for n in raw.notes]
        document.problems.extend(table.extras.pop("problems", []))
        if catalog()["tables"][table_id].get("has_total") and not _has_total(table):
            last = max([c.line for raw in raws for row in raw.rows for c in row.cells] or [raws[0].line])
            document.problems.append({"kind": "no_total_row", "line": last, "table": table_id})
        document.tables[table_id] = table
    if template is None:
        document.problems.append({"kind": "unknown_template", "line": known[0].line, "table": None,
                                  "tables": ", ".join(document.tables)})
    units = Counter(t.unit for t in document.tables.values() if t.declared_unit_text)
    document.unit = units.most_common(1)[0][0] if units else None
    return document


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
    texts = [t.text for t in narrative[:20]] + [n.text for r in raw_tables[:2] for n in r.notes]
    for text in texts:
        m = _YEAR.search(text)
        if m:
            return int(m.group(1))
    return None


def _paragraphs(narrative) -> list[Paragraph]:
    return [Paragraph(t.text.strip(), t.line) for t in narrative if t.text.strip()]
