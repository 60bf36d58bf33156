"""Two reports side by side: topic rows to step through, panes that scroll together, paired figures."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, OptionList, Static
from textual.widgets.option_list import Option

from eduread.analysis.compare import Comparison, Row, heading
from eduread.tui.messages import OpenReport
from eduread.tui.report_view import ReportView

WIDE = 100


class ComparePane(ReportView):
    """A report pane that tells the screen how far it scrolled, so its partner can follow."""

    class Scrolled(Message):
        """The pane moved by `delta` lines."""

        def __init__(self, pane: ComparePane, delta: float) -> None:
            super().__init__()
            self.pane = pane
            self.delta = delta

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._moving_itself = 0

    def scroll_to_offset(self, offset: int, *, animate: bool = False, center: bool = False) -> None:
        """Jumps (to a topic, a figure, after a re-wrap) are not the reader scrolling: not mirrored."""
        self._moving_itself += 1
        try:
            super().scroll_to_offset(offset, animate=animate, center=center)
        finally:
            self._moving_itself -= 1

    def on_resize(self) -> None:
        self._moving_itself += 1
        try:
            super().on_resize()
        finally:
            self._moving_itself -= 1

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value != old_value and not self._moving_itself:
            self.post_message(self.Scrolled(self, new_value - old_value))


class CompareScreen(Screen[None]):
    """Compare two reports; Enter on a pane opens that report in the reader where the pane stands."""

    BINDINGS = [  # Back first: a narrow terminal's footer cuts from the right
        Binding("escape,q", "close", "Back"),
        Binding("n,right_square_bracket", "step(1)", "Next topic"),
        Binding("p,left_square_bracket", "step(-1)", "Previous topic"),
        Binding("L", "toggle_link", "Link/unlink"),
        Binding("x", "swap", "Swap sides"),
        Binding("enter", "open_side", "Open report"),
        Binding("r", "toggle_rows", "Topic list", show=False),
        Binding("f", "focus_figures", "Figures", show=False),
    ]

    DEFAULT_CSS = """
    CompareScreen #compare-header { height: 1; padding: 0 1; background: $panel; }
    CompareScreen #compare-body { height: 1fr; }
    CompareScreen #rows { width: 28; height: 1fr; }
    CompareScreen #rows.-hidden { display: none; }
    CompareScreen .side { width: 1fr; }
    CompareScreen .side-label { height: 1; padding: 0 1; background: $boost; color: $text-muted; }
    CompareScreen ComparePane { height: 1fr; }
    CompareScreen #left-side { border-right: solid $panel-lighten-2; }
    CompareScreen #pairs { height: 7; border-top: solid $panel-lighten-2; }
    CompareScreen #pairs.-empty { height: 1; }
    CompareScreen #no-pairs { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, result: Comparison, nums: tuple[int | None, int | None]) -> None:
        super().__init__()
        self.result = result
        self.nums = nums
        self.index = 0
        self.linked = True
        self._rows_forced: bool | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="compare-header")
        with Horizontal(id="compare-body"):
            yield OptionList(id="rows")
            with Vertical(classes="side", id="left-side"):
                yield Static("", classes="side-label", id="left-label")
                yield ComparePane(id="left")
            with Vertical(classes="side", id="right-side"):
                yield Static("", classes="side-label", id="right-label")
                yield ComparePane(id="right")
        yield Static("", id="no-pairs")
        yield DataTable(id="pairs", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#left", ComparePane).focus()

    # ---- content -------------------------------------------------------------------------------

    @property
    def row(self) -> Row | None:
        """The topic row being looked at."""
        return self.result.rows[self.index] if self.result.rows else None

    def _fill(self) -> None:
        """Show both reports and the topic list for the current comparison."""
        self.query_one("#left", ComparePane).show(self.result.left.report)
        self.query_one("#right", ComparePane).show(self.result.right.report)
        options = []
        for row in self.result.rows:
            label = Text(row.name, style="bold" if row.paired else "dim")
            label.append(f"\n  {len(row.left) or '—'} ↔ {len(row.right) or '—'}", style="dim")
            options.append(Option(label))
        rows = self.query_one("#rows", OptionList)
        rows.clear_options()
        rows.add_options(options)
        self._apply_layout(self.app.size.width)
        # New panes have no size until the first refresh; scroll them once they do.
        self.call_after_refresh(self.show_row, min(self.index, max(0, len(self.result.rows) - 1)))

    def _header(self) -> Text:
        """Topic first (it changes as you step and must survive a narrow terminal), then the sides."""
        text = Text()
        if self.row is not None:
            text.append(f"{self.index + 1}/{len(self.result.rows)} {self.row.name}", style="bold")
            text.append("   ")
        text.append(self.result.left.label)
        text.append("  ⇄  ")
        text.append(self.result.right.label)
        if self.result.plan_vs_outcome:
            text.append("  plan vs outcome ", style="reverse")
        text.append("   linked" if self.linked else "   unlinked", style="dim")
        return text

    def show_row(self, index: int) -> None:
        """Bring both panes to a topic row's sections, their headings marked, and list its figures."""
        if not self.result.rows:
            self.query_one("#compare-header", Static).update(self._header())
            return
        self.index = index % len(self.result.rows)
        row = self.result.rows[self.index]
        rows = self.query_one("#rows", OptionList)
        if rows.highlighted != self.index:
            rows.highlighted = self.index
        for side, sections in (("left", row.left), ("right", row.right)):
            pane = self.query_one(f"#{side}", ComparePane)
            label = self.query_one(f"#{side}-label", Static)
            pane.hits = [(s.start, s.title_end) for s in sections]
            pane.current_hit = 0 if sections else -1
            if sections:
                more = f"  (+{len(sections) - 1})" if len(sections) > 1 else ""
                label.update(Text(heading(sections[0]) + more))
                pane.scroll_to_offset(sections[0].start)
            else:
                label.update(Text(f"no section on {row.name}", style="italic"))
        self._fill_pairs(row)
        self.query_one("#compare-header", Static).update(self._header())

    def _fill_pairs(self, row: Row) -> None:
        table = self.query_one("#pairs", DataTable)
        note = self.query_one("#no-pairs", Static)
        table.clear(columns=True)
        plan = self.result.plan_vs_outcome
        left_name, right_name = self.result.column_names()
        rows = []
        for pair in row.figures:
            cells = [Text(pair.label), Text(pair.left.text), Text(pair.right.text), Text(pair.difference)]
            if plan:
                cells.append(Text("—" if pair.met is None else ("met" if pair.met else "not met")))
            rows.append(cells)
        headers = ["measure", left_name, right_name, "difference"] + (["target"] if plan else [])
        for i, name in enumerate(headers):
            # Sized to the widest cell: the table would otherwise keep the header's width.
            width = max([cell_len(name)] + [r[i].cell_len for r in rows])
            table.add_column(name, key=str(i), width=width)
        for i, cells in enumerate(rows):
            table.add_row(*cells, key=str(i))
        empty = not row.figures
        table.display = not empty
        note.display = empty
        if empty:
            note.update(Text("no figures of the same measure on both sides in this topic"))

    # ---- actions -------------------------------------------------------------------------------

    def action_step(self, step: int) -> None:
        self.show_row(self.index + step)

    def action_toggle_link(self) -> None:
        self.linked = not self.linked
        self.query_one("#compare-header", Static).update(self._header())
        self.notify("panes scroll together" if self.linked else "panes scroll on their own")

    def action_swap(self) -> None:
        self.result = self.result.swapped()
        self.nums = (self.nums[1], self.nums[0])
        self._fill()

    def action_toggle_rows(self) -> None:
        rows = self.query_one("#rows", OptionList)
        self._rows_forced = rows.has_class("-hidden")
        self._apply_layout(self.app.size.width)
        if self._rows_forced:
            rows.focus()

    def action_focus_figures(self) -> None:
        table = self.query_one("#pairs", DataTable)
        if table.display:
            table.focus()

    def action_open_side(self) -> None:
        """Open the focused pane's report in the reader at this topic's section (or where it stands)."""
        focused = self.focused
        side = focused.id if isinstance(focused, ComparePane) else "left"
        num = self.nums[0] if side == "left" else self.nums[1]
        if num is None:
            self.notify("this report is not in the library; import it to read it", severity="warning")
            return
        pane = self.query_one(f"#{side}", ComparePane)
        self.app.post_message(OpenReport(num, pane.top_offset()))
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

    # ---- events --------------------------------------------------------------------------------

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # Only the user moving in the list moves the panes; show_row's own highlight echoes back
        # here later and must not drag the screen to an older row.
        if (
            event.option_list.id == "rows"
            and event.option_list.has_focus
            and event.option_index != self.index
        ):
            self.show_row(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.show_row(event.option_index)
        self.query_one("#left", ComparePane).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.row is None:
            return
        pair = self.row.figures[int(str(event.row_key.value))]
        self.query_one("#left", ComparePane).mark([(pair.left.start, pair.left.end)])
        self.query_one("#right", ComparePane).mark([(pair.right.start, pair.right.end)])

    def on_compare_pane_scrolled(self, event: ComparePane.Scrolled) -> None:
        if not self.linked or not event.pane.has_focus:
            return
        other = self.query_one("#right" if event.pane.id == "left" else "#left", ComparePane)
        other.scroll_to(y=other.scroll_offset.y + event.delta, animate=False, immediate=True)

    def on_resize(self, event) -> None:
        self._apply_layout(event.size.width)

    def _apply_layout(self, width: int) -> None:
        show = self._rows_forced if self._rows_forced is not None else width >= WIDE
        self.query_one("#rows", OptionList).set_class(not show, "-hidden")
