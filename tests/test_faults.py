"""Faults: kill -9 mid-import, imports at once, reads during an import, a damaged page in each
table, a read-only library, a full disk, a deleted -wal. Afterwards the library is whole
(integrity_check, every report with its text and parse, search counts equal a scan of the
bodies) and every failure was one clear line."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from battery import (
    SEED_FILES,
    clean,
    consistent,
    copy_library,
    eduread,
    shared_cache,
    snapshot,
    write_variants,
)


def _popen(home: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    full = {**os.environ, "EDUREAD_HOME": str(home), "XDG_CACHE_HOME": shared_cache(), **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "eduread", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=full,
        start_new_session=True,
    )


def _count(home: Path) -> int:
    conn = sqlite3.connect(f"file:{home / 'library.sqlite3'}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    finally:
        conn.close()


def _group_alive(pgid: int) -> list[int]:
    """Processes of a process group that are still running (zombies waiting for a reaper are not)."""
    alive = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(entry))
    return alive


def _wait_gone(pgid: int, seconds: float = 15) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = _group_alive(pgid)
        if not left:
            return []
        time.sleep(0.05)
    return _group_alive(pgid)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeds plus 24 imported reports (with keywords), a bookmark, a position and settings."""
    root = tmp_path_factory.mktemp("faults")
    home = root / "home"
    clean(eduread(home, "list"))
    write_variants(root / "in", 24)
    clean(eduread(home, "import", str(root / "in")))
    from eduread.library.store import Library

    lib = Library(home, seed=False)
    lib.set_setting("theme", "eduread-light")
    lib.add_bookmark(1, 10, "mark")
    lib.set_position(2, 30)
    lib.close()
    return home


# ---- kill -9 -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def import_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kill") / "in"
    write_variants(folder, 60, start=100)
    return folder


def test_workers_die_with_a_killed_importer(base: Path, import_folder: Path, tmp_path: Path) -> None:
    home = copy_library(base, tmp_path / "home")
    proc = _popen(home, "import", str(import_folder))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_group_alive(proc.pid)) < 2:  # the importer and a worker
        time.sleep(0.02)
    workers = [p for p in _group_alive(proc.pid) if p != proc.pid]
    os.kill(proc.pid, signal.SIGKILL)  # the importer only: its workers must follow by themselves
    proc.wait(timeout=30)
    try:
        assert workers, "the import started no worker processes"
        assert _wait_gone(proc.pid) == []
    finally:
        for pid in _group_alive(proc.pid):
            os.kill(pid, signal.SIGKILL)
    assert consistent(home, ("学位", "教")) in (29, 89)


def test_kill_9_at_ten_points_of_an_import(base: Path, import_folder: Path, tmp_path: Path) -> None:
    reference = copy_library(base, tmp_path / "reference")
    started = time.monotonic()
    clean(eduread(reference, "import", str(import_folder)))
    took = time.monotonic() - started
    rng = random.Random(13)
    points = sorted(rng.uniform(0.02, 1.1) * took for _ in range(10))
    before = snapshot(base)
    outcomes = []
    for n, delay in enumerate(points):
        home = copy_library(base, tmp_path / f"home{n}")
        proc = _popen(home, "import", str(import_folder))
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert _wait_gone(proc.pid) == [], f"workers left running after a kill at {delay:.2f}s"
        count = consistent(home, ("学位", "教"))
        assert count in (29, 89), count  # whole batches only
        after = snapshot(home)
        assert all(after[k] == v for k, v in before.items())  # nothing stored before was lost
        outcomes.append(count)
        if n % 3 == 0:  # and the import resumes where it stopped
            run = eduread(home, "import", str(import_folder))
            clean(run, 0, lines=0)
            assert re.search(
                rf"imported {89 - count}( \([^)]*\))?, duplicates skipped {count - 29}, failed 0", run.out
            )
            assert consistent(home, ("学位",)) == 89
    assert len(outcomes) == 10


# ---- several processes at once -----------------------------------------------------------------


def test_overlapping_imports_at_once_store_each_report_once(base: Path, tmp_path: Path) -> None:
    home = copy_library(base, tmp_path / "home")
    sets = {
        name: write_variants(tmp_path / name, 20, start=start)
        for name, start in (("a", 200), ("b", 220), ("c", 240))
    }
    folders = []
    for pair in ("ab", "bc", "ca"):  # every file is in two of the three imports
        folder = tmp_path / f"in-{pair}"
        folder.mkdir()
        for name in pair:
            for path in sets[name]:
                (folder / f"{name}-{path.name}").write_bytes(path.read_bytes())
        folders.append(folder)
    procs = [_popen(home, "import", str(f)) for f in folders]
    imported = skipped = 0
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert b"Traceback" not in err and not err, err
        assert proc.returncode == 0
        summary = out.decode().strip().splitlines()[-1]
        numbers = [int(w.rstrip(",")) for w in summary.split() if w.rstrip(",").isdigit()]
        imported += numbers[0]
        skipped += numbers[1]
    assert imported == 60 and skipped == 60
    assert consistent(home) == 29 + 60


def test_reads_during_an_import_see_whole_batches(base: Path, import_folder: Path, tmp_path: Path) -> None:
    home = copy_library(base, tmp_path / "home")
    proc = _popen(home, "import", str(import_folder))
    seen = []
    while proc.poll() is None:
        run = eduread(home, "list", "--json")
        clean(run, 0, lines=0)
        seen.append(len(json.loads(run.out)))
        clean(eduread(home, "search", "学位"), 0, lines=0)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and not err
    assert seen and set(seen) <= {29, 89}
    assert seen == sorted(seen)
    assert consistent(home) == 89


# ---- damaged pages -----------------------------------------------------------------------------

TABLES = [  # the search index is tantivy's, beside the database: see test_library.py
    "reports",
    "texts",
    "parses",
    "parts",
    "keywords",
    "word_df",
    "settings",
    "state",
    "bookmarks",
    "positions",
    "sqlite_autoindex_reports_1",
]


def _damage(home: Path, table: str) -> int:
    """Overwrite one page of `table` with random bytes; returns how many rows that page held."""
    db = home / "library.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = conn.execute(
        "SELECT pageno, pagetype, ncell FROM dbstat WHERE name = ? ORDER BY pageno", (table,)
    ).fetchall()
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert pages, table
    leaves = [p for p in pages if p[1] == "leaf"] or pages
    pageno, _kind, cells = leaves[len(leaves) // 2]
    noise = bytes(random.Random(pageno).getrandbits(8) for _ in range(size))
    with open(db, "r+b") as f:
        f.seek((pageno - 1) * size)
        f.write(noise)
    return cells if len(pages) > 1 else 10**6


@pytest.mark.parametrize("table", TABLES)
def test_a_damaged_page_is_noticed_and_repaired(base: Path, tmp_path: Path, table: str) -> None:
    home = copy_library(base, tmp_path / "home")
    before = snapshot(home)
    rows_on_page = _damage(home, table)
    new = tmp_path / "new.txt"
    new.write_text(SEED_FILES[0].read_text(encoding="utf-8").replace("4.07万", "9.99万"), encoding="utf-8")
    for args in (["list"], ["search", "学位"], ["search", "教"], ["compare", "怀化", "2019", "崇川", "2019"]):
        run = eduread(home, *args)
        lines = clean(run, (0, 1, 2), lines=None if run.code == 0 else 1)
        for line in lines:
            assert "eduread check" in line or "reindex" in line or "compare" in line, line
    for args in (["import", str(new)], ["remove", sorted(before)[0]]):  # writing into damage: refused
        line = clean(eduread(home, *args), 2, lines=1)[0]
        assert "damaged" in line and "eduread check" in line
    assert not any("9.99万" in t for t in _texts(home))
    run = eduread(home, "check")
    clean(run, 1)
    assert "DAMAGED" in run.out and "eduread check --repair" in run.out
    run = eduread(home, "check", "--repair")
    clean(run, (0, 1))
    assert "repaired:" in run.out
    assert list(home.glob("library.sqlite3.damaged-*"))
    count = consistent(home)
    after = snapshot(home)
    assert set(after) <= set(before)
    assert all(after[k] == before[k] for k in after)  # what was saved is what was stored
    assert count >= len(before) - rows_on_page
    if table != "texts":
        assert count == len(before)  # only a damaged text loses a report
    clean(eduread(home, "check"), 0)


def _texts(home: Path) -> list[str]:
    conn = sqlite3.connect(home / "library.sqlite3")
    try:
        from eduread.library.packed import unpack  # originals are stored deflated against their body

        return [unpack(t, b) for (t, b) in conn.execute("SELECT original, body FROM texts")]
    except sqlite3.DatabaseError:
        return []
    finally:
        conn.close()


# ---- read-only ---------------------------------------------------------------------------------


def _as_other_user() -> None:
    if os.geteuid() == 0:  # root ignores permissions: run as nobody so they count
        os.setgid(65534)
        os.setuid(65534)


def _python_for_nobody() -> tuple[str, dict] | None:
    """An interpreter another user can run with this eduread importable, and the env it needs.

    This interpreter may live in a folder only its owner can enter (pyenv under /root); a system
    Python of the same version can then run the same code from the same folders.
    """
    import shutil
    import site

    import eduread

    paths = [str(Path(eduread.__file__).resolve().parent.parent), *site.getsitepackages()]
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [
        (sys.executable, {}),
        *(
            (p, {"PYTHONPATH": os.pathsep.join(paths)})
            for p in filter(None, [shutil.which(version), f"/usr/bin/{version}"])
        ),
    ]
    for python, env in candidates:
        try:
            done = subprocess.run(
                [python, "-c", "import eduread.cli, numpy, rich"],
                capture_output=True,
                preexec_fn=_as_other_user,
                cwd="/",
                env={**os.environ, **env},
            )
        except OSError:
            continue
        if done.returncode == 0:
            return python, env
    return None


@pytest.fixture
def world():
    """A folder anyone may enter, for a library another user opens."""
    import shutil

    path = Path(tempfile.mkdtemp(prefix="eduread-ro-"))
    path.chmod(0o777)
    yield path
    subprocess.run(["umount", "-l", str(path / "ro")], capture_output=True)
    for sub in path.rglob("*"):
        try:
            sub.chmod(0o777)
        except OSError:
            pass
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.parametrize("what", ["file", "folder", "mount"])
def test_a_read_only_library_reads_and_refuses_writes_in_one_line(base: Path, world: Path, what: str) -> None:
    from battery import Run

    home = copy_library(base, world / "home")
    new = world / "new.txt"
    new.write_text(SEED_FILES[0].read_text(encoding="utf-8").replace("4.07万", "8.88万"), encoding="utf-8")
    new.chmod(0o644)
    before = snapshot(home)
    preexec = None
    python, extra = sys.executable, {}
    if what == "mount":  # a read-only file system: even root cannot write
        (world / "ro").mkdir()
        if subprocess.run(["mount", "--bind", str(home), str(world / "ro")], capture_output=True).returncode:
            pytest.skip("cannot bind-mount here")
        subprocess.run(["mount", "-o", "remount,ro,bind", str(world / "ro")], check=True, capture_output=True)
        home = world / "ro"
    else:
        if os.geteuid() == 0:
            found = _python_for_nobody()
            if found is None:
                pytest.skip("no Python here another user can run; the read-only mount covers it")
            python, extra = found
            preexec = _as_other_user
        for path in [home, *home.iterdir()]:
            path.chmod(0o755 if path.is_dir() else 0o444)
        if what == "file":
            home.chmod(0o777)  # the folder is writable, the file is not
    env = {
        **os.environ,
        "EDUREAD_HOME": str(home),
        "XDG_CACHE_HOME": str(world / "cache"),
        "XDG_CONFIG_HOME": str(world / "config"),
        "XDG_DATA_HOME": str(world / "data"),
        **extra,
    }

    def run(*args: str) -> Run:
        proc = subprocess.run(
            [python, "-m", "eduread", *args],
            capture_output=True,
            env=env,
            timeout=120,
            preexec_fn=preexec,
            cwd=world,
        )
        return Run(proc.returncode, proc.stdout.decode(), proc.stderr.decode())

    listed = run("list")
    clean(listed, 0, lines=0)
    assert listed.out.strip().endswith(f"{len(before)} reports")
    clean(run("search", "学位"), 0, lines=0)
    for args in (["import", str(new)], ["remove", sorted(before)[0]], ["reindex"]):
        line = clean(run(*args), 2, lines=1)[0]
        assert "read-only" in line and "library.sqlite3" in line
    assert snapshot(home) == before


def test_a_read_only_library_from_before_title_hints_is_read_as_it_is(base: Path, world: Path) -> None:
    """Schema 8 added texts.hints; a library of schema 7 on a read-only disk cannot get the column
    and is read without it: listed, searched, and a report parsed again."""
    from battery import Run

    home = copy_library(base, world / "home")
    conn = sqlite3.connect(home / "library.sqlite3", isolation_level=None)
    conn.executescript(  # texts as version 7 made it
        "CREATE TABLE texts_7 (num INTEGER PRIMARY KEY REFERENCES reports(num) ON DELETE CASCADE,"
        " original BLOB NOT NULL, body TEXT NOT NULL, simplified TEXT);"
        "INSERT INTO texts_7 SELECT num, original, body, simplified FROM texts;"
        "DROP TABLE texts; ALTER TABLE texts_7 RENAME TO texts;"
        "UPDATE state SET value = '7' WHERE key = 'schema'; PRAGMA wal_checkpoint(TRUNCATE);"
    )
    conn.close()
    before = snapshot(home)
    (world / "ro").mkdir()
    if subprocess.run(["mount", "--bind", str(home), str(world / "ro")], capture_output=True).returncode:
        pytest.skip("cannot bind-mount here")
    subprocess.run(["mount", "-o", "remount,ro,bind", str(world / "ro")], check=True, capture_output=True)
    env = {**os.environ, "EDUREAD_HOME": str(world / "ro"), "XDG_CACHE_HOME": str(world / "cache")}
    for args in (["list"], ["search", "学位"]):
        proc = subprocess.run(
            [sys.executable, "-m", "eduread", *args], capture_output=True, env=env, timeout=120
        )
        clean(Run(proc.returncode, proc.stdout.decode(), proc.stderr.decode()), 0, lines=0)
    from eduread.library.store import Library

    library = Library(world / "ro", seed=False)
    try:
        assert library.readonly
        entry = library.entries(place="怀化")[0]
        assert library.reparse(entry.num).title == entry.title
    finally:
        library.close()
    assert snapshot(world / "ro") == before


# ---- a full disk -------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 1.6 MB tmpfs when this machine lets us mount one (root on Linux); skipped elsewhere."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1600k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here; the simulated full disk covers it")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_is_one_line_and_keeps_the_library(small_disk: Path, tmp_path: Path) -> None:
    home = small_disk / "home"
    clean(eduread(home, "list"), 0)
    before = snapshot(home)
    write_variants(tmp_path / "in", 200, start=300)  # 40 fit: texts are stored compressed
    run = eduread(home, "import", str(tmp_path / "in"))
    line = clean(run, 2, lines=1)[0]
    assert "disk is full" in line and "cannot rollback" not in line
    assert snapshot(home) == before  # the failed batch left nothing behind
    consistent(home, ("学位",))


def test_a_simulated_full_disk_reports_the_real_error(base: Path, tmp_path: Path) -> None:
    """SQLite's own SQLITE_FULL (a page limit the batch cannot fit in), through the real command."""
    home = copy_library(base, tmp_path / "home")
    before = snapshot(home)
    write_variants(tmp_path / "in", 20, start=400)
    pages = (home / "library.sqlite3").stat().st_size // 4096 + 40
    driver = (
        "import sys\n"
        "import eduread.library.schema as schema\n"
        "real = schema.connect\n"
        "def connect(*a, **k):\n"
        "    conn = real(*a, **k)\n"
        f"    conn.execute('PRAGMA max_page_count = {pages}')\n"
        "    return conn\n"
        "schema.connect = connect\n"
        "from eduread.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", driver, "import", str(tmp_path / "in")],
        capture_output=True,
        timeout=120,
        env={**os.environ, "EDUREAD_HOME": str(home), "XDG_CACHE_HOME": shared_cache()},
    )
    from battery import Run

    run = Run(proc.returncode, proc.stdout.decode(), proc.stderr.decode())
    line = clean(run, 2, lines=1)[0]
    assert "disk is full" in line and "cannot rollback" not in line
    assert snapshot(home) == before
    consistent(home, ("学位",))


def test_a_rollback_after_sqlite_rolled_back_raises_the_real_error(base: Path, tmp_path: Path) -> None:
    from eduread.library.store import Library

    lib = Library(copy_library(base, tmp_path / "home"), seed=False)
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        with lib.transaction() as conn:
            conn.execute("ROLLBACK")  # as SQLite does by itself on SQLITE_FULL
            conn.execute("SELECT * FROM missing_table")
    assert not lib.conn.in_transaction
    lib.close()


# ---- a deleted -wal ----------------------------------------------------------------------------


def test_deleting_the_wal_mid_import_then_a_second_importer(base: Path, tmp_path: Path) -> None:
    home = copy_library(base, tmp_path / "home")
    write_variants(tmp_path / "a", 230, start=500)
    write_variants(tmp_path / "b", 10, start=800)
    first = _popen(home, "import", str(tmp_path / "a"))
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and first.poll() is None and _count(home) < 29 + 200:
        time.sleep(0.05)
    for suffix in ("-wal", "-shm"):
        Path(f"{home / 'library.sqlite3'}{suffix}").unlink(missing_ok=True)
    second = eduread(home, "import", str(tmp_path / "b"))
    out, err = first.communicate(timeout=180)
    from battery import Run

    runs = [Run(first.returncode, out.decode(), err.decode()), second]
    for run in runs:
        lines = clean(run, (0, 2), lines=None if run.code == 0 else 1)
        for line in lines:  # damage, if SQLite reports any, is named with what to do
            assert "malformed" not in line or "eduread check" in line
    if runs[0].code == 2:
        assert "-wal" in runs[0].err
    check = eduread(home, "check")
    clean(check, (0, 1))
    if check.code == 0:
        count = consistent(home)
        assert count >= 29 + 10


def test_a_damaged_texts_root_loses_no_report_and_revives_no_removed_one(base: Path, tmp_path: Path) -> None:
    """The page at the top of the texts table holds no text but leads to all of them."""
    home = copy_library(base, tmp_path / "home")
    gone = sorted(snapshot(home))[3]
    clean(eduread(home, "remove", gone), 0)
    before = snapshot(home)
    db = home / "library.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    # title hints as an HTML import stores them, and two damaged ones: neither may cost a report
    hinted, bad_json, bad_list = sorted(before)[:3]
    hints = {hinted: '["页面标题"]', bad_json: '["未完', bad_list: "[null]"}
    for rid, value in hints.items():
        conn.execute(
            "UPDATE texts SET hints = ? WHERE num = (SELECT num FROM reports WHERE id = ?)", (value, rid)
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'texts'").fetchone()[0]
    kind = conn.execute("SELECT pagetype FROM dbstat WHERE pageno = ?", (root,)).fetchone()[0]
    conn.close()
    assert kind == "internal"  # the rows are beneath it, on other pages
    with open(db, "r+b") as f:
        f.seek((root - 1) * 4096)
        f.write(b"\xff" * 4096)
    clean(eduread(home, "check"), 1)
    run = eduread(home, "check", "--repair")
    clean(run, 0, lines=0)
    assert snapshot(home) == before  # every report, each with its own text, and not the removed one
    consistent(home)
    conn = sqlite3.connect(db)
    kept = dict(
        conn.execute(
            "SELECT r.id, t.hints FROM reports r JOIN texts t USING (num) WHERE r.id IN (?, ?, ?)",
            list(hints),
        )
    )
    conn.close()
    assert kept == {hinted: '["页面标题"]', bad_json: None, bad_list: None}  # read from the pages


def test_salvage_reads_exactly_the_stored_texts_of_a_whole_file(base: Path, tmp_path: Path) -> None:
    from eduread.library.salvage import stored_texts

    home = copy_library(base, tmp_path / "home")
    clean(eduread(home, "remove", sorted(snapshot(home))[0]), 0)  # its pages go to the freelist
    conn = sqlite3.connect(home / "library.sqlite3", isolation_level=None)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    from eduread.library.packed import unpack

    expected = {
        n: (unpack(o, b), h) for n, o, b, h in conn.execute("SELECT num, original, body, hints FROM texts")
    }
    conn.close()
    assert stored_texts(home / "library.sqlite3") == expected
