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
