"""Each character's reports and occurrences across the library, kept in step with the rows.

A one-character query matches nearly every report: its totals come from here, and only its
first page from the engine, instead of reading back the scores of ten thousand reports
(search.py). Counts are of the match form, as the index holds it, and change in the same
transaction as the rows they count.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable

_ADD = (
    "INSERT INTO char_counts(ch, reports, total) VALUES (?, ?, ?) ON CONFLICT(ch) DO UPDATE"
    " SET reports = reports + excluded.reports, total = total + excluded.total"
)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# From this many reports in one write, characters are counted with numpy (a bincount over code
# points, a tenth of the time); fewer are counted without loading it (the reader's own writes).
MANY = 32


class Tally:
    """The changes of one write, summed per character and written in one statement each.

    Counting runs over each report's match form, which the writer has in hand anyway for the
    index: nothing more travels from an import's workers.
    """

    def __init__(self) -> None:
        self.added: list[str] = []
        self.taken: list[str] = []

    def add(self, form: str) -> None:
        """A report stored (its match form)."""
        self.added.append(form)

    def take(self, form: str) -> None:
        """A report removed (its match form)."""
        self.taken.append(form)

    def changes(self) -> dict[str, tuple[int, int]]:
        """Character → (change in reports holding it, change in its occurrences)."""
        out: dict[str, tuple[int, int]] = {}
        for forms, sign in ((self.added, 1), (self.taken, -1)):
            for ch, (reports, total) in _counted(forms).items():
                was = out.get(ch, (0, 0))
                out[ch] = (was[0] + sign * reports, was[1] + sign * total)
        return out

    def write(self, conn: sqlite3.Connection) -> None:
        """Apply the changes inside the caller's transaction."""
        if not self.added and not self.taken:
            return
        changes = self.changes()
        conn.executemany(_ADD, ((ch, r, t) for ch, (r, t) in changes.items() if r or t))
        if self.taken:
            conn.execute("DELETE FROM char_counts WHERE reports <= 0")
        self.added.clear()
        self.taken.clear()


def _counted(forms: list[str]) -> dict[str, tuple[int, int]]:
    """Each character of the forms: (how many of them hold it, its occurrences in all)."""
    return _counted_many(forms) if len(forms) >= MANY else _counted_few(forms)


def _counted_few(forms: list[str]) -> dict[str, tuple[int, int]]:
    reports: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for form in forms:
        total.update(form)
        reports.update(set(form))
    return {ch: (reports[ch], n) for ch, n in total.items()}


def _counted_many(forms: list[str]) -> dict[str, tuple[int, int]]:
    import numpy as np

    size = 1 << 16
    reports = np.zeros(size, dtype=np.int64)
    total = np.zeros(size, dtype=np.int64)
    beyond: list[str] = []  # characters outside the Basic Multilingual Plane: few, counted apart
    for form in forms:
        points = np.frombuffer(form.encode("utf-32-le"), dtype=np.uint32)
        if points.size and int(points.max()) >= size:
            beyond.append(form)
            points = points[points < size]
        counts = np.bincount(points, minlength=size)
        total += counts
        reports += counts > 0
    out = {chr(int(c)): (int(reports[c]), int(total[c])) for c in np.flatnonzero(total)}
    out.update(_counted_few(["".join(_ASTRAL.findall(form)) for form in beyond]))
    return out


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
        tally.add(form)
        if len(tally.added) >= 500:  # written in steps: ten thousand texts are not held at once
            tally.write(conn)
        if progress and (done % 500 == 0 or done == size):
            progress(done, size)
    tally.write(conn)
    if progress and not done:
        progress(0, 0)


def differences(conn: sqlite3.Connection, forms: Iterable[tuple[int, str]]) -> int:
    """How many characters' counts differ from a count of the stored texts (`eduread check`)."""
    counted: dict[str, tuple[int, int]] = {}

    def count(batch: list[str]) -> None:
        for ch, (r, t) in _counted(batch).items():
            was = counted.get(ch, (0, 0))
            counted[ch] = (was[0] + r, was[1] + t)

    batch: list[str] = []
    for _num, form in forms:
        batch.append(form)
        if len(batch) >= 500:
            count(batch)
            batch = []
    count(batch)
    stored = {ch: (r, t) for ch, r, t in conn.execute("SELECT ch, reports, total FROM char_counts")}
    return len(stored.keys() ^ counted.keys()) + sum(
        1 for ch in stored.keys() & counted.keys() if stored[ch] != counted[ch]
    )
