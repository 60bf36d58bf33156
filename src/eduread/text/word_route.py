"""jieba's segmentation without its HMM, several times faster, so import-time keywords stay cheap.

jieba splits each run of Chinese text into the dictionary words with the highest product of word
frequencies. Its code walks the dictionary one character at a time from every position. Here the 1- to
4-character strings of a text are packed into integers and looked up in sorted arrays of jieba's
words, a numpy pass per length; the few longer words are walked from their first four characters;
and the best route is the same sum taken in the same order, so the words are exactly jieba's
(tests compare the two).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from math import log

import numpy as np

_CLASS = "\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-"  # jieba's re_han_default: what may form a word
_BLOCK = re.compile(f"[{_CLASS}]+")
_GAP = re.compile(f"[^{_CLASS}]")
_DIRECT = 4  # strings up to this long are packed into one 64-bit key (16 bits a character)
_PREFIX = 1.0  # a string that only begins words
_ABSENT = 2.0  # a string that is not in the dictionary; a word's weight is below 0
_SHIFT = np.uint64(16)


def _units(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-16-le"), dtype=np.uint16).astype(np.uint64)


class WordRoute:
    """A best-route segmenter over jieba's dictionary (FREQ, with prefixes at 0, and its total)."""

    def __init__(self, freq: Mapping[str, int], total: int) -> None:
        logtotal = log(total)
        self.fallback = -logtotal  # a character that is no word: log(1) − log(total)

        def weight(f: int) -> float:  # math.log, as jieba: numpy's log may differ in the last bit
            return log(f) - logtotal if f else _PREFIX

        by_length: dict[int, list[str]] = {n: [] for n in range(1, _DIRECT + 1)}
        for word in freq:
            if len(word) <= _DIRECT and _GAP.search(word) is None:
                by_length[len(word)].append(word)
        # characters are 16-bit code units here, so single characters index one flat array
        self.chars = np.full(1 << 16, _ABSENT)
        singles = by_length.pop(1)
        self.chars[_units("".join(singles))] = [weight(freq[w]) for w in singles]
        self.tables: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for length, words in by_length.items():
            units = _units("".join(words)).reshape(-1, length)
            keys = units[:, 0].copy()
            for k in range(1, length):
                keys = (keys << _SHIFT) | units[:, k]
            order = np.argsort(keys)
            self.tables[length] = (keys[order], np.array([weight(freq[w]) for w in words])[order])
        self.long = {w: weight(f) for w, f in freq.items() if len(w) > _DIRECT}
        self.heads = {w[:_DIRECT] for w, f in freq.items() if len(w) > _DIRECT and f}

    def save(self, path: str) -> None:
        """Write the packed tables to one file, so the next process loads them instead of rebuilding."""
        arrays = {"chars": self.chars, "fallback": np.array([self.fallback])}
        for length, (keys, weights) in self.tables.items():
            arrays[f"keys{length}"] = keys
            arrays[f"weights{length}"] = weights
        long_words = list(self.long)
        arrays["long_words"] = np.array("\n".join(long_words))
        arrays["long_weights"] = np.array([self.long[w] for w in long_words])
        arrays["heads"] = np.array("\n".join(sorted(self.heads)))
        with open(path, "wb") as out:
            np.savez(out, **arrays)

    @classmethod
    def load(cls, path: str) -> WordRoute:
        """The tables `save` wrote (about 20 ms, where building them from jieba's dictionary takes 1 s)."""
        route = cls.__new__(cls)
        with np.load(path) as data:
            route.chars = data["chars"]
            route.fallback = float(data["fallback"][0])
            route.tables = {n: (data[f"keys{n}"], data[f"weights{n}"]) for n in range(2, _DIRECT + 1)}
            words = str(data["long_words"]).split("\n") if str(data["long_words"]) else []
            route.long = dict(zip(words, data["long_weights"].tolist(), strict=True))
            heads = str(data["heads"])
            route.heads = set(heads.split("\n")) if heads else set()
        return route

    def _lookup(self, length: int, keys: np.ndarray) -> np.ndarray:
        """Weights of packed keys of one length; _ABSENT for those not in the dictionary."""
        table, weights = self.tables[length]
        if not len(table) or not len(keys):
            return np.full(len(keys), _ABSENT)
        order = np.argsort(keys)  # sorted queries walk the table in order: far fewer cache misses
        found = np.empty(len(keys), dtype=np.int64)
        found[order] = np.searchsorted(table, keys[order])
        np.minimum(found, len(table) - 1, out=found)
        return np.where(table[found] == keys, weights[found], _ABSENT)

    def _weights(self, s: str) -> tuple[list[list[float]], np.ndarray]:
        """Weight of the word at each position for lengths 1 to 4, and where 4-grams are known.

        A string is in jieba's dictionary (as a word or a prefix) only if its own prefix is, so
        3- and 4-character strings are looked up only where the shorter one was found.
        """
        n = len(s)
        units = _units(s)
        out = [self.chars[units]]
        grams = units
        present = np.ones(n, dtype=bool)
        for length in range(2, _DIRECT + 1):
            size = max(0, n - length + 1)
            grams = (grams[:size] << _SHIFT) | units[length - 1 : length - 1 + size]
            present = present[:size] & (out[-1][:size] < _ABSENT)
            at = np.flatnonzero(present)
            w = np.full(size, _ABSENT)
            w[at] = self._lookup(length, grams[at])
            out.append(w)
        pad = [_ABSENT] * _DIRECT
        last = np.flatnonzero(out[-1] < _ABSENT) if self.heads else np.zeros(0, dtype=np.int64)
        return [w.tolist() + pad for w in out], last

    def cut(self, text: str) -> Iterator[str]:
        """The words of every block of text, in order (characters between blocks are skipped)."""
        for start, length in self.route(text):
            yield text[start : start + length]

    def route(self, text: str) -> list[tuple[int, int]]:
        """(start, length) of every word on the best route through each block of text."""
        # Characters outside blocks become code 0, which no word holds (this also turns characters
        # beyond 16 bits into one code unit each, keeping offsets equal to string indices).
        s = _GAP.sub("\x00", text)
        n = len(s)
        (w1, w2, w3, w4), known4 = self._weights(s)
        longer = self._longer(s, known4)
        fallback = self.fallback
        none = float("-inf")
        best = [0.0] * (n + 1)
        step = [1] * (n + 1)
        out: list[tuple[int, int]] = []
        for match in _BLOCK.finditer(s):
            first, end = match.span()
            best[end] = 0.0  # each block is routed on its own, as jieba does
            for i in range(end - 1, first - 1, -1):
                c = w1[i]
                if w2[i] == _ABSENT and i not in longer:  # no word longer than one character here
                    best[i] = (c if c < 0.0 else fallback) + best[i + 1]
                    step[i] = 1
                    continue
                # Candidates by increasing length; `>=` keeps the longer on a tie, as jieba's
                # max() over (score, end) does.
                score = none
                length = 1
                if c < 0.0:
                    score = c + best[i + 1]
                c = w2[i]
                if c < 0.0:
                    v = c + best[i + 2]
                    if v >= score:
                        score, length = v, 2
                c = w3[i]
                if c < 0.0:
                    v = c + best[i + 3]
                    if v >= score:
                        score, length = v, 3
                c = w4[i]
                if c < 0.0:
                    v = c + best[i + 4]
                    if v >= score:
                        score, length = v, 4
                if i in longer:
                    for k, c in longer[i]:
                        v = c + best[i + k]
                        if v >= score:
                            score, length = v, k
                best[i] = fallback + best[i + 1] if score == none else score
                step[i] = length
            i = first
            while i < end:
                out.append((i, step[i]))
                i += step[i]
        return out

    def _longer(self, s: str, starts: np.ndarray) -> dict[int, list[tuple[int, float]]]:
        """Words of five characters or more, by start, walked from known 4-character prefixes."""
        found: dict[int, list[tuple[int, float]]] = {}
        n = len(s)
        for i in starts.tolist():
            if s[i : i + _DIRECT] not in self.heads:
                continue
            j = i + _DIRECT + 1
            while j <= n:
                c = self.long.get(s[i:j], _ABSENT)
                if c < 0.0:
                    found.setdefault(i, []).append((j - i, c))
                elif c == _ABSENT:
                    break
                j += 1
        return found
