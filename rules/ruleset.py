"""Rule sets: YAML data with stable codes. A profile extends the base set; a user's file can
extend a shipped profile (`extends: beijing_municipal`) and override rules by code.

Errors in a rule set name the file, the rule code and the key, before any document is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

SETS = Path(__file__).with_name("sets")
SHARED = ("base", "narrative")  # shipped sets that other sets extend; not profiles of a template
# Every other shipped set is the profile of the template of the same name (regions add files).
PROFILES = {path.stem: path.name for path in sorted(SETS.glob("*.yaml")) if path.stem not in SHARED}
RULE_KEYS = {"code", "kind", "severity", "title", "message", "family", "params", "enabled", "doc"}
SET_KEYS = {"name", "extends", "rules", "description", "doc"}
_ANCHORED = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*&", re.M)  # `figures: &figures`: a block for aliases


class RuleSetError(Exception):
    """A rule-set file is invalid: the message names file, rule code and key."""


@dataclass(frozen=True)
class Rule:
    """One declared check."""

    code: str
    kind: str
    severity: str
    title: dict[str, str]
    params: dict[str, Any]
    family: str
    message: dict[str, str] = field(default_factory=dict)
    source: str = ""


MAX_NODES = 200_000  # a rule set expands to far fewer YAML nodes; aliases must not multiply them


def _expanded_size(node, memo: dict[int, int]) -> int:
    """How many nodes the document has once every alias is expanded (linear time: shared nodes memoised)."""
    if id(node) not in memo:
        memo[id(node)] = 1  # a recursive alias counts once
        if isinstance(node, yaml.MappingNode):
            memo[id(node)] = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            memo[id(node)] = 1 + sum(_expanded_size(v, memo) for v in node.value)
    return memo[id(node)]


def _read(path: Path) -> dict[str, Any]:
    """The file's mapping; each profile extends base, so one file is read once per content."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise RuleSetError(f"{path}: cannot read rule set ({exc.strerror})") from None
    return _read_once(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=64)
def _read_once(path: Path, size: int, mtime_ns: int) -> dict[str, Any]:  # (size, mtime): never stale
    try:
        text = path.read_text("utf-8")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
        try:  # one parse: the node graph is measured, then built
            node = loader.get_single_node()
            if node is not None and _expanded_size(node, {}) > MAX_NODES:
                raise RuleSetError(f"{path}: YAML aliases expand to more than {MAX_NODES:,} values; refused")
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except OSError as exc:
        raise RuleSetError(f"{path}: cannot read rule set ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise RuleSetError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules", []), list):
        raise RuleSetError(f"{path}: a rule set is a mapping with a 'rules' list")
    unknown = sorted(set(data) - SET_KEYS - set(_ANCHORED.findall(text)), key=str)
    if unknown:
        raise RuleSetError(f"{path}: unknown key {unknown[0]!r} (a rule set has {', '.join(sorted(SET_KEYS))})")
    for key in ("name", "description", "doc"):
        if key in data and not isinstance(data[key], str):
            raise RuleSetError(f"{path}: key {key!r}: must be a string")
    return data


def _is_path(name_or_path: str) -> bool:
    return "/" in name_or_path or "\\" in name_or_path or name_or_path.endswith((".yaml", ".yml"))


def _resolve(name_or_path: str, base: Path | None = None) -> Path:
    """A shipped set by name, else a file (relative to the folder of the file that extends it)."""
    if name_or_path in PROFILES or name_or_path in SHARED:
        return SETS / f"{name_or_path}.yaml"
    path = Path(name_or_path)
    if base is not None and not path.is_absolute():
        path = base / path
    if _is_path(name_or_path) or path.is_file():
        return path
    raise RuleSetError(f"unknown profile {name_or_path!r} (profiles: {', '.join(PROFILES)};"
                       " or the path of a rule-set file)")


def _validate(raw: Any, path: Path, index: int) -> Rule:
    from budget_audit.rules.kinds import KINDS, columns
    from budget_audit.rules.kinds import params as declared

    if not isinstance(raw, dict):
        raise RuleSetError(f"{path}: rule #{index + 1}: must be a mapping")
    code = raw.get("code")
    where = f"{path}: rule {code or '#' + str(index + 1)}"
    for key in ("code", "kind", "severity", "title"):
        if key not in raw:
            raise RuleSetError(f"{where}: missing key '{key}'")
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise RuleSetError(f"{where}: unknown key '{sorted(unknown)[0]}'")
    if raw["kind"] not in KINDS:
        raise RuleSetError(f"{where}: key 'kind': unknown kind {raw['kind']!r} (known: {', '.join(KINDS)})")
    if raw["severity"] not in ("error", "warning", "info"):
        raise RuleSetError(f"{where}: key 'severity': must be error, warning or info")
    for key in ("title", "message"):
        text = raw.get(key)
        if key == "message" and text is None:
            continue
        if not isinstance(text, dict) or not {"zh", "en"} <= set(text) or set(text) - {"zh", "en"} \
                or not all(isinstance(v, str) for v in text.values()):
            raise RuleSetError(f"{where}: key '{key}': needs zh and en, each a string")
    for key, kind in (("enabled", bool), ("family", str), ("doc", str)):
        if key in raw and not isinstance(raw[key], kind):
            raise RuleSetError(f"{where}: key '{key}': must be {'true or false' if kind is bool else 'a string'}")
    if not isinstance(raw["code"], str) or not raw["code"].strip():
        raise RuleSetError(f"{where}: key 'code': must be a non-empty string")
    title = raw["title"]
    params = raw.get("params") or {}
    if not isinstance(params, dict):
        raise RuleSetError(f"{where}: key 'params': must be a mapping")
    kind = KINDS[raw["kind"]]  # keys and value types first, so the kind's own checks see sound values
    problem = declared.check(raw["kind"], kind, params) or kind.validate(params) \
        or columns.check_params(raw["kind"], params)
    if problem:
        raise RuleSetError(f"{where}: key 'params.{problem[0]}': {problem[1]}")
    return Rule(code=str(code), kind=raw["kind"], severity=raw["severity"], title=title,
                params=params, family=raw.get("family") or str(code).rstrip("0123456789"),
                message=raw.get("message") or {}, source=str(path))


@lru_cache(maxsize=32)
def load_ruleset(name_or_path: str) -> tuple[Rule, ...]:
    """The rules of a profile or file, with everything it extends, in order, by unique code."""
    return _load(_resolve(name_or_path), ())


def _load(path: Path, chain: tuple[Path, ...]) -> tuple[Rule, ...]:
    real = path.resolve()
    if real in chain:
        names = " -> ".join(str(p) for p in (*chain, real))
        raise RuleSetError(f"{path}: key 'extends': a cycle ({names})")
    data = _read(path)
    rules: dict[str, Rule] = {}
    parents = data.get("extends") or []
    for parent in ([parents] if isinstance(parents, str) else parents):
        if not isinstance(parent, str):
            raise RuleSetError(f"{path}: key 'extends': names a profile or a rule-set file, not {parent!r}")
        for rule in _load(_resolve(parent, path.parent), (*chain, real)):
            rules[rule.code] = rule
    seen: set[str] = set()
    for index, raw in enumerate(data.get("rules") or []):
        if isinstance(raw, dict) and not isinstance(raw.get("enabled", True), bool):
            raise RuleSetError(f"{path}: rule {raw.get('code')}: key 'enabled': must be true or false")
        if isinstance(raw, dict) and raw.get("enabled") is False:
            if raw.get("code") not in rules:
                raise RuleSetError(f"{path}: rule {raw.get('code')}: key 'enabled': unknown code"
                                   " (no rule with this code is extended)")
            rules.pop(raw["code"])
            continue
        rule = _validate(raw, path, index)
        if rule.code in seen:
            raise RuleSetError(f"{path}: rule {rule.code}: key 'code': duplicate code in this file")
        seen.add(rule.code)
        rules[rule.code] = rule
    return tuple(rules.values())


def profile_for(template: str | None) -> str:
    """The shipped profile for a detected template (the base set when unknown)."""
    return template if template in PROFILES else "base"
