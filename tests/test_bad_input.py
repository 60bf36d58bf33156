"""Bad input as a careful tester throws it: every case runs eduread as a whole process and checks
no traceback, no hang (a timeout), the good files beside it imported, nothing stored lost, and
an exit code with one line per failure. Generated cases (hypothesis) cover bytes, file names,
sizes, nesting, numbers, encodings and command-line arguments."""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from battery import (
    HUAIHUA,
    SEED_FILES,
    clean,
    copy_library,
    eduread,
    snapshot,
    variant,
    write_variants,
)
from eduread.library.schema import SCHEMA_VERSION

FEW = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
SOME = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
MANY = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library holding the seeds, made once; cases work on copies."""
    home = tmp_path_factory.mktemp("base") / "home"
    clean(eduread(home, "list"))
    return home


@pytest.fixture
def home(base: Path, tmp_path: Path) -> Path:
    return copy_library(base, tmp_path / "home")


def _ids(home: Path) -> list[str]:
    return sorted(snapshot(home))


# ---- remove: an exact id or a unique prefix, never a pattern -------------------------------------

REMOVE_FORMS = {
    "percent-substring": lambda i: "%" + i[5:11],  # the issue's `remove %5c4d1d`
    "underscore-wildcard": lambda i: "_" + i[1:4],  # `remove _ac8`
    "empty": lambda i: "",
    "percent": lambda i: "%",
    "underscore": lambda i: "_",
    "double-percent": lambda i: "%%",
    "four-underscores": lambda i: "____",
    "short-prefix": lambda i: i[:3],
    "inner-substring": lambda i: i[1:9],
    "upper-case": lambda i: i.upper(),
    "longer-than-id": lambda i: i + "0",
    "leading-space": lambda i: " " + i,
    "star": lambda i: "*",
    "prefix-then-percent": lambda i: i[:4] + "%",
    "backslash": lambda i: "\\",
    "not-utf8": lambda i: i[:6] + "\udcff",
}


@pytest.mark.parametrize("form", sorted(REMOVE_FORMS))
def test_remove_matches_no_pattern_and_no_substring(home: Path, form: str) -> None:
    before = snapshot(home)
    target = sorted(before)[0]
    arg = REMOVE_FORMS[form](target)
    line = clean(eduread(home, "remove", arg), 1, lines=1)[0]
    assert "id" in line
    assert snapshot(home) == before


@pytest.mark.parametrize("how", ["whole id", "8-character prefix", "4-character prefix"])
def test_remove_by_id_or_unique_prefix_removes_exactly_that_report(home: Path, how: str) -> None:
    before = snapshot(home)
    target = sorted(before)[2]
    arg = {"whole id": target, "8-character prefix": target[:8], "4-character prefix": target[:4]}[how]
    clean(eduread(home, "remove", arg), 0, lines=0)
    after = snapshot(home)
    assert set(before) - set(after) == {target}
    assert all(after[k] == before[k] for k in after)


# ---- list --place: a plain substring, never a pattern --------------------------------------------


def _place_oracle(home: Path, place: str) -> int:
    conn = sqlite3.connect(home / "library.sqlite3")
    rows = conn.execute("SELECT place_name, place_path FROM reports").fetchall()
    conn.close()
    return sum(1 for name, path in rows if not place or place in name or place in path)


PLACES = [
    "%",
    "_",
    "%%",
    "\\",
    "%南通%",
    "_通",
    "'",
    "南通%",
    "[",
    "*",
    "南通",
    "怀化",
    "湖南",
    "\udcff",
    "x" * 5000,
]


@pytest.mark.parametrize("place", PLACES, ids=range(len(PLACES)))
def test_list_place_is_a_plain_substring(home: Path, place: str) -> None:
    run = eduread(home, "list", "--json", "--place", place)
    clean(run, 0, lines=0)
    assert len(json.loads(run.out)) == _place_oracle(home, place)


def test_list_place_finds_what_it_should(home: Path) -> None:
    run = eduread(home, "list", "--json", "--place", "南通")
    assert len(json.loads(run.out)) == 1  # the control: the filter does filter


# ---- numbers and text on the command line --------------------------------------------------------

BAD_YEARS = ["99999999999999999999", "-1", "abc", "0", "1e3", "2020.5", "", "-99999999999999999999", "20 20"]


@pytest.mark.parametrize("command", ["list", "search"])
@pytest.mark.parametrize("year", BAD_YEARS, ids=range(len(BAD_YEARS)))
def test_a_bad_year_is_one_line(home: Path, command: str, year: str) -> None:
    args = [command, "--year", year] + (["学位"] if command == "search" else [])
    line = clean(eduread(home, *args), 2, lines=1)[0]
    assert "year" in line and "--help" in line


@pytest.mark.parametrize("word", ["review", "serach", "lst"])
def test_a_mistyped_command_is_named_with_the_commands(home: Path, word: str) -> None:
    line = clean(eduread(home, word), 2, lines=1)[0]
    assert line.startswith(f"eduread: {word}: no such command or file") and "search" in line


QUERIES = [
    "\udcff",  # the issue's `search $'\xff'`: a byte that is not UTF-8 in argv
    "\udcff\udcfe",
    "学位\udcff",
    " ",
    '"',
    '""',
    "%",
    "_",
    "\x1b[2J",
    "\x1b]52;c;AAAA\x07",
    "学" * 3000,
    "a" * 20000,
    "'; DROP TABLE reports; --",
    "\\",
    "\u202e",
    "ｗｉｄｅ",
]


@pytest.mark.parametrize("query", QUERIES, ids=range(len(QUERIES)))
@pytest.mark.parametrize("form", ["text", "json"])
def test_any_query_answers_without_a_traceback(home: Path, query: str, form: str) -> None:
    before = snapshot(home)
    run = eduread(home, "search", *(["--json"] if form == "json" else []), query)
    clean(run, 0, lines=0)
    assert "\x1b" not in run.out
    if form == "json":
        json.loads(run.out)
    assert snapshot(home) == before


@pytest.mark.parametrize("limit", ["0", "-1", "99999999999999999999", "x", "1.5"])
def test_a_bad_limit_is_one_line(home: Path, limit: str) -> None:
    clean(eduread(home, "search", "--limit", limit, "学位"), 2, lines=1)


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--kind", "both"],
        ["list", "--bogus"],
        ["search"],
        ["remove"],
        ["compare", "怀化"],
        ["compare", "nowhere", "nothing"],
        ["compare", "怀化", "2019", "/no/such/file.txt"],
        ["compare", "\udcff", "怀化"],
        ["parse", "/no/such/file.txt"],
        ["parse", "\udcff.txt"],
        ["import", "/no/such/folder"],
        ["import", "/no/such/*.txt"],
        ["check", "--bogus"],
    ],
    ids=lambda a: " ".join(a).encode("ascii", "backslashreplace").decode(),
)
def test_wrong_arguments_are_one_line(home: Path, args: list[str]) -> None:
    before = snapshot(home)
    clean(eduread(home, *args), (1, 2), lines=1)
    assert snapshot(home) == before


# ---- the library's own state ---------------------------------------------------------------------


def _set_state(home: Path, sql: str, *args) -> None:
    conn = sqlite3.connect(home / "library.sqlite3", isolation_level=None)
    conn.execute(sql, args)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _file_hash(home: Path) -> str:
    import hashlib

    return hashlib.sha256((home / "library.sqlite3").read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "value, says",
    [
        ("abc", "unreadable"),
        ("", "unreadable"),
        ("99", "newer eduread"),
        (str(SCHEMA_VERSION + 1), "newer eduread"),
    ],
)
@pytest.mark.parametrize("command", [["list"], ["import", str(SEED_FILES[0])], ["search", "学位"]])
def test_a_library_it_cannot_read_is_refused_and_left_unchanged(
    home: Path, value: str, says: str, command: list[str]
) -> None:
    _set_state(home, "UPDATE state SET value = ? WHERE key = 'schema'", value)
    before = _file_hash(home)
    line = clean(eduread(home, *command), 2, lines=1)[0]
    assert says in line and "library.sqlite3" in line
    assert _file_hash(home) == before


def test_a_library_with_no_schema_row_names_check(home: Path) -> None:
    _set_state(home, "DELETE FROM state WHERE key = 'schema'")
    line = clean(eduread(home, "list"), 2, lines=1)[0]
    assert "eduread check" in line


@pytest.mark.parametrize("key", ["theme", "grouping", "last_report", "seeded"])
def test_junk_settings_do_not_stop_a_command(home: Path, key: str) -> None:
    _set_state(home, "INSERT OR REPLACE INTO settings(key, value) VALUES (?, 'abc')", key)
    run = eduread(home, "list")
    clean(run, 0, lines=0)
    assert run.out.strip().endswith("5 reports")


def test_a_newer_library_is_not_rewritten_by_check_repair(home: Path) -> None:
    _set_state(home, "UPDATE state SET value = ? WHERE key = 'schema'", str(SCHEMA_VERSION + 1))
    before = _file_hash(home)
    clean(eduread(home, "check", "--repair"), 2, lines=1)
    assert _file_hash(home) == before


def test_three_lists_on_a_new_library_seed_it_once(tmp_path: Path) -> None:
    import subprocess

    from battery import shared_cache

    home = tmp_path / "new"
    env = {**os.environ, "EDUREAD_HOME": str(home), "XDG_CACHE_HOME": shared_cache()}
    procs = [
        subprocess.Popen([sys.executable, "-m", "eduread", "list"], env=env, stdout=-1, stderr=-1)
        for _ in range(3)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert b"Traceback" not in err and not err
        assert out.decode().strip().endswith("5 reports")
    assert len(snapshot(home)) == 5


def test_a_version_3_library_leaves_its_old_index_tables_behind(home: Path) -> None:
    """Version 3 kept the search index in trigram and gram tables keyed (code, seg); since version 6
    the index is tantivy's beside the database: the migration drops them and builds the index."""
    import shutil

    conn = sqlite3.connect(home / "library.sqlite3", isolation_level=None)
    conn.execute(
        "CREATE TABLE trigrams (code INTEGER NOT NULL, seg INTEGER NOT NULL, keys BLOB NOT NULL,"
        " PRIMARY KEY (code, seg)) WITHOUT ROWID"
    )
    conn.execute(
        "CREATE TABLE grams (gram TEXT NOT NULL, seg INTEGER NOT NULL, docs BLOB NOT NULL,"
        " counts BLOB NOT NULL, PRIMARY KEY (gram, seg)) WITHOUT ROWID"
    )
    conn.execute("UPDATE state SET value = '3' WHERE key = 'schema'")
    conn.close()
    shutil.rmtree(home / "index")
    from battery import consistent

    assert consistent(home) == 5
    conn = sqlite3.connect(home / "library.sqlite3")
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert not names & {"trigrams", "grams", "segments", "removed"}
    assert (home / "index" / "meta.json").exists()


def test_a_file_name_that_is_not_utf8_does_not_fail_its_batch(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_variants(folder, 30)
    odd = os.fsencode(folder) + b"/r\xff\xfe.txt"
    with open(odd, "w", encoding="utf-8") as f:
        f.write(variant(500))
    before = snapshot(home)
    run = eduread(home, "import", str(folder))
    clean(run, 0, lines=0)
    assert "imported 31" in run.out
    after = snapshot(home)
    assert len(after) == 36 and all(after[k] == v for k, v in before.items())
    conn = sqlite3.connect(home / "library.sqlite3")
    names = [n for (n,) in conn.execute("SELECT source_path FROM reports WHERE source_path LIKE '%r\\xff%'")]
    conn.close()
    assert len(names) == 1 and names[0].endswith("r\\xff\\xfe.txt")
    run = eduread(home, "list")
    clean(run, 0, lines=0)


# ---- a folder of bad files beside good ones: one import, every file accounted for ----------------

_NOISE = bytes(random.Random(7).getrandbits(8) for _ in range(6000))
_NESTED = "<html><body>" + "<div>" * 39 + "<h1>怀化市教育局2019年工作总结</h1>" + "</div>" * 39
BAD_FILES: dict[str, bytes] = {
    "empty": b"",
    "spaces": b"   \n\n \t ",
    "nul": b"\x00" * 1000,
    "noise": _NOISE,
    "png": b"\x89PNG\r\n\x1a\n" + _NOISE[:2000],
    "bom-only": b"\xef\xbb\xbf",
    "utf16-bom": variant(900).encode("utf-16"),
    "utf16-le-no-bom": variant(901).encode("utf-16-le"),
    "gb18030": variant(902).encode("gb18030"),
    "gbk-cut-mid-char": variant(903).encode("gbk")[:-1],
    "utf8-cut-mid-char": variant(904).encode("utf-8")[:-2],
    "latin1": "café résumé ".encode("latin-1") * 200,
    "escapes": variant(905).replace("一、", "\x1b[2J\x1b]0;title\x07\x1b]52;c;AAAA\x07一、", 1).encode(),
    "long-line": ("教育" * 200_000).encode(),
    "crlf": variant(906).replace("\n", "\r\n").encode(),
    "cr-only": variant(907).replace("\n", "\r").encode(),
    "zero-width": variant(908).replace("教育", "教\u200b育").encode(),
    "bidi-override": ("\u202e" + variant(909)).encode(),
    "encoded-surrogate": variant(910).encode() + b"\xed\xa0\x80\xed\xbf\xbf",
    "title-only": "怀化市教育局2019年工作总结".encode(),
    "one-byte": b"a",
    "digits-only": b"123456789" * 300,
    "huge-decimal": variant(911).replace("4.07", "1" + "0" * 400 + ".5", 1).encode(),
    "many-figures": (HUAIHUA + "新增学位12.5万个，" * 3000).encode(),
    "nested-39": _NESTED.encode(),
    "unclosed-comment": (
        "<html><head><title>怀化市教育局2019年工作总结</title></head><body><!-- " + variant(912)
    ).encode(),
    "seed-copy": SEED_FILES[0].read_bytes(),
    "html-good": ("<html><body><pre>" + variant(913) + "</pre></body></html>").encode(),
    "school-plan": "长沙市第一中学2019年工作计划\n一、指导思想\n本校坚持立德树人。\n".encode() * 5,
    "json": b'{"title": "\xe6\x80\x80\xe5\x8c\x96", "n": 1e999}',
    "nested-800": ("<div>" * 800 + "怀化市教育局2019年工作总结" + "</div>" * 800).encode(),
}
SUFFIX = {"html-good": ".html", "nested-39": ".html", "nested-800": ".htm", "unclosed-comment": ".html"}
ODD_NAMES: dict[str, bytes] = {
    "name-dash": b"-rf",
    "name-space-cjk": "怀化 报告（一）".encode(),
    "name-newline": b"a\nb",
    "name-escape": b"\x1b[31mred",
    "name-not-utf8": b"r\xff",
    "name-upper-ext": b"UPPER",
    "name-long": b"x" * 200,
}
CASES = sorted(BAD_FILES) + sorted(ODD_NAMES) + ["dangling-link", "link-to-good", "deep-folder", "dup-pair"]


def _name(i: int, label: str) -> bytes:
    return f"case{i:02d}-".encode() + ODD_NAMES.get(label, label.encode())


@pytest.fixture(scope="module")
def folder_import(base: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One import of every bad file beside 12 good ones, and a parse of the same files."""
    root = tmp_path_factory.mktemp("bad")
    home = copy_library(base, root / "home")
    src = os.fsencode(root / "in")
    os.makedirs(src)
    good = write_variants(root / "in", 12)
    files: dict[str, bytes] = {}
    for i, label in enumerate(CASES):
        if label in BAD_FILES:
            path = os.path.join(src, _name(i, label) + SUFFIX.get(label, ".txt").encode())
            with open(path, "wb") as f:
                f.write(BAD_FILES[label])
        elif label in ODD_NAMES:
            ext = b".TXT" if label == "name-upper-ext" else b".txt"
            path = os.path.join(src, _name(i, label) + ext)
            with open(path, "w", encoding="utf-8") as f:
                f.write(variant(950 + i))
        elif label == "dangling-link":
            path = os.path.join(src, _name(i, label) + b".txt")
            os.symlink(b"/no/such/target.txt", path)
        elif label == "link-to-good":
            path = os.path.join(src, _name(i, label) + b".txt")
            os.symlink(os.fsencode(good[0]), path)
        elif label == "deep-folder":
            deep = os.path.join(src, *[b"d%d" % n for n in range(40)])
            os.makedirs(deep)
            path = os.path.join(deep, _name(i, label) + b".txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(variant(990))
        elif label == "dup-pair":
            path = os.path.join(src, _name(i, label) + b"-a.txt")
            for suffix in (b"-a.txt", b"-b.txt"):
                with open(os.path.join(src, _name(i, label) + suffix), "w", encoding="utf-8") as f:
                    f.write(variant(991))
        files[label] = path
    before = snapshot(home)
    run = eduread(home, "import", os.fsdecode(src))
    parse = eduread(home, "parse", *[os.fsdecode(p) for p in files.values()])
    conn = sqlite3.connect(home / "library.sqlite3")
    sources = [s for (s,) in conn.execute("SELECT source_path FROM reports")]
    conn.close()
    return {
        "home": home,
        "run": run,
        "parse": parse,
        "before": before,
        "good": good,
        "sources": sources,
        "files": files,
    }


def _failed_line(lines: list[str], i: int) -> list[str]:
    """The refusal lines naming case i (a repair note on an imported file is not a refusal)."""
    return [
        line for line in lines if f"case{i:02d}-" in line and "imported, repaired while reading" not in line
    ]


def test_folder_import_ends_cleanly_and_keeps_everything(folder_import: dict) -> None:
    run = folder_import["run"]
    lines = clean(run, (0, 1))
    failed = int(re.search(r"failed (\d+)", run.out).group(1))
    not_read = re.search(r"not read (\d+)", run.out)
    failed += int(not_read.group(1)) if not_read else 0
    refusals = [line for line in lines if "imported, repaired while reading" not in line]
    assert failed == len(refusals)  # one line per failed or unread file; repairs are named besides
    assert run.code == (1 if failed else 0)
    after = snapshot(folder_import["home"])
    before = folder_import["before"]
    assert all(after.get(k) == v for k, v in before.items())  # nothing stored lost
    stored = "\n".join(folder_import["sources"])
    for path in folder_import["good"]:
        assert str(path.resolve()) in stored  # the good files beside the bad ones


@pytest.mark.parametrize("label", CASES)
def test_each_bad_file_is_imported_or_named_in_one_line(folder_import: dict, label: str) -> None:
    i = CASES.index(label)
    lines = folder_import["run"].lines
    named = _failed_line(lines, i)
    stored = [s for s in folder_import["sources"] if f"case{i:02d}-" in s]
    must_import = label in ODD_NAMES or label in {
        "utf16-bom",
        "gb18030",
        "crlf",
        "cr-only",
        "zero-width",
        "deep-folder",
        "escapes",
    }
    if label == "dup-pair":
        assert len(stored) == 1 and not named  # the second copy is a skipped duplicate
    elif label in ("seed-copy", "link-to-good"):
        assert not named  # a duplicate of a stored report: skipped, not failed
    elif must_import:
        assert len(stored) == 1 and not named, (label, named)
    else:
        assert len(stored) + len(named) == 1, (label, named, stored)
    for line in named:
        assert "\x1b" not in line.replace("\\x1b", "") or label == "name-escape"


@pytest.mark.parametrize("label", CASES)
def test_each_bad_file_parses_or_is_named_in_one_line(folder_import: dict, label: str) -> None:
    parse = folder_import["parse"]
    clean(parse, (0, 1))
    i = CASES.index(label)
    assert len(_failed_line(parse.lines, i)) <= 1


# ---- generated cases ----------------------------------------------------------------------------

_counter = iter(range(10**6))


def _fresh(base: Path) -> Path:
    import tempfile

    return copy_library(base, Path(tempfile.mkdtemp(prefix="eduread-case-")) / "home")


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(contents=st.lists(st.binary(max_size=4000), min_size=8, max_size=12))
def test_generated_bytes_beside_good_files(base: Path, contents: list[bytes]) -> None:
    """Each example is a folder of generated files and two good ones, imported at once."""
    home = _fresh(base)
    folder = home.parent / "in"
    folder.mkdir()
    for n, data in enumerate(contents):
        (folder / f"junk{n}.txt").write_bytes(data)
    for n in range(2):
        (folder / f"good{n}.txt").write_text(variant(2000 + next(_counter)), encoding="utf-8")
    before = snapshot(home)
    run = eduread(home, "import", str(folder))
    lines = clean(run, (0, 1))
    refusals = [line for line in lines if "imported, repaired while reading" not in line]
    counted = re.search(r"failed (\d+)", run.out)
    not_read = re.search(r"not read (\d+)", run.out)
    assert len(refusals) == int(counted.group(1)) + (int(not_read.group(1)) if not_read else 0)
    for n in range(len(contents)):  # each junk file is stored, skipped as a duplicate, or named once
        assert sum(f"junk{n}.txt:" in line for line in lines) <= 1
    after = snapshot(home)
    assert all(after.get(k) == v for k, v in before.items())
    assert len(after) >= len(before) + 2  # the good ones, whatever the junk did


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(
    names=st.lists(
        st.binary(min_size=1, max_size=60).filter(lambda b: b"/" not in b and b"\x00" not in b),
        min_size=4,
        max_size=8,
        unique_by=lambda b: b.lower(),
    )
)
def test_generated_file_names(base: Path, names: list[bytes]) -> None:
    home = _fresh(base)
    folder = os.fsencode(home.parent / "in")
    os.makedirs(folder)
    for name in names:
        with open(os.path.join(folder, name + b".txt"), "w", encoding="utf-8") as f:
            f.write(variant(3000 + next(_counter)))
    run = eduread(home, "import", os.fsdecode(folder))
    clean(run, 0, lines=0)
    shown = [n for n in names if not n.startswith(b".")]  # a folder's hidden files are passed over
    assert re.search(rf"imported {len(shown)}( \([^)]*\))?,", run.out)


@SOME
@given(
    cut=st.integers(min_value=0, max_value=len(HUAIHUA.encode())),
    encoding=st.sampled_from(
        ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be", "big5"]
    ),
)
def test_generated_sizes_and_encodings_parse(tmp_path: Path, cut: int, encoding: str) -> None:
    data = HUAIHUA.encode(encoding, "replace")[: cut * 2]
    path = tmp_path / f"cut{next(_counter)}.txt"
    path.write_bytes(data)
    run = eduread(tmp_path / "h", "parse", str(path))
    clean(run, (0, 1), lines=None if run.code == 0 else 1)


@FEW
@given(depth=st.integers(0, 3000), tag=st.sampled_from(["div", "p", "span", "table", "blockquote"]))
def test_generated_nesting_parses(tmp_path: Path, depth: int, tag: str) -> None:
    html = (
        f"<html><body>{f'<{tag}>' * depth}<p>怀化市教育局2019年工作总结</p>{variant(1)}{f'</{tag}>' * depth}"
    )
    path = tmp_path / f"nest{next(_counter)}.html"
    path.write_text(html, encoding="utf-8")
    run = eduread(tmp_path / "h", "parse", str(path))
    clean(run, (0, 1))


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(
    figures=st.lists(
        st.tuples(
            st.from_regex(r"\A[0-9]{1,290}(\.[0-9]{1,40})?\Z"),
            st.sampled_from(["万个", "亿元", "%", "个", "倍", "万元", "所"]),
        ),
        min_size=4,
        max_size=6,
    )
)
def test_generated_numbers_parse(tmp_path: Path, figures: list[tuple[str, str]]) -> None:
    paths = []
    for number, unit in figures:
        text = HUAIHUA.replace("新增学位4.07万个", f"新增学位{number}{unit}", 1)
        path = tmp_path / f"num{next(_counter)}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    run = eduread(tmp_path / "h", "parse", "--json", *paths)
    clean(run, 0, lines=0)
    assert len(json.loads(run.out)) == len(paths)


_ARG = st.text(
    alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=30
) | st.binary(max_size=12).filter(lambda b: b"\x00" not in b).map(os.fsdecode)


@SOME
@given(place=_ARG)
def test_generated_places(base: Path, place: str) -> None:
    home = base  # read only
    run = eduread(home, "list", "--json", "--place", place)
    clean(run, 0, lines=0)
    shown = place.encode("utf-8", "surrogateescape").decode("utf-8", "replace") if place else place
    assert len(json.loads(run.out)) == _place_oracle(home, shown)


@SOME
@given(arg=_ARG)
def test_generated_remove_arguments(base: Path, arg: str) -> None:
    home = _fresh(base)
    before = snapshot(home)
    run = eduread(home, "remove", arg)
    clean(run, (0, 1), lines=1 if run.code else 0)
    gone = set(before) - set(snapshot(home))
    allowed = {i for i in before if i == arg or (len(arg) >= 4 and i.startswith(arg))}
    assert gone <= allowed and len(gone) <= 1
    assert bool(gone) == (run.code == 0)


@SOME
@given(year=_ARG, command=st.sampled_from(["list", "search"]))
def test_generated_years(base: Path, year: str, command: str) -> None:
    args = [command, "--year", year] + (["学位"] if command == "search" else [])
    run = eduread(base, *args)
    clean(run, (0, 2), lines=None if run.code == 0 else 1)
    if run.code == 0:
        assert 1900 <= int(year) <= 2200


@SOME
@given(query=_ARG.filter(lambda q: q.strip() and not q.startswith("-")))
def test_generated_queries(base: Path, query: str) -> None:
    run = eduread(base, "search", "--json", query)
    clean(run, 0, lines=0)
    json.loads(run.out)


# ---- in-process oracles, many examples ----------------------------------------------------------


@pytest.fixture(scope="module")
def opened(base: Path):
    from eduread.library.store import Library

    lib = Library(base, seed=False)
    yield lib
    lib.close()


@MANY
@given(place=st.text(max_size=8) | st.sampled_from(["%", "_", "\\", "南通", "湖南", "%_\\"]))
def test_entries_by_place_equal_a_substring_scan(opened, place: str) -> None:
    everything = opened.entries()
    expected = [
        e.num
        for e in everything
        if place
        and (
            place.lower() in e.place_name.lower()
            or place.lower() in json.dumps(e.place_path, ensure_ascii=False).lower()
        )
    ]
    got = [e.num for e in opened.entries(place=place)] if place else expected
    assert sorted(got) == sorted(expected)


@MANY
@given(key=st.text(alphabet="0123456789abcdef%_\\*", max_size=17))
def test_entry_by_key_is_an_exact_id_or_a_unique_prefix(opened, key: str) -> None:
    ids = [e.id for e in opened.entries()]
    entry = opened.entry(key)
    matches = [i for i in ids if i == key or (len(key) >= 4 and i.startswith(key))]
    assert (entry.id if entry else None) == (matches[0] if len(matches) == 1 else None)


@MANY
@given(name=st.text(alphabet=st.characters(), max_size=20))
def test_stored_names_are_valid_text(name: str) -> None:
    from eduread.library.store import stored_name

    stored_name(name).encode("utf-8")


@MANY
@given(
    a=st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(10**400), 10**400),
    b=st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(10**400), 10**400),
)
def test_figure_differences_never_show_nan_or_inf(a, b) -> None:
    from eduread.analysis.figure_match import difference, target_met
    from eduread.parse.model import Figure

    left = Figure(text="1个", start=0, end=2, value=a, unit="个", kind="count")
    right = Figure(text="2个", start=0, end=2, value=b, unit="个", kind="count")
    shown = difference(left, right)
    assert "nan" not in shown.lower() and "inf" not in shown.lower()
    target_met(left, right)


# ---- huge figures: the parser's numbers as JSON and in a comparison -------------------------------

HUGE_FIGURES = [
    "1" * 400 + ".5万个",
    "1" * 310 + "亿元",
    "9" * 4400 + "万个",  # more digits than int() converts
    "9" * 5000 + ".5%",  # a float overflow: Infinity in JSON
    "1e999个",
    "0." + "0" * 400 + "1万元",
    "1" * 330 + "元",
    "9" * 309 + "万个",
]


@pytest.mark.parametrize("figure", HUGE_FIGURES, ids=lambda f: f"{f[:3]}-{len(f)}")
def test_huge_figures_parse_to_strict_json(tmp_path: Path, figure: str) -> None:
    path = tmp_path / "huge.txt"
    text = HUAIHUA + HUAIHUA * 11 + HUAIHUA.replace("新增学位4.07万个", f"新增学位{figure}", 1)
    path.write_text(text, encoding="utf-8")  # the figure late: the first pages read as a report
    run = eduread(tmp_path / "h", "parse", "--json", str(path))
    clean(run, 0, lines=0)

    def refuse(constant: str) -> None:
        raise ValueError(f"not JSON: {constant}")

    json.loads(run.out, parse_constant=refuse)


def test_a_4301_digit_figure_does_not_stop_the_good_files(base: Path, tmp_path: Path) -> None:
    home = copy_library(base, tmp_path / "home")
    write_variants(tmp_path / "in", 20)
    text = variant(700) * 12 + HUAIHUA.replace("新增学位", "新增学位" + "9" * 4400 + "个，", 1)
    (tmp_path / "in" / "digits.txt").write_text(text, encoding="utf-8")
    run = eduread(home, "import", str(tmp_path / "in"))
    lines = clean(run, (0, 1))
    assert len(lines) <= 1
    assert len(snapshot(home)) >= 5 + 20


@pytest.mark.parametrize("figure", ["9" * 309 + "万个", "1" * 400 + ".5万个", "1" * 330 + "个"])
def test_compare_never_shows_nan_or_inf(tmp_path: Path, figure: str) -> None:
    left = tmp_path / "left.txt"
    right = tmp_path / "right.txt"
    left.write_text(HUAIHUA.replace("新增学位4.07万个", f"新增学位{figure}", 1), encoding="utf-8")
    right.write_text(variant(5), encoding="utf-8")
    for form in ([], ["--json"], ["--markdown"]):
        run = eduread(tmp_path / "h", "compare", str(left), str(right), *form)
        clean(run, 0, lines=0)
        lowered = run.out.lower()
        assert "nan个" not in lowered and "inf" not in lowered.replace("info", "")
