"""Checks across the documents of one batch: sibling detection (detect.py), the cross-document
rule kind (cross_document.py) and its rule set (siblings.yaml)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from budget_audit.rules.ruleset import Rule, RuleSetError
from budget_audit.rules.siblings import cross_document, lines
from budget_audit.rules.siblings.detect import Relation, facts, find_relations, normalise

RULES_FILE = Path(__file__).with_name("siblings.yaml")


@lru_cache(maxsize=4)
def load_rules(path: str = str(RULES_FILE)) -> tuple[Rule, ...]:
    """The cross-document rules; RuleSetError names file, code and key of a bad entry."""
    import yaml

    data = yaml.safe_load(Path(path).read_text("utf-8")) or {}
    rules = []
    for i, raw in enumerate(data.get("rules") or []):
        where = f"{path}: rule {raw.get('code', i + 1) if isinstance(raw, dict) else i + 1}"
        if not isinstance(raw, dict) or raw.get("kind") != "cross-document":
            raise RuleSetError(f"{where}: key 'kind': expected cross-document")
        title = raw.get("title")
        if not (isinstance(title, dict) and title.get("zh") and title.get("en")):
            raise RuleSetError(f"{where}: key 'title': needs zh and en")
        problem = cross_document.validate(raw.get("params") or {})
        if problem:
            raise RuleSetError(f"{where}: key 'params.{problem[0]}': {problem[1]}")
        if raw.get("enabled", True):
            rules.append(Rule(code=str(raw["code"]), kind="cross-document", severity=raw.get("severity", "error"),
                              title=title, params=raw["params"], family="XD", message=raw.get("message") or {},
                              source=path))
    return tuple(rules)


def figures_map(rules: Iterable[Rule]) -> Any:
    """The narrative's subject -> table map of a document's rule set (its table-amount rule)."""
    return next((r.params.get("figures") for r in rules
                 if r.kind == "narrative-claim" and r.params.get("check") == "table-amount"), None)


def check_batch(documents: list[tuple[Any, Any]], pairs: list[tuple[str, str]] = (), basis: str = "option",
                complete: Iterable[str] = ()) -> tuple[list[Relation], dict[str, list], list[tuple[str, Rule]]]:
    """(the relations found, findings per document path, the (path, rule) checks that ran) for
    [(Document, figures map), …]; `complete` names departments whose every unit is in the batch."""
    by_path = {d.path: (d, f) for d, f in documents}
    all_facts = [facts(d) for d, _ in documents]
    relations = find_relations(all_facts, pairs, basis)
    found: dict[str, list] = {}
    ran: list[tuple[str, Rule]] = []
    for relation in relations:
        (document, figures), (sibling, sibling_figures) = by_path[relation.document], by_path[relation.sibling]
        for rule in load_rules():
            if rule.params["relation"] == relation.kind and rule.params["check"] != "department-sum-of-units":
                ran.append((relation.document, rule))
                found.setdefault(relation.document, []).extend(
                    _guarded(rule, relation.sibling, lambda: cross_document.check(document, sibling, rule, figures,
                                                                                  sibling_figures)))
    whole = {normalise(n) for n in complete} | set(complete)
    for department in sorted({r.sibling for r in relations if r.kind == "department_unit"}):
        info = next(f for f in all_facts if f.path == department)
        if not ({info.body, Path(department).name, Path(department).stem} & whole):
            continue
        units = [by_path[r.document][0] for r in relations if r.kind == "department_unit" and r.sibling == department]
        for rule in (r for r in load_rules() if r.params["check"] == "department-sum-of-units"):
            ran.append((department, rule))
            found.setdefault(department, []).extend(
                _guarded(rule, department, lambda: lines.department_sum(by_path[department][0], units, rule)))
    return relations, found, ran


def _guarded(rule: Rule, sibling: str, run) -> list:
    """The findings of one rule over one pair; a bug there is one warning, never a lost batch."""
    from budget_audit.rules.engine import _crashed

    try:
        return list(run())
    except Exception as exc:  # noqa: BLE001 - the other pairs and documents keep their findings
        finding = _crashed(rule, exc)
        finding.extra["sibling"] = sibling
        return [finding]
