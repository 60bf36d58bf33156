"""Where each part of a report of several parts lies in its body, so a trend by year or kind counts
its 2019 总结 in 2019 and its 2020 计划 in 2020, not the whole report in both.

A part begins at the first top-level heading that names its year (and its kind's word when several
do); its text runs to the next part's beginning. The opening before the first part belongs to the
first. A report whose parts cannot all be found so is left whole, under each of its keys.
"""

from __future__ import annotations

import json
import re
import sqlite3

from eduread.parse.parts import opening_headings

Span = tuple[str, str, int, int]  # (year, kind, start, end): the part's keys and its stretch of the body


def key_of(span: Span, by: str) -> str:
    """The key a part counts under when grouping `by` year or kind."""
    return span[0] if by == "year" else span[1]


_MANY = "SELECT num FROM parts GROUP BY num HAVING count(DISTINCT year) > 1 OR count(DISTINCT kind) > 1"
# a top-level entry of a stored outline ([start, end, level, "heading"], level 1), read without
# decoding the rest of it (however the JSON is spaced)
_TOP = re.compile(r'\[\s*(\d+)\s*,\s*\d+\s*,\s*1\s*,\s*"((?:[^"\\]|\\.)*)"\s*\]')


def top_headings(outline: str) -> list[tuple[int, str]]:
    """(start, heading) of each top-level entry of a stored outline (parses.outline), in order:
    what json.loads would give for its level-1 entries, in a fraction of the time."""
    return [
        (int(start), json.loads(f'"{title}"') if "\\" in title else title)
        for start, title in _TOP.findall(outline)
    ]


def part_spans(conn: sqlite3.Connection) -> dict[int, list[Span]]:
    """Report number → its parts' spans, for every report with parts of more than one year or kind."""
    parts: dict[int, list[tuple[str, str, str]]] = {}
    for num, year, kind, label in conn.execute(
        f"SELECT num, year, kind, label FROM parts WHERE num IN ({_MANY}) ORDER BY num, rowid"
    ):
        parts.setdefault(num, []).append((str(year), kind, label))
    out: dict[int, list[Span]] = {}
    nums = list(parts)
    for i in range(0, len(nums), 900):
        chunk = nums[i : i + 900]
        rows = conn.execute(
            "SELECT p.num, p.outline, r.body_len FROM parses p JOIN reports r USING (num)"
            f" WHERE p.num IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        for num, outline, length in rows:
            spans = _spans(parts[num], top_headings(outline), length)
            if spans:
                out[num] = spans
    return out


def _spans(parts: list[tuple[str, str, str]], tops: list[tuple[int, str]], length: int) -> list[Span] | None:
    starts = []
    titles = [title for _start, title in tops]
    for year, kind, label in parts:
        opening = opening_headings(titles, year, kind, label)
        if not opening:
            return None
        starts.append(tops[opening[0]][0])
    if len(set(starts)) != len(starts):
        return None
    order = sorted(range(len(parts)), key=lambda i: starts[i])
    bounds = [0, *(starts[i] for i in order[1:]), length]
    return [(parts[i][0], parts[i][1], bounds[k], bounds[k + 1]) for k, i in enumerate(order)]
