"""`eduread import/list/search/remove/reindex`: the library's command-line face."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from eduread.library.store import Library, LibraryError

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
        library = Library(args.library)
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
    entries = library.entries(place=args.place, year=args.year, kind=args.kind)
    if args.json:
        _write_json([e.to_dict() for e in entries])
        return 0
    from eduread.commands.listing import lines

    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    if entries:
        sys.stdout.write("".join(line.rstrip() + "\n" for line in lines(entries, width)))
    sys.stdout.write(f"{len(entries)} reports\n")
    return 0


def _search(library: Library, args: argparse.Namespace) -> int:
    from rich.text import Text

    from eduread.library.search import Searcher
    from eduread.text.wrap import snippet_lines

    query = " ".join(args.query)
    result = Searcher(library).search(
        query, limit=args.limit, place=args.place, year=args.year, kind=args.kind
    )
    if args.json:
        _write_json(result.to_dict())
        return 0
    console = _console()
    terminal = sys.stdout.isatty()
    # Piped: whole lines, never wrapped at 80 columns; on a terminal, snippets wrapped by the
    # genre's rules (no line starts with 、，。, no figure split) under their indent.
    print_line = console.print if terminal else (lambda text: console.print(text, soft_wrap=True))
    print_line(Text(f"{result.summary()} ({result.took_ms:.1f} ms)", style="dim"))
    last = None
    for hit in result.hits:
        if hit.report != last:
            print_line(Text(f"\n{hit.title}  ", style="bold").append(Text(hit.report[:10], style="dim")))
            last = hit.report
        line = Text("  ")
        line.append(" › ".join(hit.section) or "—", style="cyan")
        line.append(f"  @{hit.start}", style="dim")
        for piece, marked in snippet_lines(
            hit.snippet, hit.mark, max(20, console.width - 4) if terminal else None
        ):
            line.append("\n    ")
            at = len(line)
            line.append(piece)
            if marked:
                line.stylize("reverse bold", at + marked[0], at + marked[1])
        print_line(line)
    return 0


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
