"""Pick out the numbers a report states, with unit, value and what they measure."""

from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal, InvalidOperation

from eduread.parse.model import Figure
from eduread.text.matching import match_form
from eduread.text.vocabulary import CN_DIGITS

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
    "批次",
    "周年",
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
    rf"(?P<sp> ?)(?P<pre>余|多)?(?P<mult>万亿|亿|万|千)?(?P<approx>余|多)?(?P<sp2> ?)(?P<unit>{_UNIT_RE}|%)?"
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
_DECREASE_BEFORE = re.compile(r"(?:减少|下降|降低|降幅|缩减|同比降)了?$")
_AT_LEAST_BEFORE = re.compile(r"(?:达到|不少于|不低于|至少|超过|突破|逾|不下于)$")
_AT_MOST_BEFORE = re.compile(r"(?:不超过|不多于|不高于|控制在|低于|少于)$")
_LABEL_STOP = re.compile(r"[,。;:!?、()《》\"\s\n]")
_LABEL_TRIM_TAIL = re.compile(
    r"(?:达到|达|为|约|共|超过|增加|增长|减少|下降|提高到|提高|提升到|提升|至|到|了|近|逾|突破|同比|较上年度?|比上年度?|"
    r"较去年|比去年|累计|新增|完成|占|有|是|在|分别|力争|确保|争取|努力|保持在|控制在)+$"
)
_INVESTED = re.compile(r"(?:投入|投资|安排|下达|拨付|核拨|争取|筹措|筹集|落实)(?:资金|经费)?$")
_SPENT_ON = re.compile(r"^(?:用于|保障|支持|专项用于|主要用于)")
_LABEL_CUT = re.compile(
    r".*(?:全市|全区|全县|全省|教育系统|其中|通过|共计|共有|全年|今年|累计|我市|我区|我县|确保|力争|实现|完成|投入|组织|开展|建设|的|和|与|及|对|将|把|了|在(?![校园读职编岗学]))"
)


MAX_DIGITS = 18  # longer digit runs are codes or garbage, never a quantity (and would overflow a float)


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


_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)")
# a line wrapped inside a word (a PDF's hard wrap), not a blank line between paragraphs
_WRAP = re.compile(r"(?<=[\u4e00-\u9fff])(?: +| *\n *)(?=[\u4e00-\u9fff])")


def _readable(text: str) -> str:
    """A window of text as a reader takes it: no pinyin glosses, no line wraps or spaces inside words."""
    return _WRAP.sub("", _GLOSS.sub("", text))


def _label(body: str, start: int) -> str:
    """The few words before a number that say what it counts (新增学位, 录取率)."""
    lo = max(0, start - 48)
    window = _readable(body[lo:start].rstrip(" \n"))[-24:]
    if window.endswith("("):  # 按2019年发放标准(11550元/人/年): what stands before the bracket
        window = window[:-1]
    window = re.sub(r"“[^”\u4e00-\u9fff]{1,8}”", ",", window)  # “3+X” is a code, not part of the name
    stops = list(_LABEL_STOP.finditer(window))
    clause = window[stops[-1].end() :] if stops else window
    clause = _LABEL_TRIM_TAIL.sub("", clause)
    cut = _LABEL_CUT.match(clause)
    if cut and len(clause) - cut.end() >= 2:
        clause = clause[cut.end() :]
    if len(clause) > 16:
        clause = clause[_label_cut(clause) :]
    if clause.startswith("增加") and len(clause) > 3:  # 增加学位 and 新增学位 are one measure
        clause = "新增" + clause[2:]
    clause = re.sub(r"^(?:按照|按|根据|依照)?(?:(?:19|20)\d\d年度?)?(?=.{2})", "", clause)
    share = re.fullmatch(r"占(.{2,10})的", clause)  # 占在园幼儿的49.2% is a share of 在园幼儿
    if share:
        clause = share.group(1) + "占比"
    return clause.replace("“", "").replace("”", "")


def _label_cut(clause: str) -> int:
    """Where a label longer than 16 characters starts: after a place's name it begins with, if
    that leaves 16 or fewer (宁波市|基层思想政治工作优秀案例汇编), else 16 from its end; never
    inside a name (波市基层…)."""
    from eduread.parse.regions import gazetteer

    names = gazetteer().by_name
    for end in range(3, len(clause) - 1):
        if len(clause) - end <= 16 and clause[end - 1] in "省市县区":
            if any(clause[max(0, end - n) : end] in names for n in (3, 4, 5)):
                return end
    return len(clause) - 16


def _spans(pattern: re.Pattern[str], body: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(body)]


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    index = bisect_right(starts, pos) - 1
    return index >= 0 and spans[index][0] <= pos < spans[index][1]


def find_figures(shown: str) -> list[Figure]:
    """Every figure in the body, classified, with what it counts; dates and years are kept but marked.

    Matching runs on the body's matching form (４．０７万 reads as 4.07万); each figure's text is the
    body's own characters at the same offsets.
    """
    body = match_form(shown)
    figures: list[Figure] = []
    taken = sorted(_spans(_DATE, body) + _spans(_YEAR_RANGE, body) + _spans(_RATIO, body))
    for start, end in taken:
        text = body[start:end]
        if _RATIO.fullmatch(text):
            left, right = text.split(":")
            label = _label(body, start)
            figures.append(
                Figure(
                    shown[start:end],
                    start,
                    end,
                    _value(left, None),
                    ":" + right,
                    "ratio",
                    label=label,
                    what=label,
                )
            )
        else:
            kind = "year" if _YEAR_RANGE.fullmatch(text) else "date"
            first = re.match(r"\d+", text)
            figures.append(
                Figure(shown[start:end], start, end, int(first.group(0)) if first else 0, "", kind)
            )
    starts = [s for s, _ in taken]
    for match in _FIGURE.finditer(body):
        start = match.start()
        if _inside(taken, starts, start):
            continue
        num, mult, unit = match.group("num"), match.group("mult"), match.group("unit") or ""
        if len(num.replace(",", "").split(".")[0]) > MAX_DIGITS or len(num) > 40:
            continue
        approx = (
            "more_than" if match.group("approx") or (match.group("pre") and match.group("mult")) else None
        )
        if match.group("pre") and not match.group("mult"):  # 200余场: the regex's 余 is the approximator
            approx = "more_than"
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
        value = _value(num, mult)
        before = body[max(0, start - 6) : start]
        kind = _kind(num, unit, before, body, end)
        if kind == "change" and _DECREASE_BEFORE.search(before):
            value = -value  # 比上年减少23所: the change is −23
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
        if bound is None and body.startswith(("以上", "及以上"), end) and unit:
            bound = "at_least"
        label = "" if kind in ("year", "date", "number") else _label(body, start)
        figures.append(
            Figure(
                text=shown[start:end],
                start=start,
                end=end,
                value=value,
                unit=unit,
                kind=kind,
                bound=bound,
                approx=approx,
                label=label,
                what=""
                if kind in ("year", "date", "number")
                else what_counted(body, start, end, label, kind),
            )
        )
    figures.extend(_chinese_figures(body, shown, [(f.start, f.end) for f in figures]))
    figures.sort(key=lambda f: f.start)
    _changes_take_subjects(figures, body)
    return figures


def _kind(num: str, unit: str, before: str, body: str, end: int) -> str:
    """count, money, percent, change, ordinal, rank, year or number (bare digits)."""
    plain = num.replace(",", "")
    is_year_like = len(plain) == 4 and plain.isdigit() and 1900 <= int(plain) <= 2100
    if is_year_like and unit in ("年", "学年", "届", "", "级", "版"):
        return "year"
    if unit in ("年级", "周年"):  # 建党99周年 counts nothing
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


# ---- what a figure counts ----------------------------------------------------------------------

_MEASURE_UNITS = set("个名项所家场次篇支批节期类处条件套台位座间种堂门部册本户对组例首张块辆架幢栋校园班") | {
    "批次",
    "所次",
}
_ONE_CHAR_NOUNS = set("区县市镇乡村校园班")
_NOT_A_NOUN_START = set("的以左余多及和与等在为是共均达占由于把被将已从向至到其每近约超逾并")
_AFTER_STOP = re.compile(
    r"[,。;:!?、()《》“”\"\s\n\d]|以上|以下|左右|以内|等|及|与|共|在|为|是|将|被|已|均|分别|同比|比上年|较上年|达到|达|占|"
    r"签订|组织|带教|指导|保障|实施|推进|落实|建立|启动|举行|齐头|立项|"
    r"其中|组成|参加|参与|开展|进行|获得|获|建成|实现|完成|覆盖|入选|通过|接入|投入|正式|顺利|全面|新增|新建|续建|改建|扩建|"
    r"建设|成功|荣获|被评为|评为|结业|开学|投用|使用|上线|落地|验收|挂牌|签约|培训|交流|展示|举办"
)


def _noun_after(body: str, end: int) -> str:
    """The thing counted when it follows the measure word: 建设13个录播教室 → 录播教室."""
    raw = body[end : end + 60]
    after = _readable(raw)[:30]
    if after.startswith("“"):  # 遴选42节“思政金课”
        close = after.find("”")
        return after[1:close] if 2 <= close <= 20 else ""
    if not after or not ("\u4e00" <= after[0] <= "\u9fff") or after[0] in _NOT_A_NOUN_START:
        return ""
    if after.startswith(("以上", "以下", "左右", "以内", "余", "多")):
        return ""
    stop = _AFTER_STOP.search(after, 1)
    noun = after[: stop.start()] if stop else after[:14]
    if "和" in noun:  # 86项大奖和全国职业院校技能大赛87项: the second thing has its own figure
        first, _, rest = noun.partition("和")
        if re.search(r"\d", after[len(first) : len(first) + 16]) and len(first) >= 2:
            noun = first
    if "的" in noun:  # 36名政治素质高的机关同志 → 机关同志
        noun = noun.rsplit("的", 1)[1] or noun
    if len(noun) == 1 and noun in _ONE_CHAR_NOUNS:
        return noun
    return noun if 2 <= len(noun) <= 16 else ""


def what_counted(body: str, start: int, end: int, label: str, kind: str) -> str:
    """What a figure counts or measures: the noun after a measure word, else the words before it."""
    unit_end = end
    if kind == "money" and (not label or _INVESTED.search(_readable(body[max(0, start - 8) : start]))):
        after = _readable(body[end : end + 40])
        spent = _SPENT_ON.match(after)
        if spent:  # 核拨400余万元保障集团办学工作运行
            clause = re.split(r"[,。;、]", after[spent.end() :])[0]
            if 2 <= len(clause) <= 16:
                return clause
        if after.startswith(","):  # 投入3.14亿元,建设3所芙蓉学校
            clause = re.split(r"[,。;]", after[1:])[0]
            if 2 <= len(clause) <= 12:
                return clause
    if kind == "count":
        tail = re.sub(r"(?:及以上|以上|以下|以内|左右)$", "", _readable(body[start:end])).rstrip("余多")
        unit = next((u for u in sorted(_MEASURE_UNITS, key=len, reverse=True) if tail.endswith(u)), "")
        if unit:
            noun = _noun_after(body, unit_end)
            if noun:
                return noun
    return label


_CHANGE_ONLY = re.compile(
    r"^(?:同比|比上年|较上年|比去年|较去年|比\d{4}年)?(?:增加|增长|减少|下降|降低|提高|提升|上升|净增)?了?$"
)


def _changes_take_subjects(figures: list[Figure], body: str) -> None:
    """In 在校生12000人,同比增加1388人 the change belongs to the subject before it (在校生)."""
    previous: Figure | None = None
    for figure in figures:
        if figure.kind in ("year", "date", "number"):
            continue
        if previous is not None and _CHANGE_ONLY.match(figure.what or ""):
            between = body[previous.end : figure.start]
            if "。" not in between and ";" not in between and len(between) <= 16 and previous.what:
                figure.what = previous.what
        previous = figure


# ---- counts written in Chinese numerals (八个方面, 十五年, 三万六千五百块) --------------------------

_CN_NUMERALS = "一二三四五六七八九十百千万两〇零"
_CN_DIGIT = CN_DIGITS  # 〇 and 零 to 九, 两 as 2
_CN_FIGURE = re.compile(
    rf"(?<![第{_CN_NUMERALS}])([{_CN_NUMERALS}]{{1,8}}?)(个方面|个|类|项|所|名|次|大|丈|块|两|年|批|场|支|座|种|条|件)"
)
_SLOGAN_AFTER = re.compile(r"^[\u4e00-\u9fff]{2}(?:[、”\",;)》]|和|$)")


def cn_value(numeral: str) -> int:
    """Value of a Chinese numeral with 十百千万 (三万六千五百 → 36500); 0 when it is not one."""
    total, section, digit = 0, 0, 0
    for ch in numeral:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in "十百千":
            scale = {"十": 10, "百": 100, "千": 1000}[ch]
            section += (digit or 1) * scale
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10000
            section, digit = 0, 0
        else:
            return 0
    return total + section + digit


def _in_title(body: str, start: int) -> bool:
    """Inside 《…》: a document's name (八项规定精神的实施办法) states no count."""
    opening = body.rfind("《", max(0, start - 40), start)
    return opening >= 0 and "》" not in body[opening:start]


def _chinese_figures(body: str, shown: str, taken: list[tuple[int, int]]) -> list[Figure]:
    """Counts written in Chinese numerals; slogans (两个维护, 四个意识) and articles (一个) are not."""
    out: list[Figure] = []
    for match in _CN_FIGURE.finditer(body):
        numeral, unit_word = match.group(1), match.group(2)
        start, end = match.start(), match.end()
        if numeral in ("一", "两", "二") or any(s <= start < e for s, e in taken):
            continue
        value = cn_value(numeral)
        if value <= 1 or _in_title(body, start):
            continue
        if unit_word == "大" and (value >= 10 or body.startswith(("、", "届"), end)):  # 党的十九大
            continue
        if body.startswith(("不", "是", "要"), end):  # 三个不直接分管规定, 两个是 …
            continue
        if _SLOGAN_AFTER.match(body[end : end + 3]) and unit_word in ("个", "大", "项"):
            continue
        if unit_word == "两" and not re.match(
            r"[\u4e00-\u9fff]{0,2}(?:银|金|白银|黄金)", body[end : end + 3]
        ):
            continue
        unit = "个" if unit_word == "个方面" else unit_word
        label = _label(body, start)
        noun = _noun_after(body, end)
        out.append(
            Figure(
                text=shown[start:end],
                start=start,
                end=end,
                value=value,
                unit=unit,
                kind="count",
                label=label,
                what=noun or label,
            )
        )
    return out
