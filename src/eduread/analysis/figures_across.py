"""Figures of one measure across reports: 新增学位 in every place and year, with the series to chart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from eduread.library import figure_table
from eduread.library.figure_rows import what_key
from eduread.library.figure_table import FigureRecord

COLUMNS = (
    "report",
    "place",
    "province",
    "year",
    "part",
    "section",
    "text",
    "value",
    "unit",
    "kind",
    "what",
    "bound",
    "approx",
    "sentence",
    "offset",
)
KINDS = ("count", "money", "percent", "change", "rank", "ratio")


def matching_keys(query: str, keys: list[str]) -> list[str]:
    """The measures a typed name means: the same after count endings go (新增学位数 → 新增学位), or
    one ending the other (建改扩建项目新增学位 ends with 新增学位): Chinese names the thing last."""
    q = what_key(query)
    if not q:
        return []
    return sorted(k for k in keys if k == q or k.endswith(q) or (len(k) >= 2 and q.endswith(k)))


def find_figures(
    library,
    *,
    what: str | None = None,
    kind: str | None = None,
    place: str | None = None,
    year: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    fill: bool = True,
) -> list[FigureRecord]:
    """Figures across the library by measure, kind, place and year: the table is filled first if
    needed, unless `fill` is False (the figures screen lists older reports itself, off its UI thread,
    and filters what is listed when that fails)."""
    if fill and figure_table.missing(library.conn):
        figure_table.fill_missing(library, progress)
    keys = matching_keys(what, figure_table.keys(library.conn)) if what else None
    return figure_table.records(library.conn, what_keys=keys, kind=kind, place=place, year=year)


def table_rows(records: list[FigureRecord]) -> list[list[object]]:
    """The rows of COLUMNS for an export or a table."""
    return [
        [
            r.report,
            r.place,
            r.province,
            r.year,
            r.part_kind or "",
            r.section,
            r.text,
            _number(r.value),
            r.unit,
            r.kind,
            r.what,
            r.bound or "",
            r.approx or "",
            r.sentence,
            r.start,
        ]
        for r in records
    ]


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


@dataclass
class Series:
    """One place's values of one measure over the years, targets and outcomes apart."""

    place: str
    outcomes: list[tuple[int, float]] = field(default_factory=list)
    targets: list[tuple[int, float]] = field(default_factory=list)


def main_measure(records: list[FigureRecord]) -> tuple[str, str] | None:
    """(what, unit) most figures share, the one a chart shows when none is chosen."""
    counts: dict[tuple[str, str], int] = {}
    for r in records:
        counts[(what_key(r.what), r.unit)] = counts.get((what_key(r.what), r.unit), 0) + 1
    return max(counts, key=lambda k: (counts[k], k)) if counts else None


def series(records: list[FigureRecord], unit: str | None = None) -> list[Series]:
    """Per place, the yearly values (the largest when a year states several) of figures in one unit.

    A change (比上年增加43所) is not a level: where the unit has levels too (1670所), the changes
    are left out, so a year that states only its change does not plot it as the number of schools.
    """
    if unit is None:
        measure = main_measure(records)
        unit = measure[1] if measure else ""
    levels = any(r.unit == unit and r.kind != "change" for r in records)
    by_place: dict[str, dict[str, dict[int, float]]] = {}
    for r in records:
        if r.unit != unit or r.year is None or r.value is None or (levels and r.kind == "change"):
            continue
        role = "targets" if r.part_kind == "plan" else "outcomes"
        slot = by_place.setdefault(r.place or r.report[:8], {"outcomes": {}, "targets": {}})[role]
        slot[r.year] = max(slot.get(r.year, float("-inf")), float(r.value))
    out = []
    for place, roles in sorted(by_place.items()):
        out.append(Series(place, sorted(roles["outcomes"].items()), sorted(roles["targets"].items())))
    return out
