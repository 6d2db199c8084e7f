"""One large document (issue #15, item 4): the columnar representation behind findings, the
likely-cause search and the text reader gives what the small document gives.

The center sample is arithmetically clean. One detail cell of its 支出总表 is planted wrong (one
unit of its last digit), and rows that print zeros (they add nothing to any sum) are inserted
after that row until the table has 200 or 5,000 rows: the findings (rule, figures, the total
cell they name) and the likely cause (cell, line, correction) must be the same at both sizes,
and at the planted cell's own line.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from budget_audit.loaders.layout import RawTexts, TabRow, read_items
from budget_audit.loaders.model import SourceLocation
from budget_audit.loaders.numbers import parse_amount
from budget_audit.loaders.text import from_text
from budget_audit.rules import engine, root_cause, root_cause_search
from budget_audit.rules.findings import Cells, CellRef
from budget_audit.rules.ruleset import load_ruleset

CENTER = Path(__file__).resolve().parents[2] / "samples" / "beijing-zhengwu-center-2026-budget.txt"
_AMOUNT = re.compile(r"^\d[\d,]*\.\d+$")


def _export(rows: int) -> tuple[str, int, str, str, int]:
    """(text, planted line, printed text, planted text, rows inserted): the 支出总表 padded to `rows`
    detail rows."""
    lines = CENTER.read_text("utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if "支出总表" in line and "预算03表" in line)
    detail = [i for i in range(start, len(lines)) if lines[i][:1].isdigit() and lines[i].count("\t") >= 4]
    planted = detail[2]  # 2010350 … 30107 绩效工资 244.411049
    fields = lines[planted].split("\t")
    at = next(j for j, f in enumerate(fields) if _AMOUNT.match(f))
    printed = fields[at]
    wrong = printed[:-1] + str((int(printed[-1]) + 1) % 10)
    fields[at] = wrong
    lines[planted] = "\t".join(fields)
    zero = "\t".join(re.sub(r"\d", "0", f) if _AMOUNT.match(f) else f for f in lines[detail[1]].split("\t"))
    padded = lines[:planted + 1] + [zero] * (rows - len(detail)) + lines[planted + 1:]
    return "\n".join(padded), planted + 1, printed, wrong, rows - len(detail)


def _checked(rows: int):
    text, line, printed, wrong, inserted = _export(rows)
    document = from_text(text, f"export-{rows}.txt")
    rules = load_ruleset(document.template)
    findings = engine.run(document, rules).findings
    return document, findings, root_cause.find(document, rules, findings), line, printed, wrong, inserted


@pytest.fixture(scope="module")
def small():
    return _checked(200)


@pytest.fixture(scope="module")
def large():
    return _checked(5000)


def _summary(checked):
    """Each finding's rule, figures and first cell, with lines as printed before the inserted rows."""
    findings, planted, inserted = checked[1], checked[3], checked[6]

    def unshifted(cell):
        line = cell.source.line
        return replace(cell, source=replace(cell.source, line=line - inserted if line > planted else line))

    return [(f.rule, f.severity, f.table, f.expected, f.actual, unshifted(f.cells[0]) if f.cells else None)
            for f in findings]


def test_the_large_export_has_the_findings_and_the_cause_of_the_small_one(small, large):
    document, findings, causes, line, printed, wrong, _ = large
    assert document.tables["expenditure_summary"].rows > 4900 and small[0].tables["expenditure_summary"].rows < 300
    assert findings and _summary(large) == _summary(small)
    found = [c for c in causes if c.found]
    assert [(c.explains, c.cell, c.printed, c.corrected) for c in found] == \
        [(c.explains, c.cell, c.printed, c.corrected) for c in small[2] if c.found]
    (cause,) = found
    assert cause.cell.source == SourceLocation(line=line) and cause.cell.value == wrong
    table = document.tables[cause.key[0]]
    assert table.text(cause.key[1], cause.key[2]) == wrong
    assert cause.corrected == parse_amount(printed, table.unit).fen and not cause.alternatives


def test_a_long_finding_keeps_its_cells_as_a_run_and_lists_them_as_a_list_would(large):
    findings = large[1]
    long = [f for f in findings if isinstance(f.cells, Cells) and len(f.cells) > 1000]
    assert long  # the column sums over the padded table
    for finding in long[:3]:
        listed = list(finding.cells)
        assert len(listed) == len(finding.cells) and all(isinstance(c, CellRef) for c in listed)
        assert finding.cells[-1] == listed[-1] and finding.cells[5:9] == listed[5:9]
        assert finding.lines == sorted({c.source.line for c in listed if c.source.line})
        assert finding.first_line == finding.lines[:1]
        out = finding.to_dict()
        rest = listed[100:]
        assert out["cells"] == [c.to_dict() for c in listed[:100]]
        assert out["cells_omitted"] == {"count": len(rest), "lines": [min(c.source.line for c in rest),
                                                                      max(c.source.line for c in rest)],
                                        "pages": None}


def test_the_array_index_names_the_cells_the_cell_by_cell_index_names(large):
    document, findings = large[0], large[1]
    index = root_cause_search.CellIndex(document)
    table = document.tables["expenditure_summary"]
    assert index._table(table.id) is not None  # one row a line: the numpy classes
    slow = root_cause_search.CellIndex(document)
    slow._fast[table.id] = None  # the cell-by-cell index of the same table
    for row in list(range(0, table.rows, 97)) + [table.rows - 1]:
        for column in table.amount_columns:
            ref = CellRef(table.id, "", column, table.text(row, column).strip() or None, table.location(row, column))
            assert index.keys(ref) == slow.keys(ref), (row, column)
            # its class (what groups and candidates count) holds exactly the keys the reference names
            assert index.members(index.class_of((table.id, row, column))) == slow.keys(ref), (row, column)
            assert len(index.ids([ref])) == 1
    # and the groups of findings that share cells are the same
    assert root_cause_search.groups(findings, index) == root_cause_search.groups(findings, slow)


def test_tab_rows_keep_their_line_and_give_the_cells_a_split_would():
    items = read_items("表头\n a\t1.00\t \t2.00\n")
    (title, row) = items
    assert isinstance(row, TabRow) and row.line == 2 and row.texts() == [" a", "1.00", " ", "2.00"]
    assert [(c.text, c.line) for c in row.non_blank()] == [(" a", 2), ("1.00", 2), ("2.00", 2)]
    assert row.printed_texts() == [(c.text, c.line) for c in row.non_blank()]
    row.forget()
    assert [c.text for c in row.cells] == [" a", "1.00", " ", "2.00"]
    raw = RawTexts([[2, row.printed], ("注：无", 3)])
    assert list(raw) == [(" a", 2), ("1.00", 2), ("2.00", 2), ("注：无", 3)] and len(raw) == 4


def test_kinds_the_search_does_not_re_run_for_reads_read_no_amount(large):
    """readers() skips READS_NO_AMOUNT kinds: run them with the read hook on, and nothing is read."""
    from budget_audit.rules import selection

    document = large[0]
    rules = [r for r in load_ruleset(document.template) if r.kind in root_cause_search.READS_NO_AMOUNT]
    assert rules
    token = selection.READ_ROWS.set({})
    try:
        engine.run(document, rules)
        assert selection.READ_ROWS.get() == {}
    finally:
        selection.READ_ROWS.reset(token)
    others = [r for r in load_ruleset(document.template) if r.kind == "column-sum"]
    token = selection.READ_ROWS.set({})
    try:
        engine.run(document, others)
        assert selection.READ_ROWS.get()  # the hook does see what an amount-reading kind reads
    finally:
        selection.READ_ROWS.reset(token)


def _residue_reference(document, patterns):
    """template-residue as it was before tab rows were scanned unit by unit: one tuple per text."""
    import bisect

    texts = [("narrative", "说明", p.text, p.line) for p in document.paragraphs]
    for table in document.tables.values():
        texts.append((table.id, "标题", table.title, table.source.line))
        texts.extend((table.id, "", text, line) for text, line in table.extras.get("raw_texts", []))
    joined = "\0".join(text for _, _, text, _ in texts)
    starts, offset = [], 0
    for _, _, text, _ in texts:
        starts.append(offset)
        offset += len(text) + 1
    spans = {}
    for pattern in patterns:
        for m in re.finditer(pattern, joined):
            i = bisect.bisect_right(starts, m.start()) - 1
            start, end = m.start() - starts[i], m.end() - starts[i]
            if i + 1 < len(starts) and m.start() >= starts[i + 1] - 1:
                continue
            if end <= len(texts[i][2]):
                spans.setdefault(i, set()).add((start, end))
    out, seen = [], set()
    for i in sorted(spans):
        table_id, row, text, line = texts[i]
        found = sorted(spans[i], key=lambda s: (s[0], -s[1]))
        for start, end in [s for s in found if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in found)]:
            if (line, text[start:end]) not in seen:
                seen.add((line, text[start:end]))
                out.append((table_id, row, text[:120], line, text[start:end]))
    return out


def test_template_residue_scans_tab_rows_as_it_scanned_their_cells():
    from budget_audit.rules.kinds import structure
    from budget_audit.rules.ruleset import Rule

    text, *_ = _export(300)
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.count("\t") >= 4 and line[:1].isdigit())
    # residues inside a cell, at a cell's start and end, over two cells (not one text), in a blank-padded row
    lines[at] = lines[at].replace("\t", "\t20××年\t", 1)
    lines[at + 3] = lines[at + 3] + "\t增加（减少）"
    lines[at + 5] = "202 年\t \t" + lines[at + 5]
    lines[at + 7] = lines[at + 7].replace("\t", "\t20", 1).replace("\t", "\tXX\t", 2)
    document = from_text("\n".join(lines), "residue.txt")
    patterns = ['20[×xX]{2}', '××', 'XX(?<![A-Za-z]XX)(?![A-Za-z])', '增加[（(]减少[)）]', '20(?<!\\d20)\\d\\s+年',
                '20(?<!\\d20)\\d年', '20\\d\\d\\s*\\+\\s*[\\dn]+\\s*年', '\\d\\x00\\d']
    rule = Rule(code="T001", kind="structure", severity="warning", family="STR", title={}, params={"check": "template-residue",
                                                                                   "patterns": patterns})
    found = [(f.cells[0].table, f.cells[0].row, f.cells[0].value, f.cells[0].source.line, f.extra.get("text"))
             for f in structure._template_residue(document, rule)]
    reference = _residue_reference(document, patterns)
    assert len(reference) >= 4, reference
    assert [(t, r, v, ln) for t, r, v, ln, _ in reference] == [x[:4] for x in found]
