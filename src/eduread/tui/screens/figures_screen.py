"""Figures across the library: filter by measure, kind, place and year; a sortable table and the
measure's series per place over the years; Enter opens the report at the figure."""

from __future__ import annotations

import time

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import get_current_worker

from eduread.analysis.figures_across import COLUMNS, find_figures, main_measure, series, table_rows
from eduread.errors import one_line
from eduread.library import figure_table
from eduread.library.figure_table import FigureRecord
from eduread.parse.model import FIGURE_KINDS, KIND_NAMES
from eduread.text.names import counted
from eduread.tui.messages import OpenReport
from eduread.tui.screens.charts import Chart
from eduread.tui.screens.filtered_table import ESCAPE, FiltersOverTable

SHOWN = ("place", "year", "part", "text", "value", "what", "section")
MAX_SERIES = 8
SHOW = 1000
SETTLE_S = 0.3  # typing pauses this long before the filters are applied


class FiguresScreen(FiltersOverTable, Screen):
    """Every figure of one measure (or kind, place, year) across the reports."""

    BINDINGS = [
        *ESCAPE,
        Binding("slash", "focus_filter", "Filter"),
        Binding("e", "export", "Export"),
        Binding("c", "toggle_chart", "Chart"),
        *(Binding(str(i + 1), f"sort({i})", "Sort 1-7", show=i == 0) for i in range(len(SHOWN))),
    ]
    DEFAULT_CSS = """
    FiguresScreen #figure-filters { height: 1; }
    FiguresScreen #figure-filters Input { border: none; height: 1; width: 1fr; padding: 0 1; }
    FiguresScreen #figure-filters #f-what { width: 2fr; }
    FiguresScreen #figure-summary { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    FiguresScreen #figure-body { height: 1fr; }
    FiguresScreen DataTable { height: 1fr; }
    FiguresScreen Chart { height: 55%; border-top: solid $panel-lighten-2; }
    FiguresScreen.-wide #figure-body { layout: horizontal; }
    FiguresScreen.-wide DataTable { width: 1fr; }
    FiguresScreen.-wide Chart { height: 1fr; width: 45%; border-top: none; border-left: solid $panel-lighten-2; }
    FiguresScreen.-nochart Chart { display: none; }
    """

    def __init__(self, library=None, what: str = "") -> None:
        super().__init__()
        self.library = library if library is not None else self.app.library  # from the registry: none given
        self.initial_what = what
        self.records: list[FigureRecord] = []
        self._sorted: tuple[int, bool] | None = None
        self.query_ms = 0.0
        self.chart_ms = 0.0
        self._generation = 0  # the latest query asked for; an older one's answer is dropped
        self._asked: dict | None = None  # the filters of the latest query
        self._filling = False  # rows of older reports being listed
        self._unlisted = ""  # why the older reports' figures could not be listed, when they could not
        self._settle: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="figure-filters"):
            yield Input(value=self.initial_what, placeholder="what (新增学位)", id="f-what")
            yield Input(
                placeholder="kind (count…)",
                suggester=SuggestFromList(FIGURE_KINDS, case_sensitive=False),  # c → count, m → money
                id="f-kind",
            )
            yield Input(placeholder="place", id="f-place")
            yield Input(placeholder="year", id="f-year", type="integer")
        yield Static("", id="figure-summary")
        with Vertical(id="figure-body"):
            yield DataTable(cursor_type="row", zebra_stripes=True, fixed_columns=1, id="figure-table")
            yield Chart()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in SHOWN:
            table.add_column(name, key=name)
        self._layout(self.size.width)
        (self.query_one("#f-what", Input) if not self.initial_what else table).focus()
        if figure_table.missing(self.library.conn):
            self._filling = True  # typing waits for the rows: the query after them takes the filters
            self._asked = self._filters()
            self._say("listing the figures of reports stored before this version…")
            self._fill()
        else:
            self.run_query()

    @work(thread=True, exclusive=True, group="figures")
    def _fill(self) -> None:
        """Reports stored before the figures table get their rows here, off the UI thread."""

        def fill(lib) -> None:
            figure_table.fill_missing(
                lib,
                lambda done, total: self.app.call_from_thread(
                    self._say, f"listing figures: {done:,}/{total:,}"
                ),
            )

        done, failure = self._on_own_connection(fill, "the figures could not be listed")
        self.app.call_from_thread(self._filled, "" if done else str(failure))

    def _on_own_connection(self, work, failed: str) -> tuple[bool, object]:
        """(done, what `work(library)` gave) in a worker thread, on a connection of its own; a locked
        or damaged library is said on the screen (after `failed`), never a crash, and (False, that
        line) is returned."""
        from eduread.library.store import Library

        try:
            lib = Library(self.library.folder, seed=False)
            try:
                return True, work(lib)
            finally:
                lib.close()
        except Exception as err:
            said = f"{failed}: {one_line(str(err))}"
            self.app.call_from_thread(self._say, said)
            return False, said

    def _filled(self, failure: str = "") -> None:
        """The older reports are listed (or could not be: the figures already listed are shown,
        the filters work on them, and the summary says what is missing and why)."""
        self._filling = False
        self._unlisted = failure
        if self.is_attached:
            self.run_query()

    def _say(self, text: str) -> None:
        if self.is_attached:
            self.query_one("#figure-summary", Static).update(Text(text))

    def on_resize(self, event) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        self.set_class(width >= 140, "-wide")

    def _filters(self) -> dict:
        def value(name: str) -> str:
            return self.query_one(f"#f-{name}", Input).value.strip()

        year = value("year")
        return {
            "what": value("what") or None,
            "kind": value("kind") or None,
            "place": value("place") or None,
            "year": int(year) if year.isdigit() else None,
        }

    def run_query(self) -> None:
        """Query with the filters typed, fill the table and draw the chart."""
        self._generation += 1
        self._asked = self._filters()
        started = time.perf_counter()
        try:
            records = find_figures(self.library, **self._asked, fill=False)
        except Exception as err:  # a damaged library: said on the screen, never a crash of the app
            self._say(f"the figures could not be read: {one_line(str(err))}")
            return
        self._show_records(records, (time.perf_counter() - started) * 1000, self._generation)

    def _show_records(self, records: list[FigureRecord], query_ms: float, generation: int) -> None:
        if generation != self._generation or not self.is_attached:  # filters changed, or screen closed
            return
        self.records = records
        self.query_ms = query_ms
        self._sorted = None
        self._fill_table()
        self.draw_chart()

    def on_input_changed(self, event: Input.Changed) -> None:
        """The filters apply as they are typed, once typing pauses (Enter applies them at once)."""
        if not (event.input.id or "").startswith("f-") or not self.is_mounted:
            return
        if self._settle is not None:
            self._settle.stop()
            self._settle = None
        if self._filters() != self._asked and not self._filling:
            self._settle = self.set_timer(SETTLE_S, self._query_typed)

    def _query_typed(self) -> None:
        self._settle = None
        if self._filling or not self.is_attached:
            return
        self._generation += 1
        self._asked = self._filters()
        self._say("filtering…")
        self._query_in_thread(self._asked, self._generation)

    @work(thread=True, exclusive=True, group="figures-query")
    def _query_in_thread(self, filters: dict, generation: int) -> None:
        """A query off the UI thread, on a connection of its own: typing goes on while it runs."""
        started = time.perf_counter()
        done, records = self._on_own_connection(
            lambda lib: find_figures(lib, **filters, fill=False), "the figures could not be read"
        )
        if done and not get_current_worker().is_cancelled:
            self.app.call_from_thread(
                self._show_records, records, (time.perf_counter() - started) * 1000, generation
            )

    def _fill_table(self) -> None:
        """The first SHOW figures in the current order (a table of thousands takes long to build)."""
        table = self.query_one(DataTable)
        table.clear()
        for i, r in enumerate(self.records[:SHOW]):
            table.add_row(
                r.place or r.report[:8],
                r.year if r.year is not None else "",
                KIND_NAMES.get(r.part_kind or "", ""),
                Text(r.text, style="bold"),
                _plain(r.value, signed=r.kind == "change"),
                r.what,
                r.section.split(" › ")[-1] if r.section else "",
                key=str(i),
            )
        reports = len({r.num for r in self.records})
        more = (
            f" · first {SHOW:,} shown (sorting takes in all; e exports all)"
            if len(self.records) > SHOW
            else ""
        )
        missing = f" · not all: {self._unlisted}" if self._unlisted else ""
        self.query_one("#figure-summary", Static).update(
            Text(
                f"{counted(len(self.records), 'figure')} in {counted(reports, 'report')}"
                f" · {self.query_ms:.0f} ms{more}{missing}"
            )
        )

    def draw_chart(self) -> None:
        """The main measure's values per place over the years, targets (plans) apart from outcomes."""
        started = time.perf_counter()
        chart = self.query_one(Chart)
        filters = self._asked or self._filters()  # those the records were found by
        measure = main_measure(self.records)
        if measure is None:
            chart.clear("no figures: change the filters")
        elif not filters["what"]:
            chart.clear("type what is counted (新增学位) to chart its values per place over the years")
        else:
            what, unit = measure
            chosen = [r for r in self.records if r.unit == unit]
            lines = series(chosen, unit)
            lines.sort(key=lambda s: -(len(s.outcomes) + len(s.targets)))
            shown = lines[:MAX_SERIES]
            more = f" · {len(lines) - len(shown)} more places in the table" if len(lines) > len(shown) else ""
            chart.lines(
                f"{filters['what']} ({unit}) by year{more}",
                [(s.place, s.outcomes, s.targets) for s in shown],
                second="target (plan)",
            )
        self.chart_ms = (time.perf_counter() - started) * 1000

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._settle is not None:
            self._settle.stop()
            self._settle = None
        self.run_query()
        self.query_one(DataTable).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#f-what", Input).focus()

    def action_toggle_chart(self) -> None:
        self.toggle_class("-nochart")

    def action_sort(self, column: int) -> None:
        self._sort(column)

    def _sort(self, column: int) -> None:
        """Sort every figure by the Nth column (not only those shown); the same digit again reverses."""
        reverse = self._sorted == (column, False)
        key = SHOWN[column]

        def sort_key(r: FigureRecord):
            value = {
                "place": r.place,
                "year": r.year,
                "part": r.part_kind or "",
                "text": r.text,
                "value": r.value,
                "what": r.what,
                "section": r.section,
            }[key]
            if key in ("year", "value"):
                return (0, float(value)) if value is not None else (1, 0.0)
            return (0, str(value))

        self.records.sort(key=sort_key, reverse=reverse)
        self._sorted = (column, reverse)
        self._fill_table()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        self._sort(event.column_index)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        record = self.records[int(event.row_key.value or 0)]
        self.post_message(OpenReport(record.num, record.start, find=record.text))  # marked in the text

    def action_export(self) -> None:
        from eduread.tui.screens.export_dialog import ExportDialog

        what = (self._asked or self._filters())["what"] or "figures"
        self.app.push_screen(
            ExportDialog(COLUMNS, table_rows(self.records), f"{what}.xlsx", sheet="figures"), self._exported
        )

    def _exported(self, path) -> None:
        if path is not None:
            self.notify(f"wrote {path}", markup=False)


def _plain(value: float | None, signed: bool = False) -> str:
    """A value as the table shows it; a change with its sign (+43, -23), so it never reads as a level."""
    if value is None:
        return ""
    sign = "+" if signed and value > 0 else ""
    return sign + (f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}")
