"""`budget-audit gx-suite`: suites GX loads with its own API and that validate their tables."""

from __future__ import annotations

import json

import pytest

from budget_audit.gx import engine as gx_engine
from budget_audit.gx.context import context, gx
from budget_audit.gx.frames import BUILDERS, frame
from budget_audit.loaders import load
from budget_audit.reports.cli import main
from budget_audit.rules import engine
from budget_audit.rules.ruleset import load_ruleset
from tests.conftest import CENTER, HOTLINE


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("suites")
    assert main(["gx-suite", str(HOTLINE), str(CENTER), "-o", str(out)]) == 0
    return out


@pytest.mark.parametrize("path", [HOTLINE, CENTER], ids=lambda p: p.name)
def test_each_suite_loads_with_gx_and_validates_its_table(exported, path):
    document = load(path)
    rules = engine.selected(load_ruleset(document.template))
    native = engine.run(document, rules)
    failing = {f.extra["check"] for f in native.findings}
    prepared = gx_engine.prepare(document, rules)
    homes = {p.home for p in prepared.parts}
    files = sorted(exported.glob(f"{path.name}.*.json"))
    assert {f.name[len(path.name) + 1:-5] for f in files} == homes
    ctx, batch = context()
    module = gx()
    failed = 0
    for file in files:
        suite = ctx.suites.add(module.ExpectationSuite(**json.loads(file.read_text("utf-8"))))  # GX's reader
        meta = suite.meta["budget_audit"]
        parts = [p for p in prepared.parts if p.home == meta["table"]]
        assert {r["rule"] for r in meta["rules"]} == {p.rule.code for p in parts}
        definition = ctx.validation_definitions.add(module.ValidationDefinition(
            name=file.name, data=batch, suite=suite))
        result = definition.run(batch_parameters={"dataframe": frame(parts)}, result_format="COMPLETE")
        rows = frame(parts)
        flagged = {rows.at[i, "rule"] for r in result.results if r.expectation_config.meta["role"] == "exact"
                   for i in r.result["unexpected_index_list"]}
        assert flagged == failing & {p.rule.code for p in parts}, file.name
        assert result.success == (not flagged)
        failed += not result.success
    assert failed == (path == HOTLINE) * failed and (path != HOTLINE or failed)  # the hotline's real errors


def test_suite_meta_names_what_gx_does_not_express_and_the_custom_expectation(exported):
    rules = load_ruleset(load(HOTLINE).template)
    suite = json.loads(next(exported.glob(f"{HOTLINE.name}.*.json")).read_text("utf-8"))
    meta = suite["meta"]["budget_audit"]
    listed = {r["rule"] for r in meta["not_expressed"]}
    assert listed == {r.code for r in rules if r.kind not in BUILDERS}
    assert all(r["reason"] for r in meta["not_expressed"])
    assert meta["custom_expectation"]["class"].endswith("ExpectIdentityWithinRounding")
    assert all(e["type"] in ("expect_column_pair_values_to_be_equal", "expect_column_pair_values_a_to_be_greater_than_b",
                             "expect_identity_within_rounding") for e in suite["expectations"])


def test_a_bad_input_is_named_and_the_others_still_exported(tmp_path, capsys):
    missing = tmp_path / "missing.txt"
    assert main(["gx-suite", str(missing), str(CENTER), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "Traceback" not in err
    assert list((tmp_path / "out").glob(f"{CENTER.name}.*.json"))


def test_without_gx_installed_the_message_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    import sys

    from budget_audit.reports.pipeline import check_document

    monkeypatch.setitem(sys.modules, "great_expectations", None)  # import fails as if not installed
    assert main(["gx-suite", str(CENTER), "-o", str(tmp_path)]) == 2
    assert "budget-audit[gx]" in capsys.readouterr().err
    result = check_document(str(CENTER), engine_name="gx")
    assert result.status == "error" and "budget-audit[gx]" in result.load_error
