"""The left pane: reports grouped province → place → year → part, or year first; filled lazily."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from eduread.library.store import Entry


@dataclass
class Leaf:
    """A report part in the tree: opening it opens the report."""

    num: int


@dataclass
class Group:
    """A folder in the tree whose children are made when it is first expanded."""

    entries: list[Entry]
    depth: int


def _province(e: Entry) -> str:
    return e.place_path[0] if e.place_path else "(unknown province)"


def _place(e: Entry) -> str:
    return e.place_path[-1] if e.place_path else (e.place_name or "(unknown place)")


class PlaceTree(Tree):
    """Browse the library by place and year; Enter on a part opens its report."""

    DEFAULT_CSS = """
    PlaceTree { width: 30; border-right: solid $panel-lighten-2; }
    PlaceTree.-hidden { display: none; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("library", **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self.year_first = False
        self.entries: list[Entry] = []

    def load(self, entries: list[Entry], year_first: bool | None = None) -> None:
        """Rebuild the top level from the library's entries."""
        if year_first is not None:
            self.year_first = year_first
        self.entries = entries
        self.clear()
        self._fill(self.root, entries, 0)

    def _levels(self) -> list:
        def year_key(e: Entry) -> list[int]:
            return e.years or [0]

        if self.year_first:
            return [("year", year_key), ("province", _province), ("place", _place)]
        return [("province", _province), ("place", _place), ("year", year_key)]

    def _fill(self, node: TreeNode, entries: list[Entry], depth: int) -> None:
        levels = self._levels()
        if depth >= len(levels):
            for e in sorted(entries, key=lambda e: (e.published or "", e.num)):
                year = node.data.year if isinstance(node.data, Group) and hasattr(node.data, "year") else None
                parts = [p for p in e.parts if year is None or p["year"] == year] or e.parts
                for part in parts:
                    label = Text(f"{part['year']} {part['label']}")
                    if len(e.parts) > 1:
                        label.append(f"  ({e.place_name})" if self.year_first else "", style="dim")
                    node.add_leaf(label, data=Leaf(e.num))
            return
        name, key = levels[depth]
        groups: dict = defaultdict(list)
        for e in entries:
            keys = key(e)
            for k in keys if isinstance(keys, list) else [keys]:
                groups[k].append(e)
        order = sorted(groups, reverse=(name == "year"))
        for k in order:
            members = groups[k]
            label = Text(str(k) if name != "year" else (f"{k}年" if k else "(no year)"))
            label.append(f" {len(members)}", style="dim")
            group = Group(members, depth + 1)
            if name == "year":
                group.year = k  # type: ignore[attr-defined]
            elif depth > 0 and isinstance(node.data, Group) and hasattr(node.data, "year"):
                group.year = node.data.year  # type: ignore[attr-defined]
            child = node.add(label, data=group, expand=False)
            child.allow_expand = True

    def on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:
        node = event.node
        if isinstance(node.data, Group) and not node.children:
            self._fill(node, node.data.entries, node.data.depth)

    def reveal(self, num: int) -> None:
        """Expand the path to a report's first leaf and move the cursor there."""

        def find(node: TreeNode) -> TreeNode | None:
            for child in node.children:
                if isinstance(child.data, Leaf) and child.data.num == num:
                    return child
                if isinstance(child.data, Group) and any(e.num == num for e in child.data.entries):
                    if not child.children:
                        self._fill(child, child.data.entries, child.data.depth)
                    child.expand()
                    found = find(child)
                    if found:
                        return found
            return None

        leaf = find(self.root)
        if leaf is not None:
            self.call_after_refresh(self.move_cursor, leaf)
