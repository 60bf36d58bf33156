"""Pop-up messages that keep every Chinese character where they cross a pane's edge.

Textual's compositor cuts each screen line at every widget's edge, including the edges of panes
under a pop-up; a double-width character that straddles such a cut is replaced by two spaces
(Textualize/textual#6357), so "bookmarked: 1.加快学校建设" showed as "1.加快  校建设". This toast
moves a character that would straddle a cut one cell to the right, so no cut falls inside it.
"""

from __future__ import annotations

from rich.cells import get_character_cell_size
from rich.segment import Segment
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import _toast


class CutSafeToast(_toast.Toast):
    """A toast whose wide characters never straddle the screen's cut positions."""

    def render_lines(self, crop: Region) -> list[Strip]:
        strips = super().render_lines(crop)
        try:
            cuts = self.screen._compositor.cuts
        except Exception:  # no compositor map yet: nothing to avoid
            return strips
        x0 = self.region.x + crop.x
        y0 = self.region.y + crop.y
        out = []
        for i, strip in enumerate(strips):
            y = y0 + i
            inside = (
                [c - x0 for c in cuts[y] if x0 < c < x0 + strip.cell_length] if 0 <= y < len(cuts) else []
            )
            out.append(shift_wide(strip, inside) if inside else strip)
        return out


def shift_wide(strip: Strip, cuts: list[int]) -> Strip:
    """The strip with a space before each wide character that would straddle a cut, same width."""
    at = set(cuts)
    width = strip.cell_length
    segments: list[Segment] = []
    pos = 0
    for text, style, control in strip:
        if control:
            segments.append(Segment(text, style, control))
            continue
        chars: list[str] = []
        for ch in text:
            size = get_character_cell_size(ch)
            while size == 2 and pos + 1 in at:
                chars.append(" ")
                pos += 1
            chars.append(ch)
            pos += size
        segments.append(Segment("".join(chars), style))
    return Strip(segments).crop(0, width)


def install() -> None:
    """Make Textual's notifications use the cut-safe toast (its toast rack builds them by name)."""
    _toast.Toast = CutSafeToast  # type: ignore[misc]
