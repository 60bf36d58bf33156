"""The library: stores reports with their original text and parse cache, in transactions, and keeps
the search index beside it in step."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from eduread.library import index, schema
from eduread.library.packed import pack, unpack
from eduread.paths import bundled_dir, library_dir

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms of every command)
if TYPE_CHECKING:  # rows.py is for writing: `eduread list` and `search` do not load it
    from typing import TypeVar

    from eduread.library.rows import Rows

    T = TypeVar("T")

DB_NAME = "library.sqlite3"
# progress(label, total) → a context yielding update(done, total): how long upkeep is shown
Progress = Callable[[str, int], AbstractContextManager[Callable[[int, int], None]]]


class LibraryError(Exception):
    """The library cannot be used as asked; the message says what to do."""


class Entry:
    """One report's metadata row: enough to list, group and open it without loading its text.

    A plain class rather than a dataclass: `eduread list` builds ten thousand of them and should
    not pay for importing dataclasses (and inspect) first.
    """

    __slots__ = (
        "num",
        "id",
        "title",
        "place_name",
        "place_path",
        "issuer",
        "parts",
        "published",
        "signed",
        "doc_class",
        "review",
    )

    def __init__(
        self,
        num: int,
        id: str,  # noqa: A002 - the report's id, as everywhere else
        title: str,
        place_name: str,
        place_path: list[str],
        issuer: str,
        parts: list[dict],
        published: str | None,
        signed: str | None,
        doc_class: str = "report",
        review: list[str] | None = None,
    ) -> None:
        self.num = num
        self.id = id
        self.title = title
        self.place_name = place_name
        self.place_path = place_path
        self.issuer = issuer
        self.parts = parts
        self.published = published
        self.signed = signed
        self.doc_class = doc_class
        self.review = [] if review is None else review

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return "Entry(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__) + ")"

    def to_dict(self) -> dict:
        """JSON form used by `eduread list --json`."""
        return {
            "id": self.id,
            "place": self.place_name,
            "place_path": self.place_path,
            "parts": self.parts,
            "published": self.published,
            "title": self.title,
            "class": self.doc_class,
            "review": self.review,
        }

    @property
    def years(self) -> list[int]:
        """The years its parts cover."""
        return sorted({p["year"] for p in self.parts if p["year"] is not None})


_ENTRY_COLUMNS = "num, id, title, place_name, place_path, issuer, parts, published, signed, doc_class, review"


def _entry(row: tuple) -> Entry:
    return Entry(
        row[0],
        row[1],
        row[2],
        row[3],
        json.loads(row[4]),
        row[5],
        json.loads(row[6]),
        row[7],
        row[8],
        row[9],
        json.loads(row[10]),
    )


def _insert(conn: sqlite3.Connection, rows: Rows) -> int:
    """Every row of one new report but its index entries (written per batch); returns its number."""
    cur = conn.execute(
        "INSERT INTO reports(id, title, place_name, place_path, place_code, issuer, parts, published,"
        " signed, doc_class, review, source_path, body_len) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (*rows.listing, rows.source, len(rows.body)),
    )
    num = int(cur.lastrowid or 0)
    _write_parts(conn, num, rows.parts)
    conn.execute(
        "INSERT INTO texts(num, original, body) VALUES (?,?,?)",
        (num, pack(rows.original, rows.body), rows.body),
    )
    conn.execute(
        "INSERT INTO parses(num, parser_version, data, outline) VALUES (?,?,?,?)",
        (num, rows.parser_version, pack(rows.data), rows.outline),
    )
    return num


def _update_parse(conn: sqlite3.Connection, num: int, report) -> None:
    """A new parse of an unchanged body: cache, listing columns and parts."""
    from eduread.library.rows import cache_row, listing, part_rows

    _body, data_json, outline_json = cache_row(report)
    conn.execute(
        "UPDATE parses SET parser_version = ?, data = ?, outline = ? WHERE num = ?",
        (report.parser_version, pack(data_json), outline_json, num),
    )
    conn.execute(
        "UPDATE reports SET id = ?, title = ?, place_name = ?, place_path = ?, place_code = ?, issuer = ?,"
        " parts = ?, published = ?, signed = ?, doc_class = ?, review = ? WHERE num = ?",
        (*listing(report), num),
    )
    conn.execute("DELETE FROM parts WHERE num = ?", (num,))
    _write_parts(conn, num, part_rows(report))


def _write_parts(conn: sqlite3.Connection, num: int, parts: list[tuple[str, int, str]]) -> None:
    """One row per part, so lists and selectors can filter by year and kind."""
    conn.executemany("INSERT INTO parts(num, kind, year, label) VALUES (?,?,?,?)", [(num, *p) for p in parts])


def _add_words(conn: sqlite3.Connection, items: list[tuple[int, dict[str, int]]]) -> None:
    """Reports' jieba word counts, and each word's document frequency with them."""
    conn.executemany(
        "INSERT INTO keywords(num, words) VALUES (?, ?)",
        [(num, pack(json.dumps(words, ensure_ascii=False))) for num, words in items],
    )
    df = Counter(word for _num, words in items for word in words)  # one upsert per word a batch
    conn.executemany(
        "INSERT INTO word_df(word, df) VALUES (?, ?) ON CONFLICT(word) DO UPDATE SET df = df + excluded.df",
        df.items(),
    )


def _delete(conn: sqlite3.Connection, num: int) -> None:
    """Remove one report's rows (the caller removes its index entry in the same write)."""
    row = conn.execute("SELECT words FROM keywords WHERE num = ?", (num,)).fetchone()
    if row is not None:
        words = json.loads(unpack(row[0]))
        conn.executemany("UPDATE word_df SET df = df - 1 WHERE word = ?", [(w,) for w in words])
    conn.execute("DELETE FROM reports WHERE num = ?", (num,))


class Library:
    """One library folder: its database and the operations every face needs."""

    def __init__(
        self, folder: Path | str | None = None, *, seed: bool = True, progress: Progress | None = None
    ) -> None:
        self.folder = library_dir(folder)
        self.path = self.folder / DB_NAME
        self.progress = progress
        new = not self.path.exists()
        try:
            self.conn = schema.connect(self.path)
            before = self._upgrade()
            if before is not None and before < 6:  # the old index tables are gone: give the room back
                with self._shown("compacting the library", 0):
                    self.conn.execute("VACUUM")
            if not index.in_step(self.folder, self.conn):  # a write was cut short, or a new version
                count = self.count()
                with self._shown("indexing", count) as update:
                    index.repair(self.folder, self.conn, update)
        except sqlite3.DatabaseError as err:
            raise LibraryError(f"{self.path}: cannot open the library ({err})") from None
        except OSError as err:
            raise LibraryError(f"{self.folder}: cannot open the search index ({err})") from None
        if new and seed:
            self._add_seeds()

    def _upgrade(self) -> int | None:
        """Create or migrate the tables; returns the version the library had (None: new or current)."""
        row = None
        try:
            row = self.conn.execute("SELECT value FROM state WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError:
            pass
        if row is None or row[0] == str(schema.SCHEMA_VERSION):
            return schema.create(self.conn)
        count = self.count()
        with self._shown("upgrading the library", count) as update:
            return schema.create(self.conn, update)

    def _shown(self, label: str, total: int) -> AbstractContextManager[Callable[[int, int], None]]:
        """The caller's progress display for long upkeep, or none."""
        if self.progress is None:
            return nullcontext(lambda done, total: None)
        return self.progress(label, total)

    def _indexed_write(self, work: Callable[[sqlite3.Connection, index.Writer], T]) -> T:
        """Run `work` with the index's writer and the database's write lock, committing both.

        The index commits first, then the database records its stamp with the rows; anything
        that stops between the two leaves stamps that differ, repaired by the next write or open.
        """
        try:
            for _attempt in range(3):
                text_index = index.TextIndex(self.folder)
                with text_index.writer() as writer, self.transaction() as conn:
                    on_disk = index.stamp_on_disk(self.folder)
                    if on_disk is not None and on_disk[0] == writer.index_id:
                        if not index.in_step(self.folder, conn):
                            index.patch(writer, conn, self.folder)
                        return work(conn, writer)
                # another process rebuilt the index since this one opened it: open the new one
        except BaseException:
            self.repair_index()  # the index may have committed what the database rolled back
            raise
        raise LibraryError(f"{self.folder}: the search index keeps changing under this write; try again")

    def close(self) -> None:
        """Close the database connection."""
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error or interrupt."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def _add_seeds(self) -> None:
        from eduread.library.importer import import_paths

        seeds = sorted(bundled_dir("seeds").glob("*.txt"))
        if seeds:
            import_paths(self, [str(p) for p in seeds], keywords=False)

    # ---- writing -------------------------------------------------------------------------------

    def has_id(self, report_id: str) -> bool:
        """Whether a report with this content hash is already stored."""
        return self.conn.execute("SELECT 1 FROM reports WHERE id = ?", (report_id,)).fetchone() is not None

    def add_batch(
        self,
        items: list[Rows],
        extras: list[tuple[str | None, dict[str, int] | None]] | None = None,
    ) -> list[int]:
        """Store reports' rows and index them atomically; returns their numbers.

        `extras` may bring each item's match form (what the index holds) and jieba word counts,
        computed elsewhere (an import's worker processes); a missing match form is computed here.
        """
        from eduread.text.matching import match_form

        def work(conn: sqlite3.Connection, writer: index.Writer) -> list[int]:
            nums: list[int] = []
            indexed = []
            words = []
            for i, rows in enumerate(items):
                form, word_counts = extras[i] if extras else (None, None)
                num = _insert(conn, rows)
                nums.append(num)
                indexed.append((num, form if form is not None else match_form(rows.body)))
                if word_counts is not None:
                    words.append((num, word_counts))
            _add_words(conn, words)
            index.write_batch(writer, conn, indexed)
            return nums

        return self._indexed_write(work)

    def set_keywords(self, items: list[tuple[int, dict[str, int]]]) -> None:
        """Store word counts for reports that were imported without them, in one transaction."""
        with self.transaction() as conn:
            _add_words(conn, items)

    def refresh_parses(self, nums: Iterable[int]) -> list[int]:
        """Parse stored originals again with the current parser, in one transaction.

        A report whose cleaned body is unchanged keeps its number, bookmarks and position, and gets
        the new parse and listing metadata; one whose body changed (the cleaner itself changed) is
        replaced whole, since every stored offset and its search index point into the old body.
        Returns the numbers of the replacements.
        """
        from eduread.library.rows import Rows
        from eduread.parse.report import parse_text
        from eduread.text.matching import match_form

        nums = list(nums)

        def work(conn: sqlite3.Connection, writer: index.Writer) -> list[int]:
            replaced: list[int] = []
            indexed = []
            gone = []
            for num in nums:
                row = conn.execute(
                    "SELECT t.original, t.body, r.source_path FROM texts t JOIN reports r USING (num) WHERE num = ?",
                    (num,),
                ).fetchone()
                if row is None:
                    continue
                original, body, source = unpack(row[0], row[1]), row[1], row[2]
                report = parse_text(original, strict=False)
                if report.body == body:
                    _update_parse(conn, num, report)
                    continue
                _delete(conn, num)
                gone.append(num)
                new = _insert(conn, Rows.of(report, original, source or ""))
                replaced.append(new)
                indexed.append((new, match_form(report.body)))
            if indexed or gone:
                index.write_batch(writer, conn, indexed, gone)
            return replaced

        return self._indexed_write(work)

    def remove(self, report_ids: Iterable[str]) -> tuple[list[str], list[str]]:
        """Remove reports by id (or unique id prefix); returns (removed, not found)."""
        report_ids = list(report_ids)

        def work(conn: sqlite3.Connection, writer: index.Writer) -> tuple[list[str], list[str]]:
            removed, missing, gone = [], [], []
            for rid in report_ids:
                entry = self.entry(rid)
                if entry is None:
                    missing.append(rid)
                    continue
                _delete(conn, entry.num)
                removed.append(entry.id)
                gone.append(entry.num)
            if gone:
                index.write_batch(writer, conn, [], gone)
            return removed, missing

        return self._indexed_write(work)

    def reindex(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Build the search index anew from the stored texts; returns how many reports it holds.

        The new index is built beside the old one and put in its place at the end: an
        interrupted rebuild leaves the old index, and the next open puts it in step.
        """
        return index.rebuild(self.folder, self.conn, progress)

    def repair_index(self) -> None:
        """Put the index in step with the database if a write was cut short (cheap when it is)."""
        try:
            if not index.in_step(self.folder, self.conn):
                with self._shown("indexing", self.count()) as update:
                    index.repair(self.folder, self.conn, update)
        except (OSError, ValueError, sqlite3.DatabaseError):
            pass  # the next open tries again; a search names `eduread reindex` if it cannot read

    def check_index(self) -> list[str]:
        """Problems between the library and its search index (empty when they agree)."""
        return index.check(self.folder, self.conn)

    # ---- reading -------------------------------------------------------------------------------

    def count(self) -> int:
        """How many reports the library holds."""
        return self.conn.execute("SELECT count(*) FROM reports").fetchone()[0]

    def entries(
        self, *, place: str | None = None, year: int | None = None, kind: str | None = None
    ) -> list[Entry]:
        """Report rows, filtered, in place then year order."""
        sql = f"SELECT {_ENTRY_COLUMNS} FROM reports"
        where, args = self._filters(place, year, kind)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY place_path, published, num"
        return [_entry(r) for r in self.conn.execute(sql, args)]

    def listing(
        self, *, place: str | None = None, year: int | None = None, kind: str | None = None
    ) -> list[tuple[str, str, str, str, str | None, str]]:
        """(id, place name, place path JSON, parts JSON, published, title) rows in `entries` order.

        What `eduread list` prints, without building an Entry (and parsing its JSON) per report.
        """
        sql = "SELECT id, place_name, place_path, parts, published, title FROM reports"
        where, args = self._filters(place, year, kind)
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self.conn.execute(sql + " ORDER BY place_path, published, num", args).fetchall()

    def listing_json(
        self, *, place: str | None = None, year: int | None = None, kind: str | None = None
    ) -> str:
        """`[e.to_dict() for e in entries(...)]` as compact JSON text, put together by SQLite."""
        sql = (
            "SELECT json_object('id', id, 'place', place_name, 'place_path', json(place_path),"
            " 'parts', json(parts), 'published', published, 'title', title, 'class', doc_class,"
            " 'review', json(review)) FROM reports"
        )
        where, args = self._filters(place, year, kind)
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.conn.execute(sql + " ORDER BY place_path, published, num", args)
        return "[" + ",".join(r[0] for r in rows) + "]"

    def filtered_nums(self, place: str | None, year: int | None, kind: str | None) -> set[int] | None:
        """Numbers of the reports a filter admits; None when there is no filter."""
        where, args = self._filters(place, year, kind)
        if not where:
            return None
        return {r[0] for r in self.conn.execute("SELECT num FROM reports WHERE " + " AND ".join(where), args)}

    @staticmethod
    def _filters(place: str | None, year: int | None, kind: str | None) -> tuple[list[str], list]:
        where: list[str] = []
        args: list = []
        if place:
            where.append("(place_name LIKE '%' || ? || '%' OR place_path LIKE '%' || ? || '%')")
            args += [place, place]
        if year is not None or kind:
            sub = "SELECT num FROM parts WHERE 1=1"
            if year is not None:
                sub += " AND year = ?"
                args.append(year)
            if kind:
                sub += " AND kind = ?"
                args.append(kind)
            where.append(f"num IN ({sub})")
        return where, args

    def entry(self, key: str | int) -> Entry | None:
        """One report row by number, id or unique id prefix."""
        if isinstance(key, int):
            row = self.conn.execute(f"SELECT {_ENTRY_COLUMNS} FROM reports WHERE num = ?", (key,)).fetchone()
            return _entry(row) if row else None
        rows = self.conn.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM reports WHERE id LIKE ? || '%'", (key,)
        ).fetchall()
        return _entry(rows[0]) if len(rows) == 1 else None

    def body(self, num: int) -> str:
        """The cleaned body of one report."""
        row = self.conn.execute("SELECT body FROM texts WHERE num = ?", (num,)).fetchone()
        if row is None:
            raise LibraryError(f"report {num} has no stored text")
        return row[0]

    def outline(self, num: int) -> list:
        """Flat [start, end, level, heading] rows of one report's outline."""
        row = self.conn.execute("SELECT outline FROM parses WHERE num = ?", (num,)).fetchone()
        return json.loads(row[0]) if row else []

    def report(self, num: int):  # -> Report
        """The full parsed report, re-parsed from the stored original if the parser has changed."""
        from eduread.parse.model import PARSER_VERSION, Report

        row = self.conn.execute(
            "SELECT p.parser_version, p.data, t.body FROM parses p JOIN texts t USING (num) WHERE num = ?",
            (num,),
        ).fetchone()
        if row is None:
            raise LibraryError(f"report {num} is not in the library")
        version, data, body = row
        if version != PARSER_VERSION:
            return self.reparse(num)
        payload = json.loads(unpack(data))
        payload["body"] = body
        return Report.from_dict(payload)

    def reparse(self, num: int):  # -> Report
        """The report parsed again with the current parser; the cache is updated when the body is
        unchanged (a changed body waits for the background refresh, which replaces the report)."""
        from eduread.parse.report import parse_text

        original, body = self.conn.execute(
            "SELECT original, body FROM texts WHERE num = ?", (num,)
        ).fetchone()
        report = parse_text(unpack(original, body), strict=False)
        if report.body == body:
            with self.transaction() as conn:
                _update_parse(conn, num, report)
        return report

    # ---- reading state -------------------------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """A persisted user setting (theme, grouping, last report)."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        """Persist a user setting (no write when it already holds that value)."""
        if self.get_setting(key) == value:
            return
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, value))

    def position(self, num: int) -> int:
        """Where the reader last was in a report (a body offset)."""
        row = self.conn.execute("SELECT offset FROM positions WHERE num = ?", (num,)).fetchone()
        return row[0] if row else 0

    def set_position(self, num: int, offset: int) -> None:
        """Remember the reading position in a report."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO positions(num, offset, updated) VALUES (?, ?, datetime('now'))",
                (num, offset),
            )

    def add_bookmark(self, num: int, offset: int, label: str) -> None:
        """Bookmark a place in a report."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO bookmarks(num, offset, label) VALUES (?, ?, ?)", (num, offset, label)
            )

    def bookmarks(self) -> list[tuple[int, int, str, str]]:
        """(report number, offset, label, report title) for every bookmark, newest first."""
        return self.conn.execute(
            "SELECT b.num, b.offset, b.label, r.title FROM bookmarks b JOIN reports r USING (num)"
            " ORDER BY b.created DESC, b.rowid DESC"
        ).fetchall()

    def keywords(self, num: int) -> dict[str, int]:
        """A report's stored jieba word counts (empty until computed)."""
        row = self.conn.execute("SELECT words FROM keywords WHERE num = ?", (num,)).fetchone()
        return json.loads(unpack(row[0])) if row else {}
