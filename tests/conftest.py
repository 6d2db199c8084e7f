"""Shared fixtures: the sample documents, their loaded form and their audit report."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DISTRICT = SAMPLES / "xicheng-zhengwu-2021-budget.txt"
CENTER = SAMPLES / "beijing-zhengwu-center-2026-budget.txt"
HOTLINE = SAMPLES / "beijing-12345-hotline-budget.txt"
ALL_SAMPLES = (DISTRICT, CENTER, HOTLINE)
CONTRACT = ROOT.parent / "shared" / "contract" / "report.schema.json"
LOCAL_CONTRACT = Path(__file__).parent / "data" / "report.schema.json"


def pytest_configure(config):
    """One PDF-reading cache for the session (and the CLI subprocesses it starts), never the user's:
    each PDF is read once per run, and a run leaves no cache behind (the cache's own tests use
    folders of their own)."""
    if "BUDGET_AUDIT_CACHE_DIR" not in os.environ:
        config._budget_audit_cache = tempfile.mkdtemp(prefix="budget-audit-cache-")
        os.environ["BUDGET_AUDIT_CACHE_DIR"] = config._budget_audit_cache


def pytest_unconfigure(config):
    folder = getattr(config, "_budget_audit_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop("BUDGET_AUDIT_CACHE_DIR", None)


@pytest.fixture(scope="session")
def documents():
    """Each sample loaded once: {path name: Document}."""
    from budget_audit.loaders import load

    return {p.name: load(p) for p in ALL_SAMPLES}


@pytest.fixture(scope="session")
def sample_report():
    """The audit report of the three samples, as `budget-audit check samples/` makes it."""
    from budget_audit.reports.pipeline import check_paths

    return check_paths([str(p) for p in ALL_SAMPLES])


@pytest.fixture(scope="session")
def report_schema():
    """The JSON contract (shared/contract, or the copy kept in tests/data when shared/ is absent)."""
    path = CONTRACT if CONTRACT.exists() else LOCAL_CONTRACT
    return json.loads(path.read_text("utf-8"))
