"""The search index of a report, both halves: short-gram counts (grams.py) and trigram positions.

Built from a body wherever the body is (an import worker, a re-parse, a rebuild) and written per
batch, so a batch's reports and their index entries commit together.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from eduread.library import grams, trigrams

SEGMENTS_BEFORE_MERGE = 8


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
        grams.write_segment(conn, [(num, ix.grams) for num, ix in docs])
        trigrams.write_segment(conn, [(num, ix.positions) for num, ix in docs])


def clear(conn: sqlite3.Connection) -> None:
    """Empty both halves and forget removed reports; inside a transaction."""
    conn.execute("DELETE FROM grams")
    conn.execute("DELETE FROM trigrams")
    conn.execute("DELETE FROM removed")


def needs_merge(conn: sqlite3.Connection) -> bool:
    """Whether imports have left enough segments that lookups would slow down."""
    return max(grams.segment_count(conn), trigrams.segment_count(conn)) > SEGMENTS_BEFORE_MERGE


def merge(conn: sqlite3.Connection, dead: set[int]) -> None:
    """Rewrite both halves as one segment each, dropping removed reports; inside a transaction."""
    grams.merge(conn, dead)
    trigrams.merge(conn, dead)
    conn.execute("DELETE FROM removed")
