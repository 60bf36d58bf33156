"""Where a report comes from, looked for everywhere a person would look, most telling first.

The title's issuer (成都市教育局) or place (2017年长春教育工作要点); the lines around the title (an
issuer under it, a wrapper's 落款); the page's metadata (发布机构, 信息来源); an issuer named in the
opening; the places the opening paragraphs keep naming (幸福西宁, 东城教育); the file name; the
signature. A masked place (XX县, *区) is unknown, never guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from eduread.parse.model import Region
from eduread.parse.regions import Division, Gazetteer, gazetteer, short_name
from eduread.parse.title import ISSUER_SUFFIX_RE, find_issuer, strip_glosses
from eduread.text.matching import match_form

_MASK = re.compile(r"[Xx×*＊某○□]")
_ISSUERS = re.compile(r"([\u4e00-\u9fff]{2,24}?(?:" + ISSUER_SUFFIX_RE + r"))")
_NOT_ISSUER = re.compile(r"记者|本站|本室|管理员|网络|采集|办公室$|网友|暂无")


@dataclass
class PlaceFound:
    """A resolved place, the issuer it came with (when one was named) and where it was read."""

    region: Region
    issuer: str = ""
    where: str = ""


_MASKED_ISSUER = re.compile(r"[Xx×*＊某○□]{1,4}(?:省|市|县|区|州|旗|盟)(?:" + ISSUER_SUFFIX_RE + r")")


def _masked_issuer(text: str) -> bool:
    """XX县教育局, *区教育局, 某市教育局: a place hidden on purpose."""
    return bool(_MASKED_ISSUER.search(match_form(text)))


def _usable(place: str) -> bool:
    return bool(place) and not _MASK.search(place)


def _resolve(place: str, context: str) -> Region | None:
    """A place string resolved through the gazetteer; None when it names no division."""
    if not _usable(place):
        return None
    region = gazetteer().resolve(place, context=context)
    return region if region.path or region.ambiguous else None


def _from_issuers(text: str, context: str) -> PlaceFound | None:
    """The first issuer in a text whose place resolves (市教育局 alone names none)."""
    folded = match_form(text)
    for match in _ISSUERS.finditer(folded):
        issuer, place = find_issuer(text[match.start(1) : match.end(1)])  # 年上海市教育委员会 → 上海市…
        region = _resolve(place, context)
        if region is not None:
            return PlaceFound(region, issuer.strip())
    return None


_NAMED_AFTER = re.compile(r"(?:学校|中学|小学|幼儿园|大学|学院|路|街|大道|广场|公园|宾馆|酒店)")


def _names_in(text: str, *, mentions: bool = False) -> Iterable[str]:
    """Place names in a text; as mentions, a bare name that names a school or street (芙蓉学校) is not one."""
    folded = match_form(text)
    for start, name in gazetteer().find_names(folded):
        if mentions and short_name(name) == name and _NAMED_AFTER.match(folded, start + len(name)):
            continue
        yield name


def _from_mentions(text: str, context: str) -> Region | None:
    """The place the text keeps naming: from the province down, while the mentions concentrate there.

    Each mention counts for its division and every division above it; the walk goes down to the
    most-mentioned child while that child holds at least 60 % of its parent's mentions and two of
    its own, so a city report that names one county twice stays the city's.
    """
    gaz = gazetteer()
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    names_found = list(_names_in(text, mentions=True))
    full = set(names_found)
    for name in names_found:
        candidates = gaz.by_name.get(name, [])
        if len(candidates) != 1:
            settled = gaz.settle(candidates, context) if candidates else []
            if len(settled) != 1:
                # A province's short name (河北, 吉林) means the province unless the text says otherwise.
                settled = [c for c in candidates if c.level == 0 and name == short_name(c.name)]
                if len(settled) != 1:
                    continue
            candidates = settled
        division = candidates[0]
        if division.level == 2 and name != division.name and division.name not in full:
            continue  # a county's short name is often a word (平安校园, 资源): counted once named in full
        for ancestor in gaz.path(division):
            counts[ancestor.code] += 1
            names.setdefault(ancestor.code, name if ancestor.code == division.code else ancestor.name)
    provinces = [(n, code) for code, n in counts.items() if code.endswith("0000")]
    if not provinces:
        return None
    best, code = max(provinces)
    if best < 2:
        return None
    while True:
        children = [(n, c) for c, n in counts.items() if c != code and _parent(gaz, c) == code]
        if not children:
            break
        n, child = max(children)
        if n < 2 or n < 0.6 * counts[code] or sum(1 for m, _ in children if m == n) > 1:
            break
        code = child
    division = gaz.by_code[code]
    return Region(name=names[code], path=[d.name for d in gaz.path(division)], code=code)


def _parent(gaz: Gazetteer, code: str) -> str | None:
    """The code of the division directly above (a county-level city may sit under its province)."""
    chain = gaz.path(gaz.by_code[code]) if code in gaz.by_code else []
    return chain[-2].code if len(chain) >= 2 else None


def _level(code: str) -> int:
    return Division(code, "").level


def find_place(
    *,
    title: str,
    head: list[str],
    meta: dict[str, str],
    body: str,
    file_name: str,
) -> PlaceFound | None:
    """The report's place from everything a person would look at, or None when nothing settles it."""
    title = strip_glosses(title)
    context = title + "\n" + "\n".join(head) + "\n" + body[:3000]
    if _masked_issuer(title) or any(_masked_issuer(line) for line in head[:4]):
        return None  # XX县教育局: the page hides its place; never guess it from what the text mentions
    found = _from_issuers(title, context)
    if found:
        return PlaceFound(found.region, found.issuer, "title")
    # A title that names its place without an issuer: 2017年长春教育工作要点, 全面提升四平教育…
    for name in _names_in(title):
        region = _resolve(name, context)
        if region is not None:
            return PlaceFound(region, "", "title")
    for line in head:
        found = _from_issuers(line, context)
        if found:
            return PlaceFound(found.region, found.issuer, "head")
    for key in ("发布机构", "信息来源", "来源", "文章来源", "发文机关", "所属机构", "责任部门"):
        value = meta.get(key, "")
        if value and not _NOT_ISSUER.search(value):
            found = _from_issuers(value, context)
            if found:
                return PlaceFound(found.region, found.issuer, "metadata")
    opening = body[:1500]
    found = _from_issuers(opening, context)
    if found:
        return PlaceFound(found.region, found.issuer, "body")
    region = _from_mentions(body[:4000], context)
    if region is not None:
        return PlaceFound(region, "", "body")
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", file_name.rsplit("/", 1)[-1])
    found = _from_issuers(stem, stem)
    if found:
        return PlaceFound(found.region, found.issuer, "file name")
    found = _from_issuers(body[-120:], context)
    if found:
        return PlaceFound(found.region, found.issuer, "signature")
    return None


def issuer_in(texts: Iterable[str]) -> str:
    """The first issuer named in any of the texts (even without a place: 市教育局), for display."""
    for text in texts:
        issuer, _place = find_issuer(text)
        if issuer and not _NOT_ISSUER.search(issuer):
            return issuer
    return ""


__all__ = ["Gazetteer", "PlaceFound", "find_place", "issuer_in"]
