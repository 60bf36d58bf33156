"""The full-text index: a tantivy index beside the database, one token per character.

SQLite is the store of record; this folder can always be rebuilt from it. Every write that
changes which reports exist holds tantivy's writer lock first and SQLite's write lock second
(one order everywhere, so two processes never wait on each other), commits tantivy, then records
tantivy's opstamp and the index's id in SQLite in the same transaction as the rows. Whatever
moment a process dies at, the two either agree or their stamps differ, and the next open repairs
the difference (`repair`) with no step for the user.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from pathlib import Path  # `eduread list` opens a library without pathlib

INDEX_DIR = "index"
ID_FILE = "eduread-index-id"
TOKENIZER = "eduread_char"
# Every report's indexed text starts with this character, once: a term no query can contain,
# whose score in each report gives that report's length factor (see search.py).
SENTINEL = "\x00"
HEAP = 48_000_000
LOCK_WAIT_S = 300.0
REBUILD_CHUNK = 500


class IndexError_(Exception):
    """The index folder cannot be read; a rebuild from the database fixes it."""


class Busy(Exception):
    """Another process holds the index's writer: it is mid-write, and will leave things in step."""


def cannot_write(err: BaseException) -> bool:
    """Whether an error of the engine says this user may not write the index folder (tantivy
    takes a lock file even to read: a read-only folder or file system refuses it)."""
    text = str(err)
    return isinstance(err, PermissionError) or "Permission denied" in text or "Read-only file system" in text


def index_text(body_match_form: str) -> str:
    """What is indexed for a report: the sentinel, then its body's match form (one token per char)."""
    return SENTINEL + body_match_form


def _tantivy():
    import tantivy

    return tantivy


def _schema():
    tantivy = _tantivy()
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("num", indexed=True, fast=True)
    builder.add_text_field("body", tokenizer_name=TOKENIZER, index_option="position")
    return builder.build()


def _register(index) -> None:
    tantivy = _tantivy()
    analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"(?s).")).build()
    index.register_tokenizer(TOKENIZER, analyzer)


def stamp_on_disk(folder: str | os.PathLike[str]) -> tuple[str, int] | None:
    """(index id, opstamp of its last commit) read from the files, without loading tantivy."""
    where = os.path.join(folder, INDEX_DIR)
    try:
        with open(os.path.join(where, ID_FILE), encoding="utf-8") as file:
            index_id = file.read().strip()
        with open(os.path.join(where, "meta.json"), encoding="utf-8") as file:
            opstamp = int(json.load(file)["opstamp"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return index_id, opstamp


def stamp_in_db(conn: sqlite3.Connection) -> tuple[str, int] | None:
    """The (index id, opstamp) the database last recorded alongside its rows."""
    rows = dict(conn.execute("SELECT key, value FROM state WHERE key IN ('index_id', 'index_opstamp')"))
    if "index_id" not in rows or "index_opstamp" not in rows:
        return None
    return rows["index_id"], int(rows["index_opstamp"])


def _record(conn: sqlite3.Connection, stamp: tuple[str, int]) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO state(key, value) VALUES (?, ?)",
        [("index_id", stamp[0]), ("index_opstamp", str(stamp[1]))],
    )


def in_step(folder: str | os.PathLike[str], conn: sqlite3.Connection) -> bool:
    """Whether the index and the database recorded the same last write (cheap: two small reads).

    A library with no reports and no index is in step too.
    """
    on_disk = stamp_on_disk(folder)
    if on_disk is None and not os.path.exists(os.path.join(folder, INDEX_DIR)):
        return conn.execute("SELECT NOT EXISTS (SELECT 1 FROM reports)").fetchone()[0] == 1
    return on_disk is not None and on_disk == stamp_in_db(conn)


class TextIndex:
    """One library's tantivy index: open for reading at once, for writing under its lock."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / INDEX_DIR
        self._index = None
        self._opened_id: str | None = None

    # ---- reading ---------------------------------------------------------------------------

    def exists(self) -> bool:
        """Whether the index folder holds an index."""
        return (self.path / "meta.json").exists()

    def index(self):
        """The tantivy Index, opened once (created empty when missing)."""
        if self._index is None:
            tantivy = _tantivy()
            if self.exists():
                try:
                    self._index = tantivy.Index.open(str(self.path))
                except (ValueError, OSError) as err:
                    raise IndexError_(str(err)) from None
            else:
                self._index = _create(self.path)
            _register(self._index)
        return self._index

    def searcher(self):
        """A searcher over the last commit (of a new index, if a rebuild put one in place)."""
        try:
            current = (self.path / ID_FILE).read_text(encoding="utf-8").strip()
        except OSError:
            current = None
        if self._index is not None and current != self._opened_id:
            self._index = None  # rebuilt since: the folder now holds another index
        index = self.index()
        self._opened_id = current
        index.reload()
        return index.searcher()

    def nums(self) -> set[int]:
        """Every report number the index holds."""
        searcher = self.searcher()
        total = searcher.num_docs
        if not total:
            return set()
        tantivy = _tantivy()
        hits = searcher.search(tantivy.Query.all_query(), limit=total, count=False).hits
        return set(searcher.fast_field_values("num", [address for _score, address in hits]))

    # ---- writing ---------------------------------------------------------------------------

    @contextmanager
    def writer(self, *, wait: bool = True) -> Iterator[Writer]:
        """tantivy's writer lock, waited for (another process may be writing) or else `Busy`;
        merges finish on exit."""
        import time

        index = self.index()
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                raw = index.writer(heap_size=HEAP, num_threads=1)
                break
            except ValueError as err:
                if "LockBusy" not in str(err):
                    raise
                if not wait:
                    raise Busy() from None
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        writer = Writer(raw, self._id(), index.schema)
        try:
            yield writer
        finally:
            if writer.pending:
                raw.rollback()
            raw.wait_merging_threads()  # the engine's own merges, outside any database transaction
            readable(self.path)

    def _id(self) -> str:
        return (self.path / ID_FILE).read_text(encoding="utf-8").strip()


class Writer:
    """Adds and deletes reports; `commit` returns the stamp to record in the database."""

    def __init__(self, raw, index_id: str, schema) -> None:
        self.raw = raw
        self.index_id = index_id
        self.schema = schema
        self.pending = False

    def add(self, num: int, body_match_form: str) -> None:
        """Index one report's match form under its number."""
        tantivy = _tantivy()
        doc = tantivy.Document()
        doc.add_unsigned("num", num)
        doc.add_text("body", index_text(body_match_form))
        self.raw.add_document(doc)
        self.pending = True

    def delete(self, num: int) -> None:
        """Forget one report."""
        # by query: deleting by an unsigned term matches nothing in these bindings
        self.raw.delete_documents_by_query(_tantivy().Query.term_query(self.schema, "num", num))
        self.pending = True

    def commit(self) -> tuple[str, int]:
        """Make the changes durable; returns (index id, opstamp) as meta.json now says."""
        opstamp = self.raw.commit()
        self.pending = False
        return self.index_id, opstamp


def readable(path: Path) -> None:
    """Let whoever may read the library read its index too (tantivy writes its lists owner-only)."""
    for name in ("meta.json", ".managed.json", ID_FILE):
        try:
            os.chmod(path / name, 0o644)
        except OSError:
            pass


def _create(path: Path):
    """A new, empty index with its id file (the id is written first: an index never lacks one)."""
    import uuid

    tantivy = _tantivy()
    path.mkdir(parents=True, exist_ok=True)
    (path / ID_FILE).write_text(uuid.uuid4().hex, encoding="utf-8")
    return tantivy.Index(_schema(), path=str(path), reuse=False)


def stored_match_form(body: str, simplified: str | None) -> str:
    """A stored body's match form from its texts.simplified runs: what `match_form` gives, no OpenCC."""
    from eduread.text.matching import with_runs

    return with_runs(body, json.loads(simplified) if simplified else [])


def match_bodies(conn: sqlite3.Connection, nums: list[int]) -> Iterator[tuple[int, str]]:
    """(num, match form) of the stored bodies of these reports, read a chunk at a time."""
    for start in range(0, len(nums), REBUILD_CHUNK):
        chunk = nums[start : start + REBUILD_CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(f"SELECT num, body, simplified FROM texts WHERE num IN ({marks})", chunk)
        for num, body, simplified in rows:
            yield num, stored_match_form(body, simplified)


def rebuild(
    folder: Path, conn: sqlite3.Connection, progress: Callable[[int, int], None] | None = None
) -> int:
    """Build the index anew from the stored bodies into a fresh folder, then put it in place.

    Holds the database's write lock throughout, so the rows cannot change under it and no
    other rebuild runs; an interruption leaves the old index (or none) and stamps that differ,
    so the next open rebuilds or repairs again, first clearing what the interrupted one left.
    """
    import shutil

    target = folder / INDEX_DIR
    fresh = folder / f"{INDEX_DIR}.build-{os.getpid()}"
    conn.execute("BEGIN IMMEDIATE")
    try:
        for left in [*folder.glob(f"{INDEX_DIR}.build-*"), *folder.glob(f"{INDEX_DIR}.old-*")]:
            shutil.rmtree(left, ignore_errors=True)
        nums = [num for (num,) in conn.execute("SELECT num FROM reports ORDER BY num")]
        built = TextIndex(folder)
        built.path = fresh
        with built.writer() as writer:
            for done, (num, text) in enumerate(match_bodies(conn, nums), 1):
                writer.add(num, text)
                if progress and (done % 100 == 0 or done == len(nums)):
                    progress(done, len(nums))
            stamp = writer.commit()
        old = folder / f"{INDEX_DIR}.old-{os.getpid()}"
        if target.exists():
            target.rename(old)
        fresh.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        _record(conn, stamp)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if progress and not nums:
        progress(0, 0)
    return len(nums)


def differences(folder: Path, conn: sqlite3.Connection) -> tuple[set[int], set[int]]:
    """(reports the index lacks, numbers the index holds that the database does not)."""
    stored = {num for (num,) in conn.execute("SELECT num FROM reports")}
    held = TextIndex(folder).nums()
    return stored - held, held - stored


def patch(writer: Writer, conn: sqlite3.Connection, folder: Path) -> int:
    """Stage what the index lacks and drop what it holds beyond the database; returns how many.

    Call with the writer and the database's write lock held, before the commit.
    """
    lacking, extra = differences(folder, conn)
    for num in extra:
        writer.delete(num)
    for num, text in match_bodies(conn, sorted(lacking)):
        writer.delete(num)
        writer.add(num, text)
    return len(lacking) + len(extra)


def repair(
    folder: Path, conn: sqlite3.Connection, progress: Callable[[int, int], None] | None = None
) -> bool:
    """Bring the index in step with the database after an interrupted write; True if it changed.

    Small differences (an import killed between its two commits) are patched; a missing or
    unreadable index, or one that lacks most reports, is rebuilt. When another process holds the
    writer it is mid-write (a dead process's lock is released with it): nothing is done.
    """
    text_index = TextIndex(folder)
    try:
        if not text_index.exists():
            raise IndexError_("no index")
        total = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        if len(differences(folder, conn)[0]) > max(1000, total // 2):
            raise IndexError_("most reports missing")
        with text_index.writer(wait=False) as writer:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if in_step(folder, conn):  # another process repaired it, or finished its write
                    conn.execute("ROLLBACK")
                    return False
                patch(writer, conn, folder)
                _record(conn, writer.commit())
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return True
    except Busy:
        return False
    except (IndexError_, ValueError, OSError):
        rebuild(folder, conn, progress)
        return True


def check(folder: Path, conn: sqlite3.Connection) -> list[str]:
    """Problems between the database and the index (empty when they agree)."""
    problems = []
    if not (folder / INDEX_DIR).exists():
        if conn.execute("SELECT EXISTS (SELECT 1 FROM reports)").fetchone()[0]:
            problems.append("the search index folder is missing")
        return problems
    if not in_step(folder, conn):
        problems.append("the search index and the database recorded different last writes")
    try:
        lacking, extra = differences(folder, conn)
    except (IndexError_, ValueError, OSError) as err:
        return [*problems, f"the search index cannot be read ({err})"]
    if lacking:
        problems.append(f"{len(lacking)} reports are missing from the search index")
    if extra:
        problems.append(f"the search index holds {len(extra)} reports the library no longer has")
    return problems


def write_batch(
    writer: Writer, conn: sqlite3.Connection, adds: Iterable[tuple[int, str]], deletes: Iterable[int] = ()
) -> None:
    """Apply one batch to the index and record the commit's stamp; inside the database transaction."""
    for num in deletes:
        writer.delete(num)
    for num, text in adds:
        writer.add(num, text)
    _record(conn, writer.commit())
