"""Native vs GX engine time per document, and the cost of importing GX (#17 item 5).

tests/benchmark.py prints it; `python -m budget_audit.gx.bench [FILE...]` does too.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
IMPORT = ("import time; t = time.perf_counter(); from budget_audit.gx.context import gx; gx(); "
          "print(time.perf_counter() - t)")


def import_cost(runs: int = 3) -> float:
    """Median seconds to import GX Core (with this package's custom expectation) in a fresh process."""
    times = [float(subprocess.run([sys.executable, "-c", IMPORT], capture_output=True, text=True,
                                  check=True).stdout.split()[-1]) for _ in range(runs)]
    return statistics.median(times)


def _fresh(document) -> None:
    """Forget what earlier rule runs cached on the document, so every run pays its full cost."""
    document.cache.clear()
    for table in document.tables.values():
        table.cache.clear()
        table.fixed.clear()


def _median(fn, document, runs: int) -> float:
    times = []
    for _ in range(runs):
        _fresh(document)
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def gx_vs_native(paths=None, runs: int = 3) -> dict:
    """{"gx_import_s", "documents": [{"path", "native_s", "gx_s", "ratio"}], "ratio_median"}: the
    rule run alone (documents already loaded, GX already imported, no cached rule state), medians."""
    from budget_audit.gx import engine as gx_engine
    from budget_audit.gx.context import gx
    from budget_audit.loaders import load
    from budget_audit.rules import engine
    from budget_audit.rules.ruleset import load_ruleset, profile_for

    paths = [Path(p) for p in (paths or sorted(SAMPLES.glob("*.txt")))]
    cost = import_cost()
    gx()
    rows = []
    for path in paths:
        document = load(path)
        rules = engine.selected(load_ruleset(profile_for(document.template)))
        native = _median(lambda: engine.run(document, rules), document, runs)
        with_gx = _median(lambda: gx_engine.run(document, rules), document, runs)
        rows.append({"path": str(path), "native_s": native, "gx_s": with_gx, "ratio": with_gx / native})
    return {"gx_import_s": cost, "documents": rows,
            "ratio_median": statistics.median(r["ratio"] for r in rows) if rows else None}


def report(result: dict) -> str:
    """The figures as lines of text."""
    lines = [f"GX import: {result['gx_import_s']:.2f} s"]
    for row in result["documents"]:
        lines.append(f"{Path(row['path']).name}: native {row['native_s'] * 1000:.0f} ms, "
                     f"GX {row['gx_s'] * 1000:.0f} ms ({row['ratio']:.0f}x)")
    if result["ratio_median"]:
        lines.append(f"median GX/native: {result['ratio_median']:.0f}x")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(gx_vs_native(sys.argv[1:] or None)))
