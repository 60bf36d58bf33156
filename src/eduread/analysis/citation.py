"""The citation a researcher pastes under a quoted passage: who said it, where, in which section, when."""

from __future__ import annotations

from eduread.library.figure_rows import part_at
from eduread.parse.model import Report, Section


def _title(report: Report) -> str:
    """The report's title without its issuer in front (the citation names the issuer already)."""
    title = report.title.strip()
    if report.issuer and title.startswith(report.issuer) and len(title) > len(report.issuer):
        title = title[len(report.issuer) :].strip()
    return title


def _url(report: Report) -> str:
    candidates = [report.source, *report.meta.values()]
    return next((c.strip() for c in candidates if c and c.strip().startswith(("http://", "https://"))), "")


def section_markers(path: list[Section]) -> str:
    """一、(三): the markers of a section path, as a citation writes it."""
    return "".join(s.marker for s in path)


def citation(report: Report, start: int | None = None, end: int | None = None) -> str:
    """——怀化市教育局《2019年工作总结与2020年工作计划》,一、(三),发布于2020-09-02 (and the part,
    year and source address when the title does not already say them)."""
    title = _title(report)
    head = f"——{report.issuer}《{title}》" if report.issuer else f"——《{title}》"
    bits = [head]
    if start is not None:
        part = part_at(report, start)
        if part is not None and part.year is not None:
            named = f"{part.year}年{part.label}"
            if named not in title:
                bits.append(named)
        markers = section_markers(report.section_path(start))
        if markers:
            bits.append(markers)
    elif len(report.parts) == 1 and report.parts[0].year is not None:
        named = f"{report.parts[0].year}年{report.parts[0].label}"
        if named not in title:
            bits.append(named)
    if report.published:
        bits.append(f"发布于{report.published}")
    url = _url(report)
    if url:
        bits.append(url)
    return ",".join(bits)


def quoted(report: Report, start: int, end: int, note: str = "") -> str:
    """The passage as written, then its citation (and the note under it when there is one)."""
    passage = report.body[start:end].strip()
    text = f"{passage}\n{citation(report, start, end)}"
    return f"{text}\n{note.strip()}" if note.strip() else text


def section_passage(report: Report, number: int) -> Section:
    """The Nth section of the outline (1-based, in reading order), as `eduread parse` lists it."""
    sections = report.all_sections()
    if not 1 <= number <= len(sections):
        raise IndexError(f"the report has {len(sections)} sections; --section takes 1 to {len(sections)}")
    return sections[number - 1]
