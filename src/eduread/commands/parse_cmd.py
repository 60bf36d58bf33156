"""`eduread parse`: show what the parser makes of files, as a summary or as JSON."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from eduread.errors import ReportError, one_line
from eduread.parse import Part, Report, Section, parse_file


def part_text(part: Part) -> str:
    """One part as the summary shows it: 2019 工作总结 (summary), ? 工作总结 (summary) for no year."""
    period = {"H1": " H1", "H2": " H2"}.get(part.period or "", "")
    label = part.label or "—"
    return f"{part.year or '?'}{period} {label} ({part.kind})"


def _summary(report: Report, console: Console) -> None:
    console.print(Text(report.title or "(untitled)", style="bold"))
    place = " › ".join(report.place.path) if report.place.path else report.place.name or "?"
    if report.place.ambiguous:
        options = "; ".join(" › ".join(c) for c in report.place.candidates)
        place = f"{report.place.name} (ambiguous: {options})"
    klass = "bureau report" if report.doc_class == "report" else f"other: {report.class_reason}"
    rows = [
        ("class", klass),
        ("review", "; ".join(report.review) if report.review else "nothing to check"),
        ("place", place),
        ("issuer", report.issuer or "?"),
        ("parts", ", ".join(part_text(p) for p in report.parts) or "?"),
        ("published", report.published or "—"),
        ("signed", report.signed or "—"),
        ("id", report.id),
    ]
    for key, value in rows:
        line = Text(f"  {key:<10}", style="dim")
        line.append(value)
        console.print(line)
    tree = Tree(Text("outline", style="dim"))

    def add(node: Tree, sections: list[Section]) -> None:
        for section in sections:
            add(node.add(Text(f"{section.marker} {section.title}".strip())), section.children)

    add(tree, report.sections)
    console.print(tree)
    counts = Counter(f.kind for f in report.figures)
    line = Text("  figures   ", style="dim")
    line.append(", ".join(f"{kind} {n}" for kind, n in counts.most_common()) or "none")
    console.print(line)


def run_parse(files: list[str], *, as_json: bool) -> int:
    """Parse each file; good ones print, bad ones get one line on stderr; exit 1 if any failed."""
    console = Console(markup=False, highlight=False, emoji=False)
    results = []
    failed = 0
    for name in files:
        try:
            report = parse_file(Path(name))
            if as_json:
                data = report.to_dict()
                json.dumps(data, ensure_ascii=False)  # a figure JSON cannot hold fails here, for this file
        except ReportError as err:
            print(f"eduread: {one_line(str(err))}", file=sys.stderr)
            failed += 1
            continue
        except (RecursionError, ValueError, ArithmeticError, LookupError, TypeError, UnicodeError) as err:
            reason = f"could not be parsed ({type(err).__name__}: {str(err)[:120]})"
            print(f"eduread: {one_line(f'{name}: {reason}')}", file=sys.stderr)
            failed += 1
            continue
        if as_json:
            results.append(data)
        else:
            if results:
                console.print()
            _summary(report, console)
            results.append(None)
    if as_json and results:
        payload = results[0] if len(files) == 1 else results
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    return 1 if failed else 0
