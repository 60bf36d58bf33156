"""Wrap Chinese text by display cells, obeying line-start/line-end rules and keeping figures whole.

Both faces use it: the reader for report bodies, the search dialog and `eduread search` on a
terminal for snippets, so no line anywhere starts with 、，。 or splits 4.07万个.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache

NO_START = set("，。、；：？！）》」』”’】〕…—,.;:?!)]}%")
NO_END = set("（《「『“‘【〔([{")
_ALNUM = set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.%")
# A figure as it reads in running text: digits, a magnitude and a measure word (4.07万个, 1.2亿元).
FIGURE = re.compile(
    r"[0-9][0-9.,，]*[0-9]?(?:[万亿千百]+)?(?:平方米|万元|[个所名人元亩间台套项次家座张本册位户%]|余|多)?"
)


@lru_cache(maxsize=4096)
def cell_width(ch: str) -> int:
    """Terminal cells one character takes: 2 for wide (CJK) forms, 0 for combining marks."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cells(text: str) -> int:
    """Terminal cells a string takes."""
    return sum(cell_width(c) for c in text)


def _ok_break(text: str, i: int, start: int, blocked: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether a line may end just before text[i]."""
    if i <= start or i >= len(text):
        return True
    if text[i] in NO_START or text[i - 1] in NO_END:
        return False
    if text[i] in " \u3000":  # spaces then 。 (2. 加强党的组织建设    。): the mark stays on this line
        j = i
        while j < len(text) and text[j] in " \u3000":
            j += 1
        if j < len(text) and text[j] in NO_START:
            return False
    if text[i] in _ALNUM and text[i - 1] in _ALNUM:
        return False
    k = bisect_left(starts, i) - 1
    return not (k >= 0 and blocked[k][0] < i < blocked[k][1])


def wrap_paragraph(
    text: str, start: int, end: int, width: int, blocked: list[tuple[int, int]], starts: list[int]
) -> list[tuple[int, int]]:
    """Line spans (start, end) for text[start:end] at `width` cells."""
    lines: list[tuple[int, int]] = []
    width = max(2, width)
    line_start = start
    used = 0
    i = start
    while i < end:
        size = cell_width(text[i])
        if used + size > width and i > line_start:
            brk = i
            while brk > line_start and not _ok_break(text, brk, line_start, blocked, starts):
                brk -= 1
            if brk <= line_start:
                brk = i  # nothing legal fits: break hard rather than overflow the width
            lines.append((line_start, brk))
            line_start = brk
            used = cells(text[brk:i])
            continue
        used += size
        i += 1
    lines.append((line_start, end))
    return lines


def wrap_body(
    body: str, width: int, unbreakable: list[tuple[int, int]], breaks_before: set[int] | None = None
) -> list[tuple[int, int]]:
    """Display lines for a whole body; blank (-1, -1) entries separate paragraphs."""
    blocked = sorted(s for s in unbreakable if s[1] - s[0] > 1)
    starts = [s for s, _ in blocked]
    cuts = sorted({0, len(body)} | (breaks_before or set()))
    paragraphs: list[tuple[int, int]] = []
    pos = 0
    for piece in body.split("\n"):
        p_start, p_end = pos, pos + len(piece)
        pos = p_end + 1
        inner = cuts[bisect_right(cuts, p_start) : bisect_left(cuts, p_end)]
        edges = [p_start, *inner, p_end]
        for a, b in zip(edges, edges[1:], strict=False):
            while a < b and body[a] == " ":
                a += 1
            if a < b:
                paragraphs.append((a, b))
    lines: list[tuple[int, int]] = []
    for index, (a, b) in enumerate(paragraphs):
        lines.extend(wrap_paragraph(body, a, b, width, blocked, starts))
        if index + 1 < len(paragraphs):
            lines.append((-1, -1))
    return lines


def wrap_text(text: str, width: int, keep: tuple[int, int] | None = None) -> list[str]:
    """A short text (a snippet) as lines of at most `width` cells, figures found by pattern (and the
    `keep` span, a search hit) kept whole."""
    blocked = [m.span() for m in FIGURE.finditer(text) if m.end() - m.start() > 1]
    if keep is not None and keep[1] - keep[0] > 1:
        blocked = sorted([*(b for b in blocked if b[1] <= keep[0] or b[0] >= keep[1]), keep])
    starts = [s for s, _ in blocked]
    return [text[a:b] for a, b in wrap_paragraph(text, 0, len(text), width, blocked, starts)]


def snippet_lines(
    snippet: str, mark: tuple[int, int], width: int | None
) -> list[tuple[str, tuple[int, int] | None]]:
    """A search snippet as lines (one when width is None), each with the part of the mark it holds.

    Punctuation the cut left at the snippet's start (，。、) is dropped: no line starts with it.
    """
    s, e = mark
    lead = 0
    while lead < min(s, len(snippet)) and snippet[lead] in NO_START:
        lead += 1
    text, s, e = snippet[lead:], s - lead, e - lead
    pieces = [text] if width is None else wrap_text(text, width, (max(0, s), e))
    out: list[tuple[str, tuple[int, int] | None]] = []
    pos = 0
    for piece in pieces:
        a, b = pos, pos + len(piece)
        out.append((piece, (max(0, s - a), min(e, b) - a) if s < b and e > a else None))
        pos = b
    return out
