"""How often terms occur by year, place, province or kind: counts equal to reading every body."""

from __future__ import annotations

from dataclasses import dataclass, field

from eduread.library.groups import BY, key_totals, keys_of
from eduread.library.part_spans import key_of, part_spans
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
    # where a report counted by one of its parts has that part (the rest of it counts elsewhere)
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)

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
    """Report number → exact occurrences of a term (overlapping ones too), as a scan would count."""
    return {num: len(found) for num, found in term_positions(library, term, searcher).items()}


def term_positions(library, term: str, searcher: Searcher | None = None) -> dict[int, list[int]]:
    """Report number → where a term occurs (overlapping occurrences too), as a scan would find them.

    The index names the reports that hold the term; only their bodies are read, in their match
    form, which the library keeps without OpenCC (texts.simplified).
    """
    folded = match_form(term.strip())
    if not folded:
        return {}
    searcher = searcher or Searcher(library)
    nums = sorted(searcher.reports_holding(folded))
    found = {}
    for num, form in library.match_bodies(nums):
        at = occurrences(form, folded)
        if at:
            found[num] = at
    return found


def term_totals(rows: list[TrendRow]) -> dict[str, tuple[int, int]]:
    """Term → (occurrences, reports) across the library, each report once: a report counted by its
    parts adds its parts' counts; one counted whole under several keys counts once."""
    merged: dict[str, dict[int, int]] = {}
    for row in rows:
        counts = merged.setdefault(row.term, {})
        for num, n in row.counts.items():
            counts[num] = counts.get(num, 0) + n if num in row.spans else n
    return {term: (sum(counts.values()), len(counts)) for term, counts in merged.items()}


def sort_keys(keys, by: str) -> list[str]:
    """Years in order, other keys by name, the unknown '—' last."""
    return sorted(keys, key=lambda k: (k == "—", k))


def trend(library, terms: list[str], by: str = "year") -> list[TrendRow]:
    """Rows for every term and every key under `by` (keys without the term show zero).

    By year or kind, a report of parts whose places in the text are known counts each part under
    its own key (its 2019 总结 in 2019, its 2020 计划 in 2020); any other report counts whole under
    each of its keys.
    """
    if by not in BY:
        raise ValueError(f"--by takes one of {', '.join(BY)}")
    spans = part_spans(library.conn) if by in ("year", "kind") else {}
    totals = key_totals(library.conn, by, spans)
    searcher = Searcher(library)
    rows = []
    for term in terms:
        found = term_positions(library, term, searcher)
        per_key: dict[str, dict[int, int]] = {}
        where: dict[str, dict[int, tuple[int, int]]] = {}
        for num, keys in keys_of(library.conn, by, sorted(found)).items():
            if num not in spans:
                for key in keys:
                    per_key.setdefault(key, {})[num] = len(found[num])
                continue
            for span in spans[num]:
                key, start, end = key_of(span, by), span[2], span[3]
                n = sum(1 for at in found[num] if start <= at < end)
                if n:
                    held = per_key.setdefault(key, {})
                    held[num] = held.get(num, 0) + n
                    where.setdefault(key, {}).setdefault(num, (start, end))
        for key in sort_keys(totals, by):
            counts = per_key.get(key, {})
            nums = sorted(counts)
            rows.append(
                TrendRow(
                    term.strip(),
                    key,
                    len(nums),
                    totals[key][0],
                    sum(counts.values()),
                    totals[key][1],
                    nums,
                    dict(counts),
                    where.get(key, {}),
                )
            )
    return rows
