"""`eduread compare A B`: two reports aligned by topic, as text, JSON or Markdown."""

from __future__ import annotations

import json
import sqlite3
import sys

from rich.console import Console
from rich.text import Text

from eduread.analysis.compare import Comparison, compare, heading
from eduread.errors import ReportError, one_line
from eduread.library.failures import explain
from eduread.library.selectors import SelectorError, resolve_pair
from eduread.library.store import Library, LibraryError


def run_compare(library_folder: str | None, words: list[str], *, as_json: bool, markdown: bool) -> int:
    """Resolve the two sides, compare them and print; a bad selector is one line and exit 1."""
    try:
        library = Library(library_folder)
    except LibraryError as err:
        print(f"eduread: {one_line(str(err))}", file=sys.stderr)
        return 2
    try:
        left, right = resolve_pair(library, words)
    except (SelectorError, ReportError, LibraryError) as err:
        print(f"eduread: compare: {one_line(str(err))}", file=sys.stderr)
        return 1
    except sqlite3.Error as err:
        print(f"eduread: {one_line(f'{library.path}: {explain(err)}')}", file=sys.stderr)
        return 2
    finally:
        library.close()
    result = compare(left.report, right.report, left.part, right.part)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n")
    elif markdown:
        sys.stdout.write(to_markdown(result))
    else:
        _print_text(result, Console(markup=False, highlight=False, emoji=False))
    return 0


def _print_text(result: Comparison, console: Console) -> None:
    title = Text(result.left.label, style="bold")
    title.append("  ⇄  ")
    title.append(result.right.label, style="bold")
    if result.plan_vs_outcome:
        title.append("   plan vs outcome", style="reverse")
    console.print(title)
    paired = sum(1 for r in result.rows if r.paired)
    console.print(Text(f"{len(result.rows)} topics, {paired} on both sides", style="dim"))
    left_name, right_name = result.column_names()
    for row in result.rows:
        console.print()
        console.print(Text(row.name, style="bold underline" if row.paired else "bold dim"))
        for mark, sections in (("L", row.left), ("R", row.right)):
            if not sections:
                console.print(Text(f"  {mark} —  (no section on this topic)", style="dim"))
            for section in sections:
                console.print(Text(f"  {mark} {heading(section)}"))
        for pair in row.figures:
            line = Text(f"    {pair.label}: {left_name} ")
            line.append(pair.left.text, style="bold")
            line.append(f"  {right_name} ")
            line.append(pair.right.text, style="bold")
            line.append(f"  ({pair.difference})", style="dim")
            if pair.met is not None:
                line.append("  met" if pair.met else "  not met", style="green" if pair.met else "red")
            console.print(line)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(result: Comparison) -> str:
    """A Markdown document: one table of topic rows, then one table of paired figures."""
    left_name, right_name = result.column_names()
    lines = [f"# {_cell(result.left.label)} ⇄ {_cell(result.right.label)}", ""]
    if result.plan_vs_outcome:
        lines += ["*plan vs outcome*", ""]
    lines += [
        f"| topic | {_cell(result.left.label)} | {_cell(result.right.label)} |",
        "| --- | --- | --- |",
    ]
    for row in result.rows:
        left = "<br>".join(_cell(heading(s)) for s in row.left) or "—"
        right = "<br>".join(_cell(heading(s)) for s in row.right) or "—"
        lines.append(f"| {_cell(row.name)} | {left} | {right} |")
    pairs = [(row, p) for row in result.rows for p in row.figures]
    if pairs:
        lines += [
            "",
            f"| topic | measure | {left_name} | {right_name} | difference |",
            "| --- | --- | --- | --- | --- |",
        ]
        for row, p in pairs:
            met = "" if p.met is None else (" ✓" if p.met else " ✗")
            lines.append(
                f"| {_cell(row.name)} | {_cell(p.label)} | {_cell(p.left.text)} | {_cell(p.right.text)} | {p.difference}{met} |"
            )
    return "\n".join(lines) + "\n"
