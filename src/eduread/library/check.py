"""`eduread check`: is the library whole, and if not, what to do; `--repair` saves what can be read.

SQLite's own integrity check finds damaged pages; the row check finds a report that lost its
text or parse (which no constraint catches once a page is gone); the index check is the search
index's own. A repair never edits the damaged file: every report whose original text can still
be read (by a query, or from the pages themselves past a damaged table root: salvage.py) is
imported again into a fresh library, and the damaged file is kept beside it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from eduread.library import failures, schema

MAX_MESSAGES = 20


@dataclass
class CheckResult:
    """What the check found: damage to the file, rows that do not fit together, index problems."""

    reports: int | None = None
    damage: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    index: list[str] = field(default_factory=list)
    index_checked: bool = True

    @property
    def ok(self) -> bool:
        """Nothing to do."""
        return not (self.damage or self.rows or self.index)

    def advice(self) -> list[str]:
        """What to do about it, most serious first."""
        out = []
        if self.damage or self.rows:
            out.append(
                "run `eduread check --repair`: every report whose text can still be read goes into a"
                " fresh library, and the damaged file is kept beside it as a backup"
            )
        if self.index and not (self.damage or self.rows):
            out.append("run `eduread reindex` to rebuild the search index from the stored texts")
        return out


def integrity(conn: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    """SQLite's integrity_check (or the faster quick_check): its complaints, none when the file is whole."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = conn.execute(f"PRAGMA {pragma}({MAX_MESSAGES})").fetchall()
    except sqlite3.DatabaseError as err:
        return [str(err)]
    messages = [line.strip() for r in rows for line in str(r[0]).splitlines()]
    messages = [m for m in messages if m and not m.startswith("*** in database")]
    return [] if messages == ["ok"] else messages


def _count(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def row_problems(conn: sqlite3.Connection) -> list[str]:
    """Reports without their text or parse, and rows left over from reports that are gone."""
    checks = [
        (
            "reports without a stored text",
            "SELECT count(*) FROM reports WHERE num NOT IN (SELECT num FROM texts)",
        ),
        ("reports without a parse", "SELECT count(*) FROM reports WHERE num NOT IN (SELECT num FROM parses)"),
        ("texts of no report", "SELECT count(*) FROM texts WHERE num NOT IN (SELECT num FROM reports)"),
        ("parses of no report", "SELECT count(*) FROM parses WHERE num NOT IN (SELECT num FROM reports)"),
        ("parts of no report", "SELECT count(*) FROM parts WHERE num NOT IN (SELECT num FROM reports)"),
        ("keywords of no report", "SELECT count(*) FROM keywords WHERE num NOT IN (SELECT num FROM reports)"),
        (
            "reports whose text length is not the one recorded",
            "SELECT count(*) FROM reports r JOIN texts t USING (num) WHERE length(t.body) != r.body_len",
        ),
    ]
    out = []
    for what, sql in checks:
        try:
            n = _count(conn, sql)
        except sqlite3.DatabaseError as err:
            out.append(f"{what}: cannot be counted ({err})")
            continue
        if n:
            out.append(f"{n} {what}")
    return out


def check(library) -> CheckResult:  # library: Library
    """The whole check; reads only."""
    result = CheckResult()
    conn = library.conn
    result.damage = integrity(conn)
    try:
        result.reports = _count(conn, "SELECT count(*) FROM reports")
    except sqlite3.DatabaseError as err:
        result.damage.append(f"the reports table cannot be read ({err})")
    result.rows = row_problems(conn)
    check_index = getattr(library, "check_index", None)
    if check_index is None:
        result.index_checked = False
    else:
        try:
            found = check_index()
        except Exception as err:  # the index's own reader failing is what we are looking for
            result.index = [f"the search index cannot be read ({failures.explain(err)})"]
        else:
            if isinstance(found, str):
                result.index = [found]
            elif isinstance(found, list | tuple):
                result.index = [str(x) for x in found]
    return result


# ---- repair ------------------------------------------------------------------------------------


@dataclass
class RepairResult:
    """How a repair went: reports saved into the new library, reports lost, where the old file went."""

    saved: int = 0
    lost: int = 0
    backup: Path | None = None
    kept: list[str] = field(default_factory=list)  # the reading state copied over


def _readable_nums(conn: sqlite3.Connection) -> list[int]:
    """Every report number any table still shows, however much of the file is damaged."""
    nums: set[int] = set()
    for table in ("texts", "reports", "parses"):
        try:
            for (num,) in conn.execute(f"SELECT num FROM {table}"):
                nums.add(num)
        except sqlite3.DatabaseError:
            continue
    return sorted(nums)


def _one(conn: sqlite3.Connection, sql: str, args: tuple) -> tuple | None:
    try:
        return conn.execute(sql, args).fetchone()
    except sqlite3.DatabaseError:
        return None


def _hints(sources: list[sqlite3.Connection], num: int, salvaged: str | None) -> str | None:
    """A report's stored title hints (texts.hints; `salvaged` when only the pages could be read)
    when they read as a JSON list of titles; None for a library from before they were kept, or a
    damaged value: the text is then parsed without them."""
    stored = next(
        (row[0] for c in sources if (row := _one(c, "SELECT hints FROM texts WHERE num = ?", (num,)))),
        salvaged,
    )
    if not isinstance(stored, str):
        return None
    try:
        titles = json.loads(stored)
    except ValueError:
        return None
    return stored if isinstance(titles, list) and all(isinstance(t, str) for t in titles) else None


def _original(row: tuple) -> str | None:
    """The original text of a texts row (stored deflated against its body), or None if unreadable."""
    import zlib

    from eduread.library.packed import unpack

    original, body = row
    if not isinstance(body, str) or not isinstance(original, (str, bytes)):
        return None
    try:
        return unpack(original, body)
    except (zlib.error, UnicodeDecodeError):
        return None


def _known(conn: sqlite3.Connection) -> tuple[set[int] | None, set[int]]:
    """(numbers the reports table holds, or None when it cannot be read; numbers removed)."""
    try:
        present: set[int] | None = {n for (n,) in conn.execute("SELECT num FROM reports")}
    except sqlite3.DatabaseError:
        present = None
    try:
        removed = {n for (n,) in conn.execute("SELECT num FROM removed")}
    except sqlite3.DatabaseError:
        removed = set()
    return present, removed


def repair(library, progress: Callable[[int, int], None] | None = None) -> RepairResult:  # library: Library
    """Copy every readable report into a fresh library file, then swap it in, keeping the old file.

    Reports are parsed again from their stored original text, so their parses and index entries
    are new and whole; bookmarks, reading positions, notes, corrections and settings follow them.
    """
    from eduread.library.rows import Rows
    from eduread.library.store import DB_NAME, Library, hint_titles, parse_stored

    old = library.conn
    folder: Path = library.folder
    stamp = time.strftime("%Y%m%d-%H%M%S")
    work = folder / f".repair-{stamp}-{os.getpid()}"
    work.mkdir()
    fresh = Library(work, seed=False)
    result = RepairResult()
    moved: dict[int, int] = {}
    try:
        with fresh.transaction() as conn:  # the new library never counts as unseeded
            conn.execute("INSERT OR REPLACE INTO state(key, value) VALUES ('seeded', '1')")
        from eduread.library.salvage import stored_texts

        present, removed = _known(old)
        found = {  # texts under a damaged table root, read from the pages themselves
            num: text
            for num, text in stored_texts(library.path).items()
            if num not in removed and (present is None or num in present)
        }
        sources = [old]
        nums = sorted(set(_readable_nums(old)) | set(found))
        batch: list[tuple[int, Rows]] = []

        def flush() -> None:
            stored = fresh.add_batch([rows for _n, rows in batch])
            for (num, _rows), new in zip(batch, stored, strict=True):
                if new is not None:
                    moved[num] = new
            batch.clear()

        for done, num in enumerate(nums, 1):
            original = next(
                (
                    text
                    for c in sources
                    if (row := _one(c, "SELECT original, body FROM texts WHERE num = ?", (num,))) is not None
                    and (text := _original(row)) is not None
                ),
                found[num][0] if num in found else None,
            )
            source = next(
                (
                    row[0]
                    for c in sources
                    if (row := _one(c, "SELECT source_path FROM reports WHERE num = ?", (num,))) is not None
                ),
                "",
            )
            if original is None:
                result.lost += 1
                continue
            hints = _hints(sources, num, found[num][1] if num in found else None)
            try:
                report = parse_stored(original, source, hints)
            except Exception:  # a text damaged into something the parser refuses
                result.lost += 1
                continue
            batch.append((num, Rows.of(report, original, source or "", hint_titles(hints))))
            if len(batch) >= 100:
                flush()
            if progress:
                progress(done, len(nums))
        flush()
        result.saved = len(moved)
        result.kept = _copy_state(sources, fresh.conn, moved)
    except BaseException:
        fresh.close()
        _remove_tree(work)
        raise
    fresh.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    fresh.close()
    library.close()
    backup = folder / f"{DB_NAME}.damaged-{stamp}"
    target = folder / DB_NAME
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{target}{suffix}")
        if src.exists():
            os.replace(src, f"{backup}{suffix}")
    os.replace(work / DB_NAME, target)
    _remove_tree(work)
    result.backup = backup
    return result


def _copy_state(
    sources: list[sqlite3.Connection], new: sqlite3.Connection, moved: dict[int, int]
) -> list[str]:
    """Settings and each saved report's bookmarks, positions, notes and corrections; what was copied."""
    kept = []
    copies = [
        (
            "settings",
            "SELECT key, value FROM settings",
            "INSERT OR REPLACE INTO settings VALUES (?, ?)",
            None,
        ),
        (
            "bookmarks",
            "SELECT num, offset, label, created FROM bookmarks",
            "INSERT OR REPLACE INTO bookmarks VALUES (?,?,?,?)",
            0,
        ),
        (
            "positions",
            "SELECT num, offset, updated FROM positions",
            "INSERT OR REPLACE INTO positions VALUES (?,?,?)",
            0,
        ),
        ("notes", "SELECT num, offset, text, created FROM notes", "INSERT INTO notes VALUES (?,?,?,?)", 0),
        (
            "corrections",
            "SELECT num, data, updated FROM corrections",
            "INSERT OR REPLACE INTO corrections VALUES (?,?,?)",
            0,
        ),
    ]
    new.execute("BEGIN IMMEDIATE")
    for name, read, write, key in copies:
        rows = []
        for conn in sources:
            try:
                rows = conn.execute(read).fetchall()
                break
            except sqlite3.DatabaseError:
                continue
        if key is not None:
            rows = [(moved[r[0]], *r[1:]) for r in rows if r[0] in moved]
        if rows:
            new.executemany(write, rows)
            kept.append(f"{len(rows)} {name}")
    last = new.execute("SELECT value FROM settings WHERE key = 'last_report'").fetchone()
    if last is not None:  # the reader's last report, by its new number
        value = str(moved.get(int(last[0]), "")) if str(last[0]).isdecimal() else ""
        new.execute("UPDATE settings SET value = ? WHERE key = 'last_report'", (value,))
    new.execute("COMMIT")
    return kept


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def newer_than_us(path: Path) -> bool:
    """Whether a library file says it was written by a newer eduread (never repaired by this one)."""
    try:
        conn = schema.connect(path, readonly=True)
        try:
            found = schema.version(conn)
        finally:
            conn.close()
    except (sqlite3.Error, schema.SchemaError):
        return False
    return found is not None and found > schema.SCHEMA_VERSION
