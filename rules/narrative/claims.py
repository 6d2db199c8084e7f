"""Narrative paragraphs -> claims: every figure the 说明 states, with its subject, year and place.

Kinds: amount ("2021年收入预算63,234,665.44元"), count ("政府采购项目4个"), difference and
rate of a comparison ("比2020年减少34,247.58元，下降0.05%"), share ("占总支出预算的24.47%"),
equal ("2021年与2020年财政预算数一致") and percent (a percentage whose base is not stated).
A figure belongs to the subject last named before it in its sentence; a new sentence returns
to the subject of the last sentence that stated a figure of a named subject ("项目支出6333.96万元。
与上年相比增加480万元" compares 项目支出), and a paragraph without figures (a heading such as
"1、因公出国（境）费") gives the subject to the paragraphs that follow it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from budget_audit.loaders.model import Amount, Paragraph
from budget_audit.rules.narrative.text import passages

_YEAR = re.compile(r"(?<!\d)(20\d{2})\s*年")


@dataclass(frozen=True)
class Claim:
    """One stated figure. `value` is the number as printed (unsigned); amounts also carry 分."""

    id: int
    kind: str                 # amount | count | difference | rate | share | equal | percent
    subject: str | None
    year: int | None
    text: str                 # the printed figure, normalised ("47,764,125.20元")
    line: int
    start: int                # columns of the figure in its paragraph's text
    end: int
    line_end: int | None = None
    value: Decimal | None = None
    unit: str | None = None   # 元 / 万元 / 亿元, %, 个 / 项 / 台 / 辆 / 套
    decimals: int = 0
    amount: Amount | None = None
    base_year: int | None = None
    direction: int | None = None  # +1 增加…, -1 减少…, 0 一致/持平, None when no word
    whole: str | None = None      # share: the whole it is a part of
    group: int | None = None      # the comparison (比上年…) or 其中-list the claim belongs to
    this: int | None = None       # comparison: the id of the amount it compares ("X万元，比上年增加…")
    part: int | None = None       # share: the id of the amount it is the share of
    anchor: int | None = None     # share with no whole named ("其中：A万元，占Z%"): the listed total
    basis: str | None = None      # comparison: what last year's figure is (预算, 预算执行数, 决算)
    named: bool = True            # the subject is named right before the figure (not inherited)
    role: str | None = None       # what the amount is, when printed before it: 年初预算, 全年预算, 决算, 执行数…
    passage: int = 0              # the number of the passage (paragraph) it is read from
    listed: bool = False          # read after a 其中/包括 in its sentence: maybe one item of a list

    @property
    def fen(self) -> int:
        """The amount in 分 (amounts and differences only)."""
        return self.amount.fen if self.amount else 0

    @property
    def ulp(self) -> int:
        """One unit of the last printed digit, in 分 (0 for figures exact to the 分)."""
        return self.amount.ulp if self.amount else 0


def extract(paragraphs: list[Paragraph], year: int | None, continuing: frozenset[int] = frozenset()) -> tuple[Claim, ...]:
    """The claims of a document's narrative, numbered in reading order (`continuing`: the lines
    that run on to the next, lines.continuing)."""
    return _extract(tuple((p.text, p.line) for p in paragraphs), year, continuing)


@lru_cache(maxsize=64)
def _extract(paragraphs: tuple[tuple[str, int], ...], year: int | None, continuing: frozenset[int]) -> tuple[Claim, ...]:
    from budget_audit.rules.narrative.reader import Reader  # it builds this module's Claims

    texts = passages((Paragraph(text, line) for text, line in paragraphs), continuing)
    reader = Reader(year or narrative_year(p.text for p in texts))
    for passage in texts:
        reader.read(passage)
    return tuple(replace(c, id=i) for i, c in enumerate(reader.claims))


def narrative_year(texts) -> int | None:
    """The latest year a narrative names (its budget year when the loader found none)."""
    years = [int(y) for text in texts for y in _YEAR.findall(text)]
    return max(years) if years else None


# the cover's "上海市普陀区2023年区级部门预算", "2018年度部门预算": not "比2022年预算"
_TITLE_YEAR = re.compile(r"(?<![比与较])(20\d{2})\s*年度?\s*(?:[区市省县]级)?(?:部门|单位)(?:预算|决算)")


def title_year(texts) -> int | None:
    """The year the narrative's title names (among its first lines), or None."""
    for text in list(texts)[:30]:
        found = _TITLE_YEAR.search(text)
        if found:
            return int(found.group(1))
    return None


def budget_year(paragraphs: list[Paragraph], year: int | None) -> int | None:
    """The year this year's figures belong to: the title's (a loader may take "比2022年预算" for it),
    else the document's, else the narrative's latest."""
    texts = [p.text for p in passages(paragraphs)]
    return title_year(texts) or year or narrative_year(texts)
