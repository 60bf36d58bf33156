"""The report model: plain dataclasses every layer above shares, with no terminal in them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

PARSER_VERSION = 2
HIGHLIGHTED_KINDS = ("count", "money", "percent", "change", "rank", "ratio")
FIGURE_KINDS = (*HIGHLIGHTED_KINDS, "ordinal", "year", "date", "number")  # every kind, highlighted first

Kind = Literal["summary", "plan"]
DocClass = Literal["report", "other"]
KINDS: tuple[Kind, ...] = ("summary", "plan")
KIND_NAMES = {"summary": "总结", "plan": "计划"}  # a kind in Chinese, as tables and the tree show it


@dataclass
class Region:
    """Where a report comes from: the name as written and its administrative path."""

    name: str = ""
    path: list[str] = field(default_factory=list)
    code: str | None = None
    ambiguous: bool = False
    candidates: list[list[str]] = field(default_factory=list)


@dataclass
class Part:
    """A stretch of the report about one year: a summary of it or a plan for it."""

    kind: Kind
    year: int | None  # None when the report masks or omits it (20XX): unknown, never guessed
    label: str
    period: str | None = None  # "H1"/"H2" for half-year parts (上半年/下半年)

    @property
    def word(self) -> str:
        """What the part is called: its own word (工作总结), or its kind's (总结) where the text
        stated none, so it never shows as a bare year."""
        return self.label or KIND_NAMES.get(self.kind, "")


@dataclass
class Section:
    """One heading of the outline and the span of body text it governs."""

    level: int
    marker: str
    title: str
    start: int
    end: int
    title_start: int
    title_end: int
    number: int | None = None
    children: list[Section] = field(default_factory=list)

    def walk(self) -> list[Section]:
        """This section and all below it, in reading order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass
class Figure:
    """A number the report states, normalised so it can be compared across reports."""

    text: str
    start: int
    end: int
    value: float | int
    unit: str
    kind: str
    bound: str | None = None
    approx: str | None = None
    label: str = ""
    what: str = ""  # the thing counted or measured: 录播教室 in 建设13个录播教室

    @property
    def highlighted(self) -> bool:
        """Years, dates, ordinals and bare numbers are context, not the figures a reader looks for."""
        return self.kind in HIGHLIGHTED_KINDS


@dataclass
class Report:
    """One parsed report; every offset points into `body`."""

    id: str
    title: str
    place: Region
    issuer: str
    parts: list[Part]
    published: str | None
    signed: str | None
    source: str
    index_number: str
    meta: dict[str, str]
    sections: list[Section]
    figures: list[Figure]
    body: str
    parser_version: int = PARSER_VERSION
    doc_class: DocClass = "report"  # "other": not a bureau's own work report (news, a school's plan …)
    class_reason: str = ""
    review: list[str] = field(default_factory=list)  # what could not be settled: "place", "year" …
    corrected: list[str] = field(default_factory=list)  # fields a person set by hand

    def all_sections(self) -> list[Section]:
        """Every section of the outline, depth first."""
        out: list[Section] = []
        for section in self.sections:
            out.extend(section.walk())
        return out

    def matching_parts(self, year: int | None, kind: str | None) -> list[Part]:
        """The parts for a year and/or kind (all of them when neither is given)."""
        return [p for p in self.parts if year in (None, p.year) and kind in (None, p.kind)]

    def find_part(self, year: int | None, kind: str | None) -> Part | None:
        """The part for a year and/or kind ("怀化 2020 计划"); None when none matches or none was asked."""
        if year is None and kind is None:
            return None
        return next(iter(self.matching_parts(year, kind)), None)

    def section_path(self, offset: int) -> list[Section]:
        """The chain of sections (outermost first) that contains a body offset."""
        path: list[Section] = []
        level = self.sections
        while True:
            found = next((s for s in level if s.start <= offset < s.end), None)
            if found is None:
                return path
            path.append(found)
            level = found.children

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form, the shape `eduread parse --json` prints."""
        return {
            "id": self.id,
            "title": self.title,
            "place": {
                "name": self.place.name,
                "path": self.place.path,
                "code": self.place.code,
                "ambiguous": self.place.ambiguous,
                "candidates": self.place.candidates,
            },
            "issuer": self.issuer,
            "parts": [asdict(p) for p in self.parts],
            "published": self.published,
            "signed": self.signed,
            "source": self.source,
            "index_number": self.index_number,
            "sections": [_section_dict(s) for s in self.sections],
            "figures": [dict(vars(f)) for f in self.figures],  # flat fields: asdict's deep copy is slow
            "body": self.body,
            "class": self.doc_class,
            "class_reason": self.class_reason,
            "review": list(self.review),
            "corrected": list(self.corrected),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """Rebuild a report from `to_dict` output (the library's parse cache)."""
        place = data["place"]
        return cls(
            id=data["id"],
            title=data["title"],
            place=Region(
                place["name"],
                place["path"],
                place["code"],
                place.get("ambiguous", False),
                place.get("candidates", []),
            ),
            issuer=data["issuer"],
            parts=[Part(**p) for p in data["parts"]],
            published=data["published"],
            signed=data["signed"],
            source=data.get("source", ""),
            index_number=data.get("index_number", ""),
            meta=data.get("meta", {}),
            sections=[_section_from(s) for s in data["sections"]],
            figures=[Figure(**f) for f in data["figures"]],
            body=data["body"],
            parser_version=data.get("parser_version", PARSER_VERSION),
            doc_class=data.get("class", "report"),
            class_reason=data.get("class_reason", ""),
            review=list(data.get("review", [])),
            corrected=list(data.get("corrected", [])),
        )


@dataclass
class Correction:
    """What a person set by hand for one report; stored apart from the parse and applied over it."""

    place: str | None = None
    year: int | None = None
    kind: Kind | Literal["other"] | None = None
    title: str | None = None

    def is_empty(self) -> bool:
        """Whether it sets nothing (so the stored row can go)."""
        return self.place is None and self.year is None and self.kind is None and self.title is None

    def to_dict(self) -> dict[str, Any]:
        """Only the fields that are set, as stored in the library."""
        return {k: v for k, v in vars(self).items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Correction:
        """Read the stored form back (unknown keys from other versions are ignored)."""
        return cls(**{k: data[k] for k in ("place", "year", "kind", "title") if k in data})


def _section_dict(section: Section) -> dict[str, Any]:
    return {
        "level": section.level,
        "marker": section.marker,
        "number": section.number,
        "title": section.title,
        "start": section.start,
        "end": section.end,
        "title_start": section.title_start,
        "title_end": section.title_end,
        "children": [_section_dict(c) for c in section.children],
    }


def _section_from(data: dict[str, Any]) -> Section:
    return Section(
        level=data["level"],
        marker=data["marker"],
        title=data["title"],
        start=data["start"],
        end=data["end"],
        title_start=data["title_start"],
        title_end=data["title_end"],
        number=data.get("number"),
        children=[_section_from(c) for c in data["children"]],
    )
