"""`budget-audit tables`: what was read, so an auditor can see the document was read right.

Every table with every cell: the printed column headers, the figures in full, and where each row
(JSON and CSV: each cell) was printed: a line of a text export, a page and box of a PDF, a
sheet!ref of a workbook. A table is named by its id or by its printed label (预算03表, 表三).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from budget_audit.loaders.catalog import table_name
from budget_audit.loaders.model import Document, SourceLocation, Table
from budget_audit.reports.formats.columns import header, printed_columns
from budget_audit.reports.formats.places import place, place_label, ranges
from budget_audit.rules.findings import fen_to_str

WORDS = {
    "zh": {"template": "模板", "year": "{year} 年", "unit": "单位", "sep": "，", "colon": "：",
           "label": "表号", "title": "表名", "id": "标识", "rows": "行数", "place": "位置", "line": "行",
           "paragraphs": "说明段落：{n}", "table": "{label} {title}（{id}）：单位 {unit}，{rows} 行，位置：{place}",
           "none": "（无数据行）"},
    "en": {"template": "template", "year": "year {year}", "unit": "unit", "sep": ", ", "colon": ": ",
           "label": "label", "title": "title", "id": "id", "rows": "rows", "place": "place", "line": "line",
           "paragraphs": "narrative paragraphs: {n}",
           "table": "{label} {title} ({id}): unit {unit}, {rows} rows, at {place}", "none": "(no data rows)"},
}


def resolve(document: Document, name: str) -> str | None:
    """The id of the table `name` names: an id (any case), a printed label (预算03表, 表三) or a
    printed title; None when the document has no such table."""
    wanted = "".join(name.split()).lower()
    for table in document.tables.values():
        if wanted in (table.id.lower(), "".join((table.label or "").split()).lower(),
                      "".join(table.title.split()).lower()):
            return table.id
    return None


def _where(document: Document, table: Table, row: int, column: str) -> SourceLocation | None:
    line = table.cell_lines.get(column, [None] * table.rows)[row]
    return document.where(SourceLocation(line=line)) if line and line > 0 else None


def row_place(document: Document, table: Table, row: int, columns: list[str], lang: str) -> str:
    """Where a row was printed: its lines ('53', '53–55'), its page and vertical band, or its cells."""
    sources = [s for c in columns if (s := _where(document, table, row, c)) is not None]
    lines = [s.line for s in sources if s.line]
    if lines:
        return ", ".join(ranges(lines))
    boxes = [s for s in sources if s.page and s.bbox]
    if boxes:
        top, bottom = min(s.bbox[1] for s in boxes), max(s.bbox[3] for s in boxes)
        return f"{place(boxes[0], lang)} y {top:.0f}–{bottom:.0f}"
    shown = list(dict.fromkeys(place(s, lang) for s in sources))
    return shown[0] if len(shown) == 1 else f"{shown[0]}–{shown[-1].split('!')[-1]}" if shown else ""


def _summary_rows(document: Document, lang: str = "en") -> list[dict[str, Any]]:
    return [{"id": t.id, "label": t.label, "title": t.title, "unit": t.unit, "rows": t.rows,
             "line": t.source.line, "place": place(document.where(t.source), lang),
             "standard_name": table_name(t.id)} for t in document.tables.values()]


def _cells(document: Document, table: Table, lang: str = "zh") -> list[dict[str, Any]]:
    """Every row: key values, and each amount as {value, text, line} (and for a PDF or workbook
    its place and source: page and bbox, or sheet and ref)."""
    out = []
    amounts = set(table.amount_columns)
    for row in range(table.rows):
        record: dict[str, Any] = {}
        for column, values in table.data.items():
            value = values[row]
            if column in amounts:
                source = _where(document, table, row, column)
                record[column] = {"value": fen_to_str(value, table.unit), "text": table.text(row, column).strip(),
                                  "line": table.location(row, column).line}
                if document.places:  # a PDF or workbook: the line is a position number; say where
                    record[column].update(place=place(source, lang) if source else "",
                                          source=source.to_dict() if source else None)
            else:
                record[column] = value if isinstance(value, (bool, int)) or value is None else str(value)
        out.append(record)
    return out


def validate(document: Document, table_id: str | None = None) -> list[str]:
    """One line per table (every table, or only `table_id`) that breaks its pandera schema (the
    loaders' contract)."""
    from pandera.errors import SchemaErrors

    from budget_audit.loaders.schemas import validate as check

    problems = []
    for table in document.tables.values():
        if table_id is not None and table.id != table_id:
            continue
        try:
            check(table)
        except SchemaErrors as exc:
            cases = exc.failure_cases[["column", "check", "failure_case"]].head(5).to_dict("records")
            problems.append(f"{table.id}: {cases}")
        except ValueError as exc:
            problems.append(f"{table.id}: {exc}")
    return problems


def render(document: Document, table_id: str | None, fmt: str, lang: str = "zh") -> str:
    """The listing in rich (terminal), csv or json; `table_id` an id or a printed label."""
    chosen = resolve(document, table_id) if table_id else None
    if table_id and chosen is None:
        raise KeyError(f"{document.path}: no table {table_id!r}; read: {', '.join(document.tables)}")
    if fmt == "json":
        data: dict[str, Any] = {"path": document.path, "template": document.template, "year": document.year,
                                "unit": document.unit, "tables": _summary_rows(document, lang),
                                "paragraphs": len(document.paragraphs)}
        if chosen:
            data["cells"] = _cells(document, document.tables[chosen], lang)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(document, chosen, lang)
    return _rich(document, chosen, lang)


def _csv(document: Document, table_id: str | None, lang: str) -> str:
    buffer = io.StringIO()
    if not table_id:
        rows = _summary_rows(document, lang)
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["id"])
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    table = document.tables[table_id]
    located = ("_line", "_place") if document.places else ("_line",)
    fields = []
    for column in table.data:
        fields += [column, *(column + s for s in located)] if column in table.amount_columns else [column]
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    for record in _cells(document, table, lang):
        flat = {}
        for column, value in record.items():
            if isinstance(value, dict):
                flat[column] = value["value"]
                flat.update({column + s: value[s[1:]] for s in located})
            else:
                flat[column] = value
        writer.writerow(flat)
    return buffer.getvalue()


def heading(document: Document, lang: str) -> str:
    """'samples/x.txt：模板 beijing_municipal，2026 年，单位 万元' — only what is known."""
    w = WORDS[lang]
    parts = [f"{w['template']} {document.template}" if document.template else "",
             w["year"].format(year=document.year) if document.year else "",
             f"{w['unit']} {document.unit}" if document.unit else ""]
    known = [p for p in parts if p]
    return document.path + (w["colon"] + w["sep"].join(known) if known else "")


def _rich(document: Document, table_id: str | None, lang: str) -> str:
    from rich.console import Console

    w = WORDS[lang]
    chosen = [document.tables[table_id]] if table_id else list(document.tables.values())
    width = max([160] + [_needed(t, lang) for t in chosen])  # figures are never folded or cut
    console = Console(width=width, file=io.StringIO(), force_terminal=False, highlight=False)
    console.print(heading(document, lang), markup=False)
    if not table_id:
        console.print(_summary_grid(document, lang))
        console.print(w["paragraphs"].format(n=len(document.paragraphs)))
    for table in chosen:
        console.print()
        console.print(w["table"].format(label=table.label or "", title=table.title, id=table.id, unit=table.unit,
                                        rows=table.rows, place=place_label(document.where(table.source), lang)).strip(),
                      markup=False)
        console.print(_cell_grid(document, table, lang) if table.rows else w["none"])
    return console.file.getvalue()


def _summary_grid(document: Document, lang: str):
    from rich.table import Table as RichTable

    w = WORDS[lang]
    grid = RichTable(w["label"], w["title"], w["id"], w["unit"], w["rows"], w["place"])
    for row in _summary_rows(document, lang):
        grid.add_row(row["label"] or "", row["title"], row["id"], row["unit"], str(row["rows"]),
                     place_label(document.where(document.tables[row["id"]].source), lang))
    return grid


def _needed(table: Table, lang: str) -> int:
    """The width that shows every figure of a table unfolded."""
    from rich.cells import cell_len

    widths = [max([cell_len(header(table, c, lang))] + [cell_len(table.text(r, c).strip()) for r in range(table.rows)])
              for c in printed_columns(table) if c in table.amount_columns]
    keys = len(printed_columns(table)) - len(widths)
    return sum(widths) + 3 * (len(widths) + keys + 1) + 12 * keys + 14


def _cell_grid(document: Document, table: Table, lang: str):
    from rich.cells import cell_len
    from rich.table import Table as RichTable

    columns = printed_columns(table)
    grid = RichTable(show_lines=False)
    for column in columns:
        label = header(table, column, lang)
        if column in table.amount_columns:
            longest = max([cell_len(label)] + [cell_len(table.text(r, column).strip()) for r in range(table.rows)])
            grid.add_column(label, justify="right", no_wrap=True, min_width=longest)
        else:
            grid.add_column(label, overflow="fold")
    grid.add_column(WORDS[lang]["line" if document.places == {} else "place"], overflow="fold")
    for row in range(table.rows):
        cells = [table.text(row, c).strip() for c in columns]
        grid.add_row(*(_plain(c) for c in cells), row_place(document, table, row, columns, lang))
    return grid


def _plain(value: str):
    from rich.text import Text

    return Text(value)  # document text is never markup
