"""`eduread import/list/search/remove/reindex`: the library's command-line face."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from eduread.library.store import Library, LibraryError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms of every command)
if TYPE_CHECKING:
    from rich.console import Console


def _console() -> Console:
    from rich.console import Console

    return Console(markup=False, highlight=False, emoji=False)


def _write_json(data: object) -> None:
    """JSON on stdout: indented for a person at a terminal, compact (and several times faster) for a pipe."""
    indent = 1 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent) + "\n")


def _err(message: str) -> None:
    print(f"eduread: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Dispatch one library command; library errors become one line and exit 2."""
    try:
        library = Library(args.library, progress=_progress)
    except LibraryError as err:
        _err(str(err))
        return 2
    try:
        handler = {
            "import": _import,
            "list": _list,
            "search": _search,
            "remove": _remove,
            "reindex": _reindex,
        }[args.command]
        return handler(library, args)
    except LibraryError as err:
        _err(str(err))
        return 2
    finally:
        library.close()


def _import(library: Library, args: argparse.Namespace) -> int:
    from rich.text import Text

    from eduread.library.importer import expand, import_paths

    files, _ = expand(args.paths)
    console = _console()
    with _progress("importing", len(files)) as update:
        result = import_paths(library, args.paths, progress=update)
    for path, reason in result.failed:
        _err(f"{path}: {reason}")
    summary = Text(
        f"imported {len(result.imported)}, duplicates skipped {result.duplicates}, failed {len(result.failed)}"
    )
    console.print(summary)
    return 1 if result.failed else 0


def _list(library: Library, args: argparse.Namespace) -> int:
    if args.json:
        if sys.stdout.isatty():
            _write_json(json.loads(library.listing_json(place=args.place, year=args.year, kind=args.kind)))
        else:  # compact for a pipe: SQLite's JSON text as it is
            sys.stdout.write(library.listing_json(place=args.place, year=args.year, kind=args.kind) + "\n")
        return 0
    from eduread.commands.listing import lines, listing_cells

    rows = library.listing(place=args.place, year=args.year, kind=args.kind)
    width = os.get_terminal_size(sys.stdout.fileno()).columns if sys.stdout.isatty() else None
    if rows:
        sys.stdout.write(
            "".join(line.rstrip() + "\n" for line in lines([], width, cells=listing_cells(rows)))
        )
    sys.stdout.write(f"{len(rows)} reports\n")
    return 0


def _search(library: Library, args: argparse.Namespace) -> int:
    from eduread.library.search import Searcher

    query = " ".join(args.query)
    result = Searcher(library).search(
        query, limit=args.limit, place=args.place, year=args.year, kind=args.kind
    )
    if args.json:
        _write_json(result.to_dict())
        return 0
    # Plain writes, styled by a few SGR codes on a terminal: loading rich would double the
    # command's time. Report text is only ever written as text (control characters were removed
    # on import; what is left of them is dropped here).
    tty = sys.stdout.isatty()

    def style(text: str, code: str) -> str:
        text = _printable(text)
        return f"\x1b[{code}m{text}\x1b[0m" if tty else text

    out = [style(f"{result.summary()} ({result.took_ms:.1f} ms)", "2")]
    last = None
    for hit in result.hits:
        if hit.report != last:
            out.append("\n" + style(hit.title, "1") + "  " + style(hit.report[:10], "2"))
            last = hit.report
        s, e = hit.mark
        marked = _printable(hit.snippet[:s]) + style(hit.snippet[s:e], "1;7") + _printable(hit.snippet[e:])
        section = style(" › ".join(hit.section) or "—", "36")
        out.append(f"  {section}{style(f'  @{hit.start}', '2')}\n    {marked}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def _printable(text: str) -> str:
    """Text with any control character left out, so nothing in a report can drive the terminal."""
    return text.translate(_CONTROLS)


_CONTROLS = dict.fromkeys([*range(0, 32), *range(127, 160)])


def _remove(library: Library, args: argparse.Namespace) -> int:
    from rich.text import Text

    removed, missing = library.remove(args.ids)
    for rid in missing:
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
