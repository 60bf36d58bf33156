"""`eduread figures/trend/topics/notes/cite`: questions across the library, answered on the command line."""

from __future__ import annotations

import argparse
import sys

from eduread.library.store import Library


def _err(message: str) -> None:
    print(f"eduread: {message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Dispatch one cross-report command; library errors become one line and exit 2."""
    from eduread.commands.library_cmds import with_library

    return with_library(
        args, {"figures": _figures, "trend": _trend, "topics": _topics, "notes": _notes, "cite": _cite}
    )


def _progress(label: str):
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\r{label}: {done:,}/{total:,}", end=end, file=sys.stderr, flush=True)

    return show


def _figures(library: Library, args: argparse.Namespace) -> int:
    from eduread.analysis.figures_across import COLUMNS, find_figures, table_rows
    from eduread.commands.table_out import export, print_table, write_json

    records = find_figures(
        library,
        what=args.what,
        kind=args.kind,
        place=args.place,
        year=args.year,
        progress=_progress("listing figures of older reports"),
    )
    rows = table_rows(records)
    done = export(args, COLUMNS, rows, "figures")
    if done is not None:
        return done
    if args.json:
        write_json([dict(zip(COLUMNS, row, strict=True)) for row in rows])
        return 0
    shown = ["report", "place", "year", "part", "text", "what", "section", "sentence"]
    index = [COLUMNS.index(c) for c in shown]
    print_table(
        shown,
        [[str(row[0])[:10], *(row[i] for i in index[1:])] for row in rows],
        wide=len(shown) - 1,
        keep=[shown.index("year"), shown.index("text")],  # the figure is what the row is for
    )
    reports = len({r.num for r in records})
    print(f"{len(rows)} figures in {reports} report{'' if reports == 1 else 's'}")
    return 0


def _trend(library: Library, args: argparse.Namespace) -> int:
    from eduread.analysis.trends import COLUMNS, trend
    from eduread.commands.table_out import export, print_table, write_json

    terms = [t for t in (t.strip() for t in args.terms) if t]
    if not terms:
        _err("give at least one term")
        return 2
    rows = trend(library, terms, args.by)
    cells = [r.cells() for r in rows]
    done = export(args, COLUMNS, cells, "trend")
    if done is not None:
        return done
    if args.json:
        write_json([dict(zip(COLUMNS, c, strict=True)) for c in cells])
        return 0
    columns = ["term", args.by, "reports", "occurrences", "characters", "per 10k chars"]
    print_table(
        columns,
        [
            [r.term, r.key, f"{r.reports}/{r.reports_total}", r.occurrences, r.characters, f"{r.per_10k:.2f}"]
            for r in rows
        ],
    )
    return 0


def _topics(library: Library, args: argparse.Namespace) -> int:
    from eduread.analysis.coverage import matrix, short_names
    from eduread.commands.table_out import export, print_table, write_json

    result = matrix(
        library, by=args.by, place=args.place, year=args.year, progress=_progress("finding section topics")
    )
    columns, rows = result.table()
    done = export(args, columns, rows, "topics")
    if done is not None:
        return done
    if args.json:
        write_json(
            {
                "by": result.by,
                "topics": result.topics,
                "rows": [dict(zip(columns, row, strict=True)) for row in rows],
            }
        )
        return 0
    short = short_names()
    print_table(
        [args.by, "n", *(short.get(t, t) for t in result.topics)],
        [[row[0], row[1], *(f"{v:.0f}" if v else "·" for v in row[2:])] for row in rows],
        wide=0,
    )
    print("% of each report's text its sections give a topic (mean over the reports of a row)")
    return 0


def _notes(library: Library, args: argparse.Namespace) -> int:
    from eduread.analysis.notes_out import COLUMNS, markdown, table_rows
    from eduread.commands.table_out import export, print_table, write_json
    from eduread.library import notes

    found = notes.notes(library.conn, code=args.code, place=args.place, year=args.year)
    rows = table_rows(library, found)
    done = export(args, COLUMNS, rows, "notes")
    if done is not None:
        return done
    if args.json:
        write_json([dict(zip(COLUMNS, row, strict=True)) for row in rows])
        return 0
    if args.markdown:
        sys.stdout.write(markdown(library, found))
        return 0
    print_table(
        ["id", "place", "years", "codes", "note", "passage"],
        [
            [
                n.id,
                n.place,
                "/".join(map(str, n.years)),
                ", ".join(n.codes),
                n.text,
                row[COLUMNS.index("passage")],
            ]
            for n, row in zip(found, rows, strict=True)
        ],
    )
    print(f"{len(found)} notes")
    return 0


def _cite(library: Library, args: argparse.Namespace) -> int:
    from eduread.analysis.citation import citation, quoted, section_passage
    from eduread.library import notes

    if args.note is not None:
        note = notes.note(library.conn, args.note)
        if note is None:
            _err(f"note {args.note}: no such note (`eduread notes` lists them)")
            return 2
        print(quoted(library.report(note.num), note.start, note.end, note.text))
        return 0
    if args.id is None:
        _err("give a report id, or --note N")
        return 2
    entry = library.entry(args.id)
    if entry is None:
        _err(f"{args.id}: no single report with this id")
        return 2
    report = library.report(entry.num)
    if args.section is None:
        print(citation(report))
        return 0
    try:
        section = section_passage(report, args.section)
    except IndexError as err:
        _err(f"{args.id}: {err}")
        return 2
    print(quoted(report, section.start, section.end))
    return 0
