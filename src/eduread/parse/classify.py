"""Tell a bureau's own work report from what people save beside it, and say why.

Nothing Chinese is refused: news of a bureau meeting, a 政府工作报告, a school's plan, a 述职报告,
a 决算, a yearbook entry, a signed article or a novel is kept as `other` with its reason, so it
never stands among the bureau reports nor disappears.
"""

from __future__ import annotations

import re

from eduread.parse.title import find_issuer
from eduread.text.clean import without_glosses
from eduread.text.matching import match_form

_EDU_WORDS = re.compile(r"教育|学校|教师|学生|幼儿园|中小学|教学")
_SCHOOL = re.compile(
    r"([\u4e00-\u9fff]{2,20}?(?:中学|小学|学校|幼儿园|大学|学院|中心校|完小|附中|附小)|"
    r"[\u4e00-\u9fff]{2,8}[一二三四五六七八九十]中(?![心国央华])|[\u4e00-\u9fff]{2,8}\d{1,2}中)"
)
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"政府工作报告"), "a government work report (政府工作报告), not an education bureau's own"),
    (re.compile(r"述职|述廉|述责"), "an official's own report (述职报告), not the bureau's"),
    (re.compile(r"决算|预算"), "budget or final accounts (预算/决算), not a work report"),
    (
        re.compile(r"召开|举行|举办|开幕|闭幕|座谈会|推进会|部署会|(?:工作|综合)(?:会议?|大会)$"),
        "news of a meeting, not the report itself",
    ),
    (re.compile(r"招生|录取|志愿|填报|填表说明|报名"), "admissions information, not a work report"),
    (re.compile(r"年鉴|大事记"), "a yearbook entry, not a work report"),
]
_NEWS_OPENING = re.compile(r"(?:召开|举行|举办)[^。]{0,40}?会|会议?[^。]{0,12}?在[^。]{2,20}召开")
_YEARBOOK = re.compile(r"【概况】|·综述·|【综述】")
_BYLINE = re.compile(r"^■|^(?:作者|文)[::/]|(?:局长|主任|书记|校长)\s*[\u4e00-\u9fff]{2,3}$")
_GENRE = re.compile(
    r"工作(?:情况)?(?:总结|计划|要点|思路|谋划|意见|安排|打算|回顾|汇报|报告|年报)|(?:总结|计划|要点)"
)


def classify(title: str, subtitle: str, head: list[str], body: str) -> tuple[str, str]:
    """('report', '') for a bureau's own work report, else ('other', the reason in a few words)."""
    folded_title = match_form(title).replace(" ", "")
    opening = match_form(body[:400])
    if len(_EDU_WORDS.findall(match_form(without_glosses(body[:20000])))) < 5:
        return "other", "hardly mentions education"
    for pattern, reason in _RULES:
        if pattern.search(folded_title):
            return "other", reason
    school = _SCHOOL.search(folded_title)
    if (school and not find_issuer(folded_title)[0]) or re.search(
        r"学年度?学校|学校工作(?:计划|总结)", folded_title
    ):
        name = school.group(1) if school else "a school"
        return "other", f"a school's own plan or summary ({name}), not a bureau's"
    if not title:
        first = opening.split("\n", 1)[0]
        if _NEWS_OPENING.search(first[:160]):
            return "other", "news of a meeting, not the report itself"
    if _YEARBOOK.search(opening):
        return "other", "a yearbook entry, not a work report"
    if not _GENRE.search(folded_title) and not subtitle:
        lines = [match_form(line) for line in head[:6]] + opening.split("\n")[:3]
        if any(_BYLINE.search(line.strip()) for line in lines):
            return "other", "a signed article, not the bureau's report"
    if len(body) < 200 and not _GENRE.search(folded_title):
        return "other", "too short to be a report"
    return "report", ""
