"""What both halves of the index do with posting lists: sort a batch into runs, merge segments.

A half stores, per segment, one row per code (a gram or trigram) holding that code's postings.
Writing a batch and merging segments are the same steps for both; only the columns differ.
"""

from __future__ import annotations

import heapq
import sqlite3
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def batch(docs: list[tuple[int, tuple[np.ndarray, np.ndarray]]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A batch's (report number, (codes, values)) joined: codes, each posting's report, values."""
    import numpy as np

    if not docs:
        return np.zeros(0, np.uint64), np.zeros(0, np.uint64), np.zeros(0, np.uint32)
    codes = np.concatenate([c for _num, (c, _v) in docs])
    nums = np.repeat(np.array([num for num, _ in docs], dtype=np.uint64), [len(c) for _num, (c, _v) in docs])
    return codes, nums, np.concatenate([v for _num, (_c, v) in docs])


def runs(codes: np.ndarray, *columns: np.ndarray) -> Iterator[tuple[int, list[np.ndarray]]]:
    """Each code with its slice of every column, after one stable sort by code.

    Stable: postings of one code keep the order they came in (report numbers rising).
    """
    import numpy as np

    if not len(codes):
        return
    order = np.argsort(codes, kind="stable")
    codes = codes[order]
    columns = tuple(c[order] for c in columns)
    bounds = [0, *(np.flatnonzero(np.diff(codes)) + 1).tolist(), len(codes)]
    for code, lo, hi in zip(codes[bounds[:-1]].tolist(), bounds[:-1], bounds[1:], strict=True):
        yield code, [c[lo:hi] for c in columns]


def merged(conn: sqlite3.Connection, table: str, key: str, columns: str, segs: list[int]) -> Iterator[tuple]:
    """(code, [row, …]) over segments `segs`, codes rising, each code's rows in segment order.

    Every segment is read in code order and the segments merged as they stream, so nothing holds
    the index in memory. Rows are (code, seg, *columns); seg breaks ties, so blobs never compare.
    """
    streams = [
        conn.execute(f"SELECT {key}, seg, {columns} FROM {table} WHERE seg = ? ORDER BY {key}", (seg,))
        for seg in segs
    ]
    for code, rows in groupby(heapq.merge(*streams), key=itemgetter(0)):
        yield code, list(rows)
