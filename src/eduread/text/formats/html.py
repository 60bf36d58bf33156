"""Read a saved web page as a browser would show its article: the main content, not the site's chrome.

The page is parsed into a small tree with the standard library's parser; navigation, headers and
footers, share and print bars, related-article lists and link-heavy blocks are dropped; what is
left is flattened the way a browser's innerText is (a <p> is a paragraph, inline tags add neither
spaces nor line breaks), so the same report saved as .txt and as .html reads the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from eduread.text.document import Document
from eduread.text.vocabulary import PLAN_WORDS, SUMMARY_WORDS

_BLOCK = {
    "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "table", "tbody", "thead",
    "tfoot", "tr", "ul", "caption", "summary", "body", "html",
}  # fmt: skip
_PARAGRAPH = {"p"}  # innerText puts a blank line around these
_CELL = {"td", "th"}
_DROP = {
    "script", "style", "noscript", "template", "svg", "iframe", "object", "select", "button", "head",
    "textarea", "canvas", "video", "audio", "map", "embed", "xml",
}  # fmt: skip
_VOID = {
    "br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr", "param",
    "track", "keygen", "basefont", "frame",
}  # fmt: skip
_CHROME_TAGS = {"nav", "header", "footer", "aside"}
_CHROME_NAME = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|menus|breadcrumbs?|crumbs?|bread|location|position|weizhi|dqwz|curpos|"
    r"share|bdshare|jiathis|print|toolbar|tools?|topbar|top|header|head|footer|foot|bottom|copyright|"
    r"banner|logo|login|search|sidebar|side|aside|related|relate|xgwz|xglj|links?|friend|yqlj|"
    r"comment|wza|barrier|elder|zhangzhe|skip|pagination|pager|prev|next|qrcode|ewm|fontsize|font)(?:$|[\s_-]|\d)",
    re.I,
)
_META_KEY = re.compile(r"发布(?:时间|日期)|索\s*引\s*号|成文日期|信息来源")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.I)
_KIND_TITLE = re.compile(r"(?:工作|年度?|学期|教育)\S{0,6}?(?:" + "|".join(PLAN_WORDS + SUMMARY_WORDS) + ")")
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|\s[-—–]+\s|--|——)\s*")
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
# A line break in the page source is Word (or an editor) wrapping its source, not a space the
# writer typed: it goes, unless spaces stand beside it or it separates two Latin words.
_SOURCE_BREAK = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*")
_LATIN_LEFT = re.compile(r"[A-Za-z,.;:!?)'\"]$")
_LATIN_RIGHT = re.compile(r"^[A-Za-z(]")


def _join_source_lines(text: str) -> str:
    def keep(match: re.Match[str]) -> str:
        if match.group(0).strip("\r\n"):  # spaces beside the break were typed: keep one
            return " "
        before, after = text[: match.start()][-1:], text[match.end() :][:1]
        return " " if _LATIN_LEFT.search(before) and _LATIN_RIGHT.match(after) else ""

    return _SOURCE_BREAK.sub(keep, text) if "\n" in text else text


_SPACES = re.compile(r"[ \t\n\r\f]+")
_MAX_DEPTH = 400
_SERVER_TAGS = re.compile(r"<%.*?%>", re.S)  # ASP/JSP directives of a page template saved as is


@dataclass(eq=False)
class _Node:
    tag: str
    attrs: dict[str, str]
    parent: _Node | None = None
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """Builds a forgiving element tree: stray end tags are ignored, open ones closed as browsers do."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.stack = [self.root]
        self.meta: list[tuple[str, str]] = []
        self.title_parts: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (values.get("name") or values.get("property") or "").lower()
            if key and values.get("content"):
                self.meta.append((key, values["content"]))
        if tag == "title":
            self._in_title = True
        current = self.stack[-1]
        if tag in _BLOCK and current.tag == "p" or tag == "p" and current.tag == "p":
            self.stack.pop()
        elif tag == "li" and current.tag == "li" or tag in _CELL and current.tag in _CELL:
            self.stack.pop()
        elif tag == "tr" and current.tag in _CELL | {"tr"}:
            while len(self.stack) > 1 and self.stack[-1].tag in _CELL | {"tr"}:
                self.stack.pop()
        parent = self.stack[-1]
        node = _Node(tag, values, parent)
        parent.children.append(node)
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self.stack[-1]
        parent.children.append(_Node(tag, {k.lower(): (v or "") for k, v in attrs}, parent))
        if tag == "meta":
            self.handle_starttag(tag, attrs)
            parent.children.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return
        if tag == "p":  # </p> with no <p> open is an empty paragraph, as browsers read it
            self.stack[-1].children.append(_Node("p", {}, self.stack[-1]))

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        self.stack[-1].children.append(data)


def _close_comments(markup: str) -> str:
    """Drop an unclosed `<!--` marker, so neither it nor what follows turns into text or vanishes."""
    pos = 0
    while True:
        start = markup.find("<!--", pos)
        if start < 0:
            return markup
        end = markup.find("-->", start + 4)
        if end < 0:
            return markup[:start] + markup[start + 4 :].replace("<!--", "")
        pos = end + 3


def _attr_name(node: _Node) -> str:
    return f"{node.attrs.get('class', '')} {node.attrs.get('id', '')}"


def _text_of(node: _Node) -> str:
    parts: list[str] = []
    stack: list[_Node | str] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
        elif item.tag not in _DROP:
            stack.extend(reversed(item.children))
    return _SPACES.sub(" ", "".join(parts)).strip()


def _looks_like_title(text: str) -> bool:
    return len(text) <= 80 and bool(_KIND_TITLE.search(text))


class _Sizes:
    """Characters of text and of link text under each node, computed once bottom-up."""

    def __init__(self, root: _Node) -> None:
        self.text: dict[int, int] = {}
        self.links: dict[int, int] = {}
        self.has_title: dict[int, bool] = {}
        self.has_meta: dict[int, bool] = {}
        order: list[_Node] = []
        stack = [root]
        while stack:
            node = stack.pop()
            order.append(node)
            stack.extend(c for c in node.children if isinstance(c, _Node) and c.tag not in _DROP)
        for node in reversed(order):
            text = links = 0
            titled = node.tag in ("h1", "h2", "h3") and _looks_like_title(_text_of(node))
            meta = False
            for child in node.children:
                if isinstance(child, str):
                    text += len(child.strip())
                    meta = meta or bool(_META_KEY.search(child))
                elif child.tag not in _DROP:
                    text += self.text[id(child)]
                    links += self.links[id(child)]
                    titled = titled or self.has_title[id(child)]
                    meta = meta or self.has_meta[id(child)]
            if node.tag == "a":
                links = text
            self.text[id(node)] = text
            self.links[id(node)] = links
            self.has_title[id(node)] = titled
            self.has_meta[id(node)] = meta


def _is_chrome(node: _Node, sizes: _Sizes, total: int) -> bool:
    """Site chrome: a nav/header/footer, a block named like one, a hidden block or a list of links."""
    if _HIDDEN.search(node.attrs.get("style", "")):
        return True
    text = sizes.text[id(node)]
    small = text < 0.3 * total or text < 200
    if sizes.has_title[id(node)] or not small:
        return False
    if node.tag in _CHROME_TAGS or node.attrs.get("role", "") in ("navigation", "banner", "contentinfo"):
        return True
    if _CHROME_NAME.search(_attr_name(node)) and not sizes.has_meta[id(node)]:
        return True  # (a block holding the page's 发布时间/索引号 stays, whatever it is called)
    links = sizes.links[id(node)]
    return node.tag in _BLOCK | _CELL and text >= 4 and links > 0.6 * text


def _prune(root: _Node) -> None:
    """Remove the chrome from the tree in place."""
    sizes = _Sizes(root)
    total = sizes.text[id(root)]
    stack = [root]
    while stack:
        node = stack.pop()
        kept: list[_Node | str] = []
        for child in node.children:
            if isinstance(child, _Node):
                if (
                    child.tag in _DROP
                    or child.tag not in ("body", "html")
                    and _is_chrome(child, sizes, total)
                ):
                    continue
                stack.append(child)
            kept.append(child)
        node.children = kept


class _Flattener:
    """innerText: block boundaries become line breaks (a blank line around <p>), cells end in ' | '.

    Breaks between two stretches of text merge to the largest asked for, so 39 nested <div>s make
    one line break, not 39; whitespace within a stretch collapses as a browser collapses it.
    """

    def __init__(self) -> None:
        self.out: list[str] = []
        self.run: list[str] = []
        self.required = 0
        self.forced = 0
        self.gap = 0

    def breaks(self, count: int) -> None:
        self.required = max(self.required, count)

    def hard_break(self) -> None:
        self.forced += 1

    def text(self, data: str) -> None:
        if self.required or self.forced:
            pending = max(self.required, self.forced)
            self.required = self.forced = 0
            self.gap = pending if self._emit() else max(self.gap, pending)
        self.run.append(data)

    def _emit(self) -> bool:
        """Write the stretch of text gathered so far after its line breaks; False if it was blank."""
        text = _SPACES.sub(" ", _join_source_lines("".join(self.run)))
        self.run = []
        if not text.strip():
            return False
        if self.out:
            self.out.append("\n" * max(self.gap, 1))
        self.out.append(text)
        self.gap = 0
        return True

    def result(self) -> str:
        self._emit()
        lines = "".join(self.out).split("\n")
        return "\n".join(line.strip() for line in lines)


def _flatten(root: _Node) -> str:
    flat = _Flattener()
    stack: list[tuple[_Node | str, bool]] = [(root, False)]
    while stack:
        item, leaving = stack.pop()
        if isinstance(item, str):
            if item:
                flat.text(item)
            continue
        tag = item.tag
        if leaving:
            if tag in _CELL:
                flat.text(" | ")
            elif tag in _PARAGRAPH:
                flat.breaks(2)
            elif tag in _BLOCK:
                flat.breaks(1)
            continue
        if tag == "br":
            flat.hard_break()
            continue
        if tag in _VOID:
            continue
        if tag in _PARAGRAPH:
            flat.breaks(2)
        elif tag in _BLOCK:
            flat.breaks(1)
        stack.append((item, True))
        stack.extend((child, False) for child in reversed(item.children))
    return flat.result()


def _clean_title(title: str) -> str:
    """A <title> without the site's name and column (`…工作计划_计划总结_株洲市教育局`)."""
    title = _SPACES.sub(" ", title).strip()
    pieces = [p for p in _TITLE_SPLIT.split(title) if p.strip()]
    if not pieces:
        return ""
    titled = [p for p in pieces if _looks_like_title(p)]
    return (titled[0] if titled else pieces[0]).strip()


def _title_hints(builder: _TreeBuilder, root: _Node) -> list[str]:
    """Titles the page states outside its text, best first, each once."""
    found: list[str] = []
    meta = dict((k, v) for k, v in reversed(builder.meta))
    for key in ("articletitle", "og:title", "dc.title"):
        if meta.get(key):
            found.append(_clean_title(meta[key]))
    stack = [root]
    headings: list[str] = []
    while stack:
        node = stack.pop()
        if node.tag == "h1":
            headings.append(_text_of(node))
            continue
        stack.extend(reversed([c for c in node.children if isinstance(c, _Node) and c.tag not in _DROP]))
    found.extend(headings)
    if builder.title_parts:
        found.append(_clean_title("".join(builder.title_parts)))
    hints: list[str] = []
    for hint in sorted(found, key=lambda h: not _looks_like_title(h)):
        if hint and len(hint) <= 200 and hint not in hints:
            hints.append(hint)
    return hints


def read_html(markup: str, notes: list[str] | None = None) -> Document:
    """The article of a saved page as text, with the titles the page states, best first."""
    builder = _TreeBuilder()
    builder.feed(_SERVER_TAGS.sub("", _close_comments(markup)))
    builder.close()
    hints = _title_hints(builder, builder.root)
    _prune(builder.root)
    text = _flatten(builder.root)
    head = "".join(line.strip() for line in text.split("\n")[:40] if line.strip()).replace(" ", "")
    if hints and _looks_like_title(hints[0]) and hints[0].replace(" ", "") not in head[:1500]:
        text = hints[0] + "\n\n" + text  # the title only the page's <title> or meta states
    return Document(text, "html", hints, list(notes or []))
