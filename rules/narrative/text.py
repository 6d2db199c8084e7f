"""Narrative text -> normalised passages and the tokens claims are read from.

Normalisation keeps, for every character, the (line, column) it came from in the paragraph:
NFKC (full-width digits and ％; CJK clause punctuation kept, except a "，" grouping digits),
stray spaces inside or after a number dropped
("47,764,125.20 元", "0 台"), blanks beside CJK characters dropped ("与上年相 比", "比 2023 年度"),
and a paragraph ending mid-number joined to the next line (lines.continuing tells which PDF line
runs on to the next one).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from budget_audit.loaders.model import Paragraph
from budget_audit.rules.narrative.subjects import mentions

_WORD = "(?:增加|增长|上升|提高|减少|下降|降低)"
NUM = r"(?<![\d.])(?<!\d,)(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
YEAR_WORD = r"(?:(?P<{0}>20\d{{2}})年度?|(?P<{0}_prior>上年度?|去年))"
_TOKENS = re.compile("|".join([
    rf"(?P<threshold>{NUM}(?:亿元|万元|元)(?:[（(]含[)）])?以[上下内])",   # "单价100万元（含）以上"
    # "与上年相比增加…" compares like "比上年增加…"; "与上年持平" states equality
    r"(?P<base>(?:比|较|同比|与(?=(?:20\d{2}年度?|上年度?|去年)(?:预算数?)?(?:相比|比较)))"
    + YEAR_WORD.format("base_year") + ")",
    r"(?P<eqbase>与" + YEAR_WORD.format("eq_year") + ")",
    r"(?P<year>(?<!\d)20\d{2})(?:年(?:度|底|末)?|(?=部门|单位))",
    rf"(?P<amount>{NUM})(?P<unit>亿元|万元|元)",
    rf"(?P<percent>{NUM})%",
    rf"(?P<count>{NUM})(?P<count_unit>个|项|台|辆|套)",
    rf"(?P<direction>{_WORD}(?:[（(]{_WORD}[)）])?)",   # "增加（减少）": the template's both words
    r"(?P<anchor>其中|包括|以下方面)",
    r"(?P<reason>主要原因|原因是|原因：)",
    # 决算: "完成全年预算数的98.69%", "决算数小于全年预算数"; what a figure is: "全年预算为52.00万元"
    r"(?P<completion>完成(?P<completion_of>年初|全年)预算数?的)",
    r"(?P<versus>决算数?(?P<versus_word>大于|小于|等于|与)(?P<versus_of>年初|全年)?预算数?(?:持平|相等|一致)?)",
    r"(?P<role>年初预算数?|全年预算数?|支出决算数?|决算数|预算执行数|执行数|预算安排)",
    r"(?P<equal>一致|持平|相同|相等|不变)",
    r"(?P<share>占(?!用|有))",
    r"(?P<stop>[。！？!?])",
    r"(?P<clause>[；;])",
]))
DIRECTIONS = {"增加": 1, "增长": 1, "上升": 1, "提高": 1, "减少": -1, "下降": -1, "降低": -1}
_NUMBER_CHAR = set("0123456789,.")
_KEEP = set("，：；（）！？")  # CJK punctuation stays as printed: "，" separates clauses, "," groups digits
_AFTER_NUMBER = _NUMBER_CHAR | set("元万亿%个项台辆套")


@dataclass(frozen=True)
class Passage:
    """Normalised text of one paragraph (or of lines joined mid-number) with its origins."""

    text: str
    origins: tuple[tuple[int, int], ...]  # (line, column in the paragraph text) per character

    def place(self, start: int, end: int) -> tuple[int, int, int, int]:
        """(line, start column, end line, end column) of the span [start, end)."""
        line, col = self.origins[start]
        end_line, end_col = self.origins[end - 1]
        return line, col, end_line, end_col + 1


@dataclass(frozen=True)
class Token:
    """One piece of a passage that claims are built from."""

    kind: str      # a group name of _TOKENS, or 'subject'
    start: int
    end: int
    text: str
    value: str = ""  # the number, year or word
    extra: str = ""  # unit, base year marker, subject name


def _normalise(paragraph: Paragraph) -> tuple[list[str], list[tuple[int, int]]]:
    chars, origins = [], []
    for column, char in enumerate(paragraph.text):
        for out in char if char in _KEEP else unicodedata.normalize("NFKC", char):
            chars.append(out)
            origins.append((paragraph.line, column))
    for i, char in enumerate(chars):
        if char == "，" and _is_digit_group(chars, i):
            chars[i] = ","
    keep = [not (c.isspace() and _is_stray_space(chars, i)) for i, c in enumerate(chars)]
    return [c for c, k in zip(chars, keep) if k], [o for o, k in zip(origins, keep) if k]


def _is_digit_group(chars: list[str], i: int) -> bool:
    """A full-width comma between a digit and exactly three digits ("６３，２３４")."""
    group = chars[i + 1:i + 5]
    return i > 0 and chars[i - 1].isdigit() and len(group) >= 3 and all(c.isdigit() for c in group[:3]) \
        and (len(group) == 3 or not group[3].isdigit())


def _is_stray_space(chars: list[str], i: int) -> bool:
    """A blank between a number and its continuation or unit ("47,764,125.20 元", "0 台"), or
    beside a CJK character (PDF text spaces its letters: "与上年相 比", "比 2023 年度")."""
    before = next((chars[j] for j in range(i - 1, -1, -1) if not chars[j].isspace()), "")
    after = next((chars[j] for j in range(i + 1, len(chars)) if not chars[j].isspace()), "")
    return (before in _NUMBER_CHAR and after in _AFTER_NUMBER) or _wide(before) or _wide(after)


def _wide(char: str) -> bool:
    return bool(char) and (unicodedata.east_asian_width(char) in "WF")


def passages(paragraphs: Iterable[Paragraph], continuing: frozenset[int] = frozenset()) -> list[Passage]:
    """One passage per paragraph; a paragraph cut inside a number, or a line in `continuing`,
    continues on the next line."""
    out: list[Passage] = []
    previous_line = None
    for paragraph in paragraphs:
        chars, origins = _normalise(paragraph)
        if not chars:
            continue
        if out and previous_line is not None and (previous_line in continuing or paragraph.line == previous_line + 1
                                                  and out[-1].text[-1:] in _NUMBER_CHAR and chars[0] in _AFTER_NUMBER):
            last = out.pop()
            chars, origins = list(last.text) + chars, list(last.origins) + origins
        out.append(Passage("".join(chars), tuple(origins)))
        previous_line = paragraph.line
    return out


def tokens(text: str) -> list[Token]:
    """Numbers, years, comparison words and subject mentions, in reading order."""
    found = [Token("subject", m.start, m.end, text[m.start:m.end], extra=m.subject) for m in mentions(text)]
    for m in _TOKENS.finditer(text):
        kind = next(k for k in _KINDS if m.group(k) is not None)
        value = m.group(kind) or ""
        extra = m.group("unit") or m.group("count_unit") or _base_year(m) or m.group("completion_of") \
            or (m.group("versus_word") + "|" + (m.group("versus_of") or "") if kind == "versus" else "")
        found.append(Token(kind, m.start(), m.end(), m.group(0), value, extra))
    return sorted(found, key=lambda t: (t.start, t.kind != "subject"))


_KINDS = ("threshold", "base", "eqbase", "year", "amount", "percent", "count", "direction", "anchor", "reason",
          "completion", "versus", "role", "equal", "share", "stop", "clause")


def _base_year(match: re.Match) -> str:
    """'2020' for 比2020年 / 与2020年, 'prior' for 比上年, '' otherwise."""
    for name in ("base_year", "eq_year"):
        if match.group(name):
            return match.group(name)
        if match.group(name + "_prior"):
            return "prior"
    return ""
