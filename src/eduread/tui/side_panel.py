"""The right-hand panel: the report's outline and its figures table, each a way to jump."""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, OptionList, TabbedContent, TabPane, Tabs, Tree
from textual.widgets.option_list import Option

from eduread.parse.model import FIGURE_KINDS, Report, Section
from eduread.tui.labels import FittedTree
from eduread.tui.messages import FindWord, JumpTo

OUTLINE_LIMIT = 2_000  # headings shown in the outline; more would hold up the reader for seconds
KIND_ORDER = list(FIGURE_KINDS)


class KeywordList(OptionList):
    """The words that set this report apart from the rest of the library; Enter finds one."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.words: list[str] = []
        self._load: Callable[[], list[tuple[str, float, int]]] | None = None

    def show(self, load: Callable[[], list[tuple[str, float, int]]] | None) -> None:
        """Take a way to fetch (word, score, count) rows; they are fetched when the list is on screen."""
        self._load = load
        if self.display and self.is_on_screen:
            self._fill()

    def on_show(self) -> None:
        if self._load is not None:
            self._fill()

    def _fill(self) -> None:
        keywords = self._load() if self._load else []
        self._load = None
        self.words = [word for word, _score, _count in keywords]
        self.clear_options()
        if not keywords:
            self.add_option(
                Option(Text("no keywords yet: they are being found", style="italic"), disabled=True)
            )
            return
        width = max(cell_len(w) for w in self.words)
        self.add_options(
            Option(Text(word + " " * (width - cell_len(word))).append(f"  ×{count}", style="dim"))
            for word, _score, count in keywords
        )
        self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(FindWord(self.words[event.option_index]))


class OutlineTree(FittedTree):
    """The section tree; Enter jumps to the section. Long headings end in "…" where the pane does."""

    def on_mount(self) -> None:
        self.show_root = False

    def show(self, report: Report | None) -> None:
        """Fill with a report's sections."""
        self.clear()
        self.root.expand()
        if report is None:
            return

        room = [OUTLINE_LIMIT]

        def add(node, sections: list[Section]) -> None:
            for s in sections:
                if room[0] <= 0:
                    return
                room[0] -= 1
                label = Text(f"{s.marker}{s.title}")
                if s.children:
                    add(node.add(label, data=s, expand=s.level < 2), s.children)
                else:
                    node.add_leaf(label, data=s)

        add(self.root, report.sections)
        rest = len(report.all_sections()) - OUTLINE_LIMIT
        if rest > 0:  # a huge document: the tree stays quick, find (/) reaches the rest
            self.root.add_leaf(Text(f"… {rest:,} more sections: find (/) reaches them", style="italic"))

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        if isinstance(event.node.data, Section):
            event.stop()
            self.post_message(JumpTo(event.node.data.start))


class FiguresTable(DataTable):
    """Every figure with what it counts, value, unit, kind and section; sortable; Enter jumps to it."""

    BINDINGS = [
        Binding("1", "sort('label')", "Sort by what it counts", show=False),
        Binding("2", "sort('value')", "Sort by value", show=False),
        Binding("3", "sort('kind')", "Sort by kind", show=False),
        Binding("0", "sort('pos')", "Sort by position", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.report: Report | None = None
        self.figure_rows: list[tuple] = []
        self._stale = False

    def on_mount(self) -> None:
        for key, label in (  # the value carries its unit: the panel is 40 columns
            ("label", "what"),
            ("value", "value"),
            ("kind", "kind"),
            ("section", "section"),
        ):
            self.add_column(label, key=key)

    def show(self, report: Report | None) -> None:
        """Take a report; its rows are made when the table is first on screen (switching reports with
        the Outline tab up should not pay for them)."""
        self.report = report
        self.figure_rows = []
        self._stale = True
        if self.display and self.is_on_screen:
            self._refill(self.made_rows())

    def made_rows(self) -> list[tuple]:
        """(start, end, label, value, unit, kind, section, text) of each highlighted figure."""
        if self._stale and self.report is not None and not self.figure_rows:
            report = self.report
            figures = sorted((f for f in report.figures if f.highlighted), key=lambda f: f.start)
            labels = _innermost_headings(report, [f.start for f in figures])
            self.figure_rows = [
                (f.start, f.end, f.what or f.label, f.value, f.unit, f.kind, label, f.text)
                for f, label in zip(figures, labels, strict=True)
            ]
        return self.figure_rows

    def on_show(self) -> None:
        if self._stale:
            self._refill(self.made_rows())

    def _refill(self, rows: list[tuple]) -> None:
        self._stale = False
        self.clear()
        for start, end, label, value, unit, kind, section, _text in rows:
            shown = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")
            self.add_row(
                Text(label if len(label) <= 10 else label[:9] + "…"),  # the panel is narrow
                Text(f"{shown} {unit}" if unit else shown, justify="right"),
                Text(kind),
                Text(section[:16]),
                key=f"{start}:{end}",
            )

    def action_sort(self, key: str) -> None:
        self.made_rows()
        index = {"pos": 0, "label": 2, "value": 3, "kind": 5}[key]
        if key == "kind":
            rows = sorted(
                self.figure_rows, key=lambda r: (KIND_ORDER.index(r[5]) if r[5] in KIND_ORDER else 99, r[0])
            )
        else:
            rows = sorted(self.figure_rows, key=lambda r: (r[index], r[0]), reverse=key == "value")
        self._refill(rows)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        start, end = (int(x) for x in str(event.row_key.value).split(":"))
        event.stop()
        self.post_message(JumpTo(start, end))


class SidePanel(Vertical):
    """Outline, figures and keywords in three tabs."""

    DEFAULT_CSS = """
    SidePanel { width: 40; border-left: solid $panel-lighten-2; }
    SidePanel:focus-within { border-left: thick $accent; }
    SidePanel.-hidden { display: none; }
    """

    def on_mount(self) -> None:
        # Tab from the report goes into the outline (or the table) itself, not onto the tab strip,
        # where j/k do nothing; the keys o, f and K choose the tab, a click does too
        self.query_one(Tabs).can_focus = False

    def compose(self) -> ComposeResult:
        with TabbedContent(id="panel-tabs"):
            with TabPane("Outline", id="tab-outline"):
                yield OutlineTree("outline", id="outline")
            with TabPane("Figures", id="tab-figures"):
                yield FiguresTable(id="figures")
            with TabPane("Keywords", id="tab-keywords"):
                yield KeywordList(id="keywords")

    @property
    def active(self) -> str:
        """The id of the tab shown."""
        return self.query_one(TabbedContent).active

    @active.setter
    def active(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def show(
        self, report: Report | None, keywords: Callable[[], list[tuple[str, float, int]]] | None = None
    ) -> None:
        """Fill the tabs for a report; keywords are fetched only once their tab is shown."""
        self.query_one(OutlineTree).show(report)
        self.query_one(FiguresTable).show(report)
        self.show_keywords(keywords)

    def show_keywords(self, keywords: Callable[[], list[tuple[str, float, int]]] | None) -> None:
        """Give the keywords tab a way to fetch them (again when they arrive from the background)."""
        self.query_one(KeywordList).show(keywords)


def _innermost_headings(report: Report, offsets: list[int]) -> list[str]:
    """The heading of the innermost section holding each offset (offsets ascending): one walk over
    the outline, so a report of 30,000 sections and 100,000 figures takes a moment, not minutes."""
    spans = sorted((s.start, s.level, s.end, f"{s.marker}{s.title}") for s in report.all_sections())
    out: list[str] = []
    chain: list[tuple[int, str]] = []  # (end, heading) of the sections open here, outermost first
    i = 0
    for offset in offsets:
        while i < len(spans) and spans[i][0] <= offset:
            start, _level, end, heading = spans[i]
            while chain and chain[-1][0] <= start:
                chain.pop()
            chain.append((end, heading))
            i += 1
        while chain and chain[-1][0] <= offset:
            chain.pop()
        out.append(chain[-1][1] if chain else "")
    return out
