"""Find every occurrence of a query across the library, like Ctrl+F, ranked by bm25.

The index (index.py) is tantivy's, one token per character with positions, so a term of one
character is a term query and a longer one a phrase query: exactly the reports that contain it
as a substring. The engine scores each report by bm25 from the term's frequency in it; the
frequency is read back from that score (`_Frequencies`), so the totals come from the engine
without reading the texts. Only the page's reports are read, for their hits and snippets, and
they check the read-back counts: if one disagrees, every matched report is counted by a scan.
"""

from __future__ import annotations

import heapq
import json
import re
import struct
import time

from eduread.library import index
from eduread.library.store import Library, LibraryError
from eduread.text.matching import match_form

_TOKEN = re.compile(r'"([^"]+)"|“([^”]+)”|(\S+)')
SNIPPET_SIDE = 28
# A figure and its unit (4.07万个, 12.5%, 300余所): a snippet is never cut inside one.
_FIGURE = re.compile(
    r"[0-9０-９]+(?:[.．,，][0-9０-９]+)*[余多]?[十百千万亿]*[余多]?[%％‰个所人名元项次家座间台套倍]?"
)
_CLAUSE_END = "。；！？\n"
_NO_LINE_START = "、，。；：！？）》」』,.;:!?) "


class Hit:
    """One occurrence: where it is, in which section, and the text around it."""

    __slots__ = ("report", "num", "title", "place", "parts", "section", "start", "end", "snippet", "mark")

    def __init__(
        self,
        report: str,
        num: int,
        title: str,
        place: str,
        parts: list[dict],
        section: list[str],
        start: int,
        end: int,
        snippet: str,
        mark: tuple[int, int],
    ) -> None:
        self.report = report
        self.num = num
        self.title = title
        self.place = place
        self.parts = parts
        self.section = section
        self.start = start
        self.end = end
        self.snippet = snippet
        self.mark = mark

    def __repr__(self) -> str:
        return f"Hit({self.report[:10]} @{self.start}-{self.end} {self.snippet!r})"

    def to_dict(self) -> dict:
        """JSON form used by `eduread search --json`."""
        s, e = self.mark
        return {
            "report": self.report,
            "title": self.title,
            "place": self.place,
            "parts": self.parts,
            "section": self.section,
            "start": self.start,
            "end": self.end,
            "snippet": self.snippet,
            "snippet_marked": self.snippet[:s] + "【" + self.snippet[s:e] + "】" + self.snippet[e:],
        }


class SearchResult:
    """The first page of hits plus the whole library's counts.

    Plain classes here, not dataclasses: `eduread search` is a short process, and importing
    dataclasses (with inspect) would be a fifth of its time.
    """

    def __init__(self, query: str, terms: list[str]) -> None:
        self.query = query
        self.terms = terms
        self.total = 0
        self.reports = 0
        self.took_ms = 0.0
        self.hits: list[Hit] = []
        self.ranked: list[int] = []  # the page's reports, best first

    def __repr__(self) -> str:
        return f"SearchResult({self.query!r}: {self.summary()})"

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
    """Terms of a query: words split on spaces, "quoted text" kept whole, in the match form."""
    terms = []
    for match in _TOKEN.finditer(match_form(query)):
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


def count(text: str, term: str) -> int:
    """How many (possibly overlapping) times term occurs in text."""
    if not term:
        return 0
    overlaps = any(term[:k] == term[-k:] for k in range(1, len(term)))
    return len(occurrences(text, term)) if overlaps else text.count(term)


def _f32(x: float) -> float:
    return struct.unpack("f", struct.pack("f", x))[0]


def _weight(explanation: str) -> float:
    """bm25's (K1 + 1) · idf for one term or phrase, as the engine computed it (32-bit floats)."""
    found: dict[str, float] = {}

    def walk(node: dict) -> None:
        text = node.get("description", "")
        if text == "(K1+1)":
            found["k1"] = node["value"]
        elif text.startswith("idf"):
            found["idf"] = node["value"]
        for child in node.get("details", []):
            walk(child)

    walk(json.loads(explanation))
    return _f32(_f32(found["k1"]) * _f32(found["idf"]))


class _Frequencies:
    """Each report's length factor in bm25, learnt from the sentinel every report holds once.

    A term's score in a report is W · f / (f + c): W is the term's weight (from one explanation),
    c the report's length factor, the same for every term. The sentinel occurs once in every
    report, so its score gives c; then any score gives back f, the term's frequency.
    """

    def __init__(self, engine, schema) -> None:
        import tantivy

        query = tantivy.Query.term_query(schema, "body", index.SENTINEL)
        hits = engine.search(query, limit=max(1, engine.num_docs), count=False).hits
        self.factor: dict[tuple[int, int], float] = {}
        if hits:
            weight = _weight(query.explain(engine, hits[0][1]).to_json())
            for score, address in hits:
                self.factor[(address.segment_ord, address.doc)] = weight / score - 1 if score else 0.0

    def frequency(self, weight: float, score: float, address) -> float | None:
        """The frequency a score implies, or None when it cannot be read back exactly."""
        c = self.factor.get((address.segment_ord, address.doc))
        if c is None or weight <= 0:
            return None
        r = score / weight
        if not 0 < r < 1:
            return None
        f = c * r / (1 - r)
        whole = round(f)
        return whole if whole >= 1 and abs(f - whole) < 0.2 else None


class Searcher:
    """Answers queries against one library; keeps the engine's per-report factors between queries."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.conn = library.conn
        self.text_index = index.TextIndex(library.folder)
        self._frequencies: _Frequencies | None = None
        self._generation: str | None = None

    def _engine(self):
        """The engine's searcher over the last commit, and the frequency reader for it."""
        engine = self.text_index.searcher()
        try:
            generation = (self.text_index.path / "meta.json").read_text(encoding="utf-8")
        except OSError:
            generation = None
        if self._frequencies is None or generation is None or generation != self._generation:
            self._frequencies = _Frequencies(engine, self.text_index.index().schema)
            self._generation = generation
        return engine, self._frequencies

    def counts(self, term: str) -> tuple[dict[int, int], dict[int, float], list[int]]:
        """(report → occurrences, report → bm25 score, reports whose count needs a scan) for a term."""
        import tantivy

        engine, frequencies = self._engine()
        schema = self.text_index.index().schema
        if len(term) == 1:
            query = tantivy.Query.term_query(schema, "body", term)
        else:
            query = tantivy.Query.phrase_query(schema, "body", list(term))
        hits = engine.search(query, limit=max(1, engine.num_docs), count=False).hits
        if not hits:
            return {}, {}, []
        weight = _weight(query.explain(engine, hits[0][1]).to_json())
        nums = engine.fast_field_values("num", [address for _score, address in hits])
        found: dict[int, int] = {}
        scores: dict[int, float] = {}
        unsure = []
        for (score, address), num in zip(hits, nums, strict=True):
            scores[num] = score
            f = frequencies.frequency(weight, score, address)
            if f is None:
                unsure.append(num)
                found[num] = 0
            else:
                found[num] = f
        return found, scores, unsure

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
        self.library.repair_index()  # another process's write may have been cut short
        if not terms or not self.text_index.exists():
            result.took_ms = (time.perf_counter() - started) * 1000
            return result
        try:
            per_term = [self.counts(t) for t in terms]
        except (ValueError, OSError, index.IndexError_) as err:
            raise LibraryError(
                f"{self.library.path}: the search index is damaged ({err}); run `eduread reindex`"
            ) from None
        docs = set(per_term[0][0])
        for counts, _scores, _unsure in per_term[1:]:
            docs &= set(counts)
        allowed = self.library.filtered_nums(place, year, kind)
        if allowed is not None:
            docs &= allowed
        scores = {d: sum(t[1][d] for t in per_term) for d in docs}
        # A page needs at most `limit` reports (each gives at least one hit): no full sort.
        ranked = heapq.nsmallest(limit, docs, key=lambda d: (-scores[d], d))
        result.ranked = ranked
        result.reports = len(docs)
        read = self._fill_hits(result, terms, ranked, limit, per_report)
        unsure = {d for _c, _s, u in per_term for d in u if d in docs}
        if any(per_term[i][0].get(num) != n for (num, i), n in read.items() if num not in unsure):
            unsure = docs  # the engine's arithmetic is not what `_Frequencies` expects: count them all
        for num in unsure:
            if all((num, i) in read for i in range(len(terms))):
                continue
            body = match_form(self.library.body(num))
            for i, term in enumerate(terms):
                read[(num, i)] = count(body, term)
        result.total = sum(
            read[(d, i)] if (d, i) in read else per_term[i][0][d] for d in docs for i in range(len(terms))
        )
        result.took_ms = (time.perf_counter() - started) * 1000
        return result

    def _fill_hits(
        self, result: SearchResult, terms: list[str], ranked: list[int], limit: int, per_report: int
    ) -> dict[tuple[int, int], int]:
        """Hits of the page's reports; returns each (report, term index) → occurrences it counted."""
        counted: dict[tuple[int, int], int] = {}
        for num in ranked:
            entry = self.library.entry(num)
            if entry is None:
                continue
            body = self.library.body(num)
            folded = match_form(body)
            spans = []
            for i, term in enumerate(terms):
                found = occurrences(folded, term)
                counted[(num, i)] = len(found)
                spans.extend((p, p + len(term)) for p in found)
            if len(result.hits) >= limit:
                continue
            outline = self.library.outline(num)
            for start, end in sorted(spans)[: min(per_report, limit - len(result.hits))]:
                result.hits.append(self.make_hit(entry, body, outline, start, end))
        return counted

    @staticmethod
    def make_hit(entry, body: str, outline: list, start: int, end: int) -> Hit:
        """A hit with its section path and a one-line snippet around it."""
        lo, hi = snippet_bounds(body, start, end)
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


def snippet_bounds(body: str, start: int, end: int, side: int = SNIPPET_SIDE) -> tuple[int, int]:
    """Where a snippet around body[start:end] begins and ends.

    It starts after the clause before the hit when that is near, never inside a figure
    (4.07万个 stays whole or out), and never on a mark that cannot start a line (、，。).
    """
    lo = max(0, start - side)
    hi = min(len(body), end + side)
    clause = max(body.rfind(ch, lo, start) for ch in _CLAUSE_END)
    if clause >= 0:
        lo = clause + 1
    for m in _FIGURE.finditer(body, max(0, lo - 20), min(len(body), hi + 20)):
        if m.start() < lo < m.end():
            lo = m.start() if lo - m.start() <= 6 else min(m.end(), start)
        if m.start() < hi < m.end():
            hi = m.end() if m.end() - hi <= 6 else max(m.start(), end)
    while lo < start and body[lo] in _NO_LINE_START:
        lo += 1
    return lo, hi
