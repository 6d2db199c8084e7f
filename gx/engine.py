"""`check --engine gx`: the rule set run through GX Core, its validation results turned into findings.

GX decides: for every rule GX expresses (gx/frames.py), the rows GX reports unexpected are the
comparisons that fail, and the rounding expectation says whether beyond rounding (the rule's
severity) or within it (info). The wording, figures and cells of each finding come from the native
kind's own finding for exactly that comparison, so every report format reads them unchanged; a
row GX and the native kind disagree on becomes a warning that says so. Rules GX cannot express
run natively; every finding carries extra["engine"] ("gx" or "native").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from budget_audit.gx.findings import decided
from budget_audit.gx.frames import BUILDERS, NOT_EXPRESSED, Comparisons, comparisons, frame
from budget_audit.rules.engine import Outcome, _crashed, finish
from budget_audit.rules.findings import SEVERITY_RANK
from budget_audit.rules.kinds import KINDS, NotApplicable


@dataclass
class Prepared:
    """One document's rules, in order: (rule, state, payload). state: skipped (reason), native
    (findings), gx (native findings, Comparisons)."""

    document: object
    entries: list = field(default_factory=list)

    @property
    def parts(self) -> list[Comparisons]:
        return [payload[1] for _, state, payload in self.entries if state == "gx"]

    @property
    def not_expressed(self) -> list[dict]:
        return [{"rule": r.code, "kind": r.kind, "reason": NOT_EXPRESSED.get(r.kind, "kind unknown to the GX export")}
                for r, state, _ in self.entries if r.kind not in BUILDERS]

    @property
    def not_applicable(self) -> list[dict]:
        return [{"rule": r.code, "reason": why} for r, state, why in self.entries if state == "skipped"]


def prepare(document, rules) -> Prepared:
    """Run each native kind once (its findings are the wording GX's verdicts are shown with; it
    also says when a rule does not apply) and list the comparisons of every rule GX expresses."""
    prepared = Prepared(document)
    for rule in rules:
        try:
            found = list(KINDS[rule.kind].check(document, rule))
        except NotApplicable as why:
            prepared.entries.append((rule, "skipped", str(why)))
            continue
        except Exception as exc:  # a bug in a check must not hide the other checks' findings
            prepared.entries.append((rule, "native", [_crashed(rule, exc)]))
            continue
        if rule.kind not in BUILDERS:
            prepared.entries.append((rule, "native", found))
            continue
        try:
            prepared.entries.append((rule, "gx", (found, comparisons(document, rule))))
        except Exception as exc:
            prepared.entries.append((rule, "native", [_crashed(rule, exc, "gx-frame")]))
    return prepared


RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": ["row_id", "rule", "key"]}


def validate(preps: list[Prepared]) -> tuple[dict, list]:
    """Validate every document's identity frames through GX, batched per home table.
    Returns ({(document index, rule code): {"exact": rows, "rounding": rows | None}}, GX results);
    "rounding" is None when GX had no rounding expectation to evaluate (no slack: exact decides)."""
    from budget_audit.gx import suite as suites
    from budget_audit.gx.context import context, gx

    ctx, batch = context()
    module = gx()
    by_table: dict[str, list[tuple[int, Comparisons]]] = {}
    for i, prep in enumerate(preps):
        for part in prep.parts:
            by_table.setdefault(part.home, []).append((i, part))
    verdicts: dict = {}
    results = []
    for table_id, entries in by_table.items():
        suite = suites.build(ctx, f"batch-{len(results)}", [p for _, p in entries], [], [])[table_id]
        df = frame([p for _, p in entries], [str(i) for i, _ in entries])
        owner = [(i, part.rule.code, n) for i, part in entries for n in range(len(part.rows))]
        definition = ctx.validation_definitions.add(module.ValidationDefinition(
            name=f"{table_id}-{len(results)}", data=batch, suite=suite))
        result = definition.run(batch_parameters={"dataframe": df}, result_format=RESULT_FORMAT)
        results.append(result)
        for i, part in entries:
            verdicts[(i, part.rule.code)] = {"exact": set(), "rounding": None}
        for r in result.results:
            meta = r.expectation_config.meta
            if r.exception_info and r.exception_info.get("raised_exception"):
                raise RuntimeError(f"GX could not evaluate {table_id} ({meta.get('role')}): "
                                   f"{r.exception_info.get('exception_message')}")
            if meta["role"] == "rounding":
                for i, part in entries:
                    if part.rule.code in meta["rules"]:
                        verdicts[(i, part.rule.code)]["rounding"] = set()
            for unexpected in r.result.get("unexpected_index_list") or []:
                doc, code, n = owner[int(unexpected["row_id"])]
                verdicts[(doc, code)][meta["role"]].add(n)
    return verdicts, results


def run_many(documents, rules) -> list[Outcome]:
    """Check several documents with one rule set through GX: one validation per home table."""
    rules = list(rules)
    preps = [prepare(d, rules) for d in documents]
    verdicts, results = validate(preps) if any(p.parts for p in preps) else ({}, [])
    outcomes = []
    shared = _Results(results)  # GX's JSON, made once for the batch when a format asks for it
    for i, prep in enumerate(preps):
        outcome = Outcome()
        outcome.engines = {}  # rule code -> "gx" | "native", for a report that shows it
        for rule, state, payload in prep.entries:
            if state == "skipped":
                outcome.skipped.append((rule, payload))
                continue
            if state == "gx":
                v = verdicts[(i, rule.code)]
                found, engine_name = decided(rule, payload[1], payload[0], v["exact"], v["rounding"]), "gx"
            else:
                found, engine_name = payload, "native"
            outcome.engines[rule.code] = engine_name
            outcome.checked.append((rule, any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warning"] for f in found)))
            for finding in found:
                finding.extra.setdefault("check", rule.code)
                finding.extra["engine"] = engine_name
                finding.family = finding.family or rule.family
                finding.title = finding.title or rule.title
                outcome.findings.append(finding)
        finish(prep.document, outcome)
        prep.document.cache["gx_results"] = shared
        outcomes.append(outcome)
    return outcomes


class _Results:
    """GX's validation results of a run; `json()` converts them once, on first use (slow)."""

    def __init__(self, results):
        self._results, self._json = list(results), None

    def json(self) -> list[dict]:
        if self._json is None:
            self._json = [r.to_json_dict() for r in self._results]
        return self._json

    def __getstate__(self):  # a worker process sends plain JSON back
        return {"_results": [], "_json": self.json()}


def run(document, rules) -> Outcome:
    """The Outcome rules/engine.run gives, with GX deciding every rule it expresses."""
    return run_many([document], rules)[0]
