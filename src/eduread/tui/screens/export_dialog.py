"""Ask for a file name before exporting a table; an existing file is replaced only when confirmed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from eduread.analysis.exports import ExportError, check_target, format_of, write_table


class ExportDialog(ModalScreen[Path | None]):
    """Writes the table to the file typed (.csv, .xlsx or .json) and returns its path, or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical { width: 80%; max-width: 100; height: auto; border: round $accent;
                              background: $panel; padding: 0 1; }
    ExportDialog Label { width: 100%; }  /* wraps in a narrow terminal */
    ExportDialog #export-message { color: $text-muted; }
    ExportDialog #export-message.-warn { color: $warning; }
    """

    def __init__(
        self, columns: Sequence[str], rows: Sequence[Sequence[object]], suggested: str, sheet: str = "eduread"
    ) -> None:
        super().__init__()
        self.columns = columns
        self.rows = rows
        self.suggested = suggested
        self.sheet = sheet
        self._confirm: str | None = None  # a name already shown as existing: Enter again replaces it

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Export {len(self.rows):,} rows to a file (.csv opens in Excel, .xlsx, .json)"))
            yield Input(value=str(Path.cwd() / self.suggested), id="export-path")
            yield Label(Text("Enter writes · Escape cancels"), id="export-message")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _say(self, text: str, warn: bool = False) -> None:
        label = self.query_one("#export-message", Label)
        label.update(Text(text))
        label.set_class(warn, "-warn")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            return
        path = Path(name).expanduser()
        force = self._confirm == name
        try:
            format_of(path)
            check_target(path, force=force)
        except ExportError as err:
            if path.exists() and not path.is_dir() and "already exists" in str(err):
                self._confirm = name
                self._say(f"{path} exists: Enter again replaces it, or change the name", warn=True)
            else:
                self._say(str(err), warn=True)
            return
        try:
            target = write_table(path, self.columns, self.rows, force=force, sheet=self.sheet)
        except ExportError as err:
            self._say(str(err), warn=True)
            return
        self.dismiss(target)
