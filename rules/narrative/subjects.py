"""What a narrative figure is about: the subject keyword table and the mentions found in a text.

Each subject has an English name, the measures it can carry (an amount in 元, a count of
projects or items) and a regular expression for the ways 说明 writers name it. Where two
mentions overlap, the longer one wins ("基本支出预算" names 基本支出, not 支出预算).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AMOUNT, COUNT = "amount", "count"
BOTH = (AMOUNT, COUNT)

# name: (English name, measures, pattern). The order only matters for equally long overlaps.
SUBJECTS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "收入预算": ("income budget", (AMOUNT,), r"收入预算"),
    "支出预算": ("expenditure budget", (AMOUNT,), r"总?支出预算"),
    "基本支出": ("basic expenditure", (AMOUNT,), r"基本支出"),
    "项目支出": ("project expenditure", (AMOUNT,), r"项目支出"),
    "预算内资金": ("in-budget funds", (AMOUNT,), r"预算内资金"),
    "财政专户资金": ("special-account funds", (AMOUNT,), r"财政专户(?:管理)?资金"),
    "其他资金": ("other funds", (AMOUNT,), r"其他资金"),
    "专项转移支付": ("special transfer payments", (AMOUNT,), r"专项转移支付(?:项目)?资金"),
    "三公经费": ("three public funds", (AMOUNT,), r"[“\"']?三公[”\"']?经费"),
    "因公出国（境）费": ("overseas travel", (AMOUNT,), r"因公出国[（(]境[)）](?:费用?|经费)"),
    "公务接待费": ("official reception", (AMOUNT,), r"公务接待费"),
    "公务用车购置及运行维护费": ("official vehicles", (AMOUNT,), r"公务用车购置及运行(?:维护)?费"),
    "公务用车购置费": ("vehicle purchase", (AMOUNT,), r"公务用车购置费"),
    "公务用车运行维护费": ("vehicle operation", (AMOUNT,), r"公务用车运行(?:维护)?费"),
    "公务用车数量": ("number of official vehicles", (COUNT,), r"公务用车(?:数量|保有量)"),
    "机构运行经费": ("institutional running costs", (AMOUNT,), r"(?:机构|行政)运行经费"),
    "政府采购": ("government procurement", BOTH, r"政府采购"),
    "政府购买服务": ("purchased services", BOTH, r"政府购买服务"),
    "绩效目标项目": ("projects with performance targets", BOTH, r"绩效目标"),
    "国有资产": ("state-owned assets", (AMOUNT,), r"(?:固定|国有)资产总额"),
    "车辆购置": ("vehicle purchases", BOTH, r"购置车辆"),
    "通用设备购置": ("general equipment purchases", BOTH, r"购置(?:(?!设备)[^，。；]){0,20}通用设备"),
    "专用设备购置": ("special equipment purchases", BOTH, r"购置(?:(?!设备)[^，。；]){0,20}专用设备"),
    "车辆": ("vehicles held", BOTH, r"车辆"),
    "通用设备": ("general equipment held", BOTH, r"通用设备"),
    "专用设备": ("special equipment held", BOTH, r"专用设备"),
}
_PATTERNS = [(name, re.compile(pattern)) for name, (_, _, pattern) in SUBJECTS.items()]


@dataclass(frozen=True)
class Mention:
    """A subject named in a text, at [start, end)."""

    subject: str
    start: int
    end: int

    def carries(self, measure: str) -> bool:
        """True when figures of this measure (amount, count) can belong to the subject."""
        return measure in SUBJECTS[self.subject][1]


def english(subject: str | None) -> str:
    """The subject's English name ('—' when unknown)."""
    return SUBJECTS[subject][0] if subject in SUBJECTS else "—"


def mentions(text: str) -> list[Mention]:
    """Non-overlapping subject mentions in reading order; the longest wins an overlap."""
    found = [Mention(name, m.start(), m.end()) for name, pattern in _PATTERNS for m in pattern.finditer(text)]
    found.sort(key=lambda m: (-(m.end - m.start), m.start))
    kept: list[Mention] = []
    for mention in found:
        if all(mention.end <= k.start or mention.start >= k.end for k in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)
