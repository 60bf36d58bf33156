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
    from eduread.library import grams

    real = grams.write_segment

    def boom(conn, seg, docs):
        real(conn, seg, docs)
        raise KeyboardInterrupt

    monkeypatch.setattr(grams, "write_segment", boom)
    with pytest.raises(KeyboardInterrupt):
        import_paths(library, [str(folder)], keywords=False)
    monkeypatch.setattr(grams, "write_segment", real)
    assert library.count() == 5
    for table in ("texts", "parses", "parts"):
        nums = {r[0] for r in library.conn.execute(f"SELECT num FROM {table}")}
        assert nums <= {e.num for e in library.entries()}
    assert Searcher(library).search("测1").total == 0
    result = import_paths(library, [str(folder)], keywords=False)
    assert len(result.imported) == 6 and library.count() == 11


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


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE trigrams SET keys = substr(keys, 1, length(keys) - 3)",  # postings cut short
        "DELETE FROM trigrams",  # postings gone
        "DELETE FROM grams",
    ],
)
def test_damaged_index_names_reindex(tmp_path: Path, damage: str) -> None:
    home = tmp_path / "home"
    assert eduread(home, "list").returncode == 0
    conn = sqlite3.connect(home / "library.sqlite3")
    conn.execute(damage)
    conn.commit()
    conn.close()
    query = "学位" if "grams" in damage and "tri" not in damage else "教师队伍"
    out = eduread(home, "search", query)
    assert out.returncode == 2 and "eduread reindex" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert eduread(home, "reindex").returncode == 0
    fixed = json.loads(eduread(home, "search", "教师队伍", "--json").stdout)
    assert fixed["total"] == 12


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_list_loads_neither_jieba_nor_numpy_nor_rich_tables(tmp_path: Path, extra: list[str]) -> None:
    heavy = ("jieba", "numpy", "rich.table", "rich.console")
    assert eduread(tmp_path / "h", "list").returncode == 0  # the first run stores the seeds (numpy indexes)
    code = (
        f"import sys; from eduread.cli import main; main(['--library', sys.argv[1], 'list', *{extra!r}]);"
        f"print('LOADED', [m for m in {heavy!r} if m in sys.modules], file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "h")], capture_output=True, text=True)
    assert out.stderr.strip().endswith("LOADED []")


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
    from eduread.library import grams, importer

    _corpus(tmp_path / "many", 20)
    library = Library(tmp_path / "lib", seed=False)
    monkeypatch.setattr(importer, "BATCH", 8)
    real = grams.write_segment
    calls = []

    def second_batch_interrupted(conn, seg, docs):
        calls.append(1)
        real(conn, seg, docs)
        if len(calls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(grams, "write_segment", second_batch_interrupted)
    with pytest.raises(KeyboardInterrupt):
        import_paths(library, [str(tmp_path / "many")], workers=2, keywords=False)
    assert library.count() == 8
    monkeypatch.setattr(grams, "write_segment", real)
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
    for (words,) in library.conn.execute("SELECT words FROM keywords"):
        for word in json.loads(words):
            expected[word] = expected.get(word, 0) + 1
    # A version-1 library (no word_df) gets it counted once when opened.
    with library.transaction() as conn:
        conn.execute("DROP TABLE word_df")
        conn.execute("UPDATE state SET value = '1' WHERE key = 'schema'")
    library.close()
    library = Library(tmp_path / "lib")
    assert dict(library.conn.execute("SELECT word, df FROM word_df WHERE df > 0")) == expected
    library.close()


def test_trigram_positions_answer_overlaps_edges_and_lines(tmp_path: Path) -> None:
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


def test_a_version_2_library_moves_its_index_out_of_fts5(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    expected = scan_counts(library, "教师队伍")
    with library.transaction() as conn:
        conn.execute("DROP TABLE trigrams")
        conn.execute(
            "CREATE VIRTUAL TABLE fts USING fts5(body, content='texts', content_rowid='num',"
            " tokenize='trigram case_sensitive 1')"
        )
        conn.execute("INSERT INTO fts(fts) VALUES ('rebuild')")
        conn.execute("UPDATE state SET value = '2' WHERE key = 'schema'")
    library.close()
    library = Library(tmp_path / "lib")
    tables = {r[0] for r in library.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "fts" not in tables and "trigrams" in tables
    result = Searcher(library).search("教师队伍")
    assert (result.total, result.reports) == expected and expected[0] == 12
    library.close()


def test_segments_merge_after_many_imports_and_drop_removed_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eduread.library import index

    monkeypatch.setattr(index, "SEGMENTS_BEFORE_MERGE", 4)
    library = Library(tmp_path / "lib")  # the seeds: one segment
    rng = random.Random(11)
    folder = tmp_path / "daily"
    folder.mkdir()
    terms = ["学", "学位", "教育局", "教师队伍", "全力维护校园安全", "日3", "日7", "天门"]

    def segments() -> int:
        return library.conn.execute("SELECT count(*) FROM segments").fetchone()[0]

    def counts_match() -> None:
        searcher = Searcher(library)
        for term in terms:
            result = searcher.search(term)
            assert (result.total, result.reports) == scan_counts(library, term), term

    for i in range(8):  # one small import a day, each its own segment
        path = folder / f"{i}.txt"
        path.write_text(variant(rng.choice(sorted(SEED_TEXT.values())), rng, f"日{i}"), encoding="utf-8")
        if i == 2:
            library.remove([library.entries(place="天门")[0].id])  # its postings are in the oldest segment
        import_paths(library, [str(path)], keywords=False)
        assert segments() <= 4 + 1
    counts_match()
    removed = library.conn.execute("SELECT count(*) FROM removed").fetchone()[0]
    assert removed == 1  # the newest-half merges never reached the seeds' segment
    for half in ("grams", "trigrams"):  # both halves keep exactly the listed segments, no more merged
        held = [s for (s,) in library.conn.execute(f"SELECT DISTINCT seg FROM {half} ORDER BY seg")]
        assert held == [s for (s,) in library.conn.execute("SELECT seg FROM segments ORDER BY seg")], half
    assert segments() > 1
    with library.transaction() as conn:
        index.merge(conn, {library.conn.execute("SELECT num FROM removed").fetchone()[0]})
    assert segments() == 1
    assert library.conn.execute("SELECT count(*) FROM removed").fetchone()[0] == 0
    assert library.conn.execute("SELECT count(DISTINCT seg) FROM trigrams").fetchone()[0] == 1
    counts_match()
    library.close()


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
    assert all("imported 24, duplicates skipped 0, failed 0" in out for out in outs)
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
    assert f"imported {455 - stored}, duplicates skipped {stored - 5}, failed 0" in again.stdout
    library = _consistent(home)
    assert library.count() == 455
    library.close()
