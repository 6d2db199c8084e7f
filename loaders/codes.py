"""Budget classification codes: split "2010350-事业运行", "2010399其他…", "50501-工资福利支出"."""

from __future__ import annotations

import re
from functools import lru_cache

FUNCTION_LEVELS = {3: "类", 5: "款", 7: "项"}
_CODE_NAME = re.compile(r"^\s*(?P<code>\d{3,8})\s*(?:[-－—]\s*)?(?P<name>.*?)\s*$")


@lru_cache(maxsize=4096)
def split_code(text: str) -> tuple[str, str]:
    """('2010350', '事业运行') from '2010350-事业运行' or '2010350事业运行'; ('', text) if no code."""
    m = _CODE_NAME.match(text or "")
    if not m:
        return "", (text or "").strip()
    return m.group("code"), m.group("name").strip()


def function_level(code: str) -> str:
    """类 / 款 / 项 for a 3 / 5 / 7-digit 功能分类 code, '' otherwise."""
    return FUNCTION_LEVELS.get(len(code), "") if code.isdigit() else ""


def function_parent(code: str) -> str:
    """The parent 功能分类 code: 2010301 -> 20103 -> 201 -> ''."""
    return {7: code[:5], 5: code[:3]}.get(len(code), "")


def economic_use(code: str) -> str:
    """Which basic-expenditure use a department economic code belongs to.

    301 and 303 are 人员经费; 302 and 310 are 公用经费 (DOMAIN.md §2).
    """
    return {"301": "personnel", "303": "personnel", "302": "public", "310": "public"}.get(code[:3], "")


# 功能分类 类 names as printed in 收支总表 rows, to the 3-digit code.
FUNCTION_CLASS_CODES = {
    "一般公共服务支出": "201", "外交支出": "202", "国防支出": "203", "公共安全支出": "204",
    "教育支出": "205", "科学技术支出": "206", "文化旅游体育与传媒支出": "207",
    "社会保障和就业支出": "208", "卫生健康支出": "210", "节能环保支出": "211",
    "城乡社区支出": "212", "农林水支出": "213", "交通运输支出": "214",
    "资源勘探工业信息等支出": "215", "商业服务业等支出": "216", "金融支出": "217",
    "援助其他地区支出": "219", "自然资源海洋气象等支出": "220", "住房保障支出": "221",
    "粮油物资储备支出": "222", "国有资本经营预算支出": "223", "灾害防治及应急管理支出": "224",
    "其他支出": "229", "债务付息支出": "232", "债务发行费用支出": "233",
    "抗疫特别国债安排的支出": "234",
    # names of 2017–2018 (before the 2019 reform of the classification)
    "文化体育与传媒支出": "207", "医疗卫生与计划生育支出": "210", "资源勘探信息等支出": "215",
    "国土海洋气象等支出": "220",
}

_ORDINAL = re.compile(r"^[\s（(]*[一二三四五六七八九十]+[、）)]\s*|^\s*\d+[、.．]\s*")


@lru_cache(maxsize=4096)
def strip_ordinal(label: str) -> str:
    """'十九、住房保障支出' -> '住房保障支出'; '（一）一般公共预算拨款' -> '一般公共预算拨款'."""
    return _ORDINAL.sub("", label or "").strip().rstrip("：:").strip()
