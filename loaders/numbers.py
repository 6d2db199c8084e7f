"""Printed figures -> exact amounts.

Handles "63,234,665.44", "47,764,125.2", "25147380.00", "8,721.588540", "283.10695万元",
trailing spaces, blank / U+3000 / "-" / "—" for zero, full-width digits, and accounting
negatives "(1,234.00)" (Excel's #,##0.00_);(#,##0.00) format, also with full-width brackets).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
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
_PLAIN_RUNS: dict[int, re.Pattern] = {}  # decimals -> lines of plain figures with that many


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


def plain_amount(text: str, unit: str) -> tuple[int, int, int] | None:
    """parse_amount(text, unit)'s (fen, ulp, decimals) for a plain ASCII figure ("-1,234.56",
    "25147380", "8,721.588540") of at most 17 digits, by integer arithmetic; None for any other
    text (blanks, dashes, units, brackets, full-width digits, spaces, longer figures): ask parse_amount.
    17 digits times 10^10 分 per 亿元 fit Decimal's 28 digits, so parse_amount is exact there too."""
    per_unit = FEN_PER_UNIT.get(unit)
    m = _PLAIN.fullmatch(text)
    if m is None or per_unit is None:
        return None
    digits = text.replace(",", "").replace(".", "")
    if len(digits) - (text[0] == "-") > 17:
        return None
    decimals = len(m.group(1) or "")
    return (*_scaled(int(digits), decimals, per_unit), decimals)


def plain_amounts(texts: list[str], unit: str) -> list[tuple[int, int] | None]:
    """plain_amount's (fen, ulp) for each text (None: ask parse_amount). A column's figures share
    their form, so they are checked by one match over all of them and read with one split."""
    per_unit = FEN_PER_UNIT.get(unit)
    first = _PLAIN.fullmatch(texts[0]) if texts and per_unit else None
    if first is not None and max(map(len, texts)) <= 17:  # 17 characters: at most 17 digits
        decimals = len(first.group(1) or "")
        run = _PLAIN_RUNS.get(decimals)
        if run is None:
            one = r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)" + (rf"\.[0-9]{{{decimals}}}" if decimals else "")
            run = _PLAIN_RUNS[decimals] = re.compile(rf"(?:{one}\n)*{one}")
        joined = "\n".join(texts)
        if run.fullmatch(joined):
            values = map(int, joined.replace(",", "").replace(".", "").split("\n"))
            scale = 10 ** decimals
            if per_unit % scale == 0:
                times, ulp = per_unit // scale, (per_unit // scale if scale < per_unit else 0)
                return [(v * times, ulp) for v in values]
            return [_scaled(v, decimals, per_unit) for v in values]
    out: list[tuple[int, int] | None] = []
    for text in texts:
        amount = plain_amount(text, unit)
        out.append(amount[:2] if amount is not None else None)
    return out


def parse_decimal(text: str) -> tuple[Decimal, int] | None:
    """A plain number (no unit) as Decimal with its printed decimals, or None."""
    raw = normalize(text).replace(" ", "")
    m = _NUMBER.match(_signed(raw))
    if not m:
        return None
    frac = m.group("frac") or ""
    value = Decimal(m.group("int").replace(",", "") + ("." + frac if frac else ""))
    return (-value if m.group("sign") else value), len(frac)
