"""The library as users drive it: import, list, search, remove, reindex, and bad input."""

from __future__ import annotations

import json
import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS
from eduread.library.importer import import_paths
from eduread.library.search import Searcher, occurrences
from eduread.library.store import Library, LibraryError
from eduread.text.width import fold_width

SEED_TEXT = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}


def eduread(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env_cmd = [sys.executable, "-m", "eduread", "--library", str(home), *args]
    return subprocess.run(env_cmd, capture_output=True, text=True, timeout=120)


def variant(text: str, rng: random.Random, place: str) -> str:
    """A new report derived from a seed: another place and changed figures."""
    text = re.sub(r"(怀化|余姚|长沙|天门|崇川)", place, text)
    return re.sub(
        r"\d+",
        lambda m: str(int(m.group(0)) + rng.randint(1, 9)) if len(m.group(0)) < 4 else m.group(0),
        text,
    )


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "lib")
    yield lib
    lib.close()


def scan_counts(library: Library, term: str) -> tuple[int, int]:
    total = reports = 0
    for (body,) in library.conn.execute("SELECT body FROM texts"):
        n = len(occurrences(body, term))
        total += n
        reports += bool(n)
    return total, reports


def form_counts(library: Library, term: str) -> tuple[int, int]:
    """What search must count: occurrences in every body as matching reads it (體 as 体, ， as ,)."""
    from eduread.text.matching import match_form

    counts = [
        len(occurrences(match_form(b), match_form(term)))
        for (b,) in library.conn.execute("SELECT body FROM texts")
    ]
    return sum(counts), sum(map(bool, counts))


def test_new_library_holds_the_seeds(library: Library) -> None:
    assert library.count() == 5
    assert {e.place_name for e in library.entries()} == {
        "怀化市",
        "余姚市",
        "长沙市",
        "天门市",
        "南通市崇川区",
    }
    assert [e.place_name for e in library.entries(year=2020)] == ["南通市崇川区", "怀化市"]
    assert [e.place_name for e in library.entries(year=2019, kind="plan")] == ["长沙市"]
    assert [e.place_name for e in library.entries(place="南通")] == ["南通市崇川区"]


@pytest.mark.parametrize(
    "query",
    [
        "学",
        "育",
        "%",
        "学位",
        "教师",
        "万个",
        "教育局",
        "学位4",
        "教师队伍",
        "义务教育均衡",
        "立德树人根本任务",
        "不存在的词",
    ],
)
def test_counts_equal_a_plain_scan(library: Library, query: str) -> None:
    result = Searcher(library).search(query)
    assert (result.total, result.reports) == scan_counts(library, query)


def test_counts_equal_scan_on_a_larger_library(tmp_path: Path, library: Library) -> None:
    rng = random.Random(7)
    folder = tmp_path / "more"
    folder.mkdir()
    for i in range(40):
        name, text = rng.choice(sorted(SEED_TEXT.items()))
        (folder / f"{i}.txt").write_text(
            variant(text, rng, rng.choice(["长春", "鼓楼", "宁波", "温州"])), encoding="utf-8"
        )
    import_paths(library, [str(folder)], keywords=False)
    searcher = Searcher(library)
    for query in ["学", "教", "学位", "教育", "温州", "教育局", "新增学位", "教师队伍建设", "2019", "1"]:
        result = searcher.search(query)
        assert (result.total, result.reports) == scan_counts(library, query), query


def test_terms_phrases_and_widths(library: Library) -> None:
    searcher = Searcher(library)
    both = searcher.search("学位 大班额")
    assert both.reports == 1 and all(h.place == "怀化市" for h in both.hits)
    assert searcher.search("４．０７万").total == searcher.search("4.07万").total == 1
    assert searcher.search("（一）").total == searcher.search("(一)").total > 0
    phrase = searcher.search('"教师 队伍"')
    assert phrase.terms == ["教师 队伍"] and phrase.total == 0
    assert searcher.search("“教师队伍”").terms == ["教师队伍"]


def test_hits_carry_section_offsets_and_snippet(library: Library) -> None:
    result = Searcher(library).search("新增学位")
    hit = result.hits[0]
    body = library.body(hit.num)
    assert body[hit.start : hit.end] == "新增学位"
    assert hit.snippet[hit.mark[0] : hit.mark[1]] == "新增学位"
    assert hit.section[0].startswith(("一、", "二、"))
    assert result.ranked[0] == hit.num


def test_filters(library: Library) -> None:
    searcher = Searcher(library)
    assert {h.place for h in searcher.search("教师", place="天门", limit=50).hits} == {"天门市"}
    assert searcher.search("教师", year=2018).reports == 1
    assert searcher.search("教师", kind="summary").reports == 3


def test_import_summary_duplicates_and_failures(tmp_path: Path) -> None:
    home = tmp_path / "home"
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "copy.txt").write_bytes((SEEDS / "000_74b69ab3a17d35dc.txt").read_bytes())
    (folder / "gbk.txt").write_bytes(
        SEED_TEXT["003_b5818a88827ebf16.txt"].replace("\xa0", " ").replace("天门", "仙桃").encode("gbk")
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "novel.html").write_text(
        "<html><body><p>" + "他推开门,雨下个不停。" * 50 + "</p></body></html>", encoding="utf-8"
    )
    (folder / "english.txt").write_text("Annual report of nothing in particular. " * 50)
    (folder / "cut.pdf").write_bytes(b"%PDF")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "huge.txt").write_text("教育" * (9 * 1024 * 1024), encoding="utf-8")  # 54 MB
    changsha = SEED_TEXT["002_68d8026e029efe2e.txt"]
    (folder / "school.txt").write_text(
        changsha.replace("长沙市教育局", "长沙市第一中学").replace("全市", "全校").replace("我市", "我校"),
        encoding="utf-8",
    )
    out = eduread(home, "import", str(folder), str(tmp_path / "missing"))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    # The novel and the school's plan are Chinese prose: imported as `other`, never refused.
    assert "imported 3 (2 other documents), duplicates skipped 1, failed 6" in out.stdout
    errors = out.stderr.strip().splitlines()
    assert len(errors) == 6 and all(line.startswith("eduread: ") for line in errors)
    reasons = "\n".join(errors)
    assert "huge.txt: too large for a report (54 MB)" in reasons
    assert "binary.txt: binary file" in reasons
    assert "cut.pdf: damaged PDF" in reasons
    others = [e for e in json.loads(eduread(home, "list", "--json").stdout) if e["class"] == "other"]
    assert sorted(e["title"] for e in others) == ["", "长沙市第一中学2019年工作计划"]
    listed = json.loads(eduread(home, "list", "--json", "--place", "仙桃").stdout)
    assert [e["place"] for e in listed] == ["仙桃市"] and listed[0]["place_path"] == ["湖北省", "仙桃市"]


def test_import_by_glob(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    folder.mkdir()
    for i, name in enumerate(sorted(SEED_TEXT)[:2]):
        (folder / f"r{i}.txt").write_text(SEED_TEXT[name].replace("教育局", "教育体育局"), encoding="utf-8")
    out = eduread(tmp_path / "home", "import", str(folder / "*.txt"))
    assert "imported 2" in out.stdout, out.stderr


def test_interrupted_batch_leaves_nothing_half_stored(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    rng = random.Random(3)
    for i in range(6):
        (folder / f"{i}.txt").write_text(
            variant(SEED_TEXT["000_74b69ab3a17d35dc.txt"], rng, f"测{i}"), encoding="utf-8"
        )
    from eduread.library import index

    real = index.write_batch

    def boom(writer, conn, adds, deletes=()):
        real(writer, conn, adds, deletes)  # the index has committed the batch; the rows have not
        raise KeyboardInterrupt

    monkeypatch.setattr(index, "write_batch", boom)
    monkeypatch.setattr(Library, "repair_index", lambda self: None)  # as if the process died there
    with pytest.raises(KeyboardInterrupt):
        import_paths(library, [str(folder)], keywords=False)
    monkeypatch.undo()
    assert library.count() == 5
    for table in ("texts", "parses", "parts"):
        nums = {r[0] for r in library.conn.execute(f"SELECT num FROM {table}")}
        assert nums <= {e.num for e in library.entries()}
    assert any("6 reports the library no longer has" in p for p in library.check_index())
    library.close()
    library = Library(tmp_path / "lib")  # the next open puts the index back in step
    assert library.check_index() == []
    assert Searcher(library).search("测1").total == 0
    assert Searcher(library).search("学").total == scan_counts(library, "学")[0]
    result = import_paths(library, [str(folder)], keywords=False)
    assert len(result.imported) == 6 and library.count() == 11
    library.close()


def test_remove_and_reindex(library: Library) -> None:
    searcher = Searcher(library)
    huaihua = library.entries(place="怀化")[0]
    removed, missing = library.remove([huaihua.id[:8], "nope"])
    assert removed == [huaihua.id] and missing == ["nope"]
    after = Searcher(library)
    assert after.search("学位").reports == 0
    assert (
        (after.search("大班额").total, after.search("大班额").reports)
        == scan_counts(library, "大班额")
        == (2, 2)
    )
    assert after.search("学").total == scan_counts(library, "学")[0]
    library.reindex()
    again = Searcher(library)
    assert again.search("学").total == scan_counts(library, "学")[0]
    assert again.search("教师队伍").total == scan_counts(library, "教师队伍")[0]
    del searcher


def _segment_files(home: Path, suffix: str) -> list[Path]:
    return sorted((home / "index").glob(f"*{suffix}"))


def test_a_lost_index_is_rebuilt_on_open(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert eduread(home, "list").returncode == 0
    import shutil

    shutil.rmtree(home / "index")
    fixed = json.loads(eduread(home, "search", "教师队伍", "--json").stdout)
    assert fixed["total"] == 12 and fixed["reports"] == 4
    library = Library(home)
    assert library.check_index() == []
    library.close()


def test_damaged_index_names_reindex(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert eduread(home, "list").returncode == 0
    for path in _segment_files(home, ".pos") + _segment_files(home, ".idx") + _segment_files(home, ".term"):
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 3])  # postings cut short
    out = eduread(home, "search", "教师队伍")
    assert out.returncode == 2 and "eduread reindex" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert eduread(home, "reindex").returncode == 0
    fixed = json.loads(eduread(home, "search", "教师队伍", "--json").stdout)
    assert fixed["total"] == 12


@pytest.mark.parametrize(
    "command",
    [["list"], ["list", "--json"], ["search", "教师队伍"], ["search", "学", "--json"]],
)
def test_list_and_search_load_only_what_they_use(tmp_path: Path, command: list[str]) -> None:
    heavy = ["jieba", "numpy", "rich", "dataclasses", "eduread.parse.report", "eduread.library.rows"]
    if command[0] == "list":
        heavy += ["tantivy", "pathlib"]  # pathlib and the URL parsing it imports: 3 ms of 50
    assert eduread(tmp_path / "h", "list").returncode == 0  # the first run stores the seeds
    code = (
        f"import sys; from eduread.cli import main; main(['--library', sys.argv[1], *{command!r}]);"
        f"print('LOADED', [m for m in {heavy!r} if m in sys.modules], file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "h")], capture_output=True, text=True)
    assert out.stderr.strip().endswith("LOADED []"), out.stderr


def test_list_lines_fit_the_terminal_and_pipes_get_everything(library: Library) -> None:
    from rich.cells import cell_len

    from eduread.commands.listing import lines

    entries = library.entries()
    for width in (60, 80, 120):
        shown = list(lines(entries, width))
        assert len(shown) == 6 and all(cell_len(line) <= width for line in shown), width
    assert any("…" in line for line in lines(entries, 60))
    piped = list(lines(entries, None))
    assert all(e.title in line for e, line in zip(entries, piped[1:], strict=True))
    assert "南通市 › 崇川区" in "".join(piped)


def test_piped_json_is_compact_and_whole(tmp_path: Path) -> None:
    out = eduread(tmp_path / "h", "list", "--json")
    data = json.loads(out.stdout)
    assert len(data) == 5 and out.stdout.count("\n") == 1


def test_keywords_are_stored_and_genre_weighted(tmp_path: Path) -> None:
    from eduread.library.keywords import top_keywords
    from eduread.text import segment

    segment._jieba.cache_clear()  # an earlier test may have loaded jieba under other XDG dirs
    segment._router.cache_clear()
    library = Library(tmp_path / "kw", seed=False)
    import_paths(library, [str(p) for p in sorted(SEEDS.glob("*.txt"))])  # keywords on, as users import
    huaihua = library.entries(place="怀化")[0]
    words = [w for w, _score, _count in top_keywords(library, huaihua.num)]
    assert "芙蓉" in "".join(words) or "大班额" in words
    assert "教育" not in words[:3]
    cache = Path(__import__("os").environ["XDG_CACHE_HOME"]) / "eduread"
    assert cache.exists() and segment._jieba().dt.tmp_dir == str(cache)


def test_library_error_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "library.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(LibraryError):
        Library(bad)
    out = eduread(bad, "list")
    assert out.returncode == 2 and "library.sqlite3" in out.stderr and "Traceback" not in out.stderr


def test_fold_width_keeps_length() -> None:
    text = "（一）４．０７万，"
    assert len(fold_width(text)) == len(text)


def _corpus(folder: Path, n: int) -> None:
    folder.mkdir()
    rng = random.Random(11)
    seeds = sorted(SEED_TEXT)
    for i in range(n):
        text = variant(SEED_TEXT[seeds[i % 5]], rng, f"并{i:02d}")
        (folder / f"r{i:02d}.txt").write_text(text, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)


def test_parallel_import_matches_sequential(tmp_path: Path) -> None:
    _corpus(tmp_path / "many", 20)
    one = Library(tmp_path / "one", seed=False)
    two = Library(tmp_path / "two", seed=False)
    a = import_paths(one, [str(tmp_path / "many")], workers=1)
    b = import_paths(two, [str(tmp_path / "many")], workers=2)
    assert len(a.imported) == len(b.imported) == 20
    assert sorted(a.failed) == sorted(b.failed) and len(b.failed) == 2
    assert [(e.id, e.title, e.place_name) for e in one.entries()] == [
        (e.id, e.title, e.place_name) for e in two.entries()
    ]
    assert two.conn.execute("SELECT count(*) FROM keywords").fetchone()[0] == 20
    for term in ("学", "学位", "大班额", "教师队伍"):
        assert (
            Searcher(two).search(term).total == scan_counts(two, term)[0] == Searcher(one).search(term).total
        )
    one.close()
    two.close()


def test_parallel_import_interrupted_keeps_whole_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eduread.library import importer, index

    _corpus(tmp_path / "many", 20)
    library = Library(tmp_path / "lib", seed=False)
    monkeypatch.setattr(importer, "BATCH", 8)
    real = index.write_batch
    calls = []

    def second_batch_interrupted(writer, conn, adds, deletes=()):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # before the index commits
        real(writer, conn, adds, deletes)

    monkeypatch.setattr(index, "write_batch", second_batch_interrupted)
    with pytest.raises(KeyboardInterrupt):
        import_paths(library, [str(tmp_path / "many")], workers=2, keywords=False)
    assert library.count() == 8 and library.check_index() == []
    monkeypatch.setattr(index, "write_batch", real)
    result = import_paths(library, [str(tmp_path / "many")], workers=2, keywords=False)
    assert len(result.imported) == 12 and result.duplicates == 8 and library.count() == 20
    library.close()


def test_word_frequencies_follow_imports_removals_and_upgrades(tmp_path: Path) -> None:
    from eduread.library.keywords import fill_missing, missing, top_keywords

    library = Library(tmp_path / "lib")  # the seeds, stored without word counts
    assert len(missing(library)) == 5 and top_keywords(library, library.entries()[0].num) == []
    assert fill_missing(library) == 5 and missing(library) == []

    def df(word: str) -> int:
        row = library.conn.execute("SELECT df FROM word_df WHERE word = ?", (word,)).fetchone()
        return row[0] if row else 0

    holding = sum(1 for e in library.entries() if "教师" in library.keywords(e.num))
    assert df("教师") == holding >= 4
    tianmen = library.entries(place="天门")[0]
    assert "教师" in library.keywords(tianmen.num)
    library.remove([tianmen.id])
    assert df("教师") == holding - 1
    expected = {}
    for (num,) in library.conn.execute("SELECT num FROM keywords"):
        for word in library.keywords(num):
            expected[word] = expected.get(word, 0) + 1
    # A version-1 library (no word_df) gets it counted once when opened.
    with library.transaction() as conn:
        conn.execute("DROP TABLE word_df")
        conn.execute("UPDATE state SET value = '1' WHERE key = 'schema'")
    library.close()
    library = Library(tmp_path / "lib")
    assert dict(library.conn.execute("SELECT word, df FROM word_df WHERE df > 0")) == expected
    library.close()


def test_phrases_answer_overlaps_edges_and_lines(tmp_path: Path) -> None:
    """Derived from a seed: repeats that overlap, a term at the very start and end, one across a line."""
    text = SEED_TEXT[sorted(SEED_TEXT)[0]]
    folder = tmp_path / "edge"
    folder.mkdir()
    (folder / "edge.txt").write_text(text + "\n\n哈哈哈哈哈哈哈对对对对对\n结尾五个字", encoding="utf-8")
    library = Library(tmp_path / "lib")
    import_paths(library, [str(folder)], keywords=False)
    searcher = Searcher(library)
    body = library.body(library.entries()[-1].num)
    for term in [
        "哈哈哈",
        "哈哈哈哈",
        "哈哈哈哈哈哈哈",
        "哈对对对",
        "对对对对对",
        "结尾五个字",
        body[:7],
        "对\n结尾",
    ]:
        result = searcher.search(f'"{term}"')
        assert (result.total, result.reports) == scan_counts(library, term), term
    assert searcher.search('"哈哈哈哈"').total == 4  # overlapping, as Ctrl+F counts them
    library.close()


def test_a_schema_5_library_is_migrated_and_keeps_its_data(tmp_path: Path) -> None:
    """A library made by the version before (seeds, one removed, a position, bookmark, note,
    correction, setting and keywords) opens: the index is built beside it, texts are packed,
    nothing a person made is lost, and search counts equal a scan."""
    import gzip

    home = tmp_path / "old"
    home.mkdir()
    packed = Path(__file__).parent / "data" / "library_schema5.sqlite3.gz"
    (home / "library.sqlite3").write_bytes(gzip.decompress(packed.read_bytes()))
    before = sqlite3.connect(home / "library.sqlite3")
    kept = {
        table: sorted(before.execute(f"SELECT * FROM {table}").fetchall())
        for table in ("positions", "bookmarks", "notes", "corrections", "settings", "word_df")
    }
    words = {num: json.loads(w) for num, w in before.execute("SELECT num, words FROM keywords")}
    bodies = dict(before.execute("SELECT num, body FROM texts"))
    originals = dict(before.execute("SELECT num, original FROM texts"))
    before.close()
    assert len(bodies) == 4 and all(kept.values())
    steps = []

    @__import__("contextlib").contextmanager
    def progress(label: str, total: int):
        steps.append(label)
        yield lambda done, total: steps.append((label, done, total))

    library = Library(home, progress=progress)
    assert "indexing" in steps and ("indexing", 4, 4) in steps
    # Bookmarks and notes now live in one notes table (bookmarks are a kind of note).
    old_marks, old_notes = kept.pop("bookmarks"), kept.pop("notes")
    assert sorted((n, o, label) for n, o, label, _title in library.bookmarks()) == sorted(
        (n, o, label) for n, o, label, _created in old_marks
    )
    moved = library.conn.execute("SELECT num, start, text FROM notes WHERE kind = 'note'").fetchall()
    assert sorted(moved) == sorted((n, o, text) for n, o, text, _created in old_notes)
    for table, rows in kept.items():
        assert sorted(library.conn.execute(f"SELECT * FROM {table}").fetchall()) == rows, table
    assert dict(library.conn.execute("SELECT num, body FROM texts")) == bodies
    tables = {r[0] for r in library.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not tables & {"grams", "trigrams", "segments", "removed", "fts"}
    assert (
        library.conn.execute("SELECT count(*) FROM texts WHERE typeof(original) != 'blob'").fetchone()[0] == 0
    )
    for num, original in originals.items():
        assert library.report(num).body == bodies[num]
        assert (
            library.conn.execute("SELECT original FROM texts WHERE num = ?", (num,)).fetchone()[0] != original
        )
    from eduread.library.packed import unpack

    stored = library.conn.execute("SELECT num, original, body FROM texts")
    assert {n: unpack(o, body) for n, o, body in stored} == originals
    assert (
        library.conn.execute("SELECT count(*) FROM keywords WHERE typeof(words) != 'blob'").fetchone()[0] == 0
    )
    assert {num: library.keywords(num) for num in words} == words and len(words) == 4
    assert library.check_index() == []
    searcher = Searcher(library)
    for term in ["学", "学位", "教师队伍", "义务教育均衡"]:
        result = searcher.search(term)
        assert (result.total, result.reports) == scan_counts(library, term), term
    library.close()
    assert (home / "library.sqlite3").stat().st_size < 1093632 / 2  # the old index's room is given back


def test_many_small_imports_leave_the_engine_few_segments_and_exact_counts(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    rng = random.Random(11)
    folder = tmp_path / "daily"
    folder.mkdir()
    terms = ["学", "学位", "教育局", "教师队伍", "全力维护校园安全", "日3", "日7", "天门"]
    for i in range(12):  # one small import a day, each its own commit
        path = folder / f"{i}.txt"
        path.write_text(variant(rng.choice(sorted(SEED_TEXT.values())), rng, f"日{i}"), encoding="utf-8")
        if i == 2:
            library.remove([library.entries(place="天门")[0].id])
        import_paths(library, [str(path)], keywords=False)
    searcher = Searcher(library)
    for term in terms:
        result = searcher.search(term)
        assert (result.total, result.reports) == scan_counts(library, term), term
    assert searcher.text_index.searcher().num_segments < 12  # the engine merged some
    assert library.check_index() == []
    library.close()


def test_counts_hold_for_a_character_repeated_thousands_of_times(tmp_path: Path) -> None:
    """Frequencies read back from bm25 scores stay exact where the scores saturate."""
    text = SEED_TEXT[sorted(SEED_TEXT)[0]]
    folder = tmp_path / "rep"
    folder.mkdir()
    (folder / "a.txt").write_text(text + "\n" + "学习" * 1500 + "\n", encoding="utf-8")
    (folder / "b.txt").write_text(text.replace("学", "学学") + "\n结尾", encoding="utf-8")
    library = Library(tmp_path / "lib")
    import_paths(library, [str(folder)], keywords=False)
    searcher = Searcher(library)
    for term in ["学", "学习", "学学", "习学习", "教育"]:
        result = searcher.search(term, limit=1)  # most counted reports are not on the page
        assert (result.total, result.reports) == scan_counts(library, term), term
    library.close()


def test_counts_fall_back_to_a_scan_when_scores_cannot_be_read(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eduread.library import search

    real = search.frequencies

    def skewed(nums, scores, factors, known):  # as if the engine scored differently than expected
        return real(nums, [x * 1.01 for x in scores], factors, known)

    monkeypatch.setattr(search, "frequencies", skewed)
    searcher = Searcher(library)
    for term in ["学", "教师队伍", "大班额"]:
        result = searcher.search(term, limit=1)  # the page's reports disagree with the read-back
        assert (result.total, result.reports) == scan_counts(library, term), term
    both = searcher.search("学位 大班额", limit=1)
    huaihua = fold_width(library.body(library.entries(place="怀化")[0].num))
    assert (both.total, both.reports) == (
        len(occurrences(huaihua, "学位")) + len(occurrences(huaihua, "大班额")),
        1,
    )


def test_two_terms_filters_and_widths_count_like_a_scan(library: Library) -> None:
    searcher = Searcher(library)

    def scan(terms: list[str], nums: set[int] | None = None) -> tuple[int, int]:
        total = reports = 0
        for num, body in library.conn.execute("SELECT num, body FROM texts"):
            if nums is not None and num not in nums:
                continue
            found = [len(occurrences(fold_width(body), t)) for t in terms]
            if all(found):
                total += sum(found)
                reports += 1
        return total, reports

    for query, terms in [("教师 培训", ["教师", "培训"]), ("学 校", ["学", "校"]), ("（一）", ["(一)"])]:
        result = searcher.search(query)
        assert (result.total, result.reports) == scan(terms), query
    for filters in [{"place": "天门"}, {"year": 2018}, {"kind": "summary"}, {"kind": "plan", "year": 2019}]:
        nums = library.filtered_nums(filters.get("place"), filters.get("year"), filters.get("kind"))
        result = searcher.search("教师", limit=50, **filters)
        assert (result.total, result.reports) == scan(["教师"], nums), filters
        assert {h.num for h in result.hits} <= nums


def test_snippets_keep_figures_whole_and_start_on_a_word(library: Library) -> None:
    from eduread.library.search import snippet_bounds

    searcher = Searcher(library)
    for query in ["万个", "大班额", "学位", "，", "、"]:
        for hit in searcher.search(query, limit=100, per_report=50).hits:
            body = library.body(hit.num)
            lo = hit.start - hit.mark[0]
            hi = lo + len(hit.snippet)
            assert hit.snippet[0] not in "、，。" or hit.mark[0] == 0, hit.snippet
            for m in re.finditer(r"\d+(?:\.\d+)?万?个?", body):
                assert not (m.start() < lo < m.end()) and not (m.start() < hi < m.end()), hit.snippet
    body = "全市通过新建改扩建项目新增学位4.07万个，全年共消除义务教育大班额1463个。"
    start = body.index("大班额")
    for side in range(4, 30):
        lo, hi = snippet_bounds(body, start, start + 3, side=side)
        assert lo <= start and hi >= start + 3
        assert "4.07万个" in body[lo:hi] or "07" not in body[lo:hi], side
        assert "1463个" in body[lo:hi] or "46" not in body[lo:hi], side
        assert body[lo] not in "，、。", side


def test_reindex_builds_a_new_index_in_place(library: Library) -> None:
    from eduread.library import index

    before = index.stamp_on_disk(library.folder)
    expected = scan_counts(library, "教师队伍")
    (library.folder / "index.build-99999").mkdir()  # what a rebuild killed midway leaves
    (library.folder / "index.build-99999" / "meta.json").write_text("{}")
    assert library.reindex() == 5
    after = index.stamp_on_disk(library.folder)
    assert after is not None and before is not None and after[0] != before[0]
    assert index.stamp_in_db(library.conn) == after
    assert [p.name for p in library.folder.iterdir() if p.name.startswith("index")] == ["index"]
    result = Searcher(library).search("教师队伍")
    assert (result.total, result.reports) == expected
    kept = Searcher(library)  # a reader's searcher, open while another process rebuilds
    assert kept.search("教师队伍").total == expected[0]
    library.reindex()
    assert (kept.search("教师队伍").total, kept.search("教师队伍").reports) == expected


def test_the_summary_line_counts_in_english(library: Library) -> None:
    searcher = Searcher(library)
    assert searcher.search("学位4.07").summary() == "1 occurrence in 1 report"
    assert searcher.search("芙蓉学").summary() == "9 occurrences in 1 report"
    assert searcher.search("不存在的词").summary() == "0 occurrences in 0 reports"


def _variants(folder: Path, count: int, tag: str, seed: int) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for i in range(count):
        text = variant(rng.choice(sorted(SEED_TEXT.values())), rng, f"{tag}{i}")
        (folder / f"{i:03d}.txt").write_text(text + f"\n编号{tag}{i}", encoding="utf-8")


def _consistent(home: Path) -> Library:
    """The library opens, SQLite finds no damage, and search counts equal a scan of the stored bodies."""
    library = Library(home, seed=False)
    assert library.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert library.check_index() == []
    searcher = Searcher(library)
    for term in ["学", "学位", "教育局", "教师队伍", "义务教育均衡"]:
        result = searcher.search(term)
        assert (result.total, result.reports) == scan_counts(library, term), term
    return library


def test_two_processes_import_into_one_library_at_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert eduread(home, "list").returncode == 0  # the seeds
    _variants(tmp_path / "a", 24, "甲", 1)
    _variants(tmp_path / "b", 24, "乙", 2)
    command = [sys.executable, "-m", "eduread", "--library", str(home), "import"]
    procs = [subprocess.Popen([*command, str(tmp_path / f)], stdout=subprocess.PIPE, text=True) for f in "ab"]
    outs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    # made-up places (甲0市) are imported all the same, as reports to review
    assert all(re.search(r"imported 24( \([^)]*\))?, duplicates skipped 0, failed 0", out) for out in outs)
    library = _consistent(home)
    assert library.count() == 5 + 48
    library.close()


def test_a_killed_import_keeps_whole_batches_and_resumes(tmp_path: Path) -> None:
    import os
    import signal
    import time

    home = tmp_path / "home"
    assert eduread(home, "list").returncode == 0
    _variants(tmp_path / "many", 450, "丙", 3)
    proc = subprocess.Popen(
        [sys.executable, "-m", "eduread", "--library", str(home), "import", str(tmp_path / "many")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline:  # until the first batch of 200 is committed
            watch = sqlite3.connect(f"file:{home / 'library.sqlite3'}?mode=ro", uri=True, timeout=10)
            count = watch.execute("SELECT count(*) FROM reports").fetchone()[0]
            watch.close()
            if count >= 205:
                break
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the importer and its workers, mid-batch
        proc.wait()
    library = _consistent(home)
    stored = library.count()
    assert stored in (205, 405)  # whole batches only, killed before the last
    library.close()
    again = eduread(home, "import", str(tmp_path / "many"))
    # made-up places (丙0市) are imported all the same, as reports to review
    assert re.search(
        rf"imported {455 - stored}( \([^)]*\))?, duplicates skipped {stored - 5}, failed 0", again.stdout
    )
    library = _consistent(home)
    assert library.count() == 455
    library.close()


# ---- what a search process reads instead of computing: match forms, character counts, lengths ----


def _traditional_variant(tmp_path: Path) -> Path:
    """A seed with its first paragraphs in traditional characters (as a Hong Kong repost has it)."""
    from eduread.text.matching import has_traditional

    text = SEED_TEXT["001_a6c8c882fd1a3a93.txt"]
    variant = (
        text.replace("余姚", "慈溪")
        .replace("双减", "雙減")
        .replace("学校", "學校")
        .replace("发展", "發展")
        .replace("质量", "質量")
    )
    assert has_traditional(variant)
    path = tmp_path / "traditional.txt"
    path.write_text(variant, encoding="utf-8")
    return path


def test_stored_match_forms_equal_opencc_on_mixed_script_reports(tmp_path: Path) -> None:
    from eduread.text.matching import match_form, simplified_runs, with_runs

    texts = [_traditional_variant(tmp_path).read_text(encoding="utf-8"), *SEED_TEXT.values()]
    texts.append("臨湘市教育體育局2017年工作計劃，新增學位1200個。（一）乾隆年間")
    for text in texts:
        assert with_runs(text, simplified_runs(text)) == match_form(text)
    library = Library(tmp_path / "lib")
    import_paths(library, [str(tmp_path / "traditional.txt")], keywords=False)
    num = library.entries(place="慈溪")[0].num
    body, form = library.body_with_form(num)
    assert "雙減" in body and form == match_form(body) and "双减" in form
    stored = library.conn.execute("SELECT simplified FROM texts WHERE num = ?", (num,)).fetchone()[0]
    assert json.loads(stored)  # only the changed characters are kept, not a second copy of the text
    assert len(stored) < len(body) / 4
    result = Searcher(library).search("双减")
    assert (result.total, result.reports) == (
        sum(
            len(occurrences(match_form(b), "双减")) for (b,) in library.conn.execute("SELECT body FROM texts")
        ),
        2,
    )
    library.close()


def test_character_counts_follow_imports_removals_and_reparses(tmp_path: Path, library: Library) -> None:
    from eduread.library import char_counts

    def assert_in_step() -> None:
        assert char_counts.differences(library.conn, library.match_bodies()) == 0
        searcher = Searcher(library)
        for ch in ["学", "育", "%", "1", "雙", "双", "万", "囧"]:
            result = searcher.search(ch)
            assert (result.total, result.reports) == form_counts(library, ch), ch

    assert_in_step()
    rng = random.Random(3)
    folder = tmp_path / "more"
    folder.mkdir()
    for i in range(12):
        name, text = rng.choice(sorted(SEED_TEXT.items()))
        (folder / f"{i}.txt").write_text(variant(text, rng, rng.choice(["长春", "宁波"])), encoding="utf-8")
    import_paths(library, [str(folder), str(_traditional_variant(tmp_path))], keywords=False)
    assert_in_step()
    library.remove([e.id for e in library.entries(place="宁波")][:3])
    assert_in_step()
    first = library.entries()[0]
    from eduread.library.packed import pack, unpack

    with library.transaction() as conn:  # a stale parse whose body the cleaner now reads otherwise
        original, body = conn.execute(
            "SELECT original, body FROM texts WHERE num = ?", (first.num,)
        ).fetchone()
        conn.execute(
            "UPDATE texts SET body = ?, original = ? WHERE num = ?",
            ("页脚\n" + body, pack(unpack(original, body), "页脚\n" + body), first.num),
        )
        conn.execute("UPDATE parses SET parser_version = 0 WHERE num = ?", (first.num,))
    from eduread.library.reparse import reparse_stale

    reparse_stale(library)
    # the counts follow the rows, whatever the index holds; the check and reindex compare them
    with library.transaction() as conn:
        conn.execute("UPDATE char_counts SET total = total + 1 WHERE ch = '学'")
    assert any("characters differ" in p for p in library.check_index())
    library.reindex()
    assert library.check_index() == []
    assert_in_step()


def test_length_factors_are_kept_for_the_next_process_and_redone_when_stale(library: Library) -> None:
    from eduread.library import search

    first = Searcher(library).search("教育")
    saved = library.folder / search.FACTORS_FILE
    assert saved.exists()
    calls = []
    real = search._LengthFactors._save
    search._LengthFactors._save = lambda self, path, stamp: calls.append(stamp) or real(self, path, stamp)
    try:
        again = Searcher(library).search("教育")  # read from the file: nothing written
        assert calls == []
        saved.write_bytes(saved.read_bytes()[:-8])  # cut short: worked out again and written
        third = Searcher(library).search("教育")
        assert len(calls) == 1
        library.remove([library.entries()[0].id])  # another state of the index: redone once more
        fourth = Searcher(library).search("教育")
        assert len(calls) == 2
    finally:
        search._LengthFactors._save = real
    assert (first.total, first.reports) == (again.total, again.reports) == (third.total, third.reports)
    assert (fourth.total, fourth.reports) == scan_counts(library, "教育")


def test_a_library_of_schema_6_is_upgraded_with_its_counts(tmp_path: Path) -> None:
    from eduread.library import char_counts, schema

    library = Library(tmp_path / "lib")
    import_paths(library, [str(_traditional_variant(tmp_path))], keywords=False)
    expected = {r[0]: r[1:] for r in library.conn.execute("SELECT ch, reports, total FROM char_counts")}
    runs = dict(library.conn.execute("SELECT num, simplified FROM texts"))
    library.close()
    conn = sqlite3.connect(tmp_path / "lib" / "library.sqlite3", isolation_level=None)
    conn.execute("DROP TABLE char_counts")  # as version 6 left it
    conn.executescript(  # texts as version 6 made it: no simplified runs, no title hints
        "CREATE TABLE texts_6 (num INTEGER PRIMARY KEY REFERENCES reports(num) ON DELETE CASCADE,"
        " original BLOB NOT NULL, body TEXT NOT NULL);"
        "INSERT INTO texts_6 SELECT num, original, body FROM texts;"
        "DROP TABLE texts; ALTER TABLE texts_6 RENAME TO texts;"
    )
    conn.execute("UPDATE state SET value = '6' WHERE key = 'schema'")
    conn.close()
    shown = []
    library = Library(tmp_path / "lib", progress=lambda label, total: _recording(shown, label))
    assert schema.version(library.conn) == schema.SCHEMA_VERSION
    assert shown == ["upgrading the library"]
    assert {
        r[0]: r[1:] for r in library.conn.execute("SELECT ch, reports, total FROM char_counts")
    } == expected
    assert dict(library.conn.execute("SELECT num, simplified FROM texts")) == runs
    # the columns in the order salvage.py reads them from a damaged file's pages
    columns = [r[1] for r in library.conn.execute("PRAGMA table_info(texts)")]
    assert columns == ["num", "original", "body", "simplified", "hints"]
    assert char_counts.differences(library.conn, library.match_bodies()) == 0
    # the reader's tree counts its first level from an index, not a scan of every report
    plan = library.conn.execute(
        "EXPLAIN QUERY PLAN SELECT coalesce(json_extract(place_path, '$[0]'), ''), count(*) FROM reports"
        " WHERE doc_class = 'report' AND review = '[]' GROUP BY 1"
    ).fetchall()
    assert any("reports_province" in row[-1] for row in plan)
    from collections import Counter

    provinces = Counter(e.place_path[0] for e in library.entries() if e.group == "report")
    assert sorted(library.tree_groups()) == sorted(("province", k, n) for k, n in provinces.items())
    result = Searcher(library).search("減")  # read as 减, in every report that has either
    assert (result.total, result.reports) == form_counts(library, "減")
    library.close()


def _recording(shown: list[str], label: str):
    from contextlib import nullcontext

    shown.append(label)
    return nullcontext(lambda done, total: None)


def test_piped_list_is_the_terminal_layout_in_utf8(tmp_path: Path, library: Library) -> None:
    from eduread.commands.listing import lines, listing_cells, piped_lines

    nowhere = tmp_path / "nowhere.txt"  # no place named anywhere, no date: both columns fall back
    nowhere.write_text(
        "教育局2021年工作总结\n\n一、基本情况\n全年新增学位1200个，培训教师3000人次，学校教育教学质量稳步提升。\n",
        encoding="utf-8",
    )
    import_paths(library, [str(nowhere)], keywords=False)
    from eduread.parse.model import Correction

    first = library.entries()[0]  # a title a person ended with a full-width space
    library.set_correction(first.num, Correction(title=first.title + "\u3000"))
    rows = library.listing()
    assert any(json.loads(r[2]) == [] for r in rows) and any(r[4] is None for r in rows)
    assert any(r[5].endswith("\u3000") for r in rows)
    expected = "".join(line.rstrip() + "\n" for line in lines([], None, cells=listing_cells(rows)))
    assert piped_lines(library.listing(raw=True)).decode("utf-8") == expected
    run = eduread(library.folder, "list")
    assert run.returncode == 0 and run.stdout == expected + f"{len(rows)} reports\n"

    # edited outside eduread: a title of spaces only, and a short id
    second = library.entries()[1]
    library.conn.execute("UPDATE reports SET title = ' \u3000' WHERE num = ?", (second.num,))
    library.conn.execute("UPDATE reports SET id = 'ab12' WHERE num = ?", (first.num,))
    library.conn.commit()
    rows = library.listing()
    expected = "".join(line.rstrip() + "\n" for line in lines([], None, cells=listing_cells(rows)))
    assert "ab12  " in expected and piped_lines(library.listing(raw=True)).decode("utf-8") == expected


def test_two_hits_in_one_snippet_make_one_row(tmp_path: Path, library: Library) -> None:
    from conftest import seed_path
    from eduread.library.search import distinct_hits

    text = seed_path("000_74b69ab3a17d35dc.txt").read_text(encoding="utf-8")
    assert "新增学位4.07万个" in text
    twice = tmp_path / "twice.txt"  # as 深圳 writes it: 新增学位2万个;…,新增学位2万个
    twice.write_text(
        text.replace("新增学位4.07万个", "新增学位4.07万个,改扩建学校新增学位1万个"), encoding="utf-8"
    )
    import_paths(library, [str(twice)], keywords=False)
    hits = Searcher(library).search("学位", limit=500).hits
    shown = distinct_hits(hits)
    assert len(shown) < len(hits)
    for hit in hits:
        if hit not in shown:  # left out: inside the snippet shown just before it, same report
            before = shown[max(i for i, h in enumerate(shown) if h.num == hit.num and h.start < hit.start)]
            lo = before.start - before.mark[0]
            assert lo <= hit.start and hit.end <= lo + len(before.snippet)
            assert before.snippet[hit.start - lo : hit.end - lo] == "学位"
    run = eduread(library.folder, "search", "学位", "--limit", "500")
    assert run.stdout.count("@") == len(shown)  # one row per distinct snippet


def test_list_measures_cells_as_rich_does(library: Library) -> None:
    """`list` lays out its columns without loading rich: its widths must be rich's, for every
    character but those of no width (cleaning removes the format characters among them)."""
    from rich.cells import cell_len as rich_cell_len

    from eduread.commands.listing import cell_len

    visible = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and rich_cell_len(chr(c))]
    chunks = ["".join(visible[i : i + 500]) for i in range(0, len(visible), 500)]
    texts = [t + p for t, p in library.conn.execute("SELECT title, place_name FROM reports")]
    assert [cell_len(t) for t in chunks + texts] == [rich_cell_len(t) for t in chunks + texts]
    assert cell_len("教育局 2020") == 11 and cell_len("\U0001f4da") == 2  # a book emoji


def test_figures_are_kept_only_against_the_stored_body(library: Library, monkeypatch) -> None:
    from eduread.library import figure_table

    num = library.entries(place="怀化")[0].num
    library.conn.execute("DELETE FROM figures WHERE num = ?", (num,))
    library.conn.execute("DELETE FROM figures_done WHERE num = ?", (num,))
    real = library.report(num)
    moved = type(real)(**{**vars(real), "body": "页脚\n" + real.body})  # as a newer cleaner reads it
    monkeypatch.setattr(library, "report", lambda n: moved if n == num else Library.report(library, n))
    figure_table.fill_missing(library)
    assert num in figure_table.missing(library.conn)  # left for the report's replacement to bring
    monkeypatch.undo()
    figure_table.fill_missing(library)
    assert num not in figure_table.missing(library.conn)
    body = library.body(num)
    for text, start, lo, hi in library.conn.execute(
        "SELECT text, start, sentence_start, sentence_end FROM figures WHERE num = ?", (num,)
    ):
        assert body[start : start + len(text)] == text and lo <= start < hi


def test_search_names_a_report_without_a_title_by_its_place_and_parts(library: Library) -> None:
    entry = library.entries(place="天门")[0]
    library.conn.execute("UPDATE reports SET title = '' WHERE num = ?", (entry.num,))
    library.conn.commit()
    run = eduread(library.folder, "search", "职业教育", "--place", "天门")
    assert run.returncode == 0
    header = next(line for line in run.stdout.splitlines() if entry.id[:10] in line)
    assert header.startswith("天门市 2018工作要点"), header


def test_list_says_which_documents_are_not_bureau_reports(library: Library) -> None:
    from corpus import CORPUS

    import_paths(library, [str(CORPUS / "019.txt")], keywords=False)  # a 部门决算, kept as `other`
    other = next(e for e in library.entries() if e.doc_class == "other")
    run = eduread(library.folder, "list")
    line = next(line for line in run.stdout.splitlines() if line.startswith(other.id[:10]))
    assert "(other document)" in line
    assert sum("(other document)" in line for line in run.stdout.splitlines()) == 1  # the seeds are reports
