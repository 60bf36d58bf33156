"""Find every occurrence of a query across the library, like Ctrl+F, ranked by bm25.

The index (index.py) is tantivy's, one token per character with positions, so a term of one
character is a term query and a longer one a phrase query: exactly the reports that contain it
as a substring. The engine scores each report by bm25 from the term's frequency in it; the
frequency is read back from that score (`frequencies`), so the totals come from the engine
without reading the texts. Only the page's reports are read, for their hits and snippets, and
they check the read-back counts: if one disagrees, every matched report is counted by a scan.
A single character across the whole library, which nearly every report holds, takes its totals
from the counts kept with the texts (char_counts.py) and only its first page from the engine.
"""

from __future__ import annotations

import heapq
import json
import os
import re
import struct
import sys
import time
import zlib
from array import array
from bisect import bisect_left
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

from eduread.library import index
from eduread.library.store import Library, LibraryError
from eduread.text.matching import match_form

FACTORS_FILE = "index-lengths.bin"  # in the library folder, beside the index (see _LengthFactors)
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
        parts: list,  # list[Part]
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
            "parts": [dict(vars(p)) for p in self.parts],
            "section": self.section,
            "start": self.start,
            "end": self.end,
            "snippet": self.snippet,
            "snippet_marked": self.snippet[:s] + "【" + self.snippet[s:e] + "】" + self.snippet[e:],
        }


def distinct_hits(hits: list[Hit]) -> list[Hit]:
    """The hits a listing shows: one whose text the snippet shown just before it (of the same
    report) already holds is left out, so two hits in one sentence make one row, not two of the
    same words. Opening the report at that row finds both; counts and JSON keep every hit."""
    shown: list[Hit] = []
    for hit in hits:
        before = shown[-1] if shown else None
        if before is not None and before.num == hit.num:
            lo = before.start - before.mark[0]  # where the earlier snippet begins in the body
            if lo <= hit.start and hit.end <= lo + len(before.snippet):
                continue
        shown.append(hit)
    return shown


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


def _cannot_write(err: BaseException) -> bool:
    return index.cannot_write(err)


def _weight(explanation: str) -> float:
    """bm25's (K1 + 1) · idf for one term, as the engine's explanation of a score gives it."""
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
    return found["k1"] * found["idf"]


class _LengthFactors:
    """Each report's length factor in bm25, learnt from the sentinel every report holds once.

    bm25 scores a term that occurs f times in a report W · f / (f + c): W belongs to the term,
    c to the report (its length against the average), the same for every term. The sentinel
    occurs once in every report, so its score there, W₀ / (1 + c), gives c. Worked out once per
    state of the index and kept in a file beside it (`FACTORS_FILE`), so a search process reads
    ten thousand factors instead of scoring ten thousand reports.
    """

    def __init__(self, engine, schema, folder: Path, generation: str | None) -> None:
        self._dict: dict[int, float] | None = None
        self._nums, self._values = array("q"), array("d")  # by report number, from the file
        stamp = zlib.crc32(generation.encode("utf-8")) if generation is not None else None
        if stamp is not None and self._load(folder / FACTORS_FILE, stamp):
            return
        import tantivy

        query = tantivy.Query.term_query(schema, "body", index.SENTINEL)
        hits = engine.search(query, limit=max(1, engine.num_docs), count=False).hits
        self._dict = {}
        if hits:
            weight = _weight(query.explain(engine, hits[0][1]).to_json())
            nums = engine.fast_field_values("num", [address for _score, address in hits])
            self._dict = {
                num: weight / score - 1 for (score, _a), num in zip(hits, nums, strict=True) if score
            }
        if stamp is not None:
            self._save(folder / FACTORS_FILE, stamp)

    def __bool__(self) -> bool:
        return bool(self._dict) if self._dict is not None else len(self._nums) > 0

    @property
    def of(self) -> dict[int, float]:
        """Every report's factor."""
        if self._dict is None:
            self._dict = dict(zip(self._nums, self._values, strict=True))
        return self._dict

    def some(self, nums: list[int]) -> dict[int, float]:
        """The factors of these reports: a few are looked up, without making all ten thousand."""
        if self._dict is not None or len(nums) > 256:
            return self.of
        keys, out = self._nums, {}
        for num in nums:
            i = bisect_left(keys, num)
            if i < len(keys) and keys[i] == num:
                out[num] = self._values[i]
        return out

    def _load(self, path: Path, stamp: int) -> bool:
        try:
            data = path.read_bytes()
        except OSError:
            return False
        if len(data) < 8:
            return False
        saved, count = struct.unpack_from("<II", data)
        if saved != stamp or len(data) != 8 + 16 * count:
            return False
        self._nums.frombytes(data[8 : 8 + 8 * count])
        self._values.frombytes(data[8 + 8 * count :])
        if sys.byteorder != "little":
            self._nums.byteswap()
            self._values.byteswap()
        return True

    def _save(self, path: Path, stamp: int) -> None:
        """Write the factors, by report number, for the next process; a library this user may only
        read goes without."""
        pairs = sorted(self.of.items())
        nums, factors = array("q", [n for n, _f in pairs]), array("d", [f for _n, f in pairs])
        if sys.byteorder != "little":
            nums.byteswap()
            factors.byteswap()
        temporary = path.with_name(f"{path.name}.{os.getpid()}")
        try:
            temporary.write_bytes(struct.pack("<II", stamp, len(nums)) + nums.tobytes() + factors.tobytes())
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)


def _read_back(score: float, c: float | None, inverse: float) -> int | None:
    """The whole frequency f with W · f / (f + c) = score, or None when the score does not give one."""
    if c is None:
        return None
    r = score * inverse
    if not 0.0 < r < 1.0:
        return None
    f = c * r / (1.0 - r)
    whole = int(f + 0.5)
    return whole if whole >= 1 and -0.2 < f - whole < 0.2 else None


def frequencies(
    nums: list[int], scores: list[float], factors: dict[int, float], known: dict[int, int]
) -> tuple[int, list[int]] | None:
    """The reports' frequencies of a term read back from their bm25 scores, summed; None if wrong.

    `known` holds exact counts of a few of the reports (the page's, read for their hits): the
    first gives the term's weight W = s · (f + c) / f, the rest check it. Reports whose score
    cannot be read back exactly are left out of the sum and listed, to be counted by a scan.
    Lengths are stored in a byte, so c takes few values: the reports are read back by distinct
    (score, c), not one by one.
    """
    anchor = next((num for num, f in known.items() if f and num in factors), None)
    if anchor is None:
        return None
    where = {}
    for i, num in enumerate(nums):  # the page's reports come first in the engine's order
        if num in known:
            where[num] = i
            if len(where) == len(known):
                break
    f = known[anchor]
    inverse = f / (scores[where[anchor]] * (f + factors[anchor]))  # 1 / W
    for num, i in where.items():
        if _read_back(scores[i], factors.get(num), inverse) not in (None, known[num]):
            return None
    lengths = list(map(factors.get, nums))
    total = 0
    unread = set()
    for (score, c), n in Counter(zip(scores, lengths, strict=True)).items():
        whole = _read_back(score, c, inverse)
        if whole is None:
            unread.add((score, c))
        else:
            total += whole * n
    pairs = zip(scores, lengths, strict=True)
    unsure = [num for num, pair in zip(nums, pairs, strict=True) if pair in unread] if unread else []
    return total, unsure


class Searcher:
    """Answers queries against one library; keeps the reports' length factors between queries."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.conn = library.conn
        self.text_index = index.TextIndex(library.folder)
        self._factors: _LengthFactors | None = None
        self._generation: str | None = None

    def _engine(self):
        """The engine's searcher over the last commit, and the length factors for it."""
        meta = self.text_index.path / "meta.json"
        try:
            before = meta.read_text(encoding="utf-8")
        except OSError:
            before = None
        engine = self.text_index.searcher()
        try:
            generation = meta.read_text(encoding="utf-8")
        except OSError:
            generation = None
        if generation != before:  # a commit between the two reads: the searcher's state is unknown
            generation = None  # worked out for this query only, neither kept nor saved
        if self._factors is None or generation is None or generation != self._generation:
            self._factors = _LengthFactors(
                engine, self.text_index.index().schema, self.library.folder, generation
            )
            self._generation = generation
        return engine, self._factors

    def matches(self, engine, term: str) -> tuple[list[int], list[float]]:
        """Every report holding term as a substring, best bm25 score first, with the scores."""
        import tantivy

        schema = self.text_index.index().schema
        if len(term) == 1:
            query = tantivy.Query.term_query(schema, "body", term)
        else:  # one token per character: a phrase of them is exactly the substring
            query = tantivy.Query.phrase_query(schema, "body", list(term))
        hits = engine.search(query, limit=max(1, engine.num_docs), count=False).hits
        if not hits:
            return [], []
        scores, addresses = zip(*hits, strict=True)
        return engine.fast_field_values("num", list(addresses)), list(scores)

    def reports_holding(self, term: str) -> list[int]:
        """Every report holding a term (in its matching form) as a substring, best bm25 first.

        For counting across the library (trends): the engine names the reports, the caller reads
        only those bodies. A library whose index this user cannot open is scanned instead.
        """
        self.library.repair_index()
        if not term or not self.text_index.exists():
            return []
        try:
            engine, _factors = self._engine()
            return self.matches(engine, term)[0]
        except Exception as err:  # the bindings raise their own types for files they cannot read
            if not _cannot_write(err):
                raise LibraryError(
                    f"{self.library.path}: the search index is damaged ({err}); run `eduread reindex`"
                ) from None
            return self._scanned([term], None)[0][0]

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
        self.library.repair_index()  # another process's write may have been cut short
        terms = parse_query(query)
        result = SearchResult(query=query, terms=terms)
        if not terms or not self.text_index.exists():
            result.took_ms = (time.perf_counter() - started) * 1000
            return result
        allowed = self.library.filtered_nums(place, year, kind)
        try:
            if len(terms) == 1 and len(terms[0]) == 1 and allowed is None:
                return self._one_character(result, terms[0], limit, per_report, started)
            engine, factors = self._engine()
            per_term = [self.matches(engine, t) for t in terms]
        except Exception as err:  # the bindings raise their own types for files they cannot read
            if not _cannot_write(err):
                raise LibraryError(
                    f"{self.library.path}: the search index is damaged ({err}); run `eduread reindex`"
                ) from None
            # a library this user may only read, whose index the engine cannot open: every text
            per_term = self._scanned(terms, allowed)
            factors = None
        if not factors and per_term and per_term[0][0]:  # no engine: count what the scan read
            return self._from_scan(result, terms, per_term, allowed, limit, per_report, started)
        if len(terms) == 1 and allowed is None:  # the engine's order is the ranking
            docs: set[int] | list[int] = per_term[0][0]
            ranked = per_term[0][0][:limit]
        else:
            maps = [dict(zip(nums, scores, strict=True)) for nums, scores in per_term]
            common = set(maps[0])
            for other in maps[1:]:
                common &= other.keys()
            if allowed is not None:
                common &= allowed
            combined = {d: sum(m[d] for m in maps) for d in common}
            # A page needs at most `limit` reports (each gives at least one hit): no full sort.
            ranked = heapq.nsmallest(limit, common, key=lambda d: (-combined[d], d))
            docs = common
        result.ranked = ranked
        result.reports = len(docs)
        read = self._fill_hits(result, terms, ranked, limit, per_report)
        result.total = sum(
            self._total(i, term, per_term[i], docs, factors, read) for i, term in enumerate(terms)
        )
        result.took_ms = (time.perf_counter() - started) * 1000
        return result

    def _one_character(
        self, result: SearchResult, term: str, limit: int, per_report: int, started: float
    ) -> SearchResult:
        """A one-character query over the whole library: totals kept with the texts
        (char_counts.py), and from the engine only the page's reports, best first."""
        import tantivy

        result.reports, result.total = self.library.char_count(term)
        if result.reports:
            engine = self.text_index.searcher()
            query = tantivy.Query.term_query(self.text_index.index().schema, "body", term)
            hits = engine.search(query, limit=max(1, limit), count=False).hits
            result.ranked = engine.fast_field_values("num", [address for _score, address in hits])
            self._fill_hits(result, [term], result.ranked, limit, per_report)
        result.took_ms = (time.perf_counter() - started) * 1000
        return result

    def _scanned(self, terms: list[str], allowed: set[int] | None) -> list[tuple[list[int], list[float]]]:
        """Each term's reports and bm25 scores from a scan of every stored body (no engine)."""
        import math

        lengths: dict[int, int] = {}
        counts: list[dict[int, int]] = [{} for _ in terms]
        for num, folded in self.library.match_bodies(None if allowed is None else sorted(allowed)):
            lengths[num] = len(folded)
            for i, term in enumerate(terms):
                n = count(folded, term)
                if n:
                    counts[i][num] = n
        self._scan_counts = counts
        average = sum(lengths.values()) / max(1, len(lengths))
        out = []
        for found in counts:
            idf = math.log(1 + (len(lengths) - len(found) + 0.5) / (len(found) + 0.5))
            scored = sorted(
                (
                    (2.2 * idf * f / (f + 1.2 * (0.25 + 0.75 * lengths[num] / average)), num)
                    for num, f in found.items()
                ),
                reverse=True,
            )
            out.append(([num for _s, num in scored], [score for score, _n in scored]))
        return out

    def _from_scan(self, result, terms, per_term, allowed, limit, per_report, started) -> SearchResult:
        """A result from `_scanned`: its counts are exact already."""
        maps = [dict(zip(nums, scores, strict=True)) for nums, scores in per_term]
        common = set(maps[0])
        for other in maps[1:]:
            common &= other.keys()
        combined = {d: sum(m[d] for m in maps) for d in common}
        result.ranked = heapq.nsmallest(limit, common, key=lambda d: (-combined[d], d))
        result.reports = len(common)
        result.total = sum(c[d] for c in self._scan_counts for d in common)
        self._fill_hits(result, terms, result.ranked, limit, per_report)
        result.took_ms = (time.perf_counter() - started) * 1000
        return result

    def _total(
        self,
        i: int,
        term: str,
        matched: tuple[list[int], list[float]],
        docs: set[int] | list[int],
        factors: _LengthFactors,
        read: dict[tuple[int, int], int],
    ) -> int:
        """Occurrences of the i-th term in the reports counted: from the engine, else by a scan."""
        if not docs:
            return 0
        nums, scores = matched
        if isinstance(docs, set) and len(docs) < len(nums):
            kept = [(n, s) for n, s in zip(nums, scores, strict=True) if n in docs]
            nums, scores = [n for n, _s in kept], [s for _n, s in kept]
        known = {num: n for (num, j), n in read.items() if j == i}
        answer = frequencies(nums, scores, factors.some(nums), known)
        # None: the engine's arithmetic is not what this expects, so every report is counted
        total, unsure = answer if answer is not None else (0, nums)
        for num in unsure:
            total += known[num] if num in known else count(self.library.match_body(num), term)
        return total

    def _fill_hits(
        self, result: SearchResult, terms: list[str], ranked: list[int], limit: int, per_report: int
    ) -> dict[tuple[int, int], int]:
        """Hits of the page's reports; returns each (report, term index) → occurrences it counted.

        Reads reports until the page is full, and at least two (their counts check the engine's).
        """
        counted: dict[tuple[int, int], int] = {}
        for done, num in enumerate(ranked):
            if len(result.hits) >= limit and done >= 2:
                break
            entry = self.library.entry(num)
            if entry is None:
                continue
            body, folded = self.library.body_with_form(num)
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
            parts=[SimpleNamespace(**p) for p in entry.part_dicts],  # .year, .label: no dataclasses to load
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
