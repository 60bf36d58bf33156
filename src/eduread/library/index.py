"""The search index of a report, both halves: short-gram counts (grams.py) and trigram positions.

Built from a body wherever the body is (an import worker, a re-parse, a rebuild) and written per
batch, so a batch's reports and their index entries commit together.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from eduread.library import grams, trigrams

# Reading a term's postings costs one seek per segment (about 10 µs), so many segments are cheap;
# merging rewrites what it merges, so it waits until there are this many and then takes the
# newest half: an import never rewrites the whole library.
SEGMENTS_BEFORE_MERGE = 64


@dataclass
class BodyIndex:
    """What one body adds to the index."""

    grams: grams.Grams
    positions: trigrams.Positions

    @classmethod
    def of(cls, body: str) -> BodyIndex:
        """Count a body's short grams and place its trigrams."""
        return cls(grams.gram_counts(body), trigrams.positions(body))


def write(conn: sqlite3.Connection, docs: Iterable[tuple[int, BodyIndex]]) -> None:
    """Write one segment of each half for a batch of (report number, index); inside a transaction."""
    docs = list(docs)
    if docs:
        seg = conn.execute("SELECT coalesce(max(seg), 0) + 1 FROM segments").fetchone()[0]
        conn.execute("INSERT INTO segments(seg) VALUES (?)", (seg,))
        grams.write_segment(conn, seg, [(num, ix.grams) for num, ix in docs])
        trigrams.write_segment(conn, seg, [(num, ix.positions) for num, ix in docs])


def clear(conn: sqlite3.Connection) -> None:
    """Empty both halves and forget removed reports; inside a transaction."""
    conn.execute("DELETE FROM grams")
    conn.execute("DELETE FROM trigrams")
    conn.execute("DELETE FROM segments")
    conn.execute("DELETE FROM removed")


def needs_merge(conn: sqlite3.Connection) -> bool:
    """Whether imports have left enough segments to merge some."""
    return conn.execute("SELECT count(*) FROM segments").fetchone()[0] > SEGMENTS_BEFORE_MERGE


def merge(conn: sqlite3.Connection, dead: set[int], *, everything: bool = True) -> None:
    """Rewrite segments as one, dropping removed reports: all of them, or the newest half.

    The merged segment takes the next number, so segment order still follows report numbers
    (merged segments are always the newest ones). Removed reports are forgotten only when no
    segment may still hold them. Call inside a transaction.
    """
    segs = [s for (s,) in conn.execute("SELECT seg FROM segments ORDER BY seg")]
    if not everything:
        segs = segs[len(segs) // 2 :]
    if not segs:
        return
    new = segs[-1] + 1
    grams.merge(conn, segs, new, dead)
    trigrams.merge(conn, segs, new, dead)
    conn.executemany("DELETE FROM segments WHERE seg = ?", [(seg,) for seg in segs])
    conn.execute("INSERT INTO segments(seg) VALUES (?)", (new,))
    if everything:
        conn.execute("DELETE FROM removed")
