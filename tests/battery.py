"""Helpers the bad-input and fault tests share: eduread as a whole process, and what a library holds."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from conftest import SEEDS

_CACHE: list[str] = []


def shared_cache() -> str:
    """One jieba cache for every process of a test run (building it takes a second each time)."""
    if not _CACHE:
        import atexit
        import tempfile

        _CACHE.append(tempfile.mkdtemp(prefix="eduread-test-cache-"))
        atexit.register(shutil.rmtree, _CACHE[0], True)
    return _CACHE[0]


TIMEOUT = 90  # no single case may take this long: a hang fails the test instead of blocking the run
SEED_FILES = sorted(SEEDS.glob("*.txt"))
HUAIHUA = (SEEDS / "000_74b69ab3a17d35dc.txt").read_text(encoding="utf-8")


@dataclass
class Run:
    """One finished eduread process: exit code and its output as text."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        """The error lines it printed."""
        return self.err.splitlines()


def eduread(
    home: Path, *args: str | bytes, cwd: Path | None = None, env: dict | None = None, timeout: float = TIMEOUT
) -> Run:
    """`python -m eduread ARGS` with its library in `home`; raises if it runs past the timeout."""
    full = {**os.environ, "EDUREAD_HOME": str(home), "XDG_CACHE_HOME": shared_cache(), **(env or {})}
    full.pop("EDUREAD_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "eduread", *args],
        capture_output=True,
        timeout=timeout,
        cwd=cwd,
        env=full,
        stdin=subprocess.DEVNULL,
    )
    return Run(
        proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    )


def clean(run: Run, codes: tuple[int, ...] | int = (0,), *, lines: int | None = None) -> list[str]:
    """Assert a process ended as eduread promises: no traceback, an expected exit code, and every
    error as one line starting `eduread: `; returns those lines."""
    codes = (codes,) if isinstance(codes, int) else codes
    assert "Traceback" not in run.err and "Traceback" not in run.out, run.err[-2000:]
    assert run.code in codes, (run.code, run.err[-1000:])
    found = run.lines
    assert all(line.startswith("eduread: ") for line in found), run.err[-1000:]
    if run.code != 0:
        assert found, "a failure must say why"
    if lines is not None:
        assert len(found) == lines, found
    return found


def snapshot(home: Path) -> dict[str, str]:
    """id → hash of the stored original text, read straight from the file: what must never be lost."""
    conn = sqlite3.connect(f"file:{home / 'library.sqlite3'}?mode=ro", uri=True, timeout=30)
    try:
        rows = conn.execute(
            "SELECT r.id, t.original, t.body FROM reports r JOIN texts t USING (num)"
        ).fetchall()
    finally:
        conn.close()
    from eduread.library.packed import unpack  # originals are stored deflated against their body

    return {
        rid: hashlib.sha256(unpack(original, body).encode("utf-8", "surrogatepass")).hexdigest()
        for rid, original, body in rows
    }


def consistent(home: Path, queries: tuple[str, ...] = ("学位", "教育", "大班额", "教")) -> int:
    """The library is whole: integrity_check ok, every report has its text and parse, and what search
    counts equals a plain scan of the stored bodies. Returns the number of reports."""
    conn = sqlite3.connect(home / "library.sqlite3", timeout=30)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        reports = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM texts").fetchone()[0] == reports
        assert conn.execute("SELECT count(*) FROM parses").fetchone()[0] == reports
        bodies = [b for (b,) in conn.execute("SELECT body FROM texts")]
    finally:
        conn.close()
    for query in queries:
        run = eduread(home, "search", "--json", "--limit", "1", query)
        clean(run)
        import json

        got = json.loads(run.out)
        counts = [len(re.findall(f"(?={re.escape(query)})", b)) for b in bodies]
        assert (got["total"], got["reports"]) == (sum(counts), sum(1 for n in counts if n)), query
    return reports


def variant(i: int, text: str = HUAIHUA) -> str:
    """A distinct good report derived from a seed (its body changes, so its id does)."""
    return text.replace("新增学位4.07万个", f"新增学位{i + 1}.5万个", 1) + f"\n（附件{i}：统计表）\n"


def write_variants(folder: Path, count: int, start: int = 0) -> list[Path]:
    """`count` good report files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(start, start + count):
        path = folder / f"good-{i:04d}.txt"
        path.write_text(variant(i), encoding="utf-8")
        out.append(path)
    return out


def copy_library(base: Path, to: Path) -> Path:
    """A private copy of a prepared library, so a case can damage or change it freely."""
    shutil.copytree(base, to)
    return to
