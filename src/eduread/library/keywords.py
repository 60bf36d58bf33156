"""Each report's keywords: its jieba words (counted at import) weighed by this library's own IDF."""

from __future__ import annotations

import json
import math


def top_keywords(library, num: int, top: int = 12) -> list[tuple[str, float]]:
    """Words that set this report apart: tf × idf, the idf taken over the library's reports.

    A general-purpose IDF ranks 教育 or 学校 high; over a library of education reports they are
    everywhere and fall away, which is the point.
    """
    counts = library.keywords(num)
    if not counts:
        return []
    total = library.conn.execute("SELECT count(*) FROM keywords").fetchone()[0] or 1
    df: dict[str, int] = {w: 0 for w in counts}
    for (words_json,) in library.conn.execute("SELECT words FROM keywords"):
        for word in json.loads(words_json):
            if word in df:
                df[word] += 1
    size = sum(counts.values()) or 1
    scored = [(w, (n / size) * math.log((1 + total) / (1 + df[w])) + 1e-9 * n) for w, n in counts.items()]
    scored.sort(key=lambda x: -x[1])
    return scored[:top]
