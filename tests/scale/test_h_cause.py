"""The likely-cause search's fast paths at 1M rows (issue #15 item 4), pinned against the general
paths they replace: the numpy classes of a table (shared line and text lists, texts compared by
object arrays or by hashes), class ids deduplicated by a sort, a finding's listed cells looked up
in one batch, candidate counts in a dense range, the warning signatures without a call each.
Moderate inputs (a few thousand rows), and the edge cases each fast path hands back."""

from __future__ import annotations

import random

import numpy as np
import pytest

from budget_audit.loaders.model import Document, SourceLocation, Table
from budget_audit.loaders.text import from_text
from budget_audit.rules import engine, root_cause, root_cause_search as rs
from budget_audit.rules.findings import CellRef, Cells
from budget_audit.rules.ruleset import load_ruleset
from tests.conftest import CENTER, DISTRICT, HOTLINE


class _Colliding(str):
    """A text whose hash says nothing: every one hashes alike (the hash path must compare texts)."""

    def __hash__(self):
        return 7


def _reference_first(table) -> list[np.ndarray] | None:
    """The classes as the search computed them before (da0dd8f): one code per distinct stripped
    text, lines read one cell at a time, every earlier column compared."""
    columns = [c for c in table.amount_columns if c in table.cell_lines]
    n = table.rows
    lines = [np.fromiter(((ln if ln else 0) for ln in table.cell_lines[c]), dtype="int64", count=n) for c in columns]
    if any((ln < 0).any() for ln in lines):
        return None
    row_lines = np.maximum.reduce(lines)
    if any(((ln != 0) & (ln != row_lines)).any() for ln in lines):
        return None
    printed = row_lines[row_lines > 0]
    if len(np.unique(printed)) != len(printed):
        return None
    texts = [[("" if v is None or v != v else str(v)).strip() for v in table.cell_texts[c]] for c in columns]
    index: dict[str, int] = {}
    coded = [np.array([index.setdefault(t, len(index)) for t in column], dtype="int64") for column in texts]
    first = []
    for j in range(len(columns)):
        mine = np.full(n, j, dtype="int16")
        for i in range(j - 1, -1, -1):
            mine[(lines[i] > 0) & (coded[i] == coded[j])] = i
        mine[lines[j] == 0] = -1
        first.append(mine)
    return first


def _table(texts: dict[str, list], lines: dict[str, list], table_id: str = "t") -> Table:
    n = len(next(iter(texts.values())))
    data = {"name": [f"r{i}" for i in range(n)]}
    data.update({c: [None if not (t or "").strip() else 100 * i for i, t in enumerate(v)] for c, v in texts.items()})
    return Table(id=table_id, title="表", label=None, unit="元", data=data,
                 cell_ulps={c: [0] * n for c in texts}, cell_lines={"name": lines[next(iter(lines))], **lines},
                 cell_texts={"name": data["name"], **texts}, amount_columns=tuple(texts), source=SourceLocation(line=1))


def _tables(n: int = 3000, seed: int = 5):
    """Tables whose columns the fast path must class as the cell-by-cell index does."""
    rnd = random.Random(seed)
    row_lines = [10 + 2 * i for i in range(n)]
    figures = [f"{rnd.randint(0, 30)}.00" for _ in range(n)]
    blank = [""] * n
    plain = {"a": figures, "b": [f if rnd.random() < 0.5 else "1.00" for f in figures], "c": blank, "d": blank,
             "e": [f"{rnd.randint(0, 3)}.00" for _ in range(n)]}
    yield "plain texts, shared lines and blanks", _table(plain, {c: row_lines for c in plain})
    spaced = {"a": [f" {f}" if i % 7 == 0 else f for i, f in enumerate(figures)],
              "b": [f"{f} " if i % 5 == 0 else f for i, f in enumerate(figures)],
              "c": [None if i % 3 == 0 else "\u3000" if i % 3 == 1 else "0.00" for i in range(n)],
              "d": ["0.00" if i % 2 else " " for i in range(n)]}
    yield "texts to strip, None and ideographic spaces", _table(spaced, {c: row_lines for c in spaced})
    nul = {"a": [f"{f}\x00" if i == 3 else f for i, f in enumerate(figures)], "b": list(figures)}
    yield "a text holding the join's separator", _table(nul, {c: row_lines for c in nul})
    wide = {f"c{k}": [f"{rnd.randint(0, 2 if k % 2 else 60)}.00" for _ in range(n)] for k in range(12)}
    wide["c5"] = wide["c2"]
    yield "many distinct lists: hashes first", _table(wide, {c: list(row_lines) for c in wide})
    colliding = {f"c{k}": [_Colliding(f"{rnd.randint(0, 2)}.00") for _ in range(n)] for k in range(10)}
    yield "every hash alike: the texts decide", _table(colliding, {c: row_lines for c in colliding})
    holes = [ln if i % 11 else None for i, ln in enumerate(row_lines)]
    zeros = [ln if i % 13 else 0 for i, ln in enumerate(row_lines)]
    gaps = {"a": figures, "b": list(figures), "c": plain["e"]}
    yield "cells without a line", _table(gaps, {"a": row_lines, "b": holes, "c": zeros})
    unordered = list(reversed(row_lines))
    yield "rows not in line order", _table(dict(plain), {c: unordered for c in plain})


def _document(table: Table) -> Document:
    return Document(path="t.txt", template=None, year=None, unit="元", tables={table.id: table})


@pytest.mark.parametrize("case", list(_tables()), ids=lambda c: c[0])
def test_the_classes_are_those_the_earlier_search_computed(case):
    _, table = case
    classes = rs._Classes.of(table, 0)
    reference = _reference_first(table)
    assert (classes is None) == (reference is None)
    assert classes is not None
    assert [a.tolist() for a in classes.first] == [a.tolist() for a in reference]


@pytest.mark.parametrize("case", list(_tables()), ids=lambda c: c[0])
def test_the_array_index_and_its_batch_name_what_the_cell_by_cell_index_names(case):
    _, table = case
    document = _document(table)
    fast, slow = rs.CellIndex(document), rs.CellIndex(document)
    slow._fast[table.id] = None
    assert fast._table(table.id) is not None
    refs = []
    for row in range(0, table.rows, 7):
        for column in table.amount_columns:
            text = table.text(row, column).strip() or None
            ref = CellRef(table.id, "", column, text, table.location(row, column))
            refs.append(ref)
            assert fast.keys(ref) == slow.keys(ref), (row, column)
            key = (table.id, row, column)
            if fast.class_of(key) is not None:
                assert fast.members(fast.class_of(key)) == slow.keys(ref), (row, column)
    # references the index cannot place: another text, a line no row is on, a page, no line
    refs += [CellRef(table.id, "", "a", "9999.00", refs[0].source), CellRef(table.id, "", "a", None, SourceLocation(line=5)),
             CellRef(table.id, "", "a", refs[1].value, SourceLocation(line=refs[1].source.line, page=2)),
             CellRef(table.id, "", "a", None, SourceLocation()), CellRef("other", "", "a", None, SourceLocation(line=12))]
    classes = fast._table(table.id)
    one_by_one = sorted({i for ref in refs if ref.table == table.id for i in classes.cell_ids(ref)})
    assert fast.ids(refs).tolist() == one_by_one
    assert sorted(classes.cells_ids([r for r in refs if r.table == table.id]).tolist()) == \
        sorted(i for ref in refs if ref.table == table.id for i in classes.cell_ids(ref))  # one id per cell placed


def test_a_table_the_numpy_classes_cannot_hold_goes_cell_by_cell():
    row_lines = [10 + i for i in range(50)]
    texts = {"a": [f"{i}.00" for i in range(50)], "b": [f"{i}.00" for i in range(50)]}
    negative = _table(texts, {"a": row_lines, "b": [-1] + row_lines[1:]})
    two_lines = _table(texts, {"a": row_lines, "b": [ln + 1 for ln in row_lines]})
    side_by_side = _table(texts, {"a": [10 + i // 2 for i in range(50)], "b": [10 + i // 2 for i in range(50)]})
    for table in (negative, two_lines, side_by_side):
        assert _reference_first(table) is None and rs._Classes.of(table, 0) is None


def test_line_numbers_and_stripped_texts_are_the_general_expressions():
    cases = [[3, 4, 5], [3, None, 0, 7], [True, 2, 0], [2.0, 3.0], [2**70, 1], (3, 4), [-2, 5]]
    for values in cases:
        try:
            expected = np.fromiter(((ln if ln else 0) for ln in values), dtype="int64", count=len(values)).tolist()
        except OverflowError:
            with pytest.raises(OverflowError):
                rs._line_numbers(values, len(values))
            continue
        assert rs._line_numbers(values, len(values)).tolist() == expected, values
    texts = [["1.00", "2.00"], [" 1.00", "2.00"], ["1.00\t", "x"], ["1 000.00", "2"], ["a\x00", "b"], ["", ""],
             [""], [None, "1"], [float("nan"), "1"], [3, "1"], ["\u3000", "1"], ["\x1c1", "2"], [_Colliding(" 1"), "2"]]
    for values in texts:
        expected = [("" if v is None or v != v else str(v)).strip() for v in values]
        assert list(rs._stripped(values, len(values))) == expected, values


def test_unique_is_numpys():
    rnd = np.random.default_rng(3)
    for values in [np.zeros(0, dtype="int64"), np.array([5]), np.arange(10), np.arange(10)[::-1].copy(),
                   rnd.integers(-50, 50, 1000), np.repeat(np.arange(5), 3), rnd.integers(0, 10**12, 5000)]:
        assert rs._unique(values.astype("int64")).tolist() == np.unique(values).tolist()


def _counted_by_search(findings, group, ids):
    """The counts as the search added them before: one running sum per named class."""
    named = np.unique(np.concatenate([ids[i] for i in group]))
    count = np.zeros(len(named), dtype="int64")
    weight = np.zeros(len(named), dtype="float64")
    for i in group:
        at = np.searchsorted(named, ids[i])
        count[at] += 1
        weight[at] += 1 / len(findings[i].cells)
    return named, count, weight


class _Sized:
    def __init__(self, size: int):
        self.cells = [None] * size


@pytest.mark.parametrize("spread", [50, 10**9])  # a dense range, and ids too far apart for one
def test_candidate_counts_are_the_running_sums(spread):
    rnd = np.random.default_rng(11)
    findings = [_Sized(int(s)) for s in rnd.integers(1, 40, 30)]
    group = list(range(0, 30, 2)) + list(range(1, 30, 2))
    ids = {i: np.unique(rnd.integers(-20, spread, int(rnd.integers(1, 400)))) for i in group}
    named, count, weight = rs._counted(findings, group, ids)
    expected = _counted_by_search(findings, group, ids)
    assert named.tolist() == expected[0].tolist() and count.tolist() == expected[1].tolist()
    assert weight.tolist() == expected[2].tolist()  # the same floats: added in the same order
    assert count.dtype == np.int64 and named.dtype == np.int64


@pytest.fixture(scope="module")
def checked():
    out = []
    for path in (CENTER, DISTRICT, HOTLINE):
        document = from_text(path.read_text("utf-8"), path.name)
        rules = load_ruleset(document.template)
        out.append((document, rules, engine.run(document, rules).findings))
    return out


def test_warning_signatures_are_the_signature_of_each_warning(checked):
    for _, _, findings in checked:
        expected = {rs.signature(f) for f in findings if rs.SEVERITY_RANK[f.severity] >= rs.SEVERITY_RANK["warning"]}
        assert expected and rs.warnings_and_errors(findings) == expected


def test_causes_of_some_findings_only_are_those_of_the_chosen(checked):
    for document, rules, findings in checked:
        every = root_cause.find(document, rules, findings)
        numeric = [i for i, f in enumerate(findings) if root_cause._is_numeric(f)]
        assert root_cause.find(document, rules, findings, among=range(len(findings))) == every
        assert root_cause.find(document, rules, findings, among=[i for i in range(len(findings)) if i not in numeric]) == []


def test_no_search_when_not_one_rerun_is_allowed(checked, monkeypatch):
    document, rules, findings = next(c for c in checked if root_cause.find(*c))  # a sample with a cause
    runs = []
    real_readers, real_try = root_cause.readers, rs._try
    monkeypatch.setattr(root_cause, "readers", lambda *a: runs.append("readers") or real_readers(*a))
    monkeypatch.setattr(rs, "_try", lambda *a, **k: runs.append("try") or real_try(*a, **k))
    assert root_cause.find(document, rules, findings) and "readers" in runs and "try" in runs
    runs.clear()
    monkeypatch.setattr(rs, "WORK_LIMIT", rs.Budget(document).cost - 1)
    assert root_cause.find(document, rules, findings) == [] and runs == []  # what the search would say, unsearched


def test_what_trials_compare_with_is_listed_on_first_use_as_before(checked):
    for _, _, findings in checked:
        for chosen in (None, set(range(0, len(findings), 2))):
            known = rs.Known(findings, chosen)
            assert "before" not in vars(known) and "notes" not in vars(known)  # nothing listed until a trial asks
            before = rs.warnings_and_errors(findings)
            assert known.before == before and known.places == {rs._place(s) for s in before}
            assert known.notes == frozenset(rs.signature(f) for i, f in enumerate(findings)
                                            if f.severity == "info" and (chosen is None or i in chosen))


def test_a_findings_dict_lists_and_omits_its_cells_as_the_general_path(checked):
    from dataclasses import replace

    from budget_audit.rules.findings import CELLS_LISTED, omitted

    refs = [CellRef("t", "r", "c", str(i), SourceLocation(line=i % 37 or None)) for i in range(260)]
    finding = next(f for _, _, found in checked for f in found if f.expected is not None)
    for count in (0, 1, CELLS_LISTED - 1, CELLS_LISTED, CELLS_LISTED + 1, 260):
        cells = refs[:count]
        out = replace(finding, cells=cells).to_dict()
        listed, rest = cells[:CELLS_LISTED], cells[CELLS_LISTED:]
        assert out["cells"] == [c.to_dict() for c in listed]
        assert out["lines"] == sorted({c.source.line for c in (listed if rest else cells) if c.source.line})
        assert out.get("cells_omitted") == (omitted(rest) if rest else None)
        assert out["expected"] == replace(finding, cells=Cells([cells])).to_dict()["expected"]
        assert replace(finding, cells=Cells([cells])).to_dict() == out  # a run-free Cells is listed alike


def test_the_document_dict_resumes_garbage_collection():
    import gc

    from budget_audit.reports.report import DocumentResult

    result = DocumentResult(path="x.txt", status="ok")
    assert gc.isenabled()
    result.to_dict()
    assert gc.isenabled()
    gc.disable()
    try:
        result.to_dict()
        assert not gc.isenabled()  # a caller's pause is left as it was
    finally:
        gc.enable()


class _OneRerun(rs.Budget):
    """A budget that looks like two re-runs (the general trial loop runs) but allows one."""

    def __init__(self, document):
        super().__init__(document)
        self.left, self.asked = 2 * self.cost, 0

    def spend(self) -> bool:
        self.asked += 1
        if self.asked > 1:
            return False
        self.left -= self.cost
        return True


def test_the_last_trial_is_what_the_trial_loop_does_with_one_rerun_left(checked):
    tried = 0
    for document, rules, findings in checked:
        numeric = [i for i, f in enumerate(findings) if root_cause._is_numeric(f)]
        index = rs.CellIndex(document)
        known = rs.Known(findings)
        for members in rs.groups([findings[i] for i in numeric], index):
            group = [numeric[m] for m in members]
            general = _OneRerun(document)
            assert general.left >= 2 * general.cost
            found = rs.trials(document, findings, group, index, rs.readers(document, rules), known, general)
            last = rs.Budget(document, limit=general.cost * 3 // 2)
            lazy = rs.readers(document, rules)
            assert rs.trials(document, findings, group, index, lazy, known, last) == found == {}
            charged = general.left < 2 * general.cost
            assert (last.left < general.cost * 3 // 2) == charged and last.left in (general.cost // 2, general.cost * 3 // 2)
            tried += charged
    assert tried  # some group did spend its one re-run


def test_reads_any_runs_readers_until_one_reads_the_cell(checked):
    document, rules, findings = next(c for c in checked if root_cause.find(*c))
    eager = rs.readers(document, rules)
    table = document.tables["expenditure_summary"]
    keys = [(table.id, row, column) for row in range(table.rows) for column in table.amount_columns]
    expected = {key: eager.get(key) for key in keys}
    assert any(expected.values())
    stopped_early = 0
    for key in keys:
        lazy = rs.readers(document, rules)
        assert lazy.reads_any(key) == bool(expected[key])
        stopped_early += bool(lazy.pending)
        assert lazy.get(key) == expected[key] and not lazy.pending
    assert stopped_early  # some cell is read by a rule before the last


def test_a_one_cell_findings_lines_are_the_general_ones(checked):
    from dataclasses import replace

    finding = next(f for _, _, found in checked for f in found if f.cells)
    for source in (SourceLocation(line=7), SourceLocation(), SourceLocation(line=0), SourceLocation(page=3)):
        cell = CellRef("t", "r", "c", "1.00", source)
        one = replace(finding, cells=[cell])
        assert one.lines == sorted({c.source.line for c in [cell] if c.source.line}) == one.to_dict()["lines"]
        assert one.first_line == one.lines[:1]
