"""Parse speed per seed: median of repeated runs, against a baseline of decoding alone."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from eduread.parse import parse_bytes
from eduread.text.decode import decode_bytes

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
RUNS = 50


def _median_ms(fn, data: bytes, name: str) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn(data, name)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parse_bytes((SEEDS / "000_74b69ab3a17d35dc.txt").read_bytes(), "warm-up")
    print(f"{'seed':32} {'chars':>6} {'decode ms':>10} {'parse ms':>9} {'ratio':>6}")
    for path in sorted(SEEDS.glob("*.txt")):
        data = path.read_bytes()
        base = _median_ms(lambda d, n: decode_bytes(d), data, path.name)
        full = _median_ms(parse_bytes, data, path.name)
        chars = len(data.decode("utf-8"))
        print(f"{path.name:32} {chars:6d} {base:10.2f} {full:9.2f} {full / base:6.1f}x")


if __name__ == "__main__":
    main()
