"""Term trends: type terms, see how often each occurs per 10,000 characters by year (or place,
province, kind) as a chart and a table; Enter on a row lists its reports with snippets."""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from eduread.analysis.trends import COLUMNS, TrendRow, term_totals, trend
from eduread.text.names import counted
from eduread.tui.messages import OpenReport
from eduread.tui.screens.charts import Chart
from eduread.tui.screens.filtered_table import ESCAPE, FiltersOverTable

BY = ("year", "place", "province", "kind")
SNIPPET_SIDE = 24


class TrendsScreen(FiltersOverTable, Screen):
    """Occurrences of terms across the library, grouped by year, place, province or kind."""

    BINDINGS = [
        *ESCAPE,
        Binding("slash", "focus_terms", "Terms"),
        Binding("b", "cycle_by", "By year/place/province/kind"),
        Binding("e", "export", "Export"),
    ]
    DEFAULT_CSS = """
    TrendsScreen #trend-terms { border: none; height: 1; padding: 0 1; }
    TrendsScreen #trend-summary { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    TrendsScreen #trend-body { height: 1fr; }
    TrendsScreen Chart { height: 1fr; }
    TrendsScreen DataTable { height: 40%; border-top: solid $panel-lighten-2; }
    """

    def __init__(self, library=None, terms: str = "") -> None:
        super().__init__()
        self.library = library if library is not None else self.app.library  # from the registry: none given
        self.initial = terms
        self.by = "year"
        self.rows: list[TrendRow] = []
        self.query_ms = 0.0
        self.chart_ms = 0.0

    def compose(self) -> ComposeResult:
        yield Input(
            value=self.initial,
            placeholder="terms, separated by spaces (双减 课后服务), Enter",
            id="trend-terms",
        )
        yield Static("", id="trend-summary")
        with Vertical(id="trend-body"):
            yield Chart()
            yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Chart).clear("type terms above and press Enter")
        self.query_one(Input).focus()
        if self.initial:
            self.run_query()

    def terms(self) -> list[str]:
        """The terms typed."""
        return self.query_one(Input).value.split()

    def run_query(self) -> None:
        """Count the terms, fill the table and draw the chart."""
        terms = self.terms()
        if not terms:
            return
        started = time.perf_counter()
        self.rows = trend(self.library, terms, self.by)
        self.query_ms = (time.perf_counter() - started) * 1000
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for name in ("term", self.by, "reports", "occurrences", "characters", "per 10k"):
            table.add_column(name)
        for i, row in enumerate(self.rows):
            table.add_row(
                row.term,
                row.key,
                f"{row.reports}/{row.reports_total}",
                row.occurrences,
                f"{row.characters:,}",
                f"{row.per_10k:.2f}",
                key=str(i),
            )
        totals = " · ".join(
            f"{term} {counted(n, 'occurrence')} in {counted(reports, 'report')}"
            for term, (n, reports) in term_totals(self.rows).items()
        )
        self.query_one("#trend-summary", Static).update(
            Text(f"{totals} · by {self.by} · {self.query_ms:.0f} ms · Enter on a row lists its reports")
        )
        self.draw_chart()

    def draw_chart(self) -> None:
        """Years: a line per term; other groupings: each term's bars at the first term's busiest keys."""
        started = time.perf_counter()
        chart = self.query_one(Chart)
        if self.by == "year":
            lines = []
            for term in dict.fromkeys(r.term for r in self.rows):
                points = [(int(r.key), r.per_10k) for r in self.rows if r.term == term and r.key.isdigit()]
                lines.append((term, points, []))
            chart.lines("occurrences per 10,000 characters, by year", lines, gaps=True)
        else:  # the busiest keys of the first term; every term's bar beside it
            terms = list(dict.fromkeys(r.term for r in self.rows))
            first = terms[0] if terms else ""
            ranked = sorted((r for r in self.rows if r.term == first), key=lambda r: -r.per_10k)[:12]
            keys = [r.key for r in ranked]
            rate = {(r.term, r.key): r.per_10k for r in self.rows}
            chart.bars(
                f"per 10,000 characters, the {len(keys)} {self.by} keys busiest for “{first}”",
                keys,
                [(term, [rate.get((term, k), 0.0) for k in keys]) for term in terms],
            )
        self.chart_ms = (time.perf_counter() - started) * 1000

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.run_query()
        if self.rows:
            self.query_one(DataTable).focus()

    def action_cycle_by(self) -> None:
        self.by = BY[(BY.index(self.by) + 1) % len(BY)]
        self.run_query()

    def action_focus_terms(self) -> None:
        self.query_one(Input).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self.rows[int(event.row_key.value or 0)]
        if row.nums:
            self.app.push_screen(ReportsWithTerm(self.library, row), self._chosen)

    def _chosen(self, target) -> None:
        if target is not None:
            num, offset, term = target
            self.post_message(OpenReport(num, offset, find=term))

    def action_export(self) -> None:
        from eduread.tui.screens.export_dialog import ExportDialog

        if not self.rows:
            return
        name = "-".join(self.terms())[:40] or "trend"
        self.app.push_screen(
            ExportDialog(COLUMNS, [r.cells() for r in self.rows], f"{name}-by-{self.by}.xlsx", sheet="trend"),
            lambda path: path and self.notify(f"wrote {path}", markup=False),
        )


class ReportsWithTerm(ModalScreen[tuple[int, int, str] | None]):
    """The reports of one row with the first occurrence of the term in each; Enter opens it there."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    ReportsWithTerm { align: center middle; }
    ReportsWithTerm > Vertical { width: 90%; height: 85%; border: round $accent; background: $panel; }
    ReportsWithTerm OptionList { height: 1fr; }
    """

    def __init__(self, library, row: TrendRow) -> None:
        super().__init__()
        self.library = library
        self.row = row
        self.targets: list[tuple[int, int, str]] = []

    def compose(self) -> ComposeResult:
        from eduread.text.matching import match_form

        options = []
        term = match_form(self.row.term)
        for num in self.row.nums[:500]:
            entry = self.library.entry(num)
            body, form = self.library.body_with_form(num)
            pos = form.find(term, *self.row.spans.get(num, (0, len(form))))  # in the row's part, if by part
            if entry is None or pos < 0:
                continue
            lo, hi = max(0, pos - SNIPPET_SIDE), min(len(body), pos + len(term) + SNIPPET_SIDE)
            line = Text(f"{entry.place_name} ", style="bold")
            line.append(" ".join(f"{p.year or '?'}{p.label}" for p in entry.parts), style="dim")
            line.append("\n  " + body[lo:pos].replace("\n", " "))
            line.append(body[pos : pos + len(term)], style="reverse bold")
            line.append(body[pos + len(term) : hi].replace("\n", " "))
            options.append(Option(line, id=str(len(self.targets))))
            self.targets.append((num, pos, self.row.term))
        with Vertical():
            yield Label(Text(f"“{self.row.term}” · {self.row.key} · {counted(len(self.targets), 'report')}"))
            yield OptionList(*options)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.targets[int(event.option.id or 0)])
