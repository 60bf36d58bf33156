"""The bookmarks list: every saved place, newest first; Enter opens it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class BookmarksScreen(ModalScreen[tuple[int, int] | None]):
    """Returns (report number, offset) of the chosen bookmark, or None."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    BookmarksScreen { align: center middle; }
    BookmarksScreen > Vertical { width: 80%; height: 70%; border: round $accent; background: $panel; }
    """

    def __init__(self, bookmarks: list[tuple[int, int, str, str]]) -> None:
        super().__init__()
        self.items = bookmarks

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                Text(
                    f"{len(self.items)} bookmarks" if self.items else "No bookmarks yet: press m in a report."
                )
            )
            options = []
            for i, (_num, _offset, label, title) in enumerate(self.items):
                line = Text(label, style="bold")
                line.append(f"\n  {title}", style="dim")
                options.append(Option(line, id=str(i)))
            yield OptionList(*options)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        num, offset, _label, _title = self.items[int(event.option.id or 0)]
        self.dismiss((num, offset))
