"""`eduread list` as one line per report: ten thousand rows print in a fraction of a second.

A rich Table measures and wraps every cell, which takes seconds for a large library; these rows
are laid out once by display width (a Chinese character takes two cells) and cut with an ellipsis
to fit the terminal. Piped output is never cut.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

# East Asian Wide and Fullwidth blocks (what rich.cells counts as two cells for this text)
_NARROW = re.compile(
    "[^\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]+"
)


def cell_len(text: str) -> int:
    """Terminal cells a text takes: two for a wide (Chinese) character, one otherwise.

    Report titles and places hold no combining or zero-width characters (cleaning removes
    control characters), so this is what rich.cells would say, without loading rich.
    """
    if text.isascii():
        return len(text)
    return len(text) + len(_NARROW.sub("", text))  # what is left are the wide characters


# Whitespace beyond ASCII a title could end in (U+3000 above all), as UTF-8.
_WIDE_SPACES = tuple(
    ch.encode()
    for ch in "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
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


def shown_place(path: list[str]) -> str:
    """The place column for a place path (empty when the path is: the place's name stands in)."""
    return " › ".join(path[-PLACE_LEVELS:])


def shown_parts(parts: list[dict] | str) -> str:
    """The parts column for a report's stored parts: 2019工作总结, 2020工作计划; for a document that
    is not a bureau's report (Library.listing gives its class, "other", in place of its parts),
    what it is."""
    if isinstance(parts, str):
        return f"({parts} document)"
    return ", ".join(f"{p['year'] or '?'}{p['label']}" for p in parts)


def row_cells(entry) -> list[str]:  # entry: Entry
    """The columns of one report: id, place, parts, published, title."""
    place = shown_place(entry.place_path) or entry.place_name
    parts = shown_parts(entry.doc_class if entry.doc_class == "other" else entry.part_dicts)
    return [entry.id[:10], place, parts, entry.published or "—", entry.title]


def piped_lines(rows: list[tuple]) -> bytes:
    """`lines(…, width=None)` of Library.listing rows (raw: UTF-8 bytes), header first, as UTF-8.

    Places, parts and dates repeat across a library: each distinct one is read from JSON,
    measured and padded once, so a row costs a few dictionary lookups and one join of bytes.
    """
    place_of: dict[bytes, str] = {}
    parts_of: dict[bytes, str] = {}
    unplaced: set[bytes] = set()  # place names of reports with no place path: shown as named
    for _rid, place_name, place_json, parts_json, _published, _title in rows:
        if place_json not in place_of:
            place_of[place_json] = shown_place(json.loads(place_json))
        if not place_of[place_json]:
            unplaced.add(place_name)
        if parts_json not in parts_of:
            parts_of[parts_json] = shown_parts(json.loads(parts_json))
    dates = {(r[4] or "—".encode()).decode() for r in rows}
    names = {name: name.decode() for name in unplaced}
    widths = [
        min(10, max(2, max(len(r[0]) for r in rows))),  # ids are hexadecimal: one cell a character
        max(map(cell_len, [*place_of.values(), *names.values(), "place"])),
        max(map(cell_len, [*parts_of.values(), "parts"])),
        max(map(cell_len, [*dates, "published"])),
    ]

    def padded(text: str, width: int) -> bytes:
        return (text + " " * (width - cell_len(text))).encode()

    places = {k: padded(v, widths[1]) for k, v in place_of.items() if v}
    places.update({("", k): padded(v, widths[1]) for k, v in names.items()})
    parts = {k: padded(v, widths[2]) for k, v in parts_of.items()}
    published = {d.encode(): padded(d, widths[3]) for d in dates}
    published[None] = padded("—", widths[3])
    gap = GAP.encode()
    head = GAP.join(
        [(padded(h, w)).decode() for h, w in zip(["id", "place", "parts", "published"], widths, strict=True)]
    )
    out = [(head + GAP + "title").encode()]
    id_width = widths[0]
    for rid, name, pj, tj, pub, title in rows:
        line = gap.join(
            (rid[:10].ljust(id_width), places.get(pj) or places[("", name)], parts[tj], published[pub], title)
        )
        # stripped as the terminal's str lines are: bytes.rstrip knows only ASCII spaces
        out.append(line.decode().rstrip().encode() if line.endswith(_WIDE_SPACES) else line.rstrip())
    return b"\n".join(out) + b"\n"


def listing_cells(rows: Iterable[tuple]) -> Iterator[list[str]]:
    """`row_cells` of Library.listing rows: each distinct place or parts JSON is read once."""
    places: dict[str, str] = {}
    parts: dict[str, str] = {}
    for rid, place_name, place_json, parts_json, published, title in rows:
        place = places.get(place_json)
        if place is None:
            place = places[place_json] = shown_place(json.loads(place_json))
        shown = parts.get(parts_json)
        if shown is None:
            shown = parts[parts_json] = shown_parts(json.loads(parts_json))
        yield [rid[:10], place or place_name, shown, published or "—", title]


MIN_TITLE = 12
SHRINK = ((2, 12), (1, 8), (3, 0))  # (column, narrowest): parts first, then place, then published


def lines(entries: Iterable, width: int | None, *, cells: Iterable[list[str]] | None = None) -> Iterator[str]:
    """Header and rows, columns as wide as their widest cell; with a width, each line fits it.

    When the terminal is narrow, parts give way first, then place, then the date, so the title
    keeps at least a few words. `cells` may give the rows' cells ready made (listing_cells).
    """
    header = ["id", "place", "parts", "published", "title"]
    rows = [header, *(cells if cells is not None else (row_cells(e) for e in entries))]
    known: dict[str, int] = {}  # places, parts and dates repeat: measure each once

    def measure(text: str) -> int:
        size = known.get(text)
        if size is None:
            size = known[text] = cell_len(text)
        return size

    columns = [set(column) for column in zip(*(row[:-1] for row in rows), strict=True)]
    widths = [max(map(measure, column)) for column in columns]
    if width is None:  # each distinct cell padded once; ten thousand lines are then joins
        padded = [
            {c: c + " " * (w - measure(c)) for c in column} for column, w in zip(columns, widths, strict=True)
        ]
        p0, p1, p2, p3 = padded
        for r in rows:
            yield GAP.join((p0[r[0]], p1[r[1]], p2[r[2]], p3[r[3]], r[4]))
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
