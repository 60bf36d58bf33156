"""Find every occurrence of a query across the library, like Ctrl+F, ranked by bm25.

Queries of three characters or more are answered from the trigram positions (trigrams.py);
one- and two-character queries from the short-gram counts (grams.py). Neither scans the texts:
bodies are read only for the reports on the page being shown.
"""

from __future__ import annotations

import heapq
import math
import re
import sqlite3
import time
from dataclasses import asdict, dataclass, field

from eduread.library import grams, trigrams
from eduread.library.store import Library, LibraryError
from eduread.parse.model import Part
from eduread.text.width import fold_width

_TOKEN = re.compile(r'"([^"]+)"|“([^”]+)”|(\S+)')
K1, B = 1.2, 0.75
SNIPPET_SIDE = 28


@dataclass
class Hit:
    """One occurrence: where it is, in which section, and the text around it."""

    report: str
    num: int
    title: str
    place: str
    parts: list[Part]
    section: list[str]
    start: int
    end: int
    snippet: str
    mark: tuple[int, int]

    def to_dict(self) -> dict:
        """JSON form used by `eduread search --json`."""
        s, e = self.mark
        return {
            "report": self.report,
            "title": self.title,
            "place": self.place,
            "parts": [asdict(p) for p in self.parts],
            "section": self.section,
            "start": self.start,
            "end": self.end,
            "snippet": self.snippet,
            "snippet_marked": self.snippet[:s] + "【" + self.snippet[s:e] + "】" + self.snippet[e:],
        }


@dataclass
class SearchResult:
    """The first page of hits plus the whole library's counts."""

    query: str
    terms: list[str]
    total: int = 0
    reports: int = 0
    took_ms: float = 0.0
    hits: list[Hit] = field(default_factory=list)
    ranked: list[int] = field(default_factory=list)  # the page's reports, best first

    def summary(self) -> str:
        """ "2 occurrences in 1 report": the line both faces show above the hits."""
        occurrences = "occurrence" if self.total == 1 else "occurrences"
        reports = "report" if self.reports == 1 else "reports"
        return f"{self.total} {occurrences} in {self.reports} {reports}"

    def to_dict(self) -> dict:
        """JSON form used by `eduread search --json`."""
        return {
            "query": self.query,
            "terms": self.terms,
            "total": self.total,
            "reports": self.reports,
            "took_ms": round(self.took_ms, 2),
            "hits": [h.to_dict() for h in self.hits],
        }


def parse_query(query: str) -> list[str]:
    """Terms of a query: words split on spaces, "quoted text" kept whole, widths folded."""
    terms = []
    for match in _TOKEN.finditer(fold_width(query)):
        term = next(g for g in match.groups() if g is not None).strip()
        if term and term not in terms:
            terms.append(term)
    return terms


def occurrences(text: str, term: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of term in text."""
    found = []
    pos = text.find(term)
    while pos != -1:
        found.append(pos)
        pos = text.find(term, pos + 1)
    return found


class Searcher:
    """Answers queries against one library; keeps small per-library tables between queries."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.conn = library.conn
        self._norm_cache: dict[int, float] | None = None
        self._dead: set[int] | None = None
        self._dead_array = None  # the same as a numpy array, for trigram lookups
        self._checked = False

    def _norms(self) -> dict[int, float]:
        """bm25's length factor of every report, K1 · (1 − B + B · length / average), computed once."""
        if self._norm_cache is None:
            lengths = dict(self.conn.execute("SELECT num, body_len FROM reports"))
            avg = (sum(lengths.values()) / max(1, len(lengths))) or 1.0
            self._norm_cache = {num: K1 * (1 - B + B * n / avg) for num, n in lengths.items()}
        return self._norm_cache

    def _removed(self) -> set[int]:
        if self._dead is None:
            self._dead = {r[0] for r in self.conn.execute("SELECT num FROM removed")}
        return self._dead

    def _check_index(self) -> None:
        """An index emptied behind the library's back would answer every query with nothing."""
        if self._checked:
            return
        has_text = self.conn.execute("SELECT EXISTS (SELECT 1 FROM reports WHERE body_len >= 3)").fetchone()[
            0
        ]
        for table in ("grams", "trigrams"):
            if has_text and not self.conn.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]:
                raise trigrams.DamagedIndex(f"the {table} table is empty")
        self._checked = True

    def counts(self, term: str) -> dict[int, int]:
        """Report number → occurrences of term, from the index."""
        self._check_index()
        dead = self._removed()
        if len(term) <= 2:
            found = grams.lookup(self.conn, term)
            return {d: n for d, n in found.items() if d not in dead} if dead else found
        if self._dead_array is None:
            import numpy as np

            self._dead_array = np.array(sorted(dead), dtype=np.uint64)
        return trigrams.counts(self.conn, term, self._dead_array)

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        per_report: int = 5,
        place: str | None = None,
        year: int | None = None,
        kind: str | None = None,
    ) -> SearchResult:
        """Ranked hits for a query; every term must occur in a report for it to count."""
        started = time.perf_counter()
        terms = parse_query(query)
        result = SearchResult(query=query, terms=terms)
        if not terms:
            return result
        try:
            per_term = [self.counts(t) for t in terms]
        except (sqlite3.DatabaseError, trigrams.DamagedIndex) as err:
            raise LibraryError(
                f"{self.library.path}: the search index is damaged ({err}); run `eduread reindex`"
            ) from None
        docs = set(per_term[0])
        for counts in per_term[1:]:
            docs &= set(counts)
        allowed = self.library.filtered_nums(place, year, kind)
        if allowed is not None:
            docs &= allowed
        norms = self._norms()
        total_docs = max(1, len(norms))
        scores: dict[int, float] = dict.fromkeys(docs, 0.0)
        for counts in per_term:
            df = len(counts)
            weight = math.log(1 + (total_docs - df + 0.5) / (df + 0.5)) * (K1 + 1)
            for doc in docs:
                tf = counts[doc]
                scores[doc] += weight * tf / (tf + norms.get(doc, K1))
        # A page needs at most `limit` reports (each gives at least one hit): no full sort.
        ranked = heapq.nsmallest(limit, docs, key=lambda d: (-scores[d], d))
        result.ranked = ranked
        result.reports = len(docs)
        result.total = sum(counts[d] for counts in per_term for d in docs)
        self._fill_hits(result, terms, ranked, limit, per_report)
        result.took_ms = (time.perf_counter() - started) * 1000
        return result

    def _fill_hits(
        self, result: SearchResult, terms: list[str], ranked: list[int], limit: int, per_report: int
    ) -> None:
        for num in ranked:
            if len(result.hits) >= limit:
                break
            entry = self.library.entry(num)
            if entry is None:
                continue
            body = self.library.body(num)
            outline = self.library.outline(num)
            spans = sorted((p, p + len(t)) for t in terms for p in occurrences(body, t))
            for start, end in spans[: min(per_report, limit - len(result.hits))]:
                result.hits.append(self.make_hit(entry, body, outline, start, end))

    @staticmethod
    def make_hit(entry, body: str, outline: list, start: int, end: int) -> Hit:
        """A hit with its section path and a one-line snippet around it."""
        lo = max(0, start - SNIPPET_SIDE)
        hi = min(len(body), end + SNIPPET_SIDE)
        snippet = body[lo:hi].replace("\n", " ")
        section = [row[3] for row in sorted((r for r in outline if r[0] <= start < r[1]), key=lambda r: r[2])]
        return Hit(
            report=entry.id,
            num=entry.num,
            title=entry.title,
            place=entry.place_name,
            parts=entry.parts,
            section=section,
            start=start,
            end=end,
            snippet=snippet,
            mark=(start - lo, end - lo),
        )
