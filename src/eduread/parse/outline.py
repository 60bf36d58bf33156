"""Recover a report's section tree from its numbering, the way a reader of the page would."""

from __future__ import annotations

import re
from dataclasses import dataclass

from eduread.parse.model import Section
from eduread.parse.title import strip_glosses
from eduread.text.clean import is_part_heading
from eduread.text.matching import match_form

_CN_VALUES = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CN = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

_MARKER = re.compile(
    rf"(?P<part>第(?P<partn>[{_CN}]{{1,3}})部分)"
    rf"|【(?P<brk>[^】\d]{{0,6}}?)(?P<brkn>\d{{1,2}})】"
    rf"|(?P<cn>[{_CN}]{{1,3}})、(?![{_CN}]{{1,2}}[、年个])"
    rf"|\((?P<pcn>[{_CN}]{{1,3}})\)"
    rf"|(?<![\d.])(?P<num>\d{{1,2}})(?:\.(?![\d.%]|[亿万千百]\s*[元人个所名户])|、)"
    rf"|\((?P<pnum>\d{{1,2}})\)"
    rf"|(?P<circ>[{_CIRCLED}])"
    rf"|(?P<shi>[{_CN}]{{1,3}})是(?![否非不])"
)
_SENTENCE_END = "。;!?:,"
_ITEM_BLOCKERS = set("统唯第同单专逐万其之一不总于")
# A space ends a run-in heading (一、… (一)… on one line), but not one inside a figure or date (2020 年).
_TITLE_END = re.compile(r"[。!?;\n]|(?<!\d) (?=\S)(?![年月日万亿%个所名人])")
_LEAD = re.compile(r"([^。\n,;:!?]{2,25})。")
MAX_TITLE = 60


def cn_number(numeral: str) -> int:
    """Value of a small Chinese numeral: 三 → 3, 十二 → 12, 二十七 → 27."""
    if "十" not in numeral:
        return _CN_VALUES.get(numeral, 0) if len(numeral) == 1 else 0
    tens, _, ones = numeral.partition("十")
    return (_CN_VALUES.get(tens, 0) if tens else 1) * 10 + (_CN_VALUES.get(ones, 0) if ones else 0)


@dataclass
class _Candidate:
    kind: str
    number: int
    start: int
    end: int
    marker: str


# Heading systems from the most to the least significant: a list of a lesser kind standing before
# the first heading of the top kind (a numbered goal list above 一、) is text, not outline.
RANK = {
    "parthead": 0,
    "part": 1,
    "brk": 2,
    "cn": 3,
    "pcn": 4,
    "num": 5,
    "pnum": 6,
    "circ": 7,
    "shi": 8,
    "item": 9,
}


def _part_heading_lines(body: str) -> list[_Candidate]:
    """Unnumbered part headings on their own line (2020年工作总结 above 一、…)."""
    found = []
    pos = 0
    number = 0
    for line in body.split("\n"):
        stripped = line.strip()
        if (
            stripped
            and len(stripped) <= 24
            and is_part_heading(stripped)
            and re.search(r"\d{4}|半年", stripped)
        ):
            number += 1
            start = pos + line.index(stripped[0])
            found.append(_Candidate("parthead", number, start, start, ""))
        pos += len(line) + 1
    return found


def _candidates(body: str) -> list[_Candidate]:
    """Every place a numbering marker could stand, with whether its position allows a heading."""
    found: list[_Candidate] = _part_heading_lines(body)
    for match in _MARKER.finditer(body):
        kind = match.lastgroup or ""
        if kind in ("partn",):
            kind = "part"
        elif kind in ("brk", "brkn"):
            kind = "brk"
        raw = (
            match.group("partn")
            if kind == "part"
            else match.group("brkn")
            if kind == "brk"
            else match.group(kind)
        )
        if kind in ("cn", "pcn", "shi", "part"):
            number = cn_number(raw)
        elif kind == "circ":
            number = _CIRCLED.index(raw) + 1
        else:
            number = int(raw)
        if number <= 0:
            continue
        start = match.start()
        line_start = body.rfind("\n", 0, start) + 1
        at_line_start = body[line_start:start].strip() == ""
        before = body[start - 1] if start > 0 else "\n"
        if kind == "shi":
            if at_line_start:
                kind = "shi"
            elif number == 1 and before not in _SENTENCE_END + " ":
                continue
            elif before in _ITEM_BLOCKERS:
                continue
            else:
                kind = "item"
        elif not at_line_start and before != " " and not (before in "。;" and _long_line(body, line_start)):
            continue
        found.append(_Candidate(kind, number, start, match.end(), match.group(0)))
    found.sort(key=lambda c: c.start)
    return _skip_contents(body, found)


LONG_LINE = 600  # characters: a line this long is a body saved as one line (a repost's)


def _long_line(body: str, line_start: int) -> bool:
    """Whether the line from `line_start` is a whole body run together, whose headings follow a
    sentence's end (…投入使用。二、名校品牌建设成效明显。…) instead of starting lines."""
    end = body.find("\n", line_start)
    return (len(body) if end < 0 else end) - line_start >= LONG_LINE


def _skip_contents(body: str, found: list[_Candidate]) -> list[_Candidate]:
    """A contents list (目录 …) at the top repeats the headings: keep only the real ones below it."""
    toc = re.search(r"^\s*目\s*录\s*$", body[:3000], re.M)
    if not toc:
        return found
    after = [c for c in found if c.start > toc.end()]
    if not after:
        return found
    first = after[0]
    title = body[first.end : body.find("\n", first.end)].strip()
    for c in after[1:]:
        if c.kind == first.kind and c.number == first.number:
            if body[c.end : body.find("\n", c.end)].strip() == title:
                return [x for x in found if x.start < toc.start() or x.start >= c.start]
    return found


def _top_kind(found: list[_Candidate]) -> str | None:
    """The most significant heading system that starts at line heads and counts from 1 (or 2)."""
    kinds = {c.kind for c in found if c.kind not in ("item", "shi")}
    for kind in sorted(kinds, key=RANK.get):
        numbers = [c.number for c in found if c.kind == kind]
        if 1 in numbers or (2 in numbers and 3 in numbers) or kind == "parthead":
            return kind
    return None


def _drop_leading_lists(found: list[_Candidate]) -> list[_Candidate]:
    """A lesser list before the first top-level heading is text; a lone 1. before 二、 is the lost 一、."""
    top = _top_kind(found)
    if top is None:
        return found
    first = next(i for i, c in enumerate(found) if c.kind == top)
    before = found[:first]
    if found[first].number == 2:
        ones = [
            i
            for i, c in enumerate(before)
            if c.number == 1 and not any(d.kind == c.kind and d.number == 2 for d in before[i + 1 :])
        ]
        if ones:
            i = ones[-1]
            lost = before[i]
            promoted = _Candidate(top, 1, lost.start, lost.end, lost.marker)
            higher = [c for c in before[:i] if RANK.get(c.kind, 9) < RANK[top]]
            return [*higher, promoted, *before[i + 1 :], *found[first:]]
    return [c for c in before if RANK.get(c.kind, 9) < RANK[top]] + found[first:]


_RUN_ON_PART = re.compile(
    r"(?:(?:19|20)\d\d\s*年度?)?(?:上半年|下半年)?[^\d,。;]{0,8}?工作(?:总结|小结|计划|要点|思路|回顾|打算|情况)"
    r"(?=\s*(?:(?:19|20)\d\d\s*年|一年来|\d))"
)


def _title_span(body: str, start: int) -> tuple[int, int]:
    """Where a heading's title runs: from after its marker to the first sentence end."""
    while start < len(body) and body[start] == " ":
        start += 1
    window = min(len(body), start + 400)
    match = _TITLE_END.search(body, start, window)
    end = match.start() if match else min(len(body), start + 200)
    run_on = _RUN_ON_PART.match(body, start, end)
    if run_on:
        end = run_on.end()
    if len(strip_glosses(body[start:end])) > MAX_TITLE:
        comma = body.find(",", start, end)
        end = comma if comma > start else start + MAX_TITLE
    while end > start and body[end - 1] in "。,;: ":
        end -= 1
    return start, end


def _make(body: str, shown: str, cand: _Candidate, level: int) -> Section:
    if cand.kind == "parthead":
        title_start = cand.start
        title_end = body.find("\n", cand.start)
        title_end = len(body) if title_end < 0 else title_end
        while title_end > title_start and body[title_end - 1] in "。,;: ":
            title_end -= 1
    else:
        title_start, title_end = _title_span(body, cand.end)
    return Section(
        level=level,
        marker=shown[cand.start : cand.end],
        title=shown[title_start:title_end],
        start=cand.start,
        end=len(body),
        title_start=title_start,
        title_end=title_end,
        number=cand.number,
    )


def parse_outline(shown: str) -> list[Section]:
    """The section tree of a cleaned body; markers out of sequence or mid-sentence are text.

    Matching runs on the body's matching form; titles and markers are the body's own characters.
    """
    body = match_form(shown)
    roots: list[Section] = []
    stack: list[tuple[str, Section]] = []
    last_number: dict[str, int] = {}
    for cand in _drop_leading_lists(_candidates(body)):
        if cand.kind != "item" and stack and stack[-1][0] == "item":
            stack.pop()
        kinds = [kind for kind, _ in stack]
        if cand.kind in kinds:
            index = len(kinds) - 1 - kinds[::-1].index(cand.kind)
            if cand.number != (stack[index][1].number or 0) + 1:
                continue
            del stack[index:]
        else:
            if cand.kind == "item" and not stack:
                continue
            continues = cand.number == last_number.get(cand.kind, -1) + 1
            if cand.number != 1 and not continues:
                continue
        section = _make(body, shown, cand, len(stack) + 1)
        if not section.title:
            continue
        (stack[-1][1].children if stack else roots).append(section)
        stack.append((cand.kind, section))
        last_number[cand.kind] = cand.number
    _add_lead_headings(body, shown, roots)
    _set_ends(roots, len(body))
    return roots


def _set_ends(sections: list[Section], end: int) -> None:
    for i, section in enumerate(sections):
        section.end = sections[i + 1].start if i + 1 < len(sections) else end
        _set_ends(section.children, section.end)


def _paragraphs(body: str, start: int, end: int) -> list[tuple[int, str]]:
    out = []
    pos = start
    for line in body[start:end].split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out


def _leads(body: str, section: Section, end: int) -> list[tuple[int, int, int]]:
    """(paragraph start, lead start, lead end) for paragraphs after the heading's own line."""
    paragraphs = _paragraphs(body, section.start, end)[1:]
    leads = []
    for pos, line in paragraphs:
        match = _LEAD.match(line)
        if match and not re.match(r"\d", line):
            leads.append((pos, pos + match.start(1), pos + match.end(1)))
    return leads if paragraphs and len(leads) >= 2 and len(leads) >= 0.6 * len(paragraphs) else []


def _add_lead_headings(body: str, shown: str, roots: list[Section]) -> None:
    """Short lead sentences become headings where every numbered sibling section uses them (长沙)."""
    bare = [s for s in roots if not s.children]
    if len(bare) < 2 or len(bare) < len(roots):
        return
    ends = [roots[i + 1].start if i + 1 < len(roots) else len(body) for i in range(len(roots))]
    found = [_leads(body, s, e) for s, e in zip(roots, ends, strict=True)]
    if sum(1 for f in found if f) < max(2, 0.75 * len(roots)):
        return
    for section, leads in zip(roots, found, strict=True):
        for number, (pos, t_start, t_end) in enumerate(leads, start=1):
            section.children.append(
                Section(
                    level=section.level + 1,
                    marker="",
                    title=shown[t_start:t_end],
                    start=pos,
                    end=len(body),
                    title_start=t_start,
                    title_end=t_end,
                    number=number,
                )
            )
