"""Printed figures -> exact amounts.

Handles "63,234,665.44", "47,764,125.2", "25147380.00", "8,721.588540", "283.10695万元",
trailing spaces, blank / U+3000 / "-" / "—" for zero, full-width digits, and accounting
negatives "(1,234.00)" (Excel's #,##0.00_);(#,##0.00) format, also with full-width brackets).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import repeat
from decimal import Decimal

from budget_audit.loaders.model import FEN_PER_UNIT, Amount

_ZERO_MARKS = {"-", "—", "–", "－", "——", "--"}
_NUMBER = re.compile(r"^(?P<sign>[-−－]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?$")
_SUFFIX_UNIT = re.compile(r"(万元|亿元|元)$")
_BRACKETED = re.compile(r"^\((?P<inner>\d[\d,.]*)\)$")  # "(1,234.00)": a negative in accounting style


def _signed(raw: str) -> str:
    """"(123.00)" -> "-123.00" (NFKC already made full-width brackets ASCII); anything else in
    brackets ("(一)", "(2021年度)", "(-5)") is left as is, so it stays text."""
    m = _BRACKETED.match(raw)
    return "-" + m.group("inner") if m else raw


def normalize(text: str) -> str:
    """NFKC (full-width digits and commas to ASCII), without surrounding blanks."""
    return unicodedata.normalize("NFKC", text).strip().replace("\u3000", "").strip()


def is_blank(text: str | None) -> bool:
    """True for an empty cell: nothing, spaces, U+3000 (str.isspace covers them all)."""
    return not text or text.isspace()


@lru_cache(maxsize=16384)  # Amounts are immutable; documents repeat their figures
def parse_amount(text: str, unit: str) -> Amount | None:
    """An Amount in 分 for a printed figure in `unit`, or None when the text is not a number.

    A unit printed after the number ("150万元") overrides the table's unit. Zero marks
    ("-", "—") are zero with the coarsest ulp (nothing was printed after the point).
    """
    raw = normalize(text)
    if raw in _ZERO_MARKS:
        return Amount(0, 0, 0, text)  # a printed dash is an exact zero
    match_unit = _SUFFIX_UNIT.search(raw)
    if match_unit:
        unit = match_unit.group(1)
        raw = raw[: match_unit.start()].strip()
    m = _NUMBER.match(_signed(raw.replace(" ", "")))
    if not m:
        return None
    frac = m.group("frac") or ""
    digits = Decimal(m.group("int").replace(",", "") + ("." + frac if frac else ""))
    if m.group("sign"):
        digits = -digits
    per_unit = FEN_PER_UNIT[unit]
    fen = digits * per_unit
    ulp = Decimal(per_unit).scaleb(-len(frac))
    # Money is counted in 分: a figure printed to the 分 (2-decimal 元, 6-decimal 万元) is exact,
    # not rounded, so its ulp is 0. Sub-分 precision is kept to the nearest 分.
    exact_ulp = 0 if ulp <= 1 else int(ulp)
    return Amount(int(fen.to_integral_value()), exact_ulp, len(frac), text)


# A plain ASCII figure: parse_amount's reading of it is integer arithmetic (see plain_amount)
_PLAIN = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?")
_FIGURE_CHARS = re.compile(r"[-0-9,.]+")  # ASCII digits, commas, points and minus signs only
_PLAIN_FORMS: dict[int, tuple[re.Pattern, re.Pattern]] = {}  # decimals -> (one figure, lines of them)


def _scaled(value: int, decimals: int, per_unit: int) -> tuple[int, int]:
    """(fen, ulp) of the printed digits `value` with `decimals` of them after the point, as
    parse_amount has them: sub-分 digits rounded half to even (Decimal's to_integral_value)."""
    scale = 10 ** decimals
    if per_unit % scale == 0:
        fen = value * (per_unit // scale)
    else:
        q, r = divmod(abs(value) * per_unit, scale)
        if 2 * r > scale or (2 * r == scale and q % 2):
            q += 1
        fen = -q if value < 0 else q
    return fen, (per_unit // scale if scale < per_unit else 0)


def plain_amount(text: str, unit: str) -> tuple[int | None, int, int] | None:
    """parse_amount(text, unit)'s (fen, ulp, decimals) for a plain ASCII figure ("-1,234.56",
    "25147380", "8,721.588540") of at most 17 digits, by integer arithmetic; (None, 0, 0) for a
    text of ASCII digits, commas, points and minus signs only that is neither such a figure nor a
    dash ("4,5862.43", "1.2.3": no number for parse_amount either); None for any other text
    (blanks, dashes, units, brackets, full-width digits, spaces, longer figures): ask parse_amount.
    17 digits times 10^10 分 per 亿元 fit Decimal's 28 digits, so parse_amount is exact there too."""
    per_unit = FEN_PER_UNIT.get(unit)
    if per_unit is None:
        return None
    m = _PLAIN.fullmatch(text)
    if m is None:
        return (None, 0, 0) if _FIGURE_CHARS.fullmatch(text) and text not in _ZERO_MARKS else None
    digits = text.replace(",", "").replace(".", "")
    if len(digits) - (text[0] == "-") > 17:
        return None
    decimals = len(m.group(1) or "")
    return (*_scaled(int(digits), decimals, per_unit), decimals)


def plain_amounts(texts: list[str], unit: str) -> tuple[list[str], list[int | None], list[int]]:
    """plain_amount's answers for `texts` (distinct): the texts it answers, and their fen and ulp. A column's
    figures share their form (decimals): those are found by one search over the texts' lines and
    read with one split."""
    per_unit = FEN_PER_UNIT.get(unit)
    first = next(filter(None, map(_PLAIN.fullmatch, texts)), None) if per_unit else None
    joined = "\n".join(texts)
    if first is None or joined.count("\n") != len(texts) - 1:  # (a text holding a line break)
        return _each(texts, unit)
    decimals = len(first.group(1) or "")
    forms = _PLAIN_FORMS.get(decimals)
    if forms is None:
        one = r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)" + (rf"\.[0-9]{{{decimals}}}" if decimals else "")
        forms = _PLAIN_FORMS[decimals] = (re.compile(rf"(?:{one}\n)*{one}"),
                                          re.compile(rf"^{one}$", re.M))
    same = texts if forms[0].fullmatch(joined) else forms[1].findall(joined)
    if max(map(len, same), default=0) > 17:  # 17 characters: at most 17 digits
        same = [t for t in same if len(t) <= 17]
    rest = list(set(texts).difference(same)) if len(same) < len(texts) else []
    values = map(int, "\n".join(same).replace(",", "").replace(".", "").split("\n")) if same else iter(())
    scale = 10 ** decimals
    if per_unit % scale == 0:
        fens = list(map((per_unit // scale).__mul__, values))
        ulps = [per_unit // scale if scale < per_unit else 0] * len(fens)
    else:
        fens, ulps = map(list, zip(*[_scaled(v, decimals, per_unit) for v in values])) if same else ([], [])
    answered = list(same)
    if rest:  # other forms; no figure (ASCII figure characters only, no plain figure) found together
        joined = "\n".join(rest)
        figurish = set(_FIGURISH_LINES.findall(joined)).difference(_PLAIN_LINES.findall(joined), _ZERO_MARKS)
        answered.extend(figurish)
        fens.extend([None] * len(figurish))
        ulps.extend([0] * len(figurish))
        more = _each([t for t in rest if t not in figurish], unit)
        answered.extend(more[0])
        fens.extend(more[1])
        ulps.extend(more[2])
    return answered, fens, ulps


def _each(texts: list[str], unit: str) -> tuple[list[str], list[int | None], list[int]]:
    """plain_amounts text by text."""
    answered: list[str] = []
    fens: list[int | None] = []
    ulps: list[int] = []
    for text in texts:
        amount = plain_amount(text, unit)
        if amount is not None:
            answered.append(text)
            fens.append(amount[0])
            ulps.append(amount[1])
    return answered, fens, ulps


_FIGURISH_LINES = re.compile(r"^[-0-9,.]+$", re.M)
_PLAIN_LINES = re.compile(r"^-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?$", re.M)


def parse_decimal(text: str) -> tuple[Decimal, int] | None:
    """A plain number (no unit) as Decimal with its printed decimals, or None."""
    raw = normalize(text).replace(" ", "")
    m = _NUMBER.match(_signed(raw))
    if not m:
        return None
    frac = m.group("frac") or ""
    value = Decimal(m.group("int").replace(",", "") + ("." + frac if frac else ""))
    return (-value if m.group("sign") else value), len(frac)
