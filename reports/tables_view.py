"""`budget-audit tables`: what was read, so an auditor can see the document was read right."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from budget_audit.loaders.catalog import table_name
from budget_audit.loaders.model import Document, Table
from budget_audit.rules.findings import fen_to_str


def _summary_rows(document: Document) -> list[dict[str, Any]]:
    return [{"id": t.id, "label": t.label, "title": t.title, "unit": t.unit, "rows": t.rows,
             "line": t.source.line, "standard_name": table_name(t.id)} for t in document.tables.values()]


def _cells(table: Table) -> list[dict[str, Any]]:
    """Every row: key values, and each amount as {value, text, line}."""
    out = []
    amounts = set(table.amount_columns)
    for row in table.frame.index:
        record: dict[str, Any] = {}
        for column in table.frame.columns:
            value = table.frame.at[row, column]
            if column in amounts:
                fen = None if str(value) == "<NA>" else int(value)
                record[column] = {"value": fen_to_str(fen, table.unit), "text": table.text(row, column).strip(),
                                  "line": table.location(row, column).line}
            else:
                record[column] = value if isinstance(value, (bool, int)) else str(value)
        out.append(record)
    return out


def validate(document: Document) -> list[str]:
    """One line per table that breaks its pandera schema (the loaders' contract)."""
    from pandera.errors import SchemaErrors

    from budget_audit.loaders.schemas import validate as check

    problems = []
    for table in document.tables.values():
        try:
            check(table)
        except SchemaErrors as exc:
            cases = exc.failure_cases[["column", "check", "failure_case"]].head(5).to_dict("records")
            problems.append(f"{table.id}: {cases}")
        except ValueError as exc:
            problems.append(f"{table.id}: {exc}")
    return problems


def render(document: Document, table_id: str | None, fmt: str) -> str:
    """The listing in rich (terminal), csv or json."""
    if fmt == "json":
        data: dict[str, Any] = {"path": document.path, "template": document.template, "year": document.year,
                                "unit": document.unit, "tables": _summary_rows(document),
                                "paragraphs": len(document.paragraphs)}
        if table_id:
            data["cells"] = _cells(document.tables[table_id])
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(document, table_id)
    return _rich(document, table_id)


def _csv(document: Document, table_id: str | None) -> str:
    buffer = io.StringIO()
    if not table_id:
        rows = _summary_rows(document)
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    table = document.tables[table_id]
    records = _cells(table)
    fields = []
    for column in table.frame.columns:
        fields += [column, f"{column}_line"] if column in table.amount_columns else [column]
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    for record in records:
        flat = {}
        for column, value in record.items():
            if isinstance(value, dict):
                flat[column], flat[f"{column}_line"] = value["value"], value["line"]
            else:
                flat[column] = value
        writer.writerow(flat)
    return buffer.getvalue()


def _rich(document: Document, table_id: str | None) -> str:
    from rich.console import Console
    from rich.table import Table as RichTable

    console = Console(record=True, width=160, file=io.StringIO(), force_terminal=False)
    head = f"{document.path} — template {document.template or '?'}, year {document.year or '?'}, unit {document.unit or '?'}"
    console.print(head)
    if not table_id:
        grid = RichTable("id", "label", "title", "unit", "rows", "line")
        for row in _summary_rows(document):
            grid.add_row(row["id"], row["label"] or "", row["title"], row["unit"], str(row["rows"]), str(row["line"]))
        console.print(grid)
        console.print(f"narrative paragraphs: {len(document.paragraphs)}")
        return console.export_text()
    table = document.tables[table_id]
    console.print(f"{table.label or ''} {table.title} ({table.id}) — unit {table.unit}, {table.rows} rows, line {table.source.line}")
    grid = RichTable(*[str(c) for c in table.frame.columns], "line")
    for record in _cells(table):
        lines = [v["line"] for v in record.values() if isinstance(v, dict) and v["line"]]
        cells = [(v["text"] or "") if isinstance(v, dict) else str(v) for v in record.values()]
        grid.add_row(*cells, str(min(lines)) if lines else "")
    console.print(grid)
    return console.export_text()
