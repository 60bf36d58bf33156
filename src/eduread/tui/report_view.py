"""The report body: a line-virtualised view that draws only the visible, pre-wrapped lines."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from eduread.text.wrap import wrap_body
from eduread.tui.frame_style import FrameStyle

if TYPE_CHECKING:
    from eduread.parse.model import Report

FIGURE_VARS = {
    "count": "figure-count",
    "money": "figure-money",
    "percent": "figure-percent",
    "change": "figure-change",
    "rank": "figure-count",
    "ratio": "figure-percent",
}


@dataclass
class _Span:
    start: int
    end: int
    style: str


class ReportView(FrameStyle, ScrollView, can_focus=True):
    """Shows one report's body with headings, figures and search hits styled."""

    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", show=False),
        Binding("k,up", "scroll_up", "Up", show=False),
        Binding("g,home", "top", "Top", show=False),
        Binding("G,end", "bottom", "Bottom", show=False),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False),
        Binding("space,pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
    ]

    DEFAULT_CSS = """
    ReportView {
        background: $surface; padding: 0 1 0 0; scrollbar-gutter: stable; overflow-x: hidden;
        border-left: outer $surface;
    }
    ReportView:focus { border-left: outer $accent; }
    """

    hits: reactive[list[tuple[int, int]]] = reactive(list, always_update=True)
    current_hit: reactive[int] = reactive(-1)

    BIG = 400_000  # characters: a body this long is wrapped off the UI thread

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.report: Report | None = None
        self.measure = 0  # the reading width in cells (0: the whole pane)
        self._margin = 0  # blank cells left of the text, centring it in a wide pane
        self.message_text = ""
        self._lines: list[tuple[int, int]] = []
        self._line_starts: list[int] = []
        self._spans: list[_Span] = []
        self._span_starts: list[int] = []
        self._wrapped_width = -1
        self._cache: dict[int, Strip] = {}
        self._pending_offset: int | None = None  # where to scroll once laid out (a new report)
        self._pending_center = False
        # The offset last scrolled to and the line it put at the top: a re-wrap keeps that offset
        # rather than the start of the top line, so repeated re-wraps do not drift upwards.
        self._anchor: tuple[int, int] | None = None
        self._notes: list[tuple[int, int]] = []  # spans the reader has written notes on

    # ---- content -------------------------------------------------------------------------------

    def show(self, report: Report | None, offset: int = 0, message: str = "") -> None:
        """Display a report (or a message instead) and scroll to a body offset."""
        self.report = report
        self.message_text = message
        self.hits = []
        self.current_hit = -1
        self._notes = []
        if report is None or len(report.body) <= self.BIG:
            self._set_spans(_spans(report))
        else:
            self._spans, self._span_starts = [], []  # made with the lines, off the UI thread
        self._rewrap()
        self._pending_offset, self._pending_center = offset, False
        self.scroll_to_offset(offset, animate=False)

    def _apply_pending(self) -> None:
        if self._pending_offset is not None and (self._lines or self.report is None):
            offset, center = self._pending_offset, self._pending_center
            self._pending_offset, self._pending_center = None, False
            self.scroll_to_offset(offset, animate=False, center=center)

    def on_mount(self) -> None:
        # A new theme changes every colour this view caches: it clears its own lines.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.repaint())

    def repaint(self) -> None:
        """Draw every line again (their colours changed)."""
        self._cache.clear()
        self.refresh()

    def set_measure(self, measure: int) -> None:
        """Keep lines to `measure` cells (0: as wide as the pane), centred in a wider pane."""
        if measure != self.measure:
            self.measure = measure
            self._wrapped_width = -1
            self.on_resize()

    def _pane_width(self) -> int:
        return max(10, self.scrollable_content_region.width or self.size.width or 80)

    def _content_width(self) -> int:
        pane = self._pane_width()
        return min(pane, self.measure) if self.measure else pane

    def _rewrap(self) -> None:
        width = self._content_width()
        self._cache.clear()
        self._margin = (self._pane_width() - width) // 2
        report = self.report
        if report is None:
            self._install([], width)
        elif len(report.body) > self.BIG:
            self._lines, self._line_starts = [], []
            self.message_text = f"laying out {len(report.body):,} characters…"
            self._wrap_in_thread(report, width)
        else:
            self._install(_wrap(report, width), width)

    def _wrap_in_thread(self, report: Report, width: int) -> None:
        need_spans = not self._spans

        def work() -> None:
            spans = _spans(report) if need_spans else None
            lines = _wrap(report, width)
            self.app.call_from_thread(self._wrapped, report, width, lines, spans)

        self.run_worker(work, thread=True, exclusive=True, group="wrap")

    def _wrapped(
        self, report: Report, width: int, lines: list[tuple[int, int]], spans: list[_Span] | None
    ) -> None:
        if report is self.report and spans is not None:
            self._set_spans(spans)
        if report is self.report and width == self._content_width():
            self.message_text = ""
            self._install(lines, width)
            if self._pending_offset is not None:
                self._apply_pending()

    def _install(self, lines: list[tuple[int, int]], width: int) -> None:
        self._lines = lines
        self._line_starts = [a if a >= 0 else (lines[i - 1][1] if i else 0) for i, (a, _) in enumerate(lines)]
        self._wrapped_width = width
        self.virtual_size = Size(width, len(lines) or 1)
        self.refresh()

    def _set_spans(self, spans: list[_Span]) -> None:
        self._spans = spans
        self._span_starts = [s.start for s in spans]

    def set_notes(self, spans: list[tuple[int, int]]) -> None:
        """Underline the passages that carry notes."""
        self._notes = list(spans)
        self._cache.clear()
        self.refresh()

    def on_resize(self) -> None:
        if self._content_width() == self._wrapped_width:
            margin = (self._pane_width() - self._wrapped_width) // 2
            if margin != self._margin:
                self._margin = margin
                self.repaint()
            return
        top = self._pending_offset
        if top is None:
            anchored = self._anchor is not None and int(self.scroll_offset.y) == self._anchor[1]
            top = self._anchor[0] if anchored and self._anchor else self.top_offset()
        self._rewrap()
        self.scroll_to_offset(top, animate=False)

    def mark(self, spans: list[tuple[int, int]], current: int = 0) -> None:
        """Highlight spans (search matches or a chosen figure) and centre the current one."""
        self.hits = spans
        self.current_hit = current if spans else -1
        if spans:
            self.scroll_to_offset(spans[current][0], center=True)

    def watch_hits(self) -> None:
        self._cache.clear()
        self.refresh()

    def watch_current_hit(self) -> None:
        self._cache.clear()
        self.refresh()

    # ---- positions -----------------------------------------------------------------------------

    def line_of(self, offset: int) -> int:
        """Display line that shows a body offset."""
        if not self._lines:
            return 0
        index = bisect_right(self._line_starts, offset) - 1
        return max(0, index)

    def top_offset(self) -> int:
        """Body offset at the top of the view (what 'reading position' means)."""
        if not self._lines:
            return 0
        y = min(int(self.scroll_offset.y), len(self._lines) - 1)
        while y < len(self._lines) - 1 and self._lines[y][0] < 0:
            y += 1
        return max(0, self._lines[y][0])

    def scroll_to_offset(self, offset: int, *, animate: bool = False, center: bool = False) -> None:
        """Scroll so the line holding a body offset is at the top (or centred)."""
        y = self.line_of(offset)
        if center:
            y = max(0, y - self.size.height // 3)
        if self.max_scroll_y < y or self._pending_offset is not None:
            # not laid out yet: the latest request is the one that counts once it is
            self._pending_offset = offset
            self._pending_center = center
            self.call_after_refresh(self._apply_pending)
        # force: the scrollbar (and with it Textual's permission to scroll) only appears at the next
        # layout, so a report shown where none was would otherwise open at its top.
        self.scroll_to(y=y, animate=animate, immediate=True, force=True)
        self._anchor = (offset, y)

    def action_top(self) -> None:
        self.scroll_to(y=0, animate=False)

    def action_bottom(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False)

    def action_half_page(self, direction: int) -> None:
        self.scroll_to(y=self.scroll_offset.y + direction * max(1, self.size.height // 2), animate=False)

    def action_page_down(self) -> None:
        self.scroll_to(y=self.scroll_offset.y + max(1, self.size.height - 1), animate=False)

    def action_page_up(self) -> None:
        self.scroll_to(y=self.scroll_offset.y - max(1, self.size.height - 1), animate=False)

    # ---- drawing -------------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        variables = self.app.theme_variables
        color = variables.get(name)
        if name.startswith("heading"):
            base = Style(bold=True)
            return base + Style.parse(color) if color else base
        if name == "note-mark":
            return Style(underline=True)
        if name in ("search-hit", "search-current"):
            return Style.parse(color) if color else Style(reverse=True)
        return Style.parse(color) if color else Style(bold=True)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if self.report is None or not self._lines:
            text = Text(self.message_text if y == 0 else "", style="italic")
            strip = Strip(list(text.render(self.app.console)), text.cell_len).apply_style(self.rich_style)
            return strip.adjust_cell_length(width, self.rich_style)
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        strip = self._cache.get(index)
        if strip is None:
            strip = self._render_index(index)
            self._cache[index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _render_index(self, index: int) -> Strip:
        start, end = self._lines[index]
        if start < 0:
            # Every segment carries a style: NO_COLOR's monochrome filter cannot take one without.
            return Strip([Segment("", self.rich_style)], 0)
        assert self.report is not None
        body = self.report.body
        # (offset, order, style) marks: styles apply in order, a later one over an earlier one
        marks: list[tuple[int, int, int, Style]] = []
        k = bisect_left(self._span_starts, start)
        lo = max(0, k - 40)  # a span that began before this line may still cover it
        for order, span in enumerate(self._spans[lo:]):
            if span.start >= end:
                break
            if span.end > start:
                marks.append((max(start, span.start), min(end, span.end), order, self._style(span.style)))
        for n_start, n_end in self._notes:  # few, and a note may begin many spans back
            if n_end > start and n_start < end:
                marks.append((max(start, n_start), min(end, n_end), 10**8, self._style("note-mark")))
        for i, (h_start, h_end) in enumerate(self.hits):
            if h_end > start and h_start < end:
                name = "search-current" if i == self.current_hit else "search-hit"
                marks.append((max(start, h_start), min(end, h_end), 10**9 + i, self._style(name)))
        # Segments built directly (no Rich Text layout): the line is already wrapped to fit.
        cuts = sorted({start, end, *(m[0] for m in marks), *(m[1] for m in marks)})
        base = self.rich_style
        segments = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            style = base
            for m_start, m_end, _order, mark_style in sorted(marks, key=lambda m: m[2]):
                if m_start <= a and b <= m_end:
                    style = style + mark_style
            segments.append(Segment(body[a:b].replace("\t", " "), style))
        strip = Strip(segments, cell_len(body[start:end]))
        if self._margin:
            strip = Strip.join([Strip.blank(self._margin, self.rich_style), strip])
        return strip


def _wrap(report: Report, width: int) -> list[tuple[int, int]]:
    """A report's display lines at a width: figures kept whole, a new line at every heading."""
    unbreakable = [(f.start, f.end) for f in report.figures]
    breaks = {s.start for s in report.all_sections()}
    return wrap_body(report.body, width, unbreakable, breaks)


def _spans(report: Report | None) -> list[_Span]:
    """Heading and figure styles of a report, by start; they do not depend on the width."""
    if report is None:
        return []
    spans: list[_Span] = []
    for section in report.all_sections():
        spans.append(_Span(section.start, section.title_end, f"heading-{min(section.level, 3)}"))
    for figure in report.figures:
        if figure.highlighted:
            spans.append(_Span(figure.start, figure.end, FIGURE_VARS.get(figure.kind, "figure-count")))
    spans.sort(key=lambda s: s.start)
    return spans
