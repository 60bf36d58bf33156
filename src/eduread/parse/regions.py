"""Place names to administrative paths, from a bundled gazetteer of China's divisions.

The table (data/regions.tsv) was built from cpca 0.5.5's resources/adcodes.csv (MIT licence; file
dated 2020-11), which carries the National Bureau of Statistics' 统计用区划代码 at county level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from eduread.parse.model import Region

_SUFFIXES = (
    "特别行政区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "新区",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
)


@dataclass(frozen=True)
class Division:
    """One row of the gazetteer."""

    code: str
    name: str

    @property
    def level(self) -> int:
        """0 province, 1 prefecture, 2 county."""
        if self.code.endswith("0000"):
            return 0
        if self.code.endswith("00"):
            return 1
        return 2


class Gazetteer:
    """Looks names up and walks a code to its province → prefecture → county path."""

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        self.by_code = {code: Division(code, name) for code, name in rows}
        self.by_name: dict[str, list[Division]] = {}
        names = {name for _code, name in rows}
        aliases = []
        for code, name in rows:
            # Counties and county-level cities keep their stem when they become districts (赣县 → 赣县区).
            if not code.endswith("00") and name.endswith(("县", "市")):
                renamed = (name if name.endswith("县") else name[:-1]) + "区"
                if renamed not in names:
                    aliases.append(Division(code, renamed))
        for division in [*self.by_code.values(), *aliases, *_renamed()]:
            self.by_name.setdefault(division.name, []).append(division)
            short = short_name(division.name)
            if short != division.name and len(short) >= 2:
                self.by_name.setdefault(short, []).append(division)
        names = sorted(self.by_name, key=len, reverse=True)
        self.by_head: dict[str, list[str]] = {}
        for name in names:  # longest first, so the first that fits is the longest
            self.by_head.setdefault(name[:2], []).append(name)

    def find_names(self, text: str) -> list[tuple[int, str]]:
        """(offset, name) of every place name in a text, leftmost and longest first, never overlapping.

        A dictionary of two-character heads walks the text once; an alternation of 6,000 names in a
        regular expression took 20 ms over a page.
        """
        found: list[tuple[int, str]] = []
        i, n = 0, len(text)
        by_head = self.by_head
        while i < n - 1:
            names = by_head.get(text[i : i + 2])
            if names:
                name = next((m for m in names if text.startswith(m, i)), None)
                if name:
                    found.append((i, name))
                    i += len(name)
                    continue
            i += 1
        return found

    def path(self, division: Division) -> list[Division]:
        """Province first; county-level cities under a province directly (天门) skip the prefecture."""
        chain = []
        province = self.by_code.get(division.code[:2] + "0000")
        if province and province is not division:
            chain.append(province)
        prefecture = self.by_code.get(division.code[:4] + "00")
        if division.level == 2 and prefecture and prefecture is not division:
            chain.append(prefecture)
        chain.append(division)
        return chain

    def is_within(self, inner: Division, outer: Division) -> bool:
        """Whether `inner` lies inside `outer` (or is it)."""
        keep = {0: 2, 1: 4, 2: 6}[outer.level]
        return inner.code[:keep] == outer.code[:keep]

    def resolve(self, place: str, context: str = "") -> Region:
        """Region for a place as written (南通市崇川区); ambiguous names are settled by `context`."""
        names = [name for _start, name in self.find_names(place)]
        if not names:
            return Region(name=place)
        candidates = list(self.by_name[names[-1]])
        for outer_name in names[:-1]:
            outers = self.by_name.get(outer_name, [])
            narrowed = [c for c in candidates if any(self.is_within(c, o) for o in outers)]
            if narrowed:
                candidates = narrowed
        if len(candidates) > 1 and context:
            settled = self.settle(candidates, context)
            if settled:
                candidates = settled
        candidates = _dedupe(candidates)
        if len(candidates) == 1:
            division = candidates[0]
            return Region(name=place, path=[d.name for d in self.path(division)], code=division.code)
        return Region(
            name=place,
            path=[],
            code=None,
            ambiguous=True,
            candidates=[[d.name for d in self.path(c)] for c in candidates],
        )

    def settle(self, candidates: list[Division], context: str) -> list[Division]:
        """Keep candidates whose province or prefecture the text names."""
        scores = []
        for candidate in candidates:
            score = 0
            for ancestor in self.path(candidate)[:-1]:
                for name in {ancestor.name, short_name(ancestor.name)}:
                    if len(name) >= 2 and name in context:
                        score += 1
            scores.append(score)
        best = max(scores)
        if best == 0:
            return []
        return [c for c, s in zip(candidates, scores, strict=True) if s == best]


def _dedupe(divisions: list[Division]) -> list[Division]:
    seen: dict[str, Division] = {}
    for division in divisions:
        seen.setdefault(division.code, division)
    return list(seen.values())


_AUTONOMOUS = re.compile(r"^(.{2,}?)(?:维吾尔|[\u4e00-\u9fff]{1,3}族)*自治[区州县旗]$")


def short_name(name: str) -> str:
    """怀化市 → 怀化, 崇川区 → 崇川, 广西壮族自治区 → 广西; names of two characters stay whole (城区)."""
    autonomous = _AUTONOMOUS.match(name)
    if autonomous:
        return autonomous.group(1)
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _renamed() -> list[Division]:
    """Districts whose new name shares no stem with the county they replaced, after the table's date."""
    text = resources.files("eduread.parse").joinpath("data/renamed.tsv").read_text(encoding="utf-8")
    return [
        Division(*line.split("\t")[:2]) for line in text.splitlines() if line and not line.startswith("#")
    ]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The bundled gazetteer, loaded once."""
    text = resources.files("eduread.parse").joinpath("data/regions.tsv").read_text(encoding="utf-8")
    rows = [tuple(line.split("\t")) for line in text.splitlines() if line.strip()]
    return Gazetteer([(code, name) for code, name in rows])
