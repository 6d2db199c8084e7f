"""Adopting the tool in a repository: project configuration, reviewed waivers, a baseline (#16).

check_command calls prepare(args) before any document is read (every waiver and baseline file is
checked there) and apply(report, args) after checking."""

from __future__ import annotations

import datetime as dt
from pathlib import Path


# The codes this package reports, for `budget-audit explain` (see codes.py).
CODES = ("ADO001", "ADO002")


def say(lang: str, zh: str, en: str) -> str:
    """One of the adoption messages in the UI language."""
    return zh if lang == "zh" else en


class AdoptionError(Exception):
    """A waiver or baseline file cannot be used: the message names the file, the place, the reason."""


def prepare(args) -> None:
    """Read and validate waiver and baseline files (and the per-path overrides' rule sets) before
    any document is read; the parsed files are kept on `args` for apply()."""
    from budget_audit.reports.adoption import baseline, waivers

    lang = "en" if getattr(args, "lang", "zh") == "en" else "zh"
    args.adoption_waivers = args.adoption_baseline = None
    try:
        if getattr(args, "waivers", None):
            args.adoption_waivers = waivers.load(Path(args.waivers), lang)
        if getattr(args, "baseline", None) and not _rewriting(args):
            args.adoption_baseline = baseline.load(Path(args.baseline), lang)
    except (waivers.WaiverError, baseline.BaselineError) as exc:
        raise AdoptionError(str(exc)) from None
    if getattr(args, "write_baseline", None):
        from budget_audit.reports import output

        try:
            output.check_target(args.write_baseline, args.paths)
        except output.OutputError as exc:
            raise AdoptionError(str(exc)) from None
    _check_overrides(args)


def _rewriting(args) -> bool:
    """--write-baseline onto the configured baseline that does not exist yet: nothing to read."""
    target = getattr(args, "write_baseline", None)
    return bool(target) and Path(target).absolute() == Path(args.baseline).absolute() and not Path(target).exists()


def _check_overrides(args) -> None:
    """Each override's rule set loads and its --select/--ignore match rules (a typo never runs zero checks)."""
    config = getattr(args, "config", None)
    if config is None or not config.overrides:
        return
    from budget_audit.rules.engine import SelectionError, check_selection
    from budget_audit.rules.ruleset import PROFILES, RuleSetError, load_ruleset

    for index, override in enumerate(config.overrides):
        options = _options(args, override)
        try:
            chosen = options["ruleset"] or options["profile"]
            rules = [r for name in ([chosen] if chosen else ["base", *PROFILES]) for r in load_ruleset(name)]
            check_selection(rules, _split(options["select"]), _split(options["ignore"]))
        except (RuleSetError, SelectionError) as exc:
            raise AdoptionError(f"{config.label} overrides[{index}]: {exc}") from None


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _options(args, override: dict) -> dict:
    """A document's rule options: the run's, then its override, except what the command line typed."""
    typed = getattr(args, "config_typed", set())
    return {key: override[key] if key in override and key not in typed else getattr(args, key)
            for key in ("profile", "ruleset", "select", "ignore")}


def apply(report, args) -> None:
    """Re-check documents whose per-path override changes their rules, mark waived and baselined
    findings, write a baseline when asked; `report.baseline_fixed` says how many entries are fixed."""
    from budget_audit.reports.adoption import baseline, waivers

    _apply_overrides(report, args)
    root = project_root(args)
    if getattr(args, "adoption_waivers", None) is not None:
        waivers.apply(report.documents, args.adoption_waivers, Path(args.waivers), root, dt.date.today())
    if getattr(args, "adoption_baseline", None) is not None:
        report.baseline_fixed = baseline.apply(report.documents, args.adoption_baseline, root)
    if getattr(args, "write_baseline", None):
        from budget_audit.reports import output

        target = Path(args.write_baseline)
        try:
            output.write_atomic(str(target), baseline.render(report.documents, root))
        except output.OutputError as exc:
            raise AdoptionError(str(exc)) from None
        baseline.mark_all(report.documents, root)
        report.baseline_fixed = getattr(report, "baseline_fixed", 0)
    report.settle()  # a document fails only on findings nobody accepted


def project_root(args) -> Path:
    """What waiver globs and baseline paths are relative to: the folder of the project's
    configuration file, else the working directory."""
    config = getattr(args, "config", None)
    return config.folder if config is not None and config.path else Path.cwd().absolute()


def _apply_overrides(report, args) -> None:
    config = getattr(args, "config", None)
    if config is None or not config.overrides:
        return
    from budget_audit.reports.adoption.config import override_for
    from budget_audit.reports.pipeline import check_document

    run = {key: getattr(args, key) for key in ("profile", "ruleset", "select", "ignore")}
    typed = getattr(args, "config_typed", set())
    for doc in report.documents:
        override = override_for(config, doc.path)
        fail_on = None if "fail-on" in typed else override.get("fail-on")
        options = _options(args, override)
        if options != run:  # in place: the jsonl sink writes and counts this very object
            again = check_document(doc.path, options["profile"], options["ruleset"], _split(options["select"]),
                                   _split(options["ignore"]), fail_on or report.fail_on,
                                   getattr(args, "engine", "native"))
            vars(doc).update(vars(again))
        doc.fail_on = fail_on
