"""Counts of every 1- and 2-character string per report: exact answers for the shortest queries.

SQLite's trigram index cannot match fewer than three characters, yet 学 or 学位 are ordinary
searches. Each import batch writes one segment per gram: packed report numbers and counts.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Iterable
from typing import TYPE_CHECKING

from eduread.library import postings

if TYPE_CHECKING:  # numpy loads only where grams are counted or written, never for a lookup
    import numpy as np

    Grams = tuple[np.ndarray, np.ndarray]  # sorted gram codes (uint64) and their counts (uint32)

_CHAR_BITS = 21  # every code point fits
_PAIR = 1 << (2 * _CHAR_BITS)  # pairs are tagged above any single character's code


def gram_counts(body: str) -> Grams:
    """Codes of every character and every pair of adjacent characters (newlines excluded), counted."""
    import numpy as np

    units = np.frombuffer(body.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    newline = units == 10
    pairs = (units[:-1] << np.uint64(_CHAR_BITS)) | units[1:]
    codes = np.concatenate([units[~newline], pairs[~(newline[:-1] | newline[1:])] + np.uint64(_PAIR)])
    found, counts = np.unique(codes, return_counts=True)
    return found, counts.astype(np.uint32)


def decode(code: int) -> str:
    """The one- or two-character string a gram code stands for."""
    if code < _PAIR:
        return chr(code)
    code -= _PAIR
    return chr(code >> _CHAR_BITS) + chr(code & ((1 << _CHAR_BITS) - 1))


def write_segment(conn: sqlite3.Connection, seg: int, docs: list[tuple[int, Grams]]) -> None:
    """Store one segment for a batch of (report number, gram counts); call inside a transaction."""
    import numpy as np

    codes, nums, counts = postings.batch(docs)
    conn.executemany(
        "INSERT INTO grams(gram, seg, docs, counts) VALUES (?, ?, ?, ?)",
        (
            (decode(code), seg, d.tobytes(), c.tobytes())
            for code, (d, c) in postings.runs(codes, nums.astype(np.uint32), counts.astype(np.uint32))
        ),
    )


def lookup(conn: sqlite3.Connection, gram: str) -> dict[int, int]:
    """Report number → occurrences of a 1- or 2-character gram, over all segments."""
    result: dict[int, int] = {}
    for docs_blob, counts_blob in conn.execute(
        "SELECT docs, counts FROM grams WHERE seg IN (SELECT seg FROM segments) AND gram = ?", (gram,)
    ):
        docs, counts = array("I"), array("I")
        docs.frombytes(docs_blob)
        counts.frombytes(counts_blob)
        result.update(zip(docs, counts, strict=True))
    return result


def merge(conn: sqlite3.Connection, segs: list[int], new: int, dead: set[int]) -> None:
    """Rewrite segments `segs` as segment `new`, dropping removed reports; inside a transaction."""

    def rows() -> Iterable[tuple[str, int, bytes, bytes]]:
        for gram, parts in postings.merged(conn, "grams", "gram", "docs, counts", segs):
            docs, counts = array("I"), array("I")
            for _gram, _seg, docs_blob, counts_blob in parts:
                docs.frombytes(docs_blob)
                counts.frombytes(counts_blob)
            if dead:
                kept = [(d, c) for d, c in zip(docs, counts, strict=True) if d not in dead]
                docs, counts = array("I", (d for d, _ in kept)), array("I", (c for _, c in kept))
            if docs:
                yield gram, new, docs.tobytes(), counts.tobytes()

    conn.executemany("INSERT INTO grams(gram, seg, docs, counts) VALUES (?, ?, ?, ?)", rows())
    conn.executemany("DELETE FROM grams WHERE seg = ?", [(seg,) for seg in segs])
