"""How the narrative reader writes a claim: the comparison fields a claim carries, the year it
speaks of, the basis of its base year (预算 or 预算执行数), and the Claim itself with its place."""

from __future__ import annotations

import re

from budget_audit.loaders.numbers import parse_decimal
from budget_audit.rules.narrative.claims import Claim
from budget_audit.rules.narrative.text import Token

_BASIS = re.compile(r"(预算执行数|预算[（(]执行数[)）]|执行数|决算数?|预算数?)")


class ClaimWriter:
    """The claim-writing half of reader.Reader (which holds the state these methods read)."""

    def _group(self) -> int:
        self.groups += 1
        return self.groups

    def _link(self) -> dict:
        """The comparison fields a claim of the current comparison carries."""
        return {"group": self.mode["group"], "this": self.mode["this"], "basis": self.mode["basis"]}

    def _sign(self) -> int | None:
        direction = self.mode["direction"]
        return None if direction == "either" else direction

    def _basis(self, token: Token) -> str | None:
        """What the base year's figure is: "比2024年预算（执行数）" -> 预算执行数."""
        found = _BASIS.match(self.passage.text, token.end)
        if not found:
            return None
        word = found.group(1)
        return "预算执行数" if "执行数" in word else word.rstrip("数")

    def _current(self) -> int | None:
        """The year a comparison speaks of: the document's year (the sentence's when unknown)."""
        return self.doc_year or self.year

    def _base_year(self, token: Token) -> int | None:
        if token.extra == "prior":
            current = self._current()
            return current - 1 if current else None
        return int(token.extra)

    def _add(self, token: Token, kind: str, subject: str | None, year: int | None, **fields) -> None:
        if self.lead is None:
            self.lead = dict(self.subject)
        if self.sentence_lead is None and subject is not None and subject == self.fresh and kind == "amount":
            self.sentence_lead = dict(self.subject)
        number = parse_decimal(token.value)
        line, start, line_end, end = self.passage.place(token.start, token.end)
        unit = token.extra if kind in ("amount", "difference", "count") else "%"
        # named: the subject is the last thing named before the figure ("收入预算63,234,665.44元")
        fields.setdefault("named", subject is not None and subject == self.fresh)
        fields["passage"] = self.passages
        fields["listed"] = self.anchor_passage == self.passages   # after a 其中 in this sentence
        self.fresh = None
        self.claims.append(Claim(
            id=len(self.claims), kind=kind, subject=subject, year=year, text=token.text, line=line,
            start=start, end=end, line_end=line_end if line_end != line else None,
            value=number[0] if number else None, decimals=number[1] if number else 0,
            unit=unit if kind != "equal" else None, **fields))
