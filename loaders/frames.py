"""Collect cells row by row, then build a Table's aligned frames in one go."""

from __future__ import annotations

from typing import Any

from budget_audit.loaders.model import Amount, SourceLocation, Table
from budget_audit.loaders.numbers import is_blank, parse_amount


class FrameBuilder:
    """Accumulates rows of key values and amounts with their lines and printed texts."""

    def __init__(self, keys: list[str], amounts: list[str]):
        self.keys, self.amounts = list(keys), list(amounts)
        self.records: list[dict[str, Any]] = []
        self.problems: list[dict[str, Any]] = []

    def add(self, keys: dict[str, Any], cells: dict[str, tuple[str, int]], unit: str,
            key_lines: dict[str, int] | None = None) -> None:
        """One row: key values, and per amount column the printed text and its line."""
        record: dict[str, Any] = {"keys": keys, "amounts": {}, "key_lines": key_lines or {}}
        for column, (text, line) in cells.items():
            if column not in self.amounts:
                self.amounts.append(column)
            amount = None if is_blank(text) else parse_amount(text, unit)
            if amount is None and not is_blank(text):
                self.problems.append({"kind": "unparsed_amount", "line": line, "column": column,
                                      "text": text.strip()})
            record["amounts"][column] = (amount, text, line)
        for key in list(keys):
            if key in self.amounts:  # a key named like an amount column: keep it apart
                keys[f"{key}_key"] = keys.pop(key)
                key = f"{key}_key"
            if key not in self.keys:
                self.keys.append(key)
        self.records.append(record)

    def build(self, table_id: str, title: str, label: str | None, unit: str, line: int,
              **extra: Any) -> Table:
        """The Table: column lists of values, ulps, lines and printed texts, aligned by row."""
        data: dict[str, list[Any]] = {k: [r["keys"].get(k, "") for r in self.records] for k in self.keys}
        ulps: dict[str, list[int]] = {}
        lines: dict[str, list[Any]] = {k: [r["key_lines"].get(k) for r in self.records] for k in self.keys}
        texts: dict[str, list[str]] = {k: [str(r["keys"].get(k, "")) for r in self.records] for k in self.keys}
        for key in self.keys:
            values = data[key]
            if not all(isinstance(v, (bool, int)) for v in values):
                data[key] = [str(v) for v in values]
        for column in self.amounts:
            cells = [r["amounts"].get(column, (None, "", None)) for r in self.records]
            data[column] = [a.fen if isinstance(a, Amount) else None for a, _, _ in cells]
            ulps[column] = [a.ulp if isinstance(a, Amount) else 0 for a, _, _ in cells]
            lines[column] = [ln for _, _, ln in cells]
            texts[column] = [t for _, t, _ in cells]
        return Table(
            id=table_id, title=title, label=label, unit=unit, data=data,
            cell_ulps=ulps, cell_lines=lines, cell_texts=texts,
            amount_columns=tuple(self.amounts),
            source=SourceLocation(line=line),
            **extra,
        )
