"""`budget-audit gx-suite`: one GX ExpectationSuite per document and standard table (#17)."""

from __future__ import annotations


def cmd_gx_suite(args) -> int:
    print("budget-audit: gx-suite is not available yet")
    return 2
