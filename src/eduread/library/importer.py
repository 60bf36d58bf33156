"""Import many files at once: expand paths, parse, skip duplicates, store in atomic batches."""

from __future__ import annotations

import glob
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from eduread.errors import ReportError
from eduread.library.rows import Rows
from eduread.parse.model import Report
from eduread.parse.report import REPORT_SUFFIXES, parse_text, read_text
from eduread.text.matching import match_form

BATCH = 200
PARALLEL_FROM = 16  # fewer files are not worth starting workers for
WINDOW = 400


@dataclass
class ImportResult:
    """What an import did, for the closing summary."""

    imported: list[str] = field(default_factory=list)
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    nums: list[int] = field(default_factory=list)


def expand(paths: list[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files named by paths, folders (recursive) and globs; unknown paths come back as failures."""
    files: list[Path] = []
    failed: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            for root, _dirs, names in os.walk(path):
                for name in sorted(names):
                    if name.lower().endswith(REPORT_SUFFIXES):
                        files.append(Path(root) / name)
        elif path.exists():
            files.append(path)
        elif any(ch in raw for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(os.path.expanduser(raw), recursive=True))
            found = [m for m in matches if m.is_file() and m.name.lower().endswith(REPORT_SUFFIXES)]
            if not found:
                failed.append((raw, "no report files match this pattern"))
            files.extend(found)
        else:
            failed.append((raw, "no such file or folder"))
    seen: set[Path] = set()
    unique = []
    for file in files:
        key = file.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return unique, failed


def read_report(path: Path) -> tuple[Report, str]:
    """Parse one file for import, returning the report and the decoded original text."""
    if not path.name.lower().endswith(REPORT_SUFFIXES):
        raise ReportError(str(path), "not a .txt, .text, .html or .htm file")
    original = read_text(path)
    return parse_text(original, source_name=str(path)), original


@dataclass
class Prepared:
    """Everything one file needs before it is stored, computed away from the database."""

    source: str
    rows: Rows | None = None
    index: str | None = None  # the body's match form, what the search index holds
    words: dict[str, int] | None = None
    error: str = ""


def prepare(path: Path, keywords: bool) -> Prepared:
    """Read, parse, fold for the index and (with keywords) count jieba's words of one file."""
    try:
        report, original = read_report(path)
    except ReportError as err:
        return Prepared(err.path, error=err.reason)
    words = None
    if keywords:
        from eduread.text.segment import word_counts

        words = word_counts(report.body)
    source = str(path.resolve())
    return Prepared(source, Rows.of(report, original, source), match_form(report.body), words)


def _prepared(files: list[Path], keywords: bool, workers: int | None) -> Iterator[Prepared]:
    """Prepared files in order: in worker processes for a large import, here for a small one.

    Parsing and segmentation are independent per file and take most of an import; the database
    writes stay in this process, one transaction per batch.
    """
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count <= 1 or len(files) < PARALLEL_FROM:
        for path in files:
            yield prepare(path, keywords)
        return
    if keywords:
        from eduread.text.segment import load

        load()  # once here: forked workers share the loaded dictionary
    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        try:
            for start in range(0, len(files), WINDOW):  # a window at a time bounds memory
                window = files[start : start + WINDOW]
                yield from pool.map(prepare, window, [keywords] * len(window), chunksize=8)
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
) -> ImportResult:
    """Import files into the library; each batch is one transaction, so an interrupt loses nothing stored."""
    files, failed = expand(paths)
    result = ImportResult(failed=list(failed))
    pending: list[Prepared] = []
    pending_ids: set[str] = set()

    def flush() -> None:
        if pending:
            result.nums.extend(
                library.add_batch([p.rows for p in pending], extras=[(p.index, p.words) for p in pending])
            )
            result.imported.extend(p.source for p in pending)
            pending.clear()
            pending_ids.clear()

    for done, item in enumerate(_prepared(files, keywords, workers), 1):
        if item.rows is None:
            result.failed.append((item.source, item.error))
        elif item.rows.id in pending_ids or library.has_id(item.rows.id):
            result.duplicates += 1
        else:
            pending.append(item)
            pending_ids.add(item.rows.id)
            if len(pending) >= BATCH:
                flush()
        if progress:
            progress(done, len(files))
    flush()
    return result
