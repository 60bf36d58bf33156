"""Pick out the numbers a report states, with unit, value and what they measure."""

from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal, InvalidOperation

from eduread.parse.model import Figure

UNITS = [
    "个百分点",
    "平方公里",
    "平方米",
    "人次",
    "万人次",
    "所次",
    "课时",
    "学时",
    "分钟",
    "小时",
    "公里",
    "千米",
    "公顷",
    "年级",
    "学年",
    "个",
    "所",
    "人",
    "名",
    "位",
    "次",
    "项",
    "件",
    "家",
    "台",
    "套",
    "处",
    "条",
    "元",
    "分",
    "份",
    "场",
    "堂",
    "节",
    "期",
    "批",
    "届",
    "支",
    "篇",
    "本",
    "册",
    "部",
    "门",
    "种",
    "类",
    "间",
    "座",
    "栋",
    "幢",
    "层",
    "亩",
    "米",
    "吨",
    "辆",
    "架",
    "天",
    "年",
    "周",
    "岁",
    "校",
    "园",
    "班",
    "对",
    "组",
    "户",
    "例",
    "起",
    "首",
    "张",
    "块",
    "床",
    "倍",
    "课",
    "枚",
    "金",
    "银",
    "铜",
    "星",
    "届",
    "轮",
    "片",
    "区",
    "县",
    "镇",
    "乡",
    "村",
    "单",
    "笔",
    "票",
    "盏",
    "株",
    "棵",
    "平",
    "㎡",
    "m2",
    "GB",
    "G",
    "M",
    "T",
    "kg",
    "km",
]
_UNIT_RE = "|".join(re.escape(u) for u in sorted(set(UNITS), key=len, reverse=True))
_FIGURE = re.compile(
    rf"(?<![\d.A-Za-z])(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?P<sp> ?)(?P<mult>万亿|亿|万|千)?(?P<approx>余|多)?(?P<unit>{_UNIT_RE}|%)?"
    rf"(?P<bound>及以上|以上|以内|以下|左右)?"
)
_DATE = re.compile(
    r"(?<!\d)(?:(?:19|20)\d{2}年\d{1,2}月(?:\d{1,2}日)?|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}|"
    r"\d{1,2}月\d{1,2}日|(?:19|20)\d{2}\.\d{1,2}(?!\d)|\d{1,2}月(?:份|底|初|中旬|下旬|上旬)?(?=[^\d]|$))"
)
_YEAR_RANGE = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*[-—–~至到]\s*(?:19|20)\d{2}\s*年?")
_RATIO = re.compile(r"(?<![\d.])\d+(?:\.\d+)?:\d+(?:\.\d+)?(?![\d.])")
_MULT = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4, "千": Decimal(1000)}
_CHANGE_BEFORE = re.compile(
    r"(?:增加|增长|减少|下降|降低|上升|提高|提升|增幅|降幅|缩减|扩大|净增|新增率|同比增|同比降)了?$"
)
_AT_LEAST_BEFORE = re.compile(r"(?:达到|不少于|不低于|至少|超过|突破|逾|不下于)$")
_AT_MOST_BEFORE = re.compile(r"(?:不超过|不多于|不高于|控制在|低于|少于)$")
_LABEL_STOP = re.compile(r"[,。;:!?、()《》“”\"\s\n]")
_LABEL_TRIM_TAIL = re.compile(
    r"(?:达到|达|为|约|共|超过|增加|增长|减少|下降|提高到|提高|提升到|提升|至|到|了|近|逾|突破|同比|较上年|比上年|累计|新增|完成|占|有|是|在|分别)+$"
)
_LABEL_CUT = re.compile(
    r".*(?:全市|全区|全县|全省|其中|通过|共计|共有|全年|今年|累计|我市|我区|我县|确保|力争|实现|完成|投入|组织|开展|建设|的|和|与|及|对|将|把|了|在)"
)


def _value(num: str, mult: str | None) -> int | float:
    try:
        value = Decimal(num.replace(",", ""))
    except InvalidOperation:
        return 0
    if mult:
        value *= _MULT[mult]
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _label(body: str, start: int) -> str:
    """The few words before a number that say what it counts (新增学位, 录取率)."""
    lo = max(0, start - 24)
    window = body[lo:start]
    stops = list(_LABEL_STOP.finditer(window))
    clause = window[stops[-1].end() :] if stops else window
    clause = _LABEL_TRIM_TAIL.sub("", clause)
    cut = _LABEL_CUT.match(clause)
    if cut and len(clause) - cut.end() >= 2:
        clause = clause[cut.end() :]
    return clause[-10:]


def _spans(pattern: re.Pattern[str], body: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(body)]


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    index = bisect_right(starts, pos) - 1
    return index >= 0 and spans[index][0] <= pos < spans[index][1]


def find_figures(body: str) -> list[Figure]:
    """Every Arabic-digit figure in the body, classified; dates and years are kept but marked."""
    figures: list[Figure] = []
    taken = sorted(_spans(_DATE, body) + _spans(_YEAR_RANGE, body) + _spans(_RATIO, body))
    for start, end in taken:
        text = body[start:end]
        if _RATIO.fullmatch(text):
            left, right = text.split(":")
            figures.append(
                Figure(text, start, end, _value(left, None), ":" + right, "ratio", label=_label(body, start))
            )
        else:
            kind = "year" if _YEAR_RANGE.fullmatch(text) else "date"
            first = re.match(r"\d+", text)
            figures.append(Figure(text, start, end, int(first.group(0)) if first else 0, "", kind))
    starts = [s for s, _ in taken]
    for match in _FIGURE.finditer(body):
        start = match.start()
        if _inside(taken, starts, start):
            continue
        num, mult, unit = match.group("num"), match.group("mult"), match.group("unit") or ""
        approx = "more_than" if match.group("approx") else None
        bound_word = match.group("bound")
        end = match.end()
        if not unit and not mult:
            # A bare number: drop what the regex took after it, keep only the digits.
            end = match.start() + len(num)
            approx = None
            bound_word = None
        elif match.group("sp") and not unit:
            end = match.start() + len(num)
            mult = None
        text = body[start:end]
        value = _value(num, mult)
        before = body[max(0, start - 6) : start]
        kind = _kind(num, unit, before, body, end)
        bound = None
        if bound_word in ("以上", "及以上"):
            bound = "at_least"
        elif bound_word in ("以内", "以下"):
            bound = "at_most"
        elif bound_word == "左右":
            approx = "about"
        if bound is None:
            if _AT_LEAST_BEFORE.search(before):
                bound = "at_least"
            elif _AT_MOST_BEFORE.search(before):
                bound = "at_most"
        figures.append(
            Figure(
                text=text,
                start=start,
                end=end,
                value=value,
                unit=unit,
                kind=kind,
                bound=bound,
                approx=approx,
                label="" if kind in ("year", "date", "number") else _label(body, start),
            )
        )
    figures.sort(key=lambda f: f.start)
    return figures


def _kind(num: str, unit: str, before: str, body: str, end: int) -> str:
    """count, money, percent, change, ordinal, rank, year or number (bare digits)."""
    plain = num.replace(",", "")
    is_year_like = len(plain) == 4 and plain.isdigit() and 1900 <= int(plain) <= 2100
    if is_year_like and unit in ("年", "学年", "届", "", "级", "版"):
        return "year"
    if unit == "年级":
        return "ordinal"
    if before.endswith("第"):
        return "ordinal"
    if unit == "个百分点":
        return "change"
    if before.endswith("前") and unit in ("名", "位"):
        return "rank"
    if not unit:
        return "number"
    if _CHANGE_BEFORE.search(before):
        return "change"
    if unit == "%":
        return "percent"
    if unit == "元":
        return "money"
    return "count"
