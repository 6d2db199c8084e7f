"""`budget-audit check`: select rules, find the documents, check them (in order, in parallel or on
a cluster: reports/fleet.py), apply waivers and a baseline (reports/adoption), write the report."""

from __future__ import annotations

import argparse
import sys


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _fail(message: str) -> int:
    print(f"budget-audit: {message}", file=sys.stderr)
    return 2


def _rules_in_play(args):
    """Every rule a document of this run may meet (a broken rule set stops here, before reading)."""
    from budget_audit.rules.ruleset import PROFILES, load_ruleset

    chosen = args.ruleset or args.profile
    names = [chosen] if chosen else ["base", *PROFILES]
    return [rule for name in names for rule in load_ruleset(name)]


def cmd_check(args: argparse.Namespace) -> int:
    """Check every path and print or write the chosen format."""
    from budget_audit.reports import adoption, fleet, output
    from budget_audit.reports.pipeline import discover
    from budget_audit.rules.engine import SelectionError, check_selection
    from budget_audit.rules.ruleset import RuleSetError
    from budget_audit.rules.siblings.detect import RelateError, relations_from_option

    select, ignore = _split(args.select), _split(args.ignore)
    try:
        check_selection(_rules_in_play(args), select, ignore)
        relations_from_option(getattr(args, "relate", None) or "")  # a malformed --relate stops here
        paths = discover(args.paths)
        if args.output is not None:
            output.check_target(args.output, paths)
        adoption.prepare(args)
    except (RuleSetError, SelectionError, RelateError, output.OutputError, adoption.AdoptionError) as exc:
        return _fail(str(exc))
    to_terminal = not args.output and args.format == "rich"
    if args.format == "jsonl" and not (getattr(args, "baseline", None) or getattr(args, "write_baseline", None)):
        # streamed; a baseline compares the whole run, so with one jsonl is written at the end
        return _stream_jsonl(paths, args, select, ignore)
    try:
        with output.progress(len(paths), enabled=not args.quiet) as tick:
            report = fleet.check(paths, progress=tick, **_options(args, select, ignore))
    except fleet.FleetError as exc:
        return _fail(str(exc))
    try:
        adoption.apply(report, args)
    except adoption.AdoptionError as exc:
        return _fail(str(exc))
    if not to_terminal:  # the report itself tells a terminal reader; others see stderr too
        for doc in report.documents:
            if doc.status == "error":
                print(f"budget-audit: {doc.error_text(args.lang)}", file=sys.stderr)
        for problem in report.batch_errors:
            print(f"budget-audit: {problem}", file=sys.stderr)
    text = _render(report, args)
    try:
        if args.output:
            output.write_atomic(args.output, text)
        else:
            output.write_stdout(text)
    except output.OutputError as exc:
        return _fail(str(exc))
    return report.exit_code()


def _options(args, select, ignore) -> dict:
    return dict(jobs=args.jobs, dask=args.dask, dask_ship=getattr(args, "dask_ship", "auto"), profile=args.profile, ruleset=args.ruleset, select=select,
                ignore=ignore, fail_on=args.fail_on, skip_other=args.skip_other, engine=args.engine,
                causes=not (args.quiet and args.format == "rich"),  # one line per document shows no cause
                relate=getattr(args, "relate", None))


def _stream_jsonl(paths, args, select, ignore) -> int:
    """--format jsonl: each document's line is written as soon as it is done and then dropped;
    waivers and the baseline are applied document by document."""
    from budget_audit.reports import adoption, fleet, output
    from budget_audit.reports.formats import jsonl
    from budget_audit.reports.report import AuditReport

    skipped = []
    closed = []  # the reader of the stream stopped early (`| head`): checking goes on, for the status

    def out(line: str) -> None:
        if not closed:
            try:
                write(line)
            except BrokenPipeError:
                closed.append(True)

    def sink(doc):
        one = AuditReport(documents=[doc], fail_on=args.fail_on)
        adoption.apply(one, args)
        if doc.status == "error":
            print(f"budget-audit: {doc.error_text(args.lang)}", file=sys.stderr)
        if doc.is_disclosure or not args.skip_other:
            out(jsonl.document_line(doc, args.lang))
        else:
            doc.document = None  # only its path and reason are written
            skipped.append(doc)

    # a bar would mix with lines streamed to the same terminal
    bar = not args.quiet and (args.output or not sys.stdout.isatty())
    try:
        with output.stream(args.output) as write, output.progress(len(paths), enabled=bar) as tick:
            totals = fleet.check(paths, progress=tick, sink=sink, **_options(args, select, ignore))
            out(jsonl.summary_line(totals.summary(), skipped, args.lang))
    except (fleet.FleetError, output.OutputError, adoption.AdoptionError) as exc:
        return _fail(str(exc))
    except BrokenPipeError:  # a pipe named by -o closed as its file was closed
        output.drop_stdout()
    return totals.exit_code()


def _render(report, args) -> str:
    from budget_audit.reports import formats

    if args.quiet and args.format == "rich":
        from budget_audit.reports.quiet import render_quiet

        return render_quiet(report, args.lang)
    if args.format == "rich" and args.output:  # a file gets plain text, never colour codes
        from budget_audit.reports.quiet import plain_console

        return formats.get("rich").render(report, args.lang, console=plain_console())
    return formats.get(args.format).render(report, args.lang)
