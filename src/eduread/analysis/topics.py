"""Topics of a report's sections, so sections can be aligned across cities whose headings differ."""

from __future__ import annotations

import json
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from eduread.parse.model import Report, Section

TITLE_WEIGHT = 3.0
COHERENT_SHARE = 0.5


@dataclass(frozen=True)
class Topic:
    """One topic of the taxonomy: a stable id, its Chinese name and weighted keywords."""

    id: str
    name: str
    keywords: tuple[tuple[str, float], ...]


@dataclass
class SectionTopics:
    """What one section is about: its main topic, or none when it gathers several (a catch-all)."""

    primary: str | None
    scores: dict[str, float]
    mixed: bool = False

    def top(self, n: int = 3, share: float = 0.5) -> list[str]:
        """The section's strongest topics: those within `share` of the best score."""
        if not self.scores:
            return []
        best = max(self.scores.values())
        ranked = sorted(self.scores, key=lambda t: -self.scores[t])
        return [t for t in ranked if self.scores[t] >= best * share][:n]


@lru_cache(maxsize=1)
def taxonomy() -> tuple[Topic, ...]:
    """The bundled topic list (analysis/data/topics.json), loaded once."""
    raw = resources.files("eduread.analysis").joinpath("data/topics.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    return tuple(
        Topic(t["id"], t["name"], tuple((k, float(w)) for k, w in t["keywords"].items()))
        for t in data["topics"]
    )


def topic_names() -> dict[str, str]:
    """Topic id → Chinese name."""
    return {t.id: t.name for t in taxonomy()}


@lru_cache(maxsize=1)
def _keywords_by_head() -> dict[str, list[tuple[int, int, str, float]]]:
    """Every keyword under its first character: (topic index, keyword index, word, weight)."""
    index: dict[str, list[tuple[int, int, str, float]]] = {}
    for t, topic in enumerate(taxonomy()):
        for k, (word, weight) in enumerate(topic.keywords):
            index.setdefault(word[0], []).append((t, k, word, weight))
    return index


@lru_cache(maxsize=1)
def _overlapping() -> frozenset[str]:
    """The keywords two occurrences of which can overlap (它们它们: a prefix that is also a suffix)."""
    words = (word for topic in taxonomy() for word, _ in topic.keywords)
    return frozenset(w for w in words if any(w[:k] == w[-k:] for k in range(1, len(w))))


def score_text(text: str) -> dict[str, float]:
    """Weighted keyword hits of each topic in a stretch of text (topics with no hit left out).

    Only keywords whose first character occurs in the text are counted (most sections hold few of
    them); hits are summed per topic in the taxonomy's keyword order, as a plain loop would.
    """
    index = _keywords_by_head()
    hits: list[tuple[int, int, float]] = []
    for head in set(text).intersection(index):
        for t, k, word, weight in index[head]:
            n = text.count(word)
            if n:
                hits.append((t, k, weight * n))
    return _summed(hits)


class _Occurrences:
    """Where each keyword occurs in a report's body, so that a section's score (its body holds its
    sub-sections' bodies) is read from the occurrences within it instead of scanning it again.

    For a keyword that cannot overlap itself, what `str.count` finds in a stretch is exactly the
    occurrences that lie wholly inside it; any other keyword is counted in the stretch itself.
    """

    def __init__(self, body: str) -> None:
        self.body = body
        self.starts: list[int] = []
        self.found: list[tuple[int, int, int, int, float]] = []  # (start, end, topic, keyword, weight)
        self.counted: list[tuple[int, int, str, float]] = []
        index = _keywords_by_head()
        overlapping = _overlapping()
        for head in set(body).intersection(index):
            for t, k, word, weight in index[head]:
                if word in overlapping:
                    self.counted.append((t, k, word, weight))
                    continue
                at = body.find(word)
                while at >= 0:
                    self.found.append((at, at + len(word), t, k, weight))
                    at = body.find(word, at + len(word))
        self.found.sort()
        self.starts = [f[0] for f in self.found]

    def score(self, start: int, end: int) -> dict[str, float]:
        """`score_text(body[start:end])`, the same sums in the same order."""
        counts: Counter[tuple[int, int]] = Counter()
        weights: dict[tuple[int, int], float] = {}
        for _at, stop, t, k, weight in self.found[
            bisect_left(self.starts, start) : bisect_left(self.starts, end)
        ]:
            if stop <= end:
                counts[t, k] += 1
                weights[t, k] = weight
        hits = [(t, k, weights[t, k] * n) for (t, k), n in counts.items()]
        if self.counted:
            text = self.body[start:end]
            hits += [(t, k, w * n) for t, k, word, w in self.counted if (n := text.count(word))]
        return _summed(hits)


def _summed(hits: list[tuple[int, int, float]]) -> dict[str, float]:
    """Hits summed per topic in the taxonomy's keyword order, topics in the taxonomy's order."""
    hits.sort()
    topics = taxonomy()
    scores: dict[str, float] = {}
    for t, _k, value in hits:
        topic_id = topics[t].id
        scores[topic_id] = scores.get(topic_id, 0.0) + value
    return {topic.id: scores[topic.id] for topic in topics if topic.id in scores}


def _normalised(scores: dict[str, float]) -> dict[str, float]:
    total = sum(scores.values())
    return {k: v / total for k, v in scores.items()} if total else {}


def _combine(title: dict[str, float], body: dict[str, float]) -> dict[str, float]:
    """The heading weighs TITLE_WEIGHT times the body; each is first made a distribution."""
    out: dict[str, float] = {}
    for topic, value in _normalised(title).items():
        out[topic] = out.get(topic, 0.0) + TITLE_WEIGHT * value
    for topic, value in _normalised(body).items():
        out[topic] = out.get(topic, 0.0) + value
    return out


def _argmax(scores: dict[str, float]) -> str | None:
    return max(scores, key=lambda t: scores[t]) if scores else None


def classify(report: Report) -> dict[int, SectionTopics]:
    """Topics of every section, keyed by the section's start offset (unique within a report)."""
    out: dict[int, SectionTopics] = {}
    occurrences = _Occurrences(report.body)

    def visit(section: Section) -> SectionTopics:
        title = score_text(section.title)
        body = occurrences.score(section.title_end, section.end)
        scores = _combine(title, body)
        primary = _argmax(scores)
        if section.children:
            kids = [visit(child).primary for child in section.children]
            counts = Counter(k for k in kids if k is not None)
            majority, votes = counts.most_common(1)[0] if counts else (None, 0)
            voters = sum(counts.values())  # children with no topic of their own abstain
            if title and majority in scores and votes > COHERENT_SHARE * voters:
                # Most children share a topic the section itself speaks of: that is its topic.
                primary = majority
            elif not title or (voters and counts[primary] < COHERENT_SHARE * voters):
                # A heading with no topic of its own ("2019年工作总结"), or one whose children
                # mostly go elsewhere, is a catch-all: it is split by its children.
                result = SectionTopics(None, scores, mixed=True)
                out[section.start] = result
                return result
        result = SectionTopics(primary, scores)
        out[section.start] = result
        return result

    for section in report.sections:
        visit(section)
    return out


def units(
    sections: list[Section], topics: dict[int, SectionTopics], inherited: str | None = None
) -> list[tuple[Section, str | None]]:
    """The sections to align, each with its topic: a section stays whole unless a child goes to
    another topic; a child with no topic of its own takes its parent's."""
    out: list[tuple[Section, str | None]] = []
    for section in sections:
        own = topics[section.start]
        topic = own.primary if own.primary is not None or own.mixed else inherited
        if section.children and (
            topic is None or any(_elsewhere(topics[c.start], topic) for c in section.children)
        ):
            out.extend(units(section.children, topics, topic))
        else:
            out.append((section, topic))
    return out


def _elsewhere(child: SectionTopics, topic: str) -> bool:
    """A child leaves its parent's topic when it has another one; a child with none stays."""
    return child.mixed or (child.primary is not None and child.primary != topic)
