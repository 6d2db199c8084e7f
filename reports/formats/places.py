"""Where a finding points, in words every format shares: a line of a text export, a page of a
PDF, a sheet!ref of a workbook; and the cell a finding is about first (its anchor)."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from budget_audit.loaders.model import SourceLocation
from budget_audit.rules.findings import CellRef, Finding

PAGE = {"zh": "第{page}页", "en": "p. {page}"}


def anchor_cell(finding: Finding) -> CellRef | None:
    """The cell a finding is reported at: its first located cell in the finding's own table
    (the figure that is wrong, e.g. the 合计 row of a column sum), else its first located cell."""
    located = [c for c in finding.cells if _located(c.source)]
    own = [c for c in located if c.table == finding.table]
    chosen = own or located
    return chosen[0] if chosen else None


def _located(source: SourceLocation) -> bool:
    return bool(source.line or source.page or source.ref)


def place(source: SourceLocation | None, lang: str = "zh", with_file: bool = True) -> str:
    """'95' (a line), '第3页' / 'p. 3' (a PDF page), '部门收支总表!C7' (a workbook cell), with the
    file first when a document is read from several files; '' when nothing is known."""
    if source is None:
        return ""
    if source.line:
        text = str(source.line) if not source.line_end else f"{source.line}–{source.line_end}"
    elif source.sheet is not None:
        text = f"{source.sheet}!{source.ref}" if source.ref else source.sheet
    elif source.ref:
        text = source.ref
    elif source.page:
        text = PAGE[lang].format(page=source.page)
    else:
        return ""
    return f"{source.file} {text}" if with_file and source.file else text


LINE = {"zh": "行 {line}", "en": "line {line}"}


def place_label(source: SourceLocation | None, lang: str = "zh") -> str:
    """A place for a reader: '行 95' / 'line 95' for a text line, else as `place` gives it."""
    shown = place(source, lang)
    if shown and source is not None and source.line:
        return LINE[lang].format(line=shown)
    return shown


def ranges(numbers: Iterable[int]) -> list[str]:
    """Sorted numbers as runs: [53, 54, 55, 57] -> ['53–55', '57']."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [str(a) if a == b else f"{a}–{b}" for a, b in runs]


def finding_places(finding: Finding, lang: str = "zh", limit: int = 3) -> list[str]:
    """The places a finding read, its anchor first: lines as runs ('95', '53–94'), else pages and
    cell refs in reading order; at most `limit` entries, then '+n'."""
    anchor = anchor_cell(finding)
    first = place(anchor.source, lang) if anchor else ""
    lines = [c.source.line for c in finding.cells if c.source.line]
    if lines:
        rest = ranges(n for n in lines if str(n) != first)
    else:
        rest = list(dict.fromkeys(p for c in finding.cells if (p := place(c.source, lang)) and p != first))
    out = ([first] if first else []) + rest
    return out[:limit] + ([f"+{len(out) - limit}"] if len(out) > limit else [])


def guarded(render_one: Callable[[Any], Any], item: Any, fallback: Callable[[Any, Exception], Any]) -> Any:
    """Render one document, or the fallback naming the failure: one document the format cannot
    show must not lose the batch's report."""
    try:
        return render_one(item)
    except Exception as exc:  # a format's own bug, contained to its document
        return fallback(item, exc)


def load_error(doc: Any, lang: str) -> str:
    """A document's load error in the UI language (DocumentResult.error_text when it has it)."""
    translated = getattr(doc, "error_text", None)
    return translated(lang) if callable(translated) else (doc.load_error or "")


FAILED = {"zh": "本文件的报告未能生成（{error}）；其他文件不受影响。请报告此问题。",
          "en": "The report of this document could not be rendered ({error}); the other documents are unaffected. "
                "Please report this."}


def failure_text(exc: Exception, lang: str) -> str:
    """The message a guarded format prints for a document it could not render."""
    return FAILED[lang].format(error=f"{type(exc).__name__}: {exc}")
