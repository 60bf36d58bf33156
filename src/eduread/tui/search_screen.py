"""Library-wide search: type, see ranked hits with snippets, Enter opens the report at the hit."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from eduread.library.search import Hit


class SearchScreen(ModalScreen[Hit | None]):
    """A modal over the reader; returns the chosen hit or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    SearchScreen { align: center middle; }
    SearchScreen > Vertical { width: 90%; height: 85%; border: round $accent; background: $panel; }
    SearchScreen Input { margin: 0 0 1 0; }
    SearchScreen #summary { color: $text-muted; padding: 0 1; }
    SearchScreen OptionList { height: 1fr; }
    """

    def __init__(self, searcher, query: str = "") -> None:
        super().__init__()
        self.searcher = searcher
        self.initial = query
        self.hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(value=self.initial, placeholder='search all reports (words, "a phrase")', id="query")
            yield Label("", id="summary")
            yield OptionList(id="results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.initial:
            self._run(self.initial)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._run(event.value)
        results = self.query_one(OptionList)
        if results.option_count:
            results.focus()
            results.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        if len(event.value.strip()) >= 2:
            self._run(event.value)

    def _run(self, query: str) -> None:
        result = self.searcher.search(query, limit=200, per_report=20)
        self.hits = result.hits
        summary = self.query_one("#summary", Label)
        summary.update(Text(f"{result.summary()} · {result.took_ms:.1f} ms"))
        options = []
        for i, hit in enumerate(result.hits):
            line = Text(f"{hit.place} ", style="bold")
            line.append(" ".join(str(p["year"]) + p["label"] for p in hit.parts), style="dim")
            line.append("  " + (" › ".join(hit.section[-2:]) or "—"), style="italic")
            line.append("\n  ")
            s, e = hit.mark
            line.append(hit.snippet[:s])
            line.append(hit.snippet[s:e], style="reverse bold")
            line.append(hit.snippet[e:])
            options.append(Option(line, id=str(i)))
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options(options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.hits[int(event.option.id or 0)])
