"""Read a Word .docx: paragraphs and tables in order, Word's own list numbers written out as text.

Bureaus number their headings with Word's automatic lists (一、 （一） 1.), which live in
numbering.xml, not in the text; without them the outline would see no markers. Headers and
footers (page numbers, the bureau's name on every page) are separate parts and are never read.
python-docx opens the package (it parses with entities off); the walk over the body is our own so
that tracked insertions, content controls and numbering are all seen.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from eduread.text.document import Document

MAX_XML_BYTES = 64 * 1024 * 1024  # the body of a 1,000-page report is a few MB
MAX_UNPACKED = 512 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"
_BAD_TITLE = re.compile(r"^(?:microsoft word\s*-|untitled|无标题|标题$|文档\d*$|document\d*$)", re.I)


class DocxError(ValueError):
    """A .docx that cannot be read; the message says why in a few words."""


def _chinese(n: int, digits: str = _CN) -> str:
    """Chinese numeral for list numbers (1→一, 10→十, 12→十二, 20→二十, 105→一百零五)."""
    if n <= 0:
        return digits[0]
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return digits[hundreds] + "百"
    return (
        digits[hundreds]
        + "百"
        + ("零" if rest < 10 else "")
        + (_chinese(rest, digits) if rest >= 10 else digits[rest])
    )


def _roman(n: int) -> str:
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def _letters(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """A list counter in one of Word's number formats."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "ideographZodiac", "koreanCounting"):  # fmt: skip
        return _chinese(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return _chinese(n, _CN_LEGAL)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt == "ideographTraditional":
        return _HEAVENLY[(n - 1) % 10]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    legal: bool = False


@dataclass
class _Numbering:
    """numbering.xml: which abstract list each numId uses, its levels, and the running counters."""

    abstract_of: dict[str, str] = field(default_factory=dict)
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    start_overrides: dict[str, dict[int, int]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    restarted: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, root) -> _Numbering:
        numbering = cls()
        if root is None:
            return numbering
        for abstract in root.iter(f"{_W}abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in abstract.iter(f"{_W}lvl"):
                level = _Level()
                for tag, attr in (
                    ("start", "start"),
                    ("numFmt", "fmt"),
                    ("lvlText", "text"),
                    ("suff", "suffix"),
                ):
                    node = lvl.find(f"{_W}{tag}")
                    if node is not None and node.get(f"{_W}val") is not None:
                        value = node.get(f"{_W}val")
                        setattr(level, attr, int(value) if attr == "start" and value.isdigit() else value)
                level.legal = lvl.find(f"{_W}isLgl") is not None
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = level
            numbering.levels[abstract.get(f"{_W}abstractNumId", "")] = levels
        for num in root.iter(f"{_W}num"):
            num_id = num.get(f"{_W}numId", "")
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            numbering.abstract_of[num_id] = ref.get(f"{_W}val", "")
            for override in num.iter(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                if start is not None and (start.get(f"{_W}val") or "").isdigit():
                    level = int(override.get(f"{_W}ilvl", "0"))
                    numbering.start_overrides.setdefault(num_id, {})[level] = int(start.get(f"{_W}val"))
        return numbering

    def label(self, num_id: str, ilvl: int) -> str:
        """The next number of this list at this level, written as Word shows it (一、 （二） 3.)."""
        abstract = self.abstract_of.get(num_id)
        levels = self.levels.get(abstract or "")
        if not levels or ilvl not in levels or num_id == "0":
            return ""
        counters = self.counters.setdefault(abstract, {})
        if num_id in self.start_overrides and num_id not in self.restarted:
            self.restarted.add(num_id)
            for level, start in self.start_overrides[num_id].items():
                counters[level] = start - 1
                for deeper in [k for k in counters if k > level]:
                    del counters[deeper]
        level = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def number(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            lvl = levels.get(k, _Level())
            value = counters.get(k, lvl.start)
            return format_number(value, "decimal" if level.legal and lvl.fmt != "bullet" else lvl.fmt)

        if level.fmt == "bullet":
            return ""
        text = re.sub(r"%([1-9])", number, level.text)
        return text + (" " if level.suffix == "space" else "")


def _num_props(ppr) -> tuple[str, int] | None:
    if ppr is None:
        return None
    numpr = ppr.find(f"{_W}numPr")
    if numpr is None:
        return None
    num = numpr.find(f"{_W}numId")
    lvl = numpr.find(f"{_W}ilvl")
    if num is None:
        return ("", int(lvl.get(f"{_W}val", "0"))) if lvl is not None else None
    return num.get(f"{_W}val", ""), int(lvl.get(f"{_W}val", "0")) if lvl is not None else 0


class _Styles:
    """Numbering that a paragraph style carries (a heading style linked to a multilevel list)."""

    def __init__(self, root) -> None:
        self.numbering: dict[str, tuple[str, int]] = {}
        self.based_on: dict[str, str] = {}
        if root is None:
            return
        for style in root.iter(f"{_W}style"):
            sid = style.get(f"{_W}styleId", "")
            props = _num_props(style.find(f"{_W}pPr"))
            if props:
                self.numbering[sid] = props
            based = style.find(f"{_W}basedOn")
            if based is not None:
                self.based_on[sid] = based.get(f"{_W}val", "")

    def num_of(self, style_id: str) -> tuple[str, int] | None:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if style_id in self.numbering:
                return self.numbering[style_id]
            style_id = self.based_on.get(style_id, "")
        return None


def _run_text(element) -> str:
    """Text of a paragraph or cell: w:t, tabs and breaks, not deleted text, not text-box duplicates."""
    parts: list[str] = []
    skip = {f"{_W}txbxContent", f"{_W}del", f"{_W}instrText", f"{_W}delText"}
    stack = [element]
    while stack:
        node = stack.pop()
        tag = node.tag
        if not isinstance(tag, str) or tag in skip or tag.endswith("}Fallback"):
            continue
        if tag == f"{_W}t":
            parts.append(node.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        stack.extend(reversed(list(node)))
    return "".join(parts)


class _Walker:
    def __init__(self, numbering: _Numbering, styles: _Styles) -> None:
        self.numbering = numbering
        self.styles = styles
        self.lines: list[str] = []

    def paragraph(self, p) -> str:
        ppr = p.find(f"{_W}pPr")
        props = _num_props(ppr)
        style = ppr.find(f"{_W}pStyle") if ppr is not None else None
        style_props = self.styles.num_of(style.get(f"{_W}val", "")) if style is not None else None
        if props and not props[0] and style_props:
            props = (style_props[0], props[1])
        props = props or style_props
        text = _run_text(p)
        label = self.numbering.label(*props) if props and props[0] and text.strip() else ""
        return label + text

    def cell(self, tc) -> str:
        pieces = []
        for child in tc:
            if child.tag == f"{_W}p":
                pieces.append(self.paragraph(child))
            elif child.tag == f"{_W}tbl":
                pieces.append(" ".join(self.cell(c) for c in child.iter(f"{_W}tc")))
        return " ".join(p.strip() for p in pieces if p.strip())

    def block(self, element) -> None:
        for child in element:
            tag = child.tag
            if tag == f"{_W}p":
                self.lines.append(self.paragraph(child))
            elif tag == f"{_W}tbl":
                for row in child.iter(f"{_W}tr"):
                    cells = [self.cell(tc) for tc in row if tc.tag == f"{_W}tc"]
                    if any(cells):
                        self.lines.append("".join(f"{c} | " for c in cells).rstrip())
            elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"):
                self.block(child)


def _check_package(data: bytes) -> None:
    """Refuse zip bombs before python-docx unpacks every part into memory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise DocxError("damaged .docx: the zip is cut short or corrupt") from None
    total = sum(i.file_size for i in infos)
    body = next((i.file_size for i in infos if i.filename == "word/document.xml"), 0)
    if body > MAX_XML_BYTES or total > MAX_UNPACKED:
        raise DocxError(f"refused: the .docx unpacks to {total // (1024 * 1024)} MB (a zip bomb?)")


def read_docx(data: bytes) -> Document:
    """A .docx's text: body paragraphs and table rows in order, list numbers included; raises DocxError."""
    _check_package(data)
    import docx  # loaded only when a .docx is read
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError) as err:
        raise DocxError(
            f"damaged .docx ({str(err).splitlines()[0][:80] if str(err) else type(err).__name__})"
        ) from None
    except Exception as err:  # lxml's XMLSyntaxError and the like: a package python-docx cannot parse
        raise DocxError(f"damaged .docx ({type(err).__name__})") from None
    part = document.part
    try:
        numbering_root = part.numbering_part.element
    except (NotImplementedError, KeyError, AttributeError):
        numbering_root = None
    try:
        styles_root = part.styles.element if hasattr(part, "styles") else document.styles.element
    except (KeyError, AttributeError, NotImplementedError):
        styles_root = None
    walker = _Walker(_Numbering.of(numbering_root), _Styles(styles_root))
    walker.block(document.element.body)
    hints = []
    title = (document.core_properties.title or "").strip()
    if title and not _BAD_TITLE.match(title) and len(title) <= 200:
        hints.append(title)
    text = "\n".join(line.replace("\t", " ").rstrip() for line in walker.lines)
    return Document(text, "docx", hints, [])
