"""Mutations of the samples for fuzzing: lines deleted, duplicated, swapped; characters garbled;
tabs inserted; numbers replaced by text. Shared by the CI fuzz test and fuzz_many.py."""

from __future__ import annotations

import re

from hypothesis import strategies as st

from budget_audit.loaders.model import LoadError
from budget_audit.loaders.text import from_text
from budget_audit.reports.pipeline import check_loaded
from budget_audit.reports.report import DocumentResult
from tests.conftest import ALL_SAMPLES

TEXTS = {p.name: p.read_text("utf-8") for p in ALL_SAMPLES}
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
GARBAGE = ["\t", "\x00", "<script>", "合计", "—", "－", "\u3000", "一百元", "表一：", "预算03表 支出总表", "单位：万元",
           "９９９", "-", ".", ",", "\r", "\n\n", "¥", "万元", "上年结转结余"]


def check_text(text: str, name: str) -> DocumentResult:
    """What `check` does with a document's text: a result, never an exception."""
    try:
        document = from_text(text, name)
    except LoadError as exc:
        return DocumentResult(path=name, status="error", load_error=str(exc))
    return check_loaded(document)


@st.composite
def mutated_sample(draw):
    """(sample name, mutated text) with 1-5 random edits."""
    name = draw(st.sampled_from(sorted(TEXTS)))
    lines = TEXTS[name].split("\n")
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "garble", "tab", "number", "truncate"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "garble" and lines[i]:
            k = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:k] + draw(st.sampled_from(GARBAGE)) + lines[i][k + 1:]
        elif kind == "tab":
            k = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:k] + "\t" + lines[i][k:]
        elif kind == "number":
            lines[i] = NUMBER.sub(draw(st.sampled_from(["十二", "N/A", "x", "", "1e5", "--"])), lines[i], count=1)
        elif kind == "truncate":
            lines = lines[: max(1, i)]
    return name, "\n".join(lines)


FORMATS = ("rich", "json", "html", "junit", "sarif", "github", "markdown")
UNRENDERED = ("本文件的报告未能生成", "could not be rendered")  # what a guarded format writes for a crash


@st.composite
def cut_or_indented_sample(draw):
    """(sample name, text) cut after any line (even mid-line), or with its leading tabs turned
    into spaces on some or all lines: the two edits that crashed the review's batches."""
    name = draw(st.sampled_from(sorted(TEXTS)))
    text = TEXTS[name]
    if draw(st.booleans()):
        return name, text[: draw(st.integers(1, len(text)))]
    spaces = " " * draw(st.sampled_from([1, 2, 4, 8]))
    every = draw(st.sampled_from([1, 2, 3, 7]))
    lines = text.split("\n")
    lines = [re.sub(r"^\t", spaces, line) if i % every == 0 else line for i, line in enumerate(lines)]
    return name, "\n".join(lines)


def render_every_format(results: list[DocumentResult]) -> dict[str, str]:
    """Every report format of a batch (each document alongside a clean sample), in both
    languages for the human formats; raises on a crash or on a document a format gave up on."""
    from budget_audit.reports import formats
    from budget_audit.reports.report import AuditReport

    report = AuditReport(documents=results)
    out = {}
    for name in FORMATS:
        for lang in (("zh", "en") if name in ("rich", "html") else ("zh",)):
            text = formats.get(name).render(report, lang)
            assert not any(marker in text for marker in UNRENDERED), f"{name} could not render a document"
            out[f"{name}-{lang}"] = text
    return out
