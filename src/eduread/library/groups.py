"""Which group (year, place, province, kind) each report falls in, and the totals of each group."""

from __future__ import annotations

from eduread.library.part_spans import key_of

BY = ("year", "place", "province", "kind")


# Only bureau reports are grouped: news, a school's plan or a 决算 kept as `other` would skew a trend.
_KEY_SQL = {
    # the place as resolved (长春 and 长春市 are one row), a district with its city (南通市崇川区: 鼓楼区
    # is in several), else as the report writes it
    "place": "SELECT num, CASE WHEN json_array_length(place_path) = 3"
    " AND substr(json_extract(place_path, '$[2]'), -1) = '区'"
    " THEN json_extract(place_path, '$[1]') || json_extract(place_path, '$[2]')"
    " ELSE coalesce(json_extract(place_path, '$[#-1]'), place_name) END AS key"
    " FROM reports WHERE doc_class = 'report'",
    "province": "SELECT num, coalesce(json_extract(place_path, '$[0]'), '') AS key FROM reports"
    " WHERE doc_class = 'report'",
    "year": "SELECT DISTINCT num, year AS key FROM parts",
    "kind": "SELECT DISTINCT num, kind AS key FROM parts",
}


def key_totals(conn, by: str, spans: dict | None = None) -> dict[str, tuple[int, int]]:
    """Key → (reports, characters of their bodies), counted in the database.

    With `spans` (part_spans.part_spans: a report's parts and where they lie), a report is counted
    under each of its parts' keys (by year or kind) with that part's characters instead of its
    whole body's."""
    if by not in BY:
        raise ValueError(f"cannot group by {by!r}")
    sql = (
        f"SELECT coalesce(nullif(k.key, ''), '—'), count(*), sum(r.body_len) FROM reports r"
        f" JOIN ({_KEY_SQL[by]}) AS k USING (num) GROUP BY 1"
    )
    totals = {str(key): (n, chars) for key, n, chars in conn.execute(sql)}
    if by in ("year", "kind"):  # reports with no part of a known year or kind
        row = conn.execute(
            "SELECT count(*), coalesce(sum(body_len), 0) FROM reports"
            " WHERE doc_class = 'report' AND num NOT IN (SELECT num FROM parts)"
        ).fetchone()
        if row[0]:
            totals["—"] = (row[0], row[1])
    for report_spans in (spans or {}).values():  # its keys are its parts': each takes its part's length
        length = report_spans[-1][3]  # the last part runs to the body's end
        for key in {key_of(span, by) for span in report_spans}:
            n, chars = totals[key]
            totals[key] = (n, chars - length)
        for span in report_spans:
            n, chars = totals[key_of(span, by)]
            totals[key_of(span, by)] = (n, chars + span[3] - span[2])
    return totals


def nums_with_key(conn, by: str, key: str) -> list[int]:
    """The reports under one key ('—' for those without one)."""
    if key == "—":
        sql = (
            "SELECT num FROM reports WHERE doc_class = 'report'"
            f" AND num NOT IN (SELECT num FROM ({_KEY_SQL[by]}) WHERE key != '')"
        )
        return [r[0] for r in conn.execute(sql)]
    return [
        r[0] for r in conn.execute(f"SELECT num FROM ({_KEY_SQL[by]}) WHERE CAST(key AS TEXT) = ?", (key,))
    ]


def key_sql(by: str) -> str:
    """A query of (num, key) rows under `by`, for other tables to join with."""
    return _KEY_SQL[by]


def keys_of(conn, by: str, nums: list[int]) -> dict[int, list[str]]:
    """Report number → its keys under `by`, for some reports."""
    out: dict[int, list[str]] = {num: [] for num in nums}
    for i in range(0, len(nums), 500):
        chunk = nums[i : i + 500]
        sql = f"SELECT num, key FROM ({_KEY_SQL[by]}) AS k WHERE num IN ({','.join('?' * len(chunk))})"
        for num, key in conn.execute(sql, chunk):
            out[num].append(str(key) if key not in (None, "") else "—")
    return {num: keys or ["—"] for num, keys in out.items()}
