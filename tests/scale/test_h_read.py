"""The text reader's fast paths (issue #15, item 4) give what the general path gives.

Each fast path is pinned against the general one on moderate inputs, edge cases included:
- show_invisible's printable test of the text, against a scan of every line by the regex;
- read_items' tab-row loop and cell-per-line test, against TabRow.of and the two full counts;
- segment's run of plain tab rows, against the same rows as cell rows (RawRow: no fast path);
- the header-repeat test (first text, leading digit), against whole normalised signatures;
- a tab row's cell_text from its offsets, against a split of its line.
"""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest

from budget_audit.loaders import document as document_module
from budget_audit.loaders import text as text_module
from budget_audit.loaders.catalog import norm_label
from budget_audit.loaders.headers import is_data_row, split_header
from budget_audit.loaders.layout import PlainRow, RawCell, RawRow, TabRow, TextLine, is_cell_per_line, read_items
from budget_audit.loaders.segment import segment
from budget_audit.loaders.text import show_invisible

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
_CF_CHARS = [chr(c) for c in range(0x110000)
             if not 0xD800 <= c < 0xE000 and text_module._INVISIBLE.match(chr(c))]


# --- show_invisible -------------------------------------------------------------------------

def _shown_every_line(text: str) -> tuple[str, list[dict]]:
    """The general path: every line scanned by the regex."""
    inv, in_amount = text_module._INVISIBLE, text_module._IN_AMOUNT
    if not inv.search(text):
        return text, []
    lines, found = text.split("\n"), []
    for number, line in enumerate(lines, 1):
        if not inv.search(line):
            continue
        shown = in_amount.sub(lambda m: "".join(f"〈U+{ord(ch):04X}〉" for ch in m.group(0)), line)
        lines[number - 1] = inv.sub("", shown)
        codes = sorted({f"U+{ord(ch):04X}" for ch in inv.findall(line)})
        found.append({"kind": "invisible_character", "line": number, "text": lines[number - 1].strip(),
                      "characters": codes, "in_amount": shown != line})
    return "\n".join(lines), found


def test_every_invisible_character_is_unprintable_and_the_blanks_made_spaces_are_not_invisible():
    assert len(_CF_CHARS) > 150  # the class is read, not empty
    assert not [ch for ch in _CF_CHARS if ch.isprintable()]
    assert not [b for b in text_module._BLANKS if text_module._INVISIBLE.match(b)]


def _export_lines(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    names = ["一般公共服务支出", "事业运行", "“三公”经费", "培训费\u3000", "其他支出"]
    return [f"{2010300 + rng.randrange(99)}-{rng.choice(names)}\t{rng.randrange(10**6)}.{rng.randrange(100):02d}"
            f"\t{rng.choice(['', ' ', '1,234.50'])}" for _ in range(count)]


@pytest.mark.parametrize("seed", range(6))
def test_show_invisible_finds_and_shows_what_a_scan_of_every_line_does(seed):
    rng = random.Random(seed)
    lines = _export_lines(6000, seed)  # about 300,000 characters: several pieces of the scan
    chunk = text_module._CHUNK
    text = "\n".join(lines)
    # characters placed anywhere: in amounts, at the start and the end, around piece borders
    spots = [0, len(text) - 1, chunk - 1, chunk, chunk + 1, 2 * chunk - 1] + [rng.randrange(len(text)) for _ in range(18)]
    chars = list(text)
    for at in spots:
        if 0 <= at < len(chars):
            chars[at] = chars[at] + rng.choice(_CF_CHARS + ["\u200b", "\ufeff", "\u00ad"])
    planted = "".join(chars)
    if seed % 2:
        planted = planted.replace("\n", "\r\n", 50) + "\n"  # carriage returns and a last empty line
    assert show_invisible(planted) == _shown_every_line(planted)
    assert show_invisible(planted)[1]  # the planted characters were found
    assert show_invisible(text) == (text, []) == _shown_every_line(text)


@pytest.mark.parametrize("text", ["", "\u200b", "a\u200b", "\u200ba", "1\u200b2\n\n3", "\n\u2060\n",
                                  "x\t1\u200d.00\n\U000e0041y", "\u3000\u00a0\x0b\x0c\u2028 only unprintable blanks",
                                  "\u00ad" * 5 + "\n" * 3])
def test_show_invisible_on_edge_texts(text):
    assert show_invisible(text) == _shown_every_line(text)


# --- read_items -----------------------------------------------------------------------------

def _tab_items_by_of(text: str) -> list[tuple]:
    """The general path: each row made by TabRow.of, as (kind, number, printed)."""
    out, start, number = [], 0, 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        number += 1
        line = text[start:end]
        if "\t" in line:
            if not line.isspace():
                row = TabRow.of(text, number, start, end)
                out.append(("row", row.line, row.printed, row.texts()))
        elif line.strip():
            out.append(("text", number, line, None))
        start = end + 1
    return out


def _is_plain(printed: str) -> bool:
    """Two cells that start with a visible character, no 单位 (a sufficient test for what segment
    would only add to its table: two visible texts, no unit)."""
    cells = printed.split("\t")
    return (len(cells) >= 2 and cells[0][:1].strip() != "" and cells[1][:1].strip() != ""
            and "单位" not in printed)


def test_read_items_marks_the_plain_rows_and_only_them():
    lines = _EDGE_ROWS + ["a\tb", "a\t", "\ta\tb", "a \t b\t单位", "x\t\u3000", "金额单位：元\t1", "x\ty\n",
                          "a\t 1", " a\tb", "单\t位", "a\tb单位"]
    items = read_items("\n".join(lines * 3))
    rows = [i for i in items if isinstance(i, TabRow)]
    assert len(rows) > 40 and 0 < sum(type(r) is PlainRow for r in rows) < len(rows)
    assert [type(r) is PlainRow for r in rows] == [_is_plain(r.printed) for r in rows]


def _items_seen(items) -> list[tuple]:
    return [("row", i.line, i.printed, i.texts()) if isinstance(i, TabRow) else ("text", i.line, i.text, None)
            for i in items]


@pytest.mark.parametrize("text", [
    "预算01表 收支总表\n\n金额单位：万元\n项目\t预算数\n一、收入\t1.00\n \t \n\t\n合计\t1.00",
    "a\tb", "\t", "a\tb\n", "\n\n\ta\tb\n \nc", "x\r\ny\tz\r\n\r\nq\t1\rr\t2",
])
def test_read_items_makes_the_rows_tab_row_of_makes(text):
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    if not is_cell_per_line(normal):
        assert _items_seen(read_items(text)) == _tab_items_by_of(normal)


@pytest.mark.parametrize("piece", [1, 2, 7, 64])
def test_read_items_split_in_small_pieces_makes_the_same_rows(piece, monkeypatch):
    from budget_audit.loaders import layout

    rng = random.Random(piece)
    monkeypatch.setattr(layout, "_PIECE", piece)  # many piece borders, at every kind of place
    for _ in range(200):
        text = "".join(rng.choice(["\t", "\n", "a", " ", "单位", "\n\n", "1\t2"]) for _ in range(rng.randrange(30)))
        if not is_cell_per_line(text):
            assert _items_seen(read_items(text)) == _tab_items_by_of(text), repr(text)
            seen = [type(i) for i in read_items(text) if isinstance(i, TabRow)]
            assert seen == [PlainRow if _is_plain(i.printed) else TabRow for i in read_items(text) if isinstance(i, TabRow)]


def test_read_items_on_a_sample_export():
    text = (SAMPLES / "beijing-zhengwu-center-2026-budget.txt").read_text("utf-8")
    assert _items_seen(read_items(text)) == _tab_items_by_of(text)


def _cell_per_line_counted(text: str) -> bool:
    tabs = text.count("\t")
    leading = text.count("\n\t") + text.startswith("\t")
    return tabs > 0 and leading * 10 >= tabs * 9


def test_the_cell_per_line_test_answers_as_the_full_counts_do():
    rng = random.Random(7)
    for _ in range(6000):
        text = "".join(rng.choice(["\t", "\n", "a", "\n\t", "\t\t", "\t" * 9, "\n" * 3]) for _ in range(rng.randrange(18)))
        assert is_cell_per_line(text) == _cell_per_line_counted(text), repr(text)
    layouts = [is_cell_per_line(path.read_text("utf-8")) for path in sorted(SAMPLES.glob("*.txt"))]
    assert layouts == [_cell_per_line_counted(path.read_text("utf-8")) for path in sorted(SAMPLES.glob("*.txt"))]


# --- segment --------------------------------------------------------------------------------

def _as_cell_rows(items):
    """The same stream with every tab row as a RawRow of its cells (segment's general path)."""
    return [RawRow([RawCell(t, i.line) for t in i.texts()]) if isinstance(i, TabRow) else i for i in items]


def _tables_seen(result):
    tables, narrative, template = result
    return ([(t.label, t.title, t.line, t.table_id, t.unit, t.unit_text, t.heading,
              [(r.line, r.texts()) for r in t.rows], [(n.text, n.line) for n in t.notes]) for t in tables],
            [(n.text, n.line) for n in narrative], template)


_EDGE_ROWS = [
    "2010301-行政运行\t1.00\t\t",
    "\t合计\t1.00",              # first cell blank: the general path decides
    " \t \t1.00",                 # first cell of blanks
    "\u3000\t小计\t2.00",
    "\t预算06表 一般公共预算基本支出表",  # one visible cell, not the first: a label
    " \t小计",
    "\u3000\t预算07表 一般公共预算“三公”经费支出表",  # its first cell blanks only
    "项目\t\t1.00",               # second cell blank
    "项目\t \t",                  # one visible cell: could be a title
    "预算02表 收入总表\t\t",       # a label as a tab row
    "部门：某单位\t单位：万元",     # a unit line as a tab row
    "编制单位\t北京市某中心",        # 单位 in a cell that is no unit line
    "201\t03\t01\t行政运行\t3.00",
    "预算05表 一般公共预算支出表\t",
    "收入总表",
    "注：本表无数据",
    "类\t款\t项\t科目名称\t合计",
]


@pytest.mark.parametrize("seed", range(5))
def test_segment_reads_plain_tab_rows_as_it_reads_cell_rows(seed):
    rng = random.Random(seed)
    base = (SAMPLES / "beijing-zhengwu-center-2026-budget.txt").read_text("utf-8").split("\n")
    lines = list(base)
    for _ in range(300):  # edge rows anywhere, also before the first table and among titles
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(_EDGE_ROWS))
    items = read_items("\n".join(lines))
    assert sum(isinstance(i, TabRow) for i in items) > 300
    assert _tables_seen(segment(items)) == _tables_seen(segment(_as_cell_rows(items)))


def test_segment_fast_path_keeps_changed_tab_rows_to_the_general_path():
    items = read_items("预算03表 支出总表\n金额单位：元\n科目\t合计\n201-一般\t1.00\n202-外交\t2.00\n")
    changed = items[3]
    changed.cells = [RawCell("预算04表 财政拨款收支总表", changed.line)]  # a reader rebuilt the row
    tables, _, _ = segment(items)
    assert [t.label for t in tables] == ["预算03表", "预算04表"]
    assert [r.line for r in tables[1].rows] == [5]


# --- header repeats -------------------------------------------------------------------------

def _split_by_signatures(rows, unit):
    """The general path of split_header: every body row normalised whole."""
    header, index = [], 0
    while index < len(rows) and not is_data_row(rows[index], unit):
        if rows[index].non_blank():
            header.append(rows[index])
        index += 1
    signatures = {tuple(norm_label(t) for t in h.texts()) for h in header}
    return header, [r for r in rows[index:] if tuple(norm_label(t) for t in r.texts()) not in signatures]


def _dropped_by_signatures(rows, unit):
    head = 0
    while head < len(rows) and not is_data_row(rows[head], unit):
        head += 1
    seen = {tuple(norm_label(t) for t in r.texts()) for r in rows[:head] if r.non_blank()}
    if not seen:
        return rows
    return rows[:head] + [r for r in rows[head:]
                          if tuple(norm_label(t) for t in r.texts()) not in seen or is_data_row(r, unit)]


_HEADERS = [["科目编码", "科目名称", "合计"], ["2021年预算数", "2022年预算数"], ["１类", "款"],
            ["项 目", "“合计”"], ["3月", "说明"], ["", "合计"]]  # the last is no header


def _header_table(seed: int):
    rng = random.Random(seed)
    header = rng.choice(_HEADERS)
    variants = [header, [t.replace(" ", "") for t in header], ["  " + t for t in header],
                [unicodedata.normalize("NFKC", t) for t in header], header + ["x"]]
    text_rows = ["\t".join(header)]
    for _ in range(400):
        kind = rng.randrange(6)
        if kind == 0:
            text_rows.append("\t".join(rng.choice(variants)))  # the header printed again (or nearly)
        elif kind == 1:
            text_rows.append(f"{rng.choice(['3', '2', '１', '2021年'])}{rng.randrange(99)}\t{rng.randrange(9)}.00")
        else:
            text_rows.append(f"{2010300 + rng.randrange(99)}-行政运行\t{rng.randrange(10**5)}.00")
    rows = [i for i in read_items("\n".join(text_rows)) if isinstance(i, TabRow)]
    for row in rng.sample(rows, 20):  # some rows rebuilt by a reader, some plain cell rows
        row.cells = [RawCell(t, row.line) for t in row.texts()]
    rows += [RawRow([RawCell(t, 9000) for t in rng.choice(variants)]), RawRow([])]
    return rows


@pytest.mark.parametrize("seed", range(18))
def test_split_header_and_repeated_header_drop_test_every_row_as_its_whole_signature_does(seed):
    rows = _header_table(seed)
    for unit in ("元", "万元"):
        header, body = split_header(rows, unit)
        expected_header, expected_body = _split_by_signatures(rows, unit)
        assert header == expected_header and [id(r) for r in body] == [id(r) for r in expected_body]
        dropped = document_module._drop_repeated_header(rows, unit)
        assert [id(r) for r in dropped] == [id(r) for r in _dropped_by_signatures(rows, unit)]
    if expected_header:
        assert len(body) < len(rows) - 1  # repeats were there to drop


def test_a_leading_ascii_digit_is_kept_by_norm_label_whatever_follows():
    """The repeat test's shortcut rests on this: no character composes with an ASCII digit."""
    for digit in "09":
        for code in range(0x300, 0x110000, 1):
            if 0xD800 <= code < 0xE000:
                continue
            if not (unicodedata.combining(chr(code)) or unicodedata.decomposition(chr(code))):
                continue
            assert norm_label(digit + chr(code))[:1] == digit, hex(code)


# --- cell_text ------------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["a", "", "a\tb", "\t", "a\t\tb\t", " x \t\u3000\ty"])
def test_a_tab_rows_cell_text_is_its_lines_split(line):
    whole = f"head\n{line}\ntail"
    rows = [TabRow.of(line, 2), TabRow.of(whole, 2, 5, 5 + len(line))]
    split = line.split("\t")
    for row in rows:
        for j in range(len(split) + 3):
            assert row.cell_text(j) == (split[j] if j < len(split) else None)


# --- the whole document ---------------------------------------------------------------------

def _document_seen(document):
    tables = {}
    for table_id, t in document.tables.items():
        extras = dict(t.extras)
        raw_texts = list(extras.pop("raw_texts"))
        tables[table_id] = (t.title, t.label, t.unit, t.source, t.declared_unit_text, t.notes,
                            {k: list(v) for k, v in t.data.items()}, {k: list(v) for k, v in t.cell_lines.items()},
                            {k: list(v) for k, v in t.cell_texts.items()}, {k: list(v) for k, v in t.cell_ulps.items()},
                            raw_texts, repr(extras))
    return (document.template, document.year, document.unit, document.meta, document.problems,
            [(p.text, p.line) for p in document.paragraphs], tables)


def _padded_export(rows: int, seed: int) -> str:
    """The center sample with `rows` detail rows of distinct figures, edge rows among them."""
    rng = random.Random(seed)
    lines = (SAMPLES / "beijing-zhengwu-center-2026-budget.txt").read_text("utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if "支出总表" in line and "预算03表" in line)
    detail = next(i for i in range(start, len(lines)) if lines[i][:1].isdigit() and lines[i].count("\t") >= 4)
    fields = lines[detail].split("\t")
    extra = []
    for k in range(rows):
        if rng.random() < 0.02:
            extra.append(rng.choice([r for r in _EDGE_ROWS if "表" not in r] + [lines[start + 3]]))  # and the header
            continue
        row = [f"{int(f[:7]) + k % 7}{f[7:]}" if j == 0 and f[:7].isdigit() else
               f"{rng.randrange(10**6)}.{rng.randrange(10**6):06d}" if re.match(r"^\d[\d,]*\.\d+$", f) else f
               for j, f in enumerate(fields)]
        extra.append("\t".join(row))
    return "\n".join(lines[:detail + 1] + extra + lines[detail + 1:])


@pytest.mark.parametrize("name", ["beijing-zhengwu-center-2026-budget.txt", "beijing-12345-hotline-budget.txt",
                                  "xicheng-zhengwu-2021-budget.txt", "padded-0", "padded-1"])
def test_a_document_from_tab_rows_is_the_document_from_the_same_rows_as_cells(name):
    from budget_audit.loaders.document import build_document

    text = _padded_export(3000, int(name[-1])) if name.startswith("padded") else (SAMPLES / name).read_text("utf-8")
    text, _ = show_invisible(text)
    fast = build_document(read_items(text), name)
    general = build_document(_as_cell_rows(read_items(text)), name)
    assert _document_seen(fast) == _document_seen(general)
    assert sum(t.rows for t in fast.tables.values()) > (2900 if name.startswith("padded") else 20)


def test_first_texts_are_the_rows_first_cells():
    from budget_audit.loaders.layout import first_texts

    rows = _header_table(3) + [RawRow([]), TabRow([RawCell("x", 1)]), TabRow([])]
    assert first_texts(rows) == [r.cell_text(0) for r in rows if r.width()]


def test_one_text_only_for_tab_rows_as_printed_of_one_text():
    from budget_audit.loaders.layout import one_text

    text = "a\t1\nb\t2\n \nc\t3"
    rows = [i for i in read_items(text) if isinstance(i, TabRow)]
    assert one_text(rows) is rows[0]._text and len(rows) == 3
    other = [i for i in read_items("a\t1\nb\t2") if isinstance(i, TabRow)]
    assert one_text(rows + other) is None  # two texts
    assert one_text(rows + [TabRow.of("d\t4", 9)]) is None  # a row that holds its own line
    assert one_text(rows + [RawRow([RawCell("x", 1)])]) is None and one_text([]) is None
    rows[1].cells = [RawCell("b", 2)]
    assert one_text(rows) is None  # a row rebuilt by a reader


# --- decode and the collector ---------------------------------------------------------------

def test_a_nul_is_looked_for_in_the_bytes_first_and_answered_from_the_text():
    from budget_audit.loaders.decode import decode
    from budget_audit.loaders.model import LoadError

    with pytest.raises(LoadError, match="NUL"):
        decode("收入\t1\x002".encode("utf-8"))
    assert decode("收入\t1".encode("utf-8")) == "收入\t1"
    # a file cut off inside its last character: what follows the cut (a NUL too) is not text
    assert decode(b"abc\xe4\x00") == "abc"


def test_reading_a_text_leaves_the_collector_on_afterwards():
    import gc

    assert gc.isenabled()
    document = text_module.from_text((SAMPLES / "beijing-zhengwu-center-2026-budget.txt").read_text("utf-8"))
    assert document.tables and gc.isenabled()
