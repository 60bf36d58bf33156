"""Reading the figures table: figures of many reports by what they count, kind, place and year."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from eduread.library.figure_rows import write_report_figures

BATCH = 100


@dataclass
class FigureRecord:
    """One figure of one report with where it stands: a row of `eduread figures`."""

    num: int
    report: str
    title: str
    place: str
    place_path: list[str]
    published: str | None
    year: int | None
    part_kind: str | None
    section: str
    text: str
    value: float | None
    unit: str
    kind: str
    what: str
    bound: str | None
    approx: str | None
    sentence: str
    start: int
    end: int

    @property
    def province(self) -> str:
        """The first step of the place path (湖南省)."""
        return self.place_path[0] if self.place_path else ""

    @property
    def role(self) -> str:
        """'target' for a plan's figure, 'outcome' for a summary's, '' when the part is unknown."""
        return {"plan": "target", "summary": "outcome"}.get(self.part_kind or "", "")


def missing(conn) -> list[int]:
    """Reports whose figures are not in the table yet (a library from before it existed)."""
    return [
        r[0] for r in conn.execute("SELECT num FROM reports WHERE num NOT IN (SELECT num FROM figures_done)")
    ]


def fill_missing(
    library, progress: Callable[[int, int], None] | None = None, only: list[int] | None = None
) -> int:
    """Put the figures of reports stored before the table existed into it, a batch per transaction
    (of `only` those reports, when given)."""
    nums = missing(library.conn)
    if only is not None:
        nums = [n for n in nums if n in set(only)]
    for i in range(0, len(nums), BATCH):
        chunk = nums[i : i + BATCH]
        reports = [(num, library.report(num)) for num in chunk]
        with library.transaction() as conn:
            for num, report in reports:
                write_report_figures(conn, num, report)
        if progress:
            progress(i + len(chunk), len(nums))
    return len(nums)


def keys(conn) -> list[str]:
    """Every distinct `what` key the figures table has seen."""
    return [r[0] for r in conn.execute("SELECT key FROM figure_keys")]


def records(
    conn,
    *,
    what_keys: list[str] | None = None,
    kind: str | None = None,
    place: str | None = None,
    year: int | None = None,
    nums: list[int] | None = None,
) -> list[FigureRecord]:
    """Figure rows joined with their report's listing, in place, year and text order."""
    where, args = [], []
    if what_keys is not None:
        if not what_keys:
            return []
        where.append(f"f.what_key IN ({','.join('?' * len(what_keys))})")
        args += what_keys
    if nums is not None:
        if not nums:
            return []
        where.append(f"f.num IN ({','.join('?' * len(nums))})")
        args += nums
    if kind:
        where.append("f.kind = ?")
        args.append(kind)
    if place:
        from eduread.library.store import place_condition

        condition, place_args = place_condition(place, "r")
        where.append(condition)
        args += place_args
    if year is not None:
        where.append("(f.year = ? OR (f.year IS NULL AND f.num IN (SELECT num FROM parts WHERE year = ?)))")
        args += [year, year]
    sql = (
        "SELECT f.num, r.id, r.title, r.place_name, r.place_path, r.published, f.year, f.part_kind,"
        " f.section, f.text, f.value, f.unit, f.kind, f.what, f.bound, f.approx,"
        " substr(t.body, f.sentence_start + 1, f.sentence_end - f.sentence_start), f.start, f.end,"
        " r.parts FROM figures f JOIN reports r USING (num) JOIN texts t USING (num)"
    )
    where.append("r.doc_class = 'report'")  # a news item's or a 决算's figures are not a bureau's
    sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY r.place_path, f.year, f.part_kind DESC, r.published, f.num, f.start"  # outcomes first
    out = []
    for row in conn.execute(sql, args):
        year_of = row[6]
        if year_of is None:  # one known year for the report: the figure's too
            years = {p["year"] for p in json.loads(row[19]) if p.get("year") is not None}
            year_of = years.pop() if len(years) == 1 else None
        out.append(
            FigureRecord(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], year_of, *row[7:19])
        )
    return out
