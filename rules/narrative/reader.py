"""The reading of one narrative's passages into claims (claims.extract runs it): the subject
context from headings and sentences, the comparison, share and 决算 modes a token opens, and the
roles printed before a figure."""

from __future__ import annotations

import re

from budget_audit.loaders.numbers import parse_amount
from budget_audit.rules.narrative.writing import ClaimWriter
from budget_audit.rules.narrative.subjects import AMOUNT, COUNT, measures
from budget_audit.rules.narrative.text import DIRECTIONS, Passage, Token, tokens

_HEADING = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．])")
_ITEM_NUMBER = re.compile(r"^\s*\d+[.．、]\s*(?!\d)")
_COUNTED_BODY = re.compile(r"(?:所属|下属)?(?:预算)?(?:单位|部门|机构|科室)")
_SECTION = re.compile(r"^\s*(?:第.{1,3}部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")


class Reader(ClaimWriter):
    """The state of reading: context subjects from headings, the sentence's year and mode."""

    def __init__(self, year: int | None):
        self.doc_year, self.claims = year, []
        self.context: dict[str, str | None] = {AMOUNT: None, COUNT: None}
        self.anchor: int | None = None   # the total a 其中-list itemises, across its lines
        self.anchor_passage = -1         # the passage whose current sentence printed a 其中
        self.groups = 0

    def read(self, passage: Passage) -> None:
        """Read one passage's claims; a passage without figures may set the context subject."""
        self.passage, self.year, self.lead = passage, self.doc_year, None
        self.passages, self.role = getattr(self, "passages", -1) + 1, None
        self.sentence_lead: dict | None = None
        self.subject = dict(self.context)
        if _ITEM_NUMBER.match(passage.text):   # "2. 社会保障和就业支出 1608.51万元": a list item names its own subject
            self.subject = {AMOUNT: None, COUNT: None}
        self.mode: dict | None = None
        self.explaining = False               # inside "主要原因是…" up to the sentence's end
        self.fresh: str | None = None         # the subject named since the last figure
        self.last_amount: int | None = None   # the last amount of this clause
        if _SECTION.match(passage.text):
            self.anchor = None
        before = len(self.claims)
        found = tokens(passage.text)
        for token in found:
            getattr(self, "_" + token.kind)(token)
        if len(self.claims) == before:
            self._heading(passage.text, [t for t in found if t.kind == "subject"])

    def _heading(self, text: str, mentioned: list[Token]) -> None:
        if mentioned:
            for measure in (AMOUNT, COUNT):
                names = [t.extra for t in mentioned if measure in measures(t.extra)]
                self.context[measure] = names[-1] if names else None
        elif _HEADING.match(text) or len(text) <= 20:
            self.context = {AMOUNT: None, COUNT: None}

    # ---- tokens ----
    def _subject(self, token: Token) -> None:
        if self.explaining:   # "主要原因是…增加基本支出844.15万元": a reason, not the figure of 基本支出
            return
        if self.mode and self.mode["kind"] == "share" and self.mode["whole"] is None:
            self.mode["whole"] = self.fresh = token.extra
            return
        self.mode = None
        for measure in (AMOUNT, COUNT):
            if measure in measures(token.extra):
                self.subject[measure] = token.extra
        self.fresh = token.extra

    def _year(self, token: Token) -> None:
        self.mode, self.year = None, int(token.value)

    def _base(self, token: Token) -> None:
        self.mode = {"kind": "compare", "base": self._base_year(token), "direction": None,
                     "group": self._group(), "this": self.last_amount, "basis": self._basis(token)}

    def _eqbase(self, token: Token) -> None:
        self.mode = {"kind": "equal", "base": self._base_year(token), "current": self.year,
                     "group": self._group(), "this": self.last_amount, "basis": self._basis(token)}

    def _share(self, token: Token) -> None:
        self.mode = {"kind": "share", "whole": None, "part": self.last_amount}

    def _role(self, token: Token) -> None:
        word = token.text.rstrip("数")
        self.role = {"支出决算": "决算", "预算执行": "执行数", "执行": "执行数"}.get(word, word)

    def _completion(self, token: Token) -> None:
        self.mode = {"kind": "completion", "of": token.extra + "预算"}

    def _versus(self, token: Token) -> None:
        """"决算数小于全年预算数": the sign of 决算 − 预算 (the 预算 named, else 全年 or 年初)."""
        word, of = token.extra.split("|")
        direction = {"大于": 1, "小于": -1}.get(word, 0)
        self._add(token, "versus", self.subject[AMOUNT], self.year, direction=direction,
                  whole=of + "预算" if of else None)

    def _anchor(self, token: Token) -> None:
        if self.last_amount is not None:
            self.anchor = self.last_amount
        self.anchor_passage = self.passages

    def _stop(self, token: Token) -> None:
        self.mode, self.anchor_passage = None, -1   # a 其中-list ends with its sentence   # the last amount stays: "…总计307.82万元。与2023年度相比，…增加…"
        if self.sentence_lead is not None:
            self.lead, self.sentence_lead = self.sentence_lead, None
        self.subject = dict(self.lead or self.context)
        self.explaining = False

    def _clause(self, token: Token) -> None:
        """"；" ends a comparison: "…增加1421.25万元；政府性基金拨款支出预算0万元，…" starts another."""
        self.mode = None

    def _reason(self, token: Token) -> None:
        """Figures in "主要原因是…" / "主要用于…" explain the subject's figure: they are not it."""
        self.mode, self.explaining = None, True
        self.subject = {AMOUNT: None, COUNT: None}

    def _threshold(self, token: Token) -> None:
        """"单位价值50万元以上" is a bound, not a figure."""

    def _direction(self, token: Token) -> None:
        if self.mode and self.mode["kind"] == "compare":
            # "增加（减少）" (template residue) says both: a change of unknown sign
            self.mode["direction"] = DIRECTIONS.get(token.value, "either")
        elif not (self.mode and self.mode["kind"] == "share") and not self.explaining:
            # "基本支出增加498.72万元" with no year to compare with: a change, not a level
            self.mode = {"kind": "compare", "base": None, "direction": DIRECTIONS.get(token.value, "either"),
                         "group": self._group(), "this": self.last_amount, "basis": None}

    def _equal(self, token: Token) -> None:
        if self.mode and self.mode["kind"] in ("compare", "equal"):
            current = self.mode.get("current") or self._current()
            self._add(token, "equal", self.subject[AMOUNT], current, base_year=self.mode["base"], direction=0,
                      **self._link())
            self.mode = None

    def _amount(self, token: Token) -> None:
        mode = self.mode or {"kind": None}
        amount = parse_amount(token.text, token.extra)
        if mode["kind"] == "compare" and mode["direction"] is None:
            self._add(token, "amount", self.subject[AMOUNT], mode["base"], amount=amount)
        elif mode["kind"] == "compare":
            self._add(token, "difference", self.subject[AMOUNT], self._current(), amount=amount,
                      base_year=mode["base"], direction=self._sign(), **self._link())
            mode["stated"] = mode.get("stated", 0) + 1
        elif mode["kind"] == "share":
            self._add(token, "amount", mode["whole"], self.year, amount=amount)
        else:
            self._add(token, "amount", self.subject[AMOUNT], self.year, amount=amount, role=self.role)
            self.last_amount = len(self.claims) - 1
        self.role = None

    def _percent(self, token: Token) -> None:
        mode = self.mode or {"kind": None}
        if mode["kind"] == "compare":
            self._add(token, "rate", self.subject[AMOUNT], self._current(), base_year=mode["base"],
                      direction=self._sign(), **self._link())
            mode["stated"] = mode.get("stated", 0) + 1
            if mode["stated"] < 2:  # "下降10%，减少10元": the amount of change may follow its rate
                return
        elif mode["kind"] == "completion":
            self._add(token, "completion", self.subject[AMOUNT], self.year, whole=mode["of"])
        elif mode["kind"] == "share":
            self._add(token, "share", self.subject[AMOUNT], self.year, whole=mode["whole"], part=mode["part"],
                      anchor=self.anchor if mode["whole"] is None else None)
        else:
            self._add(token, "percent", self.subject[AMOUNT], self.year)
        self.mode = None

    def _count(self, token: Token) -> None:
        # "本部门2个预算单位开展了…绩效目标编报": units counted, not the heading's projects
        counted = _COUNTED_BODY.match(self.passage.text, token.end)
        self._add(token, "count", None if counted else self.subject[COUNT], self.year)
