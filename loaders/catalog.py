"""The standard-table catalog (catalog.yaml): templates, title aliases, header and row labels."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

_BLANKS = re.compile(r"[\s\u3000\"'“”‘’「」]+")


@lru_cache(maxsize=8192)
def norm_label(text: str) -> str:
    """A label as the catalog matches it: NFKC, no blanks, no quote marks."""
    return _BLANKS.sub("", unicodedata.normalize("NFKC", text or ""))


_HERE = Path(__file__).parent


def _merge(into: dict[str, Any], extra: dict[str, Any], where: str) -> None:
    """Merge a regional catalog file into the base: dicts recursively, lists extended."""
    for key, value in extra.items():
        if key not in into:
            into[key] = value
        elif isinstance(into[key], dict) and isinstance(value, dict):
            _merge(into[key], value, f"{where}.{key}")
        elif isinstance(into[key], list) and isinstance(value, list):
            into[key] = into[key] + [v for v in value if v not in into[key]]
        elif into[key] != value:
            raise ValueError(f"catalog conflict at {where}.{key}: {into[key]!r} vs {value!r}")


def raw_catalog() -> dict[str, Any]:
    """catalog.yaml (the shared base and Beijing) merged with every templates/*.yaml (one per region)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load((_HERE / "catalog.yaml").read_text("utf-8"), Loader=loader)
    for extra in sorted((_HERE / "templates").glob("*.yaml")):
        _merge(raw, yaml.load(extra.read_text("utf-8"), Loader=loader) or {}, extra.stem)
    return raw


@lru_cache(maxsize=None)
def catalog() -> dict[str, Any]:
    """The parsed catalog with every label normalised."""
    raw = raw_catalog()
    titles = {norm_label(t): tid for tid, spec in raw["tables"].items() for t in spec["titles"]}
    cols = raw["columns"]
    return {
        "templates": raw["templates"],
        "tables": raw["tables"],
        "titles": titles,
        "key_columns": {norm_label(k): v for k, v in cols["keys"].items()},
        "amount_columns": {norm_label(k): v for k, v in cols["amounts"].items()},
        "income_items": {norm_label(k): v for k, v in raw["summary_items"]["income"].items()},
        "expenditure_items": {norm_label(k): v for k, v in raw["summary_items"]["expenditure"].items()},
        "wrong_expenditure_labels": {norm_label(k) for k in raw["summary_items"]["wrong_expenditure_labels"]},
        "three_public_items": {norm_label(k): v for k, v in raw["three_public_items"].items()},
        "total_labels": {norm_label(k) for k in raw["total_labels"]},
        "column_names": raw.get("column_names", {}),
    }


# What printed titles carry around the catalog's title: an ordinal (一、 / 1. / 4．), the year
# ("2025年", "2019年度"), and in some regions the body's name ("一、2018年度江苏省高级人民法院收支
# 预算总表"): a prefix before the longest catalog title the label ends with, if it reads as a name.
_TITLE_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+、|\d{1,2}[.．、]|[(（][一二三四五六七八九十\d]+[)）])?"
                           r"(?:(?:19|20)\d{2}年度?)?")
_BODY_PREFIX = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}$")
_BODY_NAME = re.compile(r"[省市区县]|[院厅局委会部办室处心道府协所校]$")
_NOT_A_NAME = ("本表", "反映", "说明", "情况", "单位：", "部分")


@lru_cache(maxsize=4096)
def split_title(title: str) -> tuple[str | None, str]:
    """(standard id, body-name prefix) of a printed table title; id None when not in the catalog.

    Tried as printed, then without a leading ordinal and year ("一、2019年收支预算总表"), then
    without a body's name before a catalog title ("江苏省高级人民法院收支预算总表").
    """
    titles = catalog()["titles"]
    label = norm_label(title)
    found = titles.get(label)
    if found is not None:
        return found, ""
    stripped = _TITLE_PREFIX.sub("", label, count=1)
    if stripped != label and stripped in titles:
        return titles[stripped], ""
    for known in _titles_longest_first():
        if len(stripped) > len(known) and stripped.endswith(known):
            body = _TITLE_PREFIX.sub("", stripped[: -len(known)], count=1)
            if _BODY_PREFIX.match(body) and _BODY_NAME.search(body) and not any(w in body for w in _NOT_A_NAME):
                return titles[known], body
            break
    return None, ""


@lru_cache(maxsize=1)
def _titles_longest_first() -> tuple[str, ...]:
    return tuple(sorted(catalog()["titles"], key=len, reverse=True))


def table_id_for_title(title: str) -> str | None:
    """The standard id of a printed table title, or None when the catalog does not know it."""
    return split_title(title)[0]


NARRATIVE = {"zh": "说明", "en": "Narrative"}


def table_name(table_id: str, lang: str = "zh") -> str:
    """The standard table's display name (and the narrative's, whose findings use id 'narrative')."""
    if table_id == "narrative":
        return NARRATIVE[lang]
    spec = catalog()["tables"].get(table_id)
    return spec[lang] if spec else table_id


def builder_for(table_id: str) -> str:
    """Which builder reads this table's rows."""
    return catalog()["tables"][table_id]["builder"]


@lru_cache(maxsize=1)
def label_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(template, compiled `label` regex) of every template that numbers its tables."""
    return tuple((name, re.compile(spec["label"])) for name, spec in catalog()["templates"].items()
                 if spec.get("label"))


def template_for_label(label: str) -> str | None:
    """The template whose table labels look like this one (表三 / 预算03表 / 公开01表)."""
    for name, pattern in label_patterns():
        if pattern.search(label.strip()):
            return name
    return None


def detect_template(titles: list[str], texts: list[str]) -> str | None:
    """The template whose `detect` data fit the document best, or None.

    `detect: {titles, text, not_text}`: a template qualifies when one of its titles is printed
    (as part of a table title) and none of its `not_text` patterns occurs in the text; the one
    with most title and text hits wins (a tie: none, the label decides).
    """
    printed = [norm_label(t) for t in titles]
    body = "\n".join(texts)
    scores = []
    for name, spec in catalog()["templates"].items():
        detect = spec.get("detect") or {}
        hits = sum(1 for t in detect.get("titles", ()) if any(norm_label(t) in p for p in printed))
        if not hits or any(re.search(x, body) for x in detect.get("not_text", ())):
            continue
        scores.append((hits + sum(1 for x in detect.get("text", ()) if re.search(x, body)), name))
    scores.sort(reverse=True)
    if not scores or (len(scores) > 1 and scores[0][0] == scores[1][0]):
        return None
    return scores[0][1]
