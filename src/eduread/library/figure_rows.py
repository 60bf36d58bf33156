"""A report's figures as rows of the figures table, so figures across thousands of reports are one query."""

from __future__ import annotations

from eduread.parse.model import Part, Report, Section
from eduread.text.vocabulary import KIND_OF_WORD

# Endings that name the count rather than the thing counted: 新增学位数 and 新增学位 are one measure.
COUNT_SUFFIXES = ("总人数", "总数", "人数", "个数", "数量", "总量", "数")
# Words that can trail a name just before its number (农村公办幼儿园的21所, 幼儿园近…): not part of it.
TRAILING = "的近约共达逾"
SENTENCE_ENDS = "。；;！？!?\n"
SENTENCE_MAX = 60  # characters each side: a sentence of the genre is rarely longer, and rows stay small


def what_key(what: str) -> str:
    """The form `what` is matched in: widths folded, spaces and count endings removed."""
    from eduread.text.matching import match_form

    key = "".join(match_form(what).split())
    while len(key) > 2 and key[-1] in TRAILING:
        key = key[:-1]
    for suffix in COUNT_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return key


def sentence_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence a figure stands in begins and ends (cut to a readable length around it).

    The figures table keeps these offsets, not the sentence: the text is stored once, in the body.
    """
    lo = start
    while lo > 0 and body[lo - 1] not in SENTENCE_ENDS and start - lo < SENTENCE_MAX:
        lo -= 1
    hi = end
    while hi < len(body) and body[hi] not in SENTENCE_ENDS and hi - end < SENTENCE_MAX:
        hi += 1
    if hi < len(body) and body[hi] in "。；;！？!?":
        hi += 1
    while lo < hi and body[lo].isspace():
        lo += 1
    while hi > lo and body[hi - 1].isspace():
        hi -= 1
    return lo, hi


def part_at(report: Report, offset: int) -> Part | None:
    """The part (2019 summary, 2020 plan) a body offset belongs to, from the top-level heading over it."""
    if len(report.parts) == 1:
        return report.parts[0]
    top = next((s for s in report.sections if s.start <= offset < s.end), None)
    if top is None:
        return None
    candidates = [p for p in report.parts if p.year is not None and str(p.year) in top.title]
    if len(candidates) > 1:
        kinds = {KIND_OF_WORD[w] for w in KIND_OF_WORD if w in top.title}
        candidates = [p for p in candidates if p.kind in kinds] or candidates
    if candidates:
        return candidates[0]
    kinds = {KIND_OF_WORD[w] for w in KIND_OF_WORD if w in top.title}
    by_kind = [p for p in report.parts if p.kind in kinds]
    return by_kind[0] if len(by_kind) == 1 else None


def heading_path(path: list[Section]) -> str:
    """Headings from the outermost in, as the table and exports show them."""
    return " › ".join(f"{s.marker}{s.title}" for s in path)


def figure_rows(report: Report) -> list[tuple]:
    """(start, end, text, value, unit, kind, what, what_key, bound, approx, part_kind, year, section,
    sentence start, sentence end) for each figure a reader looks for (counts, money, percents,
    changes, ranks, ratios)."""
    rows = []
    for f in report.figures:
        if not f.highlighted:
            continue
        what = f.what or f.label
        part = part_at(report, f.start)
        rows.append(
            (
                f.start,
                f.end,
                f.text,
                f.value,
                f.unit,
                f.kind,
                what,
                what_key(what),
                f.bound,
                f.approx,
                part.kind if part else None,
                part.year if part else None,
                heading_path(report.section_path(f.start)),
                *sentence_bounds(report.body, f.start, f.end),
            )
        )
    return rows


def write_figures(conn, num: int, rows: list[tuple]) -> None:
    """Replace one report's figure rows (inside the caller's transaction)."""
    conn.execute("DELETE FROM figures WHERE num = ?", (num,))
    conn.executemany(
        "INSERT INTO figures(num, start, end, text, value, unit, kind, what, what_key, bound, approx,"
        " part_kind, year, section, sentence_start, sentence_end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(num, *r) for r in rows],
    )
    conn.executemany("INSERT OR IGNORE INTO figure_keys(key) VALUES (?)", {(r[7],) for r in rows if r[7]})
    conn.execute("INSERT OR REPLACE INTO figures_done(num) VALUES (?)", (num,))


def write_report_figures(conn, num: int, report: Report) -> bool:
    """Replace the figure rows of a stored report from a parse of it, if that parse reads the stored
    body: the rows point into it (a newer cleaner's body waits for its report's replacement)."""
    stored = conn.execute("SELECT body FROM texts WHERE num = ?", (num,)).fetchone()
    if stored is None or stored[0] != report.body:
        return False
    write_figures(conn, num, figure_rows(report))
    return True
