"""Topic coverage: how much of its text each place (or year) gives each topic, from the compare topics."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from eduread.analysis.topics import classify, taxonomy, topic_names, units
from eduread.library import topic_store
from eduread.library.groups import key_sql, key_totals, keys_of, nums_with_key
from eduread.parse.model import PARSER_VERSION, Report

OTHER = "other"
BATCH = 100


@lru_cache(maxsize=1)
def version() -> str:
    """The topic list and parser the stored shares depend on: a change to either recomputes them."""
    raw = resources.files("eduread.analysis").joinpath("data/topics.json").read_bytes()
    return f"{PARSER_VERSION}:{hashlib.sha1(raw).hexdigest()[:12]}"


def names() -> dict[str, str]:
    """Topic id → Chinese name, with 其他 for sections no topic claims."""
    return {**topic_names(), OTHER: "其他"}


@lru_cache(maxsize=1)
def short_names() -> dict[str, str]:
    """Topic id → a two-to-four character name that fits a matrix column (党建, 学位供给)."""
    import json

    raw = resources.files("eduread.analysis").joinpath("data/topics.json").read_text(encoding="utf-8")
    found = {t["id"]: t.get("short") or t["name"][:4] for t in json.loads(raw)["topics"]}
    return {**found, OTHER: "其他"}


def report_shares(report: Report) -> list[tuple[str, int, float, list]]:
    """(topic, characters, share of the body, [[start, end, heading]]) for each topic the report's
    sections speak of; text outside any section (title, page lines) belongs to no topic."""
    total = len(report.body) or 1
    by_topic: dict[str, list] = {}
    for section, topic in units(report.sections, classify(report)):
        by_topic.setdefault(topic or OTHER, []).append(
            [section.start, section.end, f"{section.marker}{section.title}"]
        )
    out = []
    for topic, spans in by_topic.items():
        chars = sum(e - s for s, e, _ in spans)
        out.append((topic, chars, chars / total, spans))
    return out


PARALLEL_FROM = 400  # fewer reports are not worth starting workers for


def _shares_of(folder: str, nums: list[int]) -> list[tuple[int, list]]:
    """A worker's part: the shares of some reports, read through its own connection."""
    from eduread.library.store import Library

    library = Library(folder, seed=False)
    try:
        return [(num, report_shares(library.report(num))) for num in nums]
    finally:
        library.close()


def store_shares(library) -> Callable[[list[tuple[int, object]]], None]:
    """An import's hook: write the shares its workers worked out for a stored batch, in one transaction."""
    current = version()

    def store(items: list[tuple[int, object]]) -> None:
        shares = [(num, data) for num, data in items if data is not None]
        if shares:
            with library.transaction() as conn:
                topic_store.write(conn, shares, current)  # type: ignore[arg-type]

    return store


def fill_missing(library, progress: Callable[[int, int], None] | None = None) -> int:
    """Work out the shares of reports that have none for this topic list, a batch per transaction
    (reading and classifying in worker processes when there are many, as an import does)."""
    nums = topic_store.missing(library.conn, version())
    chunks = [nums[i : i + BATCH] for i in range(0, len(nums), BATCH)]
    done = 0

    def store(items: list[tuple[int, list]]) -> None:
        nonlocal done
        with library.transaction() as conn:
            topic_store.write(conn, items, version())
        done += len(items)
        if progress:
            progress(done, len(nums))

    workers = os.cpu_count() or 1
    if len(nums) < PARALLEL_FROM or workers <= 1:
        for chunk in chunks:
            store([(num, report_shares(library.report(num))) for num in chunk])
        return len(nums)
    import multiprocessing
    import sys
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    folder = str(library.folder)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for items in pool.map(_shares_of, [folder] * len(chunks), chunks):
            store(items)
    return len(nums)


@dataclass
class Matrix:
    """Rows (places or years) × topics: the mean share of a report's text given to each topic."""

    by: str
    rows: list[str]
    topics: list[str]
    cells: dict[tuple[str, str], float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # row → how many reports
    allowed: set[int] | None = None  # the reports a place/year filter admitted (None: all)
    year: int | None = None

    def share(self, row: str, topic: str) -> float:
        """Mean share (0–1) of a row's reports' text that their sections give a topic."""
        return self.cells.get((row, topic), 0.0)

    def table(self) -> tuple[list[str], list[list[object]]]:
        """Columns and rows for an export: key, reports, then one percentage per topic."""
        labels = names()
        columns = [self.by, "reports", *(labels.get(t, t) for t in self.topics)]
        rows = [
            [row, self.counts[row], *(round(100 * self.share(row, t), 1) for t in self.topics)]
            for row in self.rows
        ]
        return columns, rows


def matrix(
    library,
    *,
    by: str = "place",
    place: str | None = None,
    year: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Matrix:
    """The place × topic (or year × topic) matrix of the reports a place/year filter admits."""
    if by not in ("place", "year"):
        raise ValueError("--by takes place or year")
    fill_missing(library, progress)
    conn = library.conn
    allowed = library.filtered_nums(place, year, None)
    if allowed is None:  # the whole library: added up by the database
        counts = {key: n for key, (n, _chars) in key_totals(conn, by).items()}
        sums = topic_store.sums_by_key(conn, key_sql(by))
    else:
        nums = sorted(allowed)
        keys = (
            {n: [str(year)] for n in nums} if (by == "year" and year is not None) else keys_of(conn, by, nums)
        )
        counts = {}
        for row_keys in keys.values():
            for key in row_keys:
                counts[key] = counts.get(key, 0) + 1
        sums = {}
        for num, topic, _chars, share in topic_store.shares(conn, nums):
            for key in keys.get(num, ()):
                sums[(key, topic)] = sums.get((key, topic), 0.0) + share
    seen = {topic for _key, topic in sums}
    order = [t.id for t in taxonomy()] + [OTHER]
    rows = sorted(counts, key=lambda k: (k == "—", k))
    cells = {(row, t): total / counts[row] for (row, t), total in sums.items() if counts.get(row)}
    return Matrix(by, rows, [t for t in order if t in seen], cells, counts, allowed, year)


def cell_sections(library, matrix: Matrix, row: str, topic: str) -> list[tuple[int, int, int, str]]:
    """(num, start, end, heading) of the sections behind one cell, report by report."""
    if matrix.by == "year" and matrix.year is not None and matrix.allowed is not None:
        nums = sorted(matrix.allowed)
    else:
        nums = nums_with_key(library.conn, matrix.by, row)
        if matrix.allowed is not None:
            nums = [n for n in nums if n in matrix.allowed]
    out = []
    for num, spans in topic_store.spans(library.conn, nums, topic):
        out.extend((num, s, e, h) for s, e, h in spans)
    return out
