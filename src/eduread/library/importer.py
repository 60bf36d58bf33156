"""Import many files at once: expand paths, parse, skip duplicates, store in atomic batches."""

from __future__ import annotations

import glob
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from eduread.errors import ReportError
from eduread.parse.report import REPORT_SUFFIXES, parse_text, read_text

BATCH = 200


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


def read_report(path: Path):  # -> tuple[Report, str]
    """Parse one file for import, returning the report and the decoded original text."""
    if not path.name.lower().endswith(REPORT_SUFFIXES):
        raise ReportError(str(path), "not a .txt, .text, .html or .htm file")
    original = read_text(path)
    return parse_text(original, source_name=str(path)), original


def import_paths(
    library,
    paths: list[str],
    *,
    progress: Callable[[int, int], None] | None = None,
    keywords: bool = True,
) -> ImportResult:
    """Import files into the library; each batch is one transaction, so an interrupt loses nothing stored."""
    files, failed = expand(paths)
    result = ImportResult(failed=list(failed))
    pending: list = []
    pending_ids: set[str] = set()
    done = 0

    def flush() -> None:
        if pending:
            result.nums.extend(library.add_batch(pending))
            result.imported.extend(str(item[2]) for item in pending)
            pending.clear()
            pending_ids.clear()

    for path in files:
        try:
            report, original = read_report(path)
        except ReportError as err:
            result.failed.append((err.path, err.reason))
        else:
            if report.id in pending_ids or library.has_id(report.id):
                result.duplicates += 1
            else:
                pending.append((report, original, str(path.resolve())))
                pending_ids.add(report.id)
                if len(pending) >= BATCH:
                    flush()
        done += 1
        if progress:
            progress(done, len(files))
    flush()
    library.compact()
    if keywords and result.nums:
        from eduread.library.keywords import compute_keywords

        compute_keywords(library, result.nums)
    return result
