"""The left pane: reports by province → place → year → part (or year first), filled as it opens.

The first level comes from one grouped query, so a library of any size draws at once; a node's
reports are read when it is first expanded. Documents that are not a bureau's report and reports
with something left to settle have nodes of their own, never mixed among the reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from eduread.library.store import Entry
from eduread.tui.labels import FittedTree

SPECIAL = {"review": "待核对 / needs review", "other": "其他文档 / other documents"}
UNKNOWN_PROVINCE = "(unknown province)"


@dataclass
class Leaf:
    """A report part in the tree: opening it opens the report at that part."""

    num: int
    part: int | None = None  # index into the report's parts (None: the whole report)


@dataclass
class Group:
    """A folder in the tree whose children are made when it is first expanded."""

    group: str  # "province", "year", "review", "other"
    key: str | int | None
    depth: int
    entries: list[Entry] | None = None  # None until read
    year: int | None = None  # the year a year folder (or a folder under one) stands for
    path: tuple = field(default_factory=tuple)


def _province(e: Entry) -> str:
    return e.place_path[0] if e.place_path else ""


def _place(e: Entry) -> str:
    return e.place_path[-1] if e.place_path else (e.place_name or "(unknown place)")


def _years(e: Entry) -> list[int | None]:
    return list(e.years) or [None]


class PlaceTree(FittedTree):
    """Browse the library by place and year; Enter on a part opens its report there."""

    DEFAULT_CSS = """
    PlaceTree { width: 30; border-right: solid $panel-lighten-2; overflow-x: hidden; }
    PlaceTree:focus { border-right: thick $accent; }
    PlaceTree.-hidden { display: none; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("library", **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self.year_first = False
        self.fetch: Callable[[str, str | int | None], list[Entry]] = lambda group, key: []
        self.total = 0

    # ---- filling -------------------------------------------------------------------------------

    def load(
        self,
        groups: list[tuple[str, str | int | None, int]],
        year_first: bool | None = None,
        *,
        open_up_to: int = 0,
    ) -> None:
        """Rebuild the first level from tree_groups rows (group, key, count); a library of at most
        `open_up_to` reports is filled and opened all the way down (a small one reads best so)."""
        if year_first is not None:
            self.year_first = year_first
        self.clear()
        self.total = sum(count for _g, _k, count in groups)
        main = [g for g in groups if g[0] not in SPECIAL and g[2]]
        if self.year_first:
            main.sort(key=lambda g: -1 if g[1] is None else -int(g[1]))  # newest first, no year last
        else:
            main.sort(key=lambda g: (not g[1], str(g[1])))
        order = [*main, *(g for name in SPECIAL for g in groups if g[0] == name)]
        open_all = self.total <= open_up_to
        for group, key, count in order:
            if group in SPECIAL:
                label = Text(SPECIAL[group])
            elif group == "year":
                label = Text(f"{key}年" if key is not None else "(no year)")
            else:
                label = Text(str(key) or UNKNOWN_PROVINCE)
            label.append(f" {count}", style="dim")
            data = Group(group, key, 1, year=key if group == "year" else None, path=(group, key))  # type: ignore[arg-type]
            node = self.root.add(label, data=data, expand=open_all)
            if open_all:
                self._fill(node, open_all=True)
        if self.root.children:
            self.call_after_refresh(self._cursor_home)

    def _cursor_home(self) -> None:
        if self.cursor_line < 0 and self.root.children:
            self.move_cursor(self.root.children[0])

    def _levels(self, group: Group) -> list[tuple[str, Callable]]:
        if group.group in SPECIAL:
            return []
        if self.year_first:
            return [("province", _province), ("place", _place)]
        return [("place", _place), ("year", _years)]

    def _fill(self, node: TreeNode, open_all: bool = False) -> None:
        """A folder's children; with `open_all`, each opened and filled in turn (made open, as
        Textual's expand() would post a message for each, which the first frame would wait for)."""
        data = node.data
        assert isinstance(data, Group)
        if data.entries is None:
            data.entries = self.fetch(data.group, data.key)
        levels = self._levels(data)
        depth = data.depth - 1
        if depth >= len(levels):
            self._add_leaves(node, data)
            return
        name, key = levels[depth]
        groups: dict = defaultdict(list)
        for e in data.entries:
            keys = key(e)
            for k in keys if isinstance(keys, list) else [keys]:
                groups[k].append(e)
        if name == "year":
            order = sorted(groups, key=lambda k: -1 if k is None else -k)
        else:
            order = sorted(groups)
        for k in order:
            members = groups[k]
            if name == "year":
                label = Text(f"{k}年" if k is not None else "(no year)")
            else:
                label = Text(str(k) or UNKNOWN_PROVINCE)
            label.append(f" {len(members)}", style="dim")
            year = k if name == "year" else data.year
            child = node.add(
                label,
                data=Group(data.group, data.key, data.depth + 1, members, year, (*data.path, k)),
                expand=open_all,
            )
            if open_all:
                self._fill(child, open_all=True)

    def _add_leaves(self, node: TreeNode, data: Group) -> None:
        special = data.group in SPECIAL
        for e in sorted(data.entries or [], key=lambda e: (e.published or "", e.num)):
            if special:
                years = "/".join(map(str, e.years)) or "—"
                label = Text(f"{e.place_name or '?'} {years} ")
                label.append(e.shown_title, style="dim")
                if data.group == "review" and e.review:
                    label.append(f"  ({', '.join(e.review)})", style="italic")
                node.add_leaf(label, data=Leaf(e.num))
                continue
            indexed = list(enumerate(e.parts))
            chosen = [(i, p) for i, p in indexed if data.year is None or p.year == data.year] or indexed
            for i, part in chosen:
                year = "" if part.year is None else f"{part.year} "
                label = Text(f"{year}{part.word}")
                if self.year_first:
                    label.append(f"  {_place(e)}", style="dim")
                node.add_leaf(label, data=Leaf(e.num, i if len(e.parts) > 1 else None))
            if not e.parts:
                node.add_leaf(Text(e.shown_title), data=Leaf(e.num))

    def on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:
        node = event.node
        if isinstance(node.data, Group) and not node.children:
            self._fill(node)

    # ---- finding -------------------------------------------------------------------------------

    def reveal(self, entry: Entry, part: int | None = None) -> None:
        """Expand the path to a report (its part when given) and move the cursor there."""
        top_key: tuple[str, object]
        if entry.group != "report":
            top_key = (entry.group, None)
        elif self.year_first:
            year = entry.parts[part].year if part is not None and part < len(entry.parts) else None
            top_key = ("year", year if year is not None else (entry.years[0] if entry.years else None))
        else:
            top_key = ("province", _province(entry))
        top = next(
            (n for n in self.root.children if isinstance(n.data, Group) and n.data.path == top_key), None
        )
        if top is None:
            return

        def find(node: TreeNode) -> TreeNode | None:
            if isinstance(node.data, Group):
                known = node.data.entries  # a folder below the first level knows its reports
                if known is not None and not any(e.num == entry.num for e in known):
                    return None  # not there: left closed and unfilled
                if not node.children:
                    self._fill(node)
                members = node.data.entries or []
                if not any(e.num == entry.num for e in members):
                    return None
                node.expand()
            leaves = [c for c in node.children if isinstance(c.data, Leaf) and c.data.num == entry.num]
            if leaves:
                return next((c for c in leaves if c.data.part == part), leaves[0])
            groups = [c for c in node.children if isinstance(c.data, Group)]
            if part is not None and part < len(entry.parts):
                wanted = entry.parts[part].year
                groups.sort(key=lambda c: c.data.year != wanted)
            for child in groups:
                found = find(child)
                if found is not None:
                    return found
            return None

        leaf = find(top)
        if leaf is not None:
            self.call_after_refresh(self.move_cursor, leaf)

    def cursor_leaf(self) -> Leaf | None:
        """The report part under the cursor, if the cursor is on one."""
        node = self.cursor_node
        return node.data if node is not None and isinstance(node.data, Leaf) else None

    def cursor_folder(self) -> tuple | None:
        """The path of the folder under the cursor (province, place, year …), if it is on one."""
        node = self.cursor_node
        return node.data.path if node is not None and isinstance(node.data, Group) else None

    def move_to_folder(self, path: tuple, line: int) -> None:
        """Put the cursor back on a folder after a reload, opening the folders above it (on the
        same line if the folder is gone)."""
        node = self.root
        for depth in range(2, len(path) + 1):  # a path is (group, key, then one key per level)
            child = next(
                (c for c in node.children if isinstance(c.data, Group) and c.data.path == path[:depth]), None
            )
            if child is None:
                self.cursor_line = min(line, self.last_line)
                return
            if depth < len(path):
                if not child.children:
                    self._fill(child)
                child.expand()
            node = child
        self.call_after_refresh(self.move_cursor, node)
