"""A widget's style read once per frame: Textual works it out afresh (every ancestor's colours and
opacity) each time a line asks, and a tree or report asks once or more for every line it draws."""

from __future__ import annotations

from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip


class FrameStyle:
    """Mixed into a Widget subclass (before it): `rich_style` is fixed while its lines are drawn."""

    _frame_style: Style | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_style = super().rich_style  # type: ignore[misc]
        try:
            return super().render_lines(crop)  # type: ignore[misc]
        finally:
            self._frame_style = None

    @property
    def rich_style(self) -> Style:
        """The widget's style: the frame's while its lines are drawn, else worked out."""
        return self._frame_style or super().rich_style  # type: ignore[misc]
