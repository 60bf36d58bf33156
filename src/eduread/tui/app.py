"""The reader app: library tree on the left, the report with outline and figures on the right."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from eduread.library.store import Library, LibraryError
from eduread.tui.place_tree import Leaf, PlaceTree
from eduread.tui.report_view import ReportView
from eduread.tui.themes import VARIABLE_DEFAULTS, discover

if TYPE_CHECKING:
    from eduread.tui.side_panel import FiguresTable, FindWord, JumpTo, SidePanel

NARROW = 100


def entry_matches(entry, words: list[str]) -> bool:
    """Whether every typed word is in a report's title, place names or years (怀化 finds 怀化市)."""
    haystack = " ".join([entry.title, entry.place_name, *entry.place_path, *map(str, entry.years)])
    return all(w in haystack for w in words)


class OpenReportProvider(Provider):
    """Command palette: open a report by place and year (怀化 2019)."""

    async def search(self, query: str) -> Hits:
        app = self.app
        assert isinstance(app, ReaderApp)
        if not app.over_reader(self.screen):
            return
        words = query.split()
        for entry in app.entries:
            if entry_matches(entry, words):
                years = "/".join(map(str, entry.years))
                text = f"Open {entry.place_name} {years}: {entry.title}"
                score = 1.0 if words else 0.5
                yield Hit(
                    score,
                    Text(text),
                    lambda num=entry.num: app.open_report(num),
                    help=" › ".join(entry.place_path),
                )

    async def discover(self) -> Hits:
        async for hit in self.search(""):
            yield hit


class CompareWithProvider(Provider):
    """Command palette: compare the open report with another (怀化 2020 → plan vs outcome)."""

    async def search(self, query: str) -> Hits:
        app = self.app
        assert isinstance(app, ReaderApp)
        if app.current_num is None or not app.over_reader(self.screen):
            return
        words = [w for w in query.split() if w.lower() not in ("compare", "with", "对比", "比较")]
        for entry in app.entries:
            if not entry_matches(entry, words):
                continue
            years = "/".join(map(str, entry.years))
            own = " (its own parts)" if entry.num == app.current_num else ""
            yield Hit(
                0.9 if words else 0.4,
                Text(f"Compare with {entry.place_name} {years}{own}: {entry.title}"),
                lambda num=entry.num: app.open_compare(app.current_num, num),
                help="side by side, aligned by topic",
            )

    async def discover(self) -> Hits:
        async for hit in self.search(""):
            yield hit


class ReaderApp(App[None]):
    """eduread's reader."""

    TITLE = "eduread"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {OpenReportProvider, CompareWithProvider}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("slash", "find", "Find in report"),
        Binding("n", "next_hit(1)", "Next match", show=False),
        Binding("N", "next_hit(-1)", "Previous match", show=False),
        Binding("s", "library_search", "Search all"),
        Binding("o", "toggle_panel", "Outline/figures"),
        Binding("f", "show_tab('figures')", "Figures", show=False),
        Binding("K", "show_tab('keywords')", "Keywords", show=False),
        Binding("l", "toggle_tree", "Library pane", show=False),
        Binding("t", "toggle_grouping", "Group by year/place", show=False),
        Binding("c", "compare", "Compare"),
        Binding("m", "bookmark", "Bookmark", show=False),
        Binding("B", "bookmarks", "Bookmarks", show=False),
        Binding("y", "copy_section", "Copy section with citation", show=False),
        Binding("escape", "clear_find", "Clear find", show=False),
        Binding("F", "across('figures')", "Figures across reports", show=False),
        Binding("T", "across('trends')", "Term trends", show=False),
        Binding("V", "across('topics')", "Topic coverage", show=False),
        Binding("A", "across('notes')", "Notes", show=False),
        Binding("a", "annotate", "Note on this section", show=False),
    ]

    def __init__(self, library_folder: str | None = None, open_num: int | None = None) -> None:
        super().__init__()
        self.library_folder = library_folder
        self.library: Library | None = None
        self.entries: list = []
        self.current_num: int | None = None
        self.pending_open = open_num
        self._searcher = None
        self._theme_errors: list[str] = []
        self._panel_forced: bool | None = None
        self._built = False
        self.marked_num: int | None = None
        self._library_error = ""
        # Themes and the saved choice are settled before the stylesheet is first parsed: choosing
        # a theme after mounting makes Textual parse every widget's CSS a second time.
        themes, self._theme_errors = discover()
        for theme in themes:
            self.register_theme(theme)
        try:
            self.library = Library(self.library_folder, seed=False)
        except LibraryError as err:
            self._library_error = str(err)
            return
        saved = self.library.get_setting("theme", "eduread-dark")
        if saved in self.available_themes:
            # The starting value, not a change: Textual applies it once as it starts.
            self.set_reactive(ReaderApp.theme, saved)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield PlaceTree(id="places")
            with Vertical(id="right"):
                yield Static("", id="report-header")
                with Horizontal(id="reading"):
                    yield ReportView(id="body")
                with Horizontal(id="statusbar"):
                    yield Static("", id="status")

    def on_mount(self) -> None:
        self.call_after_refresh(self._after_first_frame)
        if self.library is None:
            self.query_one(ReportView).show(None, message=self._library_error)
            return
        self.query_one(PlaceTree).year_first = self.library.get_setting("grouping") == "year"
        self.query_one(ReportView).show(None, message="loading the library…")

    async def _after_first_frame(self) -> None:
        """The outline/figures panel, the find box, the activity label and the footer are built
        after the first frame is drawn; the reader's keys wait for them."""
        from eduread.tui.side_panel import SidePanel

        await self.query_one("#reading").mount(SidePanel(id="panel"))
        find = Input(placeholder="find in this report", id="find")
        find.display = False
        await self.query_one("#right").mount(find, before="#statusbar")
        await self.query_one("#statusbar").mount(Static("", id="activity"))
        await self.mount(Footer())
        self._built = True
        self._apply_layout(self.size.width)
        if self.library is None:
            return
        if self.library.count() == 0 and self.library.get_setting("seeded") is None:
            self._seed_library()
            return
        self._load_entries()

    @work(thread=True, exclusive=True, group="seed")
    def _seed_library(self) -> None:
        from eduread.library.importer import import_paths
        from eduread.paths import bundled_dir

        self.call_from_thread(self._set_status, "adding the bundled reports…")
        lib = Library(self.library_folder, seed=False)
        try:
            import_paths(lib, [str(p) for p in sorted(bundled_dir("seeds").glob("*.txt"))], keywords=False)
            lib.set_setting("seeded", "1")
        finally:
            lib.close()
        self.call_from_thread(self._load_entries)

    def _load_entries(self) -> None:
        assert self.library is not None
        self.entries = self.library.entries()
        tree = self.query_one(PlaceTree)
        tree.load(self.entries)
        if self._theme_errors:
            self.notify("\n".join(self._theme_errors), severity="warning", markup=False)
        target = self.pending_open
        if target is None:
            last = self.library.get_setting("last_report")
            target = int(last) if last and last.isdigit() else None
        if target is not None and self.library.entry(target) is not None:
            self.open_report(target)
            tree.reveal(target)
        else:
            self.query_one(ReportView).show(
                None, message=f"{len(self.entries)} reports. Choose one on the left."
            )
            self._set_status(f"{len(self.entries)} reports in {self.library.folder}")
        self.pending_open = None
        self._apply_layout(self.size.width)
        self._refresh_stale_parses()

    @work(thread=True, exclusive=True, group="reparse")
    def _refresh_stale_parses(self) -> None:
        """Background upkeep with progress in the status line: re-parse after a parser upgrade, and
        find the keywords of reports stored without them."""
        from eduread.library.keywords import fill_missing, missing
        from eduread.library.reparse import reparse_stale, stale_nums

        lib = Library(self.library_folder, seed=False)
        try:
            if stale_nums(lib):
                count = reparse_stale(
                    lib,
                    lambda done, total: self.call_from_thread(
                        self._set_activity, f"updating reports for the new parser: {done:,}/{total:,}"
                    ),
                )
                self.call_from_thread(self._after_refresh, count)
            if missing(lib):  # jieba loads here, in this thread, never before the first frame
                fill_missing(
                    lib,
                    lambda done, total: self.call_from_thread(
                        self._set_activity, f"finding keywords: {done:,}/{total:,}"
                    ),
                )
                self.call_from_thread(self._after_keywords)
        finally:
            lib.close()

    def _after_keywords(self) -> None:
        if self.current_num is not None and self._built:
            num = self.current_num
            self._panel().show_keywords(lambda: self._keywords(num))
        self._set_activity("")

    def _after_refresh(self, count: int) -> None:
        assert self.library is not None
        self._searcher = None  # its cached lengths and removed set are out of date
        self.entries = self.library.entries()
        tree = self.query_one(PlaceTree)
        tree.load(self.entries)
        if self.current_num is not None:
            if self.library.entry(self.current_num) is None:  # replaced: its cleaned text changed
                self.current_num = None
                self.query_one(ReportView).show(None, message="This report was updated; choose it again.")
            else:
                tree.reveal(self.current_num)
        self._set_activity("")
        self.notify(f"{count:,} reports updated for the new parser")

    # ---- opening -------------------------------------------------------------------------------

    def open_report(
        self, num: int, offset: int | None = None, highlight: tuple[int, int] | None = None
    ) -> None:
        """Show a report: header, body, outline and figures; restore its reading position."""
        assert self.library is not None
        self._save_position()
        view = self.query_one(ReportView)
        panel = self._panel()
        try:
            report = self.library.report(num)
        except Exception as err:  # a broken stored parse must never crash the reader
            view.show(None, message=f"This report cannot be shown: {err}")
            panel.show(None)
            self.query_one("#report-header", Static).update(Text(""), layout=False)
            return
        self.current_num = num
        self.library.set_setting("last_report", str(num))
        header = Text(report.title or "(untitled)", style="bold")
        header.append("\n")
        header.append(" › ".join(report.place.path) or report.place.name, style="italic")
        header.append(f"   {report.issuer}   ", style="dim")
        header.append(" · ".join(f"{p.year}{p.label}" for p in report.parts))
        dates = f"   published {report.published or '—'}" + (
            f" · signed {report.signed}" if report.signed else ""
        )
        header.append(dates, style="dim")
        self.query_one("#report-header", Static).update(header, layout=False)  # fixed size
        start = self.library.position(num) if offset is None else offset
        view.show(report, start)
        panel.show(report, lambda: self._keywords(num))
        if highlight:
            view.mark([highlight])
        self._show_note_marks(num)
        self._set_status(
            f"{report.place.name} · {len(report.all_sections())} sections · "
            f"{sum(1 for f in report.figures if f.highlighted)} figures"
        )
        view.focus()

    def _save_position(self) -> None:
        if self.library is not None and self.current_num is not None:
            self.library.set_position(self.current_num, self.query_one(ReportView).top_offset())

    def on_tree_node_selected(self, event: PlaceTree.NodeSelected) -> None:
        if isinstance(event.node.data, Leaf):
            self.open_report(event.node.data.num)

    def on_jump_to(self, message: JumpTo) -> None:
        view = self.query_one(ReportView)
        if message.end is not None:
            view.mark([(message.offset, message.end)])
        else:
            view.scroll_to_offset(message.offset)
        view.focus()

    # ---- layout --------------------------------------------------------------------------------

    def on_resize(self, event) -> None:
        self._apply_layout(event.size.width)

    def on_descendant_focus(self) -> None:
        # Below 64 columns the tree shows only while it has focus (`l` brings it back).
        self._apply_layout(self.size.width)

    def _keywords(self, num: int) -> list[tuple[str, float, int]]:
        from eduread.library.keywords import top_keywords

        assert self.library is not None
        entry = self.library.entry(num)
        places = (entry.place_name, *entry.place_path, entry.issuer) if entry else ()
        return top_keywords(self.library, num, exclude=tuple(p for p in places if p))

    def _panel(self) -> SidePanel:
        """The outline/figures panel (mounted after the first frame; its module loads then)."""
        return self.query_one("#panel")  # type: ignore[return-value]

    def _figures(self) -> FiguresTable:
        """The figures table inside the panel."""
        return self.query_one("#figures")  # type: ignore[return-value]

    def _apply_layout(self, width: int) -> None:
        tree = self.query_one(PlaceTree)
        tree.set_class(width < 64 and self.current_num is not None and not tree.has_focus, "-hidden")
        if not self._built:  # the first frame has no panel yet
            return
        panel = self._panel()
        show_panel = self._panel_forced if self._panel_forced is not None else width >= NARROW
        panel.set_class(not show_panel, "-hidden")

    def action_toggle_panel(self) -> None:
        panel = self._panel()
        self._panel_forced = panel.has_class("-hidden")
        self._apply_layout(self.size.width)
        if self._panel_forced:
            panel.query_one("#outline").focus()
        else:
            self.query_one(ReportView).focus()

    def action_show_tab(self, tab: str) -> None:
        """Show the side panel on one tab (figures, keywords) and put the focus in it."""
        self._panel_forced = True
        self._apply_layout(self.size.width)
        panel = self._panel()
        panel.active = f"tab-{tab}"
        panel.query_one(f"#{tab}").focus()

    def action_toggle_tree(self) -> None:
        tree = self.query_one(PlaceTree)
        hidden = not tree.has_class("-hidden")
        tree.set_class(hidden, "-hidden")
        (self.query_one(ReportView) if hidden else tree).focus()

    def action_toggle_grouping(self) -> None:
        tree = self.query_one(PlaceTree)
        tree.load(self.entries, year_first=not tree.year_first)
        assert self.library is not None
        self.library.set_setting("grouping", "year" if tree.year_first else "place")
        self._set_status("grouped by year" if tree.year_first else "grouped by place")
        if self.current_num is not None:
            tree.reveal(self.current_num)

    # ---- find in report ------------------------------------------------------------------------

    def action_find(self) -> None:
        if self.current_num is None:
            return
        find = self.query_one("#find", Input)
        find.display = True
        find.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "find":
            return
        event.input.display = False
        self.find_text(event.value)

    def on_find_word(self, message: FindWord) -> None:
        self.find_text(message.word)

    def find_text(self, text: str) -> None:
        """Mark every occurrence of text in the open report; "3/17" in the status line."""
        from eduread.library.search import occurrences
        from eduread.text.width import fold_width

        view = self.query_one(ReportView)
        term = fold_width(text.strip())
        if not term or view.report is None:
            return
        spans = [(p, p + len(term)) for p in occurrences(view.report.body, term)]
        view.focus()
        if not spans:
            view.mark([])
            self._set_status(f"“{term}” not found")
            return
        top = view.top_offset()
        first = next((i for i, (s, _) in enumerate(spans) if s >= top), 0)
        view.mark(spans, first)
        self._set_status(f"{first + 1}/{len(spans)}")

    def action_next_hit(self, step: int) -> None:
        view = self.query_one(ReportView)
        if view.hits:
            index = (view.current_hit + step) % len(view.hits)
            view.mark(view.hits, index)
            self._set_status(f"{index + 1}/{len(view.hits)}")

    def action_clear_find(self) -> None:
        find = self.query_one("#find", Input)
        if find.display:
            find.display = False
        view = self.query_one(ReportView)
        view.mark([])
        view.focus()

    # ---- library search ------------------------------------------------------------------------

    def action_library_search(self) -> None:
        if self.library is None:
            return
        from eduread.library.search import Searcher
        from eduread.tui.search_screen import SearchScreen

        if self._searcher is None:
            self._searcher = Searcher(self.library)

        def chosen(hit) -> None:
            if hit is not None:
                self.open_report(hit.num, offset=hit.start, highlight=(hit.start, hit.end))
                self.query_one(PlaceTree).reveal(hit.num)

        self.push_screen(SearchScreen(self._searcher), chosen)

    # ---- comparison ----------------------------------------------------------------------------

    def action_compare(self) -> None:
        """First press marks the open report; the next, on another report, compares the two."""
        if self.library is None or self.current_num is None:
            self.notify("open a report first", severity="warning")
            return
        if self.marked_num is None:
            self.marked_num = self.current_num
            entry = self.library.entry(self.current_num)
            name = f"{entry.place_name} {'/'.join(map(str, entry.years))}" if entry else "this report"
            self._set_status(f"marked {name} for comparison: open another report and press c")
            return
        marked, self.marked_num = self.marked_num, None
        self.open_compare(marked, self.current_num)

    def pick_compare(self) -> None:
        """A palette of only the reports to compare the open one with."""
        from textual.command import CommandPalette

        self.push_screen(
            CommandPalette(providers=[CompareWithProvider], placeholder="Compare with… (a place or a year)")
        )

    def open_compare(self, left_num: int | None, right_num: int) -> None:
        """Push the compare screen for two library reports (one report: its own parts)."""
        if self.library is None or left_num is None:
            return
        from eduread.analysis.compare import compare
        from eduread.tui.compare_screen import CompareScreen

        try:
            left = self.library.report(left_num)
            right = self.library.report(right_num)
        except Exception as err:  # a broken stored parse must never crash the reader
            self.notify(f"cannot compare: {err}", severity="error", markup=False)
            return
        if left_num == right_num and len(left.parts) < 2:
            self.notify("this report has one part: open another report to compare with", severity="warning")
            return
        result = compare(left, right)

        def chosen(target: tuple[int, int] | None) -> None:
            if target is not None:
                num, offset = target
                self.open_report(num, offset=offset)
                self.query_one(PlaceTree).reveal(num)

        self.push_screen(CompareScreen(result, (left_num, right_num)), chosen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The reader's keys act on the reader only, not under the compare or search screens."""
        if action in ("quit", "help", "command_palette"):
            return True
        return self._built and self.over_reader(self.screen)

    # ---- bookmarks, clipboard, export ------------------------------------------------------------

    def action_bookmark(self) -> None:
        if self.library is None or self.current_num is None:
            return
        view = self.query_one(ReportView)
        offset = view.top_offset()
        report = view.report
        path = report.section_path(offset) if report else []
        label = (
            f"{path[-1].marker}{path[-1].title}"
            if path
            else (report.body[offset : offset + 20] if report else "")
        )
        self.library.add_bookmark(self.current_num, offset, label)
        self.notify(f"bookmarked: {label}", markup=False)

    def action_bookmarks(self) -> None:
        if self.library is None:
            return
        from eduread.tui.bookmarks_screen import BookmarksScreen

        def chosen(item) -> None:
            if item is not None:
                num, offset = item
                self.open_report(num, offset=offset)

        self.push_screen(BookmarksScreen(self.library.bookmarks()), chosen)

    def action_copy_section(self) -> None:
        """Copy the section being read (or a note's passage) with its citation."""
        from eduread.analysis.citation import quoted

        view = self.query_one(ReportView)
        if view.report is None:
            return
        path = view.report.section_path(view.top_offset())
        start, end = (path[-1].start, path[-1].end) if path else (0, len(view.report.body))
        text = quoted(view.report, start, end)
        self.copy_to_clipboard(text)
        self.notify(f"copied {len(text)} characters with the citation (OSC 52)")

    def export_figures(self) -> None:
        """Export the figures of the open report, to a file named in a dialog."""
        if self.current_num is None or self.library is None:
            self.notify("open a report first", severity="warning")
            return
        from eduread.analysis.figures_across import COLUMNS, table_rows
        from eduread.library.figure_table import fill_missing, records
        from eduread.tui.screens.export_dialog import ExportDialog

        entry = self.library.entry(self.current_num)
        name = f"{entry.place_name if entry else 'report'}-{'-'.join(map(str, entry.years if entry else []))}-figures.csv"
        fill_missing(self.library, only=[self.current_num])  # a report stored before the figures table
        rows = table_rows(records(self.library.conn, nums=[self.current_num]))

        def done(path) -> None:
            if path is not None:
                self.notify(f"wrote {path}", markup=False)

        self.push_screen(ExportDialog(COLUMNS, rows, name, sheet="figures"), done)

    def action_across(self, name: str) -> None:
        """Open one of the across-the-library screens (their modules load only now)."""
        if self.library is None:
            return
        from importlib import import_module

        module, cls = {
            "figures": ("figures_screen", "FiguresScreen"),
            "trends": ("trends_screen", "TrendsScreen"),
            "topics": ("topics_screen", "TopicsScreen"),
            "notes": ("notes_screen", "NotesScreen"),
        }[name]
        self.push_screen(getattr(import_module(f"eduread.tui.screens.{module}"), cls)(self.library))

    def action_annotate(self) -> None:
        view = self.query_one(ReportView)
        if self.library is None or self.current_num is None or view.report is None:
            return
        from eduread.tui.screens.notes_screen import NoteDialog

        num = self.current_num

        def saved(note_id) -> None:
            if note_id is not None and self.current_num == num:
                self._show_note_marks(num)
                self.notify("note saved")

        self.push_screen(NoteDialog(self.library, view.report, num, view.top_offset()), saved)

    def _show_note_marks(self, num: int) -> None:
        from eduread.library import notes

        assert self.library is not None
        found = notes.notes(self.library.conn, num=num)
        self.query_one(ReportView).set_notes([(n.start, n.end) for n in found if n.end > n.start])

    def on_open_report(self, message) -> None:
        """A screen asks to open a report at a place: back to the reader, there."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.open_report(message.num, offset=message.offset)
        self.query_one(PlaceTree).reveal(message.num)
        if message.find:
            self.find_text(message.find)

    def over_reader(self, screen: Screen) -> bool:
        """Whether a screen is the reader itself, where reader commands make sense."""
        return screen is self.screen_stack[0]

    def get_system_commands(self, screen: Screen):
        yield from super().get_system_commands(screen)
        if not self.over_reader(screen):
            return
        yield SystemCommand(
            "Export figures", "Save the open report's figures as CSV, XLSX or JSON", self.export_figures
        )
        yield SystemCommand("Search all reports", "Search the whole library", self.action_library_search)
        if self.current_num is not None:
            yield SystemCommand(
                "Compare with…",
                "Pick the second report by place or year",
                self.pick_compare,
            )
        yield SystemCommand(
            "Toggle year/place grouping", "Group the tree by year or by place", self.action_toggle_grouping
        )

    def watch_theme(self, theme: str) -> None:
        if self.library is not None:
            self.library.set_setting("theme", theme)
        try:
            view = self.query_one(ReportView)
        except Exception:
            return
        view._cache.clear()
        view.refresh()

    # ---- help, status, quit --------------------------------------------------------------------

    def action_help(self) -> None:
        from eduread.tui.compare_screen import CompareScreen
        from eduread.tui.help_screen import HelpScreen

        if isinstance(self.screen, CompareScreen):
            groups = [("Compare", list(CompareScreen.BINDINGS)), ("Report panes", list(ReportView.BINDINGS))]
            groups.append(("Everywhere", [Binding("tab", "", "Next pane: topics, left, right, figures")]))
            self.push_screen(HelpScreen(groups))
            return
        groups = [("Reader", list(self.BINDINGS))]
        groups.append(("Report body", list(ReportView.BINDINGS)))
        from eduread.tui.side_panel import FiguresTable

        groups.append(("Figures table", list(FiguresTable.BINDINGS)))
        groups.append(
            (
                "Everywhere",
                [
                    Binding("tab", "", "Next pane"),
                    Binding("ctrl+p", "", "Command palette: open a report, theme, export CSV"),
                ],
            )
        )
        self.push_screen(HelpScreen(groups))

    def _set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(Text(text), layout=False)  # fixed size: no reflow

    def _set_activity(self, text: str) -> None:
        """Background work's progress, at the right of the status bar, never over the user's messages."""
        self.query_one("#activity", Static).update(Text(text))

    async def action_quit(self) -> None:
        self._save_position()
        self.exit()
