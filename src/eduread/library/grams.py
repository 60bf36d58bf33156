"""Counts of every 1- and 2-character string per report: exact answers for the shortest queries.

SQLite's trigram index cannot match fewer than three characters, yet 学 or 学位 are ordinary
searches. Each import batch writes one segment per gram: packed report numbers and counts.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from operator import add


def gram_counts(body: str) -> Counter[str]:
    """How often each character and each pair of adjacent characters occurs (newlines excluded)."""
    counts: Counter[str] = Counter(body)
    counts.update(map(add, body, body[1:]))
    return Counter({g: n for g, n in counts.items() if "\n" not in g})


def write_segment(conn: sqlite3.Connection, docs: Iterable[tuple[int, Counter[str]]]) -> None:
    """Store one segment for a batch of (report number, gram counts); call inside a transaction."""
    postings: dict[str, tuple[array, array]] = defaultdict(lambda: (array("I"), array("I")))
    for num, counts in docs:
        for gram, n in counts.items():
            entry = postings[gram]
            entry[0].append(num)
            entry[1].append(n)
    if not postings:
        return
    seg = conn.execute("SELECT coalesce(max(seg), 0) + 1 FROM grams").fetchone()[0]
    conn.executemany(
        "INSERT INTO grams(gram, seg, docs, counts) VALUES (?, ?, ?, ?)",
        ((gram, seg, d.tobytes(), c.tobytes()) for gram, (d, c) in postings.items()),
    )


def lookup(conn: sqlite3.Connection, gram: str) -> dict[int, int]:
    """Report number → occurrences of a 1- or 2-character gram, over all segments."""
    result: dict[int, int] = {}
    for docs_blob, counts_blob in conn.execute("SELECT docs, counts FROM grams WHERE gram = ?", (gram,)):
        docs, counts = array("I"), array("I")
        docs.frombytes(docs_blob)
        counts.frombytes(counts_blob)
        result.update(zip(docs, counts, strict=True))
    return result


def segment_count(conn: sqlite3.Connection) -> int:
    """How many segments the index holds (merging keeps lookups to a few rows)."""
    return conn.execute("SELECT count(DISTINCT seg) FROM grams").fetchone()[0]


def merge(conn: sqlite3.Connection, dead: set[int]) -> None:
    """Rewrite all segments as one, dropping removed reports; call inside a transaction."""
    merged: dict[str, tuple[array, array]] = {}
    for gram, docs_blob, counts_blob in conn.execute(
        "SELECT gram, docs, counts FROM grams ORDER BY gram, seg"
    ):
        docs, counts = array("I"), array("I")
        docs.frombytes(docs_blob)
        counts.frombytes(counts_blob)
        entry = merged.setdefault(gram, (array("I"), array("I")))
        if dead:
            for d, c in zip(docs, counts, strict=True):
                if d not in dead:
                    entry[0].append(d)
                    entry[1].append(c)
        else:
            entry[0].extend(docs)
            entry[1].extend(counts)
    conn.execute("DELETE FROM grams")
    conn.executemany(
        "INSERT INTO grams(gram, seg, docs, counts) VALUES (?, 1, ?, ?)",
        ((g, d.tobytes(), c.tobytes()) for g, (d, c) in merged.items() if d),
    )
