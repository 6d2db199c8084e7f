"""The rules' fast paths over large tables (issue #15, item 4) give what the row-by-row paths give.

Each fast path is pinned against the general one on moderate inputs, edge cases included:
- selection.mask over factorised key columns (a test per distinct value), against a test per row;
  columns of mixed kinds (bool next to int, floats) handed back to the row-by-row path;
- selection.grouped (group-sum's and cross-table's groups), against the loops appending rows;
- hierarchy-sum's function tree over distinct codes, against the loop over rows;
- column-sum's top rows over distinct codes, against function_parent per row;
- template-residue's batches of tab rows, against the unit-per-row scan it replaces;
and one padded export whose findings (every field, cells included) are those of the general paths.
"""

from __future__ import annotations

import bisect
import random
import re
from array import array
from pathlib import Path

import numpy as np
import pytest

from budget_audit.loaders.codes import function_parent
from budget_audit.loaders.layout import LineBlock, RawTexts
from budget_audit.loaders.model import SourceLocation, Table
from budget_audit.loaders.text import from_text
from budget_audit.rules import engine, selection as sel
from budget_audit.rules.findings import CellRef
from budget_audit.rules.kinds import column_sum, cross_table, group_sum, hierarchy_sum, structure
from budget_audit.rules.ruleset import load_ruleset

CENTER = Path(__file__).resolve().parents[2] / "samples" / "beijing-zhengwu-center-2026-budget.txt"
_AMOUNT = re.compile(r"^\d[\d,]*\.\d+$")
RESIDUE = ['20[×xX]{2}', '××', 'XX(?<![A-Za-z]XX)(?![A-Za-z])', '增加[（(]减少[)）]', '20(?<!\\d20)\\d\\s+年',
           '20(?<!\\d20)\\d年', '20\\d\\d\\s*\\+\\s*[\\dn]+\\s*年']


def _export(rows: int, seed: int = 7) -> str:
    """The center sample with its 支出总表 padded to `rows` detail rows: copies of its detail rows
    with random figures, some with a placeholder (20××, XX) or a blank-looking cell."""
    rng = random.Random(seed)
    lines = CENTER.read_text("utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if "支出总表" in line and "预算03表" in line)
    end = next(i for i in range(start + 1, len(lines)) if re.match(r"预算\d\d表", lines[i]))
    detail = [i for i in range(start, end) if lines[i][:1].isdigit() and lines[i].count("\t") >= 4]
    extra = []
    for n in range(rows - len(detail)):
        fields = lines[rng.choice(detail)].split("\t")
        fields = [f"{rng.randint(0, 10**6)}.{rng.randint(0, 999999):06d}" if _AMOUNT.match(f) else f for f in fields]
        if n % 97 == 0:
            fields[1] = fields[1] + rng.choice(["20××年", "XX", " 2024 年", "增加（减少）"])
        if n % 89 == 0:
            fields.insert(2, "  ")  # a whitespace-only cell between two texts
        extra.append("\t".join(fields))
    return "\n".join(lines[:detail[-1] + 1] + extra + lines[detail[-1] + 1:])


@pytest.fixture(scope="module")
def padded():
    document = from_text(_export(3000), "export-3000.txt")
    assert document.tables["expenditure_summary"].rows > 3000  # the padded table, one block of tab rows
    assert any(isinstance(p, LineBlock) for p in document.tables["expenditure_summary"].extras["raw_texts"].parts)
    return document


def _table(columns: dict[str, list], amounts: dict[str, list[int | None]]) -> Table:
    rows = len(next(iter(columns.values())))
    data = {**columns, **amounts}
    return Table(id="expenditure_summary", title="支出总表", label=None, unit="元", data=data,
                 cell_ulps={c: [1] * rows for c in amounts}, cell_lines={c: list(range(10, 10 + rows)) for c in data},
                 cell_texts={c: [str(v) for v in values] for c, values in data.items()},
                 amount_columns=tuple(amounts), source=SourceLocation(line=1))


def _codes(rng: random.Random, rows: int) -> list[str]:
    """功能分类 codes with repeats, padding, blanks, parents listed or not."""
    pool = ["201", "20103", "2010301", "2010302", "20104", "2010401", "205", "2050201", "", " 201", "2010301 ",
            "abc", "20801", "2080101", "2080102", "9"]
    return [rng.choice(pool) for _ in range(rows)]


# --- selection.mask -------------------------------------------------------------------------

WHERES = [{"level": "项"}, {"level": ["类", "款"]}, {"level": {"not": ["项"]}}, {"code": {"prefix": "201"}},
          {"code": {"not_prefix": ["2010", "205"]}}, {"name": {"present": True}}, {"name": {"present": False}},
          {"is_total": True}, {"is_total": False}, {"code": {"prefix": "201"}, "level": "项"}, {"missing": 1}]


def _row_by_row(table, where):
    result = np.ones(table.rows, dtype=bool)
    for column, wanted in (where or {}).items():
        if column not in table.data:
            return np.zeros(table.rows, dtype=bool)
        result &= np.array([sel._predicate(wanted)(v) for v in table.data[column]], dtype=bool)
    return result


def test_masks_over_distinct_values_are_the_row_by_row_masks():
    rng = random.Random(1)
    rows = 2500
    table = _table({"code": _codes(rng, rows), "level": [rng.choice(["类", "款", "项", ""]) for _ in range(rows)],
                    "name": [rng.choice(["行政运行", None, "", "事业运行"]) for _ in range(rows)],
                    "is_total": [rng.random() < 0.01 for _ in range(rows)]},
                   {"total": [rng.choice([None, 5, 12345]) for _ in range(rows)]})
    for where in WHERES + [{"total": {"present": True}}, {"total": [5, None]}]:  # amount columns: row by row
        assert sel.mask(table, where).tolist() == _row_by_row(table, where).tolist(), where
        assert sel.rows(table, where) == np.flatnonzero(_row_by_row(table, where)).tolist()
        assert all(type(r) is int for r in sel.rows(table, where))
    codes, distinct = sel.factors(table, "code")
    assert [distinct[c] for c in codes.tolist()] == table.data["code"]
    small = _table({"code": table.data["code"][:sel.LARGE - 1]}, {"total": [1] * (sel.LARGE - 1)})
    assert sel.factors(small, "code") is None  # a small table is read row by row: cheaper than numpy
    assert sel.factors(table, "total") is None  # amounts change in the likely-cause trials


@pytest.mark.parametrize("values", [[1, True, 0, False, 1, "1"] * 300, [1.0, 1, "1", None, -0.0, 0.0] * 300,
                                    [float("nan"), "x", float("nan")] * 300])
def test_key_columns_of_mixed_kinds_are_tested_row_by_row(values, monkeypatch):
    monkeypatch.setattr(sel, "LARGE", 0)
    table = _table({"code": values}, {"total": [1] * len(values)})
    assert sel.factors(table, "code") is None
    for wanted in ([1], [True], {"prefix": "1"}, {"not": [0]}, {"present": True}, "1"):
        where = {"code": wanted}
        assert sel.mask(table, where).tolist() == _row_by_row(table, where).tolist(), wanted


# --- grouped: group-sum and cross-table -------------------------------------------------------

def _lists(groups):
    return [(key, list(rows)) for key, rows in groups.items()]


def test_groups_over_factorised_keys_are_the_loops_groups():
    rng = random.Random(2)
    rows = 3000
    table = _table({"code": _codes(rng, rows), "name": [rng.choice([" a", "a", "b ", "", "b"]) for _ in range(rows)],
                    "level": [rng.choice(["项", "款"]) for _ in range(rows)],
                    "is_total": [rng.random() < 0.02 for _ in range(rows)]},
                   {"total": [rng.randint(0, 99) for _ in range(rows)]})
    for where in (None, {"level": "项"}, {"code": {"prefix": "2010"}}, {"code": "nothing"}):
        for key in (["code"], ["code", "name"], ["name", "level", "code"]):
            spec = {"table": table.id, "where": where, "key": key, "column": "total"}
            fast, general = group_sum._group(table, spec), group_sum._group_rows(table, spec)
            assert _lists(fast) == _lists(general), (where, key)  # keys stripped, merged, in first-row order
            assert all(rows.dtype == np.int64 for rows in fast.values())
        for join in ([], ["code"], ["code", "name"]):
            spec = {"table": table.id, "where": where, "column": "total"}
            fast, general = cross_table._group(table, spec, join), cross_table._group_rows(table, spec, join)
            assert _lists(fast) == _lists(general), (where, join)  # keys not stripped: " 201" is not "201"


def test_a_key_column_that_cannot_be_factorised_is_grouped_row_by_row(monkeypatch):
    monkeypatch.setattr(sel, "LARGE", 0)
    table = _table({"code": [1, True, "1", 2] * 100}, {"total": [1] * 400})
    spec = {"table": table.id, "key": ["code"], "column": "total"}
    assert sel.grouped(table, np.ones(400, dtype=bool), ["code"]) is None
    assert _lists(group_sum._group(table, spec)) == _lists(group_sum._group_rows(table, spec))
    assert list(group_sum._group(table, spec)) == [("1",), ("True",), ("2",)]


# --- hierarchy-sum and column-sum: function_parent once per distinct code ----------------------

def test_the_function_tree_over_distinct_codes_is_the_loops_tree(monkeypatch):
    monkeypatch.setattr(sel, "LARGE", 0)  # the fast path on the small tables too
    rng = random.Random(3)
    for rows, totals in ((3000, 0.01), (50, 0.5), (1, 0.0)):
        table = _table({"code": _codes(rng, rows), "is_total": [rng.random() < totals for _ in range(rows)]},
                       {"total": [1] * rows})
        fast = hierarchy_sum._function_children(table)
        general = hierarchy_sum._children_rows(table, "function")
        assert _lists(fast) == _lists(general)  # the last row of a code is its parent, as a dict of them keeps
        assert all(type(parent) is int for parent in fast)
    table = _table({"code": _codes(rng, 500)}, {"total": [1] * 500})  # no is_total column
    assert _lists(hierarchy_sum._function_children(table)) == _lists(hierarchy_sum._children_rows(table, "function"))


def test_top_rows_over_distinct_codes_are_function_parent_per_row():
    rng = random.Random(4)
    table = _table({"code": _codes(rng, 3000), "is_total": [rng.random() < 0.05 for _ in range(3000)]},
                   {"total": [1] * 3000})
    not_total = ~np.array(table.data["is_total"], dtype=bool)
    present = {c for c, keep in zip(table.data["code"], not_total) if keep}
    expected = not_total & np.array([function_parent(c) not in present for c in table.data["code"]], dtype=bool)
    assert column_sum._detail_mask(table, "top").tolist() == expected.tolist()


# --- template-residue -------------------------------------------------------------------------

def _residue_reference(document, rule):
    """template-residue as it scanned before its batches: one unit per tab row (the general path)."""
    sources, unit_source, unit_k, starts, chunks = [], array("q"), array("q"), array("q"), []
    offset = 0

    def add(source, k, texts):
        nonlocal offset
        chunk = "\0".join(texts)
        unit_source.append(source)
        unit_k.append(k)
        starts.append(offset)
        offset += len(chunk) + 1
        chunks.append(chunk)

    def add_unit(unit):
        texts = structure._unit_texts(unit[3])
        if texts:
            sources.append(unit)
            add(len(sources) - 1, 0, texts)

    for paragraph in document.paragraphs:
        add_unit(("narrative", "说明", paragraph.line, paragraph.text))
    for table in document.tables.values():
        add_unit((table.id, "标题", table.source.line, table.title))
        raw = table.extras.get("raw_texts", [])
        for part in (raw.parts if isinstance(raw, RawTexts) else [(text, line) for text, line in raw]):
            if isinstance(part, LineBlock):
                sources.append((table.id, part))
                for k in range(len(part)):
                    texts = structure._unit_texts((part, k))
                    if texts:
                        add(len(sources) - 1, k, texts)
                continue
            add_unit((table.id, "", part[1], part[0]) if isinstance(part, tuple) else (table.id, "", part[0], [part[1]]))
    joined = "\0".join(chunks)

    def unit(u):
        source = sources[unit_source[u]]
        if len(source) == 2:
            return source[0], "", source[1].numbers[unit_k[u]], (source[1], unit_k[u])
        return source

    spans = {}
    for pattern in rule.params["patterns"]:
        for m in re.finditer(pattern, joined):
            u = bisect.bisect_right(starts, m.start()) - 1
            texts = structure._unit_texts(unit(u)[3])
            at, k = starts[u], 0
            while k + 1 < len(texts) and m.start() >= at + len(texts[k]) + 1:
                at += len(texts[k]) + 1
                k += 1
            start, end = m.start() - at, m.end() - at
            last = u + 1 >= len(starts) and k + 1 >= len(texts)
            if not last and m.start() >= at + len(texts[k]):
                continue
            if end <= len(texts[k]):
                spans.setdefault((u, k), set()).add((start, end))
    out, seen = [], set()
    for u, k in sorted(spans):
        table_id, row, line, payload = unit(u)
        text = structure._unit_texts(payload)[k]
        found = sorted(spans[u, k], key=lambda s: (s[0], -s[1]))
        for start, end in [s for s in found if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in found)]:
            if (line, text[start:end]) not in seen:
                seen.add((line, text[start:end]))
                out.append((line, text[start:end], CellRef(table_id, row, "", text[:120], SourceLocation(line=line))))
    return out


class _Rule:
    def __init__(self, patterns):
        self.code, self.severity, self.family, self.title, self.message = "STR005", "warning", "STR", {}, None
        self.params = {"check": "template-residue", "patterns": patterns}


# patterns a scan of joined texts treats specially: across the NUL between two texts, an empty match,
# a match at the very end, a lookbehind before a text's start
EDGE_PATTERNS = [r"[×X]\x00.", r"(?=20×)", r"×*$", r"(?<=\x00)XX", r"\s+年", r"[\s\S]{0,3}XX", r"X{0,2}(?=增)"]


# patterns no match of which can hold or see past a NUL: batches missing a required string are skipped
LOCAL_PATTERNS = [r"(?<=\d)年", r"\bXX\b", r"(20)\1", r"[×]{2}", r"增加(?:（减少）)+", r"2\d{3}\s年"]


def test_the_strings_every_match_holds():
    assert [structure._required_strings(p) for p in RESIDUE] == [
        [["20"], ["×", "x", "X"]], [["××"]], [["XX"]], [["增加"], ["（", "("], ["减少"], [")", "）"]],
        [["20"], ["年"]], [["20"], ["年"]], [["20"], ["+"], ["年"]]]
    assert structure._required_strings(r"(?<=\d)年") == [["年"]] and structure._required_strings(r"X{2,}|Y") is None
    for unsafe in EDGE_PATTERNS[:3] + EDGE_PATTERNS[5:] + [r"(?i)xx", r"a(?i:b)", r"^20", r"\S年", r"[^a]年", r"\x00"]:
        assert structure._required_strings(unsafe) is None, unsafe


@pytest.mark.parametrize("batch", [4096, 7, 1])
def test_template_residue_in_batches_is_the_scan_per_row(padded, batch, monkeypatch):
    monkeypatch.setattr(structure, "_BATCH", batch)
    joined = []
    chunk = structure._rows_chunk
    monkeypatch.setattr(structure, "_rows_chunk", lambda *a: joined.append(a) or chunk(*a))
    for patterns in (RESIDUE, LOCAL_PATTERNS, EDGE_PATTERNS[:4], EDGE_PATTERNS[4:]):
        rule = _Rule(patterns)
        fast = [(f.message["zh"], f.cells) for f in structure._template_residue(padded, rule)]
        general = _residue_reference(padded, rule)
        assert fast == [(f"第{line}行残留模板占位文字“{text}”", [cell]) for line, text, cell in general], patterns
    assert any("20××" in f.message["zh"] for f in structure._template_residue(padded, _Rule(RESIDUE)))
    joined.clear()
    list(structure._template_residue(padded, _Rule(RESIDUE)))
    if batch < 4096:  # most batches miss 年, ×, XX, 增加 and +: not joined
        assert 0 < len(joined) < 3000 / batch / 2


def test_a_block_row_holding_a_newline_is_joined_row_by_row():
    rows = ["a\tb", "20××\t ", "\t\tc", "x\ny", " \t20××"]  # the fourth row holds a newline of its own
    block, at = LineBlock("\n".join(rows)), 0
    for number, row in enumerate(rows, start=1):
        block.numbers.append(number)
        block.starts.append(at)
        block.ends.append(at + len(row))
        at += len(row) + 1
    per_row = "\0".join(c for k in range(len(block)) if (c := "\0".join(structure._unit_texts((block, k)))))
    assert structure._rows_chunk(block, 0, len(block)) == per_row == "a\0b\x0020××\0c\0x\ny\x0020××"
    assert structure._rows_chunk(block, 0, 3) == "a\0b\x0020××\0c"  # no newline: the cells found at once
    assert structure._rows_chunk(block, 1, 2) == "20××" and structure._rows_chunk(block, 4, 5) == "20××"


# --- one padded export: the findings of the fast paths are the general paths' ---------------

def test_the_padded_export_has_the_findings_of_the_general_paths(padded, monkeypatch):
    rules = load_ruleset(padded.template)
    fast = engine.run(padded, rules).findings
    for table in padded.tables.values():
        table.cache.clear()
        table.fixed.clear()
    monkeypatch.setattr(sel, "factors", lambda table, column: None)  # every key column row by row
    monkeypatch.setattr(structure, "_needles", lambda pattern: None)  # every batch joined
    monkeypatch.setattr(structure, "_rows_chunk", lambda block, k0, k1: "\0".join(
        c for k in range(k0, k1) if (c := "\0".join(structure._unit_texts((block, k))))))
    general = engine.run(padded, rules).findings
    assert len(fast) > 5 and any(f.rule == "STR005" for f in fast)
    assert [f.to_dict() for f in fast] == [f.to_dict() for f in general]
    assert [list(f.cells) for f in fast] == [list(f.cells) for f in general]


# --- whole columns as arrays -----------------------------------------------------------------

@pytest.mark.parametrize("blank", [0.0, 0.001, 0.05, 0.5, 1.0])
def test_amount_arrays_and_lines_are_the_row_by_row_ones(blank):
    rng = random.Random(5)
    values = [None if rng.random() < blank else rng.randint(-10**15, 10**15) for _ in range(4000)]
    table = _table({"code": ["1"] * 4000}, {"total": values})
    data, _ = sel.arrays(table, "total")
    assert data.dtype == np.int64 and data.tolist() == [v or 0 for v in values]
    present = sel.printed_rows(table, "total", np.arange(4000))
    assert present.tolist() == [i for i, v in enumerate(values) if v is not None]
    table.cell_lines["total"] = [rng.choice([None, 0, -3, 7, 12]) for _ in range(4000)]
    table.cell_lines["code"] = [rng.choice([0, -3, 7, 12]) for _ in range(4000)]  # ints only: at once
    for column in ("total", "code"):
        expected = [ln if ln and ln > 0 else 0 for ln in table.cell_lines[column]]
        assert sel.line_array(table, column).tolist() == expected


def test_values_of_every_row_are_the_arrays_and_record_the_same_rows():
    rng = random.Random(6)
    table = _table({"code": ["1"] * 3000}, {"total": [rng.choice([None, 3, 10**12]) for _ in range(3000)]})
    for picked in (np.ones(3000, dtype=bool), np.array([rng.random() < 0.5 for _ in range(3000)]), None,
                   np.arange(0, 3000, 7)):
        token = sel.READ_ROWS.set({})
        try:
            data, ulps = sel.values(table, "total", picked)
            recorded = sel.READ_ROWS.get()[(table.id, "total")]
        finally:
            sel.READ_ROWS.reset(token)
        rows = np.arange(3000) if picked is None else (np.flatnonzero(picked) if picked.dtype == bool else picked)
        assert data.tolist() == [table.data["total"][r] or 0 for r in rows.tolist()]
        assert ulps.tolist() == [1] * len(rows)
        assert [r.tolist() for r in recorded] == [rows.tolist()]
