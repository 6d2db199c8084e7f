"""Building a columnar table fast (issue #15, item 4) gives what the row-by-row path gives.

- numbers.plain_amount / plain_amounts: parse_amount's fen, ulp and decimals for every plain figure
  they accept, and no answer (parse_amount decides) for any other form;
- FrameBuilder.add_block: the Table of add() row by row, key collisions and missing columns included;
- builders.columnar's blocks of tab rows: the tables (values, ulps, lines, texts, problems, notes)
  of the row-by-row path, on exports with notes, blank, one-cell, misaligned and unparsed rows.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from budget_audit.loaders import builders
from budget_audit.loaders import document as document_module
from budget_audit.loaders.frames import FrameBuilder
from budget_audit.loaders.numbers import parse_amount, plain_amount
from budget_audit.loaders.numbers import plain_amounts as plain_amount_lists
from budget_audit.loaders.text import from_text

CENTER = Path(__file__).resolve().parents[2] / "samples" / "beijing-zhengwu-center-2026-budget.txt"
UNITS = ("元", "万元", "亿元")


# --- the plain figure parser ------------------------------------------------------------------

def plain_amounts(texts, unit):
    """plain_amounts' answers by text (each of the distinct texts answered once)."""
    answered, fens, ulps = plain_amount_lists(list(dict.fromkeys(texts)), unit)
    assert len(answered) == len(fens) == len(ulps) == len(set(answered))
    return dict(zip(answered, zip(fens, ulps)))


def _forms() -> list[str]:
    rng = random.Random(15)
    texts = ["0", "-0", "0.00", "-0.00", "007", "000,123.40", "0,001", "1,234", "1234", "12,345,678.90",
             "-1,234.56", "8,721.588540", "-283.10695", "1.005", "1.015", "2.5", "-2.5", "0.125", "0.135",
             "0.0000005", "0.0000015", "-0.0000025", "1.2345678901", "99999999999999999", "12345678901234567",
             "-12345678901234567", "1,234,567,890,123,456.7", "123456789012345678", "1" * 30 + ".00",
             "12345678901234.567", "1.00000000000000005"]
    for _ in range(400):  # random figures: 0..8 decimals, with and without commas and sign
        digits = str(rng.randrange(10 ** rng.randrange(1, 11)))
        whole = f"{int(digits):,}" if rng.random() < 0.5 else digits
        decimals = rng.choice([0, 1, 2, 3, 6, 7, 8])
        frac = "".join(rng.choice("0123456789") for _ in range(decimals))
        texts.append(("-" if rng.random() < 0.3 else "") + whole + ("." + frac if decimals else ""))
    return texts


# forms plain_amount must leave to parse_amount (some parse there, some do not)
_NOT_PLAIN = ["", " ", "\u3000", "-", "—", "–", "－", "——", "--", " 12.50", "12.50 ", "1 234.00",
              "１２３.４５", "１,２３４", "−5.00", "－5.00", "+5.00", "(1,234.00)", "（1,234.00）", "150万元",
              "283.10695万元", "1.5亿元", "12元", "abc", "1e5", "1_000", "0x10", "١٢٣", "12\u00a0345",
              "1.00\n", "1.00\n2.00", "\t1.00"]
# ASCII digits, commas, points and minus signs that are no figure: no number for parse_amount either
_NO_FIGURE = ["1,23", "12,3456", "4,5862.438884", "1,234,56.00", "1.2.3", ".5", "5.", "-.5", ",", ".",
              "1,234.5,6", "--5", "5-", "---", "-,", "1,,234", ",123", "1" * 40 + "."]


@pytest.mark.parametrize("unit", UNITS)
def test_plain_amount_is_parse_amount_for_every_plain_form(unit):
    taken = 0
    for text in _forms():
        full, plain = parse_amount(text, unit), plain_amount(text, unit)
        if plain is not None:
            taken += 1
            assert plain == (full.fen, full.ulp, full.decimals), text
            assert plain_amounts([text], unit) == {text: plain[:2]}
        else:  # only the figures of more than 17 digits are left to parse_amount
            assert len(text.replace(",", "").replace(".", "").lstrip("-")) > 17, text
            assert plain_amounts([text], unit) == {}
    assert taken > 400


@pytest.mark.parametrize("unit", UNITS)
def test_plain_amount_leaves_every_other_form_to_parse_amount(unit):
    for text in _NOT_PLAIN:
        assert plain_amount(text, unit) is None, text
        assert plain_amounts([text], unit) == {}, text
    for text in _NO_FIGURE:
        assert parse_amount(text, unit) is None, text
        assert plain_amount(text, unit) == (None, 0, 0), text
        assert plain_amounts([text], unit) == {text: (None, 0)}, text
    assert parse_amount("１２３.４５", unit) is not None  # full-width digits do parse: there
    assert plain_amount("1.00", "千元") is None  # a unit parse_amount does not know: its KeyError


@pytest.mark.parametrize("unit", UNITS)
def test_plain_amounts_of_a_column_is_plain_amount_of_each(unit):
    forms = _forms()
    rng = random.Random(4)
    by_decimals = {}
    for text in forms:
        by_decimals.setdefault(len(text.partition(".")[2]), []).append(text)
    columns = list(by_decimals.values())  # one form per column: the one-match path
    columns.append(forms)  # mixed decimals, long figures: text by text
    columns.append(forms[:50] + _NOT_PLAIN + forms[50:60] + _NO_FIGURE)
    columns.append(_NO_FIGURE + forms)  # the first plain figure sets the form tried together
    columns.append([rng.choice(["1.00", "2.50", "1,000.00"]) for _ in range(300)] + ["1.00 "])
    columns.append(["1.000000"] * 5 + ["1.00000"])  # one decimal short
    columns.append(["1.00\n2.00", "3.00"])  # a cell holding a line break is no figure
    for texts in columns:
        expected = {t: a[:2] for t in texts if (a := plain_amount(t, unit)) is not None}
        assert plain_amounts(texts, unit) == expected
    assert plain_amounts([], unit) == {}


# --- FrameBuilder.add_block -------------------------------------------------------------------

def _typed(values):
    """A list as compared here: True and 1 apart."""
    return [(type(v).__name__, v) for v in values]


def _built(builder):
    table = builder.build("t", "title", None, "万元", 1)
    return ({c: _typed(v) for c, v in table.data.items()}, table.cell_ulps, table.cell_lines,
            table.cell_texts, table.amount_columns, builder.problems, builder.keys)


def _random_rows(rng, count):
    keys = [({"code": "201", "name": "a", "is_total": False}, ("code", "name")),
            ({"code": "202", "is_total": True, "level": "类"}, ("code",)),
            ({"total": "key named like an amount column", "is_total": False}, ("total",)),
            ({"name": "b", "extra": 3, "is_total": False}, ()),
            ({"name": "c", "flag": True, "is_total": 1}, ("name", "flag"))]
    figures = ["", " ", "1.00", "2.500000", "-3", "1,234.56", "abc", "150万元", "－", "１.00", "(5.00)", "1,23"]
    rows = []
    for i in range(count):
        k = rng.randrange(len(keys))
        rows.append((k, [rng.choice(figures) for _ in range(3)], 10 + i))
    return keys, rows


@pytest.mark.parametrize("seed", range(6))
def test_add_block_is_add_row_by_row(seed):
    rng = random.Random(seed)
    keys, rows = _random_rows(rng, 400)
    columns = ["total", "basic", "project"]
    start = (["is_total"], columns[:2]) if seed % 2 else (["is_total", "name"], [])  # "project" added on the way
    by_row, by_block = FrameBuilder(*start), FrameBuilder(*start)
    printed = columns if seed % 3 else columns[:2]  # a column the rows do not print
    if seed == 5:
        printed = []  # rows printing no figure
    for k, figures, line in rows:
        values, sources = keys[k]
        by_row.add(dict(values), {c: (t, line) for c, t in zip(printed, figures)}, "万元",
                   {name: line for name in sources})
    cut = rng.randrange(1, len(rows))
    for part in (rows[:cut], rows[cut:]):  # two blocks: state carried from one to the next
        used = dict.fromkeys(k for k, _, _ in part)
        by_block.add_block([line for _, _, line in part], {k: (keys[k][0], keys[k][1]) for k in used},
                           [k for k, _, _ in part],
                           {c: [f[j] for _, f, _ in part] for j, c in enumerate(printed)}, "万元")
    assert by_row.count == by_block.count == len(rows)
    assert _built(by_block) == _built(by_row)
    if printed:
        assert any(p["kind"] == "unparsed_amount" for p in by_row.problems)


def test_add_block_after_add_and_before_it():
    rng = random.Random(9)
    keys, rows = _random_rows(rng, 120)
    by_row, mixed = FrameBuilder(["is_total"], ["total", "basic", "project"]), FrameBuilder(["is_total"], ["total", "basic", "project"])
    cells = lambda f, line: {c: (t, line) for c, t in zip(["total", "basic", "project"], f)}
    for k, figures, line in rows:
        by_row.add(dict(keys[k][0]), cells(figures, line), "元", {name: line for name in keys[k][1]})
    for i, (k, figures, line) in enumerate(rows):
        if i % 40 < 20:  # twenty rows one by one, then twenty as a block
            mixed.add(dict(keys[k][0]), cells(figures, line), "元", {name: line for name in keys[k][1]})
        elif i % 40 == 20:
            part = rows[i:i + 20]
            used = dict.fromkeys(k for k, _, _ in part)
            mixed.add_block([line for _, _, line in part], {k: keys[k] for k in used}, [k for k, _, _ in part],
                            {c: [f[j] for _, f, _ in part] for j, c in enumerate(["total", "basic", "project"])}, "元")
    assert _built(mixed) == _built(by_row)


# --- columnar: blocks of tab rows against rows one by one ------------------------------------

_AMOUNT = re.compile(r"^\d[\d,]*\.\d+$")


def _export(rows: int, seed: int, unit: str, pool: int = 0) -> str:
    """The center sample's 支出总表 with `rows` detail rows: distinct figures (or `pool` figures
    again and again: lines printed many times), and among them rows the blocks must leave to the
    row-by-row path (notes, blanks, one cell, misaligned) and odd figures."""
    rng = random.Random(seed)
    lines = CENTER.read_text("utf-8").split("\n")
    if unit != "万元":
        lines = [line.replace("金额单位：万元", f"金额单位：{unit}") for line in lines]
    start = next(i for i, line in enumerate(lines) if "支出总表" in line and "预算03表" in line)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("预算0"))
    detail = [i for i in range(start, end) if lines[i][:1].isdigit() and lines[i].count("\t") >= 4]
    width = lines[detail[0]].count("\t") + 1
    assert {lines[i].count("\t") for i in detail} == {width - 1}
    odd = ["abc", "1,23", "150万元", "－", "-", "—", "１２.５０", " 12.50 ", "(1,234.00)", "−5.00", "\u3000",
           "12345678901234567890.00", "0.0000005", "1.5", "7", "-0.00", "001.10"]
    special = ["无", "\t" * (width - 1), "\t".join(["本表无数据"] + [""] * (width - 1)),
               "\t".join(["", "", "只有名称"] + [""] * (width - 3)), "\t".join(["2010350-事业运行", "1.00"]),
               None, None]
    out = []
    for _ in range(rows):
        fields = lines[rng.choice(detail)].split("\t")
        choice = rng.random()
        if choice < 0.03:
            row = rng.choice(special)
            if row is None:  # misaligned: a cell more or fewer
                row = "\t".join(fields + ["9.00"] if rng.random() < 0.5 else fields[:-1])
            out.append(row)
            continue
        for j, f in enumerate(fields):
            if _AMOUNT.match(f) and pool:
                fields[j] = rng.choice(odd[:3] + ["1.000000", "2.500000", "1,000.00"][:pool]) if choice < 0.3 else f
            elif _AMOUNT.match(f):
                fields[j] = (rng.choice(odd) if choice < 0.06 else
                             f"{rng.randrange(10 ** 7) / 10 ** 6:,.6f}" if unit == "万元" else
                             f"{rng.randrange(10 ** 9) / 100:,.{rng.choice([2, 2, 2, 6, 0])}f}")
        out.append("\t".join(fields))
    return "\n".join(lines[:detail[0]] + out + lines[detail[-1] + 1:])


def _tables(document):
    return ({tid: ({c: _typed(v) for c, v in t.data.items()}, t.cell_ulps, t.cell_lines, t.cell_texts,
                   t.amount_columns, t.extras, t.notes, t.title, t.unit, t.source)
             for tid, t in document.tables.items()}, document.problems)


@pytest.mark.parametrize("rows,seed,unit,block,pool", [
    (3000, 1, "万元", 16384, 0), (3000, 2, "元", 16384, 0), (2000, 3, "万元", 37, 0), (2000, 4, "元", 5, 0),
    (300, 5, "亿元", 16384, 0), (3000, 6, "万元", 16384, 3), (2000, 7, "元", 64, 2)])
def test_columnar_blocks_build_the_tables_rows_one_by_one_build(monkeypatch, rows, seed, unit, block, pool):
    text = _export(rows, seed, unit, pool)
    body = [line for line in text.split("\n") if line[:1].isdigit()]
    if pool:  # lines printed again: a block splits its distinct lines only
        assert len(set(body)) * 4 < len(body)
    calls = []
    block_of = builders._add_block

    def counted(*args):
        added = block_of(*args)
        calls.append(len(args[1]) if added else 0)
        return added

    monkeypatch.setattr(builders, "_BLOCK", block)
    monkeypatch.setattr(builders, "_FEW", 0)
    monkeypatch.setattr(builders, "_add_block", counted)
    fast = from_text(text, "export.txt")
    assert sum(calls) > rows * 0.8  # most rows went in blocks
    monkeypatch.setitem(document_module._BUILDERS, "columnar",
                        lambda raws, unit: builders.columnar(raws, unit, blocks=False))
    calls.clear()
    slow = from_text(text, "export.txt")
    assert not calls
    assert _tables(fast) == _tables(slow)
    problems = [p["kind"] for p in slow.problems]
    assert "misaligned_row" in problems and "unparsed_amount" in problems
    assert any(t.notes for t in slow.tables.values())


@pytest.mark.parametrize("sample", sorted((CENTER.parent).glob("*.txt")))
def test_columnar_blocks_on_the_samples(monkeypatch, sample):
    text = sample.read_text("utf-8")
    monkeypatch.setattr(builders, "_FEW", 0)  # their small tables in blocks too
    fast = from_text(text, sample.name)
    monkeypatch.setitem(document_module._BUILDERS, "columnar",
                        lambda raws, unit: builders.columnar(raws, unit, blocks=False))
    assert _tables(fast) == _tables(from_text(text, sample.name))
