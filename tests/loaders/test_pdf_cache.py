"""The reading cache (loaders/pdf/cache.py): keyed by content, shared safely, bypassable."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from budget_audit.loaders.pdf import load

PDF = Path(__file__).parents[1] / "data" / "pdf" / "sh_putuo_zhengfuban_2025_budget_unit.pdf"
READ = "import sys; from budget_audit.loaders.pdf import load; print(len(load(sys.argv[1]).tables))"


def cells(document) -> list[tuple]:
    return [(t.id, column, tuple(values)) for t in document.tables.values() for column, values in t.data.items()]


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """Two runs at the same time fill one cache folder; both read the PDF whole."""
    folder = tmp_path_factory.mktemp("cache")
    env = {**__import__("os").environ, "BUDGET_AUDIT_CACHE_DIR": str(folder)}
    env.pop("BUDGET_AUDIT_NO_CACHE", None)
    runs = [subprocess.Popen([sys.executable, "-c", READ, str(PDF)], env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(2)]
    outputs = [run.communicate(timeout=300)[0].strip() for run in runs]
    assert [run.returncode for run in runs] == [0, 0] and outputs == ["9", "9"]
    return folder


def test_concurrent_runs_leave_one_whole_entry(shared):
    assert [p.suffix for p in shared.iterdir()] == [".json"]  # no temporary file left behind


def test_rerun_reuses_the_reading_and_reads_the_same(shared, monkeypatch):
    monkeypatch.setenv("BUDGET_AUDIT_CACHE_DIR", str(shared))
    monkeypatch.delenv("BUDGET_AUDIT_NO_CACHE", raising=False)
    (entry,) = shared.iterdir()
    before = entry.stat().st_mtime_ns
    cached = load(PDF)
    assert entry.stat().st_mtime_ns == before  # read, not rewritten
    fresh = load(PDF, use_cache=False)
    assert cells(cached) == cells(fresh) and cached.places == fresh.places


def test_changed_content_is_another_entry_and_a_broken_entry_is_read_again(shared, tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGET_AUDIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BUDGET_AUDIT_NO_CACHE", raising=False)
    (entry,) = shared.iterdir()
    (tmp_path / "cache").mkdir()
    broken = tmp_path / "cache" / entry.name
    broken.write_text("{not json", "utf-8")
    assert len(load(PDF).tables) == 9
    assert broken.read_bytes() == entry.read_bytes()  # replaced by a whole reading
    copy = tmp_path / "copy.pdf"
    shutil.copyfile(PDF, copy)
    with copy.open("ab") as handle:
        handle.write(b"\n% one more byte of content\n")
    monkeypatch.setenv("BUDGET_AUDIT_NO_CACHE", "1")
    load(copy)
    assert len(list((tmp_path / "cache").iterdir())) == 1  # bypassed: nothing written
    monkeypatch.delenv("BUDGET_AUDIT_NO_CACHE")
    load(copy)
    assert len(list((tmp_path / "cache").iterdir())) == 2


def test_a_cached_reading_does_not_import_pdfplumber(shared):
    """A re-run on an unchanged PDF (the pre-commit hook's common case) pays no pdfplumber import."""
    env = {**__import__("os").environ, "BUDGET_AUDIT_CACHE_DIR": str(shared)}
    env.pop("BUDGET_AUDIT_NO_CACHE", None)
    code = READ + "; print('pdfplumber' in sys.modules, 'pdfminer' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code, str(PDF)], env=env, capture_output=True, text=True, timeout=300)
    assert run.stdout.split()[-2:] == ["False", "False"], run.stdout + run.stderr
