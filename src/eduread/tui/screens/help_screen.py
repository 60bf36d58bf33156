"""`?`: every key binding of the focused widget and the app, generated from the bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """Key help built from live bindings, so it can never drift from what the keys do."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 76; height: 90%; border: round $accent; background: $panel; padding: 0 1; }
    """

    def __init__(self, groups: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.groups = groups
        self.rows: list[tuple[str, str, str]] = []  # (group, keys as shown, what they do)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            for title, bindings in self.groups:
                table = Table(title=title, title_justify="left", box=None, show_header=False, expand=True)
                table.add_column("keys", style="bold", width=22)
                table.add_column("action")
                seen = set()
                for b in bindings:
                    if not b.description or b.description in seen:
                        continue
                    seen.add(b.description)
                    keys = ", ".join(
                        self.app.get_key_display(Binding(k.strip(), b.action)) for k in b.key.split(",")
                    )
                    what = b.tooltip or b.description  # the footer's word, or the longer name it has
                    table.add_row(Text(keys), Text(what))
                    self.rows.append((title, keys, what))
                yield Static(table)
