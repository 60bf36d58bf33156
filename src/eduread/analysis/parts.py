"""Which top-level sections belong to a report part, so "怀化 2019" can mean just its 2019 summary."""

from __future__ import annotations

from eduread.parse.model import Part, Report, Section
from eduread.parse.parts import opening_headings


def part_sections(report: Report, part: Part | None) -> list[Section]:
    """The top-level sections of one part; the whole outline when the report has one part."""
    if part is None or len(report.parts) <= 1:
        return report.sections
    opening = opening_headings([s.title for s in report.sections], part.year, part.kind, part.label)
    return [report.sections[i] for i in opening] or report.sections


def same_place(a: Report, b: Report) -> bool:
    """Whether two reports come from one place (by division code, else by path or name)."""
    if a.place.code and b.place.code:
        return a.place.code == b.place.code
    if a.place.path and b.place.path:
        return a.place.path == b.place.path
    return bool(a.place.name) and a.place.name == b.place.name


def describe(report: Report, part: Part | None) -> str:
    """A short name for one side of a comparison: place, and the part's year and word."""
    place = (
        (report.place.path[-1] if report.place.path else report.place.name)
        or report.issuer
        or report.title[:12]
    )
    if part is not None:
        return f"{place} {part.year} {part.label}"
    return f"{place} " + " · ".join(f"{p.year} {p.label}" for p in report.parts)
