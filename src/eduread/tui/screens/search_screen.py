"""Library-wide search: type, see ranked hits with snippets, Enter opens the report at the hit."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from eduread.library.search import Hit, SearchResult, distinct_hits
from eduread.text.wrap import snippet_lines
from eduread.tui.messages import OpenReport

SHOWN = 30  # hits listed (about three screens): more make every keystroke slower to draw


class QueryBox(Input):
    """The query: Down moves into the results."""

    BINDINGS = [Binding("down", "results", "Results", show=False)]

    def action_results(self) -> None:
        screen = self.screen
        if isinstance(screen, SearchScreen):
            screen.focus_results()


class SearchScreen(ModalScreen[None]):
    """A modal over the reader: hits update as you type (in a worker); Enter opens the first."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    SearchScreen { align: center middle; }
    SearchScreen > Vertical { width: 90%; height: 85%; border: round $accent; background: $panel; }
    SearchScreen Input { margin: 0 0 1 0; }
    SearchScreen #summary { color: $text-muted; padding: 0 1; }
    SearchScreen OptionList { height: 1fr; }
    """

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query
        self.hits: list[Hit] = []
        self.shown_query: str | None = None  # the query the list shows the hits of
        self.generation = 0

    def compose(self) -> ComposeResult:
        with Vertical():
            yield QueryBox(
                value=self.initial, placeholder='search all reports (words, "a phrase")', id="query"
            )
            yield Label("", id="summary")
            yield OptionList(id="results")

    def on_mount(self) -> None:
        self.query_one(QueryBox).focus()
        if self.initial:
            self._start(self.initial)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._start(event.value)

    def _start(self, query: str) -> None:
        self.generation += 1
        if not query.strip():
            self.generation += 1
            self._show(query, None)
            return
        self._search(query, self.generation)

    @work(exclusive=True, group="search")
    async def _search(self, query: str, generation: int) -> None:
        """Runs off the UI thread; the next keystroke cancels it and its result is dropped."""
        try:
            result = await self.app.search(query, SHOWN)  # type: ignore[attr-defined]
        except Exception as err:  # a damaged index must not take the reader down
            if generation == self.generation:
                self.query_one("#summary", Label).update(Text(f"search failed: {err}"))
            return
        if generation == self.generation:
            self._show(query, result)

    def _show(self, query: str, result: SearchResult | None) -> None:
        self.shown_query = query
        self.hits = distinct_hits(result.hits) if result else []
        summary = self.query_one("#summary", Label)
        text = result.summary() if result else ""
        if result and len(self.hits) >= SHOWN:
            text += f" · the first {SHOWN} shown"
        summary.update(Text(text))
        results = self.query_one(OptionList)
        width = max(20, (results.scrollable_content_region.width or self.app.size.width - 12) - 4)
        options = []
        for i, hit in enumerate(self.hits):
            line = Text(f"{hit.place} ", style="bold")
            line.append(
                " ".join(f"{'' if p.year is None else p.year}{p.label}" for p in hit.parts), style="dim"
            )
            line.append("  " + (" › ".join(hit.section[-2:]) or "—"), style="italic")
            for piece, marked in snippet_lines(hit.snippet, hit.mark, width):
                line.append("\n  ")
                at = len(line)
                line.append(piece)
                if marked:
                    line.stylize("reverse bold", at + marked[0], at + marked[1])
            options.append(Option(line, id=str(i)))
        results.clear_options()
        results.add_options(options)

    def focus_results(self) -> None:
        """Move into the list, on its first hit."""
        results = self.query_one(OptionList)
        if results.option_count:
            results.focus()
            if results.highlighted is None:
                results.highlighted = 0

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        query = event.value
        if not query.strip():
            return
        if self.shown_query != query:  # typed faster than the search: answer this query now
            self.generation += 1
            try:
                self._show(query, await self.app.search(query, SHOWN))  # type: ignore[attr-defined]
            except Exception as err:
                self.query_one("#summary", Label).update(Text(f"search failed: {err}"))
                return
        if self.hits:
            self._open(self.hits[0])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._open(self.hits[int(event.option.id or 0)])

    def _open(self, hit: Hit) -> None:
        s, e = hit.mark
        self.app.post_message(OpenReport(hit.num, hit.start, find=hit.snippet[s:e]))
        self.dismiss(None)
