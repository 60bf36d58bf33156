"""The library: stores reports with their original text and parse cache, in transactions, and keeps
the search index beside it in step."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from eduread.library import char_counts, failures, index, schema
from eduread.library.packed import pack, unpack
from eduread.paths import bundled_dir, library_dir, library_folder

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms of every command)
if TYPE_CHECKING:  # rows.py is for writing: `eduread list` and `search` do not load it
    from pathlib import Path
    from typing import TypeVar

    from eduread.library.rows import Rows

    T = TypeVar("T")

DB_NAME = "library.sqlite3"
# progress(label, total) → a context yielding update(done, total): how long upkeep is shown
Progress = Callable[[str, int], AbstractContextManager[Callable[[int, int], None]]]
QUICK_CHECK_BYTES = 256 * 2**20  # a larger library is quick-checked once a day, not per command
MIN_PREFIX = 4  # a shorter id prefix names no report: removing by one would be a guess


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
        "part_dicts",
        "published",
        "signed",
        "doc_class",
        "review",
        "source",
        "_parts",
    )

    def __init__(
        self,
        num: int,
        id: str,  # noqa: A002 - the report's id, as everywhere else
        title: str,
        place_name: str,
        place_path: list[str],
        issuer: str,
        parts: list,  # list[Part], or the stored dicts (made into Parts when first asked for)
        published: str | None,
        signed: str | None,
        doc_class: str = "report",
        review: list[str] | None = None,
        source: str = "",  # the file it was imported from, as stored (reports.source_path)
    ) -> None:
        self.num = num
        self.id = id
        self.title = title
        self.place_name = place_name
        self.place_path = place_path
        self.issuer = issuer
        self.part_dicts = [p if isinstance(p, dict) else dict(vars(p)) for p in parts]
        self._parts = None if all(isinstance(p, dict) for p in parts) and parts else list(parts)
        self.published = published
        self.signed = signed
        self.doc_class = doc_class
        self.review = [] if review is None else review
        self.source = source

    @property
    def shown_title(self) -> str:
        """The title; for a report whose text states none, the name of the file it came from (what
        its owner saved it as), so it can be told apart in the tree and the reader."""
        if self.title:
            return self.title
        from eduread.text.names import shown_name  # a file's name may hold any byte: shown escaped

        name = shown_name(os.path.basename(self.source)) if self.source else ""
        return f"(untitled: {name})" if name else "(untitled)"

    @property
    def parts(self) -> list:  # list[Part]
        """The parts as `Part`s (parse.model loads only when someone asks: `eduread search` never does)."""
        if self._parts is None:
            from eduread.parse.model import Part

            self._parts = [Part(**p) for p in self.part_dicts]
        return self._parts

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__ if name != "_parts")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return (
            "Entry(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__ if n != "_parts") + ")"
        )

    def to_dict(self) -> dict:
        """JSON form used by `eduread list --json`."""
        return {
            "id": self.id,
            "place": self.place_name,
            "place_path": self.place_path,
            "parts": self.part_dicts,
            "published": self.published,
            "title": self.title,
            "class": self.doc_class,
            "review": self.review,
        }

    @property
    def years(self) -> list[int]:
        """The years its parts cover (from the stored parts: no Part is built for the tree)."""
        return sorted({p["year"] for p in self.part_dicts if p.get("year") is not None})

    @property
    def group(self) -> str:
        """Where the tree files it: "report", "other" (not a bureau's report) or "review" (unsettled)."""
        if self.doc_class != "report":
            return "other"
        return "review" if self.review else "report"


# A bureau's report with nothing left to settle: what the tree files by place or year.
_PLAIN = "doc_class = 'report' AND review = '[]'"
_ENTRY_COLUMNS = (
    "num, id, title, place_name, place_path, issuer, parts, published, signed, doc_class, review, source_path"
)


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
        row[11] or "",
    )


def place_condition(place: str, table: str = "") -> tuple[str, list[str]]:
    """A filter on the place as written or resolved, and its arguments; `table` is the reports
    table's alias in the query. instr, not LIKE: a place is plain text, so % _ \\ and NUL in it
    match only themselves."""
    column = f"{table}." if table else ""
    return f"(instr({column}place_name, ?) > 0 OR instr({column}place_path, ?) > 0)", [typed(place)] * 2


def typed(text: str) -> str:
    """What a person typed as valid text (SQLite takes no lone surrogates): such a character,
    a byte of argv that was not UTF-8, becomes U+FFFD, which no stored text holds either."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def stored_name(path: str) -> str:
    """A file name as valid text: bytes that are not UTF-8 (a surrogate in a str) become \\xff escapes."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        pass
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:  # a surrogate that is no escaped byte
        return path.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def _insert(conn: sqlite3.Connection, rows: Rows) -> int | None:
    """Every row of one new report but its index entries (written per batch); returns its number.

    None when a report with this id is already stored: checked by the insert itself, inside the
    write transaction, so two imports of the same file at once store it once and neither fails.
    """
    cur = conn.execute(
        "INSERT INTO reports(id, title, place_name, place_path, place_code, issuer, parts, published,"
        " signed, doc_class, review, source_path, body_len) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(id) DO NOTHING",
        (*rows.listing, stored_name(rows.source), len(rows.body)),
    )
    if cur.rowcount == 0:
        return None
    num = int(cur.lastrowid or 0)
    _write_parts(conn, num, rows.parts)
    conn.execute(
        "INSERT INTO texts(num, original, body, simplified, hints) VALUES (?,?,?,?,?)",
        (num, pack(rows.original, rows.body), rows.body, rows.simplified, rows.hints),
    )
    conn.execute(
        "INSERT INTO parses(num, parser_version, data, outline) VALUES (?,?,?,?)",
        (num, rows.parser_version, pack(rows.data), rows.outline),
    )
    from eduread.library.figure_rows import write_figures

    write_figures(conn, num, rows.figures)
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

    `body` replaces the stored body when the cleaner now keeps characters it used to fold; the
    original, stored deflated against the body, is packed again against the new one. The match
    form is the same, so the search index needs nothing.
    """
    from eduread.library.rows import cache_row

    _body, data_json, outline_json = cache_row(report)
    conn.execute(
        "UPDATE parses SET parser_version = ?, data = ?, outline = ? WHERE num = ?",
        (report.parser_version, pack(data_json), outline_json, num),
    )
    if body is not None:
        original, old = conn.execute("SELECT original, body FROM texts WHERE num = ?", (num,)).fetchone()
        from eduread.text.matching import simplified_runs

        conn.execute(
            "UPDATE texts SET body = ?, original = ?, simplified = ? WHERE num = ?",
            (body, pack(unpack(original, old), body), schema.runs_json(simplified_runs(body)), num),
        )
    _update_listing(conn, num, _corrected(conn, num, report))


def _update_listing(conn: sqlite3.Connection, num: int, report) -> None:
    """The listing columns and parts rows of one report, from its (corrected) parse."""
    from eduread.library.rows import listing, part_rows

    conn.execute(
        "UPDATE reports SET id = ?, title = ?, place_name = ?, place_path = ?, place_code = ?, issuer = ?,"
        " parts = ?, published = ?, signed = ?, doc_class = ?, review = ? WHERE num = ?",
        (*listing(report), num),
    )
    conn.execute("DELETE FROM parts WHERE num = ?", (num,))
    _write_parts(conn, num, part_rows(report))
    from eduread.library.figure_rows import write_report_figures

    write_report_figures(conn, num, report)
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
        [(num, pack(json.dumps(words, ensure_ascii=False))) for num, words in items],
    )
    df = Counter(word for _num, words in items for word in words)  # one upsert per word a batch
    conn.executemany(
        "INSERT INTO word_df(word, df) VALUES (?, ?) ON CONFLICT(word) DO UPDATE SET df = df + excluded.df",
        df.items(),
    )


def _delete(conn: sqlite3.Connection, num: int, tally: char_counts.Tally) -> None:
    """Remove one report's rows (the caller removes its index entry in the same write).

    The library is marked as having had reports of its own, so it is never seeded again.
    """
    row = conn.execute("SELECT body, simplified FROM texts WHERE num = ?", (num,)).fetchone()
    if row is not None:
        tally.take(index.stored_match_form(*row))
    row = conn.execute("SELECT words FROM keywords WHERE num = ?", (num,)).fetchone()
    if row is not None:
        words = json.loads(unpack(row[0]))
        conn.executemany("UPDATE word_df SET df = df - 1 WHERE word = ?", [(w,) for w in words])
    conn.execute("INSERT OR IGNORE INTO state(key, value) VALUES ('seeded', '1')")
    conn.execute("DELETE FROM reports WHERE num = ?", (num,))


# `eduread list`'s query (bench_library.py runs the same one in sqlite3's command line)
LISTING = (
    "SELECT id, place_name, place_path, CASE WHEN doc_class = 'other' THEN '\"other\"' ELSE parts END,"
    " published, title FROM reports"
)
LISTING_ORDER = " ORDER BY place_path, published, num"  # every list of reports: the index reports_order


def hint_titles(hints: str | None) -> list[str]:
    """The titles a stored texts.hints value holds (JSON; NULL: none)."""
    return json.loads(hints) if hints else []


def parse_stored(original: str, source: str | None, hints: str | None):  # -> Report
    """A stored text parsed again as it was imported: its file's name and the titles the file stated
    outside its text (texts.hints, JSON) are what the title and place may come from."""
    from eduread.parse.report import parse_text
    from eduread.text.names import shown_name

    return parse_text(
        original,
        source_name=shown_name(source) if source else "<text>",
        title_hints=hint_titles(hints),
        strict=False,
    )


def needs_upgrade(folder: Path | str | None = None) -> bool:
    """Whether opening this library will first convert it (an older eduread wrote it).

    Read-only and quick, so the reader can convert a large library off its UI thread, showing
    progress, instead of before its first frame. Anything odd is left for Library() to report.
    """
    path = library_dir(folder) / DB_NAME
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            before = schema.version(conn)
        finally:
            conn.close()
    except (sqlite3.Error, OSError, ValueError, schema.SchemaError):
        return False
    return before is not None and before < schema.SCHEMA_VERSION


class Library:
    """One library folder: its database and the operations every face needs."""

    def __init__(
        self, folder: Path | str | None = None, *, seed: bool = True, progress: Progress | None = None
    ) -> None:
        # Strings, for opening; the Paths below are made when first asked for (not by `eduread list`)
        self._folder = library_folder(folder)
        self._db = os.path.join(self._folder, DB_NAME)
        self._paths: tuple[Path, Path] | None = None
        self._hints_column = "t.hints"  # "NULL" in a read-only library from before texts.hints
        self.progress = progress
        self.readonly = False
        self._wal: tuple[int, int] | None = None  # the -wal file's (device, inode) while we write
        try:
            self.conn = self._open()
        except schema.SchemaError as err:
            raise LibraryError(f"{self.path}: {err}") from None
        except (sqlite3.Error, OSError) as err:
            raise LibraryError(f"{self.path}: {failures.explain(err)}") from None
        if self.readonly:
            return
        try:
            schema.ensure_across(self.conn)
            if self._before is not None and self._before < 6:  # the old index tables are gone
                with self._shown("compacting the library", 0):
                    self.conn.execute("VACUUM")
            if not index.in_step(self._folder, self.conn):  # a write was cut short, or a new version
                try:
                    with self._shown("indexing", self.count()) as update:
                        index.repair(self.folder, self.conn, update)
                except (sqlite3.OperationalError, PermissionError) as err:
                    if not failures.explain(err).startswith(
                        ("the library is read-only", "permission denied")
                    ):
                        raise  # a library nobody may write to is read as it is
            if seed:
                self.ensure_seeded()
        except (sqlite3.Error, OSError) as err:
            self.conn.close()
            raise LibraryError(f"{self.path}: {failures.explain(err)}") from None

    @property
    def folder(self) -> Path:
        """The library's folder, as a Path made when first asked for (`eduread list` never asks)."""
        return self._both()[0]

    @property
    def path(self) -> Path:
        """The library's database file, as a Path made when first asked for."""
        return self._both()[1]

    def _both(self) -> tuple[Path, Path]:
        if self._paths is None:
            from pathlib import Path

            self._paths = Path(self._folder), Path(self._db)
        return self._paths

    def _open(self) -> sqlite3.Connection:
        """A writable connection with the schema current; read-only when the file or folder is.

        A library that cannot be written (a read-only file, folder or disk) still opens for reading
        when its schema is current; writing to it then fails with one clear line.
        """
        self._before: int | None = None
        try:
            conn = schema.connect(self._db)
        except (sqlite3.Error, OSError) as err:
            if not self.path.is_file() or failures.is_damage(err):
                raise
            return self._open_readonly(err)
        try:
            self._before = self._upgrade(conn)
        except sqlite3.OperationalError as err:
            conn.close()
            if not failures.explain(err).startswith(("the library is read-only", "cannot open")):
                raise
            return self._open_readonly(err)
        except BaseException:
            conn.close()
            raise
        return conn

    def _open_readonly(self, first: BaseException) -> sqlite3.Connection:
        """The library for reading only; `first` is re-raised when even that is impossible."""
        try:
            conn = schema.connect(self.path, readonly=True)
            version = schema.version(conn)
        except sqlite3.Error:
            try:  # a folder nobody may write to: SQLite cannot make the -shm file reading needs
                conn = schema.connect(self.path, immutable=True)
                version = schema.version(conn)
            except sqlite3.Error:
                raise first from None
        if version not in schema.READABLE:
            conn.close()
            raise schema.SchemaError(
                f"the library is read-only and needs an upgrade to schema {schema.SCHEMA_VERSION}"
                " first (open it once where it can be written)"
            )
        self.readonly = True
        if version < 8:
            self._hints_column = "NULL"
        return conn

    def _upgrade(self, conn: sqlite3.Connection) -> int | None:
        """Create or migrate the tables, showing progress when there is data to convert."""
        before = schema.version(conn)
        if before is None or before >= schema.SCHEMA_VERSION:
            return schema.create(conn)
        count = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        with self._shown("upgrading the library", count) as update:
            return schema.create(conn, update)

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
        self._writable()
        try:
            for _attempt in range(3):
                text_index = index.TextIndex(self.folder)
                with self._index_writer(text_index) as writer, self.transaction() as conn:
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

    def _writable(self) -> None:
        """One clear line, before anything is touched, when this library cannot be written."""
        if self.readonly:
            raise LibraryError(f"{self.path}: {failures.explain(sqlite3.OperationalError('readonly'))}")

    @contextmanager
    def _index_writer(self, text_index: index.TextIndex) -> Iterator[index.Writer]:
        """The index's writer; a folder this user may not write to says so in the usual line."""
        try:
            opened = text_index.writer()
            writer = opened.__enter__()
        except Exception as err:  # the bindings raise their own types for a lock file they cannot open
            if index.cannot_write(err):
                raise LibraryError(
                    f"{self.path}: {failures.explain(sqlite3.OperationalError('readonly'))}"
                ) from None
            raise
        try:
            yield writer
        except BaseException as err:
            if not opened.__exit__(type(err), err, err.__traceback__):
                raise
        else:
            opened.__exit__(None, None, None)

    def close(self) -> None:
        """Close the database connection."""
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error or interrupt.

        The rollback never hides the error that caused it: when SQLite has already rolled back
        itself (a full disk, an I/O error), there is nothing left to roll back.
        """
        if self.readonly:
            raise LibraryError(f"{self.path}: {failures.explain(sqlite3.OperationalError('readonly'))}")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self._check_wal()
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            raise
        else:
            self.conn.execute("COMMIT")

    def _check_wal(self) -> None:
        """Refuse to write once the -wal file this connection writes to was deleted or replaced.

        Deleting it under a running eduread (a cleanup script, a sync tool) splits the library
        between two logs; a second writer would then damage it. Stopping here keeps it whole.
        """
        try:
            st = os.stat(f"{self.path}-wal")
        except OSError:
            current = None
        else:
            current = (st.st_dev, st.st_ino)
        if self._wal is None:
            self._wal = current
        elif current != self._wal:
            raise LibraryError(
                f"{self.path}: the library's -wal file was deleted or replaced while eduread was"
                f" writing; stopped to keep the library whole; {failures.CHECK}"
            )

    def check_before_writing(self) -> None:
        """Refuse to write into a damaged file: SQLite's quick_check before a writing command.

        Damage in a page no query of the command reads (keywords, texts, the index) would otherwise
        go unnoticed while new writes pile onto it. The check reads the whole file (about 0.1 s per
        150 MB), so a library larger than QUICK_CHECK_BYTES is checked at most once a day.
        """
        from eduread.library.check import integrity

        try:
            size = self.path.stat().st_size
        except OSError:
            return
        large = size > QUICK_CHECK_BYTES
        try:
            if large and self._state("quick_check") == time.strftime("%Y-%m-%d"):
                return
        except sqlite3.DatabaseError as err:
            raise LibraryError(f"{self.path}: {failures.explain(err)}") from None
        problems = integrity(self.conn, quick=True)
        if problems:
            raise LibraryError(f"{self.path}: the library is damaged ({problems[0]}); {failures.CHECK}")
        if large:
            with self.transaction() as conn:
                conn.execute(
                    "INSERT OR REPLACE INTO state(key, value) VALUES ('quick_check', ?)",
                    (time.strftime("%Y-%m-%d"),),
                )

    def ensure_seeded(self) -> None:
        """Add the bundled reports to a new library, once, however many processes open it at once.

        The seeds are parsed outside the lock; the check that the library is new and the writes
        happen in one write transaction, so a second process finds the flag set and adds nothing.
        A library that already holds or held reports is never seeded.
        """
        if self.readonly or self._seeded():
            return
        from eduread.library.importer import prepare

        prepared = [prepare(p, False) for p in sorted(bundled_dir("seeds").glob("*.txt"))]
        items = [p for p in prepared if p.rows is not None]
        self.add_batch([p.rows for p in items], [(p.index, p.words) for p in items], once="seeded")

    def _seeded(self) -> bool:
        """Whether the seeds were added, or the library has a life of its own (reports, or removals,
        which set the flag)."""
        return bool(
            self.conn.execute(
                "SELECT EXISTS (SELECT 1 FROM state WHERE key = 'seeded')"
                " OR EXISTS (SELECT 1 FROM settings WHERE key = 'seeded')"
                " OR EXISTS (SELECT 1 FROM reports)"
            ).fetchone()[0]
        )

    # ---- writing -------------------------------------------------------------------------------

    def has_id(self, report_id: str) -> bool:
        """Whether a report with this content hash is already stored."""
        return self.conn.execute("SELECT 1 FROM reports WHERE id = ?", (report_id,)).fetchone() is not None

    def add_batch(
        self,
        items: list[Rows],
        extras: list[tuple[str | None, dict[str, int] | None]] | None = None,
        *,
        once: str | None = None,
    ) -> list[int | None]:
        """Store reports' rows and index them atomically; returns their numbers (None: that id was
        already stored).

        `extras` may bring each item's match form (what the index holds) and jieba word counts,
        computed elsewhere (an import's worker processes); a missing match form is computed here.
        With `once`, a state key: the batch is stored only while that key is unset, and sets it
        in the same transaction.
        """
        from eduread.text.matching import match_form

        def work(conn: sqlite3.Connection, writer: index.Writer) -> list[int | None]:
            nums: list[int | None] = []
            indexed = []
            words = []
            if once is not None:
                done = self._seeded() if once == "seeded" else self._state(once) is not None
                if done:
                    return []
                conn.execute("INSERT OR REPLACE INTO state(key, value) VALUES (?, '1')", (once,))
            tally = char_counts.Tally()
            for i, rows in enumerate(items):
                form, word_counts = extras[i] if extras else (None, None)
                num = _insert(conn, rows)
                nums.append(num)
                if num is None:
                    continue
                indexed.append((num, form if form is not None else match_form(rows.body)))
                tally.add(indexed[-1][1])
                if word_counts is not None:
                    words.append((num, word_counts))
            _add_words(conn, words)
            tally.write(conn)
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
        from eduread.text.matching import match_form

        nums = list(nums)

        def work(conn: sqlite3.Connection, writer: index.Writer) -> list[int]:
            replaced: list[int] = []
            indexed = []
            gone = []
            tally = char_counts.Tally()
            for num in nums:
                stored = self._stored_text(conn, num)
                if stored is None:
                    continue
                original, body, source, hints = stored
                report = parse_stored(original, source, hints)
                if same_offsets(body, report.body):
                    _update_parse(conn, num, report, None if report.body == body else report.body)
                    continue
                from eduread.library import notes

                noted = notes.take(conn, num, body)  # her notes and bookmarks move to the replacement
                kept = conn.execute("SELECT data FROM corrections WHERE num = ?", (num,)).fetchone()
                _delete(conn, num, tally)
                gone.append(num)
                new = _insert(conn, Rows.of(report, original, source or "", hint_titles(hints)))
                if new is None:  # the new body is a report already stored: the old copy just goes
                    continue
                notes.put_back(conn, new, noted, report.body)
                if kept:  # corrections do not point into the text: they outlive a changed body
                    conn.execute("INSERT INTO corrections(num, data) VALUES (?, ?)", (new, kept[0]))
                    _update_listing(conn, new, _corrected(conn, new, report))
                replaced.append(new)
                indexed.append((new, match_form(report.body)))
                tally.add(indexed[-1][1])
            tally.write(conn)
            if indexed or gone:
                index.write_batch(writer, conn, indexed, gone)
            return replaced

        return self._indexed_write(work)

    def _state(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def remove(self, report_ids: Iterable[str]) -> tuple[list[str], list[str]]:
        """Remove reports by exact id or unique id prefix (4 characters at least); returns (removed,
        not found). Nothing else ever matches: no wildcard, no substring."""
        report_ids = list(report_ids)

        def work(conn: sqlite3.Connection, writer: index.Writer) -> tuple[list[str], list[str]]:
            removed, missing, gone = [], [], []
            tally = char_counts.Tally()
            for rid in report_ids:
                entry = self.entry(rid)
                if entry is None:
                    missing.append(rid)
                    continue
                _delete(conn, entry.num, tally)
                removed.append(entry.id)
                gone.append(entry.num)
            tally.write(conn)
            if gone:
                index.write_batch(writer, conn, [], gone)
            return removed, missing

        return self._indexed_write(work)

    def reindex(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Build the search index anew from the stored texts; returns how many reports it holds.

        The new index is built beside the old one and put in its place at the end: an
        interrupted rebuild leaves the old index, and the next open puts it in step.
        """
        self._writable()
        try:
            count = index.rebuild(self.folder, self.conn, progress)
            with self.transaction() as conn:  # what one-character searches count, from the texts too
                char_counts.recount(conn, self.match_bodies(), count)
            return count
        except OSError as err:
            import errno

            if err.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise
            raise LibraryError(
                f"{self.path}: {failures.explain(sqlite3.OperationalError('readonly'))}"
            ) from None

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
        problems = index.check(self.folder, self.conn)
        wrong = char_counts.differences(self.conn, self.match_bodies())
        if wrong:
            problems.append(f"the search counts of {wrong} characters differ from the stored texts")
        return problems

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
        return [_entry(r) for r in self.conn.execute(sql + LISTING_ORDER, args)]

    def listing(
        self, *, place: str | None = None, year: int | None = None, kind: str | None = None, raw: bool = False
    ) -> list[tuple]:
        """(id, place name, place path JSON, parts JSON, published, title) rows in `entries` order;
        a document that is not a bureau's report has the JSON string "other" for its parts (it has none).

        What `eduread list` prints, without building an Entry (and parsing its JSON) per report.
        With `raw`, the columns come as their UTF-8 bytes: a pipe is written bytes, and ten thousand
        rows need not be decoded only to be encoded again.
        """
        sql = LISTING
        where, args = self._filters(place, year, kind)
        if where:
            sql += " WHERE " + " AND ".join(where)
        if not raw:
            return self.conn.execute(sql + LISTING_ORDER, args).fetchall()
        self.conn.text_factory = bytes
        try:
            return self.conn.execute(sql + LISTING_ORDER, args).fetchall()
        finally:
            self.conn.text_factory = str

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
        rows = self.conn.execute(sql + LISTING_ORDER, args)
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
            condition, place_args = place_condition(place)
            where.append(condition)
            args += place_args
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
        """One report row by number, exact id, or a unique id prefix of MIN_PREFIX characters or more."""
        if isinstance(key, int):
            row = self.conn.execute(f"SELECT {_ENTRY_COLUMNS} FROM reports WHERE num = ?", (key,)).fetchone()
            return _entry(row) if row else None
        if not key:
            return None
        key = typed(key)
        row = self.conn.execute(f"SELECT {_ENTRY_COLUMNS} FROM reports WHERE id = ?", (key,)).fetchone()
        if row is not None:
            return _entry(row)
        if len(key) < MIN_PREFIX:
            return None
        # The id index in order from the prefix on: the first two rows say whether it is unique.
        rows = self.conn.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM reports WHERE id > ? ORDER BY id LIMIT 2", (key,)
        ).fetchall()
        matches = [r for r in rows if r[1].startswith(key)]
        return _entry(matches[0]) if len(matches) == 1 else None

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
        sql = f"SELECT {_ENTRY_COLUMNS} FROM reports WHERE {where}{LISTING_ORDER}"
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

    def match_body(self, num: int) -> str:
        """One report's body in its match form (what the index holds), read without OpenCC."""
        return self.body_with_form(num)[1]

    def body_with_form(self, num: int) -> tuple[str, str]:
        """One report's body and its match form: offsets found in the one are shown in the other."""
        row = self.conn.execute("SELECT body, simplified FROM texts WHERE num = ?", (num,)).fetchone()
        if row is None:
            raise LibraryError(f"report {num} has no stored text")
        return row[0], index.stored_match_form(*row)

    def match_bodies(self, nums: Iterable[int] | None = None) -> Iterator[tuple[int, str]]:
        """(num, match form) of the given reports' bodies, or of every body, read in chunks."""
        if nums is None:
            rows = self.conn.execute("SELECT num, body, simplified FROM texts")
            yield from ((num, index.stored_match_form(body, runs)) for num, body, runs in rows)
            return
        yield from index.match_bodies(self.conn, list(nums))

    def char_count(self, ch: str) -> tuple[int, int]:
        """(reports holding one character of the match form, its occurrences in them)."""
        return char_counts.lookup(self.conn, ch)

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

    def _stored_text(
        self, conn: sqlite3.Connection, num: int
    ) -> tuple[str, str, str | None, str | None] | None:
        """(original, body, source path, title hints JSON) of a stored report: what parsing it again reads."""
        row = conn.execute(
            f"SELECT t.original, t.body, r.source_path, {self._hints_column} FROM texts t JOIN reports r USING (num)"
            " WHERE num = ?",
            (num,),
        ).fetchone()
        return None if row is None else (unpack(row[0], row[1]), row[1], row[2], row[3])

    def reparse(self, num: int):  # -> Report
        """The report parsed again with the current parser; the cache is updated when the body is
        unchanged (a changed body waits for the background refresh, which replaces the report) and
        the library can be written (a read-only one is read with each parse made afresh)."""
        stored = self._stored_text(self.conn, num)
        if stored is None:
            raise LibraryError(f"report {num} is not in the library")
        original, body, source, hints = stored
        report = parse_stored(original, source, hints)
        if same_offsets(body, report.body) and not self.readonly:
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

    def add_bookmark(self, num: int, offset: int, label: str) -> bool:
        """Bookmark a place in a report (a note of kind 'bookmark'); False when it is bookmarked already."""
        from eduread.library import notes

        if any(n == num and o == offset for n, o, _label, _title in self.bookmarks()):
            return False
        notes.add_bookmark(self.conn, num, offset, label)
        return True

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
        return json.loads(unpack(row[0])) if row else {}
