"""One parsed report as the rows the library writes, built where it was parsed (an import worker).

Turning a Report into JSON and tuples takes as long as writing them; doing it next to the parser
leaves the single database-writing process with nothing but the writes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from eduread.library.figure_rows import figure_rows
from eduread.library.schema import runs_json
from eduread.text.matching import simplified_runs


@dataclass
class Rows:
    """A report's columns: listing, parts, cleaned body, parse cache and original text."""

    id: str
    listing: tuple  # reports-table columns from the parse, id first
    parts: list[tuple[str, int, str]]
    body: str
    data: str  # Report.to_dict() without the body, as JSON
    outline: str  # flat [[start, end, level, title], ...] as JSON, for search hits
    parser_version: int
    original: str
    source: str
    doc_class: str = "report"
    class_reason: str = ""
    review: tuple[str, ...] = ()
    figures: list[tuple] = field(default_factory=list)  # figure_rows(report), for the figures table
    simplified: str | None = None  # texts.simplified: where matching reads the body as simplified
    hints: str | None = None  # texts.hints: the titles the file stated outside its text, as JSON

    @classmethod
    def of(cls, report, original: str, source: str, hints: Sequence[str] = ()) -> Rows:  # report: Report
        """The rows of a parsed report, its decoded original text, where it came from and the titles
        the file stated outside its text (kept, so that parsing the text again gives what import gave)."""
        body, data, outline = cache_row(report)
        return cls(
            report.id,
            listing(report),
            part_rows(report),
            body,
            data,
            outline,
            report.parser_version,
            original,
            source,
            report.doc_class,
            report.class_reason,
            tuple(report.review),
            figure_rows(report),
            runs_json(simplified_runs(body)),
            json.dumps(list(hints), ensure_ascii=False) if hints else None,
        )


def cache_row(report) -> tuple[str, str, str]:  # report: Report
    """(body, parse JSON without the body, flat outline JSON): what the library keeps of a parse."""
    data = report.to_dict()
    body = data.pop("body")
    data["meta"] = report.meta
    data["parser_version"] = report.parser_version
    outline = json.dumps(_flat_outline(data["sections"]), ensure_ascii=False)
    return body, json.dumps(data, ensure_ascii=False), outline


def _flat_outline(sections: list[dict], out: list | None = None) -> list:
    out = [] if out is None else out
    for s in sections:
        out.append([s["start"], s["end"], s["level"], f"{s['marker']}{s['title']}"])
        _flat_outline(s["children"], out)
    return out


def part_rows(report) -> list[tuple[str, int, str]]:  # report: Report
    """(kind, year, label) of each part whose year is known, the parts table's columns."""
    return [(p.kind, p.year, p.label) for p in report.parts if p.year is not None]


def listing(report) -> tuple:  # report: Report
    """The reports-table columns that come from a parse."""
    return (
        report.id,
        report.title,
        report.place.name,
        json.dumps(report.place.path, ensure_ascii=False),
        report.place.code,
        report.issuer,
        json.dumps([asdict(p) for p in report.parts], ensure_ascii=False),
        report.published,
        report.signed,
        report.doc_class,
        json.dumps(report.review, ensure_ascii=False),
    )
