"""Separate a saved page's report text from the site's chrome, keeping the metadata that matters.

The body keeps the report's own characters (，（一）： stay as written); every decision here is taken
on the matching form of a line (full-width folded, traditional read as simplified), which has the
same length, so nothing shifts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from eduread.text.matching import match_form
from eduread.text.vocabulary import CN_DIGITS, ISSUER_SUFFIXES

# Keys of the "信息公开" metadata tables; spaces may sit between their characters (索 引 号).
_META_KEYS = [
    "索引号",
    "信息索取号",
    "主题分类",
    "内容分类",
    "信息类别",
    "公开目录",
    "公文目录",
    "发布机构",
    "发文机关",
    "文号",
    "标题",
    "公开方式",
    "公开时限",
    "公开范围",
    "责任处室",
    "责任部门",
    "成文日期",
    "发布日期",
    "发文日期",
    "生成日期",
    "生效日期",
    "废止日期",
    "有效性",
    "主题词",
    "体裁分类",
    "体裁",
    "组配分类",
    "信息分类",
    "公开形式",
    "统一编号",
    "所属机构",
    "关键词",
    "信息来源",
    "文章来源",
    "作者/来源",
    "来源",
    "发布时间",
    "更新时间",
    "时间",
    "日期",
    "累计次数",
    "浏览次数",
    "浏览数",
    "阅读次数",
    "阅读",
    "点击数",
    "点击",
    "访问量",
    "作者",
    "编辑",
    "字体",
    "字号",
]
_KEY_RE = "|".join(r"\s*".join(map(re.escape, key)) for key in sorted(_META_KEYS, key=len, reverse=True))
_KEY = re.compile(rf"(?:^|(?<=[\s|:•\]】)]))({_KEY_RE})\s*[:]?\s*\|?")
_META_LINE = re.compile(rf"^[\s|•·]*(?:{_KEY_RE})\s*(?:[:|]|\s|$)")
_BARE_KEY = re.compile(rf"^[\s|•·]*({_KEY_RE})\s*:?\s*$")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_DATE_LINE = re.compile(r"^[(]?(?:发布\s*)?(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?")
_CN_DATE = re.compile(
    r"([〇零○O一二三四五六七八九]{3,4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)

_CRUFT = re.compile(
    r"^(?:您?(?:当前|现在)(?:的|所在)?位置|首页\s*[>/»]|首页$|扫一扫|用手机扫|用微信扫|分享至|版权所有|Copyright|主办[:单]|"
    r"承办[:单]|技术支持|网站标识码|政府网站标识码|.{0,40}ICP备|.{0,40}公网安备|.{0,20}12345.{0,20}热线|无障碍|"
    r"关怀版|长者模式|打印本页|【?打印】?|关闭窗口|【?关闭】?|打印此文|分享到|收藏本页|网站地图|联系我们|字体[:]|【字体|"
    r"上一篇|下一篇|相关链接|相关文章|相关阅读|关联导读|返回顶部|\[?关闭\]?|\[?打印\]?|微信扫|手机版|移动版|附件[:]?$|"
    r"分享[:]?$|纠错|我要纠错|内容纠错|banner\.\w+$|Image$|×$|【?(?:大|中|小)】?$|!?DOCTYPE|<[!%?]|欢迎访问)",
    re.I,
)
_PIPES = re.compile(r"^[\s|•·]+$")
_MARKUP_LEFT = re.compile(r"^<?!DOCTYPE|^<[%?!]", re.I)  # page source a converter left in, however long
_NAV = re.compile(r"^(?:[^|。,]{1,12}\s*\|\s*){3,}")  # 首页 | 学校概况 | 学科教学 | …

_KIND = r"(?:总结|计划|要点|思路|谋划|意见|安排|打算|回顾|汇报|报告|年报|小结|部署|任务)"
_GENRE_TITLE = re.compile(
    rf"工作(?:情况)?{_KIND}|(?:19|20)\d\d\s*年度?.{{0,16}}?{_KIND}|(?:总结|计划|要点|思路|谋划|打算|汇报)(?:材料)?$"
)
_NOTICE = re.compile(r"关于(?:印发|转发|下发)\s*《?(.+?)》?\s*的通知")
_MARKER_START = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|\d{1,2}[.、)]|【[^】]{0,6}\d{1,2}】|第[一二三四五六七八九十]+部分)"
)
_PART_HEADING = re.compile(
    rf"^(?:(?:19|20)\d\d\s*年度?)?(?:上半年|下半年|全年)?[^\d,。]{{0,8}}?工作?{_KIND}(?:情况)?$"
)
_GLUED = re.compile(
    rf"^(.{{2,60}}?(?:工作(?:情况)?{_KIND}|{_KIND})(?:范文范例|范文|范例|\(全文\)|全文)?)"
    r"(?=[一二三四五六七八九十]、|1\.|\(一\)|(?:19|20)\d\d\s*年[,，])"
)
_JOIN_NEXT = re.compile(rf"^(?:和|及|暨|与|、)\s*(?:19|20)\d\d\s*年.{{0,12}}?{_KIND}$")
_SUBTITLE = re.compile(r"^[—\-]{1,2}\s*在.{2,40}(?:会议|大会)上的(?:报告|讲话|工作报告)")
_ISSUER_LINE = re.compile(r"^[\u4e00-\u9fff、 ]{2,40}(?:" + "|".join(ISSUER_SUFFIXES) + r")$")


@dataclass
class PageMeta:
    """What the page says about the report rather than in it."""

    title: str = ""
    published: str | None = None
    source: str = ""
    index_number: str = ""
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class CleanText:
    """The report's own text (every offset points here) plus the page's metadata.

    `title` is the report's own title as written ('' when the page has none); `notice` the
    关于印发…的通知 that wraps it; `head` the lines before the body that are neither chrome nor title
    (issuer lines, the wrapper's 落款, a site name), where place and dates may still be read.
    """

    body: str
    meta: PageMeta
    title: str = ""
    notice: str = ""
    head: list[str] = field(default_factory=list)
    subtitle: str = ""

    @property
    def headline(self) -> str:
        """What a reader takes for the document's heading: its title, else the first short line."""
        if self.title:
            return self.title
        for line in [*self.head[:3], self.body.split("\n", 1)[0]]:
            folded = match_form(line)
            if 2 <= len(folded) <= 40 and "。" not in folded and folded.count(",") == 0:
                return line
        return ""


def normalise(text: str) -> str:
    """One form for line ends and spaces (characters themselves are kept as written)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = re.sub("[\ufeff\u2060\u200b\u200c\u200d]", "", text)
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return "\n".join(lines)


def iso_date(text: str) -> str | None:
    """First date in the text as YYYY-MM-DD (Arabic or Chinese numerals), or None."""
    text = match_form(text)
    match = _DATE.search(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    match = _CN_DATE.search(text)
    if match:
        digits = match.group(1)
        if len(digits) == 3 and digits.startswith("二"):  # 二一二年: the 〇 was lost
            digits = digits[0] + "〇" + digits[1:]
        year = int("".join(str(CN_DIGITS.get(c, 0)) for c in digits))
        month, day = _cn_small(match.group(2)), _cn_small(match.group(3))
        if 1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2100:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def packed_date(text: str) -> str | None:
    """A date whose 年月日 were stripped (2020415, 20200415) as YYYY-MM-DD, when only one reading fits."""
    match = re.fullmatch(r"\s*((?:19|20)\d\d)(\d{2,4})\s*", match_form(text))
    if not match:
        return None
    digits = match.group(2)
    readings = set()
    for cut in (1, 2):
        month, day = digits[:cut], digits[cut:]
        if 1 <= len(day) <= 2 and not month.startswith("0") * (cut == 1):
            if 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
                readings.add((int(month), int(day)))
    if len(readings) != 1:
        return None
    month, day = readings.pop()
    return f"{match.group(1)}-{month:02d}-{day:02d}"


def _cn_small(numeral: str) -> int:
    """Value of a Chinese numeral below 100 (十二, 二十, 二十六)."""
    if "十" not in numeral:
        return CN_DIGITS.get(numeral, 0)
    tens, _, ones = numeral.partition("十")
    return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)


def parse_meta_line(line: str) -> dict[str, str]:
    """Key/value pairs of a metadata row such as '索 引 号 X 主题分类 Y' or '来源: A 发布时间:B'."""
    folded = match_form(line)
    found = list(_KEY.finditer(folded))
    pairs: dict[str, str] = {}
    lead = folded[: found[0].start()].strip(" |•·") if found else ""
    if lead and _DATE_LINE.match(lead):
        pairs["日期"] = line[: found[0].start()].strip(" |•·")
    for i, match in enumerate(found):
        key = re.sub(r"\s+", "", match.group(1))
        end = found[i + 1].start() if i + 1 < len(found) else len(line)
        value = line[match.end() : end].strip(" |:•·")
        if key == "作者/来源":
            key = "来源"
        pairs.setdefault(key, value)
    return pairs


def is_meta_line(line: str) -> bool:
    """A row of the site's metadata table or its 发布时间/来源 byline."""
    return _is_meta(match_form(line))


def _is_meta(folded: str) -> bool:
    if _META_LINE.match(folded):
        return True
    # '2014-03-14 来源:记者站 浏览数:' — a date, then keys
    return bool(_DATE_LINE.match(folded)) and bool(_KEY.search(folded)) and len(folded) < 120


def is_cruft_line(line: str) -> bool:
    """A breadcrumb, share, footer, navigation or pipe-only line that is never part of a report."""
    return _is_cruft(match_form(line.strip()))


def _is_cruft(stripped: str) -> bool:
    if _PIPES.match(stripped) or _MARKUP_LEFT.match(stripped):
        return True
    if len(stripped) <= 160 and _NAV.match(stripped) and "。" not in stripped:
        return True
    return len(stripped) <= 120 and bool(_CRUFT.match(stripped))


def looks_like_title(line: str) -> bool:
    """A line that names the genre as a title would: short, no sentence end, not an outline heading."""
    folded = match_form(without_glosses(line))
    if len(folded) > 80 or _MARKER_START.match(folded) or folded.endswith((",", ":", ";")):
        return False
    if "。" in folded.rstrip("。")[:-1] or folded.count(",") > 1:
        return False
    return bool(_GENRE_TITLE.search(folded) or _NOTICE.search(folded))


def is_part_heading(line: str) -> bool:
    """An unnumbered heading such as '2020年工作总结' that opens a part of the body."""
    folded = match_form(line).replace(" ", "")
    return len(folded) <= 24 and bool(_PART_HEADING.match(folded)) and not _has_issuer(folded)


_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)")


def without_glosses(text: str) -> str:
    """Text without the pinyin glosses spam mirrors inject after characters (工作(zuo)總(zong)結)."""
    return _PINYIN.sub("", text)


def _absorb_meta(meta: PageMeta, pairs: dict[str, str]) -> None:
    for key, value in pairs.items():
        if value or key not in meta.fields:
            if not meta.fields.get(key):
                meta.fields[key] = value


def _finish_meta(meta: PageMeta) -> None:
    fields = meta.fields
    for key in ("发布日期", "发布时间", "时间", "日期", "发文日期", "生成日期", "成文日期"):
        if meta.published is None and fields.get(key):
            meta.published = iso_date(fields[key])
    for key in ("来源", "信息来源", "文章来源", "发布机构", "责任处室", "责任部门", "发文机关", "所属机构"):
        value = fields.get(key, "").strip(" []")
        if value and value not in ("暂无",) and not meta.source:
            meta.source = value.split(" ")[0]
    meta.index_number = fields.get("索引号", "") or fields.get("信息索取号", "")
    if not meta.title and fields.get("标题"):
        meta.title = fields["标题"]


def _strip_chrome(lines: list[str], meta: PageMeta) -> list[str]:
    """Drop metadata rows (absorbing them) and chrome lines; label/value pairs on two lines are joined."""
    kept: list[str] = []
    pending: str | None = None
    for i, line in enumerate(lines):
        if not line:
            kept.append("")
            continue
        folded = match_form(
            line
        )  # a normalised line holds nothing folding drops: stripping it strips the line
        if pending is not None:
            if not _META_LINE.match(folded):
                _absorb_meta(meta, {pending: line})
                pending = None
                continue
            pending = None
        bare = _BARE_KEY.match(folded) if i < 80 else None
        if bare:
            pending = re.sub(r"\s+", "", bare.group(1))
            if pending == "作者/来源":
                pending = "来源"
            continue
        if _is_meta(folded):
            _absorb_meta(meta, parse_meta_line(line))
            continue
        if _is_cruft(folded.strip()):
            continue
        kept.append(line.rstrip(" |").rstrip())
    return kept


@dataclass
class _Head:
    title: str = ""
    title_end: int = 0  # index of the first body line
    notice: str = ""
    head: list[str] = field(default_factory=list)
    subtitle: str = ""
    glued_rest: str | None = None


def _scan_head(lines: list[str]) -> _Head:
    """Find the report's own title in the page head and where its body starts."""
    found = _Head()
    titles: list[tuple[str, int]] = []
    in_wrapper = False
    before_title: list[str] = []
    seen = 0
    i = 0
    while i < len(lines) and seen < 60:
        line = lines[i]
        if not line:
            i += 1
            continue
        seen += 1
        folded = match_form(line)
        notice = _NOTICE.search(folded)
        if notice and len(folded) <= 80 and not folded.endswith("。"):
            found.notice = line
            in_wrapper = True
            titles.append((line[notice.start(1) : notice.end(1)] if "《" in folded else line, i))
            found.title_end = i + 1
            i += 1
            continue
        if _SUBTITLE.match(folded):
            found.subtitle = line
            if not titles and before_title and len(before_title[-1]) <= 40:
                titles.append((before_title[-1], i - 1))
            found.head.append(line)
            i += 1
            continue
        glued = _GLUED.match(folded) if i == _first_nonblank(lines) or not titles else None
        if glued and not (_MARKER_START.match(folded[glued.end(1) :]) or len(folded) > 60):
            glued = None  # a short line is a title of its own unless a heading follows it directly
        if glued and not _MARKER_START.match(folded):
            titles.append((line[: glued.end(1)], i))
            found.glued_rest = line[glued.end(1) :]
            found.title_end = i
            break
        if looks_like_title(line):
            if titles and is_part_heading(line) and _compact(folded) in _compact(match_form(titles[-1][0])):
                break
            title = line
            nxt = _next_nonblank(lines, i)
            if nxt is not None and _JOIN_NEXT.match(match_form(lines[nxt]).replace(" ", "")):
                title = line + lines[nxt]
                i = nxt
            elif titles or before_title:
                prev = before_title[-1] if before_title else ""
                if prev and _ISSUER_LINE.match(match_form(prev)) and not _has_issuer(folded):
                    title = prev + title
            titles.append((title, i))
            found.title_end = i + 1
            in_wrapper = False
            i += 1
            continue
        prose = len(folded) > 80 or folded.endswith(("。", ":", ",", ";")) or folded.count(",") >= 2
        if _MARKER_START.match(folded) and not in_wrapper:
            break
        if prose:
            inner = re.search(r"《(关于(?:印发|转发|下发).{2,60}?的通知)》", folded)
            if inner and not titles and seen <= 3:
                titles.append((line[inner.start(1) : inner.end(1)], -1))
                found.notice = titles[-1][0]
                break
            if in_wrapper:
                i += 1
                continue
            break
        (found.head if titles else before_title).append(line)
        i += 1
    if titles:
        found.title = _best_title(titles)
    if not titles:
        found.title_end = 0
    found.head = before_title + found.head
    return found


def _best_title(titles: list[tuple[str, int]]) -> str:
    """The report's own title: the last one before the body (a wrapper's inner title, a repeated copy)."""
    own = [t for t, _ in titles if not _NOTICE.search(match_form(t))]
    chosen = own[-1] if own else titles[-1][0]
    # A page <title> line carries the site: '… - 内容 - 上海市西南模范中学', '…_计划总结_株洲市教育局'.
    pieces = [p for p in re.split(r"\s+[-–—|]\s+|_", chosen) if p.strip()]
    if len(pieces) > 1:
        genre = [p for p in pieces if _GENRE_TITLE.search(match_form(without_glosses(p)))]
        if genre:
            return genre[0].strip()
    return chosen


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _has_issuer(folded: str) -> bool:
    return any(suffix in folded for suffix in ISSUER_SUFFIXES)


def _next_nonblank(lines: list[str], i: int) -> int | None:
    for j in range(i + 1, min(len(lines), i + 3)):
        if lines[j]:
            return j
    return None


def _first_nonblank(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if line), 0)


def clean(raw: str, title_hints: Sequence[str] = ()) -> CleanText:
    """Cleaned body and page metadata of decoded page text."""
    meta = PageMeta()
    kept = _strip_chrome(normalise(raw).split("\n"), meta)
    _finish_meta(meta)
    head = _scan_head(kept)
    body_lines = kept[head.title_end :]
    if head.glued_rest is not None:
        body_lines = [head.glued_rest, *kept[head.title_end + 1 :]]
    title = head.title or meta.title
    body_lines = _drop_repeated_title(body_lines, title)
    if meta.published is None:
        for line in head.head[:6]:
            if _DATE_LINE.match(match_form(line)) and len(line) <= 30:
                meta.published = iso_date(line)
                break
    body = "\n".join(body_lines)
    body = re.sub(r"\n{3,}", "\n\n", body).strip("\n")
    if not meta.title:
        meta.title = title
    return CleanText(
        body=body, meta=meta, title=title, notice=head.notice, head=head.head, subtitle=head.subtitle
    )


def _drop_repeated_title(lines: list[str], title: str) -> list[str]:
    """Remove further copies of the title line near the top of the body."""
    if not title:
        return lines
    compact = _compact(match_form(title))
    out = []
    for i, line in enumerate(lines):
        if i < 12 and line and _compact(match_form(line)) == compact:
            continue
        out.append(line)
    return out
