"""Every kind's parameters: declared in the kind (`PARAMS = {key: type}`), checked here, in one place.

A user's rule with a key its kind does not read (`colums:`) or a value the kind cannot use
(`rows: everything`) is refused before any document is read; a near key gets "did you mean".
Each type returns (key, problem) or None; the kind's own `validate` then checks what needs the
values together (a required key, a table id of the catalog).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Callable

Problem = tuple[str, str] | None
SCALARS = (str, int, float, bool, type(None))
OPERATORS = ("not", "prefix", "not_prefix", "present")  # rules/selection.py _predicate


@dataclass(frozen=True)
class Param:
    """One parameter type: `what` is said when a value does not fit."""

    what: str
    test: Callable[[Any, str], Problem]

    def check(self, value: Any, key: str) -> Problem:
        return self.test(value, key)


def _simple(what: str, ok: Callable[[Any], bool]) -> Param:
    return Param(what, lambda value, key: None if ok(value) else (key, f"must be {what}, not {value!r}"))


TEXT = _simple("a string", lambda v: isinstance(v, str))
FLAG = _simple("true or false", lambda v: isinstance(v, bool))
TEXTS = _simple("a list of strings", lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v))
TEXT_OR_TEXTS = _simple("a string or a list of strings",
                        lambda v: isinstance(v, str) or TEXTS.check(v, "") is None)
MAPPING = _simple("a mapping", lambda v: isinstance(v, dict))
LIST = _simple("a list", lambda v: isinstance(v, list))
MAP_OR_LIST = _simple("a mapping or a list of mappings",
                      lambda v: isinstance(v, dict) or (isinstance(v, list) and all(isinstance(x, dict) for x in v)))
TEXT_MAP = _simple("a mapping of names to strings",
                   lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()))


def choice(*values: str) -> Param:
    return _simple(" or ".join(values), lambda v: v in values)


def _regexes(value: Any, key: str) -> Problem:
    for i, pattern in enumerate([value] if isinstance(value, str) else value):
        try:
            re.compile(pattern)
        except re.error as exc:
            return (key if isinstance(value, str) else f"{key}[{i}]"), f"not a regular expression ({exc})"
    return None


REGEX = Param("a regular expression", lambda v, k: TEXT.check(v, k) or _regexes(v, k))
REGEXES = Param("a list of regular expressions", lambda v, k: TEXTS.check(v, k) or _regexes(v, k))


def _where(value: Any, key: str) -> Problem:
    """A row filter: {column: value | [values] | {not|prefix|not_prefix|present: ...}}."""
    if not isinstance(value, dict):
        return key, f"a row filter is a mapping of column to value, not {value!r}"
    for column, wanted in value.items():
        here = f"{key}.{column}"
        if isinstance(wanted, dict):
            if len(wanted) != 1 or next(iter(wanted)) not in OPERATORS:
                return here, f"an operator mapping has one of {', '.join(OPERATORS)}, not {sorted(wanted, key=str)}"
            wanted = next(iter(wanted.values()))
        if isinstance(wanted, list) and all(isinstance(v, SCALARS) for v in wanted) or isinstance(wanted, SCALARS):
            continue
        return here, f"a value or a list of values, not {wanted!r}"
    return None


WHERE = Param("a row filter", _where)
WHERES = Param("a list of row filters",
               lambda v, k: next((p for i, w in enumerate(v) if (p := _where(w, f"{k}[{i}]"))), None)
               if isinstance(v, list) else (k, f"must be a list of row filters, not {v!r}"))
ROWS = Param("top, all or a row filter", lambda v, k: _where(v, k) if isinstance(v, dict) else
             None if v in ("top", "all") else (k, f"must be top, all or a row filter, not {v!r}"))


def unknown(key: str, known: dict[str, Any] | tuple[str, ...], what: str) -> Problem:
    """(key, 'unknown key; did you mean …') when `key` is not one of `known`."""
    name = key.rsplit(".", 1)[-1]
    close = difflib.get_close_matches(name, [str(k) for k in known], n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return key, f"unknown key{hint} ({what} has {', '.join(sorted(known))})"


def keys(params: Any, declared: dict[str, Param], key: str, what: str) -> Problem:
    """Unknown keys first (a typo is the likelier mistake), then each value's type."""
    if not isinstance(params, dict):
        return key, "must be a mapping"
    prefix = f"{key}." if key else ""
    for name in params:
        if name not in declared:
            return unknown(f"{prefix}{name}", declared, what)
    for name, value in params.items():
        problem = declared[name].check(value, f"{prefix}{name}")
        if problem:
            return problem
    return None


SPEC_KEYS = {"table": TEXT, "column": TEXT, "where": WHERE, "key": TEXTS}
SPEC = Param("a {table, column, where, key} mapping", lambda v, k: keys(v, SPEC_KEYS, k, "a table selection"))
SPECS = Param("a table selection or a list of them",
              lambda v, k: next((p for i, s in enumerate(v) if (p := SPEC.check(s, f"{k}[{i}]"))), None)
              if isinstance(v, list) else SPEC.check(v, k))

def declared(kind: str, module: Any) -> dict[str, Param]:
    """The parameters a kind reads."""
    return module.PARAMS


def check(kind: str, module: Any, params: dict[str, Any]) -> Problem:
    """(key, problem) for the first parameter the kind does not read or cannot use."""
    return keys(params, declared(kind, module), "", kind)
