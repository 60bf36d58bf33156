"""Separate a saved page's report text from the site's chrome, keeping the metadata that matters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from eduread.text.width import fold_width

# Keys of the "信息公开" metadata tables; spaces may sit between their characters (索 引 号).
_META_KEYS = [
    "索引号",
    "主题分类",
    "内容分类",
    "发布机构",
    "发文机关",
    "文号",
    "标题",
    "公开方式",
    "公开时限",
    "公开范围",
    "责任处室",
    "成文日期",
    "发布日期",
    "发文日期",
    "生效日期",
    "废止日期",
    "有效性",
    "主题词",
    "体裁分类",
    "组配分类",
    "信息分类",
    "公开形式",
    "统一编号",
    "所属机构",
    "关键词",
    "信息来源",
    "来源",
    "发布时间",
    "更新时间",
    "累计次数",
    "浏览次数",
    "阅读次数",
    "点击数",
    "访问量",
    "作者",
    "编辑",
    "字体",
    "字号",
]
_KEY_RE = "|".join(r"\s*".join(map(re.escape, key)) for key in sorted(_META_KEYS, key=len, reverse=True))
_KEY = re.compile(rf"(?:^|(?<=[\s|:]))({_KEY_RE})\s*[:]?\s*\|?")
_META_LINE = re.compile(rf"^[\s|]*(?:{_KEY_RE})\s*(?:[:|]|\s|$)")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_DATE = re.compile(
    r"([〇零○O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)

_CRUFT = re.compile(
    r"^(?:您?当前(?:的)?位置|首页\s*[>/»]|首页$|扫一扫|用手机扫|版权所有|Copyright|主办[:单]|承办[:单]|"
    r"技术支持|网站标识码|政府网站标识码|.{0,40}ICP备|.{0,40}公网安备|.{0,20}12345.{0,20}热线|无障碍|打印本页|【?打印】?|关闭窗口|【?关闭】?|"
    r"分享到|收藏本页|网站地图|联系我们|字体[:]|【字体|上一篇|下一篇|相关链接|相关文章|返回顶部|\[?关闭\]?|"
    r"\[?打印\]?|微信扫|手机版|附件[:]?$|分享[:]?$|纠错|我要纠错)",
    re.I,
)
_PIPES = re.compile(r"^[\s|]+$")
_KIND_WORD = re.compile(
    r"工作(?:总结|计划|要点|思路|谋划|打算|安排|回顾|报告)|(?:总结|计划|要点|思路|谋划|打算|安排)$"
)
_ORG_WORD = re.compile(
    r"(?:教育局|教育体育局|教体局|教育委员会|教委|教育和体育局|教育厅|教育文化体育局|教育科技局|教科局|教育和科学技术局|社会事业局|文教局)$"
)


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
    """The report's own text (every offset points here) plus the page's metadata."""

    body: str
    meta: PageMeta


def normalise(text: str) -> str:
    """One form for line ends, widths and spaces, so every later step sees the same text."""
    text = fold_width(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\t", " ")
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return "\n".join(lines)


def iso_date(text: str) -> str | None:
    """First date in the text as YYYY-MM-DD (Arabic or Chinese numerals), or None."""
    match = _DATE.search(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    match = _CN_DATE.search(text)
    if match:
        year = int("".join(str(_CN_DIGITS.get(c, 0)) for c in match.group(1)))
        month, day = _cn_small(match.group(2)), _cn_small(match.group(3))
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _cn_small(numeral: str) -> int:
    """Value of a Chinese numeral below 100 (十二, 二十, 二十六)."""
    if "十" not in numeral:
        return _CN_DIGITS.get(numeral, 0)
    tens, _, ones = numeral.partition("十")
    return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


def parse_meta_line(line: str) -> dict[str, str]:
    """Key/value pairs of a metadata row such as '索 引 号 X 主题分类 Y' or '来源: A 发布时间:B'."""
    found = list(_KEY.finditer(line))
    pairs: dict[str, str] = {}
    for i, match in enumerate(found):
        key = re.sub(r"\s+", "", match.group(1))
        end = found[i + 1].start() if i + 1 < len(found) else len(line)
        value = line[match.end() : end].strip(" |:")
        pairs.setdefault(key, value)
    return pairs


def is_meta_line(line: str) -> bool:
    """A row of the site's metadata table or its 发布时间/来源 byline."""
    return bool(_META_LINE.match(line))


def is_cruft_line(line: str) -> bool:
    """A breadcrumb, share, footer or pipe-only line that is never part of a report."""
    stripped = line.strip()
    if _PIPES.match(stripped):
        return True
    return len(stripped) <= 120 and bool(_CRUFT.match(stripped))


def _looks_like_title(line: str) -> bool:
    return len(line) <= 70 and bool(_KIND_WORD.search(line)) and "。" not in line


def _absorb_meta(meta: PageMeta, pairs: dict[str, str]) -> None:
    for key, value in pairs.items():
        meta.fields.setdefault(key, value)


def _finish_meta(meta: PageMeta) -> None:
    fields = meta.fields
    for key in ("发布时间", "发布日期", "成文日期", "发文日期"):
        if meta.published is None and fields.get(key):
            meta.published = iso_date(fields[key])
    for key in ("来源", "信息来源", "发布机构", "责任处室", "发文机关", "所属机构"):
        value = fields.get(key, "").strip()
        if value and not meta.source:
            meta.source = value.split(" ")[0]
    meta.index_number = fields.get("索引号", "")
    if not meta.title and fields.get("标题"):
        meta.title = fields["标题"]


def clean(raw: str) -> CleanText:
    """Cleaned body and page metadata of decoded page text."""
    text = normalise(raw)
    lines = text.split("\n")
    meta = PageMeta()
    kept: list[str] = []
    for line in lines:
        if not line:
            kept.append("")
            continue
        if is_meta_line(line):
            _absorb_meta(meta, parse_meta_line(line))
            continue
        if is_cruft_line(line):
            continue
        kept.append(line.rstrip(" |").rstrip())
    _finish_meta(meta)
    title_lines = _take_title(kept, meta)
    body_lines = kept[title_lines:]
    body_lines = _drop_repeated_title(body_lines, meta.title)
    body = "\n".join(body_lines)
    body = re.sub(r"\n{3,}", "\n\n", body).strip("\n")
    return CleanText(body=body, meta=meta)


def _take_title(lines: list[str], meta: PageMeta) -> int:
    """Find the title in the page head (split over two lines or repeated); return lines consumed."""
    consumed = 0
    nonblank = [(i, line) for i, line in enumerate(lines[:40]) if line]
    for pos, (i, line) in enumerate(nonblank[:12]):
        if _looks_like_title(line):
            title = line
            if pos > 0:
                prev_i, prev = nonblank[pos - 1]
                if prev_i >= i - 2 and _ORG_WORD.search(prev) and not _ORG_WORD.search(line.split("20")[0]):
                    if len(prev) <= 30 and not re.search(r"[,。;:]", prev):
                        title = prev + line
            if not meta.title or meta.title.replace(" ", "") in (title, line):
                meta.title = title
            consumed = i + 1
            # A second copy of the title right below is page chrome too.
            while consumed < len(lines) and (not lines[consumed] or lines[consumed] == title):
                consumed += 1
            break
        if len(line) > 70:
            break
    if consumed:
        return consumed
    return 0


def _drop_repeated_title(lines: list[str], title: str) -> list[str]:
    """Remove further copies of the title line near the top of the body."""
    if not title:
        return lines
    compact = title.replace(" ", "")
    out = []
    for i, line in enumerate(lines):
        if i < 12 and line.replace(" ", "") == compact:
            continue
        out.append(line)
    return out
