"""Which documents of a batch are siblings: the same body (its name as printed, normalised) and
how they relate — the previous year's document of the same kind, a 部门 document and its 单位
documents of the same year, the 预算 and the 决算 of one year. When names differ (a body renamed,
a unit named otherwise than its department) the relation can be named: `relations_from_option`
("A=B", the CLI's --relate) or a siblings.yaml beside the documents:

    relate: ["江苏省人民代表大会常务委员会办公厅=江苏省人大常委会办公厅"]
    complete: ["上海市普陀区人民政府办公室"]   # every unit of this department is in the folder
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

RELATIONS = {"previous_year": {"zh": "上一年度同类文件", "en": "previous year's document"},
             "department_unit": {"zh": "部门与所属单位", "en": "department and its unit"},
             "budget_final": {"zh": "同年度预算与决算", "en": "budget and final accounts of one year"}}
SIBLINGS_FILE = "siblings.yaml"
# A cover: "江苏省人大常委会办公厅 / 2017年度部门预算" or "2018 年度江苏省高级 / 人民法院预算公开".
_COVERS = (re.compile(r"^(?P<body>[^\d表目]\D{3,40}?)\s*20\d\d\s*年度?\s*(?:区级)?(?:部门|单位)?\s*(?:预算|决算)"),
           re.compile(r"^20\d\d\s*年度?\s*(?P<body>[^\d表目]\D{3,40}?)\s*(?:部门|单位)?\s*(?:预算|决算)"),
           re.compile(r"^(?P<body>[^\d表目]\D{3,40}?)\s*年度?\s*(?:部门|单位)?\s*(?:预算|决算)\s*20\d\d"))
_NOT_A_BODY = re.compile(r"部分|目\s*录|情况|、|主要职能|说明")
_NAMED = re.compile(r"预算(?:主管部门|单位)[:：]\s*(?P<body>\S+)")
COVER_LINES = 120  # a two-file publication's cover may follow the other file's pages
_STEM = re.compile(r"^(?P<body>.+?)_(?P<year>20\d\d)_(?P<kind>budget|final)(?:_(?P<level>dept|unit))?$")
# Spellings of one organ: the long forms as the short ones, so that 2017's cover and 2018's agree.
_SPELLINGS = (("中国共产党", "中共"), ("人民代表大会常务委员会", "人大常委会"), ("中国人民政治协商会议", "政协"),
              ("委员会", "委"))


class RelateError(ValueError):
    """A --relate option or siblings.yaml entry that cannot be read; the message says which and why."""


@dataclass(frozen=True)
class Facts:
    """What a document says about itself, for pairing: body (normalised), year, kind, level."""

    path: str
    body: str | None
    name: str | None  # the body as printed
    year: int | None
    kind: str  # budget | final
    level: str  # dept | unit


@dataclass(frozen=True)
class Relation:
    """`document` was compared with `sibling` (the earlier year, the department, the budget)."""

    kind: str
    document: str
    sibling: str
    basis: str  # body (same name) | option (--relate) | siblings.yaml

    def to_dict(self) -> dict[str, Any]:
        """The JSON report's `siblings` entry."""
        return {"relation": self.kind, "document": self.document, "sibling": self.sibling, "basis": self.basis,
                "title": RELATIONS[self.kind]}


def normalise(name: str | None) -> str | None:
    """A body's name without spacing, punctuation and the variants of one organ's spelling."""
    if not name:
        return None
    text = "".join(ch for ch in unicodedata.normalize("NFKC", name)
                   if not (ch.isspace() or unicodedata.category(ch).startswith("P")))
    for long, short in _SPELLINGS:
        text = text.replace(long, short)
    text = text.removeprefix("中共") if text.startswith("中共") and len(text) > 4 else text
    return text or None


def facts(document: Any) -> Facts:
    """The reader's Document.meta when it has it; else the cover ('…办公厅 / 2017年度部门预算'),
    else a file name such as js_renda_2017_budget_dept."""
    meta = dict(getattr(document, "meta", None) or {})
    cover, name = _cover(document.paragraphs)
    name = meta.get("body") or name
    stem = _STEM.match(Path(document.path).stem)
    year = meta.get("year") or document.year or (int(stem.group("year")) if stem else None)
    kind = meta.get("kind") or ("final" if "决算" in cover else "budget" if "预算" in cover
                                else stem.group("kind") if stem else "budget")
    level = meta.get("level") or ("unit" if "单位预算" in cover or "单位决算" in cover
                                  else stem.group("level") if stem and stem.group("level") else "dept")
    if not name and stem:
        name = stem.group("body")
    return Facts(document.path, normalise(name), name, year, kind, level)


def _cover(paragraphs) -> tuple[str, str | None]:
    """(the cover's text, the body it names): the first three lines that read as a cover."""
    texts = [p.text.strip() for p in paragraphs[:COVER_LINES]]
    named = next((m for m in map(_NAMED.search, texts[:10]) if m), None)  # "预算主管部门：…" says it outright
    if named:
        return "".join(texts[:3]), named.group("body")
    for i in range(len(texts)):
        joined = "".join(texts[i:i + 3])
        for pattern in _COVERS:
            found = pattern.match(joined)
            if found and not _NOT_A_BODY.search(found.group("body")):
                return joined, found.group("body").strip()
    return "".join(texts[:3]), None


def relations_from_option(text: str) -> list[tuple[str, str]]:
    """'A=B[,C=D]' -> [(A, B), …]: A and B (body names or file names) are the same body, or a unit
    and its department. RelateError names the entry that is not 'A=B'."""
    pairs = []
    for entry in (e.strip() for e in re.split(r"[,;，；\n]", text or "")):
        if not entry:
            continue
        left, sep, right = entry.partition("=")
        if not sep or not left.strip() or not right.strip():
            raise RelateError(f"--relate {entry!r}: expected NAME=NAME (two body or file names)")
        pairs.append((left.strip(), right.strip()))
    return pairs


def relations_from_folder(paths: Iterable[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """(the `relate:` pairs, the `complete:` departments) of every siblings.yaml in the folders of
    `paths`. `complete` names departments whose every unit is in the folder (so 部门 = Σ 单位)."""
    import yaml

    pairs, complete = [], []
    for folder in sorted({str(Path(p).parent) for p in paths} | {p for p in paths if Path(p).is_dir()}):
        file = Path(folder) / SIBLINGS_FILE
        if not file.is_file():
            continue
        try:
            data = yaml.safe_load(file.read_text("utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise RelateError(f"{file}: cannot be read ({exc})") from exc
        if not isinstance(data, dict):
            raise RelateError(f"{file}: expected the keys relate and complete")
        for key in ("relate", "complete"):
            if not isinstance(data.get(key, []), list):
                raise RelateError(f"{file}: key '{key}': expected a list of names")
        for entry in data.get("relate", []):
            try:
                pairs += relations_from_option(str(entry))
            except RelateError:
                raise RelateError(f"{file}: key 'relate': {entry!r} is not NAME=NAME (two body or file names)") from None
        complete += [str(name) for name in data.get("complete", [])]
    return pairs, complete


def _aliases(all_facts: list[Facts], pairs: list[tuple[str, str]]) -> dict[str, str]:
    """path -> the body it is grouped under: names joined by --relate / siblings.yaml count as one."""
    def key_of(name: str) -> set[str]:
        named = {f.path for f in all_facts if f.body == normalise(name) or Path(f.path).name == name
                 or Path(f.path).stem == name}
        return named

    group = {f.path: f.body or f.path for f in all_facts}
    for left, right in pairs:
        members = key_of(left) | key_of(right)
        if members:
            target = min(group[p] for p in members)
            for path, body in list(group.items()):
                if body in {group[p] for p in members}:
                    group[path] = target
    return group


def find_relations(all_facts: list[Facts], pairs: list[tuple[str, str]] = (), basis: str = "option") -> list[Relation]:
    """Every pair of siblings among the documents, each once, in a stable order."""
    group = _aliases(all_facts, list(pairs))
    named = {p for pair in pairs for p in pair}
    out = []
    for a in all_facts:
        for b in all_facts:
            if a.path == b.path or group[a.path] != group[b.path] or a.year is None or b.year is None:
                continue
            how = "body" if a.body and a.body == b.body else basis
            if how != "body" and not named:
                continue
            if a.kind == b.kind and a.level == b.level and a.year == b.year + 1:
                out.append(Relation("previous_year", a.path, b.path, how))
            elif a.kind == b.kind and a.year == b.year and a.level == "unit" and b.level == "dept":
                out.append(Relation("department_unit", a.path, b.path, how))
            elif a.year == b.year and a.level == b.level and a.kind == "final" and b.kind == "budget":
                out.append(Relation("budget_final", a.path, b.path, how))
    return sorted(out, key=lambda r: (r.kind, r.document, r.sibling))
