"""The library: stores reports with their original text, parse cache and index, in transactions."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from eduread.library import index, schema
from eduread.library.rows import Rows, cache_row, listing, part_rows
from eduread.parse.model import Part
from eduread.paths import bundled_dir, library_dir

DB_NAME = "library.sqlite3"


class LibraryError(Exception):
    """The library cannot be used as asked; the message says what to do."""


@dataclass
class Entry:
    """One report's metadata row: enough to list, group and open it without loading its text."""

    num: int
    id: str
    title: str
    place_name: str
    place_path: list[str]
    issuer: str
    parts: list[Part]
    published: str | None
    signed: str | None
    doc_class: str = "report"
    review: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON form used by `eduread list --json`."""
        return {
            "id": self.id,
            "place": self.place_name,
            "place_path": self.place_path,
            "parts": [asdict(p) for p in self.parts],
            "published": self.published,
            "title": self.title,
            "class": self.doc_class,
            "review": self.review,
        }

    @property
    def years(self) -> list[int]:
        """The years its parts cover."""
        return sorted({p.year for p in self.parts if p.year is not None})

    @property
    def group(self) -> str:
        """Where the tree files it: "report", "other" (not a bureau's report) or "review" (unsettled)."""
        if self.doc_class != "report":
            return "other"
        return "review" if self.review else "report"


# A bureau's report with nothing left to settle: what the tree files by place or year.
_PLAIN = "doc_class = 'report' AND review = '[]'"
_ENTRY_COLUMNS = "num, id, title, place_name, place_path, issuer, parts, published, signed, doc_class, review"


def _entry(row: tuple) -> Entry:
    return Entry(
        row[0],
        row[1],
        row[2],
        row[3],
        json.loads(row[4]),
        row[5],
        [Part(**p) for p in json.loads(row[6])],
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
    conn.execute("INSERT INTO texts(num, original, body) VALUES (?,?,?)", (num, rows.original, rows.body))
    conn.execute(
        "INSERT INTO parses(num, parser_version, data, outline) VALUES (?,?,?,?)",
        (num, rows.parser_version, rows.data, rows.outline),
    )
    return num


def _update_parse(conn: sqlite3.Connection, num: int, report) -> None:
    """A new parse of an unchanged body: cache, listing columns and parts."""
    _body, data_json, outline_json = cache_row(report)
    conn.execute(
        "UPDATE parses SET parser_version = ?, data = ?, outline = ? WHERE num = ?",
        (report.parser_version, data_json, outline_json, num),
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
        [(num, json.dumps(words, ensure_ascii=False)) for num, words in items],
    )
    df = Counter(word for _num, words in items for word in words)  # one upsert per word a batch
    conn.executemany(
        "INSERT INTO word_df(word, df) VALUES (?, ?) ON CONFLICT(word) DO UPDATE SET df = df + excluded.df",
        df.items(),
    )


def _delete(conn: sqlite3.Connection, num: int) -> None:
    """Remove one report: its rows, and (by marking it removed) its index entries."""
    row = conn.execute("SELECT words FROM keywords WHERE num = ?", (num,)).fetchone()
    if row is not None:
        conn.executemany("UPDATE word_df SET df = df - 1 WHERE word = ?", [(w,) for w in json.loads(row[0])])
    conn.execute("INSERT OR IGNORE INTO removed(num) VALUES (?)", (num,))
    conn.execute("DELETE FROM reports WHERE num = ?", (num,))


class Library:
    """One library folder: its database and the operations every face needs."""

    def __init__(self, folder: Path | str | None = None, *, seed: bool = True) -> None:
        self.folder = library_dir(folder)
        self.path = self.folder / DB_NAME
        new = not self.path.exists()
        try:
            self.conn = schema.connect(self.path)
            before = schema.create(self.conn)
        except sqlite3.DatabaseError as err:
            raise LibraryError(f"{self.path}: cannot open the library ({err})") from None
        if before is not None and before < 4:  # the index moved out of FTS5
            self.reindex()
        if new and seed:
            self._add_seeds()

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
        extras: list[tuple[index.BodyIndex | None, dict[str, int] | None]] | None = None,
    ) -> list[int]:
        """Store reports' rows atomically; returns their numbers.

        `extras` may bring each item's index entries and jieba word counts, computed elsewhere
        (an import's worker processes); a missing index is computed here.
        """
        nums: list[int] = []
        indexed = []
        words = []
        with self.transaction() as conn:
            for i, rows in enumerate(items):
                body_index, word_counts = extras[i] if extras else (None, None)
                num = _insert(conn, rows)
                nums.append(num)
                indexed.append((num, body_index or index.BodyIndex.of(rows.body)))
                if word_counts is not None:
                    words.append((num, word_counts))
            index.write(conn, indexed)
            _add_words(conn, words)
        return nums

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
        from eduread.parse.report import parse_text

        replaced: list[int] = []
        indexed = []
        with self.transaction() as conn:
            for num in nums:
                row = conn.execute(
                    "SELECT t.original, t.body, r.source_path FROM texts t JOIN reports r USING (num) WHERE num = ?",
                    (num,),
                ).fetchone()
                if row is None:
                    continue
                original, body, source = row
                report = parse_text(original, strict=False)
                if report.body == body:
                    _update_parse(conn, num, report)
                    continue
                _delete(conn, num)
                new = _insert(conn, Rows.of(report, original, source or ""))
                replaced.append(new)
                indexed.append((new, index.BodyIndex.of(report.body)))
            index.write(conn, indexed)
        return replaced

    def remove(self, report_ids: Iterable[str]) -> tuple[list[str], list[str]]:
        """Remove reports by id (or unique id prefix); returns (removed, not found)."""
        removed, missing = [], []
        with self.transaction() as conn:
            for rid in report_ids:
                entry = self.entry(rid)
                if entry is None:
                    missing.append(rid)
                    continue
                _delete(conn, entry.num)
                removed.append(entry.id)
        return removed, missing

    def reindex(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild the search index (trigram and short-gram) from the stored texts.

        One transaction: an interrupted rebuild leaves the old index whole.
        """
        with self.transaction() as conn:
            index.clear(conn)
            nums = [num for (num,) in conn.execute("SELECT num FROM texts ORDER BY num")]
            for start in range(0, len(nums), 500):
                chunk = nums[start : start + 500]
                marks = ",".join("?" * len(chunk))
                bodies = conn.execute(
                    f"SELECT num, body FROM texts WHERE num IN ({marks}) ORDER BY num", chunk
                )
                index.write(conn, [(num, index.BodyIndex.of(body)) for num, body in bodies])
                if progress:
                    progress(start + len(chunk), len(nums))
            index.merge(conn, set())
        return len(nums)

    def compact(self) -> None:
        """Merge index segments when imports have left many."""
        if index.needs_merge(self.conn):
            with self.transaction() as conn:
                dead = {r[0] for r in conn.execute("SELECT num FROM removed")}
                index.merge(conn, dead, everything=False)

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

    def num_of(self, report_id: str) -> int | None:
        """The number of the report with exactly this content hash (None when it is not stored)."""
        row = self.conn.execute("SELECT num FROM reports WHERE id = ?", (report_id,)).fetchone()
        return row[0] if row else None

    def tree_groups(self, *, year_first: bool = False) -> list[tuple[str, str | int | None, int]]:
        """The tree's first level in one grouped query: (group, key, reports) rows.

        group is "province" (key: the province, "" when unknown) or "year" (key: the year, None for
        reports without one), then "review" and "other" for reports needing review and documents
        that are not a bureau's report, so those never sit among the reports.
        """
        special = (
            "SELECT CASE WHEN doc_class != 'report' THEN 'other' ELSE 'review' END AS g, NULL AS k,"
            " count(*) FROM reports WHERE doc_class != 'report' OR review != '[]' GROUP BY g"
        )
        if year_first:
            main = (
                "SELECT 'year', p.year, count(DISTINCT r.num) FROM reports r LEFT JOIN parts p USING (num)"
                f" WHERE {_PLAIN} GROUP BY p.year"
            )
        else:
            main = (
                "SELECT 'province', coalesce(json_extract(place_path, '$[0]'), ''), count(*) FROM reports"
                f" WHERE {_PLAIN} GROUP BY 2"
            )
        return [tuple(r) for r in self.conn.execute(f"{main} UNION ALL {special}")]  # type: ignore[misc]

    def group_entries(self, group: str, key: str | int | None = None) -> list[Entry]:
        """The entries under one first-level node of the tree (see tree_groups)."""
        args: list = []
        if group == "other":
            where = "doc_class != 'report'"
        elif group == "review":
            where = "doc_class = 'report' AND review != '[]'"
        elif group == "province":
            where = f"{_PLAIN} AND coalesce(json_extract(place_path, '$[0]'), '') = ?"
            args.append(key or "")
        elif key is None:
            where = f"{_PLAIN} AND num NOT IN (SELECT num FROM parts)"
        else:
            where = f"{_PLAIN} AND num IN (SELECT num FROM parts WHERE year = ?)"
            args.append(key)
        sql = f"SELECT {_ENTRY_COLUMNS} FROM reports WHERE {where} ORDER BY place_path, published, num"
        return [_entry(r) for r in self.conn.execute(sql, args)]

    def body_length(self, num: int) -> int:
        """How many characters a report's body holds (0 when it is not stored), without reading it."""
        row = self.conn.execute("SELECT body_len FROM reports WHERE num = ?", (num,)).fetchone()
        return row[0] if row else 0

    def data_version(self) -> int:
        """A number that changes when another connection commits: a cheap "did anything change?"."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

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
        payload = json.loads(data)
        payload["body"] = body
        return Report.from_dict(payload)

    def reparse(self, num: int):  # -> Report
        """The report parsed again with the current parser; the cache is updated when the body is
        unchanged (a changed body waits for the background refresh, which replaces the report)."""
        from eduread.parse.report import parse_text

        original, body = self.conn.execute(
            "SELECT original, body FROM texts WHERE num = ?", (num,)
        ).fetchone()
        report = parse_text(original, strict=False)
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

    def add_bookmark(self, num: int, offset: int, label: str) -> bool:
        """Bookmark a place in a report; False when that place is already bookmarked."""
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO bookmarks(num, offset, label) VALUES (?, ?, ?)", (num, offset, label)
            )
        return cur.rowcount > 0

    def remove_bookmark(self, num: int, offset: int) -> None:
        """Delete one bookmark."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM bookmarks WHERE num = ? AND offset = ?", (num, offset))

    def bookmarks(self) -> list[tuple[int, int, str, str]]:
        """(report number, offset, label, report title) for every bookmark, newest first."""
        return self.conn.execute(
            "SELECT b.num, b.offset, b.label, r.title FROM bookmarks b JOIN reports r USING (num)"
            " ORDER BY b.created DESC, b.rowid DESC"
        ).fetchall()

    def keywords(self, num: int) -> dict[str, int]:
        """A report's stored jieba word counts (empty until computed)."""
        row = self.conn.execute("SELECT words FROM keywords WHERE num = ?", (num,)).fetchone()
        return json.loads(row[0]) if row else {}
