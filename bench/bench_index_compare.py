"""The search index against an earlier version's, on the same corpus: build time, size, query time.

Usage: python bench/bench_index_compare.py OLD_SRC [N]
  OLD_SRC: the `src` folder of an earlier eduread (e.g. `git archive <commit> | tar -x -C /tmp/old`)
  N: reports in the dictionary-vocabulary corpus of bench_library.py (default 2000)

Each version imports the same files (no keywords, so only parsing, storing and indexing count)
in its own process, then answers the same queries in-process; medians of 5 runs per query.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_library import refill, seed_texts, word_queries, write_corpus  # noqa: E402

MEASURE = r"""
import json, statistics, sys, time
from pathlib import Path
from eduread.library.importer import import_paths
from eduread.library.search import Searcher
from eduread.library.store import Library
files, home, queries = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])
lib = Library(home, seed=False)
started = time.perf_counter()
import_paths(lib, [files], keywords=False)
seconds = time.perf_counter() - started
lib.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
size = sum(p.stat().st_size for p in home.rglob("*") if p.is_file())
searcher = Searcher(lib)
times, counts = {}, {}
for label, group in queries.items():
    runs = []
    for q in group:
        for _ in range(5):
            t = time.perf_counter()
            r = searcher.search(q)
            runs.append((time.perf_counter() - t) * 1000)
        counts[q] = [r.total, r.reports]
    times[label] = statistics.median(runs)
print(json.dumps({"seconds": seconds, "size": size, "times": times, "counts": counts, "n": lib.count()}))
"""


def run(src: Path, files: Path, home: Path, queries: dict) -> dict:
    env = dict(os.environ, PYTHONPATH=str(src))
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(files), str(home), json.dumps(queries, ensure_ascii=False)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    old_src = Path(sys.argv[1]).resolve()
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    new_src = Path(__file__).resolve().parent.parent / "src"
    work = Path(tempfile.mkdtemp(prefix="eduread-compare-"))
    texts = refill(seed_texts(n))
    text_bytes = write_corpus(work / "files", texts)
    queries = word_queries(texts)
    old = run(old_src, work / "files", work / "old", queries)
    new = run(new_src, work / "files", work / "new", queries)
    print(f"{n} reports, dictionary-vocabulary corpus, {text_bytes / 1e6:.0f} MB of text")
    print(f"{'':18} {'earlier':>10} {'tantivy':>10}")
    print(f"{'import (no kw) s':18} {old['seconds']:10.1f} {new['seconds']:10.1f}")
    print(f"{'library MB':18} {old['size'] / 1e6:10.0f} {new['size'] / 1e6:10.0f}")
    for label in queries:
        print(f"{label + ' p50 ms':18} {old['times'][label]:10.1f} {new['times'][label]:10.1f}")
    same = sum(old["counts"][q] == new["counts"][q] for q in old["counts"])
    print(f"queries with equal counts: {same} of {len(old['counts'])}")


if __name__ == "__main__":
    main()
