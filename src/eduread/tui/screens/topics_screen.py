"""Topic coverage: a place × topic (or year × topic) heat map of how much text reports give each
topic; Enter on a cell lists the sections behind it, and Enter on one opens it."""

from __future__ import annotations

import time

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from eduread.analysis.coverage import Matrix, cell_sections, matrix, names, short_names
from eduread.library import topic_store
from eduread.tui.messages import OpenReport
from eduread.tui.screens.filtered_table import ESCAPE, FiltersOverTable


class TopicsScreen(FiltersOverTable, Screen):
    """How much of their text places (or years) give each topic, darker for more."""

    BINDINGS = [
        *ESCAPE,
        Binding("b", "toggle_by", "By place/year"),
        Binding("slash", "focus_filter", "Filter"),
        Binding("e", "export", "Export"),
    ]
    DEFAULT_CSS = """
    TopicsScreen #topic-filter { border: none; height: 1; padding: 0 1; }
    TopicsScreen #topic-summary { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    TopicsScreen DataTable { height: 1fr; }
    """

    def __init__(self, library=None) -> None:
        super().__init__()
        self.library = library if library is not None else self.app.library  # from the registry: none given
        self.by = "place"
        self.result: Matrix | None = None
        self.query_ms = 0.0

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter: a place and/or a year (湖南 2020), Enter", id="topic-filter")
        yield Static("", id="topic-summary")
        yield DataTable(cursor_type="cell", fixed_columns=2)  # place and n stay while topics scroll
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        from eduread.analysis.coverage import version

        if topic_store.missing(self.library.conn, version()):
            self._say("finding the topics of reports' sections…")
            self._fill()
        else:
            self.run_query()

    @work(thread=True, exclusive=True, group="topics")
    def _fill(self) -> None:
        """Reports imported before topic shares were kept get them here, off the UI thread."""
        from eduread.analysis.coverage import fill_missing
        from eduread.library.store import Library

        lib = Library(self.library.folder, seed=False)
        try:
            fill_missing(
                lib,
                lambda done, total: self.app.call_from_thread(
                    self._say, f"finding topics: {done:,}/{total:,}"
                ),
            )
        finally:
            lib.close()
        self.app.call_from_thread(self.run_query)

    def _say(self, text: str) -> None:
        self.query_one("#topic-summary", Static).update(Text(text))

    def _filter(self) -> tuple[str | None, int | None]:
        words = self.query_one(Input).value.split()
        year = next((int(w) for w in words if w.isdigit() and len(w) == 4), None)
        place = " ".join(w for w in words if not (w.isdigit() and len(w) == 4)) or None
        return place, year

    def run_query(self) -> None:
        """Compute the matrix with the filter typed and draw it as a heat map."""
        place, year = self._filter()
        started = time.perf_counter()
        self.result = matrix(self.library, by=self.by, place=place, year=year)
        self.query_ms = (time.perf_counter() - started) * 1000
        short = short_names()
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column(self.by, key="row")
        table.add_column("n", key="n")
        for topic in self.result.topics:
            table.add_column(short.get(topic, topic), key=topic)
        top = max(self.result.cells.values(), default=0.0) or 1.0
        for row in self.result.rows:
            cells = [Text(row), Text(str(self.result.counts[row]), style="dim")]
            for topic in self.result.topics:
                share = self.result.share(row, topic)
                cells.append(_heat(share, top))
            table.add_row(*cells, key=row)
        if self.result.rows and self.result.topics:
            table.move_cursor(row=0, column=2)  # the first topic cell, where Enter means something
        self._say(
            f"{len(self.result.rows)} {self.by}s × {len(self.result.topics)} topics · % of each report's text"
            f" its sections give a topic (mean per {self.by}) · {self.query_ms:.0f} ms · Enter: the sections"
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.run_query()
        self.query_one(DataTable).focus()

    def action_toggle_by(self) -> None:
        self.by = "year" if self.by == "place" else "place"
        self.run_query()

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        if self.result is None:
            return
        row = event.cell_key.row_key.value
        topic = event.cell_key.column_key.value
        if row is None or topic in (None, "row", "n"):
            return
        sections = cell_sections(self.library, self.result, row, topic)
        if sections:
            self.app.push_screen(
                CellSections(self.library, row, names().get(topic, topic), sections), self._chosen
            )
        else:
            self.notify("no section of these reports is about this topic")

    def _chosen(self, target) -> None:
        if target is not None:
            self.post_message(OpenReport(*target))

    def action_export(self) -> None:
        from eduread.tui.screens.export_dialog import ExportDialog

        if self.result is None:
            return
        columns, rows = self.result.table()
        self.app.push_screen(
            ExportDialog(columns, rows, f"topics-by-{self.by}.xlsx", sheet="topics"),
            lambda path: path and self.notify(f"wrote {path}", markup=False),
        )


def _heat(share: float, top: float) -> Text:
    """A percentage on a background that darkens with the share (the brightest cell is the top)."""
    if share <= 0:
        return Text("   ·", style="dim")
    level = min(1.0, share / top)
    shade = int(40 + 160 * level)
    style = Style(bgcolor=f"rgb({shade // 4},{shade // 2},{shade})", color="white" if level > 0.35 else None)
    return Text(f"{100 * share:4.0f}", style=style)


class CellSections(ModalScreen[tuple[int, int] | None]):
    """The sections behind one cell, report by report; Enter opens one."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    CellSections { align: center middle; }
    CellSections > Vertical { width: 90%; height: 85%; border: round $accent; background: $panel; }
    CellSections OptionList { height: 1fr; }
    """

    def __init__(self, library, row: str, topic: str, sections: list[tuple[int, int, int, str]]) -> None:
        super().__init__()
        self.library = library
        self.row = row
        self.topic = topic
        self.sections = sections

    def compose(self) -> ComposeResult:
        options = []
        titles: dict[int, str] = {}
        for i, (num, start, end, heading) in enumerate(self.sections):
            if num not in titles:
                entry = self.library.entry(num)
                titles[num] = entry.title if entry else str(num)
            line = Text(heading, style="bold")
            line.append(f"  {end - start:,} characters", style="dim")
            line.append(f"\n  {titles[num]}", style="dim")
            options.append(Option(line, id=str(i)))
        with Vertical():
            yield Label(Text(f"{self.row} · {self.topic} · {len(self.sections)} sections"))
            yield OptionList(*options)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        num, start, _end, _heading = self.sections[int(event.option.id or 0)]
        self.dismiss((num, start))
