"""The pre-commit hook, installed from this checkout and run by the real pre-commit
(`pre-commit try-repo`), on a clean document and on one with a planted error."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import CENTER
from tests.reports.planted import broken_center

ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
INSTALL_TIMEOUT = 900  # each try-repo builds a fresh virtualenv and pip-installs this checkout


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.name=budget-audit tests", "-c", "user.email=tests@example.invalid",
                    *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def consumer(tmp_path_factory) -> Path:
    """A repository of budget disclosures: the clean center sample and a copy with an error."""
    repo = tmp_path_factory.mktemp("disclosures")
    git("init", "-q", cwd=repo)
    shutil.copy(CENTER, repo / "center-2026.txt")
    broken_center(repo, "center-2026-broken.txt")
    (repo / "notes.md").write_text("not a disclosure\n", "utf-8")
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "disclosures", cwd=repo)
    return repo


def try_repo(consumer: Path, *files: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([str(PRE_COMMIT), "try-repo", str(ROOT), "budget-audit", "--verbose", "--files", *files],
                          cwd=consumer, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)


def test_hook_definition_matches_what_the_loaders_read():
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "budget-audit" and hook["language"] == "python" and hook["pass_filenames"] is True
    assert hook["entry"] == "budget-audit check --fail-on error --quiet --skip-other"
    from budget_audit.loaders import SUFFIXES

    assert all(re.search(hook["files"], f"a/b{suffix}") for suffix in SUFFIXES)
    assert not re.search(hook["files"], "README.md") and re.search(hook["files"], "预算.TXT")


@pytest.mark.skipif(not PRE_COMMIT.is_file(), reason=f"pre-commit is not installed beside {sys.executable}")
def test_hook_passes_a_clean_document_and_blocks_a_planted_error(consumer, tmp_path):
    clean = try_repo(consumer, "center-2026.txt", "notes.md", home=tmp_path / "home-clean")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "budget-audit (预算公开审核)" in clean.stdout and "Passed" in clean.stdout
    assert "警告  center-2026.txt: 0 个错误, 3 个警告" in clean.stdout  # it ran, on the document only

    broken = try_repo(consumer, "center-2026.txt", "center-2026-broken.txt", home=tmp_path / "home-broken")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "Failed" in broken.stdout
    assert "未通过 center-2026-broken.txt: 4 个错误" in broken.stdout
    assert "警告  center-2026.txt" in broken.stdout
