"""budget-audit check | tables | rules | explain CODE.

Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage error or unreadable input.
Heavy libraries are imported only by the command (and output format) that needs them.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from budget_audit import __version__

FORMATS = ("rich", "json", "html", "junit", "sarif", "github", "markdown")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="budget-audit",
                                     description="Check Chinese public budget disclosures before publication.")
    parser.add_argument("--version", action="version", version=f"budget-audit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="check documents (files or folders)")
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.add_argument("--format", choices=FORMATS, default="rich")
    check.add_argument("-o", "--output", metavar="FILE", help="write the report here (atomically)")
    check.add_argument("--lang", choices=("zh", "en"), default="zh")
    check.add_argument("--profile", help="rule profile (default: from the detected template)")
    check.add_argument("--ruleset", metavar="FILE", help="a rule-set YAML file (may extend a profile)")
    check.add_argument("--select", default="", help="only rules whose code starts with these (comma-separated)")
    check.add_argument("--ignore", default="", help="skip rules whose code starts with these (comma-separated)")
    check.add_argument("--fail-on", choices=("error", "warning"), default="error")
    check.add_argument("-q", "--quiet", action="store_true", help="one line per document")

    tables = sub.add_parser("tables", help="show what was read from a document")
    tables.add_argument("path", metavar="FILE")
    tables.add_argument("--table", metavar="ID", help="one standard table, with its cells")
    tables.add_argument("--format", choices=("rich", "csv", "json"), default="rich")
    tables.add_argument("--validate", action="store_true", help="check every table against its pandera schema")

    rules = sub.add_parser("rules", help="list the rules of a profile")
    rules.add_argument("--profile", default="base")
    rules.add_argument("--ruleset", metavar="FILE")
    rules.add_argument("--lang", choices=("zh", "en"), default="zh")

    explain = sub.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("code")
    explain.add_argument("--lang", choices=("zh", "en"), default="zh")
    return parser


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _fail(message: str) -> int:
    print(f"budget-audit: {message}", file=sys.stderr)
    return 2


def cmd_check(args: argparse.Namespace) -> int:
    """Check every path and print or write the chosen format."""
    from budget_audit.reports import formats, output
    from budget_audit.reports.pipeline import check_paths, discover
    from budget_audit.rules.ruleset import RuleSetError, load_ruleset

    chosen = args.ruleset or args.profile
    try:
        if chosen:  # a broken rule set is reported before any document is read
            load_ruleset(chosen)
    except RuleSetError as exc:
        return _fail(str(exc))
    paths = discover(args.paths)
    with output.progress(len(paths), enabled=not args.quiet and args.format == "rich" and not args.output) as tick:
        try:
            report = check_paths(paths, profile=args.profile, ruleset=args.ruleset, select=_split(args.select),
                                 ignore=_split(args.ignore), fail_on=args.fail_on, progress=tick, expand=False)
        except RuleSetError as exc:
            return _fail(str(exc))
    for doc in report.documents:
        if doc.status == "error":
            print(f"budget-audit: {doc.load_error}", file=sys.stderr)
    if args.quiet and args.format == "rich":
        text = formats.get("rich").render_quiet(report, args.lang)
    else:
        text = formats.get(args.format).render(report, args.lang)
    if args.output:
        output.write_atomic(args.output, text)
    else:
        output.write_stdout(text)
    return report.exit_code()


def cmd_tables(args: argparse.Namespace) -> int:
    """Show the standard tables read from one document."""
    from budget_audit.loaders import load
    from budget_audit.loaders.model import LoadError
    from budget_audit.reports import output, tables_view

    try:
        document = load(args.path)
    except LoadError as exc:
        return _fail(str(exc))
    if args.table and args.table not in document.tables:
        return _fail(f"{args.path}: no table {args.table!r}; read: {', '.join(document.tables)}")
    if args.validate:
        problems = tables_view.validate(document)
        output.write_stdout("".join(f"{line}\n" for line in problems) or "all tables meet their schemas\n")
        return 1 if problems else 0
    output.write_stdout(tables_view.render(document, args.table, args.format))
    return 0


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

    text = rules_view.render_explain(args.code, args.lang)
    if text is None:
        return _fail(f"unknown rule code {args.code!r} (see `budget-audit rules --profile beijing_district`)")
    output.write_stdout(text)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    command = {"check": cmd_check, "tables": cmd_tables, "rules": cmd_rules, "explain": cmd_explain}
    try:
        return command[args.command](args)
    except KeyboardInterrupt:
        return _fail("interrupted")
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the tool's own failure: one line, no traceback for the user
        return _fail(f"internal error: {type(exc).__name__}: {exc} (please report this)")


if __name__ == "__main__":
    sys.exit(main())
