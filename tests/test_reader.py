"""The reader as a newcomer meets it: themes, first launch, bookmarks, search dialog, layout, tree.

Driven with keys through Textual's pilot on the real seeds (and corpus files), in a temp library.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from textual.color import Color

from conftest import ROOT, SEEDS, report_num, seeded_library
from eduread.library.importer import import_paths
from eduread.library.store import Library
from eduread.text.wrap import NO_START, snippet_lines, wrap_body, wrap_text
from eduread.tui.app import ReaderApp
from eduread.tui.place_tree import SPECIAL, Leaf, PlaceTree
from eduread.tui.report_view import ReportView
from eduread.tui.screens.bookmarks_screen import BookmarksScreen
from eduread.tui.screens.compare_screen import ComparePane, CompareScreen
from eduread.tui.screens.help_screen import HelpScreen
from eduread.tui.screens.search_screen import SearchScreen
from eduread.tui.themes import load_theme

CORPUS = ROOT.parent / "shared" / "corpus"


_seeded = seeded_library
_num = report_num


def _setting(folder: str, key: str, value: str) -> None:
    lib = Library(folder)
    try:
        lib.set_setting(key, value)
    finally:
        lib.close()


async def _settle(pilot, rounds: int = 4) -> None:
    for _ in range(rounds):
        await pilot.pause()


def _walk(node):
    for child in node.children:
        yield child
        yield from _walk(child)


def _status(app) -> str:
    return str(app.screen.query_one("#status").render())


def _close(a: Color, b: Color) -> bool:
    return max(abs(a.r - b.r), abs(a.g - b.g), abs(a.b - b.b)) <= 2


def _line_background(view: ReportView) -> Color:
    segment = [s for s in view.render_line(0) if s.style and s.style.bgcolor][-1]  # the line's end
    return Color.from_rich_color(segment.style.bgcolor)


# ---- themes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["eduread-light", "eduread-dark"])
async def test_saved_theme_is_applied_on_start(tmp_path: Path, theme: str) -> None:
    folder = _seeded(tmp_path)
    _setting(folder, "theme", theme)
    expected = load_theme(ROOT / "themes" / f"{theme}.toml")
    app = ReaderApp(folder, open_num=_num(folder, "怀化"))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        view = app.screen.query_one(ReportView)
        assert app.theme == theme
        assert app.has_class("-light-mode" if theme.endswith("light") else "-dark-mode")
        assert app.screen.styles.background == Color.parse(expected.background)
        assert _line_background(view) == Color.parse(expected.surface)  # the body as drawn


async def test_switching_theme_repaints_the_compare_panes(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    app = ReaderApp(folder, open_num=_num(folder, "怀化"))
    async with app.run_test(size=(120, 35)) as pilot:
        await _settle(pilot)
        await pilot.press("c", "c")  # 怀化's two parts side by side
        await _settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        left = app.screen.query_one("#left", ComparePane)
        before = _line_background(left)
        app.theme = "eduread-light"
        await _settle(pilot)
        light = load_theme(ROOT / "themes" / "eduread-light.toml")
        assert _line_background(left) == Color.parse(light.surface) != before


# ---- first launch, focus, the tree -----------------------------------------------------------------


async def test_first_launch_opens_expanded_with_a_report_and_a_cursor(tmp_path: Path) -> None:
    app = ReaderApp(str(tmp_path / "new"))  # a new library: the bundled reports are added
    async with app.run_test(size=(120, 35)) as pilot:
        await _settle(pilot)
        await app.workers.wait_for_complete()
        await _settle(pilot, 8)
        tree = app.screen.query_one(PlaceTree)
        leaves = [n for n in _walk(tree.root) if isinstance(n.data, Leaf)]
        lib = Library(str(tmp_path / "new"))
        parts = sum(len(e.parts) for e in lib.entries())
        lib.close()
        assert len(leaves) == parts == 8  # 5 reports, 3 parts more: every folder open
        assert all(n.is_expanded for n in _walk(tree.root) if n.allow_expand)
        view = app.screen.query_one(ReportView)
        assert view.report is not None
        assert tree.cursor_node is not None and isinstance(tree.cursor_node.data, Leaf)
        assert tree.cursor_node.data.num == app.reader.current_num


async def test_removed_seeds_do_not_come_back(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    lib = Library(folder)
    lib.remove([e.id for e in lib.entries()])
    lib.close()
    app = ReaderApp(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        await app.workers.wait_for_complete()
        await _settle(pilot)
        assert app.screen.query_one(PlaceTree).total == 0
        assert "No reports yet" in app.screen.query_one(ReportView).message_text
    lib = Library(folder)
    assert lib.count() == 0
    lib.close()


async def test_focus_is_visible_and_l_focuses_the_tree(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    app = ReaderApp(folder, open_num=_num(folder, "怀化"))
    async with app.run_test(size=(120, 35)) as pilot:
        await _settle(pilot)
        view = app.screen.query_one(ReportView)
        tree = app.screen.query_one(PlaceTree)
        assert view.has_focus
        accent = app.current_theme.accent
        assert _close(view.styles.border_left[1], Color.parse(accent))
        await pilot.press("l")
        await _settle(pilot)
        assert tree.has_focus and tree.display and not tree.has_class("-hidden")
        assert _close(tree.styles.border_right[1], Color.parse(accent))
        assert not _close(view.styles.border_left[1], Color.parse(accent))
        await pilot.press("l")
        assert view.has_focus


async def test_tree_leaf_of_a_plan_part_opens_at_that_part(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    num = _num(folder, "怀化")
    app = ReaderApp(folder, open_num=_num(folder, "长沙"))
    async with app.run_test(size=(120, 35)) as pilot:
        await _settle(pilot)
        tree = app.screen.query_one(PlaceTree)
        leaf = next(
            n
            for n in _walk(tree.root)
            if isinstance(n.data, Leaf) and n.data.num == num and "2020" in str(n.label)
        )
        assert "2020 工作计划" in str(leaf.label)
        tree.focus()
        tree.move_cursor(leaf)
        await pilot.press("enter")
        await _settle(pilot)
        view = app.screen.query_one(ReportView)
        assert view.report.body[view.top_offset() :].startswith("二、2020年工作计划")


async def test_search_hit_in_a_summary_highlights_that_part_in_the_tree(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    app = ReaderApp(folder, open_num=_num(folder, "长沙"))
    async with app.run_test(size=(120, 35)) as pilot:
        await _settle(pilot)
        await pilot.press("s")
        await _settle(pilot)
        await pilot.press(*"新增学位4.07万个")
        await _settle(pilot)
        await app.workers.wait_for_complete()
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot, 6)
        tree = app.screen.query_one(PlaceTree)
        node = tree.cursor_node
        assert isinstance(node.data, Leaf) and node.data.num == _num(folder, "怀化")
        assert "2019 工作总结" in str(node.label)


async def test_other_documents_and_reports_to_review_have_their_own_nodes(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    lib = Library(folder)
    with lib.transaction() as conn:
        conn.execute("UPDATE reports SET doc_class = 'other' WHERE place_name LIKE '%长沙%'")
        conn.execute("UPDATE reports SET review = '[\"year\"]' WHERE place_name LIKE '%天门%'")
    groups = lib.tree_groups()
    lib.close()
    assert ("other", None, 1) in groups and ("review", None, 1) in groups
    assert sum(c for g, _k, c in groups if g == "province") == 3
    app = ReaderApp(folder, open_num=_num(folder, "怀化"))
    async with app.run_test(size=(120, 35)) as pilot:
        await _settle(pilot)
        tree = app.screen.query_one(PlaceTree)
        top = [str(n.label) for n in tree.root.children]
        assert top[-2].startswith(SPECIAL["review"]) and top[-1].startswith(SPECIAL["other"])
        assert not any("湖北" in t for t in top)  # 天门, its one report, waits for review
        under = {str(n.label): [str(c.label) for c in _walk(n)] for n in tree.root.children}
        assert any("长沙" in c for c in under[top[-1]])
        assert not any("长沙" in c for t in top[:-2] for c in under[t])


async def test_a_running_reader_sees_reports_another_process_imported(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    app = ReaderApp(folder, open_num=_num(folder, "怀化"))
    async with app.run_test(size=(120, 35)) as pilot:
        await _settle(pilot)
        tree = app.screen.query_one(PlaceTree)
        assert tree.total == 5
        cursor = tree.cursor_node.data
        other = Library(folder)
        import_paths(other, [str(CORPUS / "001.txt")], keywords=False)
        other.close()
        app._poll()  # what the timer does every two seconds
        await _settle(pilot, 8)
        assert tree.total == 6
        assert tree.cursor_node.data == cursor  # the cursor stays on the report
        assert app.reader.current_num == cursor.num


# ---- bookmarks --------------------------------------------------------------------------------------


async def test_bookmark_saves_the_found_section_toggles_and_deletes(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    app = ReaderApp(folder, open_num=_num(folder, "天门"))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await _settle(pilot)
        await pilot.press("slash", *"校园安全", "enter")
        await _settle(pilot)
        view = app.screen.query_one(ReportView)
        hit = view.hits[view.current_hit][0]
        assert view.top_offset() < hit  # the hit is centred, not at the top
        await pilot.press("m")
        await _settle(pilot)
        lib = Library(folder)
        (num, offset, label, _title), *rest = lib.bookmarks()
        lib.close()
        assert not rest and offset == hit
        at_hit = view.report.section_path(hit)[-1]
        at_top = view.report.section_path(view.top_offset())
        assert label == f"{at_hit.marker}{at_hit.title}" and (not at_top or at_top[-1] is not at_hit)
        await pilot.press("m")
        await _settle(pilot)
        messages = [n.message for n in app._notifications]
        assert messages[-1].startswith("already bookmarked")
        await pilot.press("B")
        await _settle(pilot)
        assert isinstance(app.screen, BookmarksScreen) and len(app.screen.items) == 1
        await pilot.press("d")
        await _settle(pilot)
        assert app.screen.items == []
    lib = Library(folder)
    assert lib.bookmarks() == []
    lib.close()


# ---- search dialog and find ---------------------------------------------------------------------------


async def test_search_dialog_enter_opens_first_hit_and_down_enters_the_list(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    app = ReaderApp(folder, open_num=_num(folder, "长沙"))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        await pilot.press("s")
        await _settle(pilot)
        await pilot.press(*"大班额")
        await app.workers.wait_for_complete()
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen) and screen.hits
        await pilot.press("down")
        results = screen.query_one("#results")
        assert results.has_focus and results.highlighted == 0
        await pilot.press("escape")
        await _settle(pilot)
        await pilot.press("s")
        await _settle(pilot)
        await pilot.press(*"大班额", "enter")  # Enter at once: the first hit opens
        await _settle(pilot, 6)
        assert not isinstance(app.screen, SearchScreen)
        view = app.screen.query_one(ReportView)
        start, end = view.hits[view.current_hit]
        assert view.report.body[start:end] == "大班额"


async def test_escape_clears_marks_and_count_and_n_finds_again(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    app = ReaderApp(folder, open_num=_num(folder, "天门"))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        await pilot.press("slash", *"教师", "enter")
        await _settle(pilot)
        view = app.screen.query_one(ReportView)
        count = len(view.hits)
        assert _status(app).endswith(f"/{count}")
        await pilot.press("escape")
        await _settle(pilot)
        assert view.hits == [] and "/" not in _status(app)
        await pilot.press("n")
        await _settle(pilot)
        assert len(view.hits) == count and _status(app).endswith(f"/{count}")


def test_snippets_keep_figures_whole_and_no_line_starts_with_punctuation() -> None:
    library = Library(None)  # the temp XDG dir: a new library of the seeds
    from eduread.library.search import Searcher

    result = Searcher(library).search("学位", limit=100, per_report=50)
    library.close()
    assert result.hits
    for hit in result.hits:
        for width in range(16, 61, 3):
            lines = snippet_lines(hit.snippet, hit.mark, width)
            text = "".join(line for line, _ in lines)
            for line, _ in lines:
                assert line[:1] not in NO_START, (width, line)
            for figure in ("4.07万个", "2.86万个"):
                if figure in text:
                    assert any(figure in line for line, _ in lines), (width, lines)
    assert wrap_text("全市通过新建改扩建项目新增学位4.07万个,全年", 32)[0].endswith("学位")


def test_piped_search_is_not_wrapped(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"EDUREAD_HOME": str(home), "PATH": "/usr/bin:/bin", "COLUMNS": "80"}
    out = subprocess.run(
        [sys.executable, "-m", "eduread", "search", "学位", "--limit", "30"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    from rich.cells import cell_len

    lines = out.stdout.splitlines()
    assert max(cell_len(line) for line in lines) > 80  # whole lines, like `list`
    snippets = [line.strip() for line in lines if line.startswith("    ")]
    assert snippets and all(s[:1] not in NO_START for s in snippets)


def test_library_option_after_the_subcommand(tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere"
    out = subprocess.run(
        [sys.executable, "-m", "eduread", "list", "--library", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("5 reports") and (folder / "library.sqlite3").exists()


# ---- layout at 80×24 and on wide terminals -----------------------------------------------------------


async def test_figures_at_80_columns_leave_the_reader_room(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    app = ReaderApp(folder, open_num=_num(folder, "崇川"))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        header = app.screen.query_one("#report-header")
        drawn = ["".join(s.text for s in header.render_line(y)) for y in range(header.size.height)]
        assert "published 2020-09-03" in drawn[2] and drawn[0].rstrip().endswith("…")
        await pilot.press("f")
        await _settle(pilot)
        view = app.screen.query_one(ReportView)
        assert view.size.width >= 38
        app.screen.query_one("#panel").active = "tab-outline"  # headings cut with …
        await _settle(pilot)
        outline = app.screen.query_one("#outline")
        outline.focus()
        await _settle(pilot)
        drawn = ["".join(s.text for s in outline.render_line(y)) for y in range(outline.size.height)]
        assert any("…" in line for line in drawn)


async def test_reading_width_keeps_lines_short_and_centred(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    app = ReaderApp(folder, open_num=_num(folder, "怀化"))
    async with app.run_test(size=(200, 50)) as pilot:
        await _settle(pilot)
        view = app.screen.query_one(ReportView)
        from rich.cells import cell_len

        widths = [cell_len(view.report.body[a:b]) for a, b in view._lines if a >= 0]
        assert max(widths) <= 80  # 40 Chinese characters
        drawn = "".join(s.text for s in view.render_line(0))
        margin = len(drawn) - len(drawn.lstrip(" "))
        assert margin > 10  # centred in the pane
        app.set_reading_width(0)
        await _settle(pilot)
        widths = [cell_len(view.report.body[a:b]) for a, b in view._lines if a >= 0]
        assert max(widths) > 90
    lib = Library(folder)
    assert lib.get_setting("reading_width") == "0"
    lib.close()


async def test_g_and_G_jump_at_once(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    app = ReaderApp(folder, open_num=_num(folder, "怀化"))
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        view = app.screen.query_one(ReportView)
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y > 0
        await pilot.press("g")
        await pilot.pause()
        assert view.scroll_y == 0


async def test_compare_help_shows_bracket_keys(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    app = ReaderApp(folder, open_num=_num(folder, "怀化"))
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("c", "c")
        await _settle(pilot)
        await pilot.press("question_mark")
        await _settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = [keys for _group, keys, _what in app.screen.rows]
        assert "n, ]" in keys and not any("square" in k for k in keys)


async def test_palette_entry_finds_itself_typed_as_shown(tmp_path: Path) -> None:
    from eduread.tui.palette import OpenReportProvider

    folder = _seeded(tmp_path)
    app = ReaderApp(folder)
    async with app.run_test(size=(120, 35)) as pilot:
        await _settle(pilot)
        provider = OpenReportProvider(app.screen)
        shown = [str(hit.match_display) async for hit in provider.search("")]
        entry = next(s for s in shown if "怀化" in s)
        typed = entry.split(":")[0]  # "Open 怀化市 2019/2020"
        found = [str(hit.match_display) async for hit in provider.search(typed)]
        assert entry in found


@pytest.mark.parametrize("width", range(16, 44))
def test_heading_keeps_its_stop(width: int) -> None:
    body = "2. 加强党的组织建设    。贯彻落实《关于加强中小学校党的建设工作的意见》,严格党的组织生活。"
    lines = wrap_body(body, width, [], {0})
    texts = [body[a:b] for a, b in lines if a >= 0]
    assert not any(t.lstrip()[:1] in NO_START for t in texts), texts


# ---- faults: the reader says one line, never a traceback -----------------------------------------------


async def test_damaged_index_shows_a_message_in_the_search_dialog(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    Library(folder).close()
    index = Path(folder) / "index"
    for path in sorted(index.glob("*.pos")) + sorted(index.glob("*.idx")) + sorted(index.glob("*.term")):
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 3])  # postings cut short
    app = ReaderApp(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        await pilot.press("s")
        await _settle(pilot)
        await pilot.press(*"学位")
        await app.workers.wait_for_complete()
        await _settle(pilot)
        summary = str(app.screen.query_one("#summary").render())
        assert "search failed" in summary and "reindex" in summary
        await pilot.press("escape", "q")


def _run_reader(folder: str, keys: str = "q", timeout: int = 60) -> subprocess.CompletedProcess[str]:
    code = f"""
import asyncio
from eduread.tui.app import ReaderApp

async def main():
    app = ReaderApp({folder!r})
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(6):
            await pilot.pause()
        view = app.screen.query_one("ReportView")
        print("MESSAGE", view.message_text, "REPORT", view.report is not None)
        await pilot.press(*{list(keys)!r})
        await pilot.pause()
    print("RETURN", app.return_code)

asyncio.run(main())
"""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)


async def test_read_only_library_reads_and_says_so(tmp_path: Path) -> None:
    """Writes refused by the database (as on a read-only disk): reading goes on, one message."""
    folder = _seeded(tmp_path)
    app = ReaderApp(folder, open_num=_num(folder, "怀化"))
    app.library.conn.execute("PRAGMA query_only = ON")  # every write now fails as read-only
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await _settle(pilot)
        await pilot.press("j", "j", "m", "t", "t")
        await _settle(pilot)
        app.open_report(_num(folder, "天门"))
        await _settle(pilot)
        assert app.screen.query_one(ReportView).report.place.name == "天门市"
        warnings = [n.message for n in app._notifications if "cannot save" in n.message]
        assert len(warnings) == 1 and "readonly" in warnings[0]
        await pilot.press("q")
    assert app.return_code in (None, 0)


def test_damaged_reports_page_is_one_message(tmp_path: Path) -> None:
    folder = _seeded(tmp_path)
    db = Path(folder) / "library.sqlite3"
    lib = Library(folder)
    lib.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = lib.conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'reports'").fetchone()[0]
    page = lib.conn.execute("PRAGMA page_size").fetchone()[0]
    lib.close()
    data = bytearray(db.read_bytes())
    data[(root - 1) * page : root * page] = b"\xff" * page
    db.write_bytes(bytes(data))
    out = _run_reader(folder)
    assert "Traceback" not in out.stderr + out.stdout, out.stderr
    assert "MESSAGE The library cannot be read" in out.stdout, out.stdout + out.stderr
    assert "eduread check" in out.stdout


async def test_pop_up_keeps_wide_characters_across_pane_edges(tmp_path: Path) -> None:
    """A toast over the report/panel edge: no character of it becomes blank cells."""
    folder = _seeded(tmp_path)
    app = ReaderApp(folder, open_num=_num(folder, "怀化"))
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await _settle(pilot)
        lost = []
        for pad in range(8):  # shift the text so some character straddles each edge
            app.clear_notifications()
            app.notify("x" * pad + "bookmarked: 1.加快学校建设", markup=False)
            await pilot.pause(0.3)
            update = app.screen._compositor.render_update(full=True)
            screen = ["".join(s.text for s in strip) for strip in update.strips]
            line = next(line for line in screen if "bookmarked" in line)
            if "1.加快学校建设" not in line.replace(" ", ""):
                lost.append(line)
        assert not lost, lost


async def test_a_huge_report_opens_off_the_ui_thread(tmp_path: Path, monkeypatch) -> None:
    """A report past ReportView.BIG is read, styled and laid out in threads; keys answer meanwhile."""
    monkeypatch.setattr(ReportView, "BIG", 1000)  # the seeds stand in for a 20 MB report
    from eduread.tui.screens.reader_screen import ReaderScreen

    threads: list[str] = []
    for cls, name in ((ReaderScreen, "_load_in_thread"), (ReportView, "_wrap_in_thread")):
        original = getattr(cls, name)

        def spy(self, *args, _original=original, _name=name):
            threads.append(_name)
            return _original(self, *args)

        monkeypatch.setattr(cls, name, spy)
    folder = _seeded(tmp_path)
    num = _num(folder, "怀化")
    app = ReaderApp(folder, open_num=num)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.screen.query_one(ReportView)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await _settle(pilot, 6)
        await app.workers.wait_for_complete()
        await _settle(pilot)
        assert view.report is not None and view._lines and view._spans
        assert app.reader.current_num == num
        assert threads[:2] == ["_load_in_thread", "_wrap_in_thread"]
        await pilot.press("q")
    assert app.return_code in (None, 0)


def test_figure_sections_found_in_one_walk_match_section_path() -> None:
    from eduread.parse import parse_file
    from eduread.tui.side_panel import _innermost_headings

    for seed in sorted(SEEDS.glob("*.txt")):
        report = parse_file(seed)
        figures = sorted((f for f in report.figures if f.highlighted), key=lambda f: f.start)
        slow = []
        for figure in figures:
            path = report.section_path(figure.start)
            slow.append(f"{path[-1].marker}{path[-1].title}" if path else "")
        assert _innermost_headings(report, [f.start for f in figures]) == slow, seed.name


def test_an_unforeseen_error_ends_with_one_line_and_a_failure(tmp_path: Path, monkeypatch, capsys) -> None:
    import eduread.tui.app as app_module
    from eduread.tui.launch import launch

    class Boom(app_module.ReaderApp):
        CSS_PATH = str(Path(app_module.__file__).parent / "app.tcss")

        def after_first_frame(self) -> None:
            raise RuntimeError("boom\nin two lines")

        def run(self, **_kwargs):
            return super().run(headless=True, size=(80, 24))

    monkeypatch.setattr(app_module, "ReaderApp", Boom)
    assert launch(None, _seeded(tmp_path)) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if line.strip()] == ["eduread: RuntimeError: boom in two lines"]
