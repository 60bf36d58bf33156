"""Which group (year, place, province, kind) each report falls in, and its length, in one query."""

from __future__ import annotations

import json

BY = ("year", "place", "province", "kind")


def report_groups(conn, by: str) -> dict[int, tuple[list[str], int]]:
    """Report number → (its keys under `by`, characters of its body).

    A report of two parts (2019 总结 and 2020 计划) is in both years and both kinds.
    """
    if by not in BY:
        raise ValueError(f"cannot group by {by!r}")
    out: dict[int, tuple[list[str], int]] = {}
    if by in ("year", "kind"):
        column = "p.year" if by == "year" else "p.kind"
        lengths = dict(conn.execute("SELECT num, body_len FROM reports"))
        keys: dict[int, list[str]] = {num: [] for num in lengths}
        for num, key in conn.execute(f"SELECT DISTINCT p.num, {column} FROM parts p ORDER BY 1, 2"):
            keys.setdefault(num, []).append(str(key))
        return {num: (keys.get(num) or ["—"], n) for num, n in lengths.items()}
    for num, name, path, n in conn.execute("SELECT num, place_name, place_path, body_len FROM reports"):
        steps = json.loads(path)
        if by == "place":
            key = name or (steps[-1] if steps else "")
        else:
            key = steps[0] if steps else ""
        out[num] = ([key or "—"], n)
    return out


_KEY_SQL = {
    "place": "SELECT num, CASE WHEN place_name != '' THEN place_name"
    " ELSE coalesce(json_extract(place_path, '$[#-1]'), '') END AS key FROM reports",
    "province": "SELECT num, coalesce(json_extract(place_path, '$[0]'), '') AS key FROM reports",
    "year": "SELECT DISTINCT num, year AS key FROM parts",
    "kind": "SELECT DISTINCT num, kind AS key FROM parts",
}


def key_totals(conn, by: str) -> dict[str, tuple[int, int]]:
    """Key → (reports, characters of their bodies), counted in the database."""
    if by not in BY:
        raise ValueError(f"cannot group by {by!r}")
    sql = (
        f"SELECT coalesce(nullif(k.key, ''), '—'), count(*), sum(r.body_len) FROM reports r"
        f" JOIN ({_KEY_SQL[by]}) AS k USING (num) GROUP BY 1"
    )
    totals = {str(key): (n, chars) for key, n, chars in conn.execute(sql)}
    if by in ("year", "kind"):  # reports with no part of a known year or kind
        row = conn.execute(
            "SELECT count(*), coalesce(sum(body_len), 0) FROM reports WHERE num NOT IN (SELECT num FROM parts)"
        ).fetchone()
        if row[0]:
            totals["—"] = (row[0], row[1])
    return totals


def keys_of(conn, by: str, nums: list[int]) -> dict[int, list[str]]:
    """Report number → its keys under `by`, for some reports."""
    out: dict[int, list[str]] = {num: [] for num in nums}
    for i in range(0, len(nums), 500):
        chunk = nums[i : i + 500]
        sql = f"SELECT num, key FROM ({_KEY_SQL[by]}) AS k WHERE num IN ({','.join('?' * len(chunk))})"
        for num, key in conn.execute(sql, chunk):
            out[num].append(str(key) if key not in (None, "") else "—")
    return {num: keys or ["—"] for num, keys in out.items()}
