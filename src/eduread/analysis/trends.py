"""How often terms occur by year, place, province or kind: counts equal to reading every body."""

from __future__ import annotations

from dataclasses import dataclass, field

from eduread.library.groups import BY, key_totals, keys_of
from eduread.library.search import Searcher, occurrences
from eduread.text.matching import match_form

COLUMNS = ("term", "key", "reports", "reports_total", "occurrences", "characters", "per_10k")


@dataclass
class TrendRow:
    """One term under one key: how many reports hold it, how often, in how much text."""

    term: str
    key: str
    reports: int
    reports_total: int
    occurrences: int
    characters: int
    nums: list[int]
    counts: dict[int, int] = field(default_factory=dict)  # occurrences in each of `nums`

    @property
    def per_10k(self) -> float:
        """Occurrences per 10,000 characters of the key's text."""
        return self.occurrences * 10000 / self.characters if self.characters else 0.0

    def cells(self) -> list[object]:
        """The row of COLUMNS."""
        return [
            self.term,
            self.key,
            self.reports,
            self.reports_total,
            self.occurrences,
            self.characters,
            round(self.per_10k, 3),
        ]


def term_counts(library, term: str, searcher: Searcher | None = None) -> dict[int, int]:
    """Report number → exact occurrences of a term (overlapping ones too), as a scan would count.

    The index names the reports that hold the term; only their bodies are read and counted, in
    their match form, which the library keeps without OpenCC (texts.simplified).
    """
    folded = match_form(term.strip())
    if not folded:
        return {}
    searcher = searcher or Searcher(library)
    nums = sorted(searcher.reports_holding(folded))
    counts = {}
    for num, form in library.match_bodies(nums):
        n = len(occurrences(form, folded))
        if n:
            counts[num] = n
    return counts


def term_totals(rows: list[TrendRow]) -> dict[str, tuple[int, int]]:
    """Term → (occurrences, reports) across the library, each report once (a report of two years
    is in two rows by year)."""
    merged: dict[str, dict[int, int]] = {}
    for row in rows:
        merged.setdefault(row.term, {}).update(row.counts)
    return {term: (sum(counts.values()), len(counts)) for term, counts in merged.items()}


def sort_keys(keys, by: str) -> list[str]:
    """Years in order, other keys by name, the unknown '—' last."""
    return sorted(keys, key=lambda k: (k == "—", k))


def trend(library, terms: list[str], by: str = "year") -> list[TrendRow]:
    """Rows for every term and every key under `by` (keys without the term show zero)."""
    if by not in BY:
        raise ValueError(f"--by takes one of {', '.join(BY)}")
    totals = key_totals(library.conn, by)
    searcher = Searcher(library)
    rows = []
    for term in terms:
        counts = term_counts(library, term, searcher)
        per_key: dict[str, list[int]] = {}
        for num, keys in keys_of(library.conn, by, sorted(counts)).items():
            for key in keys:
                per_key.setdefault(key, []).append(num)
        for key in sort_keys(totals, by):
            nums = per_key.get(key, [])
            rows.append(
                TrendRow(
                    term.strip(),
                    key,
                    len(nums),
                    totals[key][0],
                    sum(counts[n] for n in nums),
                    totals[key][1],
                    nums,
                    {n: counts[n] for n in nums},
                )
            )
    return rows
