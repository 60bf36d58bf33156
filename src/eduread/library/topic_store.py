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


def shares(conn, nums: list[int]) -> list[tuple[int, str, int, float]]:
    """(num, topic, chars, share) of some reports."""
    out = []
    for i in range(0, len(nums), 500):
        chunk = nums[i : i + 500]
        out += conn.execute(
            f"SELECT num, topic, chars, share FROM topic_shares WHERE num IN ({','.join('?' * len(chunk))})",
            chunk,
        ).fetchall()
    return out


def sums_by_key(conn, key_sql: str) -> dict[tuple[str, str], float]:
    """(key, topic) → the sum of the shares of the key's reports, added up in the database."""
    sql = (
        "SELECT coalesce(nullif(CAST(k.key AS TEXT), ''), '—'), t.topic, sum(t.share)"
        f" FROM topic_shares t JOIN ({key_sql}) AS k USING (num) GROUP BY 1, 2"
    )
    return {(key, topic): total for key, topic, total in conn.execute(sql)}


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
