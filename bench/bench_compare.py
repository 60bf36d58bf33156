"""Comparison speed: every pair of seeds (and each two-part seed against itself), median of repeated
runs, against a baseline of parsing the same two reports in the same process."""

from __future__ import annotations

import itertools
import statistics
import time
from pathlib import Path

from eduread.analysis.compare import compare
from eduread.parse import parse_file

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
RUNS = 30


def _median_ms(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    paths = sorted(SEEDS.glob("*.txt"))
    reports = {p: parse_file(p) for p in paths}
    compare(reports[paths[0]], reports[paths[1]])  # warm-up: loads the taxonomy
    pairs = list(itertools.combinations(paths, 2)) + [(p, p) for p in paths if len(reports[p].parts) > 1]
    print(
        f"{'left':10} {'right':10} {'rows':>4} {'paired':>6} {'parse 2 ms':>10} {'compare ms':>10} {'ratio':>6}"
    )
    worst = 0.0
    for a, b in pairs:
        left, right = reports[a], reports[b]
        base = _median_ms(lambda a=a, b=b: (parse_file(a), parse_file(b)))
        took = _median_ms(lambda left=left, right=right: compare(left, right))
        result = compare(left, right)
        paired = sum(1 for r in result.rows if r.paired)
        worst = max(worst, took)
        print(
            f"{left.place.name:10} {right.place.name:10} {len(result.rows):4d} {paired:6d} "
            f"{base:10.2f} {took:10.2f} {took / base:6.2f}x"
        )
    print(f"slowest comparison: {worst:.2f} ms (target < 100 ms)")


if __name__ == "__main__":
    main()
