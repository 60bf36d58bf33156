"""Parse speed per seed and per corpus page: median of repeated runs, against a baseline of decoding alone.

The corpus (../shared/corpus, or $EDUREAD_CORPUS) adds real pages: chrome, traditional script, notices.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from eduread.parse import parse_bytes
from eduread.text.decode import decode_bytes
from eduread.text.matching import forget

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = Path(os.environ.get("EDUREAD_CORPUS", ROOT.parent / "shared" / "corpus"))
RUNS = 50


def _median_ms(fn, data: bytes, name: str) -> float:
    times = []
    for _ in range(RUNS):
        forget()  # each run parses the text as new, with nothing remembered from the last
        start = time.perf_counter()
        fn(data, name)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parse_bytes((SEEDS / "000_74b69ab3a17d35dc.txt").read_bytes(), "warm-up")
    print(f"{'file':32} {'chars':>6} {'decode ms':>10} {'parse ms':>9} {'ratio':>6}")
    files = sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("0*.*"))
    slowest = 0.0
    for path in files:
        data = path.read_bytes()
        base = _median_ms(lambda d, n: decode_bytes(d), data, path.name)
        try:
            full = _median_ms(parse_bytes, data, path.name)
        except Exception:  # a refused page (not Chinese): its refusal is timed by decode alone
            continue
        slowest = max(slowest, full)
        chars = len(decode_bytes(data))
        print(f"{path.name:32} {chars:6d} {base:10.2f} {full:9.2f} {full / base:6.1f}x")
    print(f"slowest parse: {slowest:.2f} ms (target < 20 ms)")


if __name__ == "__main__":
    main()
