"""Notes as researchers take them away: a table (CSV/XLSX/JSON) or Markdown, each with its citation."""

from __future__ import annotations

from eduread.analysis.citation import citation
from eduread.library.notes import Note

COLUMNS = (
    "id",
    "report",
    "place",
    "years",
    "kind",
    "codes",
    "note",
    "passage",
    "start",
    "end",
    "citation",
    "created",
)


class _Reports:
    """Reports read once each, however many notes point into them."""

    def __init__(self, library) -> None:
        self.library = library
        self.cache: dict[int, object] = {}

    def __call__(self, num: int):
        if num not in self.cache:
            self.cache[num] = self.library.report(num)
        return self.cache[num]


def passage(report, note: Note) -> str:
    """The text a note marks (for a bookmark, the heading or words it was made at)."""
    text = report.body[note.start : note.end].strip()
    return text or note.label


def table_rows(library, notes: list[Note]) -> list[list[object]]:
    """The rows of COLUMNS for an export."""
    reports = _Reports(library)
    rows = []
    for n in notes:
        report = reports(n.num)
        rows.append(
            [
                n.id,
                n.report_id,
                n.place,
                "/".join(map(str, n.years)),
                n.kind,
                ", ".join(n.codes),
                n.text,
                passage(report, n),
                n.start,
                n.end,
                citation(report, n.start, n.end),
                n.created,
            ]
        )
    return rows


def markdown(library, notes: list[Note]) -> str:
    """One block per note: the passage quoted, its citation, the codes and what she wrote."""
    reports = _Reports(library)
    out = []
    for n in notes:
        report = reports(n.num)
        quoted = "\n".join("> " + line for line in passage(report, n).splitlines() if line.strip())
        block = [
            f"### {n.place} {'/'.join(map(str, n.years))} · note {n.id}",
            "",
            quoted,
            ">",
            f"> {citation(report, n.start, n.end)}",
            "",
        ]
        if n.codes:
            block.append("codes: " + ", ".join(f"`{c}`" for c in n.codes))
            block.append("")
        if n.text:
            block += [n.text, ""]
        out.append("\n".join(block))
    return "\n".join(out) if out else "no notes\n"
