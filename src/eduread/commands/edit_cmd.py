"""`eduread edit`: a person corrects what the parser got wrong (place, year, kind, title) for one report."""

from __future__ import annotations

import argparse
import sys

MIN_YEAR, MAX_YEAR = 1949, 2100


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The `edit` subcommand's arguments."""
    p = sub.add_parser(
        "edit",
        help="correct a report's place, year, kind or title (kept apart from the parse)",
        description="Corrections survive re-parsing and upgrades; --clear drops them and the parse stands again.",
    )
    p.add_argument("id", metavar="ID", help="report id or a unique prefix of it")
    p.add_argument("--place", help="place as a person names it: 怀化, 南通市崇川区")
    p.add_argument("--year", type=int, help="the year of its (first) part")
    p.add_argument("--kind", choices=["summary", "plan", "other"], help="other: not a bureau's work report")
    p.add_argument("--title")
    p.add_argument("--clear", action="store_true", help="drop every correction of this report")


def run_edit(args: argparse.Namespace) -> int:
    """Store the corrections and print the report's corrected line; errors are one line, exit 2."""
    from eduread.library.store import Library, LibraryError
    from eduread.parse.model import Correction

    if args.year is not None and not MIN_YEAR <= args.year <= MAX_YEAR:
        print(f"eduread: --year {args.year}: give a year between {MIN_YEAR} and {MAX_YEAR}", file=sys.stderr)
        return 2
    correction = Correction(place=args.place, year=args.year, kind=args.kind, title=args.title)
    if correction.is_empty() and not args.clear:
        print("eduread: edit: say what to set (--place, --year, --kind, --title) or --clear", file=sys.stderr)
        return 2
    try:
        library = Library(args.library)
    except LibraryError as err:
        print(f"eduread: {err}", file=sys.stderr)
        return 2
    try:
        entry = library.entry(args.id)
        if entry is None:
            print(
                f"eduread: {args.id}: no report with that id (or the prefix is not unique)", file=sys.stderr
            )
            return 2
        if args.clear:
            library.clear_correction(entry.num)
        if not correction.is_empty():
            library.set_correction(entry.num, correction)
        report = library.report(entry.num)
    except LibraryError as err:
        print(f"eduread: {err}", file=sys.stderr)
        return 2
    finally:
        library.close()
    place = " › ".join(report.place.path) or report.place.name or "?"
    parts = ", ".join(f"{p.year or '?'} {p.label or p.kind}" for p in report.parts) or "?"
    marks = f" (corrected: {', '.join(report.corrected)})" if report.corrected else " (as parsed)"
    print(f"{report.id[:10]}  {place}  {parts}  {report.title or '(untitled)'}{marks}")
    if report.doc_class == "other":
        print(f"  other: {report.class_reason}")
    if report.review:
        print("  still to check: " + "; ".join(report.review))
    return 0
