"""Turns what people type ("怀化 2019", an id, a file) into reports and parts for comparison."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from eduread.library.store import Library
from eduread.parse.model import Part, Report
from eduread.text.vocabulary import KIND_SELECTOR_WORDS

KIND_WORDS = KIND_SELECTOR_WORDS  # one list for the whole genre (text/vocabulary.py)
_YEAR = re.compile(r"^((?:19|20)\d\d)年?(.*)$")
_HEX = re.compile(r"^[0-9a-f]{4,16}$")


class SelectorError(Exception):
    """A selector matches no report, or more than one; the message says which and what to add."""


@dataclass
class Selector:
    """One side as typed: an id, a path or a place, with an optional year and kind."""

    text: str
    target: str
    year: int | None = None
    kind: str | None = None


@dataclass
class Choice:
    """A report picked by a selector, and the part of it the selector names (None: all of it)."""

    report: Report
    part: Part | None
    num: int | None = None


def _kind(word: str) -> str | None:
    return KIND_WORDS.get(word.lower()) or next((k for w, k in KIND_WORDS.items() if w in word), None)


def split_selectors(words: list[str]) -> list[Selector]:
    """Group words into selectors: a place, id or path starts one; a year or kind word qualifies it."""
    tokens = [t for w in words for t in w.split()]
    out: list[Selector] = []
    for token in tokens:
        year_match = _YEAR.match(token)
        kind = _kind(token) if not year_match else None
        if year_match or (kind and token.lower() in KIND_WORDS):
            if not out:
                raise SelectorError(f"{token}: name a place, an id or a file before the year or kind")
            current = out[-1]
            if year_match:
                current.year = int(year_match.group(1))
                kind = _kind(year_match.group(2)) if year_match.group(2) else None
            if kind:
                current.kind = kind
            current.text += f" {token}"
            continue
        out.append(Selector(token, token))
    return out


def _label(choice: Choice) -> str:
    report = choice.report
    part = choice.part
    what = f"{part.year}{part.label}" if part else "/".join(f"{p.year}{p.label}" for p in report.parts)
    return f"{report.place.name} {what} ({report.id[:8]})"


def candidates(library: Library, selector: Selector) -> list[Choice]:
    """Every report and part a selector could mean."""
    path = Path(selector.target)
    looks_like_a_file = path.suffix.lower() in (".txt", ".text", ".html", ".htm") or "/" in selector.target
    if looks_like_a_file and not path.exists():
        raise SelectorError(f"{selector.target}: no such file")
    if path.is_file():
        from eduread.parse.report import parse_file

        report = parse_file(path)
        return [Choice(report, report.find_part(selector.year, selector.kind))]
    if _HEX.match(selector.target):
        entry = library.entry(selector.target)
        if entry is not None:
            report = library.report(entry.num)
            return [Choice(report, report.find_part(selector.year, selector.kind), entry.num)]
    out: list[Choice] = []
    for entry in library.entries(place=selector.target, year=selector.year, kind=selector.kind):
        if entry.doc_class == "other":  # news, a school's plan …: compared only when named by id
            continue
        report = library.report(entry.num)
        if selector.year is None and selector.kind is None:
            out.append(Choice(report, None, entry.num))
            continue
        out.extend(
            Choice(report, part, entry.num) for part in report.matching_parts(selector.year, selector.kind)
        )
    return out


def resolve_pair(library: Library, words: list[str]) -> tuple[Choice, Choice]:
    """The two sides of a comparison from the command line's words.

    "怀化 2020 怀化 2020" names one place and year twice: when that year has one plan and one
    summary, the plan goes left and the summary right (did the place do what it planned?).
    """
    selectors = split_selectors(words)
    if len(selectors) != 2:
        found = ", ".join(s.text for s in selectors) or "nothing"
        raise SelectorError(f"compare needs two reports, got {len(selectors)}: {found}")
    a, b = (candidates(library, s) for s in selectors)
    for selector, found in zip(selectors, (a, b), strict=True):
        if not found:
            raise SelectorError(f"{selector.text}: no report in the library matches")
    same = (selectors[0].target, selectors[0].year, selectors[0].kind) == (
        selectors[1].target,
        selectors[1].year,
        selectors[1].kind,
    )
    if same and len(a) == 2:
        kinds = {c.part.kind if c.part else None: c for c in a}
        if set(kinds) == {"plan", "summary"}:
            return kinds["plan"], kinds["summary"]
    for selector, found in zip(selectors, (a, b), strict=True):
        if len(found) > 1:
            options = "; ".join(_label(c) for c in found[:6])
            more = f" and {len(found) - 6} more" if len(found) > 6 else ""
            raise SelectorError(
                f"{selector.text}: {len(found)} reports match ({options}{more}); "
                "add a year, 计划 or 总结, or use an id"
            )
    return a[0], b[0]
