"""Read a title: who issued it, for which place, and which years it sums up or plans."""

from __future__ import annotations

import re

from eduread.parse.model import Part
from eduread.text.clean import without_glosses
from eduread.text.matching import match_form
from eduread.text.vocabulary import ISSUER_SUFFIXES, KIND_OF_WORD

ISSUER_SUFFIX_RE = "|".join(sorted(ISSUER_SUFFIXES, key=len, reverse=True))
_ISSUER = re.compile(r"([\u4e00-\u9fff]{2,24}?(?:" + ISSUER_SUFFIX_RE + r"))")
_KIND_WORDS = "总结|计划|要点|思路|谋划|意见|安排|打算|回顾|汇报|报告|年报|小结|部署|任务|重点|情况"
# The label a report uses for one part: 2019年工作总结, 2020年教育工作要点, 上半年工作总结 …
_PART = re.compile(
    r"((?:19|20)\d{2})\s*年\s*(度)?\s*(上半年|下半年|全年)?(?:[^0-9年,。;]{0,14}?)"
    rf"((?:上半年|下半年)?(?:教育)?(?:工作)?(?:(?:{_KIND_WORDS})+(?:材料)?|(?<=工作)[思计要谋打安总](?=\s*$)))"
)
# The second half of a half-year title names no year: 上半年工作总结及下半年工作计划.
_HALF = re.compile(rf"(?:及|和|暨|与)\s*(下半年|上半年)[^0-9年,。]{{0,8}}?((?:工作)?(?:{_KIND_WORDS}))")
_MASKED_YEAR = re.compile(r"(?:20|19)?[Xx×＊*]{2,4}\s*年|[Xx]{4}\s*年")


def strip_glosses(text: str) -> str:
    """A title without the pinyin glosses spam mirrors inject after characters (工作(zuo)總(zong)結)."""
    return without_glosses(text)


def find_issuer(text: str) -> tuple[str, str]:
    """(issuer, place as written) from a title or line; place is the issuer minus the bureau word."""
    folded = match_form(text)
    match = _ISSUER.search(folded)
    if not match:
        return "", ""
    begin = match.start(1)
    # Words before the bureau's name in running text are not part of it: 给各项目在市教育局 → 市教育局.
    cut = max((match.group(1).rfind(ch) for ch in "的在给和与对向由从把被及、,于为年度"), default=-1)
    if cut >= 0:
        begin += cut + 1
    issuer = text[begin : match.end(1)]
    folded_issuer = folded[begin : match.end(1)]
    for suffix in sorted(ISSUER_SUFFIXES, key=len, reverse=True):
        if folded_issuer.endswith(suffix):
            return issuer, issuer[: -len(suffix)]
    return issuer, ""


_TRUNCATED = {
    "思": "思路",
    "计": "计划",
    "要": "要点",
    "谋": "谋划",
    "打": "打算",
    "安": "安排",
    "总": "总结",
}


def kind_of(label: str) -> str:
    """summary or plan for a part's own word (工作要点 → plan, 工作回顾 → summary; 工作思, cut short, → plan)."""
    folded = match_form(label)
    if folded and folded[-1] in _TRUNCATED and not re.search(_KIND_WORDS + "$", folded):
        folded = folded + _TRUNCATED[folded[-1]][1:]
    # The last kind word decides: 计划要点 is a plan, 工作情况汇报 a summary.
    words = re.findall(_KIND_WORDS, folded)
    for word in reversed(words):
        kind = KIND_OF_WORD.get(word)
        if kind:
            return kind
    return "summary"


def find_parts(title: str) -> list[Part]:
    """Summary and plan parts named in a title, each with its year, period and the report's own word."""
    original = strip_glosses(title)
    folded = match_form(original)
    parts: list[Part] = []
    for match in _PART.finditer(folded):
        year = int(match.group(1))
        label = original[match.start(4) : match.end(4)]
        half = match.group(3) or ""
        if "上半年" in label or half == "上半年":
            period = "H1"
        elif "下半年" in label or half == "下半年":
            period = "H2"
        else:
            period = None
        kind = kind_of(match.group(4))
        if half in ("上半年", "下半年") and half not in label:
            label = half + label
        if not any(p.year == year and p.kind == kind and p.period == period for p in parts):
            parts.append(Part(kind=kind, year=year, label=label, period=period))  # type: ignore[arg-type]
    if parts:
        for match in _HALF.finditer(folded):
            period = "H1" if match.group(1) == "上半年" else "H2"
            if any(p.period == period for p in parts):
                continue
            label = original[match.start(1) : match.end(2)]
            label = re.sub(r"教育", "", label) if len(label) > 8 else label
            parts.append(Part(kind=kind_of(match.group(2)), year=parts[-1].year, label=label, period=period))  # type: ignore[arg-type]
    return parts


def masked_year(title: str) -> bool:
    """Whether the title hides its year (20XX年, xxxx年): unknown, never guessed."""
    return bool(_MASKED_YEAR.search(match_form(title)))


def genre_label(title: str) -> str:
    """The genre word of a title that names no year (教育工作情況匯報材料 → 工作情況匯報材料)."""
    original = strip_glosses(title)
    folded = match_form(original)
    match = re.search(rf"(?:工作)?(?:情况)?(?:{_KIND_WORDS})+(?:材料)?", folded)
    return original[match.start() : match.end()] if match else ""
