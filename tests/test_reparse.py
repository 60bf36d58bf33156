"""After a parser upgrade: stale parses are redone in batches, in place or by replacement, from any face."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from eduread.library.packed import pack, unpack
from eduread.library.reparse import reparse_stale, stale_nums
from eduread.library.search import Searcher, occurrences
from eduread.library.store import Library
from eduread.parse.model import PARSER_VERSION
from eduread.tui.app import ReaderApp


def _age(library: Library) -> None:
    """Make every cached parse look as if an older parser wrote it, with a wrong title to show it."""
    with library.transaction() as conn:
        conn.execute("UPDATE parses SET parser_version = ?", (PARSER_VERSION - 1,))
        conn.execute("UPDATE reports SET title = 'old parse'")


def _scan(library: Library, term: str) -> int:
    return sum(len(occurrences(body, term)) for (body,) in library.conn.execute("SELECT body FROM texts"))


def test_stale_parses_are_redone_in_place(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    num = library.entries(place="长沙")[0].num
    library.set_position(num, 1234)
    library.add_bookmark(num, 1234, "mark")
    _age(library)
    assert len(stale_nums(library)) == 5
    seen: list[tuple[int, int]] = []
    assert reparse_stale(library, lambda done, total: seen.append((done, total))) == 5
    assert stale_nums(library) == [] and seen[-1] == (5, 5)
    assert {e.title for e in library.entries()} >= {"长沙市教育局2019年工作计划"}
    assert "old parse" not in {e.title for e in library.entries()}
    assert library.entries(place="长沙")[0].num == num
    assert library.position(num) == 1234 and library.bookmarks()[0][:2] == (num, 1234)
    library.close()


def test_parsing_again_keeps_the_titles_the_file_stated_outside_its_text(tmp_path: Path) -> None:
    """A page's <title> and a file's name can be all that says what a report is: a parser upgrade
    that parses the stored text again, in place or by replacement, must still have them."""
    from conftest import seed_path
    from eduread.library.importer import import_paths

    title, rest = seed_path("000_74b69ab3a17d35dc.txt").read_text(encoding="utf-8").split("\n", 1)
    page = tmp_path / "page.html"
    page.write_text(
        f"<html><head><title>{title}_政务公开_怀化市人民政府</title></head><body>"
        f"<div class='content'><p>{rest.replace(chr(10), '<br>')}</p></div></body></html>",
        encoding="utf-8",
    )
    untitled = "\n".join(  # a text that states no title of its own, named for the report it is
        line
        for line in seed_path("003_b5818a88827ebf16.txt").read_text(encoding="utf-8").splitlines()
        if "工作要点" not in line or len(line) > 30
    )
    named = tmp_path / "天门市教育局2018年工作要点.txt"
    named.write_text(untitled, encoding="utf-8")
    library = Library(tmp_path / "lib", seed=False)
    import_paths(library, [str(page), str(named)], keywords=False)
    imported = {e.num: (e.title, e.place_name) for e in library.entries()}
    assert sorted(t for t, _p in imported.values()) == sorted([title, "天门市教育局2018年工作要点"])

    _age(library)
    assert reparse_stale(library) == 2
    assert {e.num: (e.title, e.place_name) for e in library.entries()} == imported
    assert {library.reparse(num).title for num in imported} == {t for t, _p in imported.values()}

    html_num = next(n for n, (t, _p) in imported.items() if t == title)
    with library.transaction() as conn:  # as if an older cleaner had left a line the current one drops
        original, body = conn.execute(
            "SELECT original, body FROM texts WHERE num = ?", (html_num,)
        ).fetchone()
        stale = "旧版清理留下的页脚\n" + body
        conn.execute(
            "UPDATE texts SET body = ?, original = ? WHERE num = ?",
            (stale, pack(unpack(original, body), stale), html_num),
        )
    _age(library)
    reparse_stale(library)
    titles = {e.title for e in library.entries()}
    assert html_num not in {e.num for e in library.entries()} and title in titles  # replaced, titled
    library.close()


def test_a_changed_body_replaces_the_report_and_its_index(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    old = library.entries(place="天门")[0]
    # As if an older cleaner had kept a line of page cruft that today's cleaner removes.
    with library.transaction() as conn:
        original, body = conn.execute("SELECT original, body FROM texts WHERE num = ?", (old.num,)).fetchone()
        stale = "旧版清理留下的页脚学位\n" + body
        # the original is stored deflated against its body: a body is never changed without it
        conn.execute(
            "UPDATE texts SET body = ?, original = ? WHERE num = ?",
            (stale, pack(unpack(original, body), stale), old.num),
        )
        conn.execute("UPDATE parses SET parser_version = ? WHERE num = ?", (PARSER_VERSION - 1, old.num))
    library.reindex()  # the index as that cleaner left it
    assert Searcher(library).search("旧版清理").total == 1
    assert reparse_stale(library) == 1
    assert library.entry(old.num) is None
    new = library.entries(place="天门")[0]
    assert new.num != old.num and new.id == old.id
    assert library.body(new.num) == body
    for term in ("学位", "页脚", "教育局", "全力维护校园安全"):
        result = Searcher(library).search(term)
        assert result.total == _scan(library, term), term
    assert Searcher(library).search("旧版清理").total == 0
    library.close()


async def test_the_reader_refreshes_stale_parses_in_the_background(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    library = Library(folder)
    _age(library)
    library.close()
    app = ReaderApp(str(folder))
    statuses: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        reader = app.reader
        real = reader.set_activity
        reader.set_activity = lambda text: (statuses.append(text), real(text))  # type: ignore[method-assign]
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        # the report the reader opened at start was re-parsed as it opened; the others in the background
        assert "updating reports for the new parser: 4/4" in statuses
        assert "4 reports updated for the new parser" in [n.message for n in app._notifications]
        await app.workers.wait_for_complete()
        assert "old parse" not in {e.title for e in app.all_entries()}
    library = Library(folder)
    assert stale_nums(library) == []
    library.close()


def test_reindex_reparses_stale_reports_first(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    library = Library(folder)
    _age(library)
    library.close()
    out = subprocess.run(
        [sys.executable, "-m", "eduread", "--library", str(folder), "reindex"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "re-parsed 5 reports with the current parser" in out.stdout
    listed = subprocess.run(
        [sys.executable, "-m", "eduread", "--library", str(folder), "list", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "old parse" not in {r["title"] for r in json.loads(listed.stdout)}
