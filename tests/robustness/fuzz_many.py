"""Run the sample mutations many times (default 10,000) and report the count and any crash.

    .venv/bin/python tests/robustness/fuzz_many.py [--examples 10000]
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from tests.robustness.mutations import check_text, mutated_sample  # noqa: E402

COUNT = {"examples": 0, "errors": 0, "checked": 0}


def main() -> int:
    """Fuzz; exit 1 on the first document that raises."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=10_000)
    args = parser.parse_args()

    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(mutated_sample())
    def run(case):
        name, text = case
        COUNT["examples"] += 1
        result = check_text(text, name)
        crashed = [f.message["en"] for f in result.findings if f.extra.get("crashed")]
        assert not crashed, crashed
        COUNT["errors" if result.status == "error" else "checked"] += 1

    start = time.perf_counter()
    try:
        run()
    except Exception:  # a crash: show it, with the example hypothesis found
        traceback.print_exc()
        print(f"CRASH after {COUNT['examples']} examples")
        return 1
    print(f"{COUNT['examples']} mutated documents in {time.perf_counter() - start:.0f} s: "
          f"{COUNT['checked']} checked, {COUNT['errors']} refused with a message, 0 crashes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
