"""Changing any single printed amount by one unit of its last digit is caught at that line.

Also: every printed amount of the samples is read by at least one check (coverage).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget_audit.loaders.text import from_text
from budget_audit.rules import engine, selection
from budget_audit.rules.ruleset import load_ruleset
from tests.conftest import ALL_SAMPLES

NUMBER = re.compile(r"^(?P<num>[\d,]+(?:\.\d+)?)(?P<suffix>\s*(?:万元|元)?)\s*$")


def bump(text: str) -> str:
    """The same figure, one unit of its last printed digit larger, printed the same way."""
    m = NUMBER.match(text.strip())
    raw = m.group("num")
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    value = Decimal(raw.replace(",", "")) + Decimal(1).scaleb(-decimals)
    printed = f"{value:,.{decimals}f}" if "," in raw else f"{value:.{decimals}f}"
    return printed + m.group("suffix")


@lru_cache(maxsize=None)
def _sample(path):
    text = path.read_text("utf-8")
    document = from_text(text, str(path))
    return text, document


def printed_cells():
    """(sample path, line, printed text) of every printed amount in the samples' tables."""
    cells = []
    for path in ALL_SAMPLES:
        _, document = _sample(path)
        for table in document.tables.values():
            for column in table.amount_columns:
                for row in table.frame.index:
                    text = table.text(row, column).strip()
                    if text and str(table.frame.at[row, column]) != "<NA>":
                        cells.append((path, table.location(row, column).line, text, table.id, column))
    return cells


CELLS = printed_cells()


def findings_at(document, line):
    rules = load_ruleset(document.template)
    return {(f.rule, f.expected, f.actual) for f in engine.run(document, rules).findings if line in f.lines}


def test_there_are_many_cells():
    assert len(CELLS) > 500


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CELLS))
def test_one_unit_change_is_caught_at_its_line(cell):
    path, line, text, table_id, column = cell
    original_text, original = _sample(path)
    lines = original_text.split("\n")
    assert text in lines[line - 1], (line, text)
    lines[line - 1] = lines[line - 1].replace(text, bump(text), 1)
    mutated = from_text("\n".join(lines), str(path))
    before, after = findings_at(original, line), findings_at(mutated, line)
    assert after - before, f"{path.name}:{line} {table_id}.{column} {text} -> {bump(text)} not caught"


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: p.name)
def test_every_printed_amount_is_read_by_a_check(path):
    _, document = _sample(path)
    token = selection.READS.set(set())
    try:
        engine.run(document, load_ruleset(document.template))
        reads = selection.READS.get()
    finally:
        selection.READS.reset(token)
    unread = []
    for table in document.tables.values():
        for column in table.amount_columns:
            for row in table.frame.index:
                if str(table.frame.at[row, column]) != "<NA>" and (table.id, row, column) not in reads:
                    unread.append((table.id, column, table.location(row, column).line, table.text(row, column).strip()))
    assert unread == []


def test_bump_keeps_the_printed_form():
    assert bump("63,234,665.44") == "63,234,665.45"
    assert bump("47,764,125.2 ") == "47,764,125.3"
    assert bump("25147380.00") == "25147380.01"
    assert bump("1530.28万元") == "1530.29万元"
    assert bump("9,999.999999") == "10,000.000000"
