"""Rule sets: YAML data with stable codes. A profile extends the base set; a user's file can
extend a shipped profile (`extends: beijing_municipal`) and override rules by code.

Errors in a rule set name the file, the rule code and the key, before any document is read.
"""

from __future__ import annotations

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


def _read(path: Path) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=loader)
    except OSError as exc:
        raise RuleSetError(f"{path}: cannot read rule set ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise RuleSetError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules", []), list):
        raise RuleSetError(f"{path}: a rule set is a mapping with a 'rules' list")
    return data


def _is_path(name_or_path: str) -> bool:
    return "/" in name_or_path or "\\" in name_or_path or name_or_path.endswith((".yaml", ".yml"))


def _resolve(name_or_path: str) -> Path:
    if name_or_path in PROFILES or name_or_path in SHARED:
        return SETS / f"{name_or_path}.yaml"
    if _is_path(name_or_path) or Path(name_or_path).is_file():
        return Path(name_or_path)
    raise RuleSetError(f"unknown profile {name_or_path!r} (profiles: {', '.join(PROFILES)};"
                       " or the path of a rule-set file)")


def _validate(raw: Any, path: Path, index: int) -> Rule:
    from budget_audit.rules.kinds import KINDS

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
    title = raw["title"]
    if not isinstance(title, dict) or not {"zh", "en"} <= set(title):
        raise RuleSetError(f"{where}: key 'title': needs zh and en")
    params = raw.get("params") or {}
    problem = KINDS[raw["kind"]].validate(params)
    if problem:
        raise RuleSetError(f"{where}: key 'params.{problem[0]}': {problem[1]}")
    return Rule(code=str(code), kind=raw["kind"], severity=raw["severity"], title=title,
                params=params, family=raw.get("family") or str(code).rstrip("0123456789"),
                message=raw.get("message") or {}, source=str(path))


@lru_cache(maxsize=32)
def load_ruleset(name_or_path: str) -> tuple[Rule, ...]:
    """The rules of a profile or file, with everything it extends, in order, by unique code."""
    path = _resolve(name_or_path)
    data = _read(path)
    rules: dict[str, Rule] = {}
    for parent in ([data["extends"]] if isinstance(data.get("extends"), str) else data.get("extends") or []):
        for rule in load_ruleset(parent):
            rules[rule.code] = rule
    seen: set[str] = set()
    for index, raw in enumerate(data.get("rules") or []):
        if isinstance(raw, dict) and raw.get("enabled") is False and raw.get("code") in rules:
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
