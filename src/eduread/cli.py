"""The `eduread` command: subcommands for scripts, and the reader when none is given."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

COMMANDS = ("parse", "import", "list", "search", "compare", "remove", "reindex")


def _parser() -> argparse.ArgumentParser:
    import argparse  # only for subcommands: opening the reader does not pay for it

    parser = argparse.ArgumentParser(
        prog="eduread",
        description="Read, compare and search Chinese education bureaus' work reports.",
        epilog="With no command, `eduread [PATH]` opens the reader (importing PATH first if it is new).",
    )
    parser.add_argument(
        "--library", metavar="DIR", help="library folder (default: $EDUREAD_HOME or the user data dir)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("parse", help="parse report files and print what was found")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="one JSON object per file (a list for several)")

    p = sub.add_parser("import", help="import files, folders or globs into the library")
    p.add_argument("paths", nargs="+", metavar="PATH")

    p = sub.add_parser("list", help="list the reports in the library")
    p.add_argument("--json", action="store_true")
    p.add_argument("--place", help="place name or part of it (怀化, 南通)")
    p.add_argument("--year", type=int)
    p.add_argument("--kind", choices=["summary", "plan"])

    p = sub.add_parser("search", help="find text in every report")
    p.add_argument("query", nargs="+")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--place")
    p.add_argument("--year", type=int)
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

    p = sub.add_parser("remove", help="remove reports from the library by id")
    p.add_argument("ids", nargs="+", metavar="ID")

    sub.add_parser("reindex", help="rebuild the search index from the stored texts")

    return parser


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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    library, args_list = _take_library(args_list)
    first = next((a for a in args_list if not a.startswith("-")), None)
    if first not in COMMANDS and not any(a in ("-h", "--help") for a in args_list):
        from eduread.tui.launch import launch

        path = args_list[0] if args_list else None
        return launch(path, library)
    if library:
        args_list = ["--library", library, *args_list]
    args = _parser().parse_args(args_list)
    try:
        if args.command == "parse":
            from eduread.commands.parse_cmd import run_parse

            return run_parse(args.files, as_json=args.json)
        if args.command == "compare":
            from eduread.commands.compare_cmd import run_compare

            return run_compare(args.library, args.sides, as_json=args.json, markdown=args.markdown)
        from eduread.commands import library_cmds

        return library_cmds.run(args)
    except KeyboardInterrupt:
        print("eduread: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
