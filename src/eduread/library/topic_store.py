"""Stored topic shares per report, so a place × topic matrix over thousands of reports is one query."""

from __future__ import annotations

import json


def missing(conn, version: str) -> list[int]:
    """Reports with no shares worked out by this topic list and parser."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT num FROM reports WHERE num NOT IN (SELECT num FROM topics_done WHERE version = ?)"
            " ORDER BY num",
            (version,),
        )
    ]


def write(conn, items: list[tuple[int, list[tuple[str, int, float, list]]]], version: str) -> None:
    """Replace reports' shares: (num, [(topic, chars, share, spans)]) (inside the caller's transaction)."""
    for num, rows in items:
        conn.execute("DELETE FROM topic_shares WHERE num = ?", (num,))
        conn.executemany(
            "INSERT INTO topic_shares(num, topic, chars, share, spans) VALUES (?,?,?,?,?)",
            [(num, t, c, s, json.dumps(sp, ensure_ascii=False)) for t, c, s, sp in rows],
        )
        conn.execute("INSERT OR REPLACE INTO topics_done(num, version) VALUES (?, ?)", (num, version))


def shares(conn) -> list[tuple[int, str, int, float]]:
    """(num, topic, chars, share) of every report."""
    return conn.execute("SELECT num, topic, chars, share FROM topic_shares").fetchall()


def spans(conn, nums: list[int], topic: str) -> list[tuple[int, list]]:
    """(num, [[start, end, heading], …]) of the sections some reports give one topic."""
    out = []
    for i in range(0, len(nums), 500):
        chunk = nums[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for num, raw in conn.execute(
            f"SELECT num, spans FROM topic_shares WHERE topic = ? AND num IN ({marks}) ORDER BY num",
            (topic, *chunk),
        ):
            out.append((num, json.loads(raw)))
    return out
