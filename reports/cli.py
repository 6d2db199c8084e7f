"""budget-audit check | tables | rules | explain CODE.

Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage error or unreadable input,
130 interrupted. Heavy libraries are imported only by the command (and output format) that needs them.
"""

from __future__ import annotations

import _signal  # the C module: installing the handler costs no import of signal.py (enum wrappers)
import os
import sys

# Ctrl-C. Before and after main(): remove pending output, one line, exit 130 at once. Inside main():
# KeyboardInterrupt, once, so that workers stop and temporary files go; a second Ctrl-C while that
# runs changes nothing (a KeyboardInterrupt raised inside the clean-up would print a traceback), a
# third exits at once (a clean-up that hangs must not make the tool unstoppable).
INTERRUPTED = "budget-audit: 已中断 interrupted\n"
_GUARDED = False  # inside main()
_STOPPING = 0  # Ctrl-C received inside main(): only the first raises KeyboardInterrupt
_SAID = False  # the line is printed once however many Ctrl-C


def _on_interrupt(signum, frame):
    global _STOPPING
    if _GUARDED:
        _STOPPING += 1
        if _STOPPING == 1:
            raise KeyboardInterrupt
        if _STOPPING == 2:
            return  # main() is already stopping
    _exit_interrupted()


def _say_interrupted() -> None:
    global _SAID
    if not _SAID:
        _SAID = True
        os.write(2, INTERRUPTED.encode())


def _exit_interrupted() -> None:
    _remove_pending()
    _say_interrupted()
    os._exit(130)


def _remove_pending() -> None:
    output = sys.modules.get("budget_audit.reports.output")  # imported only if something was written
    if output is not None:
        output.remove_pending()


def _unraisable(info):
    """Inside main(), a Ctrl-C that lands in a finaliser or callback would be printed as 'Exception
    ignored' with a traceback, and swallowed: stop here instead."""
    if info.exc_type is not None and issubclass(info.exc_type, KeyboardInterrupt):
        _exit_interrupted()
    sys.__unraisablehook__(info)


_signal.signal(_signal.SIGINT, _on_interrupt)  # first thing: a Ctrl-C while importing prints no traceback

import argparse  # noqa: E402
from typing import Sequence  # noqa: E402

from budget_audit import __version__  # noqa: E402
from budget_audit.reports.cli_text import HELP, say, speak_argparse  # noqa: E402

FORMATS = ("rich", "json", "jsonl", "html", "junit", "sarif", "github", "markdown", "gx-json")


def _lang(argv: Sequence[str]) -> str:
    """The UI language, known before argparse runs so that --help speaks it."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "zh"
        if arg.startswith("--lang="):
            return "en" if arg.endswith("=en") else "zh"
    return "zh"


def _parser(lang: str) -> argparse.ArgumentParser:
    speak_argparse(lang)
    h = HELP[lang]
    parser = argparse.ArgumentParser(prog="budget-audit", description=h["description"])
    parser.add_argument("--version", action="version", version=f"budget-audit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help=h["check"], description=h["check"])
    check.add_argument("paths", nargs="+", metavar="PATH", help=h["paths"])
    check.add_argument("--format", choices=FORMATS, default="rich", help=h["format"])
    check.add_argument("-o", "--output", metavar="FILE", help=h["output"])
    check.add_argument("--lang", choices=("zh", "en"), default="zh", help=h["lang"])
    check.add_argument("--profile", help=h["profile"])
    check.add_argument("--ruleset", metavar="FILE", help=h["ruleset"])
    check.add_argument("--select", default="", help=h["select"])
    check.add_argument("--ignore", default="", help=h["ignore"])
    check.add_argument("--fail-on", choices=("error", "warning"), default="error", help=h["fail_on"])
    check.add_argument("-q", "--quiet", action="store_true", help=h["quiet"])
    check.add_argument("--skip-other", action="store_true", help=h["skip_other"])
    check.add_argument("--jobs", type=int, metavar="N", help=h["jobs"])
    check.add_argument("--dask", metavar="ADDRESS", help=h["dask"])
    check.add_argument("--dask-ship", choices=("auto", "always", "never"), default="auto", help=h["dask_ship"])
    check.add_argument("--engine", choices=("native", "gx"), default="native", help=h["engine"])
    check.add_argument("--waivers", metavar="FILE", help=h["waivers"])
    check.add_argument("--baseline", metavar="FILE", help=h["baseline"])
    check.add_argument("--write-baseline", metavar="FILE", help=h["write_baseline"])
    check.add_argument("--no-cache", action="store_true", help=h["no_cache"])
    check.add_argument("--relate", metavar="NAME=NAME[,…]", help=h["relate"])

    tables = sub.add_parser("tables", help=h["tables"], description=h["tables"])
    tables.add_argument("path", metavar="FILE")
    tables.add_argument("--table", metavar="ID", help=h["table"])
    tables.add_argument("--format", choices=("rich", "csv", "json"), default="rich", help=h["format"])
    tables.add_argument("--validate", action="store_true", help=h["validate"])
    tables.add_argument("--lang", choices=("zh", "en"), default="zh", help=h["lang"])
    tables.add_argument("--no-cache", action="store_true", help=h["no_cache"])

    rules = sub.add_parser("rules", help=h["rules"], description=h["rules"])
    rules.add_argument("--profile", default="base", help=h["profile"])
    rules.add_argument("--ruleset", metavar="FILE", help=h["ruleset"])
    rules.add_argument("--lang", choices=("zh", "en"), default="zh", help=h["lang"])

    config = sub.add_parser("config", help=h["config"], description=h["config"])
    config.add_argument("paths", nargs="*", metavar="PATH", help=h["paths"])
    config.add_argument("--lang", choices=("zh", "en"), default="zh", help=h["lang"])

    suite = sub.add_parser("gx-suite", help=h["gx_suite"], description=h["gx_suite"])
    suite.add_argument("paths", nargs="+", metavar="PATH", help=h["paths"])
    suite.add_argument("-o", "--output", metavar="DIR", required=True, help=h["gx_output"])
    suite.add_argument("--profile", help=h["profile"])
    suite.add_argument("--ruleset", metavar="FILE", help=h["ruleset"])
    suite.add_argument("--lang", choices=("zh", "en"), default="zh", help=h["lang"])

    explain = sub.add_parser("explain", help=h["explain"], description=h["explain"])
    explain.add_argument("code")
    explain.add_argument("--ruleset", metavar="FILE", help=h["ruleset"])
    explain.add_argument("--lang", choices=("zh", "en"), default="zh", help=h["lang"])
    return parser


def _fail(message: str) -> int:
    print(f"budget-audit: {message}", file=sys.stderr)
    return 2


def cmd_check(args: argparse.Namespace) -> int:
    from budget_audit.reports.check_command import cmd_check as run

    return run(args)


def cmd_config(args: argparse.Namespace) -> int:
    from budget_audit.reports.adoption.config import cmd_config as run

    return run(args)


def cmd_gx_suite(args: argparse.Namespace) -> int:
    from budget_audit.gx.suite import cmd_gx_suite as run

    return run(args)


def cmd_tables(args: argparse.Namespace) -> int:
    """Show the standard tables read from one document. Exit status as for check: 0 read (and with
    --validate every table meets its schema), 1 --validate found a table that does not, 2 the file
    cannot be read, holds no budget table, or has no table --table names."""
    from budget_audit.loaders import load
    from budget_audit.loaders.model import LoadError
    from budget_audit.reports import output, tables_view
    from budget_audit.reports.report_text import translate_reason

    try:
        document = load(args.path)
    except LoadError as exc:
        where = f"{exc.path}:{exc.line}" if exc.line else exc.path
        return _fail(f"{where}: {translate_reason(exc.reason, args.lang)}")
    chosen = tables_view.resolve(document, args.table) if args.table else None
    if args.table and chosen is None:
        return _fail(say("no_table", args.lang, path=args.path, table=args.table,
                         read=_table_names(document, args.lang)))
    if args.validate:
        problems = tables_view.validate(document, chosen)
        text = "".join(f"{line}\n" for line in problems) or say("schemas_met", args.lang) + "\n"
        output.write_stdout(text)
        return 1 if problems else 0
    output.write_stdout(tables_view.render(document, chosen, args.format, args.lang))
    return 0


def _table_names(document, lang: str) -> str:
    """预算03表（expenditure_summary）、… : what `--table` accepts."""
    if lang == "zh":
        return "、".join(f"{t.label or t.id}（{t.id}）" for t in document.tables.values())
    return ", ".join(f"{t.label or t.id} ({t.id})" for t in document.tables.values())


def cmd_rules(args: argparse.Namespace) -> int:
    """List the rules of a profile or rule-set file."""
    from budget_audit.reports import output, rules_view
    from budget_audit.rules.ruleset import RuleSetError, load_ruleset

    try:
        rules = load_ruleset(args.ruleset or args.profile)
    except RuleSetError as exc:
        return _fail(str(exc))
    output.write_stdout(rules_view.render_list(rules, args.lang))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """Print the documentation of one rule code (or rule kind)."""
    from budget_audit.reports import output, rules_view
    from budget_audit.rules.ruleset import RuleSetError

    try:
        text = rules_view.render_explain(args.code, args.lang, args.ruleset)
    except RuleSetError as exc:
        return _fail(str(exc))
    if text is None:
        return _fail(say("unknown_code", args.lang, code=args.code))
    output.write_stdout(text)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    hook, sys.unraisablehook = sys.unraisablehook, _unraisable  # only here is KeyboardInterrupt raised
    try:
        return _guarded(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:  # also one raised in _guarded's own except or finally clauses
        _remove_pending()
        _say_interrupted()
        if argv is None:  # the console script: only the interpreter's exit is left, and once it
            # has reset the handler a further Ctrl-C would kill the process by signal, not 130
            _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
        return 130
    finally:
        sys.unraisablehook = hook


def _guarded(argv: list[str]) -> int:
    global _GUARDED, _STOPPING, _SAID
    lang = _lang(argv)
    try:
        _STOPPING, _SAID = 0, False  # main() may run more than once in one process (tests)
        _GUARDED = True
        try:
            args = _parser(lang).parse_args(argv)
        except SystemExit as exc:
            return int(exc.code or 0)
        if getattr(args, "output", None) == "":
            return _fail(say("empty_output", lang))
        if getattr(args, "no_cache", False):  # the environment reaches worker processes too
            os.environ["BUDGET_AUDIT_NO_CACHE"] = "1"
        if args.command == "check":
            from budget_audit.reports.adoption.config import ConfigError, apply_config

            try:
                apply_config(args, argv)  # project config fills what the command line left unsaid
            except ConfigError as exc:
                return _fail(str(exc))
        command = {"check": cmd_check, "tables": cmd_tables, "rules": cmd_rules, "explain": cmd_explain,
                   "config": cmd_config, "gx-suite": cmd_gx_suite}
        return command[args.command](args)
    except BrokenPipeError:  # a command whose status does not depend on what it printed
        from budget_audit.reports.output import drop_stdout

        drop_stdout()
        return 0
    except Exception as exc:  # the tool's own failure: one line, no traceback for the user
        output = sys.modules.get("budget_audit.reports.output")
        if output is not None and isinstance(exc, output.OutputError):  # a full disk is not our bug
            return _fail(str(exc))
        return _fail(say("internal", lang, detail=f"{type(exc).__name__}: {exc}"))
    finally:
        _GUARDED = False


if __name__ == "__main__":
    sys.exit(main())
