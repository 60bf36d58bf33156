"""A researcher's notes on passages (with her own codes) and bookmarks, one table for both."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Note:
    """A marked passage of one report: what she wrote about it and the codes she gave it."""

    id: int
    num: int
    start: int
    end: int
    text: str = ""
    codes: list[str] = field(default_factory=list)
    kind: str = "note"  # 'note' or 'bookmark'
    label: str = ""
    created: str = ""
    report_id: str = ""
    title: str = ""
    place: str = ""
    place_path: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON form used by `eduread notes --json`."""
        return {
            "id": self.id,
            "report": self.report_id,
            "title": self.title,
            "place": self.place,
            "years": self.years,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "codes": self.codes,
            "text": self.text,
            "label": self.label,
            "created": self.created,
        }


@contextmanager
def _write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def clean_codes(codes: list[str] | tuple[str, ...] | str) -> list[str]:
    """Codes as typed ("双减, 课后服务" or a list): trimmed, unique, in order."""
    raw = codes.replace("，", ",").split(",") if isinstance(codes, str) else codes
    out: list[str] = []
    for code in raw:
        code = code.strip()
        if code and code not in out:
            out.append(code)
    return out


def add_note(
    conn: sqlite3.Connection,
    num: int,
    start: int,
    end: int,
    text: str = "",
    codes: list[str] | str = "",
    *,
    kind: str = "note",
    label: str = "",
) -> int:
    """Store a note on body[start:end] of a report; returns its id."""
    if end < start:
        start, end = end, start
    with _write(conn):
        cur = conn.execute(
            "INSERT INTO notes(num, start, end, text, codes, kind, label) VALUES (?,?,?,?,?,?,?)",
            (
                num,
                start,
                end,
                text,
                json.dumps(
                    clean_codes(list(codes) if not isinstance(codes, str) else codes), ensure_ascii=False
                ),
                kind,
                label,
            ),
        )
    return int(cur.lastrowid or 0)


def update_note(
    conn: sqlite3.Connection,
    note_id: int,
    text: str,
    codes: list[str] | str,
    span: tuple[int, int] | None = None,
) -> None:
    """Change what a note says and how it is coded (and, given a span, the passage it marks)."""
    with _write(conn):
        conn.execute(
            "UPDATE notes SET text = ?, codes = ? WHERE id = ?",
            (text, json.dumps(clean_codes(codes), ensure_ascii=False), note_id),
        )
        if span is not None:
            conn.execute("UPDATE notes SET start = ?, end = ? WHERE id = ?", (*sorted(span), note_id))


def delete_note(conn: sqlite3.Connection, note_id: int) -> bool:
    """Delete a note or bookmark by id; whether there was one."""
    with _write(conn):
        cur = conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))
    return cur.rowcount > 0


_SELECT = (
    "SELECT n.id, n.num, n.start, n.end, n.text, n.codes, n.kind, n.label, n.created,"
    " r.id, r.title, r.place_name, r.place_path, r.parts FROM notes n JOIN reports r USING (num)"
)


def _note(row: tuple) -> Note:
    parts = json.loads(row[13])
    return Note(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        json.loads(row[5]),
        row[6],
        row[7],
        row[8],
        row[9],
        row[10],
        row[11],
        json.loads(row[12]),
        sorted({p["year"] for p in parts if p.get("year") is not None}),
    )


def notes(
    conn: sqlite3.Connection,
    *,
    num: int | None = None,
    code: str | None = None,
    place: str | None = None,
    year: int | None = None,
    kind: str | None = "note",
) -> list[Note]:
    """Notes across the library (or of one report), filtered by code, place, year and kind, in
    place, report and text order."""
    where, args = [], []
    if num is not None:
        where.append("n.num = ?")
        args.append(num)
    if kind:
        where.append("n.kind = ?")
        args.append(kind)
    if place:
        from eduread.library.store import place_condition

        condition, place_args = place_condition(place, "r")
        where.append(condition)
        args += place_args
    if year is not None:
        where.append("n.num IN (SELECT num FROM parts WHERE year = ?)")
        args.append(year)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY r.place_path, r.published, n.num, n.start, n.id"
    found = [_note(r) for r in conn.execute(sql, args)]
    if code:
        found = [n for n in found if code in n.codes]
    return found


def note(conn: sqlite3.Connection, note_id: int) -> Note | None:
    """One note by id."""
    row = conn.execute(_SELECT + " WHERE n.id = ?", (note_id,)).fetchone()
    return _note(row) if row else None


def codes(conn: sqlite3.Connection) -> dict[str, int]:
    """Every code in use and how many notes carry it, most used first."""
    counts: dict[str, int] = {}
    for (raw,) in conn.execute("SELECT codes FROM notes WHERE kind = 'note'"):
        for code in json.loads(raw):
            counts[code] = counts.get(code, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def add_bookmark(conn: sqlite3.Connection, num: int, offset: int, label: str) -> None:
    """A bookmark is a note of kind 'bookmark' at one place; marking the same place again relabels it."""
    with _write(conn):
        conn.execute("DELETE FROM notes WHERE kind = 'bookmark' AND num = ? AND start = ?", (num, offset))
        conn.execute(
            "INSERT INTO notes(num, start, end, kind, label) VALUES (?,?,?,'bookmark',?)",
            (num, offset, offset, label),
        )


def bookmarks(conn: sqlite3.Connection) -> list[tuple[int, int, str, str]]:
    """(report number, offset, label, report title) of every bookmark, newest first."""
    return conn.execute(
        "SELECT n.num, n.start, n.label, r.title FROM notes n JOIN reports r USING (num)"
        " WHERE n.kind = 'bookmark' ORDER BY n.created DESC, n.id DESC"
    ).fetchall()


def remove_bookmark(conn: sqlite3.Connection, num: int, offset: int) -> None:
    """Delete the bookmark at one place of a report (nothing when there is none)."""
    with _write(conn):
        conn.execute("DELETE FROM notes WHERE kind = 'bookmark' AND num = ? AND start = ?", (num, offset))


def take(conn: sqlite3.Connection, num: int, body: str) -> list[tuple]:
    """A report's notes with the text they mark, before the report is replaced (caller's transaction)."""
    rows = conn.execute(
        "SELECT start, end, text, codes, kind, label, created FROM notes WHERE num = ? ORDER BY id", (num,)
    ).fetchall()
    # A bookmark marks no text: the words right after it anchor it instead.
    return [(*row, body[row[0] : max(row[1], row[0] + 24)]) for row in rows]


def put_back(conn: sqlite3.Connection, num: int, kept: list[tuple], body: str) -> None:
    """Notes taken from a replaced report, anchored again where their passage now stands (or where
    they were, when the passage is gone), so a re-parse never loses what she wrote."""
    for start, end, text, codes, kind, label, created, anchor in kept:
        if anchor:
            found = body.find(anchor, max(0, start - 2000))
            if found == -1:
                found = body.find(anchor)
            if found != -1:
                start, end = found, found + (end - start)
        start = min(start, len(body))
        end = min(max(end, start), len(body))
        conn.execute(
            "INSERT INTO notes(num, start, end, text, codes, kind, label, created) VALUES (?,?,?,?,?,?,?,?)",
            (num, start, end, text, codes, kind, label, created),
        )
