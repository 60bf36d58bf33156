"""Escape on a screen of filter boxes over a table: from a box it goes to the table, and the footer
says so; from the table it goes back. One behaviour for the figures, trends, topics and notes screens."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable, Input

# Two bindings of one key: the first whose action is allowed runs, and only it is in the footer.
ESCAPE = [
    Binding("escape", "leave_filter", "To the table"),
    Binding("escape", "back", "Back"),
]


class FiltersOverTable:
    """Mixed into a Screen (before it) whose DataTable sits under filter Inputs."""

    def _in_filter(self) -> bool:
        screen = self  # type: ignore[assignment]
        return isinstance(screen.focused, Input) and screen.query_one(DataTable).row_count > 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape's two actions: one or the other, by where the focus is."""
        if action == "leave_filter":
            return self._in_filter()
        if action == "back":
            return not self._in_filter()
        return super().check_action(action, parameters)  # type: ignore[misc]

    def action_leave_filter(self) -> None:
        self.query_one(DataTable).focus()  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.app.pop_screen()  # type: ignore[attr-defined]

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()  # type: ignore[attr-defined]  # the footer names what Escape does here
