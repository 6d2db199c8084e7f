"""What the narrative checks share: the values they compare, their verdicts and findings.

A value is a stated claim or, when the 说明 does not state it, the table figure of its subject.
A percentage is recomputed exactly (Fraction) and rounded half-up at the printed decimals: it
passes when that equals the printed one, is a rounding note when the inputs' own rounding could
explain the gap, and fails otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from budget_audit.loaders.model import Document, SourceLocation
from budget_audit.rules.narrative import figures as figures
from budget_audit.rules.narrative.subjects import english, family, is_item, item_path
from budget_audit.rules.narrative.claims import Claim, budget_year
from budget_audit.rules.compare import FAIL, PASS, ROUNDING
from budget_audit.rules.findings import CellRef, Finding
from budget_audit.rules.ruleset import Rule

POINTS = {"zh": "个百分点", "en": "percentage points"}
TRUNCATED = "truncated"   # a printed figure that cut its digits instead of rounding them
TRUNCATION_NOTE = {"zh": "（印刷值是截断而非四舍五入的结果）",
                   "en": " (the printed value was truncated, not rounded)"}
PART = {"amount": "金额", "count": "数量", "difference": "差额", "rate": "百分比", "share": "占比",
        "equal": "一致", "percent": "百分比", "completion": "完成率", "versus": "比较"}


@dataclass(frozen=True)
class Value:
    """An amount in 分 with its ulp, from the claims or table cells it was read from."""

    fen: int
    ulp: int
    claims: tuple[Claim, ...] = ()
    cells: tuple[CellRef, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """One check of some claims: pass, rounding or fail, and the finding when not a pass."""

    claims: tuple[Claim, ...]
    verdict: str
    finding: Finding | None = None

    @property
    def failed(self) -> bool:
        """True when the finding is a warning or an error (a rounding note is not a failure)."""
        return self.finding is not None and self.finding.severity in ("warning", "error")


class Context:
    """A document's claims, with the values a check may need."""

    def __init__(self, document: Document, claims: tuple[Claim, ...], maps: Any = None):
        self.document, self.claims, self.maps = document, claims, maps
        if "context_year" not in document.cache:  # every narrative rule asks; reading it is not free
            document.cache["context_year"] = budget_year(document.paragraphs, document.year)
        self.year = document.cache["context_year"]

    def stated(self, subject: str | None, year: int | None, near: Claim | None = None,
               kind: str = "amount") -> Claim | None:
        """The claim stating this subject's figure for the year: the last one before `near`
        in its paragraph, else the first anywhere."""
        found = [c for c in self.claims if c.kind == kind and c.subject == subject and c.year == year
                 and subject is not None and year is not None]
        if near is not None:
            before = [c for c in found if c.line == near.line and c.id < near.id]
            if before:
                return before[-1]
        return found[0] if found else None

    def value(self, subject: str | None, year: int | None, near: Claim | None = None) -> Value | None:
        """A stated amount, else the subject's table figure for this or last year, else None."""
        claim = self.stated(subject, year, near)
        if claim is not None:
            return Value(claim.fen, claim.ulp, (claim,))
        figure = self.figure(subject, year)
        return Value(figure.value, figure.ulp, (), figure.cells) if isinstance(figure, figures.Figure) else None

    def compared(self, claim: Claim) -> tuple[Value, Value, bool] | None:
        """(this year's value, the base year's value, derived) of a comparison claim. When no
        figure of the base year is stated or printed, it is derived from the stated change
        ("6372.32万元，与上年相比增加1826.38万元" -> 4545.94万元), which only the rate can use."""
        if claim.base_year == claim.year:
            return None
        this = self.value(claim.subject, claim.year, near=claim)
        if this is None and claim.this is not None and self.claims[claim.this].year == claim.year:
            stated = self.claims[claim.this]
            this = Value(stated.fen, stated.ulp, (stated,))
        if this is None:
            return None
        last = self.value(claim.subject, claim.base_year, near=claim) if claim.subject else None
        if last is not None:
            return this, last, False
        change = next((c for c in self.claims if c.group == claim.group and c.kind == "difference"
                       and claim.group is not None), None)
        if change is None or not change.direction:
            return None
        base = Value(this.fen - change.direction * change.fen, this.ulp + change.ulp, (change,))
        return this, base, True

    def figure(self, subject: str | None, year: int | None) -> figures.Figure | figures.Reason | None:
        """The subject's table figure for this or last year; the reason it cannot be read; or
        None when no table prints it (no spec, or a year the tables do not show)."""
        spec = figures.spec_for(self.maps, family(subject))
        if spec is None or self.year is None or year not in (self.year, self.year - 1):
            return None
        if is_item(subject):
            from budget_audit.rules.narrative.items import item_amount

            return item_amount(self.document, spec, subject, prior=year != self.year)
        return figures.amount(self.document, spec, prior=year != self.year)


def money(fen: int, unit: str) -> str:
    """An amount for a message: 万元 without the zeros after the 分 (33,172.15, not 33,172.150000)."""
    from budget_audit.rules.findings import format_amount

    text = format_amount(fen, unit)
    if unit != "元" and "." in text:
        whole, _, decimals = text.partition(".")
        text = f"{whole}.{decimals.rstrip('0').ljust(2, '0')}"
    return text


def claim_cell(claim: Claim) -> CellRef:
    """The narrative span of a claim, as a finding's cell."""
    return CellRef(table="narrative", row=claim.subject or "—", column=PART[claim.kind], value=claim.text,
                   source=SourceLocation(line=claim.line, line_end=claim.line_end))


def subject_names(subject: str | None) -> dict[str, str]:
    """A subject's name in both languages."""
    if is_item(subject):
        return {"zh": f"“{item_path(subject)}”科目", "en": english(subject)}
    # a figure whose subject the text does not name in words the rules know ("一般公共预算增加…")
    return {"zh": subject or "该项", "en": english(subject) if subject else "this figure"}


def verdict(rule: Rule, outcome: str, claims: tuple[Claim, ...], template: dict[str, str],
            context: dict[str, Any], cells: tuple[CellRef, ...] = (), expected: int | None = None,
            actual: int | None = None, unit: str | None = None) -> Verdict:
    """A Verdict, with a finding when the outcome is not a pass (a rounding gap is only info)."""
    from budget_audit.rules.kinds.base import graded, render  # kinds import this module

    if outcome == PASS:
        return Verdict(claims, PASS)
    message, severity = graded(rule, outcome, render(rule.message or template, context), context)
    if outcome == TRUNCATED:   # wrong at the printed digits, but only by cutting them: a warning
        message = {lang: message[lang] + TRUNCATION_NOTE[lang] for lang in message}
        severity = "warning" if rule.severity == "error" else rule.severity
    ordered = sorted(set(claims), key=lambda c: c.id)
    finding = Finding(rule=rule.code, severity=severity, message=message, table="narrative",
                      expected=expected, actual=actual, unit=unit if expected is not None else None,
                      cells=[claim_cell(c) for c in ordered] + list(cells), family=rule.family,
                      title=rule.title, extra={"claims": [c.id for c in ordered]})
    return Verdict(tuple(ordered), outcome, finding)


def round_half_up(ratio: Fraction, decimals: int) -> Fraction:
    """A non-negative ratio rounded half-up at `decimals` places (24.465…→24.47, never truncated)."""
    scale = 10 ** decimals
    return Fraction(math.floor(ratio * scale + Fraction(1, 2)), scale)


def percent_outcome(part: Value, whole: Value, stated: Decimal, decimals: int) -> tuple[str, Decimal]:
    """Compare a printed percentage with |part| ÷ whole × 100; (outcome, the correctly printed value)."""
    numerator, base = abs(part.fen), whole.fen
    exact = round_half_up(Fraction(100 * numerator, base), decimals)
    printed = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal(1).scaleb(-decimals))
    if exact == Fraction(stated):
        return PASS, printed
    low_base, high_base = Fraction(base) - Fraction(whole.ulp, 2), Fraction(base) + Fraction(whole.ulp, 2)
    low = 100 * max(Fraction(0), numerator - Fraction(part.ulp, 2)) / high_base
    high = 100 * (numerator + Fraction(part.ulp, 2)) / low_base if low_base > 0 else None
    half = Fraction(1, 2 * 10 ** decimals)
    # [p − h, p + h) is what rounds half-up to p; the inputs' own rounding widens [low, high]
    overlaps = low < Fraction(stated) + half and (high is None or Fraction(stated) - half <= high)
    if overlaps:
        return ROUNDING, printed
    scale = 10 ** decimals
    truncated = Fraction(math.floor(Fraction(100 * numerator, base) * scale), scale)
    return (TRUNCATED if truncated == Fraction(stated) else FAIL), printed
