"""Two reports side by side: their sections aligned by topic and their figures paired."""

from __future__ import annotations

from dataclasses import dataclass, field

from eduread.analysis.figure_match import FigurePair, difference, match_figures
from eduread.analysis.parts import describe, part_sections, same_place
from eduread.analysis.topics import classify, topic_names, units
from eduread.parse.model import Figure, Part, Report, Section

OTHER = "其他"


@dataclass
class Side:
    """One report (or one part of it) as the comparison sees it."""

    report: Report
    part: Part | None
    units: list[tuple[Section, str | None]]

    @property
    def whole_part(self) -> Part | None:
        """The part compared: the one named, or the report's only part."""
        if self.part is not None:
            return self.part
        return self.report.parts[0] if len(self.report.parts) == 1 else None

    @property
    def label(self) -> str:
        """Place, year and part word, for headers."""
        return describe(self.report, self.part)

    def figures_in(self, sections: list[Section]) -> list[Figure]:
        """Highlighted figures inside any of the sections, in reading order."""
        spans = [(s.start, s.end) for s in sections]
        return [f for f in self.report.figures if f.highlighted and any(a <= f.start < b for a, b in spans)]

    def to_dict(self) -> dict:
        """JSON form: id, title and the part compared."""
        part = None if self.part is None else {"kind": self.part.kind, "year": self.part.year}
        return {
            "id": self.report.id,
            "title": self.report.title,
            "place": self.report.place.name,
            "part": part,
        }


@dataclass
class Row:
    """One topic and the sections each side gives to it; an empty side means no partner."""

    topic: str | None
    name: str
    left: list[Section] = field(default_factory=list)
    right: list[Section] = field(default_factory=list)
    figures: list[FigurePair] = field(default_factory=list)

    @property
    def paired(self) -> bool:
        """Both sides speak of this topic."""
        return bool(self.left and self.right)

    def covers(self, side: str, section: Section) -> bool:
        """Whether a section falls in this row on one side, itself or inside a section listed."""
        listed = self.left if side == "left" else self.right
        return any(s.start <= section.start and section.end <= s.end for s in listed)

    def to_dict(self) -> dict:
        """JSON form for `eduread compare --json`."""
        return {
            "topic": self.name,
            "topic_id": self.topic,
            "left": [heading(s) for s in self.left],
            "right": [heading(s) for s in self.right],
            "figures": [p.to_dict() for p in self.figures],
        }


@dataclass
class Comparison:
    """The rows of two sides; `plan_side` ("left" or "right") when one place's plan for a year meets
    its summary of that year, and says which side holds the plan."""

    left: Side
    right: Side
    rows: list[Row]
    plan_side: str | None = None

    @property
    def plan_vs_outcome(self) -> bool:
        """A plan on one side, the same place's summary of that year on the other."""
        return self.plan_side is not None

    def swapped(self) -> Comparison:
        """The same comparison with left and right exchanged."""
        rows = [Row(r.topic, r.name, r.right, r.left, [_swap_pair(p) for p in r.figures]) for r in self.rows]
        flipped = {"left": "right", "right": "left"}.get(self.plan_side or "")
        return Comparison(self.right, self.left, rows, flipped)

    def column_names(self) -> tuple[str, str]:
        """Headings for the two figure columns: target and result when a plan meets its outcome,
        the parts' years when one place is compared with itself, else the two places."""
        if self.plan_side is not None:
            return ("target", "result") if self.plan_side == "left" else ("result", "target")
        if same_place(self.left.report, self.right.report):
            names = tuple(_short(side) for side in (self.left, self.right))
        else:
            names = (self.left.report.place.name, self.right.report.place.name)
        return (names[0], names[1]) if names[0] != names[1] else ("left", "right")

    def to_dict(self) -> dict:
        """The shape `eduread compare --json` prints."""
        return {
            "left": self.left.to_dict(),
            "right": self.right.to_dict(),
            "plan_vs_outcome": self.plan_vs_outcome,
            "rows": [r.to_dict() for r in self.rows],
        }


def _short(side: Side) -> str:
    parts = [side.part] if side.part else side.report.parts
    return "/".join(f"{p.year}{p.label}" for p in parts)


def heading(section: Section) -> str:
    """A section's heading as written: marker and title."""
    return f"{section.marker}{section.title}"


def _swap_pair(pair: FigurePair) -> FigurePair:
    return FigurePair(pair.label, pair.right, pair.left, difference(pair.right, pair.left), pair.met)


def choose_parts(
    left: Report, right: Report, left_part: Part | None, right_part: Part | None
) -> tuple[Part | None, Part | None]:
    """Parts to compare when none were named: one place's plan for a year against its summary of it,
    or the two parts of one report."""
    if left_part is not None or right_part is not None:
        return left_part, right_part
    if left.id == right.id and len(left.parts) >= 2:
        return left.parts[0], left.parts[1]
    if same_place(left, right):
        for a in left.parts:
            for b in right.parts:
                if a.year == b.year and {a.kind, b.kind} == {"plan", "summary"}:
                    return a, b
    return None, None


def plan_side(left: Side, right: Side) -> str | None:
    """Which side holds one place's plan for year Y when the other holds its summary of year Y."""
    a, b = left.whole_part, right.whole_part
    if a is None or b is None or a.year != b.year or {a.kind, b.kind} != {"plan", "summary"}:
        return None
    if not same_place(left.report, right.report):
        return None
    return "left" if a.kind == "plan" else "right"


def _side(report: Report, part: Part | None) -> Side:
    return Side(report, part, units(part_sections(report, part), classify(report)))


def compare(
    left: Report, right: Report, left_part: Part | None = None, right_part: Part | None = None
) -> Comparison:
    """Align two reports (or parts of them) by topic and pair the figures of each topic row."""
    left_part, right_part = choose_parts(left, right, left_part, right_part)
    a, b = _side(left, left_part), _side(right, right_part)
    plan = plan_side(a, b)
    names = topic_names()
    rows: dict[str | None, Row] = {}
    for side_name, side in (("left", a), ("right", b)):
        for unit, topic in side.units:
            row = rows.get(topic)
            if row is None:
                row = rows[topic] = Row(topic, names.get(topic, OTHER) if topic else OTHER)
            getattr(row, side_name).append(unit)
    ordered = [r for t, r in rows.items() if t is not None] + ([rows[None]] if None in rows else [])
    for row in ordered:
        if row.paired:
            row.figures = match_figures(a.figures_in(row.left), b.figures_in(row.right), plan_side=plan)
    return Comparison(a, b, ordered, plan)
