"""The `eduread` command: subcommands for scripts, and the reader when none is given."""

from __future__ import annotations

import sys
from collections.abc import Sequence

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a few ms of every command)
if TYPE_CHECKING:
    import argparse

ACROSS = ("figures", "trend", "topics", "notes", "cite")
COMMANDS = ("parse", "import", "list", "search", "compare", "edit", "remove", "reindex", "check", *ACROSS)
YEARS = (1900, 2200)


def _year(text: str) -> int:
    """--year: a calendar year, so a typo is refused here rather than deep in a query."""
    import argparse

    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year: {_shown(text)!r}") from None
    if not YEARS[0] <= year <= YEARS[1]:
        raise argparse.ArgumentTypeError(f"not a year: {_shown(text)} (give one like 2020)")
    return year


def _limit(text: str) -> int:
    """--limit: a positive count of hits."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {_shown(text)!r}") from None
    if not 1 <= value <= 100_000:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is out of range (1 to 100000)")
    return value


def _shown(text: str) -> str:
    """An argument as it can be printed: bytes that were not UTF-8 become \\xff escapes."""
    return _words(text)[:60]


def _words(text: str) -> str:
    """A typed word as valid text: a byte that is not UTF-8 (a surrogate in argv) becomes U+FFFD.

    Queries, places and ids are compared with stored text, which never holds such bytes.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


class _Skipped:
    """A subcommand's parser that is not being run: its arguments are not built (argparse's
    parsers cost half a millisecond each, and `eduread search` is timed against ripgrep)."""

    def add_argument(self, *args, **kwargs) -> _Skipped:
        return self

    def add_mutually_exclusive_group(self, *args, **kwargs) -> _Skipped:
        return self


class _OnlySub:
    """Subparsers that build just the one command typed; all of them for help or a mistyped name."""

    def __init__(self, sub, only: str | None) -> None:
        self.sub = sub
        self.only = only

    def add_parser(self, name: str, **kwargs):
        if self.only is not None and name != self.only:
            return _Skipped()
        return self.sub.add_parser(name, **kwargs)


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `only`, just that command's arguments are built."""
    import argparse  # only for subcommands: opening the reader does not pay for it

    # Python ships no translations of argparse's messages, so gettext's search for one (a locale
    # import and file lookups for each message) changes nothing but the time: a tenth of a
    # short command such as `eduread search`. The messages are used as they are written.
    argparse._ = str
    argparse.ngettext = lambda singular, plural, n: singular if n == 1 else plural

    class OneLineParser(argparse.ArgumentParser):
        """Usage mistakes as one line naming the command's --help, like every other error; help
        laid out to the terminal's width, found without argparse's import of shutil."""

        def __init__(self, *args, **kwargs) -> None:
            kwargs.setdefault("formatter_class", _formatter)
            super().__init__(*args, **kwargs)

        def error(self, message: str) -> None:  # type: ignore[override]
            from eduread.errors import one_line

            self.exit(2, f"eduread: {one_line(message)} (see `{self.prog} --help`)\n")

    parser = OneLineParser(
        prog="eduread",
        description="Read, compare and search Chinese education bureaus' work reports.",
        epilog="With no command, `eduread [PATH]` opens the reader (importing PATH first if it is new).",
    )
    parser.add_argument(
        "--library", metavar="DIR", help="library folder (default: $EDUREAD_HOME or the user data dir)"
    )
    # prog given: argparse would otherwise lay out a help formatter (and import shutil) to find it
    sub = _OnlySub(
        parser.add_subparsers(dest="command", metavar="COMMAND", prog="eduread", parser_class=OneLineParser),
        only,
    )

    p = sub.add_parser("parse", help="parse report files and print what was found")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="one JSON object per file (a list for several)")

    p = sub.add_parser("import", help="import files, folders or globs into the library")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--reports-only",
        action="store_true",
        help="skip documents that are not a bureau's own work report (news, a school's plan …) instead of keeping them as 'other'",
    )

    p = sub.add_parser("list", help="list the reports in the library")
    p.add_argument("--json", action="store_true")
    p.add_argument("--place", type=_words, help="place name or part of it (怀化, 南通)")
    p.add_argument("--year", type=_year)
    p.add_argument("--kind", choices=["summary", "plan"])

    p = sub.add_parser("search", help="find text in every report")
    p.add_argument("query", nargs="+", type=_words)
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=_limit, default=20)
    p.add_argument("--place", type=_words)
    p.add_argument("--year", type=_year)
    p.add_argument("--kind", choices=["summary", "plan"])

    p = sub.add_parser(
        "compare",
        help="two reports side by side, aligned by topic",
        description="A and B are ids, files or 'place year [计划|总结]': eduread compare 怀化 2019 崇川 2019",
    )
    p.add_argument("sides", nargs="+", metavar="A B")
    form = p.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true")
    form.add_argument("--markdown", action="store_true")

    if only in (None, "edit"):
        from eduread.commands.edit_cmd import add_parser as add_edit

        add_edit(sub)

    p = sub.add_parser("remove", help="remove reports from the library by id")
    p.add_argument("ids", nargs="+", metavar="ID", type=_words)

    sub.add_parser("reindex", help="rebuild the search index from the stored texts")

    p = sub.add_parser(
        "check",
        help="check the library for damage and say what to do",
        description="Runs SQLite's integrity check, checks every report has its text and parse, and"
        " checks the search index.",
    )
    p.add_argument(
        "--repair",
        action="store_true",
        help="copy every readable report into a fresh library; the damaged file is kept as a backup",
    )

    _across_parsers(sub)
    return parser


def _outputs(p, *, xlsx: bool = True) -> None:
    """--json, --csv FILE, --xlsx FILE and --force, shared by the cross-report commands."""
    form = p.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="JSON on stdout")
    form.add_argument("--csv", metavar="FILE", help="write a CSV file (UTF-8 with BOM, opens in Excel)")
    if xlsx:
        form.add_argument("--xlsx", metavar="FILE", help="write an Excel workbook")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    return form


def _across_parsers(sub) -> None:
    p = sub.add_parser("figures", help="figures across reports: one measure by place and year")
    p.add_argument(
        "--what", metavar="W", help="what is counted (新增学位 also finds 新增学位数, 建改扩建项目新增学位)"
    )
    p.add_argument("--kind", choices=["count", "money", "percent", "change", "rank", "ratio"])
    p.add_argument("--place", metavar="P")
    p.add_argument("--year", metavar="Y", type=_year)
    _outputs(p)

    p = sub.add_parser("trend", help="how often terms occur by year, place, province or kind")
    p.add_argument("terms", nargs="+", metavar="TERM")
    p.add_argument("--by", choices=["year", "place", "province", "kind"], default="year")
    _outputs(p)

    p = sub.add_parser("topics", help="share of text each place (or year) gives each topic")
    p.add_argument("--place", metavar="P")
    p.add_argument("--year", metavar="Y", type=_year)
    p.add_argument("--by", choices=["place", "year"], default="place")
    _outputs(p)

    p = sub.add_parser("notes", help="your notes and codes across the library")
    p.add_argument("--code", metavar="C")
    p.add_argument("--place", metavar="P")
    p.add_argument("--year", metavar="Y", type=_year)
    form = _outputs(p)
    form.add_argument(
        "--markdown", action="store_true", help="Markdown: each passage quoted with its citation"
    )

    p = sub.add_parser("cite", help="a report's citation, or a section or note quoted with it")
    p.add_argument("id", metavar="ID", nargs="?", help="a report id (or a unique prefix)")
    p.add_argument(
        "--note",
        metavar="N",
        type=int,
        help="a note's passage, citation and text (ids as `eduread notes` lists them)",
    )
    p.add_argument(
        "--section", metavar="N", type=int, help="the Nth section of the outline (1 = the first heading)"
    )


def _formatter(prog: str):
    """argparse's formatter at the terminal's width (80 columns when there is no terminal)."""
    import argparse
    import os

    try:
        width = os.get_terminal_size(sys.stdout.fileno()).columns - 2
    except (OSError, ValueError):
        width = 78
    return argparse.HelpFormatter(prog, width=max(20, width))


def _take_library(args: list[str]) -> tuple[str | None, list[str]]:
    """`--library DIR` (or `--library=DIR`) wherever it stands, before or after the subcommand."""
    library = None
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg == "--library" and i + 1 < len(args):
            library = args[i + 1]
            i += 2
            continue
        if arg.startswith("--library="):
            library = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        i += 1
    return library, rest


# Read-only commands whose process ends with its output: the console script leaves them without
# the interpreter's teardown (freeing every module and row), a seventh of `eduread search`.
QUICK_EXIT = ("search", "list")


def entry() -> None:
    """The console script (and `python -m eduread`): main(), then the process's end."""
    code = main()
    _, args = _take_library(sys.argv[1:])
    command = next((a for a in args if not a.startswith("-")), None)
    if command in QUICK_EXIT:
        import os

        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:  # closed by the caller (>&-)
                    stream.flush()
        except BrokenPipeError:  # a reader that stopped early (| head) wants nothing more
            pass
        except OSError:
            sys.exit(code)  # let Python report what it can
        os._exit(code)  # the library is closed and the output written: nothing is left to do
    sys.exit(code)


def _mistyped_command(word: str) -> bool:
    """A bare word that names no file, as `eduread review` or `eduread serach`: surely not a report."""
    import os

    return word.isascii() and word.isalpha() and not os.path.lexists(word)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a character gets an escape
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    args_list = list(sys.argv[1:] if argv is None else argv)
    library, args_list = _take_library(args_list)
    first = next((a for a in args_list if not a.startswith("-")), None)
    if first not in COMMANDS and not any(a in ("-h", "--help") for a in args_list):
        path = args_list[0] if args_list else None
        if path is not None and _mistyped_command(path):
            print(
                f"eduread: {_shown(path)}: no such command or file (commands: {', '.join(COMMANDS)})",
                file=sys.stderr,
            )
            return 2
        from eduread.tui.launch import launch

        return launch(path, library)
    if library:
        args_list = ["--library", library, *args_list]
    wants_help = any(a in ("-h", "--help") for a in args_list)
    args = _parser(None if wants_help else first).parse_args(args_list)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("eduread: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except MemoryError:
        print("eduread: out of memory", file=sys.stderr)
        return 70
    except Exception as err:  # the last line of defence: one line, never a traceback
        import os

        if os.environ.get("EDUREAD_DEBUG"):
            raise
        from eduread.errors import one_line
        from eduread.library.failures import explain

        where = getattr(err, "filename", None) or args.command
        print(f"eduread: {one_line(f'{where}: {explain(err)}')}", file=sys.stderr)
        import sqlite3

        return 2 if isinstance(err, sqlite3.Error | OSError) else 70


def _run(args: argparse.Namespace) -> int:
    """The command itself; errors it can name are handled where they happen."""
    if args.command == "parse":
        from eduread.commands.parse_cmd import run_parse

        return run_parse(args.files, as_json=args.json)
    if args.command == "edit":
        from eduread.commands.edit_cmd import run_edit

        return run_edit(args)
    if args.command == "compare":
        from eduread.commands.compare_cmd import run_compare

        return run_compare(args.library, args.sides, as_json=args.json, markdown=args.markdown)
    if args.command in ACROSS:
        from eduread.commands import across_cmds

        return across_cmds.run(args)
    from eduread.commands import library_cmds

    return library_cmds.run(args)
