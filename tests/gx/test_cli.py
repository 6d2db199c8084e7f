"""The GX path end to end: `check --engine gx` gives the native report, GX stays off the native
path, no usage statistics and no network, and `--format gx-json` is GX's own results."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SAMPLES

# Every network connection refused and counted (local AF_UNIX sockets, which worker pools use, are
# left alone), then the CLI run in the same interpreter; forked workers inherit the block.
BLOCKED = """
import json, os, socket, sys
attempts = []
connect, connect_ex = socket.socket.connect, socket.socket.connect_ex
def guard(real):
    def refuse(self, *args, **kwargs):
        if self.family == socket.AF_UNIX:
            return real(self, *args, **kwargs)
        attempts.append(repr(args)[:80])
        raise OSError("network disabled by the test")
    return refuse
socket.socket.connect = guard(connect)
socket.socket.connect_ex = guard(connect_ex)
from budget_audit.reports.cli import main
codes, imported = [], []
for argv in json.loads(sys.argv[1]):
    codes.append(main(argv))
    imported.append("great_expectations" in sys.modules)
print(json.dumps({"codes": codes, "attempts": attempts, "gx": imported,
                  "analytics": os.environ.get("GX_ANALYTICS_ENABLED")}))
"""


def _run(*argvs):
    done = subprocess.run([sys.executable, "-c", BLOCKED, json.dumps(argvs)], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """One interpreter: the native check, then `--engine gx` in json and in gx-json."""
    out = tmp_path_factory.mktemp("cli")
    paths = {name: out / f"{name}.json" for name in ("native", "gx", "results")}
    done = _run(["check", "--format", "json", "-o", str(paths["native"]), str(SAMPLES)],
                ["check", "--engine", "gx", "--jobs", "1", "--format", "json", "-o", str(paths["gx"]), str(SAMPLES)],
                ["check", "--engine", "gx", "--jobs", "1", "--format", "gx-json", "-o", str(paths["results"]),
                 str(SAMPLES)])
    return done, {name: path.read_text("utf-8") for name, path in paths.items()}


def test_native_check_does_not_import_gx(runs):
    done, _ = runs
    assert done["codes"][0] == 1 and done["gx"] == [False, True, True]


def test_no_usage_statistics_and_no_network(runs):
    done, _ = runs
    assert done["attempts"] == [] and done["analytics"] == "false"


def test_engine_gx_gives_the_native_report(runs):
    done, texts = runs
    assert done["codes"][1] == 1
    gx, native = json.loads(texts["gx"]), json.loads(texts["native"])
    engines = [d.pop("checks_by_engine") for d in gx["documents"]]  # the one key only --engine gx adds
    assert all("checks_by_engine" not in d for d in native["documents"])
    assert all(e["gx"] and e["native"] for e in engines)  # identities through GX, text checks natively
    assert all("SUM001" in e["gx"] for e in engines[:1])
    assert gx == native  # same findings, codes, messages, cells, lines, checks


def test_gx_json_is_gx_validation_results(runs):
    done, texts = runs
    assert done["codes"][2] == 1
    data = json.loads(texts["results"])
    assert data["great_expectations_version"].startswith("1.")
    documents = {d["path"].rsplit("/", 1)[-1]: d for d in data["documents"]}
    assert len(documents) == 3
    hotline = documents["beijing-12345-hotline-budget.txt"]
    assert hotline["success"] is False
    first = hotline["validation_results"][0]
    assert {"success", "results", "statistics", "meta"} <= set(first)  # GX's ExpectationSuiteValidationResult
    failing = [u for v in hotline["validation_results"] for r in v["results"]
               for u in r["result"].get("unexpected_index_list") or []]
    assert failing and {"row_id", "rule", "key"} <= set(failing[0])


def _verdicts(data):
    return [(d["path"], d["success"], [(r["expectation_config"]["type"], r["success"],
                                        r["result"].get("unexpected_index_list"))
                                       for v in d["validation_results"] for r in v["results"]])
            for d in data["documents"]]


def test_gx_json_of_a_native_check_is_the_same_validation(runs):
    from budget_audit.reports.formats import gx_json
    from budget_audit.reports.pipeline import check_paths

    _, texts = runs
    native = check_paths([str(SAMPLES)])  # the native engine: the format validates through GX itself
    assert _verdicts(json.loads(gx_json.render(native))) == _verdicts(json.loads(texts["results"]))
