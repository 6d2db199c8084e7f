"""Great Expectations: the rule set's identities as GX suites, and GX as a check engine (#17).
Imported only when `--engine gx`, `gx-suite` or `--format gx-json` is asked for; nothing here
imports GX at module level (gx/context.py does, when first called)."""
