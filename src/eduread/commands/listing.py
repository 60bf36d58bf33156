"""`eduread list` as one line per report: ten thousand rows print in a fraction of a second.

A rich Table measures and wraps every cell, which takes seconds for a large library; these rows
are laid out once by display width (a Chinese character takes two cells) and cut with an ellipsis
to fit the terminal. Piped output is never cut.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from operator import itemgetter

# Characters two cells wide (East Asian Wide and Fullwidth, emoji): rich.cells' table, without rich
_WIDE = (
    (0x1100, 0x115F), (0x231A, 0x231B), (0x2329, 0x232A), (0x23E9, 0x23EC), (0x23F0, 0x23F0),
    (0x23F3, 0x23F3), (0x25FD, 0x25FE), (0x2614, 0x2615), (0x2630, 0x2637), (0x2648, 0x2653),
    (0x267F, 0x267F), (0x268A, 0x268F), (0x2693, 0x2693), (0x26A1, 0x26A1), (0x26AA, 0x26AB),
    (0x26BD, 0x26BE), (0x26C4, 0x26C5), (0x26CE, 0x26CE), (0x26D4, 0x26D4), (0x26EA, 0x26EA),
    (0x26F2, 0x26F3), (0x26F5, 0x26F5), (0x26FA, 0x26FA), (0x26FD, 0x26FD), (0x2705, 0x2705),
    (0x270A, 0x270B), (0x2728, 0x2728), (0x274C, 0x274C), (0x274E, 0x274E), (0x2753, 0x2755),
    (0x2757, 0x2757), (0x2795, 0x2797), (0x27B0, 0x27B0), (0x27BF, 0x27BF), (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50), (0x2B55, 0x2B55), (0x2E80, 0x2E99), (0x2E9B, 0x2EF3), (0x2F00, 0x2FD5),
    (0x2FF0, 0x3029), (0x3030, 0x303E), (0x3041, 0x3096), (0x309B, 0x30FF), (0x3105, 0x312F),
    (0x3131, 0x3163), (0x3165, 0x318E), (0x3190, 0x31E5), (0x31EF, 0x321E), (0x3220, 0x3247),
    (0x3250, 0xA48C), (0xA490, 0xA4C6), (0xA960, 0xA97C), (0xAC00, 0xD7A3), (0xF900, 0xFAFF),
    (0xFE10, 0xFE19), (0xFE30, 0xFE52), (0xFE54, 0xFE66), (0xFE68, 0xFE6B), (0xFF01, 0xFF60),
    (0xFFE0, 0xFFE6), (0x16FE0, 0x16FE3), (0x16FF2, 0x16FF6), (0x17000, 0x18CD5), (0x18CFF, 0x18D1E),
    (0x18D80, 0x18DF2), (0x1AFF0, 0x1AFF3), (0x1AFF5, 0x1AFFB), (0x1AFFD, 0x1AFFE), (0x1B000, 0x1B122),
    (0x1B132, 0x1B132), (0x1B150, 0x1B152), (0x1B155, 0x1B155), (0x1B164, 0x1B167), (0x1B170, 0x1B2FB),
    (0x1D300, 0x1D356), (0x1D360, 0x1D376), (0x1F004, 0x1F004), (0x1F0CF, 0x1F0CF), (0x1F18E, 0x1F18E),
    (0x1F191, 0x1F19A), (0x1F200, 0x1F202), (0x1F210, 0x1F23B), (0x1F240, 0x1F248), (0x1F250, 0x1F251),
    (0x1F260, 0x1F265), (0x1F300, 0x1F320), (0x1F32D, 0x1F335), (0x1F337, 0x1F37C), (0x1F37E, 0x1F393),
    (0x1F3A0, 0x1F3CA), (0x1F3CF, 0x1F3D3), (0x1F3E0, 0x1F3F0), (0x1F3F4, 0x1F3F4), (0x1F3F8, 0x1F3FA),
    (0x1F400, 0x1F43E), (0x1F440, 0x1F440), (0x1F442, 0x1F4FC), (0x1F4FF, 0x1F53D), (0x1F54B, 0x1F54E),
    (0x1F550, 0x1F567), (0x1F57A, 0x1F57A), (0x1F595, 0x1F596), (0x1F5A4, 0x1F5A4), (0x1F5FB, 0x1F64F),
    (0x1F680, 0x1F6C5), (0x1F6CC, 0x1F6CC), (0x1F6D0, 0x1F6D2), (0x1F6D5, 0x1F6D8), (0x1F6DC, 0x1F6DF),
    (0x1F6EB, 0x1F6EC), (0x1F6F4, 0x1F6FC), (0x1F7E0, 0x1F7EB), (0x1F7F0, 0x1F7F0), (0x1F90C, 0x1F93A),
    (0x1F93C, 0x1F945), (0x1F947, 0x1F9FF), (0x1FA70, 0x1FA7C), (0x1FA80, 0x1FA8A), (0x1FA8E, 0x1FAC6),
    (0x1FAC8, 0x1FAC8), (0x1FACD, 0x1FADC), (0x1FADF, 0x1FAEA), (0x1FAEF, 0x1FAF8), (0x20000, 0x2FFFD),
    (0x30000, 0x3FFFD),
)  # fmt: skip
# str.translate's table: a wide character becomes U+0001, any other below the last wide one U+0000
# (one beyond it raises IndexError, so translate leaves it as it is). Filled in a tenth of the
# time a regular expression of these blocks takes to compile, and as fast to apply.
_WIDTHS = bytearray(_WIDE[-1][1] + 1)
for _lo, _hi in _WIDE:
    _WIDTHS[_lo : _hi + 1] = b"\x01" * (_hi + 1 - _lo)


def cell_len(text: str) -> int:
    """Terminal cells a text takes: two for a wide (Chinese) character, one otherwise.

    Report titles and places hold no combining or zero-width characters (cleaning removes
    control characters), so this is what rich.cells would say, without loading rich.
    """
    if text.isascii():
        return len(text)
    return len(text) + text.translate(_WIDTHS).count("\x01")


# What str.rstrip removes (U+3000 above all) as the UTF-8 a title can end in: a title ending in one,
# or an empty one, is stripped the slow, exact way. `_ENDS_1` holds the last byte of a title that
# ends in an ASCII space (or b"" for an empty one); `_ENDS_3` the last three bytes of one that ends
# in a wider space, whatever comes before it (a UTF-8 lead byte is never a continuation byte, so
# these bytes end the title only when that space does).
_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_ENDS_1 = frozenset([b"", *(ch.encode() for ch in _SPACES if ch.isascii())])
_ENDS_3 = frozenset(
    [ch.encode() for ch in _SPACES if len(ch.encode()) == 3]
    + [
        head + ch.encode()
        for ch in _SPACES
        if len(ch.encode()) == 2
        for head in (b"", *map(bytes, zip(range(256))))
    ]
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
    place_of = {k: shown_place(json.loads(k)) for k in set(map(itemgetter(2), rows))}
    parts_of = {k: shown_parts(json.loads(k)) for k in set(map(itemgetter(3), rows))}
    unplaced = {k for k, v in place_of.items() if not v}  # reports with no place path: shown as named
    named = {n: n.decode() for n in {r[1] for r in rows if r[2] in unplaced}} if unplaced else {}
    shown_dates = {d: (d or "—".encode()).decode() for d in set(map(itemgetter(4), rows))}
    id_lengths = set(map(len, map(itemgetter(0), rows)))
    widths = [
        min(10, max(2, max(id_lengths))),  # ids are hexadecimal: one cell a character
        max(map(cell_len, [*place_of.values(), *named.values(), "place"])),
        max(map(cell_len, [*parts_of.values(), "parts"])),
        max(map(cell_len, [*shown_dates.values(), "published"])),
    ]
    gap = GAP.encode()

    def padded(text: str, width: int) -> bytes:
        """A cell padded to its column, with the gap after it: a row is then one join of five."""
        return (text + " " * (width - cell_len(text))).encode() + gap

    places = {k: padded(v, widths[1]) for k, v in place_of.items() if v}
    named = {k: padded(v, widths[1]) for k, v in named.items()}
    parts = {k: padded(v, widths[2]) for k, v in parts_of.items()}
    published = {k: padded(v, widths[3]) for k, v in shown_dates.items()}
    head = b"".join(padded(h, w) for h, w in zip(["id", "place", "parts", "published"], widths, strict=True))
    id_width = widths[0]
    cut = slice(None, id_width)
    if min(id_lengths) < id_width:  # only an id edited outside eduread is this short
        rows = [(rid.ljust(id_width), *rest) for rid, *rest in rows]
    out = [
        b"".join((rid[cut], gap, places.get(pj) or named[name], parts[tj], published[pub], title))
        for rid, name, pj, tj, pub, title in rows
    ]
    last, last3 = slice(-1, None), slice(-3, None)
    titles = list(map(itemgetter(5), rows))
    if not (
        _ENDS_1.isdisjoint(map(itemgetter(last), titles))
        and _ENDS_3.isdisjoint(map(itemgetter(last3), titles))
    ):
        for i, title in enumerate(titles):
            if title[last] in _ENDS_1 or title[last3] in _ENDS_3:
                out[i] = out[i].decode().rstrip().encode()  # stripped as a str line is
    return head + b"title\n" + b"\n".join(out) + b"\n"


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


MIN_TITLE = 20  # cells: ten Chinese characters of the title, whatever gives way for them
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
