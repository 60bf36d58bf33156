"""The library: stores reports with their original text, parse cache and index, in transactions."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from eduread.library import index, schema
from eduread.library.figure_rows import figure_rows, needs_fold, write_figures
from eduread.library.rows import Rows, cache_row, listing, part_rows
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
    parts: list[dict]
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
    conn.execute("INSERT INTO texts(num, original, body) VALUES (?,?,?)", (num, rows.original, rows.body))
    conn.execute(
        "INSERT INTO parses(num, parser_version, data, outline) VALUES (?,?,?,?)",
        (num, rows.parser_version, rows.data, rows.outline),
    )
    write_figures(conn, num, rows.figures, rows.needs_fold)
    return num


def _correction(conn: sqlite3.Connection, num: int):  # -> Correction | None
    """What a person set by hand for one report, if anything."""
    from eduread.parse.model import Correction

    row = conn.execute("SELECT data FROM corrections WHERE num = ?", (num,)).fetchone()
    return Correction.from_dict(json.loads(row[0])) if row else None


def _corrected(conn: sqlite3.Connection, num: int, report):  # -> Report
    """The report with its stored corrections laid over the parse."""
    correction = _correction(conn, num)
    if correction is None:
        return report
    from eduread.parse.corrections import apply_correction

    return apply_correction(report, correction)


def _update_parse(conn: sqlite3.Connection, num: int, report, body: str | None = None) -> None:
    """A new parse of a body with the same offsets: cache, listing columns (corrections applied), parts.

    `body` replaces the stored body when the cleaner now keeps characters it used to fold.
    """
    _body, data_json, outline_json = cache_row(report)
    conn.execute(
        "UPDATE parses SET parser_version = ?, data = ?, outline = ? WHERE num = ?",
        (report.parser_version, data_json, outline_json, num),
    )
    if body is not None:
        conn.execute("UPDATE texts SET body = ? WHERE num = ?", (body, num))
    _update_listing(conn, num, _corrected(conn, num, report))


def _update_listing(conn: sqlite3.Connection, num: int, report) -> None:
    """The listing columns and parts rows of one report, from its (corrected) parse."""
    conn.execute(
        "UPDATE reports SET id = ?, title = ?, place_name = ?, place_path = ?, place_code = ?, issuer = ?,"
        " parts = ?, published = ?, signed = ?, doc_class = ?, review = ? WHERE num = ?",
        (*listing(report), num),
    )
    conn.execute("DELETE FROM parts WHERE num = ?", (num,))
    _write_parts(conn, num, part_rows(report))
    write_figures(conn, num, figure_rows(report), needs_fold(report.body))
    conn.execute("DELETE FROM topics_done WHERE num = ?", (num,))  # topic shares are worked out anew


def same_offsets(old: str, new: str) -> bool:
    """Whether every offset into `old` means the same place in `new` (only widths or script differ)."""
    from eduread.text.matching import match_form

    return len(old) == len(new) and (old == new or match_form(old) == match_form(new))


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
            schema.ensure_across(self.conn)
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
                if same_offsets(body, report.body):
                    _update_parse(conn, num, report, None if report.body == body else report.body)
                    continue
                from eduread.library import notes

                noted = notes.take(conn, num, body)  # her notes and bookmarks move to the replacement
                kept = conn.execute("SELECT data FROM corrections WHERE num = ?", (num,)).fetchone()
                _delete(conn, num)
                new = _insert(conn, Rows.of(report, original, source or ""))
                notes.put_back(conn, new, noted, report.body)
                if kept:  # corrections do not point into the text: they outlive a changed body
                    conn.execute("INSERT INTO corrections(num, data) VALUES (?, ?)", (new, kept[0]))
                    _update_listing(conn, new, _corrected(conn, new, report))
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
        return _corrected(self.conn, num, Report.from_dict(payload))

    def correction(self, num: int):  # -> Correction | None
        """What a person set by hand for a report (None when nothing was)."""
        return _correction(self.conn, num)

    def set_correction(self, num: int, correction) -> None:  # correction: Correction
        """Store a person's corrections for a report, merged over any earlier ones, and relist it.

        They live apart from the parse, so re-parsing and parser upgrades never undo them.
        """
        from eduread.parse.model import Correction

        with self.transaction() as conn:
            earlier = _correction(conn, num) or Correction()
            merged = Correction.from_dict({**earlier.to_dict(), **correction.to_dict()})
            if merged.is_empty():
                conn.execute("DELETE FROM corrections WHERE num = ?", (num,))
            else:
                conn.execute(
                    "INSERT OR REPLACE INTO corrections(num, data, updated) VALUES (?, ?, datetime('now'))",
                    (num, json.dumps(merged.to_dict(), ensure_ascii=False)),
                )
        report = self.report(num)
        with self.transaction() as conn:
            _update_listing(conn, num, report)

    def clear_correction(self, num: int) -> None:
        """Drop every correction of a report: the parse stands again."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM corrections WHERE num = ?", (num,))
        with self.transaction() as conn:
            _update_listing(conn, num, self.report(num))

    def reparse(self, num: int):  # -> Report
        """The report parsed again with the current parser; the cache is updated when the body is
        unchanged (a changed body waits for the background refresh, which replaces the report)."""
        from eduread.parse.report import parse_text

        original, body = self.conn.execute(
            "SELECT original, body FROM texts WHERE num = ?", (num,)
        ).fetchone()
        report = parse_text(original, strict=False)
        if same_offsets(body, report.body):
            with self.transaction() as conn:
                _update_parse(conn, num, report, None if report.body == body else report.body)
        return _corrected(self.conn, num, report)

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
        """Bookmark a place in a report (a note of kind 'bookmark'; one per place)."""
        from eduread.library import notes

        notes.add_bookmark(self.conn, num, offset, label)

    def bookmarks(self) -> list[tuple[int, int, str, str]]:
        """(report number, offset, label, report title) for every bookmark, newest first."""
        from eduread.library import notes

        return notes.bookmarks(self.conn)

    def remove_bookmark(self, num: int, offset: int) -> None:
        """Delete the bookmark at a place in a report."""
        from eduread.library import notes

        notes.remove_bookmark(self.conn, num, offset)

    def keywords(self, num: int) -> dict[str, int]:
        """A report's stored jieba word counts (empty until computed)."""
        row = self.conn.execute("SELECT words FROM keywords WHERE num = ?", (num,)).fetchone()
        return json.loads(row[0]) if row else {}
