"""Recover a report's section tree from its numbering, the way a reader of the page would."""

from __future__ import annotations

import re
from dataclasses import dataclass

from eduread.parse.model import Section

_CN_VALUES = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CN = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

_MARKER = re.compile(
    rf"(?P<cn>[{_CN}]{{1,3}})、(?![{_CN}]{{1,2}}[、年个])"
    rf"|\((?P<pcn>[{_CN}]{{1,3}})\)"
    rf"|(?<![\d.])(?P<num>\d{{1,2}})(?:\.(?![\d.])|、)"
    rf"|\((?P<pnum>\d{{1,2}})\)"
    rf"|(?P<circ>[{_CIRCLED}])"
    rf"|(?P<shi>[{_CN}]{{1,3}})是(?![否非不])"
)
_SENTENCE_END = "。;!?:,"
_ITEM_BLOCKERS = set("统唯第同单专逐万其之一不总于")
_TITLE_END = re.compile(r"[。!?;\n]| (?=\S)")
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


def _candidates(body: str) -> list[_Candidate]:
    """Every place a numbering marker could stand, with whether its position allows a heading."""
    found: list[_Candidate] = []
    for match in _MARKER.finditer(body):
        kind = match.lastgroup or ""
        raw = match.group(kind)
        if kind in ("cn", "pcn", "shi"):
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
        elif not at_line_start and before != " ":
            continue
        found.append(_Candidate(kind, number, start, match.end(), match.group(0)))
    return found


def _title_span(body: str, start: int) -> tuple[int, int]:
    """Where a heading's title runs: from after its marker to the first sentence end."""
    while start < len(body) and body[start] == " ":
        start += 1
    match = _TITLE_END.search(body, start, min(len(body), start + 200))
    end = match.start() if match else min(len(body), start + 200)
    if end - start > MAX_TITLE:
        comma = body.find(",", start, start + MAX_TITLE)
        end = comma if comma > start else start + MAX_TITLE
    while end > start and body[end - 1] in "。,;: ":
        end -= 1
    return start, end


def _make(body: str, cand: _Candidate, level: int) -> Section:
    title_start, title_end = _title_span(body, cand.end)
    return Section(
        level=level,
        marker=cand.marker,
        title=body[title_start:title_end],
        start=cand.start,
        end=len(body),
        title_start=title_start,
        title_end=title_end,
        number=cand.number,
    )


def parse_outline(body: str) -> list[Section]:
    """The section tree of a cleaned body; markers out of sequence or mid-sentence are text."""
    roots: list[Section] = []
    stack: list[tuple[str, Section]] = []
    last_number: dict[str, int] = {}
    for cand in _candidates(body):
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
        section = _make(body, cand, len(stack) + 1)
        if not section.title:
            continue
        (stack[-1][1].children if stack else roots).append(section)
        stack.append((cand.kind, section))
        last_number[cand.kind] = cand.number
    _add_lead_headings(body, roots)
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


def _add_lead_headings(body: str, roots: list[Section]) -> None:
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
                    title=body[t_start:t_end],
                    start=pos,
                    end=len(body),
                    title_start=t_start,
                    title_end=t_end,
                    number=number,
                )
            )
