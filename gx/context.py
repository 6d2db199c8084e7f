"""GX Core, imported on first use with usage statistics off, and an ephemeral context per run."""

from __future__ import annotations

import os
import warnings

SOURCE, ASSET, BATCH = "budget_audit", "identities", "whole"


class GXMissing(ImportError):
    """The gx extra is not installed: the message says how to install it."""


def gx():
    """The great_expectations module, imported with analytics switched off before import."""
    os.environ["GX_ANALYTICS_ENABLED"] = "false"  # read by GX when a context starts
    with warnings.catch_warnings():  # GX's own deprecation notices are not the auditor's business
        warnings.simplefilter("ignore")
        try:
            import great_expectations
        except ImportError as exc:
            raise GXMissing("Great Expectations is not installed (GX 未安装): pip install "
                            "'budget-audit[gx]'") from exc
        from budget_audit.gx import expectations  # noqa: F401  registers the custom expectation
    return great_expectations


def context():
    """An ephemeral (in-memory) context: analytics off, no progress bars, one pandas data source.
    Returns (context, batch definition of a whole DataFrame)."""
    module = gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = module.get_context(mode="ephemeral")
    ctx.config.analytics_enabled = False
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    asset = ctx.data_sources.add_pandas(SOURCE).add_dataframe_asset(ASSET)
    return ctx, asset.add_batch_definition_whole_dataframe(BATCH)
