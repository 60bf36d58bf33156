"""Keywords' segmentation: eduread's word route against jieba's own cut (HMM off), same words.

Usage: python bench/bench_keywords.py [RUNS]   (default 15; median per seed, ratio in this process)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from eduread.parse.report import parse_text
from eduread.text.word_route import WordRoute

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def median_ms(fn, text: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(text)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = tempfile.mkdtemp(prefix="eduread-bench-")
    tokenizer.initialize()
    start = time.perf_counter()
    router = WordRoute(tokenizer.FREQ, tokenizer.total)
    print(f"word route table built from jieba's dictionary in {(time.perf_counter() - start) * 1000:.0f} ms")
    print(f"{'seed':28} {'chars':>6} {'jieba ms':>9} {'route ms':>9} {'ratio':>6}  same words")
    ratios = []
    for path in sorted(SEEDS.glob("*.txt")):
        body = parse_text(path.read_text(encoding="utf-8"), source_name=path.name).body
        jieba_ms = median_ms(lambda t: tokenizer.lcut(t, HMM=False), body, runs)
        route_ms = median_ms(lambda t: router.route(t), body, runs)
        han = [w for w in tokenizer.cut(body, HMM=False) if any("\u4e00" <= c <= "\u9fd5" for c in w)]
        ours = [w for w in router.cut(body) if any("\u4e00" <= c <= "\u9fd5" for c in w)]
        ratios.append(jieba_ms / route_ms)
        print(
            f"{path.name:28} {len(body):6} {jieba_ms:9.2f} {route_ms:9.2f} {ratios[-1]:5.1f}x  {han == ours}"
        )
    print(f"median ratio {statistics.median(ratios):.1f}x")


if __name__ == "__main__":
    main()
