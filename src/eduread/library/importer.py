"""Import many files at once: expand paths, parse, skip duplicates, store in atomic batches."""

from __future__ import annotations

import glob
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from eduread.errors import ReportError
from eduread.library.rows import Rows
from eduread.parse.model import Report
from eduread.parse.report import REPORT_SUFFIXES, parse_text
from eduread.text.document import Document
from eduread.text.matching import match_form
from eduread.text.names import shown_name
from eduread.text.read import UnsupportedFormat, read_document

BATCH = 200
PARALLEL_FROM = 16  # fewer files are not worth starting workers for
WINDOW = 400
CHUNK = 8


@dataclass
class ImportResult:
    """What an import did, for the closing summary."""

    imported: list[str] = field(default_factory=list)
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    nums: list[int] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # formats eduread does not read
    notes: list[tuple[str, str]] = field(default_factory=list)  # repairs made while reading a stored file
    not_reports: list[tuple[str, str]] = field(default_factory=list)  # not a bureau report (--reports-only)
    others: list[tuple[str, str]] = field(default_factory=list)  # imported as `other`, with the reason
    review: list[tuple[str, list[str]]] = field(default_factory=list)  # imported, something unsettled


# Document formats a folder may hold that eduread names and skips (a person would expect them read);
# anything else in a folder (a saved page's .css/.js, hidden files) is passed over in silence.
NAMED_SUFFIXES = (
    ".doc", ".docm", ".wps", ".wpt", ".dot", ".ofd", ".mht", ".mhtml", ".rtf", ".odt", ".xls", ".xlsx",
    ".et", ".csv", ".ppt", ".pptx", ".dps", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff",
    ".webp", ".zip", ".rar", ".7z", ".gz", ".caj", ".kdh", ".nh", ".xps", ".epub",
)  # fmt: skip


def _wanted(name: str) -> bool:
    lower = name.lower()
    return not name.startswith(".") and lower.endswith(REPORT_SUFFIXES + NAMED_SUFFIXES)


def _walk(root: Path, files: list[Path], failed: list[tuple[str, str]]) -> None:
    """Files under a folder, following linked folders once each; a link back up is named, not followed."""
    seen: set[tuple[int, int]] = set()

    def on_error(err: OSError) -> None:
        failed.append((shown_name(err.filename or root), f"cannot read the folder ({err.strerror or err})"))

    for folder, dirs, names in os.walk(root, followlinks=True, onerror=on_error):
        try:
            info = os.stat(folder)
        except OSError:
            dirs[:] = []
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen:
            failed.append(
                (shown_name(folder), "symbolic link loop: this folder leads back to one already read")
            )
            dirs[:] = []
            continue
        seen.add(key)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not d.endswith(("_files", ".files")))
        for name in sorted(names):
            if _wanted(name):
                files.append(Path(folder) / name)


def expand(paths: list[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files named by paths, folders (recursive) and globs; unknown paths come back as failures."""
    files: list[Path] = []
    failed: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            _walk(path, files, failed)
        elif os.path.lexists(path):
            files.append(path)  # named on the command line: read whatever it is, or say why not
        elif any(ch in raw for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(os.path.expanduser(raw), recursive=True))
            found = [m for m in matches if not m.is_dir() and _wanted(m.name)]
            if not found:
                failed.append((shown_name(raw), "no report files match this pattern"))
            files.extend(found)
        else:
            failed.append((shown_name(raw), "no such file or folder"))
    seen: set[str] = set()
    unique = []
    for file in files:
        key = os.path.realpath(file)  # never raises on a link loop, unlike Path.resolve
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return unique, failed


def read_document_report(path: Path) -> tuple[Report, Document]:
    """Read and parse one file for import: the report and the Document it was read from."""
    document = read_document(path)
    return parse_text(document.text, source_name=shown_name(path), title_hints=document.title_hints), document


def read_report(path: Path) -> tuple[Report, str]:
    """Parse one file for import, returning the report and the text it was read as."""
    report, document = read_document_report(path)
    return report, document.text


def stored_source(path: Path) -> str:
    """The absolute path kept with a report: any bytes of the name survive as \\xNN escapes."""
    return os.fsencode(os.path.realpath(path)).decode("utf-8", "backslashreplace")


@dataclass
class Prepared:
    """Everything one file needs before it is stored, computed away from the database."""

    source: str
    rows: Rows | None = None
    index: str | None = None  # the body's match form, what the search index holds
    words: dict[str, int] | None = None
    error: str = ""
    skipped: bool = False  # a format eduread does not read (named, with what to do)
    notes: list[str] = field(default_factory=list)
    shown: str = ""  # the file's name as given, escaped for printing
    derived: object = None  # what the import's `derive` hook made of the report (analysis layers above)


Derive = Callable[[Report], object]


def prepare(path: Path, keywords: bool, derive: Derive | None = None) -> Prepared:
    """Read, parse, fold for the index and (with keywords) count jieba's words of one file; never
    raises for a bad file."""
    try:
        report, document = read_document_report(path)
    except UnsupportedFormat as err:
        return Prepared(err.path, error=err.reason, skipped=True)
    except ReportError as err:
        return Prepared(err.path, error=err.reason)
    except (
        RecursionError,
        MemoryError,
        ValueError,
        ArithmeticError,
        LookupError,
        TypeError,
        UnicodeError,
    ) as err:
        # A parser bug on one strange file must not stop the files beside it (in a worker it
        # would end the whole import): that file is refused in one line, the rest go on.
        return Prepared(
            shown_name(path), error=f"could not be parsed ({type(err).__name__}: {str(err)[:120]})"
        )
    words = None
    if keywords:
        from eduread.text.segment import word_counts

        words = word_counts(report.body)
    source = stored_source(path)
    rows = Rows.of(report, document.text, source, document.title_hints)
    prepared = Prepared(source, rows, match_form(report.body), words)
    prepared.notes = list(document.notes)
    prepared.shown = shown_name(path)
    if derive is not None:
        prepared.derived = derive(report)
    return prepared


def prepare_many(paths: list[Path], keywords: bool, derive: Derive | None = None) -> list[Prepared]:
    """`prepare` of a few files: one task of a worker, so the pipe carries fewer, larger messages."""
    return [prepare(path, keywords, derive) for path in paths]


PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Worker start-up: end this worker when the importer ends, even by kill -9.

    A worker otherwise waits forever on the pipe its dead parent held. On Linux the kernel sends
    SIGKILL when the parent dies (prctl); elsewhere a thread polls the parent's pid.
    """
    import signal

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the prctl took effect
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _prepared(
    files: list[Path], keywords: bool, workers: int | None, derive: Derive | None = None
) -> Iterator[Prepared]:
    """Prepared files in order: in worker processes for a large import, here for a small one.

    Parsing and segmentation are independent per file and take most of an import; the database
    writes stay in this process, one transaction per batch.
    """
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count <= 1 or len(files) < PARALLEL_FROM:
        for path in files:
            yield prepare(path, keywords, derive)
        return
    if keywords:
        from eduread.text.segment import load

        load()  # once here: forked workers share the loaded dictionary
    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    with ProcessPoolExecutor(
        max_workers=count, mp_context=context, initializer=die_with_parent, initargs=(os.getpid(),)
    ) as pool:
        try:
            # CHUNK files a task, at most WINDOW files asked for and not yet taken: memory stays
            # bounded, and the workers go on while this process writes a batch (a new task is
            # asked for as each is taken, not a window at a time once the last is written).
            chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
            asked = deque(pool.submit(prepare_many, c, keywords, derive) for c in chunks[: WINDOW // CHUNK])
            following = iter(chunks[WINDOW // CHUNK :])
            while asked:
                done = asked.popleft().result()
                chunk = next(following, None)
                if chunk is not None:
                    asked.append(pool.submit(prepare_many, chunk, keywords, derive))
                yield from done
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def import_paths(
    library,
    paths: list[str],
    *,
    progress: Callable[[int, int], None] | None = None,
    keywords: bool = True,
    workers: int | None = None,
    reports_only: bool = False,
    derive: Derive | None = None,
    store_derived: Callable[[list[tuple[int, object]]], None] | None = None,
) -> ImportResult:
    """Import files into the library; each batch is one transaction, so an interrupt loses nothing stored.

    With `reports_only`, documents that are not a bureau's own work report are skipped (and named
    with the reason) instead of being kept as `other`. `derive` runs on each parsed report where it
    was parsed (a worker), and `store_derived` gets (number, result) of each stored batch, so work
    the layers above need of every report is done in parallel with the parse.
    """
    files, failed = expand(paths)
    result = ImportResult(failed=list(failed))
    pending: list[Prepared] = []
    pending_ids: set[str] = set()

    def flush() -> None:
        if pending:
            nums = library.add_batch([p.rows for p in pending], extras=[(p.index, p.words) for p in pending])
            for item, num in zip(pending, nums, strict=True):
                if num is None:  # stored meanwhile by another import
                    result.duplicates += 1
                    continue
                result.nums.append(num)
                result.imported.append(item.source)
                if item.rows.doc_class == "other":
                    result.others.append((item.source, item.rows.class_reason))
                elif item.rows.review:
                    result.review.append((item.source, list(item.rows.review)))
            if store_derived is not None:
                store_derived([(n, i.derived) for i, n in zip(pending, nums, strict=True) if n is not None])
            pending.clear()
            pending_ids.clear()

    for done, item in enumerate(_prepared(files, keywords, workers, derive), 1):
        if item.rows is None:
            (result.skipped if item.skipped else result.failed).append((item.source, item.error))
        elif reports_only and item.rows.doc_class == "other":
            result.not_reports.append((item.shown or item.source, item.rows.class_reason))
        elif item.rows.id in pending_ids or library.has_id(item.rows.id):
            result.duplicates += 1
        else:
            pending.append(item)
            pending_ids.add(item.rows.id)
            if item.notes:
                result.notes.append((item.shown or shown_name(item.source), "; ".join(item.notes)))
            if len(pending) >= BATCH:
                flush()
        if progress:
            progress(done, len(files))
    flush()
    return result
