"""The reader: the library tree on the left, the open report with its outline and figures beside it.

This screen owns the reader's keys and panes; the app owns the library, themes and the keys that
work everywhere. The first frame draws the tree's first level and the restored report; the side
panel, find box and footer are mounted just after it, and every entry (for the palette) is read
off the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from eduread.library.store import Entry, Library
from eduread.tui.messages import FindWord, JumpTo, LibraryChanged
from eduread.tui.place_tree import Leaf, PlaceTree
from eduread.tui.report_view import ReportView
from eduread.tui.screens import screen_bindings

if TYPE_CHECKING:
    from textual.widgets import Input

    from eduread.parse.model import Report
    from eduread.tui.app import ReaderApp
    from eduread.tui.side_panel import FiguresTable, SidePanel

TREE = 30  # the tree's width
PANEL = 40  # the outline/figures panel's width (SidePanel's CSS)
MIN_BODY = 40  # the reader never gets narrower than this while the panel is up
# Below this the panel shows only when asked: from here the tree, the report and the panel all fit,
# so the panel's arrival after the first frame never sends the tree away (no pane flips)
NARROW = TREE + PANEL + MIN_BODY
SMALL_LIBRARY = 50  # a library this small opens with every folder expanded


class ReaderScreen(Screen[None]):
    """Read one report; browse the library; find in the report; bookmark; compare."""

    AUTO_FOCUS = "ReportView"  # the restored report has the keys; an empty library gives them to the tree

    BINDINGS = [
        Binding("slash", "find", "Find", tooltip="Find in report"),  # short: the footer holds 80 columns
        Binding("n", "next_hit(1)", "Next match", show=False),
        Binding("N", "next_hit(-1)", "Previous match", show=False),
        Binding("o", "toggle_panel", "Panel", tooltip="Outline/figures panel"),
        Binding("f", "show_tab('figures')", "Figures", show=False),
        Binding("K", "show_tab('keywords')", "Keywords", show=False),
        Binding("l", "focus_tree", "Library pane", show=False),
        Binding("t", "toggle_grouping", "Group by year/place", show=False),
        Binding("c", "compare", "Compare"),
        Binding("m", "bookmark", "Bookmark", show=False),
        Binding("y", "copy_section", "Copy section with citation", show=False),
        Binding("a", "annotate", "Note on this section", show=False),
        Binding("e", "edit_report", "Correct place/year/kind", show=False),
        Binding("escape", "clear_find", "Clear find", show=False),
        *screen_bindings(),
    ]

    def __init__(self, open_num: int | None = None) -> None:
        super().__init__()
        self.pending_open = open_num
        self.current_num: int | None = None
        self.marked_num: int | None = None
        self.last_find = ""
        self._panel_forced: bool | None = None
        self._built = False

    @property
    def reader_app(self) -> ReaderApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    @property
    def library(self) -> Library | None:
        """The app's library (None when it could not be opened)."""
        return self.reader_app.library

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield PlaceTree(id="places")
            with Vertical(id="right"):
                yield Static("", id="report-header")
                with Horizontal(id="reading"):
                    yield ReportView(id="body")
                with Horizontal(id="statusbar"):
                    yield Static("", id="status")

    @property
    def view(self) -> ReportView:
        """The report body."""
        return self.query_one(ReportView)

    @property
    def tree(self) -> PlaceTree:
        """The library tree."""
        return self.query_one(PlaceTree)

    def on_mount(self) -> None:
        self.view.set_measure(self.reader_app.measure_cells())
        self.call_after_refresh(self._after_first_frame)
        library = self.library
        if library is None:
            self.view.show(None, message=self.reader_app.library_error or "opening the library…")
            return
        self.fill_tree()

    def fill_tree(self) -> None:
        """The tree's first level from one grouped query; a small library opens fully, a report shown."""
        library = self.library
        if library is None:
            return
        tree = self.tree
        tree.fetch = self._fetch
        try:
            year_first = library.get_setting("grouping") == "year"
            groups = library.tree_groups(year_first=year_first)
            tree.load(groups, year_first=year_first, open_up_to=SMALL_LIBRARY)
        except Exception as err:  # a damaged library: say so in the app, never a traceback
            self.view.show(
                None, message=f"The library cannot be read: {_one_line(err)}. Run `eduread check`."
            )
            return
        target = self.pending_open
        self.pending_open = None
        if target is None:
            last = library.get_setting("last_report")
            target = int(last) if last and last.isdigit() else None
        entry = library.entry(target) if target is not None else None
        if entry is None and tree.total and tree.total <= SMALL_LIBRARY:
            entry = self._first_entry()
        if entry is not None:
            self.open_report(entry.num)
            self.reveal(entry.num, self.view.top_offset() if self.view.report else None)
        else:
            from eduread.text.names import counted

            count = (
                counted(tree.total, "report")
                if tree.total
                else "No reports yet: `eduread import FOLDER` adds some"
            )
            self.view.show(None, message=f"{count}. Choose one on the left." if tree.total else count)
            self._set_status(f"{counted(tree.total, 'report')} in {library.folder}")
            tree.focus()

    def _first_entry(self) -> Entry | None:
        leaf = next((n.data for n in _walk(self.tree.root) if isinstance(n.data, Leaf)), None)
        return self.library.entry(leaf.num) if leaf is not None and self.library else None

    def _fetch(self, group: str, key) -> list[Entry]:
        return self.library.group_entries(group, key) if self.library else []

    async def _after_first_frame(self) -> None:
        """The outline/figures panel, the find box, the activity label and the footer come after
        the first frame is drawn; the reader's keys wait for them."""
        from textual.widgets import Footer, Input

        from eduread.tui.side_panel import SidePanel

        await self.query_one("#reading").mount(SidePanel(id="panel"))
        find = Input(placeholder="find in this report", id="find")
        find.display = False
        await self.query_one("#right").mount(find, before="#statusbar")
        await self.query_one("#statusbar").mount(Static("", id="activity"))
        await self.mount(Footer())
        self.refresh_bindings()  # the footer lists the keys of the focus, which had it before the footer came
        self._built = True
        self._apply_layout(self.size.width)
        if self.view.report is not None and self.current_num is not None:
            self._show_note_marks(self.current_num)
            self._panel().show(self.view.report, self._keywords_of(self.current_num))
        self.reader_app.after_first_frame()

    def on_library_changed(self, _message: LibraryChanged) -> None:
        """Reload the tree (another process imported, or reports were re-parsed), keeping the cursor."""
        library = self.library
        if library is None:
            return
        tree = self.tree
        leaf = tree.cursor_leaf()
        folder = tree.cursor_folder()
        line = tree.cursor_line
        tree.load(library.tree_groups(year_first=tree.year_first), open_up_to=SMALL_LIBRARY)
        if self.current_num is not None and library.entry(self.current_num) is None:
            self.current_num = None
            self.view.show(None, message="This report was updated; choose it again.")
        elif self.current_num is not None and self.view.report is not None:
            fresh = library.report(self.current_num)  # corrected elsewhere (eduread edit): its header
            if fresh.body == self.view.report.body:  # corrections change what it is, never its text
                self.view.report = fresh
                self._show_header(fresh)
        target = leaf.num if leaf is not None else self.current_num
        entry = library.entry(target) if target is not None else None
        if entry is not None:  # its branch open again (the cursor goes to it unless on a folder)
            tree.reveal(entry, leaf.part if leaf is not None else None)
        if leaf is None and folder is not None:  # a folder stays under the cursor
            tree.call_after_refresh(tree.move_to_folder, folder, line)
        elif entry is None and line >= 0:
            tree.call_after_refresh(setattr, tree, "cursor_line", min(line, tree.last_line))

    # ---- opening -------------------------------------------------------------------------------

    def open_report(
        self, num: int, offset: int | None = None, find: str | None = None, part: int | None = None
    ) -> None:
        """Show a report: header, body, outline and figures; at an offset, at a part, or where the
        reader left it; with `find`, its occurrences marked, the one at `offset` current."""
        library = self.library
        if library is None:
            return
        self._save_position()
        if library.body_length(num) > ReportView.BIG:  # read and decoded off the UI thread
            self.current_num = num
            self.view.show(None, message=f"opening a report of {library.body_length(num):,} characters…")
            self._load_in_thread(num, offset, find, part)
            return
        try:
            report = library.report(num)
        except Exception as err:  # a broken stored parse must never crash the reader
            self._cannot_show(err)
            return
        self._opened(num, report, offset, find, part)

    def _load_in_thread(self, num: int, offset: int | None, find: str | None, part: int | None) -> None:
        folder = self.reader_app.library_folder

        def work() -> None:
            try:
                library = Library(folder, seed=False)
                try:
                    report = library.report(num)
                finally:
                    library.close()
            except Exception as err:  # shown in the app, like any report that cannot be read
                self.app.call_from_thread(self._cannot_show, err)
                return
            self.app.call_from_thread(self._opened_late, num, report, offset, find, part)

        self.run_worker(work, thread=True, exclusive=True, group="open")

    def _opened_late(
        self, num: int, report: Report, offset: int | None, find: str | None, part: int | None
    ) -> None:
        if self.current_num == num and self.view.report is None:  # still the report asked for
            self._opened(num, report, offset, find, part)

    def _cannot_show(self, err: BaseException) -> None:
        self.view.show(None, message=f"This report cannot be shown: {_one_line(err)}")
        if self._built:
            self._panel().show(None)
        self.query_one("#report-header", Static).update(Text(""), layout=False)

    def _opened(
        self, num: int, report: Report, offset: int | None, find: str | None, part: int | None
    ) -> None:
        library = self.library
        if library is None:
            return
        view = self.view
        self.current_num = num
        self.reader_app.write(lambda: library.set_setting("last_report", str(num)))
        self._show_header(report)
        start = offset
        if start is None:
            start = library.position(num)
            span = _part_span(report, part)
            if span is not None and not span[0] <= start < span[1]:
                start = span[0]
        view.show(report, start)
        if self._built:  # the first report's notes and panel come after the first frame
            self._show_note_marks(num)
            self._panel().show(report, self._keywords_of(num))
        if find:
            self.find_text(find, at=offset)
        else:
            self._set_status(
                f"{report.place.name} · {len(report.all_sections())} sections · "
                f"{sum(1 for f in report.figures if f.highlighted)} figures"
            )
        view.focus()

    def _show_header(self, report: Report | None = None) -> None:
        """Title; parts and place; dates and issuer: three lines, each cut with "…" to the width, so
        the published date is never pushed off by a long title."""
        report = report or self.view.report
        widget = self.query_one("#report-header", Static)
        if report is None:
            widget.update(Text(""), layout=False)
            return
        parts = " · ".join(f"{'' if p.year is None else p.year}{p.word}" for p in report.parts)
        place = " › ".join(report.place.path) or report.place.name
        dates = f"published {report.published or '—'}" + (
            f" · signed {report.signed}" if report.signed else ""
        )
        # before the first layout the header has no width yet: the terminal's, less the tree's
        width = max(10, widget.content_region.width or self.app.size.width - TREE - 3)
        # what a person set by hand is said, so a corrected year or place is never taken for the parse's
        corrected = f" (corrected: {', '.join(report.corrected)})" if report.corrected else ""
        lines = [
            Text(report.title or self._untitled(), style="bold"),
            Text.assemble(parts, (corrected, "bold"), (f"   {place}", "italic")),
            Text.assemble((dates, "dim"), (f"   {report.issuer}", "dim")),
        ]
        for line in lines:
            line.truncate(width, overflow="ellipsis")
        widget.update(Text("\n").join(lines), layout=False)  # fixed size: no reflow

    def _untitled(self) -> str:
        """What a report whose text states no title is called: the name of its file."""
        library = self.library
        entry = library.entry(self.current_num) if library and self.current_num is not None else None
        return entry.shown_title if entry else "(untitled)"

    def open_part(self, leaf: Leaf) -> None:
        """A tree leaf: the report at that part."""
        self.open_report(leaf.num, part=leaf.part)

    def reveal(self, num: int, offset: int | None = None) -> None:
        """Move the tree's cursor to a report, on the part holding `offset` when it has several."""
        library = self.library
        entry = library.entry(num) if library else None
        if entry is None:
            return
        part = None
        report = self.view.report
        if offset is not None and report is not None and len(report.parts) > 1:
            # the part holding the offset; before the first part (the opening lines): the first
            spans = sorted((span[0], i) for i in range(len(report.parts)) if (span := _part_span(report, i)))
            before = [i for start, i in spans if start <= offset]
            part = before[-1] if before else (spans[0][1] if spans else None)
        self.tree.reveal(entry, part)

    def _save_position(self) -> None:
        library = self.library
        if library is not None and self.current_num is not None and self.view.report is not None:
            num, offset = self.current_num, self.view.top_offset()
            self.reader_app.write(lambda: library.set_position(num, offset))

    def on_tree_node_selected(self, event: PlaceTree.NodeSelected) -> None:
        if isinstance(event.node.data, Leaf):
            self.open_part(event.node.data)

    def on_jump_to(self, message: JumpTo) -> None:
        view = self.view
        if message.end is not None:
            view.mark([(message.offset, message.end)])
        else:
            view.scroll_to_offset(message.offset)
        view.focus()

    # ---- layout --------------------------------------------------------------------------------

    def on_resize(self, event) -> None:
        self._apply_layout(event.size.width)

    def on_descendant_focus(self) -> None:
        self._apply_layout(self.size.width)

    def _keywords_of(self, num: int):
        return lambda: self._keywords(num)

    def _keywords(self, num: int) -> list[tuple[str, float, int]]:
        from eduread.library.keywords import top_keywords

        library = self.library
        if library is None:
            return []
        entry = library.entry(num)
        places = (entry.place_name, *entry.place_path, entry.issuer) if entry else ()
        return top_keywords(library, num, exclude=tuple(p for p in places if p))

    def _panel(self) -> SidePanel:
        """The outline/figures panel (mounted after the first frame; its module loads then)."""
        return self.query_one("#panel")  # type: ignore[return-value]

    def _figures(self) -> FiguresTable:
        """The figures table inside the panel."""
        return self.query_one("#figures")  # type: ignore[return-value]

    def _apply_layout(self, width: int) -> None:
        """The tree, the report and the panel share the width; the report keeps at least MIN_BODY.

        Below 64 columns the tree shows only while it has focus. When the panel is up and there is
        no room for all three, the pane that does not have the focus of the two sides steps back.
        """
        tree = self.tree
        show_tree = not (width < 64 and self.current_num is not None and not tree.has_focus)
        if not self._built:  # the first frame has no panel yet
            tree.set_class(not show_tree, "-hidden")
            return
        panel = self._panel()
        show_panel = self._panel_forced if self._panel_forced is not None else width >= NARROW
        if show_panel and show_tree and width - TREE - PANEL < MIN_BODY:
            if tree.has_focus:
                show_panel = False
            else:
                show_tree = False
        tree.set_class(not show_tree, "-hidden")
        panel.set_class(not show_panel, "-hidden")
        self.call_after_refresh(self._show_header)  # its lines are cut to the new width

    def action_toggle_panel(self) -> None:
        panel = self._panel()
        self._panel_forced = panel.has_class("-hidden")
        self._apply_layout(self.size.width)
        if self._panel_forced:  # o opens on the outline; f and K on their tabs
            panel.active = "tab-outline"
            panel.query_one("#outline").focus()
        else:
            self.view.focus()

    def action_show_tab(self, tab: str) -> None:
        """Show the side panel on one tab (figures, keywords) and put the focus in it."""
        self._panel_forced = True
        panel = self._panel()
        panel.active = f"tab-{tab}"
        panel.query_one(f"#{tab}").focus()
        self._apply_layout(self.size.width)

    def action_focus_tree(self) -> None:
        """Focus the library tree (bringing it back if it stepped aside); again: back to the report."""
        tree = self.tree
        if tree.has_focus and self.view.report is not None:
            self.view.focus()
        else:
            tree.set_class(False, "-hidden")
            tree.focus()
        self._apply_layout(self.size.width)

    def action_toggle_grouping(self) -> None:
        library = self.library
        if library is None:
            return
        tree = self.tree
        year_first = not tree.year_first
        tree.load(library.tree_groups(year_first=year_first), year_first=year_first, open_up_to=SMALL_LIBRARY)
        self.reader_app.write(lambda: library.set_setting("grouping", "year" if year_first else "place"))
        self._set_status("grouped by year" if year_first else "grouped by place")
        if self.current_num is not None:
            self.reveal(self.current_num, self.view.top_offset())

    # ---- find in report ------------------------------------------------------------------------

    def action_find(self) -> None:
        from textual.widgets import Input

        if self.current_num is None or not self._built:
            return
        find = self.query_one("#find", Input)
        find.display = True
        find.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "find":
            return
        event.stop()
        event.input.display = False
        self.find_text(event.value)

    def on_find_word(self, message: FindWord) -> None:
        self.find_text(message.word)

    def find_text(self, text: str, at: int | None = None) -> None:
        """Mark every occurrence of text in the open report; "3/17" in the status line."""
        from eduread.library.search import occurrences
        from eduread.text.width import fold_width

        view = self.view
        term = fold_width(text.strip())
        if not term or view.report is None:
            return
        self.last_find = term
        spans = [(p, p + len(term)) for p in occurrences(view.report.body, term)]
        view.focus()
        if not spans:
            view.mark([])
            self._set_status(f"“{term}” not found")
            return
        top = view.top_offset() if at is None else at
        first = next((i for i, (s, _) in enumerate(spans) if s >= top), 0)
        view.mark(spans, first)
        self._set_status(f"{first + 1}/{len(spans)}")

    def action_next_hit(self, step: int) -> None:
        view = self.view
        if not view.hits:
            if self.last_find:  # after escape: find the same text again, from here on
                self.find_text(self.last_find)
                if step < 0 and view.hits:
                    self.action_next_hit(-1)
            return
        index = (view.current_hit + step) % len(view.hits)
        view.mark(view.hits, index)
        self._set_status(f"{index + 1}/{len(view.hits)}")

    def action_clear_find(self) -> None:
        from textual.widgets import Input

        if self._built:
            find = self.query_one("#find", Input)
            find.display = False
        view = self.view
        if view.hits:
            view.mark([])
            self._set_status("")
        view.focus()

    # ---- comparison ----------------------------------------------------------------------------

    def action_compare(self) -> None:
        """First press marks the open report; the next, on another report, compares the two."""
        library = self.library
        if library is None or self.current_num is None:
            self.notify("open a report first", severity="warning")
            return
        if self.marked_num is None:
            self.marked_num = self.current_num
            entry = library.entry(self.current_num)
            name = f"{entry.place_name} {'/'.join(map(str, entry.years))}" if entry else "this report"
            self._set_status(f"marked {name} for comparison: open another report and press c")
            return
        marked, self.marked_num = self.marked_num, None
        self._set_status("")  # the mark is used: back from the comparison, the line has nothing to ask
        self.reader_app.open_compare(marked, self.current_num)

    # ---- bookmarks, clipboard, export ------------------------------------------------------------

    def _cursor_offset(self) -> int:
        """Where the reader's attention is: the current find hit, else the outline's or the figures
        table's cursor when one of them has focus, else the top of the report on screen."""
        view = self.view
        if view.hits and 0 <= view.current_hit < len(view.hits):
            return view.hits[view.current_hit][0]
        if self._built:
            from eduread.parse.model import Section
            from eduread.tui.side_panel import FiguresTable, OutlineTree

            focused = self.focused
            if isinstance(focused, OutlineTree) and focused.cursor_node is not None:
                data = focused.cursor_node.data
                if isinstance(data, Section):
                    return data.start
            if isinstance(focused, FiguresTable) and focused.row_count:
                key = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value
                return int(str(key).split(":")[0])
        return view.top_offset()

    def action_bookmark(self) -> None:
        library = self.library
        report = self.view.report
        if library is None or self.current_num is None or report is None:
            return
        offset = self._cursor_offset()
        path = report.section_path(offset)
        if path:
            label = f"{path[-1].marker}{path[-1].title}"
        else:
            label = report.body[offset : offset + 20].replace("\n", " ")
        num = self.current_num
        added = self.reader_app.write(lambda: library.add_bookmark(num, offset, label))
        if added is None:
            return
        self.notify(f"bookmarked: {label}" if added else f"already bookmarked: {label}", markup=False)

    def action_copy_section(self) -> None:
        """Copy the section being read with its citation (issuer, title, part, section, date)."""
        from eduread.analysis.citation import quoted

        view = self.view
        if view.report is None:
            return
        path = view.report.section_path(self._cursor_offset())
        start, end = (path[-1].start, path[-1].end) if path else (0, len(view.report.body))
        text = quoted(view.report, start, end)
        self.app.copy_to_clipboard(text)
        self.notify(f"copied {len(text)} characters with the citation (OSC 52)")

    def action_annotate(self) -> None:
        """Write a note on the section at the cursor (or a range of lines picked in the dialog)."""
        library = self.library
        report = self.view.report
        if library is None or self.current_num is None or report is None:
            return
        from eduread.tui.screens.notes_screen import NoteDialog

        num = self.current_num

        def saved(note_id) -> None:
            if note_id is not None and self.current_num == num:
                self._show_note_marks(num)
                self.notify("note saved")

        self.app.push_screen(NoteDialog(library, report, num, self._cursor_offset()), saved)

    def _show_note_marks(self, num: int) -> None:
        """Underline the passages of this report that carry notes."""
        library = self.library
        if library is None:
            return
        from eduread.library import notes

        found = self.reader_app._safe(lambda: notes.notes(library.conn, num=num), [])
        self.view.set_notes([(n.start, n.end) for n in found if n.end > n.start])

    def action_edit_report(self) -> None:
        """Correct what the parser got wrong for the open report (place, year, kind, title)."""
        library = self.library
        report = self.view.report
        if library is None or self.current_num is None or report is None:
            return
        from eduread.tui.screens.edit_dialog import EditDialog

        num = self.current_num

        def done(changed: bool | None) -> None:  # None: cancelled
            if changed:
                self.reader_app.library_changed()
                self.open_report(num, offset=self.view.top_offset())
                self.notify("corrected; kept through re-parses")
            elif changed is False:
                self.notify("nothing set: the report stays as read")

        correction = self.reader_app._safe(lambda: library.correction(num), None)
        self.app.push_screen(EditDialog(library, num, report, correction), done)

    def export_figures(self) -> None:
        """Export the figures of the open report, to a file named in a dialog."""
        library = self.library
        if self.current_num is None or library is None:
            self.notify("open a report first", severity="warning")
            return
        from eduread.analysis.figures_across import COLUMNS, table_rows
        from eduread.library.figure_table import fill_missing, records
        from eduread.tui.screens.export_dialog import ExportDialog

        entry = library.entry(self.current_num)
        name = f"{entry.place_name if entry else 'report'}-{'-'.join(map(str, entry.years if entry else []))}-figures.csv"
        fill_missing(library, only=[self.current_num])  # a report stored before the figures table
        rows = table_rows(records(library.conn, nums=[self.current_num]))

        def done(path) -> None:
            if path is not None:
                self.notify(f"wrote {path}", markup=False)

        self.app.push_screen(ExportDialog(COLUMNS, rows, name, sheet="figures"), done)

    def pick_compare(self) -> None:
        """A palette of only the reports to compare the open one with."""
        from textual.command import CommandPalette

        from eduread.tui.palette import CompareWithProvider

        self.app.push_screen(
            CommandPalette(providers=[CompareWithProvider], placeholder="Compare with… (a place or a year)")
        )

    def system_commands(self):
        """The reader's own entries in the command palette."""
        yield SystemCommand(
            "Export figures", "Save the open report's figures as CSV, XLSX or JSON", self.export_figures
        )
        if self.current_num is not None:
            yield SystemCommand(
                "Correct this report…", "Set its place, year, kind or title by hand", self.action_edit_report
            )
        if self.current_num is not None:
            yield SystemCommand("Compare with…", "Pick the second report by place or year", self.pick_compare)
        yield SystemCommand(
            "Toggle year/place grouping", "Group the tree by year or by place", self.action_toggle_grouping
        )

    def help_groups(self) -> list[tuple[str, list[Binding]]]:
        """The reader's keys for the help screen, built from the live bindings."""
        from eduread.tui.side_panel import FiguresTable

        return [
            ("Reader", list(self.BINDINGS)),
            ("Report body", list(ReportView.BINDINGS)),
            ("Figures table", list(FiguresTable.BINDINGS)),
        ]

    # ---- status ----------------------------------------------------------------------------------

    def _set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(Text(text), layout=False)  # fixed size: no reflow

    def set_activity(self, text: str) -> None:
        """Background work's progress, at the right of the status bar, never over the user's messages."""
        if self._built:
            self.query_one("#activity", Static).update(Text(text))

    def keywords_arrived(self) -> None:
        """Word counts were filled in the background: the open report's keywords can show."""
        if self.current_num is not None and self._built:
            self._panel().show_keywords(self._keywords_of(self.current_num))
        self.set_activity("")


def _part_span(report: Report, part: int | None) -> tuple[int, int] | None:
    """The body span of one part of a report of several (None when there is one part)."""
    if part is None or len(report.parts) < 2 or part >= len(report.parts):
        return None
    from eduread.analysis.parts import part_sections

    sections = part_sections(report, report.parts[part])
    if not sections or sections is report.sections:
        return None
    return sections[0].start, sections[-1].end


def _walk(node):
    for child in node.children:
        yield child
        yield from _walk(child)


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split()) or type(err).__name__
