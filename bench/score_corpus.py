"""The parser's scores on the development corpus (../shared/corpus or $EDUREAD_CORPUS), fact by fact.

The same checks the corpus tests enforce (tests/corpus.py), printed with every miss, for notes
and for tuning rules against real pages.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from corpus import CORPUS, KNOWN_MISSES, available, score  # noqa: E402


def main() -> None:
    if not available():
        sys.exit(f"no corpus at {CORPUS} (set EDUREAD_CORPUS)")
    start = time.perf_counter()
    scores = score()
    took = time.perf_counter() - start
    print(f"corpus: {CORPUS}")
    for fact, right in scores.right.items():
        misses = ", ".join(
            f"{m}{' (' + KNOWN_MISSES[(m, fact)] + ')' if (m, fact) in KNOWN_MISSES else ''}"
            for m in scores.misses[fact]
        )
        print(f"{fact:8} {right}/{scores.genre} ({right / scores.genre:.1%})  misses: {misses or 'none'}")
    print(f"look-alikes kept out of the bureau reports: {scores.decoys_kept_out}/{scores.decoys}")
    print(f"what: {scores.what_right}/{scores.what_total} ({scores.what_right / scores.what_total:.1%})")
    print("  misses: " + "; ".join(scores.what_misses))
    print(f"({took:.1f} s for every file, reading included)")


if __name__ == "__main__":
    main()
