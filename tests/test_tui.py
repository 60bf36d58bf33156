"""The reader driven with keys through Textual's pilot, on the real seeds, with XDG dirs in a temp dir."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SEEDS, report_num, seeded_library
from eduread.library.rows import Rows
from eduread.library.store import Library
from eduread.parse import parse_file
from eduread.text.wrap import NO_END, NO_START, wrap_body
from eduread.tui.app import ReaderApp
from eduread.tui.place_tree import Leaf, PlaceTree
from eduread.tui.report_view import ReportView
from eduread.tui.side_panel import FiguresTable, OutlineTree

_seeded = seeded_library
_num = report_num


async def _settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()


@pytest.mark.parametrize("width", list(range(20, 121, 7)) + [120])
def test_wrap_rules_hold_at_every_width(width: int) -> None:
    for seed in sorted(SEEDS.glob("*.txt")):
        report = parse_file(seed)
        figures = [(f.start, f.end) for f in report.figures]
        lines = wrap_body(report.body, width, figures, {s.start for s in report.all_sections()})
        from rich.cells import cell_len

        for start, end in lines:
            if start < 0:
                continue
            text = report.body[start:end]
            assert cell_len(text) <= width
            if start > 0 and report.body[start - 1] != "\n":
                assert text[:1] not in NO_START, (seed.name, width, text)
            assert text[-1:] not in NO_END, (seed.name, width, text)
            for f_start, f_end in figures:
                assert not (f_start < start < f_end), (seed.name, width, report.body[f_start:f_end])


def test_tree_labels_given_as_text_are_never_markup() -> None:
    """A title or heading is the report's words: brackets and colons stay as they are written."""
    for tree in (PlaceTree(), OutlineTree("outline")):
        assert tree.process_label("[b]规划[/b] :smile: [link=x]").plain == "[b]规划[/b] :smile: [link=x]"
        assert tree.process_label("一、总体要求\n二、重点任务").plain == "一、总体要求"  # a row is one line


@pytest.mark.parametrize(("width", "panel"), [(100, False), (109, False), (110, True)])
async def test_the_panel_shows_by_itself_only_where_the_tree_keeps_its_place(
    tmp_path: Path, width: int, panel: bool
) -> None:
    """The panel comes after the first frame; where all three panes do not fit, its coming must
    not send away the tree that frame showed."""
    app = ReaderApp(_seeded(tmp_path))
    async with app.run_test(size=(width, 30)) as pilot:
        await _settle(pilot)
        assert not app.query_one(PlaceTree).has_class("-hidden")
        assert app.query_one("#panel").has_class("-hidden") is not panel
        await pilot.press("o")  # the panel toggles; where all three do not fit, the tree steps aside
        await _settle(pilot)
        assert app.query_one("#panel").has_class("-hidden") is panel
        assert app.query_one(PlaceTree).has_class("-hidden") is not panel


async def test_a_report_whose_text_states_no_title_goes_by_its_file_name(tmp_path: Path) -> None:
    """035.txt (西宁's 2017 summary) states neither a title nor its genre's word: the tree and the
    header call it by its file's name and its part by its kind, not an empty "(untitled)" "2017"."""
    from corpus import CORPUS, available

    if not available():
        pytest.skip("the shared corpus is not beside this checkout")
    from eduread.library.importer import import_paths

    folder = _seeded(tmp_path)
    library = Library(folder)
    import_paths(library, [str(CORPUS / "035.txt")], keywords=False)
    (entry,) = library.entries(place="西宁")
    library.close()
    assert entry.title == "" and entry.shown_title == "(untitled: 035.txt)"
    app = ReaderApp(folder, open_num=entry.num)
    async with app.run_test(size=(120, 35)) as pilot:
        await _settle(pilot)
        header = str(app.query_one("#report-header").render())
        assert "(untitled: 035.txt)" in header and "2017总结" in header, header
        labels = [str(n.label) for n in _walk(app.query_one(PlaceTree).root)]
        assert "2017 总结" in labels


async def test_open_report_outline_and_figure_jump(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    app = ReaderApp(folder)
    async with app.run_test(size=(140, 40)) as pilot:
        await _settle(pilot)
        tree = app.query_one(PlaceTree)
        num = _num(folder, "怀化")
        app.reader.reveal(num)
        await _settle(pilot)
        leaf = next(n for n in _walk(tree.root) if isinstance(n.data, Leaf) and n.data.num == num)
        tree.focus()
        tree.move_cursor(leaf)
        await pilot.press("enter")
        await _settle(pilot)
        view = app.query_one(ReportView)
        assert view.report is not None and view.report.place.name == "怀化市"
        assert "怀化市教育局2019年工作总结" in str(app.query_one("#report-header").render())
        outline = app.query_one(OutlineTree)
        outline.focus()
        target = next(
            n for n in _walk(outline.root) if n.data is not None and n.data.title == "教育扶贫扎实推进"
        )
        outline.move_cursor(target)
        await pilot.press("enter")
        await _settle(pilot)
        assert view.report.body[view.top_offset() :].startswith("(六)教育扶贫扎实推进")
        await pilot.press("f")
        await _settle(pilot)
        table = app.query_one(FiguresTable)
        assert table.has_focus and table.row_count > 50
        await pilot.press("down", "enter")
        await _settle(pilot)
        start, end = view.hits[0]
        assert view.report.body[start:end] in {r[7] for r in table.figure_rows}


async def test_find_in_report_counts_and_cycles(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    app = ReaderApp(folder, open_num=_num(folder, "天门"))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        await pilot.press("slash")
        await pilot.press(*"教师")
        await pilot.press("enter")
        await _settle(pilot)
        view = app.query_one(ReportView)
        expected = view.report.body.count("教师")
        assert len(view.hits) == expected > 3
        status = str(app.query_one("#status").render())
        assert status.endswith(f"/{expected}")
        first = view.current_hit
        await pilot.press("n")
        assert view.current_hit == (first + 1) % expected
        await pilot.press("N", "N")
        assert view.current_hit == (first - 1) % expected


@pytest.mark.parametrize("size", [(120, 35), (80, 24)])
async def test_library_search_opens_report_at_hit(tmp_path: Path, size: tuple[int, int]) -> None:
    """The first report of a session too: no report was on screen before it."""
    folder = _seeded(tmp_path)
    app = ReaderApp(folder)
    async with app.run_test(size=size) as pilot:
        await _settle(pilot)
        await pilot.press("s")
        await _settle(pilot)
        await pilot.press(*"新增学位")
        await pilot.press("enter")
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        view = app.query_one(ReportView)
        assert view.report is not None and view.report.place.name == "怀化市"
        start, end = view.hits[view.current_hit]
        assert view.report.body[start:end] == "新增学位"
        top = int(view.scroll_offset.y)
        assert top > 0 and top <= view.line_of(start) < top + view.size.height


async def test_theme_switch_persists_and_builtin_theme_works(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    app = ReaderApp(folder, open_num=_num(folder, "怀化"))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        assert {"eduread-dark", "eduread-light", "eduread-contrast"} <= set(app.available_themes)
        app.theme = "textual-light"  # a built-in theme defines none of our variables
        await _settle(pilot)
        assert app.query_one(ReportView).render_line(0) is not None
        app.theme = "eduread-light"
        await _settle(pilot)
    app2 = ReaderApp(folder)
    async with app2.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        assert app2.theme == "eduread-light"


async def test_bookmark_and_position_survive_restart(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    num = _num(folder, "长沙")
    app = ReaderApp(folder, open_num=num)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        await pilot.press(
            "ctrl+d", "ctrl+d", "ctrl+d", "ctrl+d", "ctrl+d", "ctrl+d", "space", "space", "space", "j"
        )
        await _settle(pilot)
        await pilot.press("m")
        await _settle(pilot)
        position = app.query_one(ReportView).top_offset()
        assert position > 1000
        await pilot.press("q")
    app2 = ReaderApp(folder)
    async with app2.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        view = app2.query_one(ReportView)
        assert app2.reader.current_num == num
        assert view.line_of(view.top_offset()) == view.line_of(position)
        await pilot.press("g")
        await pilot.press("B")
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        assert view.line_of(view.top_offset()) == view.line_of(position)


async def test_markup_like_text_and_narrow_terminal(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    lib = Library(folder)
    text = (
        (SEEDS / "004_b2038b0e5d3d19c3.txt")
        .read_text(encoding="utf-8")
        .replace("一是坚持党建领航", "一是坚持[bold]党建[/bold]领航")
    )
    from eduread.library.importer import read_report

    path = tmp_path / "markup.txt"
    path.write_text(text, encoding="utf-8")
    report, original = read_report(path)
    num = lib.add_batch([Rows.of(report, original, str(path))])[0]
    lib.close()
    app = ReaderApp(folder, open_num=num)
    async with app.run_test(size=(60, 20)) as pilot:
        await _settle(pilot)
        view = app.query_one(ReportView)
        view.scroll_to_offset(view.report.body.index("[bold]"))
        await _settle(pilot)
        screen = "\n".join(str(view.render_line(y).text) for y in range(view.size.height))
        assert "[bold]党建[/bold]" in screen.replace("\n", "")


async def test_broken_stored_parse_shows_message(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    num = _num(folder, "天门")
    lib = Library(folder)
    with lib.transaction() as conn:
        conn.execute("UPDATE parses SET data = '{broken' WHERE num = ?", (num,))
    lib.close()
    app = ReaderApp(folder, open_num=num)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        view = app.query_one(ReportView)
        assert view.report is None and "cannot be shown" in view.message_text


async def test_help_lists_bindings(tmp_path: Path) -> None:
    app = ReaderApp(_seeded(tmp_path))
    async with app.run_test(size=(100, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("question_mark")
        await _settle(pilot)
        from eduread.tui.screens.help_screen import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


def _walk(node):
    for child in node.children:
        yield child
        yield from _walk(child)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")
def test_end_to_end_in_tmux(tmp_path: Path) -> None:
    session = f"eduread-test-{tmp_path.name}"
    home = tmp_path / "home"
    cmd = f"EDUREAD_HOME={home} {sys.executable} -m eduread {SEEDS / '000_74b69ab3a17d35dc.txt'}"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", cmd], check=True)
    try:

        def screen() -> str:
            return subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout

        def wait_for(text: str) -> str:
            deadline = time.time() + 20
            while time.time() < deadline:
                shown = screen()
                if text in shown:
                    return shown
                time.sleep(0.2)
            raise AssertionError(f"{text!r} never appeared:\n{screen()}")

        wait_for("怀化市教育局2019年工作总结")

        def keys(*names: str) -> None:
            for name in names:
                subprocess.run(["tmux", "send-keys", "-t", session, name], check=True)
                time.sleep(0.4)

        # The find box mounts just after the first frame: a "/" pressed before it is lost, as a
        # person would see and press again; keys typed before the box is up would go to the report.
        for _attempt in range(10):
            keys("/")
            if "find in this report" in screen():
                break
            time.sleep(0.5)
        wait_for("find in this report")
        keys("大班额", "Enter")
        wait_for("1/8")
        keys("s", "教师队伍")
        wait_for("12 occurrences in 4 reports")
        keys("Escape", "Escape", "c", "c")
        shown = wait_for("怀化市 2019 工作总结  ⇄  怀化市 2020 工作计划")
        assert "1/9 党建与政治建设" in shown
        keys("n", "n")
        shown = wait_for("3/9 学校建设与学位供给")
        assert "4.07万个" in shown and "2.86万个以上" in shown and "-1.21万个" in shown
        keys("Escape", "q")
        deadline = time.time() + 10
        while (
            time.time() < deadline
            and subprocess.run(["tmux", "has-session", "-t", session], capture_output=True).returncode == 0
        ):
            time.sleep(0.2)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_first_frame_loads_neither_jieba_nor_the_parser(tmp_path: Path) -> None:
    """Start-up reads metadata and draws; the parser, jieba, numpy and the side panel come later or never."""
    folder = _seeded(tmp_path)
    code = f"""
import sys
from eduread.tui.app import ReaderApp
from eduread.tui.screens.reader_screen import ReaderScreen

class FirstScreen(ReaderScreen):
    async def _after_first_frame(self):
        heavy = ("jieba", "numpy", "eduread.parse.report", "eduread.tui.side_panel", "textual.widgets._data_table",
                 "plotext", "textual_plotext", "xlsxwriter", "eduread.tui.screens.charts", "opencc", "docx",
                 "pypdfium2")
        loaded = [m for m in heavy if m in sys.modules]
        print("LOADED", loaded, "REPORT", self.view.report is not None, "TREE", len(self.tree.root.children))
        self.app.exit()

class FirstFrame(ReaderApp):
    CSS_PATH = {str(Path(__file__).resolve().parent.parent / "src/eduread/tui/app.tcss")!r}

    def get_default_screen(self):
        return FirstScreen()

FirstFrame({folder!r}).run(headless=True, size=(100, 30))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "LOADED [] REPORT True TREE 4" in out.stdout, out.stdout + out.stderr


async def test_no_color_gives_grey_lines_with_figures_still_bold(tmp_path: Path, monkeypatch) -> None:
    from textual.color import Color

    monkeypatch.setenv("NO_COLOR", "1")
    folder = _seeded(tmp_path)
    app = ReaderApp(folder, open_num=_num(folder, "怀化"))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        assert app.no_color
        view = app.query_one(ReportView)
        figure = next(f for f in view.report.figures if f.text == "4.07万个")
        view.scroll_to_offset(figure.start)
        await _settle(pilot)
        strip = view.render_line(0)
        for line_filter in app._filters:
            strip = strip.apply_filter(line_filter, Color.parse("black"))
        segments = list(strip)
        colours = [c for s in segments if s.style for c in (s.style.color, s.style.bgcolor) if c is not None]
        assert colours, "the line was drawn with styles"
        for colour in colours:
            r, g, b = colour.get_truecolor()
            assert r == g == b, colour  # monochrome
        bold = "".join(s.text for s in segments if s.style and s.style.bold)
        assert "4.07万个" in bold


async def test_mouse_opens_reports_and_jumps_by_outline(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    num = _num(folder, "天门")
    app = ReaderApp(folder)
    async with app.run_test(size=(130, 40)) as pilot:
        await _settle(pilot)
        tree = app.query_one(PlaceTree)
        app.reader.reveal(num)
        await _settle(pilot)
        leaf = next(n for n in _walk(tree.root) if isinstance(n.data, Leaf) and n.data.num == num)
        await pilot.click(PlaceTree, offset=(8, leaf.line - int(tree.scroll_offset.y)))
        await _settle(pilot)
        if app.reader.current_num != num:  # the first click moves the cursor, the second selects
            await pilot.click(PlaceTree, offset=(8, leaf.line - int(tree.scroll_offset.y)))
            await _settle(pilot)
        assert app.reader.current_num == num
        outline = app.query_one(OutlineTree)
        target = next(
            n for n in _walk(outline.root) if n.data is not None and n.data.title == "全力维护校园安全"
        )
        await pilot.click(OutlineTree, offset=(10, target.line - int(outline.scroll_offset.y)))
        await _settle(pilot)
        view = app.query_one(ReportView)
        assert view.report.body[view.top_offset() :].startswith("18. 全力维护校园安全")


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (120, 35)])
async def test_every_drawn_line_is_whole(tmp_path: Path, size: tuple[int, int]) -> None:
    """A line wrapped for one width and drawn at a narrower one (a scrollbar appearing) loses its end."""
    folder = _seeded(tmp_path)
    app = ReaderApp(folder)
    async with app.run_test(size=size) as pilot:
        await _settle(pilot)
        app.open_report(_num(folder, "怀化"))  # as from the tree: the view held only a message before
        await _settle(pilot)
        view = app.query_one(ReportView)
        assert view.max_scroll_y > 0  # long enough to need a scrollbar
        assert view._wrapped_width == view.scrollable_content_region.width
        top = int(view.scroll_offset.y)
        checked = 0
        for y in range(view.size.height):
            start, end = view._lines[top + y]
            if start < 0:
                continue
            drawn = "".join(segment.text for segment in view.render_line(y)).rstrip()
            assert drawn == view.report.body[start:end].rstrip(), (y, drawn)
            checked += 1
        assert checked > 5


async def test_keywords_arrive_in_the_background_and_find_in_the_report(tmp_path: Path) -> None:
    from eduread.tui.side_panel import KeywordList

    folder = _seeded(tmp_path)  # seeds are stored without word counts
    app = ReaderApp(folder, open_num=_num(folder, "怀化"))
    async with app.run_test(size=(120, 35)) as pilot:
        await _settle(pilot)
        await app.workers.wait_for_complete()
        await _settle(pilot)
        assert str(app.query_one("#activity").render()) == ""  # done
        keywords = app.query_one(KeywordList)
        await pilot.press("K")
        await _settle(pilot)
        assert keywords.has_focus and app.query_one("#panel-tabs").active == "tab-keywords"
        assert len(keywords.words) == 20 and "教育" not in keywords.words[:5]
        assert "芙蓉" in "".join(keywords.words) or "大班额" in keywords.words
        assert "怀化" not in "".join(keywords.words)  # its own place says nothing
        await pilot.press("enter")
        await _settle(pilot)
        view = app.query_one(ReportView)
        word = keywords.words[0]
        assert view.hits and view.report.body[slice(*view.hits[view.current_hit])] == word
        assert str(app.query_one("#status").render()).endswith(f"/{view.report.body.count(word)}")


async def test_a_library_of_an_older_version_is_upgraded_off_the_first_frame(tmp_path: Path) -> None:
    import sqlite3

    from eduread.library import schema
    from eduread.library.store import needs_upgrade

    folder = _seeded(tmp_path)
    conn = sqlite3.connect(Path(folder) / "library.sqlite3", isolation_level=None)
    conn.execute("DROP TABLE char_counts")  # as version 6 left it
    conn.execute("ALTER TABLE texts DROP COLUMN simplified")
    conn.execute("UPDATE state SET value = '6' WHERE key = 'schema'")
    conn.close()
    assert needs_upgrade(folder)
    app = ReaderApp(folder)
    assert app.library is None and "upgrading" in app.library_error  # the first frame says so
    seen: list[str] = []
    real = ReaderApp._say_preparing
    ReaderApp._say_preparing = lambda self, message: seen.append(message) or real(self, message)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            for _ in range(50):
                await pilot.pause(0.05)
                if app.library is not None and app.reader.tree.total:
                    break
            assert app.reader.tree.total == 5 and app.reader.view.report is not None
    finally:
        ReaderApp._say_preparing = real
    assert seen and seen[-1].startswith("upgrading the library: 5 of 5")
    assert not needs_upgrade(folder)
    check = Library(folder, seed=False)
    assert schema.version(check.conn) == schema.SCHEMA_VERSION and check.count() == 5
    check.close()


async def test_the_tree_moves_with_the_texts_keys(tmp_path: Path) -> None:
    app = ReaderApp(_seeded(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("l")  # the library pane, as a user gets there
        await _settle(pilot)
        tree = app.reader.tree
        assert tree.has_focus
        await pilot.press("G")
        await _settle(pilot)
        assert tree.cursor_line == tree.last_line > 5
        await pilot.press("g")
        await _settle(pilot)
        assert tree.cursor_line == 0
        for key, line in (("j", 1), ("j", 2), ("k", 1)):
            await pilot.press(key)
            await _settle(pilot)
            assert tree.cursor_line == line, key
        folder = tree.cursor_folder()
        assert folder is not None
        app.library_changed()  # another process wrote (the reader's own keyword upkeep does, at start)
        await pilot.pause(0.3)
        await _settle(pilot)
        assert tree.cursor_folder() == folder  # the cursor stays on its folder, not the open report
        deep = max(
            (n.data.path for n in _nodes(tree) if n.data is not None and hasattr(n.data, "path")), key=len
        )
        tree.load(app.library.tree_groups())  # a large library reloads collapsed: the way is opened
        tree.move_to_folder(deep, 0)
        await _settle(pilot)
        assert tree.cursor_folder() == deep and len(deep) >= 4


def _nodes(tree):
    stack = list(tree.root.children)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)
