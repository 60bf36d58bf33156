"""`eduread list` as one line per report: ten thousand rows print in a fraction of a second.

A rich Table measures and wraps every cell, which takes seconds for a large library; these rows
are laid out once by display width (a Chinese character takes two cells) and cut with an ellipsis
to fit the terminal. Piped output is never cut.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.cells import cell_len

PLACE_LEVELS = 2  # the city and county levels say where; the province is one more click away
GAP = "  "


def fit(text: str, width: int) -> str:
    """Text cut to at most `width` cells, an ellipsis marking the cut."""
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(text: str, width: int) -> str:
    """Text padded with spaces to `width` cells."""
    return text + " " * max(0, width - cell_len(text))


def row_cells(entry) -> list[str]:  # entry: Entry
    """The columns of one report: id, place, parts, published, title."""
    place = " › ".join(entry.place_path[-PLACE_LEVELS:]) or entry.place_name
    parts = ", ".join(f"{'' if p.year is None else p.year}{p.label}" for p in entry.parts)
    return [entry.id[:10], place, parts, entry.published or "—", entry.title]


MIN_TITLE = 12
SHRINK = ((2, 12), (1, 8), (3, 0))  # (column, narrowest): parts first, then place, then published


def lines(entries: Iterable, width: int | None) -> Iterator[str]:
    """Header and rows, columns as wide as their widest cell; with a width, each line fits it.

    When the terminal is narrow, parts give way first, then place, then the date, so the title
    keeps at least a few words.
    """
    header = ["id", "place", "parts", "published", "title"]
    rows = [header, *(row_cells(e) for e in entries)]
    widths = [max(cell_len(r[i]) for r in rows) for i in range(len(header) - 1)]
    if width is None:
        for cells in rows:
            yield GAP.join([*(pad(c, w) for c, w in zip(cells, widths, strict=False)), cells[-1]])
        return
    widths[1], widths[2] = min(widths[1], 24), min(widths[2], 26)
    for column, narrowest in SHRINK:
        over = sum(widths) + len(GAP) * len(widths) + MIN_TITLE - width
        if over > 0:
            widths[column] = max(narrowest, widths[column] - over)
    shown = [i for i, w in enumerate(widths) if w > 0]
    title_width = max(1, width - sum(widths) - len(GAP) * len(shown))
    for cells in rows:
        if cell_len(cells[1]) > widths[1]:  # the place itself rather than the start of its region
            cells = [cells[0], cells[1].split(" › ")[-1], *cells[2:]]
        fitted = [pad(fit(cells[i], widths[i]), widths[i]) for i in shown]
        yield GAP.join([*fitted, fit(cells[-1], title_width)])
