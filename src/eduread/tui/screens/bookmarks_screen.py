"""The bookmarks list: every saved place, newest first; Enter opens it, d deletes it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from eduread.text.names import counted
from eduread.tui.messages import OpenReport


class BookmarksScreen(ModalScreen[None]):
    """Lists the library's bookmarks; choosing one opens its report there."""

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close"),
        Binding("d,delete", "delete", "Delete bookmark"),
    ]
    DEFAULT_CSS = """
    BookmarksScreen { align: center middle; }
    BookmarksScreen > Vertical { width: 80%; height: 70%; border: round $accent; background: $panel; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[int, int, str, str]] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("", id="bookmarks-title")
            yield OptionList(id="bookmarks")

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def _fill(self, keep: int = 0) -> None:
        self.items = self.app.library.bookmarks()  # type: ignore[attr-defined]
        title = (
            f"{counted(len(self.items), 'bookmark')} · Enter opens · d deletes"
            if self.items
            else "No bookmarks yet: press m in a report."
        )
        self.query_one("#bookmarks-title", Label).update(Text(title))
        options = []
        for i, (_num, _offset, label, report_title) in enumerate(self.items):
            line = Text(label, style="bold")
            line.append(f"\n  {report_title}", style="dim")
            options.append(Option(line, id=str(i)))
        bookmarks = self.query_one(OptionList)
        bookmarks.clear_options()
        bookmarks.add_options(options)
        if options:
            bookmarks.highlighted = min(keep, len(options) - 1)

    def action_delete(self) -> None:
        bookmarks = self.query_one(OptionList)
        index = bookmarks.highlighted
        if index is None or index >= len(self.items):
            return
        num, offset, label, _title = self.items[index]
        self.app.library.remove_bookmark(num, offset)  # type: ignore[attr-defined]
        self._fill(index)
        self.notify(f"deleted bookmark: {label}", markup=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        num, offset, _label, _title = self.items[int(event.option.id or 0)]
        self.app.post_message(OpenReport(num, offset))
        self.dismiss(None)
