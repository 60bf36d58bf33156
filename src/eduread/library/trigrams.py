"""Where every 3-character string of every report stands: exact answers for queries of 3 or more.

Each posting is one 64-bit key, report number << 32 | offset in the cleaned body, and a trigram's
keys are one sorted blob per segment (an import batch writes one segment). A longer query is found
by shifting the keys of the trigrams that tile it back to the query's start and intersecting them
in numpy, so even a common 6-character phrase costs a few array operations, not a row per position.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

from eduread.library import postings

if TYPE_CHECKING:
    import numpy as np

    Positions = tuple[np.ndarray, np.ndarray]  # trigram codes (uint64) and offsets (uint32), by code

CHAR_BITS = 21  # every code point fits
OFFSET_BITS = 32


class DamagedIndex(Exception):
    """A stored posting list cannot be read."""


def code(gram: str) -> int:
    """The integer a 3-character string is stored under."""
    a, b, c = map(ord, gram)
    return (a << 2 * CHAR_BITS) | (b << CHAR_BITS) | c


def positions(body: str) -> Positions:
    """Every trigram of a body and its offset, sorted by trigram, offsets rising."""
    import numpy as np

    units = np.frombuffer(body.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    if len(units) < 3:
        return np.zeros(0, np.uint64), np.zeros(0, np.uint32)
    shift = np.uint64(CHAR_BITS)
    codes = (((units[:-2] << shift) | units[1:-1]) << shift) | units[2:]
    order = np.argsort(codes, kind="stable")
    return codes[order], order.astype(np.uint32)


def write_segment(conn: sqlite3.Connection, seg: int, docs: list[tuple[int, Positions]]) -> None:
    """Store one segment for a batch of (report number, positions); call inside a transaction.

    Report numbers rise through a batch and the sort by code is stable, so each trigram's keys
    come out in rising order.
    """
    import numpy as np

    codes, nums, offsets = postings.batch(docs)
    keys = (nums << np.uint64(OFFSET_BITS)) | offsets.astype(np.uint64)
    conn.executemany(
        "INSERT INTO trigrams(code, seg, keys) VALUES (?, ?, ?)",
        ((code, seg, k.tobytes()) for code, (k,) in postings.runs(codes, keys)),
    )


def keys(conn: sqlite3.Connection, gram: str, dead: np.ndarray | None = None) -> np.ndarray:
    """Every posting key of one trigram, over all segments, without removed reports."""
    import numpy as np

    blobs = [
        b
        for (b,) in conn.execute(
            "SELECT keys FROM trigrams WHERE seg IN (SELECT seg FROM segments) AND code = ? ORDER BY seg",
            (code(gram),),
        )
    ]
    try:
        found = np.frombuffer(b"".join(blobs), dtype=np.uint64)
    except ValueError:
        raise DamagedIndex(f"the postings of {gram!r} are cut short") from None
    if dead is not None and len(dead) and len(found):
        found = found[~np.isin(found >> np.uint64(OFFSET_BITS), dead)]
    return found


def counts(conn: sqlite3.Connection, term: str, dead: np.ndarray | None = None) -> dict[int, int]:
    """Report number → occurrences of a term of three or more characters (overlapping ones too).

    The trigrams at offsets 0, 3, 6 … and len − 3 tile the term; an occurrence at p puts each at
    p + k, so their keys shifted back by k meet exactly at the occurrences.
    """
    import numpy as np

    n = len(term)
    ks = list(range(0, n - 2, 3))
    if ks[-1] != n - 3:
        ks.append(n - 3)
    lists = [keys(conn, term[k : k + 3], dead) for k in ks]
    order = sorted(range(len(ks)), key=lambda i: len(lists[i]))  # rarest first: the rest shrink fast
    starts = None
    for i in order:
        shifted = lists[i] - np.uint64(ks[i])
        if ks[i]:  # a key below its shift belongs to an earlier report, not to a start here
            shifted = shifted[(lists[i] & np.uint64(0xFFFFFFFF)) >= ks[i]]
        starts = shifted if starts is None else np.intersect1d(starts, shifted, assume_unique=True)
        if not len(starts):
            return {}
    docs, found = np.unique(starts >> np.uint64(OFFSET_BITS), return_counts=True)
    return dict(zip(docs.tolist(), found.tolist(), strict=True))


def merge(conn: sqlite3.Connection, segs: list[int], new: int, dead: set[int]) -> None:
    """Rewrite segments `segs` as segment `new`, dropping removed reports; inside a transaction.

    Segments hold rising report numbers, so joining a trigram's blobs in segment order keeps its
    keys sorted.
    """
    import numpy as np

    dead_nums = np.array(sorted(dead), dtype=np.uint64)

    def rows() -> Iterable[tuple[int, int, bytes]]:
        for code, parts in postings.merged(conn, "trigrams", "code", "keys", segs):
            blob = b"".join(part[2] for part in parts)
            if len(dead_nums):
                found = np.frombuffer(blob, dtype=np.uint64)
                blob = found[~np.isin(found >> np.uint64(OFFSET_BITS), dead_nums)].tobytes()
            if blob:
                yield code, new, blob

    conn.executemany("INSERT INTO trigrams(code, seg, keys) VALUES (?, ?, ?)", rows())
    conn.executemany("DELETE FROM trigrams WHERE seg = ?", [(seg,) for seg in segs])
