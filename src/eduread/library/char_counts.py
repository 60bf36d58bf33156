"""Each character's reports and occurrences across the library, kept in step with the rows.

A one-character query matches nearly every report: its totals come from here, and only its
first page from the engine, instead of reading back the scores of ten thousand reports
(search.py). Counts are of the match form, as the index holds it, and change in the same
transaction as the rows they count.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable

_ADD = (
    "INSERT INTO char_counts(ch, reports, total) VALUES (?, ?, ?) ON CONFLICT(ch) DO UPDATE"
    " SET reports = reports + excluded.reports, total = total + excluded.total"
)


def counts(form: str) -> dict[str, int]:
    """A match form's characters, each with how often it occurs."""
    return dict(Counter(form))


class Tally:
    """The changes of one write, summed per character and written in one statement each."""

    def __init__(self) -> None:
        self.reports: Counter[str] = Counter()
        self.total: dict[str, int] = {}

    def add(self, chars: dict[str, int]) -> None:
        """A report stored."""
        self.reports.update(chars.keys())
        total = self.total
        for ch, n in chars.items():
            total[ch] = total.get(ch, 0) + n

    def take(self, chars: dict[str, int]) -> None:
        """A report removed."""
        self.reports.subtract(chars.keys())
        total = self.total
        for ch, n in chars.items():
            total[ch] = total.get(ch, 0) - n

    def write(self, conn: sqlite3.Connection) -> None:
        """Apply the changes inside the caller's transaction."""
        if not self.total:
            return
        conn.executemany(_ADD, ((ch, self.reports[ch], n) for ch, n in self.total.items()))
        if any(n < 0 for n in self.reports.values()):
            conn.execute("DELETE FROM char_counts WHERE reports <= 0")
        self.reports.clear()
        self.total.clear()


def lookup(conn: sqlite3.Connection, ch: str) -> tuple[int, int]:
    """(reports holding the character, its occurrences in them)."""
    row = conn.execute("SELECT reports, total FROM char_counts WHERE ch = ?", (ch,)).fetchone()
    return (row[0], row[1]) if row else (0, 0)


def recount(
    conn: sqlite3.Connection,
    forms: Iterable[tuple[int, str]],
    size: int,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Count every stored report again (an upgrade, or `eduread reindex`), in the caller's transaction."""
    conn.execute("DELETE FROM char_counts")
    tally = Tally()
    done = 0
    for done, (_num, form) in enumerate(forms, 1):
        tally.add(counts(form))
        if progress and (done % 500 == 0 or done == size):
            progress(done, size)
    tally.write(conn)
    if progress and not done:
        progress(0, 0)


def differences(conn: sqlite3.Connection, forms: Iterable[tuple[int, str]]) -> int:
    """How many characters' counts differ from a count of the stored texts (`eduread check`)."""
    tally = Tally()
    for _num, form in forms:
        tally.add(counts(form))
    stored = {ch: (r, t) for ch, r, t in conn.execute("SELECT ch, reports, total FROM char_counts")}
    counted = {ch: (tally.reports[ch], t) for ch, t in tally.total.items()}
    return len(stored.keys() ^ counted.keys()) + sum(
        1 for ch in stored.keys() & counted.keys() if stored[ch] != counted[ch]
    )
