"""The library's tables, created and migrated in one place; opening always sets WAL and timeouts."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from eduread.library.packed import pack, unpack

# 2: word_df; 4: trigrams replace FTS5; 5: class, review, corrections; 6: the index moves to
# tantivy beside the database, originals and parse caches are stored compressed
SCHEMA_VERSION = 6
OLD_INDEX_TABLES = ("fts_instances", "fts", "grams", "trigrams", "segments", "removed")

DDL = """
CREATE TABLE IF NOT EXISTS reports (
    num INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    place_name TEXT NOT NULL,
    place_path TEXT NOT NULL,          -- JSON list, province first
    place_code TEXT,
    issuer TEXT NOT NULL,
    parts TEXT NOT NULL,               -- JSON list of {kind, year, label}
    published TEXT,
    signed TEXT,
    source_path TEXT,
    body_len INTEGER NOT NULL,
    imported_at TEXT NOT NULL DEFAULT (datetime('now')),
    doc_class TEXT NOT NULL DEFAULT 'report',  -- 'other': not a bureau's own work report
    review TEXT NOT NULL DEFAULT '[]'          -- JSON list of what could not be settled
);
-- the order reports are listed in
CREATE INDEX IF NOT EXISTS reports_order ON reports(place_path, published, num);
CREATE TABLE IF NOT EXISTS corrections (
    num INTEGER PRIMARY KEY REFERENCES reports(num) ON DELETE CASCADE,
    data TEXT NOT NULL,                -- JSON of the fields a person set (place, year, kind, title)
    updated TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS parts (
    num INTEGER NOT NULL REFERENCES reports(num) ON DELETE CASCADE,
    kind TEXT NOT NULL, year INTEGER NOT NULL, label TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS parts_year ON parts(year, kind);
CREATE INDEX IF NOT EXISTS parts_num ON parts(num);
CREATE TABLE IF NOT EXISTS texts (
    num INTEGER PRIMARY KEY REFERENCES reports(num) ON DELETE CASCADE,
    original BLOB NOT NULL,            -- the decoded file text, verbatim, packed against the body
                                       -- (packed.py): never change a body without repacking it
    body TEXT NOT NULL                 -- the cleaned body every offset points into
);
CREATE TABLE IF NOT EXISTS parses (
    num INTEGER PRIMARY KEY REFERENCES reports(num) ON DELETE CASCADE,
    parser_version INTEGER NOT NULL,
    data BLOB NOT NULL,                -- Report.to_dict() without the body, packed (packed.py)
    outline TEXT NOT NULL              -- flat [[start, end, level, title], ...] for search hits
);
CREATE TABLE IF NOT EXISTS keywords (
    num INTEGER PRIMARY KEY REFERENCES reports(num) ON DELETE CASCADE,
    words BLOB NOT NULL                -- JSON {word: count} from jieba, packed (packed.py)
);
CREATE TABLE IF NOT EXISTS word_df (word TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bookmarks (
    num INTEGER NOT NULL REFERENCES reports(num) ON DELETE CASCADE,
    offset INTEGER NOT NULL, label TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL DEFAULT (datetime('now')),
    PRIMARY KEY (num, offset)
);
CREATE TABLE IF NOT EXISTS positions (
    num INTEGER PRIMARY KEY REFERENCES reports(num) ON DELETE CASCADE,
    offset INTEGER NOT NULL, updated TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS notes (
    num INTEGER NOT NULL REFERENCES reports(num) ON DELETE CASCADE,
    offset INTEGER NOT NULL, text TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def connect(path: Path, *, readonly: bool = False, immutable: bool = False) -> sqlite3.Connection:
    """A connection with WAL, foreign keys and a busy timeout, so two processes can share a library.

    `immutable` reads a library in a folder nobody can write to (where SQLite cannot create the
    shared-memory file WAL reading needs).
    """
    if readonly or immutable:
        import os
        from urllib.parse import quote

        mode = "immutable=1" if immutable else "mode=ro"
        uri = f"file:{quote(os.fsencode(path))}?{mode}"
        conn = sqlite3.connect(uri, uri=True, timeout=10, isolation_level=None)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


class SchemaError(Exception):
    """The library's schema cannot be used by this eduread (newer, or its version is unreadable)."""


def version(conn: sqlite3.Connection) -> int | None:
    """The schema version the library records; None for a new, empty file.

    Raises SchemaError for a version that is not a number (a damaged or hand-edited state table).
    """
    try:
        row = conn.execute("SELECT value FROM state WHERE key = 'schema'").fetchone()
    except sqlite3.OperationalError as err:
        if "no such table" not in str(err):
            raise
        if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise SchemaError("this file is not an eduread library (it has no state table)") from None
        return None
    if row is None:
        raise SchemaError("the library records no schema version; run `eduread check`")
    try:
        return int(str(row[0]).strip())
    except ValueError:
        raise SchemaError(
            f"the library's schema version is unreadable ({str(row[0])[:20]!r}); run `eduread check`"
        ) from None


def create(conn: sqlite3.Connection, progress: Callable[[int, int], None] | None = None) -> int | None:
    """Create every table that is missing, inside one transaction (none when the library is current).

    Returns the version the library had before (None for a new or current one): from version 5
    down, the caller must build the search index, which lived in the database until version 6. A library
    written by a newer eduread raises SchemaError and is left as it is.
    """
    if version(conn) == SCHEMA_VERSION:
        return None
    conn.execute("BEGIN IMMEDIATE")
    try:
        before = version(conn)  # again inside the lock: another process may have just done this
        if before == SCHEMA_VERSION:
            conn.execute("COMMIT")
            return None
        if before is not None and before > SCHEMA_VERSION:
            raise SchemaError(
                f"the library was written by a newer eduread (schema {before}; this one reads up to"
                f" {SCHEMA_VERSION}); upgrade eduread to open it — it was left unchanged"
            )
        _migrate(conn, before, progress)
        conn.execute("INSERT OR REPLACE INTO state(key, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return before


def _migrate(
    conn: sqlite3.Connection, before: int | None, progress: Callable[[int, int], None] | None = None
) -> None:
    """Bring the tables from version `before` (None: a new library) to SCHEMA_VERSION."""
    if before is not None and before < 6:  # the index leaves the database; texts are packed
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "removed" in tables and "state" in tables:  # removals said "never seed this library again"
            conn.execute(
                "INSERT OR IGNORE INTO state(key, value)"
                " SELECT 'seeded', '1' WHERE EXISTS (SELECT 1 FROM removed)"
            )
        for table in OLD_INDEX_TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
    if before is not None and before < 5:  # class and review columns; the reparse fills them
        have = {r[1] for r in conn.execute("PRAGMA table_info(reports)")}
        if "doc_class" not in have:
            conn.execute("ALTER TABLE reports ADD COLUMN doc_class TEXT NOT NULL DEFAULT 'report'")
        if "review" not in have:
            conn.execute("ALTER TABLE reports ADD COLUMN review TEXT NOT NULL DEFAULT '[]'")
    for statement in DDL.split(";\n"):
        if statement.strip():
            conn.execute(statement)
    if before is not None and before < 6:
        _pack_texts(conn, progress)
    if before == 1:  # from version 1: count the stored words once
        counts: dict[str, int] = {}
        for (words,) in conn.execute("SELECT words FROM keywords"):
            for word in json.loads(unpack(words)):
                counts[word] = counts.get(word, 0) + 1
        conn.executemany("INSERT OR REPLACE INTO word_df(word, df) VALUES (?, ?)", counts.items())


def _pack_texts(conn: sqlite3.Connection, progress: Callable[[int, int], None] | None) -> None:
    """Compress the originals, parse caches and word counts older versions stored as plain text."""
    nums = [n for (n,) in conn.execute("SELECT num FROM texts WHERE typeof(original) = 'text' ORDER BY num")]
    for done, num in enumerate(nums, 1):
        original, body = conn.execute("SELECT original, body FROM texts WHERE num = ?", (num,)).fetchone()
        conn.execute("UPDATE texts SET original = ? WHERE num = ?", (pack(original, body), num))
        if progress and (done % 200 == 0 or done == len(nums)):
            progress(done, len(nums))
    for table, column in (("parses", "data"), ("keywords", "words")):
        rows = conn.execute(f"SELECT num, {column} FROM {table} WHERE typeof({column}) = 'text'").fetchall()
        conn.executemany(f"UPDATE {table} SET {column} = ? WHERE num = ?", [(pack(v), n) for n, v in rows])
