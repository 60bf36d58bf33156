"""Bring cached parses up to the current parser in small batches, so an upgrade never blocks a key."""

from __future__ import annotations

from collections.abc import Callable

from eduread.library.batches import in_batches
from eduread.parse.model import PARSER_VERSION

BATCH = 100


def stale_nums(library) -> list[int]:
    """Reports whose cached parse came from another parser version."""
    rows = library.conn.execute(
        "SELECT num FROM parses WHERE parser_version != ? ORDER BY num", (PARSER_VERSION,)
    )
    return [r[0] for r in rows]


def reparse_stale(library, progress: Callable[[int, int], None] | None = None) -> int:
    """Re-parse every stale report, one transaction per batch; returns how many there were.

    An interrupt leaves whole batches done and the rest stale, to be picked up next time.
    """
    return in_batches(stale_nums(library), BATCH, library.refresh_parses, progress)
