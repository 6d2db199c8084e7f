"""Shared for the GX tests: a finding's full identity, and native-vs-GX outcomes compared."""

from __future__ import annotations

import pytest

try:  # through the package, so that analytics are off before GX is first imported
    from budget_audit.gx.context import gx

    gx()
except ImportError:  # the gx extra is not installed
    pytest.skip("great_expectations is not installed (extra gx)", allow_module_level=True)


def finding_key(f):
    """Everything a report shows of a finding: code, severity, both messages, figures, cells."""
    return (f.rule, f.severity, f.message.get("zh"), f.message.get("en"), f.table, f.expected, f.actual,
            tuple((c.table, c.row, c.column, c.value, str(c.source)) for c in f.cells))


def assert_same(native, gx, name):
    """Identical findings (same order) and identical verdicts per rule, and GX never disagreed."""
    assert [finding_key(f) for f in gx.findings] == [finding_key(f) for f in native.findings], name
    assert [(r.code, failed) for r, failed in gx.checked] == [(r.code, failed) for r, failed in native.checked], name
    assert [(r.code, why) for r, why in gx.skipped] == [(r.code, why) for r, why in native.skipped], name
    assert not [f for f in gx.findings if f.extra.get("engine_mismatch")], name
