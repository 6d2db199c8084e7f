"""wording — the 说明's text as an inspector proofreads it, before any figure is checked.

What it checks (params.check), over the narrative's paragraphs (a PDF's lines joined into them):
- phrases: text the published 说明 must not contain (params.phrases: [{pattern, zh, en}]): template
  placeholders the base residue check (STR003) does not know (x,xxx万元, X万元, 202X年, （持平）,
  （增加内容）, （填写…）, 减少（增加）), a reason left empty ("主要原因是。"), doubled punctuation ("。。", "，。");
- quotes: every “ has its ” in the same paragraph (and ASCII quotes come in pairs);
- unit-wording: a 单位 document (its cover says 单位预算) that speaks as a 部门 (params.patterns:
  本部门, 部门预算编制说明, …), the residue of a 部门 template copied for a unit;
- body-name: the body named in headings and text (params.patterns, each with a (?P<name>…) group:
  "X主要职能", "2025年，X收入预算…") is the body the cover names (预算主管部门：X / 预算单位：X);
- purposes: a numbered item's "主要用于…" that names a 功能分类 item of another class the tables print,
  and not the item itself (a description copied from another item: rules/narrative/purposes.py);
- reader-problems: what the PDF reader saw print wrong (params.problems: [{kind, zh, en}], matched
  against Document.problems: a text line clipped at the page edge, a line printed twice, an empty page).
Why it matters: residue and broken wording tell a reader the document was never proofread, and an
empty reason hides the explanation the rules require.
Passes: "主要原因是项目调整。" (a reason); a 单位预算 that says 本单位 throughout.
Fails: "主要原因是。" ; "“一般公共服务支出-…-行政运行科目1,202.95万元" (no closing ”); "本部门政府采购预算34万元"
in a document whose cover reads 上海市普陀区2025年区级单位预算.
Example:
    kind: wording
    params:
      check: phrases
      phrases: [{pattern: "主要原因[是为：:]?\\s*[。；]", zh: 主要原因未填写, en: the reason is left empty}]
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from budget_audit.loaders.model import SourceLocation
from budget_audit.rules.findings import CellRef, Finding
from budget_audit.rules.kinds import NotApplicable
from budget_audit.rules.kinds.base import render, validate_check
from budget_audit.rules.kinds.params import LIST, REGEXES, TEXT
from budget_audit.rules.narrative.lines import continuing, printed_text
from budget_audit.rules.narrative.text import Passage, passages

PARAMS = {"check": TEXT, "phrases": LIST, "patterns": REGEXES, "problems": LIST}

CHECKS = ("phrases", "quotes", "unit-wording", "body-name", "reader-problems", "purposes")
NEEDS = {"phrases": ("phrases",), "unit-wording": ("patterns",), "body-name": ("patterns",),
         "reader-problems": ("problems",)}
MESSAGES = {
    "phrases": {"zh": "第{line}行“{text}”：{what}", "en": "Line {line}: '{text}': {what}"},
    "quotes": {"zh": "第{line}行的引号不成对（{opened}个“，{closed}个”）：“{text}”",
               "en": "Line {line}: unbalanced quotation marks ({opened} opening, {closed} closing): '{text}'"},
    "reader-problems": {"zh": "第{line}行：{what}{quoted}", "en": "Line {line}: {what}{quoted_en}"},
    "reader-page": {"zh": "{what}", "en": "{what}"},
    "body-name": {"zh": "第{line}行写作“{text}”，封面的单位名称为“{cover}”", "en": "Line {line} names '{text}', but the cover names '{cover}'"},
    "purposes": {"zh": "第{line}行：“{item}（项）”（{code}）的用途写作“{text}”，其中“{other}”是另一类的科目（{other_code}）：用途可能抄自其他科目",
                 "en": "Line {line}: the purpose of '{item}' ({code}) reads '{text}', naming '{other}', an item of another class ({other_code}): probably copied from another item"},
    "unit-wording": {"zh": "第{line}行“{text}”：封面为单位预算，正文却按部门表述（应为“单位”）",
                     "en": "Line {line}: '{text}': the cover says '单位预算' (a unit), but the text speaks of a '部门' (department)"},
}
_UNIT_COVER = re.compile(r"单位预算")
_COVER_NAME = re.compile(r"(?:预算主管部门|预算单位|编制部门|编制单位)[:：]\s*(\S{4,40})")
_SUFFIX = re.compile(r"[（(](?:部门|单位|本级)[)）]$")
_DEPT_COVER = re.compile(r"部门预算")


def validate(params):
    """Required: check (one of CHECKS); phrases ([{pattern, zh, en}]) or patterns as the check reads."""
    problem = validate_check(params, CHECKS, NEEDS)
    for i, wanted in enumerate(params.get("problems") or []):
        if not isinstance(wanted, dict) or not all(isinstance(wanted.get(k), str) for k in ("kind", "zh", "en")):
            return f"problems[{i}]", "needs kind, zh and en (strings)"
    for i, phrase in enumerate(params.get("phrases") or []):
        if not isinstance(phrase, dict) or not all(isinstance(phrase.get(k), str) for k in ("pattern", "zh", "en")):
            return f"phrases[{i}]", "needs pattern, zh and en (strings)"
        try:
            re.compile(phrase["pattern"])
        except re.error as exc:
            return f"phrases[{i}].pattern", f"not a regular expression: {exc}"
    return problem


def _passages(document) -> list[Passage]:
    if "wording_passages" not in document.cache:
        paragraphs, joined = document.paragraphs, frozenset()
        if document.places:
            paragraphs = printed_text(paragraphs)
            joined = continuing(paragraphs, document.places)
        document.cache["wording_passages"] = passages(paragraphs, joined)
    return document.cache["wording_passages"]


def check(document, rule) -> Iterator[Finding]:
    """Yield a finding per phrase, unbalanced paragraph or 部门 wording found."""
    name = rule.params["check"]
    texts = _passages(document) if name != "reader-problems" else []
    if not texts and name != "reader-problems":
        raise NotApplicable("the document has no narrative text")
    if name == "reader-problems":
        kinds = {w["kind"] for w in rule.params["problems"]}
        if not document.places and not any(p.get("kind") in kinds for p in document.problems):
            raise NotApplicable("a text export: no printed pages to check")
        found = _reader_problems(document, rule)
    elif name == "phrases":
        found = _phrases(texts, rule)
    elif name == "body-name":
        found = _body_name(texts, rule)
    elif name == "quotes":
        found = _quotes(texts, rule)
    elif name == "purposes":
        from budget_audit.rules.narrative.purposes import copied_purposes

        found = copied_purposes(document, texts)
    else:
        found = _unit_wording(document, texts, rule)
    for line, context in found:
        key = name if line is not None else "reader-page"
        message = render(rule.message or MESSAGES[key], {"line": line, **context})  # the engine gives pages
        where = SourceLocation(line=line) if line is not None else SourceLocation(page=context.get("page"))
        cell = CellRef("narrative", "—", "文字", context["text"], where)
        yield Finding(rule=rule.code, severity=rule.severity, message=message, table="narrative",
                      cells=[cell], family=rule.family, title=rule.title)


@lru_cache(maxsize=32)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _excerpt(passage: Passage, start: int, end: int) -> str:
    return passage.text[max(0, start - 12):end + 12]


def _phrases(texts, rule):
    for passage in texts:
        for phrase in rule.params["phrases"]:
            for m in _compiled(phrase["pattern"]).finditer(passage.text):
                line = passage.place(m.start(), max(m.end(), m.start() + 1))[0]
                yield line, {"text": _excerpt(passage, m.start(), m.end()), "what": {"zh": phrase["zh"], "en": phrase["en"]}}


def _quotes(texts, rule):
    for passage in texts:
        opened, closed = passage.text.count("“"), passage.text.count("”")
        if opened != closed or passage.text.count('"') % 2:
            at = next((i for i, c in enumerate(passage.text) if c in "“”\""), 0)
            yield passage.place(at, at + 1)[0], {"text": passage.text[:60], "opened": opened, "closed": closed}


def _unit_wording(document, texts, rule):
    cover = " ".join(p.text for p in texts[:3])
    if not _UNIT_COVER.search(cover) or _DEPT_COVER.search(cover):
        return
    for passage in texts:
        for pattern in rule.params["patterns"]:
            for m in _compiled(pattern).finditer(passage.text):
                yield passage.place(m.start(), m.end())[0], {"text": _excerpt(passage, m.start(), m.end())}


def _reader_problems(document, rule):
    wanted = {w["kind"]: w for w in rule.params["problems"]}
    for problem in document.problems:
        if problem.get("kind") in wanted:
            text = str(problem.get("text") or "")
            context = {"text": text, "page": problem.get("page"),
                       "what": {"zh": wanted[problem["kind"]]["zh"], "en": wanted[problem["kind"]]["en"]},
                       "quoted": f"：“{text}”" if text else "", "quoted_en": f": '{text}'" if text else ""}
            line = problem.get("line")
            if line is None:   # a page-wide problem (an empty page)
                context["what"] = {"zh": f"第{problem.get('page')}页：{context['what']['zh']}",
                                   "en": f"Page {problem.get('page')}: {context['what']['en']}"}
            yield line, context


def _body_name(texts, rule):
    cover = next((m.group(1) for p in texts[:12] for m in [_COVER_NAME.search(p.text)] if m), None)
    if cover is None:
        return
    for passage in texts:
        for pattern in rule.params["patterns"]:
            m = _compiled(pattern).search(passage.text)
            if m and _SUFFIX.sub("", m.group("name")) != cover:
                yield passage.place(m.start("name"), m.end("name"))[0], {"text": m.group("name"), "cover": cover}
