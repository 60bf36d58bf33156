"""`eduread import/list/search/remove/reindex`: the library's command-line face."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from eduread.library.store import MIN_PREFIX, Library, LibraryError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms of every command)
if TYPE_CHECKING:
    from rich.console import Console

    from eduread.library.importer import ImportResult


def _console() -> Console:
    from rich.console import Console

    return Console(markup=False, highlight=False, emoji=False)


def _write_json(data: object) -> None:
    """JSON on stdout: indented for a person at a terminal, compact (and several times faster) for a pipe."""
    indent = 1 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent) + "\n")


def _err(message: str) -> None:
    from eduread.errors import one_line

    print(f"eduread: {one_line(message)}", file=sys.stderr)


WRITING = ("import", "remove", "reindex")


def run(args: argparse.Namespace) -> int:
    """Dispatch one library command; library errors become one line and exit 2."""
    if args.command == "check":
        return _check(args)
    return with_library(
        args,
        {
            "import": _import,
            "list": _list,
            "search": _search,
            "remove": _remove,
            "reindex": _reindex,
        },
    )


def with_library(
    args: argparse.Namespace, handlers: dict[str, Callable[[Library, argparse.Namespace], int]]
) -> int:
    """Open the library, run the command's handler, close it; errors become one line, exit 2."""
    import sqlite3

    from eduread.library.failures import explain

    try:
        library = Library(args.library, progress=_progress)
    except LibraryError as err:
        _err(str(err))
        return 2
    try:
        if args.command in WRITING:
            library.check_before_writing()
        return handlers[args.command](library, args)
    except LibraryError as err:
        _err(str(err))
        return 2
    except (sqlite3.Error, OSError) as err:
        if isinstance(err, BrokenPipeError):
            raise
        where = getattr(err, "filename", None) or library.path
        _err(f"{where}: {explain(err)}")
        return 2
    finally:
        try:
            library.close()
        except Exception:
            pass


def import_files(
    library: Library,
    paths: list[str],
    *,
    reports_only: bool = False,
    shown: Callable[[str, int], AbstractContextManager[Callable[[int, int], None]]] | None = None,
) -> ImportResult:
    """What `eduread import` does with the files (bench_library.py times this same call).

    Each report's topic shares (what `eduread topics` reads) are worked out where it is parsed;
    reports stored before without them, or by an older eduread, get theirs afterwards. `shown`
    opens a progress display for a step (its label and total), one step after the other.
    """
    from eduread.analysis.coverage import fill_missing, report_shares, store_shares, version
    from eduread.library import topic_store
    from eduread.library.importer import PARALLEL_FROM, expand, import_paths

    def step(label: str, total: int) -> AbstractContextManager[Callable[[int, int], None] | None]:
        return shown(label, total) if shown else nullcontext(None)

    files, _ = expand(paths)
    with step("importing", len(files)) as update:
        result = import_paths(
            library,
            paths,
            progress=update,
            reports_only=reports_only,
            # A few files are stored without keywords (loading jieba's tables would be most of the
            # wait); the reader finds them in the background, as for the bundled reports.
            keywords=len(files) >= PARALLEL_FROM,
            derive=report_shares,
            store_derived=store_shares(library),
        )
    missing = topic_store.missing(library.conn, version())
    if missing:
        with step("finding section topics", len(missing)) as update:
            fill_missing(library, update)
    return result


def _import(library: Library, args: argparse.Namespace) -> int:
    from rich.text import Text

    from eduread.text.names import shown_name

    console = _console()
    result = import_files(library, args.paths, reports_only=args.reports_only, shown=_progress)
    for path, reason in result.failed + result.skipped:
        _err(f"{shown_name(path)}: {reason}")
    for path, reason in result.not_reports:
        _err(f"{shown_name(path)}: skipped, not a bureau's work report: {reason}")
    for path, note in result.notes:
        _err(f"{shown_name(path)}: imported, repaired while reading: {note}")
    notes = []
    if result.others:
        notes.append(f"{len(result.others)} other documents")
    if result.review:
        notes.append(f"{len(result.review)} to review")
    summary = f"imported {len(result.imported)}" + (f" ({', '.join(notes)})" if notes else "")
    if result.not_reports:
        summary += f", not reports skipped {len(result.not_reports)}"
    summary += f", duplicates skipped {result.duplicates}, failed {len(result.failed)}"
    if result.skipped:
        summary += f", not read {len(result.skipped)} (other formats)"
    console.print(Text(summary))
    for line in grouped_reasons(result.skipped, result.failed):
        console.print(Text(line))
    return 1 if result.failed or result.skipped else 0


def grouped_reasons(skipped: list[tuple[str, str]], failed: list[tuple[str, str]]) -> list[str]:
    """The import's refusals counted by reason, formats first (\"3 files: Word 97-2003 .doc: save …\")."""
    from collections import Counter

    from eduread.text.names import shown_name

    lines = []
    for heading, items in (("not read", skipped), ("failed", failed)):
        counts = Counter(reason for _path, reason in items)
        if len(counts) == len(items):  # no reason repeats: the lines above say it all
            continue
        lines.append(f"{heading}:")
        for reason, count in counts.most_common():
            lines.append(f"  {count} file{'s' if count != 1 else ''}: {shown_name(reason)}")
    return lines


def _list(library: Library, args: argparse.Namespace) -> int:
    if args.json:
        if sys.stdout.isatty():
            _write_json(json.loads(library.listing_json(place=args.place, year=args.year, kind=args.kind)))
        else:  # compact for a pipe: SQLite's JSON text as it is
            sys.stdout.write(library.listing_json(place=args.place, year=args.year, kind=args.kind) + "\n")
        return 0
    import gc

    gc.disable()  # the rows are tuples of text, never cycles: the collector would only walk them
    try:
        tty = sys.stdout.isatty()
        raw = not tty and (sys.stdout.encoding or "").lower().replace("-", "") == "utf8"
        rows = library.listing(place=args.place, year=args.year, kind=args.kind, raw=raw)
        if rows and raw:  # whole lines for a pipe, in the stored UTF-8: each place and parts laid out once
            from eduread.commands.listing import piped_lines

            sys.stdout.flush()
            sys.stdout.buffer.write(piped_lines(rows))
        elif rows:  # fitted to the terminal, or in the encoding the pipe was given
            from eduread.commands.listing import lines, listing_cells

            width = os.get_terminal_size(sys.stdout.fileno()).columns if tty else None
            sys.stdout.write(
                "".join(line.rstrip() + "\n" for line in lines([], width, cells=listing_cells(rows)))
            )
    finally:
        gc.enable()
    sys.stdout.write(f"{len(rows)} reports\n")
    return 0


def _search(library: Library, args: argparse.Namespace) -> int:
    from eduread.library.search import Searcher, distinct_hits
    from eduread.text.wrap import snippet_lines

    query = " ".join(args.query)
    result = Searcher(library).search(
        query, limit=args.limit, place=args.place, year=args.year, kind=args.kind
    )
    if args.json:
        _write_json(result.to_dict())
        return 0
    # Plain writes, styled by a few SGR codes on a terminal: loading rich would double the
    # command's time. Report text is only ever written as text (control characters were removed
    # on import; what is left of them is dropped here). Piped: whole lines, never wrapped; on a
    # terminal, snippets wrapped by the genre's rules (no line starts with 、，。, no figure split).
    tty = sys.stdout.isatty()
    width = max(20, os.get_terminal_size(sys.stdout.fileno()).columns - 4) if tty else None

    def style(text: str, code: str) -> str:
        text = _printable(text)
        return f"\x1b[{code}m{text}\x1b[0m" if tty else text

    out = [style(f"{result.summary()} ({result.took_ms:.1f} ms)", "2")]
    last = None
    for hit in distinct_hits(result.hits):  # two hits in one sentence: one snippet
        if hit.report != last:
            name = hit.title or _untitled(hit)
            out.append("\n" + style(name or "(untitled)", "1") + "  " + style(hit.report[:10], "2"))
            last = hit.report
        section = style(" › ".join(hit.section) or "—", "36")
        lines = []
        for piece, marked in snippet_lines(hit.snippet, hit.mark, width):
            if marked:
                s, e = marked
                piece = _printable(piece[:s]) + style(piece[s:e], "1;7") + _printable(piece[e:])
            else:
                piece = _printable(piece)
            lines.append("    " + piece)
        out.append(f"  {section}{style(f'  @{hit.start}', '2')}\n" + "\n".join(lines))
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def _untitled(hit) -> str:  # hit: Hit
    """A report whose title could not be read, named by its place and parts as `eduread list` shows them."""
    from eduread.commands.listing import shown_parts

    return f"{hit.place} {shown_parts([vars(p) for p in hit.parts])}".strip()


def _printable(text: str) -> str:
    """Text with any control character left out, so nothing in a report can drive the terminal."""
    return text.translate(_CONTROLS)


_CONTROLS = dict.fromkeys([*range(0, 32), *range(127, 160)])


def _remove(library: Library, args: argparse.Namespace) -> int:
    from rich.text import Text

    removed, missing = library.remove(args.ids)
    for rid in missing:
        if len(rid) < MIN_PREFIX:
            _err(f"{rid}: give the whole id or at least its first {MIN_PREFIX} characters")
        else:
            _err(f"{rid}: no single report with this id")
    _console().print(Text(f"removed {len(removed)}"))
    return 1 if missing else 0


def _reindex(library: Library, args: argparse.Namespace) -> int:
    from rich.text import Text

    from eduread.library.reparse import reparse_stale, stale_nums

    stale = len(stale_nums(library))
    if stale:
        with _progress("re-parsing", stale) as update:
            reparse_stale(library, update)
        _console().print(Text(f"re-parsed {stale} reports with the current parser"))
    with _progress("indexing", library.count()) as update:
        count = library.reindex(update)
    _console().print(Text(f"reindexed {count} reports"))
    return 0


class _Damaged:
    """A library file too damaged for Library() to open: enough of one for the check to read it."""

    def __init__(self, folder: str | None) -> None:
        import sqlite3

        from eduread.library.store import DB_NAME
        from eduread.paths import library_dir

        self.folder = library_dir(folder)
        self.path = self.folder / DB_NAME
        self.conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)

    def close(self) -> None:
        self.conn.close()


def _check(args: argparse.Namespace) -> int:
    """`eduread check [--repair]`: 0 when the library is whole (or was repaired), 1 when it is not."""
    from eduread.library import check
    from eduread.library.store import DB_NAME
    from eduread.paths import library_dir

    path = library_dir(args.library) / DB_NAME
    if not path.is_file():
        _err(f"{path}: no library here yet (it is made by the first import or list)")
        return 2
    try:
        library: Library | _Damaged = Library(args.library, seed=False)
    except LibraryError as err:
        if check.newer_than_us(path):
            _err(str(err))
            return 2
        _err(f"{err}; checking the file as it is")
        library = _Damaged(args.library)
        opened = str(err).removeprefix(f"{path}: ")
    else:
        opened = ""
    try:
        result = check.check(library)
        if opened:
            result.rows.insert(0, opened)
        out = sys.stdout
        count = "?" if result.reports is None else f"{result.reports:,}"
        out.write(f"library: {library.path}\nreports: {count}\n")
        out.write("file: " + ("ok" if not result.damage else "DAMAGED") + "\n")
        for line in result.damage[:10]:
            out.write(f"  {line}\n")
        out.write("rows: " + ("ok" if not result.rows else "INCONSISTENT") + "\n")
        for line in result.rows:
            out.write(f"  {line}\n")
        if result.index_checked:
            out.write("index: " + ("ok" if not result.index else "DAMAGED") + "\n")
            for line in result.index[:10]:
                out.write(f"  {line}\n")
        else:
            out.write("index: index check not available\n")
        if not args.repair:
            for line in result.advice():
                out.write(f"what to do: {line}\n")
            if not result.ok:
                what = (
                    "the library is damaged"
                    if result.damage or result.rows
                    else "the search index is damaged"
                )
                _err(f"{library.path}: {what}; {result.advice()[0]}")
            return 0 if result.ok else 1
        if not (result.damage or result.rows):
            out.write(
                "nothing to repair" + (": run `eduread reindex` for the index\n" if result.index else "\n")
            )
            return 0 if result.ok else 1
        with _progress("repairing", result.reports or 0) as update:
            repaired = check.repair(library, update)
        library = None  # repair closed it
        out.write(
            f"repaired: {repaired.saved:,} reports saved into a fresh library, {repaired.lost:,} could not be"
            f" read; the damaged file is kept as {repaired.backup}\n"
        )
        if repaired.kept:
            out.write("kept: " + ", ".join(repaired.kept) + "\n")
        if repaired.lost:
            _err(f"{repaired.backup}: {repaired.lost:,} reports could not be read from the damaged file")
            return 1
        return 0
    finally:
        if library is not None:
            try:
                library.close()
            except Exception:
                pass


@contextmanager
def _progress(label: str, total: int) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on a terminal's stderr for more than a few items; a no-op elsewhere."""
    if total <= 5 or not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done, total: bar.update(task, completed=done)
