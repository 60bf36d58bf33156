"""Each report's keywords: its jieba words (counted at import) weighed by this library's own IDF."""

from __future__ import annotations

import math
from collections.abc import Callable

from eduread.library.batches import in_batches

BATCH = 50


def top_keywords(
    library, num: int, top: int = 20, exclude: tuple[str, ...] = ()
) -> list[tuple[str, float, int]]:
    """Words that set this report apart, (word, tf × idf, count), the idf over the library's reports.

    A general-purpose IDF ranks 教育 or 学校 high; over a library of education reports they are
    everywhere and fall away, which is the point. Words inside `exclude` (the report's own place
    names) are left out: they set it apart but say nothing.
    """
    from eduread.text.segment import STOPWORDS  # words stored before a stop word was added

    counts = {
        w: n
        for w, n in library.keywords(num).items()
        if w not in STOPWORDS and not any(w in name for name in exclude)
    }
    if not counts:
        return []
    total = library.conn.execute("SELECT count(*) FROM keywords").fetchone()[0] or 1
    words = list(counts)
    df: dict[str, int] = {}
    for start in range(0, len(words), 500):  # SQLite's limit on bound parameters
        chunk = words[start : start + 500]
        marks = ",".join("?" * len(chunk))
        df.update(library.conn.execute(f"SELECT word, df FROM word_df WHERE word IN ({marks})", chunk))
    size = sum(counts.values()) or 1
    scored = [
        (w, (n / size) * math.log((1 + total) / (1 + df.get(w, 0))) + 1e-9 * n, n) for w, n in counts.items()
    ]
    scored.sort(key=lambda x: -x[1])
    return scored[:top]


def missing(library) -> list[int]:
    """Reports stored without word counts (the bundled seeds, imports made with keywords off)."""
    rows = library.conn.execute(
        "SELECT num FROM reports WHERE num NOT IN (SELECT num FROM keywords) ORDER BY num"
    )
    return [r[0] for r in rows]


def fill_missing(library, progress: Callable[[int, int], None] | None = None) -> int:
    """Segment the reports that lack word counts, in small transactions; returns how many."""
    from eduread.text.segment import word_counts

    def segment(chunk: list[int]) -> None:
        library.set_keywords([(num, word_counts(library.body(num))) for num in chunk])

    return in_batches(missing(library), BATCH, segment, progress)
