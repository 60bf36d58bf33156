"""The library's tables, created and migrated in one place; opening always sets WAL and timeouts."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator

from eduread.library.packed import pack, unpack

# 2: word_df; 4: trigrams replace FTS5; 5: class, review, corrections; 6: the index moves to
# tantivy beside the database, originals and parse caches are stored compressed; 7: texts.simplified,
# char_counts and the tree's province index
SCHEMA_VERSION = 8
# Versions a library that cannot be written is read in as it is: 7 lacks only texts.hints, read as
# none (a library on a read-only disk stays readable by the eduread that added them)
READABLE = (7, SCHEMA_VERSION)
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
-- the reader's tree: its first level counted, and a province's reports found, without a scan
CREATE INDEX IF NOT EXISTS reports_province ON reports(coalesce(json_extract(place_path, '$[0]'), ''))
    WHERE doc_class = 'report' AND review = '[]';
CREATE INDEX IF NOT EXISTS reports_unsettled ON reports(doc_class) WHERE doc_class != 'report' OR review != '[]';
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
    body TEXT NOT NULL,                -- the cleaned body every offset points into
    simplified TEXT,                   -- JSON list of [offset chars] pairs: where matching reads the
                                       -- body's traditional characters as simplified (matching.with_runs)
                                       -- and NULL when it reads none (no commas here: SQLite's DROP
                                       -- COLUMN of the next column would cut this table at one)
    hints TEXT                         -- JSON list of the titles the file stated outside its text
                                       -- (an HTML page's title and h1 or a .docx's title): parsing the
                                       -- stored text again has them as the import did. NULL: none known
);
CREATE TABLE IF NOT EXISTS char_counts (  -- char_counts.py: kept in step with texts
    ch TEXT PRIMARY KEY,               -- one character of the bodies' match form
    reports INTEGER NOT NULL,          -- how many reports hold it
    total INTEGER NOT NULL             -- its occurrences in them
) WITHOUT ROWID;
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


def connect(
    path: str | os.PathLike[str], *, readonly: bool = False, immutable: bool = False
) -> sqlite3.Connection:
    """A connection with WAL, foreign keys and a busy timeout, so two processes can share a library.

    `immutable` reads a library in a folder nobody can write to (where SQLite cannot create the
    shared-memory file WAL reading needs).
    """
    if readonly or immutable:
        from urllib.parse import quote

        mode = "immutable=1" if immutable else "mode=ro"
        uri = f"file:{quote(os.fsencode(path))}?{mode}"
        conn = sqlite3.connect(uri, uri=True, timeout=10, isolation_level=None)
    else:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
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
    if before is not None and before < 8:
        have = {r[1] for r in conn.execute("PRAGMA table_info(texts)")}
        if have and "simplified" not in have:  # version 7
            conn.execute("ALTER TABLE texts ADD COLUMN simplified TEXT")
        if have and "hints" not in have:  # version 8: reports stored before it have none recorded
            conn.execute("ALTER TABLE texts ADD COLUMN hints TEXT")
    for statement in DDL.split(";\n"):
        if statement.strip():
            conn.execute(statement)
    if before is not None and before < 6:
        _pack_texts(conn, progress)
    if before is not None and before < 7:
        _store_match_data(conn, progress)
    if before == 1:  # from version 1: count the stored words once
        counts: dict[str, int] = {}
        for (words,) in conn.execute("SELECT words FROM keywords"):
            for word in json.loads(unpack(words)):
                counts[word] = counts.get(word, 0) + 1
        conn.executemany("INSERT OR REPLACE INTO word_df(word, df) VALUES (?, ?)", counts.items())


# Tables across reports (figures, topic shares, notes), versioned apart from the core schema so
# they can grow without touching the tables above; `ensure_across` creates and migrates them.
ACROSS_VERSION = 3  # 2: figures_done.needs_fold (unread since 3); 3: figures keep their sentence as offsets
ACROSS_DDL = """
CREATE TABLE IF NOT EXISTS figures (
    num INTEGER NOT NULL REFERENCES reports(num) ON DELETE CASCADE,
    start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
    value REAL, unit TEXT NOT NULL, kind TEXT NOT NULL, what TEXT NOT NULL,
    what_key TEXT NOT NULL,             -- `what` (or the label) without 数/总数/人数 …, for matching
    bound TEXT, approx TEXT, part_kind TEXT, year INTEGER,
    section TEXT NOT NULL,              -- heading path, outermost first, joined by ' › '
    sentence_start INTEGER NOT NULL,    -- the sentence around it, as offsets into texts.body
    sentence_end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS figures_key ON figures(what_key);
CREATE INDEX IF NOT EXISTS figures_num ON figures(num);
CREATE TABLE IF NOT EXISTS figure_keys (key TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS figures_done (
    num INTEGER PRIMARY KEY REFERENCES reports(num) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS topic_shares (
    num INTEGER NOT NULL REFERENCES reports(num) ON DELETE CASCADE,
    topic TEXT NOT NULL, chars INTEGER NOT NULL, share REAL NOT NULL,
    spans TEXT NOT NULL                 -- JSON [[start, end, heading], ...] of the sections behind it
);
CREATE INDEX IF NOT EXISTS topic_shares_num ON topic_shares(num);
CREATE TABLE IF NOT EXISTS topics_done (
    num INTEGER PRIMARY KEY REFERENCES reports(num) ON DELETE CASCADE,
    version TEXT NOT NULL               -- the topic list and parser the shares came from
);
"""

NOTES_DDL = """
CREATE TABLE notes_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    num INTEGER NOT NULL REFERENCES reports(num) ON DELETE CASCADE,
    start INTEGER NOT NULL, end INTEGER NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    codes TEXT NOT NULL DEFAULT '[]',   -- JSON list of the researcher's own codes
    kind TEXT NOT NULL DEFAULT 'note',  -- 'note' or 'bookmark'
    label TEXT NOT NULL DEFAULT '',     -- the heading or words it was made at
    created TEXT NOT NULL DEFAULT (datetime('now'))
)
"""


def ensure_across(conn: sqlite3.Connection) -> None:
    """Create the cross-report tables, and turn the old notes and bookmarks into one notes table."""
    row = conn.execute("SELECT value FROM state WHERE key = 'across'").fetchone()
    if row is not None and row[0] == str(ACROSS_VERSION):
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        if "sentence" in {r[1] for r in conn.execute("PRAGMA table_info(figures)")}:
            # version 2 copied each figure's sentence out of the body: its rows are made again
            # from the stored parses when figures are first asked for (figure_table.fill_missing)
            conn.execute("DROP TABLE figures")
            conn.execute("DELETE FROM figures_done")
        for statement in ACROSS_DDL.split(";\n"):
            if statement.strip():
                conn.execute(statement)
        have = {r[1] for r in conn.execute("PRAGMA table_info(notes)")}
        if "id" not in have:
            conn.execute(NOTES_DDL)
            if have:
                conn.execute(
                    "INSERT INTO notes_new(num, start, end, text, kind, created)"
                    " SELECT num, offset, offset, text, 'note', created FROM notes"
                )
                conn.execute("DROP TABLE notes")
            conn.execute(
                "INSERT INTO notes_new(num, start, end, kind, label, created)"
                " SELECT num, offset, offset, 'bookmark', label, created FROM bookmarks ORDER BY created, rowid"
            )
            conn.execute("DELETE FROM bookmarks")
            conn.execute("ALTER TABLE notes_new RENAME TO notes")
        conn.execute("CREATE INDEX IF NOT EXISTS notes_num ON notes(num)")
        conn.execute("INSERT OR REPLACE INTO state(key, value) VALUES ('across', ?)", (str(ACROSS_VERSION),))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _store_match_data(conn: sqlite3.Connection, progress: Callable[[int, int], None] | None) -> None:
    """Record where each stored body reads differently as simplified (texts.simplified), and count
    the characters of every body (char_counts), in one pass over the bodies."""
    from eduread.library.char_counts import recount
    from eduread.text.matching import simplified_runs, with_runs

    nums = [n for (n,) in conn.execute("SELECT num FROM texts ORDER BY num")]

    def forms() -> Iterator[tuple[int, str]]:
        for num in nums:
            (body,) = conn.execute("SELECT body FROM texts WHERE num = ?", (num,)).fetchone()
            runs = simplified_runs(body)
            if runs:
                conn.execute("UPDATE texts SET simplified = ? WHERE num = ?", (runs_json(runs), num))
            yield num, with_runs(body, runs)

    recount(conn, forms(), len(nums), progress)


def runs_json(runs: list[tuple[int, str]]) -> str | None:
    """texts.simplified for a body's runs: compact JSON, or NULL when there are none."""
    return json.dumps(runs, ensure_ascii=False, separators=(",", ":")) if runs else None


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
