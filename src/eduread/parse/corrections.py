"""Apply what a person set by hand over what the parser found, so a re-parse never undoes it."""

from __future__ import annotations

from dataclasses import replace

from eduread.parse.model import Correction, Part, Region, Report
from eduread.parse.regions import gazetteer


def corrected_region(place: str, context: str = "") -> Region:
    """The region a person named (怀化, 南通市崇川区), resolved through the gazetteer when it can be."""
    region = gazetteer().resolve(place, context=context)
    return region if region.path or region.ambiguous else Region(name=place)


def apply_correction(report: Report, correction: Correction | None) -> Report:
    """The report with the person's corrections laid over the parse, and `corrected` naming them."""
    if correction is None or correction.is_empty():
        return report
    changed: dict = {}
    corrected: list[str] = []
    if correction.title is not None:
        changed["title"] = correction.title
        corrected.append("title")
    if correction.place is not None:
        changed["place"] = corrected_region(correction.place, report.title + report.body[:2000])
        corrected.append("place")
    if correction.kind == "other":
        changed["doc_class"] = "other"
        changed["class_reason"] = "set by hand"
        corrected.append("class")
    elif correction.kind is not None and report.doc_class == "other":
        changed["doc_class"] = "report"
        changed["class_reason"] = ""
    if correction.year is not None or correction.kind in ("summary", "plan"):
        changed["parts"] = _corrected_parts(report.parts, correction)
        corrected.extend(k for k in ("year", "kind") if getattr(correction, k) not in (None, "other"))
    out = replace(report, **changed)
    settled = {"place": "place" in corrected, "year": "year" in corrected, "kind": "kind" in corrected}
    out.review = [r for r in report.review if not settled.get(r.split(":")[0].strip(), False)]
    if out.doc_class == "other":
        out.review = []
    out.corrected = corrected
    return out


def _corrected_parts(parts: list[Part], correction: Correction) -> list[Part]:
    """The first part takes the year and kind set by hand; later parts keep their distance in years."""
    if not parts:
        kind = correction.kind if correction.kind in ("summary", "plan") else "summary"
        return [Part(kind=kind, year=correction.year, label="")]  # type: ignore[arg-type]
    first = parts[0]
    shift = (correction.year - first.year) if correction.year is not None and first.year is not None else 0
    out = []
    for i, part in enumerate(parts):
        year = part.year + shift if part.year is not None and shift else part.year
        if i == 0 and correction.year is not None:
            year = correction.year
        kind = correction.kind if i == 0 and correction.kind in ("summary", "plan") else part.kind
        out.append(replace(part, year=year, kind=kind))
    return out
