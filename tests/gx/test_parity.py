"""The GX engine gives the native engine's verdicts, failing rows and findings (#17 item 4):
on every sample, on development PDFs the reader reads, and on a few hundred one-cell plantings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from budget_audit.gx import engine as gx_engine
from budget_audit.gx.frames import BUILDERS
from budget_audit.loaders import load
from budget_audit.loaders.numbers import parse_amount
from budget_audit.rules import engine
from budget_audit.rules.ruleset import load_ruleset
from tests.conftest import ALL_SAMPLES
from tests.gx.conftest import assert_same
from tests.rules.test_mutations import CELLS, _sample, bump

PDF = Path(__file__).resolve().parent.parent / "data" / "pdf"
# Read exactly enough that their profiles run (README, state of the PDF reader); GX decides rows in both.
PDFS = [("sh_putuo_wanlijiedao_2025_budget_dept.pdf", "shanghai_budget"),
        ("js_fayuan_2018_budget_dept.pdf", "jiangsu_budget")]
PLANTINGS = 300


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: p.name)
def test_samples_give_the_same_findings(path):
    document = load(path)
    rules = engine.selected(load_ruleset(document.template))
    native = engine.run(document, rules)
    gx = gx_engine.run(load(path), rules)
    assert_same(native, gx, path.name)
    assert {f.extra["engine"] for f in gx.findings} <= {"gx", "native"}
    assert {gx.engines[r.code] for r, _ in gx.checked} == {"gx", "native"}
    assert all((gx.engines[r.code] == "gx") == (r.kind in BUILDERS) for r, _ in gx.checked)


@pytest.mark.parametrize("name,profile", PDFS, ids=[p for p, _ in PDFS])
def test_development_pdfs_give_the_same_findings(name, profile):
    document = load(PDF / name)
    rules = [r for r in load_ruleset(profile) if r.kind in BUILDERS]
    native = engine.run(document, rules)
    gx = gx_engine.run(document, rules)
    assert_same(native, gx, name)
    rows = sum(r["result"].get("element_count", 0) for v in document.cache["gx_results"].json() for r in v["results"])
    assert rows > 50  # GX judged real rows of this PDF


def _plant(document, table_id, column, line, text):
    """The document with one printed amount bumped by one unit of its last digit, read as the
    text reader reads it (the other tables are shared: nothing else changes)."""
    table = document.tables[table_id]
    row = table.cell_lines[column].index(line)
    amount = parse_amount(bump(text), table.unit)
    data, texts = list(table.data[column]), list(table.cell_texts[column])
    data[row], texts[row] = amount.fen, bump(text)
    planted = replace(table, data={**table.data, column: data}, cell_texts={**table.cell_texts, column: texts},
                      cache={})
    return replace(document, tables={**document.tables, table_id: planted}, cache={})


def _planted():
    """(sample path, line, mutated Document) for every k-th printed amount of the samples."""
    step = max(1, len(CELLS) // PLANTINGS)
    return [(path, line, _plant(_sample(path)[1], table_id, column, line, text))
            for path, line, text, table_id, column in CELLS[::step][:PLANTINGS]]


def test_planted_errors_give_the_same_findings():
    planted = _planted()
    assert len(planted) >= 250
    caught = 0
    for path in ALL_SAMPLES:  # one GX validation per table for all plantings of a sample
        batch = [(line, doc) for p, line, doc in planted if p == path]
        # the rules GX expresses (the others run natively in both engines, identically by construction)
        rules = [r for r in load_ruleset(batch[0][1].template) if r.kind in BUILDERS]
        outcomes = gx_engine.run_many([doc for _, doc in batch], rules)
        _, original = _sample(path)
        before = {(f.rule, f.expected, f.actual) for f in engine.run(original, rules).findings}
        for (line, doc), gx in zip(batch, outcomes):
            assert_same(engine.run(doc, rules), gx, f"{path.name}:{line}")
            after = {(f.rule, f.expected, f.actual) for f in gx.findings
                     if f.extra["engine"] == "gx" and line in f.lines}
            caught += bool(after - before)
    assert caught == len(planted)  # GX itself caught every planted cell, at its line
