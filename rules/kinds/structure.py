"""structure — tables, labels and layout that auditors check before any arithmetic.

What it checks (params.check):
- required-tables: every table of the template is present;
- forbidden-label: a row label that must not appear, e.g. 上年结转结余 on the expenditure side of
  收支总表 (that side carries 结转下年 / 年终结转结余);
- template-label: a row label the template prints in a fixed wording (`column` of `table`, one of
  `labels`), e.g. Jiangsu 收入预算总表 groups (政协 2017 表二 prints "财政转专户管理资金");
- template-residue: placeholder text left from the template (20××, XX, ××, 增加（减少）, "202 年");
- empty-note: a table with no figures carries its "无" note;
- loader-problem: what the loader met and could not read as printed: a row whose cells do not
  line up with its header, text in an amount cell, a table printed twice, an unknown table.
Why it matters: these are the errors a reader notices first, and they undermine every figure.
Passes: 表一's expenditure side ends 结转下年 | 支出总计.
Fails: 预算01表 expenditure side "上年结转结余" (line 36 of the 12345 hotline sample).
Example:
    kind: structure
    params: {check: forbidden-label, table: income_expenditure_summary,
             where: {side: expenditure}, labels: [上年结转结余, 上年结转]}
"""

from __future__ import annotations

import re

from budget_audit.loaders.catalog import norm_label, table_name
from budget_audit.loaders.codes import strip_ordinal
from budget_audit.loaders.layout import LineBlock, RawTexts
from budget_audit.loaders.model import SourceLocation
from budget_audit.rules import selection as sel
from budget_audit.rules.findings import CellRef, Finding
from budget_audit.rules.kinds import NotApplicable
from budget_audit.rules.kinds.base import names, need, render, validate_check
from budget_audit.rules.kinds.params import REGEXES, TEXT, TEXT_OR_TEXTS, TEXTS, WHERE, choice

READS_AMOUNTS = False  # it reads labels, titles and printed texts only (tests/scale pins it)
CHECKS = ("required-tables", "forbidden-label", "template-label", "template-residue", "empty-note", "loader-problem")
MESSAGES = {
    "required-tables": {"zh": "缺少{name}（{table}）", "en": "Missing table: {name_en} ({table})"},
    "forbidden-label": {"zh": "{table}{side}出现“{label}”：该侧应为{expected_label}",
                        "en": "{table}: the label '{label}' appears on the {side_en} side, which should read {expected_label_en}"},
    "template-label": {"zh": "{table}的行名“{label}”不是模板的写法{hint}",
                       "en": "{table}: the row label '{label}' is not the template's wording{hint_en}"},
    "template-residue": {"zh": "第{line}行残留模板占位文字“{text}”", "en": "Line {line}: template placeholder '{text}' left in"},
    "empty-note": {"zh": "{table}没有数字，也没有“无”或空表说明", "en": "{table} has no figures and no note (such as '无') saying why"},
    "misaligned_row": {"zh": "{table}第{line}行的单元格与表头不对齐（{cells}格，表头{expected}格）{detail}",
                       "en": "{table}: the row at line {line} does not line up with its header ({cells} cells, header {expected}){detail_en}"},
    "unparsed_amount": {"zh": "{table}第{line}行金额栏不是数字：“{text}”", "en": "{table}: line {line} has text in an amount cell: '{text}'"},
    "duplicate_table": {"zh": "{table}重复出现（第{first_line}行与第{line}行）", "en": "{table} is printed twice (lines {first_line} and {line})"},
    "no_total_row": {"zh": "{table}没有合计行：表格可能不完整或被截断（表格止于第{line}行）",
                     "en": "{table} has no total row: the table may be incomplete or cut off (it ends at line {line})"},
    "unknown_template": {"zh": "未识别公开模板：仅按通用规则检查，识别出的表：{tables}",
                         "en": "Unknown disclosure template: checked with the base rules only; tables recognised: {tables}"},
    "unknown_table": {"zh": "第{line}行的表“{label} {title}”不在目录中，未检查", "en": "Line {line}: table '{label} {title}' is not in the catalog and was not checked"},
}


NEEDS = {"required-tables": ("tables",), "forbidden-label": ("table", "labels"),
         "template-label": ("table", "column", "labels"),
         "template-residue": ("patterns",), "empty-note": ("tables",), "loader-problem": ("problem",)}
PARAMS = {"check": choice(*CHECKS), "tables": TEXTS, "table": TEXT, "column": TEXT, "labels": TEXTS,
          "patterns": REGEXES, "where": WHERE, "expected": TEXT_OR_TEXTS, "problem": TEXT_OR_TEXTS}


def validate(params):
    """Required: check (one of CHECKS) and what that check reads."""
    return validate_check(params, CHECKS, NEEDS)


def check(document, rule):
    """Dispatch to the named structure check (the table at the end of this module)."""
    return CHECK[rule.params["check"]](document, rule)


def _make(rule, key, context, cells, table=None, severity=None):
    return Finding(rule=rule.code, severity=severity or rule.severity,
                   message=render(rule.message or MESSAGES[key], context), table=table, cells=cells,
                   family=rule.family, title=rule.title)


def _required_tables(document, rule):
    for table_id in rule.params["tables"]:
        if document.table(table_id) is None:
            context = {"table": table_id, "name": table_name(table_id), "name_en": table_name(table_id, "en")}
            yield _make(rule, "required-tables", context, [])


def _expected_labels(expected) -> dict[str, str]:
    """The labels a side should print, quoted for each language: “a”或“b” / 'a' or 'b'."""
    labels = [expected] if isinstance(expected, str) else list(expected)
    return {"expected_label": "或".join(f"“{label}”" for label in labels),
            "expected_label_en": " or ".join(f"'{label}'" for label in labels)}


def _forbidden_label(document, rule):
    (table,) = need(document, rule.params["table"])
    wanted = {norm_label(label) for label in rule.params["labels"]}
    rows = sel.rows(table, rule.params.get("where"))
    side = (rule.params.get("where") or {}).get("side", "")
    for row in rows:
        label = str(table.data["label"][row])
        if norm_label(strip_ordinal(label)) in wanted:
            cell = CellRef(table.id, label, "项目", label, table.location(row, "label"))
            context = {"table": names(table), "label": label, "side": {"expenditure": "支出方", "income": "收入方"}.get(side, ""),
                       "side_en": side, **_expected_labels(rule.params.get("expected", []))}
            yield _make(rule, "forbidden-label", context, [cell], table.id)


def _template_label(document, rule):
    import difflib

    (table,) = need(document, rule.params["table"])
    column = rule.params["column"]
    if column not in table.data:
        raise NotApplicable(f"{table.id} has no column {column}")
    known = [norm_label(label) for label in rule.params["labels"]]
    seen = set()
    for row in sel.rows(table, rule.params.get("where")):
        label = str(table.data[column][row]).strip()
        plain = norm_label(strip_ordinal(label))
        if not plain or plain in known or plain in seen:
            continue
        seen.add(plain)
        close = difflib.get_close_matches(plain, known, n=1, cutoff=0.6)
        context = {"table": names(table), "label": label,
                   "hint": f"，应为“{close[0]}”？" if close else "", "hint_en": f" (did you mean '{close[0]}'?)" if close else ""}
        yield _make(rule, "template-label", context, [CellRef(table.id, label, column, label, table.location(row, column))],
                    table.id)


_BATCH = 4096  # tab rows joined at a time


_NEEDLES: dict[str, list[list[str]] | None] = {}


def _needles(pattern: str) -> list[list[str]] | None:
    """_required_strings, parsed once per pattern (a copy: _skippable reorders it)."""
    if pattern not in _NEEDLES:
        if len(_NEEDLES) > 1024:  # user patterns are few; bounded all the same
            _NEEDLES.clear()
        _NEEDLES[pattern] = _required_strings(pattern)
    found = _NEEDLES[pattern]
    return None if found is None else list(found)


def _required_strings(pattern: str) -> list[list[str]] | None:
    """What every match of `pattern` contains, as [[alternatives], …] (each match holds one of each
    list's strings), when no match can hold a NUL, nor look past one, so that each match lies in
    one text whatever the joined text around it: a batch of rows missing one list entirely has no
    match and need not be joined. None when the pattern could (or no string is required)."""
    try:
        from re import _parser as parser  # the parser re itself compiles with
    except ImportError:  # pragma: no cover - Python < 3.11
        import sre_parse as parser
    try:
        parsed = parser.parse(pattern)
    except Exception:
        return None
    c = parser
    safe_categories = {c.CATEGORY_DIGIT, c.CATEGORY_SPACE, c.CATEGORY_WORD}
    ignorecase = bool(parsed.state.flags & c.SRE_FLAG_IGNORECASE)

    def safe(items) -> bool:  # no element can match a NUL (lookarounds included)
        nonlocal ignorecase
        for op, av in items:
            if op is c.LITERAL:
                if av == 0:
                    return False
            elif op is c.IN:
                for kind, value in av:
                    if kind is c.NEGATE or (kind is c.LITERAL and value == 0) or \
                            (kind is c.RANGE and value[0] == 0) or (kind is c.CATEGORY and value not in safe_categories) \
                            or kind not in (c.LITERAL, c.RANGE, c.CATEGORY):
                        return False
            elif op is c.AT:
                if av not in (c.AT_BOUNDARY, c.AT_NON_BOUNDARY):
                    return False  # ^ $ \A \Z see the ends of the joined text
            elif op is c.SUBPATTERN:
                ignorecase |= bool(av[1] & c.SRE_FLAG_IGNORECASE)
                if not safe(av[-1]):
                    return False
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT) or op is getattr(c, "POSSESSIVE_REPEAT", None):
                if not safe(av[2]):
                    return False
            elif op in (c.ASSERT, c.ASSERT_NOT):
                if not safe(av[1]):
                    return False
            elif op is c.BRANCH:
                if not all(safe(branch) for branch in av[1]):
                    return False
            elif op is getattr(c, "ATOMIC_GROUP", None):
                if not safe(av):
                    return False
            elif op is not c.GROUPREF:  # a backreference repeats what its group matched
                return False
        return True

    def required(items) -> list[list[str]]:  # along the sequence every match goes through
        out, run = [], ""
        for op, av in items:
            if op is c.LITERAL:
                run += chr(av)
                continue
            if run:
                out.append([run])
                run = ""
            if op is c.IN and all(kind is c.LITERAL for kind, _ in av):
                out.append([chr(value) for _, value in av])
            elif op is c.SUBPATTERN:
                out += required(av[-1])
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
                out += required(av[2])
        if run:
            out.append([run])
        return out

    if not safe(list(parsed)) or ignorecase:
        return None
    return required(list(parsed)) or None


def _skippable(needles: list[list[list[str]]], block: LineBlock, k0: int, k1: int) -> bool:
    """True when no pattern can match in rows k0..k1 of the block: each misses a required string
    in the printed text the rows span.
    A list found missing is tried first in the next batch; a string holding a missing character
    is missing without a scan."""
    start, end = block.starts[k0], block.ends[k1 - 1]
    if min(block.starts[k0:k1]) < start or max(block.ends[k0:k1]) > end:
        return False  # rows out of order: the span would not hold them all
    text = block.text
    found: dict[str, bool] = {}
    missing_chars: set[str] = set()

    def holds(needle: str) -> bool:
        if needle not in found:
            found[needle] = not any(ch in missing_chars for ch in needle) and text.find(needle, start, end) >= 0
            if not found[needle] and len(needle) == 1:
                missing_chars.add(needle)
        return found[needle]

    for pattern in needles:
        for i, alternatives in enumerate(pattern):
            if not any(holds(n) for n in alternatives):
                pattern.insert(0, pattern.pop(i))  # likely missing in the next batch too
                break
        else:
            return False
    return True


def _template_residue(document, rule):
    import bisect

    # the units in order (paragraphs, then each table's title and texts), scanned as one text
    # joined by NULs; a table's tab rows go in as batches of rows, split into their rows again
    # only where a pattern matched
    pieces: list = []  # ("unit", (table id, row, line, payload), texts) or ("rows", table id, block, k0, k1)
    chunks: list[str] = []
    needles = [_needles(pattern) for pattern in rule.params["patterns"]]  # (reordered by _skippable)
    needles = None if any(n is None for n in needles) else needles

    def add_unit(unit) -> None:
        texts = _unit_texts(unit[3])
        if texts:
            pieces.append(("unit", unit, texts))
            chunks.append("\0".join(texts))

    for paragraph in document.paragraphs:
        add_unit(("narrative", "说明", paragraph.line, paragraph.text))
    for table in document.tables.values():
        add_unit((table.id, "标题", table.source.line, table.title))
        raw = table.extras.get("raw_texts", [])
        for part in (raw.parts if isinstance(raw, RawTexts) else [(text, line) for text, line in raw]):
            if isinstance(part, LineBlock):
                for k0 in range(0, len(part), _BATCH):
                    k1 = min(k0 + _BATCH, len(part))
                    if needles is not None and _skippable(needles, part, k0, k1):
                        continue  # no match can lie in these rows, nor depend on them
                    chunk = _rows_chunk(part, k0, k1)
                    if chunk:
                        pieces.append(("rows", table.id, part, k0, k1))
                        chunks.append(chunk)
                continue
            add_unit((table.id, "", part[1], part[0]) if isinstance(part, tuple) else (table.id, "", part[0], [part[1]]))
    joined = "\0".join(chunks)
    offsets, at = [], 0
    for chunk in chunks:
        offsets.append(at)
        at += len(chunk) + 1
    del chunks
    expanded: dict[int, tuple] = {}

    def rows_of(u: int):
        """A batch's units: (row k, texts) and their starts within the batch."""
        if u not in expanded:
            _, _, block, k0, k1 = pieces[u]
            units, starts, at = [], [], 0
            for k in range(k0, k1):
                texts = _unit_texts((block, k))
                if texts:
                    units.append((k, texts))
                    starts.append(at)
                    at += len("\0".join(texts)) + 1
            expanded[u] = units, starts
        return expanded[u]

    def unit(u: int, j: int):
        piece = pieces[u]
        if piece[0] == "unit":
            return piece[1], piece[2]
        _, table_id, block, _, _ = piece
        k, texts = rows_of(u)[0][j]
        return (table_id, "", block.numbers[k], (block, k)), texts

    total = len(offsets)
    spans: dict[tuple[int, int, int], set[tuple[int, int]]] = {}
    for pattern in rule.params["patterns"]:
        for m in re.finditer(pattern, joined):
            u = bisect.bisect_right(offsets, m.start()) - 1
            at, j, final = offsets[u], 0, u + 1 >= total
            if pieces[u][0] == "rows":
                units, starts = rows_of(u)
                j = bisect.bisect_right(starts, m.start() - at) - 1
                at += starts[j]
                final = final and j + 1 >= len(units)
            texts = unit(u, j)[1]
            k = 0
            while k + 1 < len(texts) and m.start() >= at + len(texts[k]) + 1:  # the text the match starts in
                at += len(texts[k]) + 1
                k += 1
            start, end = m.start() - at, m.end() - at
            last = final and k + 1 >= len(texts)
            if not last and m.start() >= at + len(texts[k]):
                continue  # began on the separator
            if end <= len(texts[k]):  # a match inside one text, not across two
                spans.setdefault((u, j, k), set()).add((start, end))
    seen = set()
    for u, j, k in sorted(spans):
        (table_id, row, line, payload), texts = unit(u, j)
        text = texts[k]
        found = sorted(spans[u, j, k], key=lambda s: (s[0], -s[1]))
        kept = [s for s in found if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in found)]
        for start, end in kept:
            if (line, text[start:end]) in seen:
                continue
            seen.add((line, text[start:end]))
            cell = CellRef(table_id, row, "", text[:120], SourceLocation(line=line))
            yield _make(rule, "template-residue", {"line": line, "text": text[start:end]}, [cell], table_id)


def _rows_chunk(block: LineBlock, k0: int, k1: int) -> str:
    """The visible cells of rows k0..k1 of a block joined by NULs: what joining each row's
    _unit_texts by NULs, and the rows that have any, gives."""
    text = block.text
    printed = "\n".join(map(text.__getitem__, map(slice, block.starts[k0:k1], block.ends[k0:k1])))
    if printed.count("\n") == k1 - k0 - 1:  # no row holds a newline of its own: split them all at once
        visible = list(filter(None, printed.replace("\n", "\t").split("\t")))
        if any(map(str.isspace, visible)):
            visible = [cell for cell in visible if not cell.isspace()]
        return "\0".join(visible)
    return "\0".join(chunk for k in range(k0, k1) if (chunk := "\0".join(_unit_texts((block, k)))))


def _unit_texts(payload) -> list[str]:
    """A unit's texts: the one text, or the visible cells of a tab row's printed line."""
    if isinstance(payload, str):
        return [payload]
    if isinstance(payload, tuple):
        block, k = payload
        printed = block.text[block.starts[k]:block.ends[k]]
    else:
        printed = payload[0]
    return [t for t in printed.split("\t") if t and not t.isspace()]


def _empty_note(document, rule):
    for table_id in rule.params["tables"]:
        table = document.table(table_id)
        if table is None:
            continue
        has_figures = any(v for c in table.amount_columns for v in table.data[c])
        if not has_figures and not table.notes:
            cell = CellRef(table.id, "", "", table.title, table.source)
            yield _make(rule, "empty-note", {"table": names(table)}, [cell], table.id)


def _loader_problem(document, rule):
    kinds = set(rule.params["problem"]) if isinstance(rule.params["problem"], list) else {rule.params["problem"]}
    found = False
    named: dict = {}  # table id -> its names (a long export can have a problem on every row)
    for problem in document.problems:
        kind = problem["kind"]
        if kind not in kinds:
            continue
        found = True
        table_id = problem.get("table") or ""
        if table_id not in named:
            table = document.table(table_id)
            named[table_id] = names(table) if table else table_id
        project = problem.get("project")
        context = {**problem, "table": named[table_id],
                   "detail": f"；项目“{problem['project']}”共 {problem.get('rows', 1)} 行已按表头重新对齐" if project else "",
                   "detail_en": f"; project '{problem['project']}': {problem.get('rows', 1)} rows realigned to the header" if project else ""}
        if "text" not in context:
            context["text"] = ""
        cell = CellRef(table_id, str(project or problem.get("label") or ""),
                       str(problem.get("column") or ""), problem.get("text"), SourceLocation(line=problem["line"]))
        yield _make(rule, kind, context, [cell], problem.get("table"))
    if not found and not document.tables:
        raise NotApplicable("no tables")


CHECK = {"required-tables": _required_tables, "forbidden-label": _forbidden_label, "template-label": _template_label,
         "template-residue": _template_residue, "empty-note": _empty_note, "loader-problem": _loader_problem}
