"""What a narrative figure is about: the subject keyword table and the mentions found in a text.

Each subject has an English name, the measures it can carry (an amount in 元, a count of
projects or items) and a regular expression for the ways 说明 writers name it. Where two
mentions overlap, the longer one wins ("基本支出预算" names 基本支出, not 支出预算).
A 功能分类 item is a subject of its own, named by its printed path: "“一般公共服务支出-政府办公厅
（室）及相关机构事务-行政运行”科目" or "人大事务（款）行政运行（项）" -> "功能分类科目:一般公共服务支出-
政府办公厅（室）及相关机构事务-行政运行" (levels kept when printed: "人大事务（款）-行政运行（项）").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AMOUNT, COUNT = "amount", "count"
BOTH = (AMOUNT, COUNT)

# name: (English name, measures, pattern). The order only matters for equally long overlaps.
SUBJECTS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "收入预算": ("income budget", (AMOUNT,), r"(?<!拨款)(?<!预算)(?<!基金)(?<!资金)(?<!资本经营)收入预算"),
    "支出预算": ("expenditure budget", (AMOUNT,), r"(?<!拨款)(?<!预算)(?<!基金)(?<!资本经营)(?<!采购)(?<!经费)总?支出预算"),
    "财政拨款支出": ("expenditure from fiscal appropriations", (AMOUNT,), r"财政拨款支出(?:预算)?(?!决算表|预算表|总表)"),
    "一般公共预算支出": ("general public budget expenditure", (AMOUNT,),
                 r"一般公共预算(?:财政)?(?:拨款)?支出(?:预算)?(?!决算表|预算表|情况|总表)"),
    "基本支出": ("basic expenditure", (AMOUNT,), r"基本支出"),
    # the fiscal money's basic spending is a figure of its own (人员经费 + 公用经费 itemise it)
    "财政拨款基本支出": ("basic expenditure from fiscal appropriations", (AMOUNT,),
                 r"(?:财政拨款|一般公共预算(?:财政)?(?:拨款)?)基本支出"),
    "项目支出": ("project expenditure", (AMOUNT,), r"项目支出"),
    "预留机动经费": ("reserved contingency funds", (AMOUNT,), r"(?:单位)?预留机动经费"),
    "预算内资金": ("in-budget funds", (AMOUNT,), r"预算内资金"),
    "财政专户资金": ("special-account funds", (AMOUNT,), r"财政专户(?:管理)?资金"),
    "其他资金": ("other funds", (AMOUNT,), r"其他资金"),
    "专项转移支付": ("special transfer payments", (AMOUNT,), r"专项转移支付(?:项目)?资金"),
    "三公经费": ("three public funds", (AMOUNT,), r"[“\"']?三公[”\"']?经费"),
    "因公出国（境）费": ("overseas travel", (AMOUNT,), r"因公出国[（(]境[)）](?:费用?|经费)"),
    "公务接待费": ("official reception", (AMOUNT,), r"公务接待费"),
    "公务用车购置及运行维护费": ("official vehicles", (AMOUNT,), r"公务用?车购置及运行(?:维护)?费"),   # "公务车购置及运行费" (万里街道 2023 p29)
    "公务用车购置费": ("vehicle purchase", (AMOUNT,), r"公务用车购置(?:费|预算|支出)?(?!及)"),
    "公务用车运行维护费": ("vehicle operation", (AMOUNT,), r"公务用车运行(?:维护)?费"),
    "会议费": ("meeting costs", (AMOUNT,), r"会议费"),
    "培训费": ("training costs", (AMOUNT,), r"培训费"),
    "人员经费": ("personnel costs", (AMOUNT,), r"人员经费"),
    "公用经费": ("public costs", (AMOUNT,), r"(?<!日常)公用经费"),
    "公务用车数量": ("number of official vehicles", (COUNT,), r"公务用车(?:数量|保有量)"),
    "机构运行经费": ("institutional running costs", (AMOUNT,), r"(?:机构|行政|机关)运行经费"),
    "政府采购": ("government procurement", BOTH, r"政府采购"),
    "政府采购货物": ("procurement of goods", (AMOUNT,), r"(?:政府采购|拟采购|拟购买)货物(?:预算|支出)?|货物(?:类政府)?采购(?:金额|支出预算)?"),
    "政府采购工程": ("procurement of works", (AMOUNT,), r"(?:政府采购|拟采购|拟购买)工程(?:预算|支出)?|工程(?:类政府)?采购(?:金额|支出预算)?"),
    "政府采购服务": ("procurement of services", (AMOUNT,), r"(?:政府采购|拟购买|拟采购)服务(?:预算|支出)?|服务(?:类政府)?采购(?:金额|支出预算)?"),
    "中小企业预留": ("reserved for small and medium enterprises", (AMOUNT,), r"(?:面向)?中小企业(?:预留)?(?:政府采购项目预算(?:金额)?)?"),
    "小微企业预留": ("reserved for small and micro enterprises", (AMOUNT,), r"(?:预留给)?(?:小型和微型企业|小微企业)(?:的)?(?:预留)?(?:政府采购项目预算(?:金额)?)?"),
    "政府购买服务": ("purchased services", BOTH, r"政府购买服务"),
    "绩效目标项目": ("projects with performance targets", BOTH, r"绩效目标"),
    "国有资产": ("state-owned assets", (AMOUNT,), r"(?:固定|国有)资产总额"),
    "车辆购置": ("vehicle purchases", BOTH, r"购置车辆"),
    "通用设备购置": ("general equipment purchases", BOTH, r"购置(?:(?!设备)[^，。；]){0,20}通用设备"),
    "专用设备购置": ("special equipment purchases", BOTH, r"购置(?:(?!设备)[^，。；]){0,20}专用设备"),
    "车辆": ("vehicles held", BOTH, r"车辆"),
    # the 功能分类 items: found by `_items`, looked up by name in the tables (figures.function_item)
    "功能分类科目": ("function classification item", (AMOUNT,), r"(?!)"),
    "通用设备": ("general equipment held", BOTH, r"通用设备"),
    "专用设备": ("special equipment held", BOTH, r"专用设备"),
}
_PATTERNS = [(name, re.compile(pattern)) for name, (_, _, pattern) in SUBJECTS.items()]
ITEM = "功能分类科目"
_NAME = r"(?:[\u4e00-\u9fa5]|[（(]室[)）])+?"
_LEVELLED = re.compile(rf"(?:{_NAME}[（(][类款项][)）](?:支出)?){{1,3}}")
_QUOTED = re.compile(r"[“\"]([^“”\"\n]{2,90}?)[”\"](?:科目|支出)")
_SEGMENT = re.compile(rf"({_NAME})[（(]([类款项])[)）]")


@dataclass(frozen=True)
class Mention:
    """A subject named in a text, at [start, end)."""

    subject: str
    start: int
    end: int

    def carries(self, measure: str) -> bool:
        """True when figures of this measure (amount, count) can belong to the subject."""
        return measure in measures(self.subject)


def english(subject: str | None) -> str:
    """The subject's English name ('—' when unknown)."""
    if is_item(subject):
        return f"function item {item_path(subject)}"
    return SUBJECTS[subject][0] if subject in SUBJECTS else "—"


def family(subject: str | None) -> str | None:
    """The key a subject's table figure is mapped under (功能分类科目 for every item)."""
    return ITEM if is_item(subject) else subject


def measures(subject: str) -> tuple[str, ...]:
    """What figures a subject can carry."""
    return SUBJECTS[family(subject)][1]


def is_item(subject: str | None) -> bool:
    return bool(subject) and subject.startswith(ITEM + ":")


def item_path(subject: str) -> str:
    """"一般公共服务支出-…-行政运行" of an item subject."""
    return subject.split(":", 1)[1]


def item_segments(subject: str) -> list[tuple[str, str | None]]:
    """[(name, level or None)] of an item subject, class first."""
    out = []
    for part in item_path(subject).split("-"):
        found = _SEGMENT.fullmatch(part)
        out.append((found.group(1), found.group(2)) if found else (part, None))
    return out


def _items(text: str) -> list[Mention]:
    """功能分类 items named by their path: quoted with dashes, or with （类）（款）（项） marks."""
    found = []
    for m in _QUOTED.finditer(text):
        parts = [p.strip() for p in re.split(r"[-－—–]+", m.group(1)) if p.strip()]
        if len(parts) > 1 or _SEGMENT.search(m.group(1)):
            levelled = [f"{s.group(1)}（{s.group(2)}）" for s in _SEGMENT.finditer(m.group(1))]
            found.append(Mention(f"{ITEM}:" + "-".join(levelled or parts), m.start(), m.end()))
    for m in _LEVELLED.finditer(text):
        levelled = [f"{s.group(1)}（{s.group(2)}）" for s in _SEGMENT.finditer(m.group(0))]
        found.append(Mention(f"{ITEM}:" + "-".join(levelled), m.start(), m.end()))
    return found


def mentions(text: str) -> list[Mention]:
    """Non-overlapping subject mentions in reading order; the longest wins an overlap."""
    found = [Mention(name, m.start(), m.end()) for name, pattern in _PATTERNS for m in pattern.finditer(text)]
    found += _items(text)
    found.sort(key=lambda m: (-(m.end - m.start), m.start))
    kept: list[Mention] = []
    for mention in found:
        if all(mention.end <= k.start or mention.start >= k.end for k in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)
