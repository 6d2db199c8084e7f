"""The pre-commit hook of this repository (.pre-commit-hooks.yaml) in a repository of disclosures,
run by the real pre-commit on real `git commit`s: a project config section, a reviewed waiver and a
baseline for last year's published document (issue 16), disclosures only and '-' file names (issue 9).

One pre-commit environment is built per session (PRE_COMMIT_HOME shared) and the flows are commits
in one repository, in order, so the whole file costs one install and a few hook runs."""

from __future__ import annotations

import datetime as dt
import json
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
BIN = Path(sys.executable).parent
PRE_COMMIT = BIN / "pre-commit"
INSTALL_TIMEOUT = 900  # the first commit builds the hook's virtualenv and pip-installs this checkout
WAIVED_FIGURE = "9,716.698690"  # the planted 合计 of 预算05表 in broken_center


HOME: dict[str, str] = {}  # PRE_COMMIT_HOME of this session, set by the pre_commit_home fixture
SOURCE: list[Path] = []  # the copy of this working tree the hook installs


def git(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_COLOR": "never", **HOME}
    return subprocess.run(["git", "-c", "user.name=budget-audit tests", "-c", "user.email=tests@example.invalid",
                           *args], cwd=cwd, env=env, check=check, capture_output=True, text=True,
                          timeout=INSTALL_TIMEOUT)


def commit(repo: Path, message: str) -> subprocess.CompletedProcess:
    """`git commit` through the installed pre-commit hook; the hook's output is in stdout + stderr."""
    done = git("commit", "-m", message, cwd=repo, check=False)
    done.output = done.stdout + done.stderr  # type: ignore[attr-defined]
    return done


def hook_config(source: Path) -> dict:
    """This repository's hook as a `repo: local` hook that pip-installs `source` (a copy of this
    working tree, so that the test sees the code under test and pip builds nothing inside the
    checkout); verbose shows the hook's lines on success too."""
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    return {"repos": [{"repo": "local", "hooks": [{**hook, "additional_dependencies": [str(source)], "verbose": True}]}]}


def source_copy(target: Path) -> Path:
    """The files git would see (tracked and new, not ignored), as they are in the working tree."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def test_hook_definition_matches_what_the_loaders_read():
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["id"] == "budget-audit" and hook["language"] == "python" and hook["pass_filenames"] is True
    # '--' (the default args, which come after the entry and before the files) ends the options:
    # a committed file named '-x.txt' is a file name, not an option
    assert hook["entry"] == "budget-audit check --quiet --skip-other" and hook["args"] == ["--"]
    from budget_audit.loaders import SUFFIXES

    assert all(re.search(hook["files"], f"a/b{suffix}") for suffix in SUFFIXES)
    assert not re.search(hook["files"], "README.md") and re.search(hook["files"], "预算.TXT")


def test_readme_rev_is_the_package_version_tag():
    """README's `rev:` names the tag of this version, and the tag exists in this repository."""
    from budget_audit import __version__

    revs = re.findall(r"^\s*rev:\s*(\S+)", (ROOT / "README.md").read_text("utf-8"), re.M)
    assert revs and set(revs) == {f"v{__version__}"}, revs
    every_tag = subprocess.run(["git", "tag", "--list"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    if every_tag:  # a source tarball, or a clone made without tags, has none to look at
        assert f"v{__version__}" in every_tag, every_tag


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    """One pre-commit store for the session: the hook's environment is built once."""
    if not PRE_COMMIT.is_file():
        pytest.skip(f"pre-commit is not installed beside {sys.executable}")
    home = tmp_path_factory.mktemp("pre-commit-home")
    HOME["PRE_COMMIT_HOME"] = str(home)
    src = tmp_path_factory.mktemp("budget-audit-source")
    SOURCE.append(source_copy(src))
    return home


@pytest.fixture(scope="module")
def repo(tmp_path_factory, pre_commit_home) -> Path:
    """A bureau's repository: config section, empty waiver file, hook installed."""
    repo = tmp_path_factory.mktemp("bureau")
    git("init", "-q", cwd=repo)
    (repo / "pyproject.toml").write_text(
        '[tool.budget-audit]\nlang = "en"\nwaivers = "audit/waivers.yaml"\nbaseline = "audit/baseline.json"\n', "utf-8")
    (repo / "audit").mkdir()
    (repo / "audit" / "waivers.yaml").write_text("waivers: []\n", "utf-8")
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(hook_config(SOURCE[0]), allow_unicode=True), "utf-8")
    done = subprocess.run([str(PRE_COMMIT), "install"], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, **HOME})
    assert done.returncode == 0, done.stdout + done.stderr
    return repo


def budget_audit(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "budget-audit"), *args], cwd=repo, capture_output=True, text=True, timeout=120)


def test_the_bureau_workflow_through_real_commits(repo):
    # Last year's published document cannot change: its findings go into the baseline.
    (repo / "2025").mkdir()
    broken_center(repo / "2025", "published.txt")
    written = budget_audit(repo, "check", "--quiet", "--write-baseline", "audit/baseline.json", "2025/published.txt")
    assert written.returncode == 0, written.stdout + written.stderr
    assert len(json.loads((repo / "audit" / "baseline.json").read_text("utf-8"))["findings"]) == 7

    # First commit: the published document (baselined), a clean draft named '-draft.txt', and a
    # requirements.txt that is no disclosure (set aside with a note, not an error).
    shutil.copy(CENTER, repo / "-draft.txt")
    (repo / "requirements.txt").write_text("pdfplumber\n", "utf-8")
    git("add", ".", cwd=repo)
    first = commit(repo, "published 2025, draft 2026")
    assert first.returncode == 0, first.output
    assert "budget-audit (预算公开审核)" in first.output and "Passed" in first.output
    assert "SKIP  requirements.txt" in first.output
    assert "WARN  -draft.txt: 0 errors, 3 warnings" in first.output  # it ran on the '-' file
    assert " 2025/published.txt: 0 errors, 0 warnings, 0 notes" in first.output  # all 7 in the baseline

    # A new document with errors: blocked.
    (repo / "2026").mkdir()
    broken_center(repo / "2026", "center.txt")
    git("add", "2026/center.txt", cwd=repo)
    blocked = commit(repo, "2026 budget")
    assert blocked.returncode == 1 and "Failed" in blocked.output, blocked.output
    assert "FAIL  2026/center.txt: 4 errors" in blocked.output

    # The auditor reviews the four errors and waives them with the figures as printed.
    report = json.loads(budget_audit(repo, "check", "--format", "json", "2026/center.txt").stdout)
    errors = [f for f in report["documents"][0]["findings"] if f["severity"] == "error"]
    assert len(errors) == 4 and all(WAIVED_FIGURE in [c["value"] for c in f["cells"]] for f in errors)

    def waivers(expires: dt.date) -> str:
        entries = [{"document": "2026/*.txt", "rule": f["rule"], "table": f["table"],
                    "figures": [c["value"] for c in f["cells"]], "reason": "年中追加 1 万元，说明第三部分已解释",
                    "accepted_by": "审计处 张三", "expires": expires} for f in errors]
        return yaml.safe_dump({"waivers": entries}, allow_unicode=True, sort_keys=False)

    (repo / "audit" / "waivers.yaml").write_text(waivers(dt.date.today() + dt.timedelta(days=90)), "utf-8")
    git("add", ".", cwd=repo)
    allowed = commit(repo, "2026 budget, reviewed exceptions")
    assert allowed.returncode == 0, allowed.output
    assert " 2026/center.txt: 0 errors, 3 warnings" in allowed.output
    waived = json.loads(budget_audit(repo, "check", "--format", "json", "2026/center.txt").stdout)
    assert [f["waived"]["accepted_by"] for f in waived["documents"][0]["findings"] if f["waived"]] == ["审计处 张三"] * 4

    # The document changes the waived figure: the findings are back, the waivers match nothing.
    text = (repo / "2026" / "center.txt").read_text("utf-8")
    (repo / "2026" / "center.txt").write_text(text.replace(WAIVED_FIGURE, "9,717.698690", 1), "utf-8")
    git("add", ".", cwd=repo)
    changed = commit(repo, "2026 budget, another figure")
    assert changed.returncode == 1 and "FAIL  2026/center.txt: 4 errors, 7 warnings" in changed.output, changed.output

    # Back to the reviewed figure, with a line inserted above: lines do not matter, it passes.
    (repo / "2026" / "center.txt").write_text("\n" + text, "utf-8")
    git("add", ".", cwd=repo)
    moved = commit(repo, "2026 budget, blank line")
    assert moved.returncode == 0, moved.output

    # The waivers expire: blocked again (touching the document so that the hook runs on it).
    (repo / "audit" / "waivers.yaml").write_text(waivers(dt.date.today() - dt.timedelta(days=1)), "utf-8")
    (repo / "2026" / "center.txt").write_text(text, "utf-8")
    git("add", ".", cwd=repo)
    expired = commit(repo, "2026 budget after the waivers expired")
    assert expired.returncode == 1 and "FAIL  2026/center.txt: 4 errors, 7 warnings" in expired.output, expired.output
    assert git("log", "--format=%s", cwd=repo).stdout.splitlines() == [
        "2026 budget, blank line", "2026 budget, reviewed exceptions", "published 2025, draft 2026"]
