"""Tree labels cut to the pane with "…", so a long heading or title never needs a sideways scroll."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree

from eduread.tui.frame_style import FrameStyle


class FittedTree(FrameStyle, Tree):
    """A Tree whose labels end in "…" where the pane does; j/k/g/G move as they do in the text."""

    DEFAULT_CSS = "FittedTree { overflow-x: hidden; }"
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_home", "First", show=False),
        Binding("G", "scroll_end", "Last", show=False),
    ]

    def process_label(self, label: str | Text) -> Text:
        """A label as plain text: titles and headings are the report's words, never markup (and
        reading markup would load rich's emoji table, 3 ms before the first frame). Its first line
        only, as Textual's own keeps: a tree row is one line."""
        text = Text(label) if isinstance(label, str) else label
        return text.split()[0] if "\n" in text.plain else text

    def render_label(self, node, base_style, style) -> Text:
        text = super().render_label(node, base_style, style)
        depth, parent = 0, node.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        if self.show_root:
            depth += 1
        room = self.scrollable_content_region.width - depth * self.guide_depth - 1
        if room > 1 and text.cell_len > room:
            text.truncate(room, overflow="ellipsis")
        return text
