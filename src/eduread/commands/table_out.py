"""Tables on the terminal, laid out by display width, and the --json/--csv/--xlsx outputs the
cross-report commands share."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Sequence

from eduread.analysis.exports import ExportError, write_table

GAP = "  "


def _safe(value: object) -> str:
    """A cell as one line of plain text: report text is data, so control characters go."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = f"{value:g}" if abs(value) < 1e15 else f"{value:.0f}"
    text = str(value).replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return "".join(ch for ch in text if ch >= " " and ch != "\x7f")


def print_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    wide: int | None = None,
    keep: Sequence[int] = (),
) -> None:
    """Columns as wide as their widest cell; on a terminal the column `wide` (default the last)
    takes what is left and is cut to fit, and the columns in `keep` (a figure itself) are never
    cut; piped lines are whole."""
    from rich.cells import cell_len  # only for a table: --json and exports do without

    from eduread.commands.listing import fit, pad

    cells = [[_safe(c) for c in columns], *([_safe(v) for v in row] for row in rows)]
    if not rows:
        return
    last = len(columns) - 1 if wide is None else wide
    widths = [max(cell_len(r[i]) for r in cells) for i in range(len(columns))]
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    if width is not None:
        for i in range(len(widths)):
            if i != last and i not in keep:
                widths[i] = min(widths[i], 30)
        # a row is one line: the widest of the other columns gives up a cell at a time until the
        # wide one has 8 left (each column keeps 4, a cut cell ending in "…")
        room = width - len(GAP) * (len(widths) - 1) - 8
        others = [i for i in range(len(widths)) if i != last]
        yielding = [i for i in others if i not in keep]
        while sum(widths[i] for i in others) > room and yielding:
            widest = max(yielding, key=lambda i: widths[i])
            if widths[widest] <= 4:
                break
            widths[widest] -= 1
        rest = width - sum(widths[i] for i in others) - len(GAP) * (len(widths) - 1)
        widths[last] = max(8, min(widths[last], rest))
    out = []
    for row in cells:
        parts = []
        for i, text in enumerate(row):
            shown = fit(text, widths[i]) if width is not None else text
            parts.append(shown if i == len(row) - 1 else pad(shown, widths[i]))
        out.append(GAP.join(parts).rstrip() + "\n")
    sys.stdout.write("".join(out))


def write_json(data: object) -> None:
    """JSON on stdout: indented at a terminal, compact for a pipe."""
    indent = 1 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent) + "\n")


def export(args, columns: Sequence[str], rows: Sequence[Sequence[object]], sheet: str) -> int | None:
    """Write --csv/--xlsx FILE when asked; returns the exit status then, None when nothing was asked."""
    for fmt in ("csv", "xlsx"):
        path = getattr(args, fmt, None)
        if path:
            try:
                target = write_table(
                    path, columns, rows, fmt=fmt, force=getattr(args, "force", False), sheet=sheet
                )
            except ExportError as err:
                print(f"eduread: {err}", file=sys.stderr)
                return 2
            print(f"wrote {len(rows)} rows to {target}", file=sys.stderr)
            return 0
    return None
