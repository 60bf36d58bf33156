"""Which years a report sums up or plans: from its title, its part headings and its opening sentences.

The title comes first; a repost whose title year the body never mentions (content farms rewrite
it) loses to the body, and the disagreement is kept for review. A masked year (20XX) is unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from eduread.parse.model import Part, Section
from eduread.parse.title import find_parts, genre_label, kind_of, masked_year
from eduread.text.matching import match_form
from eduread.text.vocabulary import PART_HEADING_WORDS

_HEADING_PART = re.compile(
    r"^((?:19|20)\d\d)\s*年\s*度?\s*(上半年|下半年)?[^\d,。;]{0,10}?"
    r"((?:工作)?(?:总结|计划|要点|思路|谋划|意见|安排|打算|回顾|汇报|报告|年报|小结|任务|情况|成效|重点工作|工作))"
)
_PERIOD_HEADING = re.compile(
    r"^(上半年|下半年)[^\d,。;]{0,6}?((?:工作)?(?:总结|计划|要点|思路|打算|安排|回顾|情况))"
)
_SUMMED = re.compile(r"(?:总结|回顾)(?:了)?\s*((?:19|20)\d\d)\s*年")
_PLANNED = re.compile(r"(?:部署|谋划|安排|规划)\s*((?:19|20)\d\d)\s*年")
_OPENING_YEAR = re.compile(r"^\D{0,3}?((?:19|20)\d\d)\s*年\s*(上半年|下半年)?")
_PLAN_SIGNAL = re.compile(
    r"总体(?:思路|要求|目标)|主要(?:目标|任务)是|工作思路是|重点抓好|要全力|将(?:继续|进一步|着力|全面|重点)|年是[^。]{0,40}之年"
)
_FARM = re.compile(r"范文|范例|模板|精选|大全|参考")


@dataclass
class PartsFound:
    """The parts, and what could not be settled or disagreed (for review)."""

    parts: list[Part]
    notes: list[str] = field(default_factory=list)


def _heading_parts(sections: list[Section], body: str) -> list[Part]:
    parts: list[Part] = []
    for top in sections:
        for section in [top, *top.children]:
            title = match_form(body[section.title_start : section.title_end]).replace(" ", "")
            match = _HEADING_PART.match(title)
            if match and not re.match(r"^(?:19|20)\d\d\s*[-—–~至到]", title):
                word = match.group(3)
                kind = _heading_kind(word)
                period = {"上半年": "H1", "下半年": "H2"}.get(match.group(2) or "")
                label = body[section.title_start + match.start(3) - 0 : section.title_start + match.end(3)]
                _add(parts, Part(kind=kind, year=int(match.group(1)), label=label, period=period))  # type: ignore[arg-type]
            elif section is top:
                half = _PERIOD_HEADING.match(title)
                if half:
                    period = "H1" if half.group(1) == "上半年" else "H2"
                    _add(
                        parts,
                        Part(kind=kind_of(half.group(2)), year=None, label=half.group(0), period=period),
                    )  # type: ignore[arg-type]
    return parts


def _heading_kind(word: str) -> str:
    if re.search(r"总结|计划|要点|思路|谋划|意见|安排|打算|回顾|汇报|报告|年报|小结|任务", word):
        return kind_of(word)
    return "plan" if "重点工作" == word else "summary"


def _opening_parts(body: str, title_kind: str | None) -> list[Part]:
    opening = match_form(body[:800])
    parts: list[Part] = []
    for match in _SUMMED.finditer(opening):
        _add(parts, Part(kind="summary", year=int(match.group(1)), label=""))
    for match in _PLANNED.finditer(opening):
        _add(parts, Part(kind="plan", year=int(match.group(1)), label=""))
    if parts:
        return parts
    first = opening.lstrip()
    match = _OPENING_YEAR.match(first)
    if match:
        sentence = first[: first.find("。") + 1 or 300]
        kind = title_kind or ("plan" if _PLAN_SIGNAL.search(sentence) else "summary")
        period = {"上半年": "H1", "下半年": "H2"}.get(match.group(2) or "")
        parts.append(Part(kind=kind, year=int(match.group(1)), label="", period=period))  # type: ignore[arg-type]
    return parts


def _add(parts: list[Part], part: Part) -> None:
    if not any(p.kind == part.kind and p.year == part.year and p.period == part.period for p in parts):
        parts.append(part)


def _body_mentions(body: str, year: int) -> bool:
    return str(year) in match_form(body[:4000]).replace(" ", "")


def find_report_parts(title: str, body: str, sections: list[Section]) -> PartsFound:
    """The report's parts with the notes a person should check."""
    notes: list[str] = []
    title_parts = [] if masked_year(title) else find_parts(title)
    title_kind = kind_of(genre_label(title)) if genre_label(title) else None
    headings = _heading_parts(sections, body)
    dated_headings = [p for p in headings if p.year is not None]
    opening = _opening_parts(body, title_parts[0].kind if len(title_parts) == 1 else title_kind)
    if title_parts:
        body_years = [p.year for p in dated_headings + opening if p.year is not None]
        title_years = {p.year for p in title_parts}
        if (
            body_years
            and not (title_years & set(body_years))
            and not any(_body_mentions(body, y) for y in title_years if y is not None)
        ):
            shift = body_years[0] - min(y for y in title_years if y is not None)
            moved = [Part(p.kind, (p.year or 0) + shift, p.label, p.period) for p in title_parts]
            notes.append(
                f"year: the title says {min(title_years)}, the body {body_years[0]}; the body's year is used"  # type: ignore[type-var]
            )
            return PartsFound(moved, notes)
        if _FARM.search(match_form(title)):
            confirmed = [p for p in title_parts if p.year in body_years]
            if not confirmed:
                notes.append("year: a repost site's title; the body does not state the year")
                return PartsFound([Part(p.kind, None, p.label, p.period) for p in title_parts], notes)
        return PartsFound(title_parts, notes)
    if dated_headings or opening:
        parts: list[Part] = []
        for part in dated_headings + opening:
            _add(parts, part)
        # Headings without a year (上半年工作总结) take the year the opening states.
        return PartsFound(sorted(parts, key=lambda p: (p.year or 0, p.kind != "summary")), notes)
    if headings:
        notes.append("year")
        return PartsFound(headings, notes)
    if title_kind:
        notes.append("year")
        return PartsFound([Part(kind=title_kind, year=None, label=genre_label(title))], notes)  # type: ignore[arg-type]
    notes.extend(["year", "kind"])
    return PartsFound([], notes)


def opening_headings(titles: list[str], year: int | str, kind: str, label: str) -> list[int]:
    """Which of a report's top-level headings open one of its parts: those that name the part's
    year and its word (工作总结, 谋划…), else those that name its year; none when no heading does."""
    named = [i for i, title in enumerate(titles) if str(year) in title]
    words = (label, *PART_HEADING_WORDS.get(kind, ()))
    return [i for i in named if any(w and w in titles[i] for w in words)] or named
