"""The reader's speed: the frame a user waits for beside a minimal Textual app, search as you type,
page-down key to frame, switching.

Usage: python bench/bench_reader.py [--big N | --big-library DIR] [--runs R] [--quick]

Every app runs in a 100×30 pseudo-terminal, as in a real terminal:
- the frame a user waits for (every package byte-compiled first, as installed): from starting the
  `eduread` command (the installed script, as a user types it) until the terminal has received both the tree's first place and the title of the report
  restored from the last session, median of interleaved runs of eduread and of a minimal Textual
  app (a Tree and a Static, until its Static's text arrives) in the same run;
- search as you type: in the search dialog, from writing each next character of a query until the
  dialog shows that query's totals (known beforehand from an in-process search);
- page-down: from writing the PageDown key until the terminal receives the new frame, in a
  100,000-character report, in a seed-sized one, and in a plain Static holding a 4,000-character
  report (the baseline);
- switching reports: open_report's own work and the next repaint, in-process, against a repaint
  with nothing to do in the same process.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PAGE_DOWN = b"\x1b[6~"
QUERIES = ["学位", "教师队伍", "义务教育均衡", "大班额"]
HOME = b"\x1b[H"
# The command a user types: the installed `eduread` script beside this Python (as pip writes it),
# or `python -m eduread` where there is none (which adds runpy's imports to every start).
_SCRIPT = Path(sys.executable).parent / "eduread"
EDUREAD = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "eduread"]
MINIMAL = """
from textual.app import App
from textual.widgets import Static, Tree

class Minimal(App):
    def compose(self):
        yield Tree("places")
        yield Static("minimal-ready")

Minimal().run()
"""
PLAIN = """
import sys
from rich.text import Text
from textual.app import App
from textual.containers import VerticalScroll
from textual.widgets import Static

class Plain(App):
    def compose(self):
        with VerticalScroll():
            yield Static(Text(open(sys.argv[1], encoding="utf-8").read()))

    def on_mount(self):
        self.query_one(VerticalScroll).focus()
        self.notify("plain-ready")

Plain().run()
"""


class Terminal:
    """A process in a 100×30 pseudo-terminal whose output can be waited for."""

    def __init__(self, cmd: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            cmd, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.seen = b""

    def wait_for(self, *markers: bytes, timeout: float = 30, since: float | None = None) -> float:
        """Seconds since start (or since `since`) when every marker had been written."""
        missing = set(markers)
        window = b""
        while True:
            missing = {m for m in missing if m not in window}
            if not missing:
                return time.perf_counter() - (self.started if since is None else since)
            ready, _, _ = select.select([self.master], [], [], timeout)
            if not ready:
                raise RuntimeError(f"{sorted(missing)!r} never appeared")
            chunk = os.read(self.master, 65536)
            self.seen = (self.seen + chunk)[-65536:]
            window = window[-256:] + chunk  # a marker may be split across reads

    def drain(self, quiet: float = 0.25) -> None:
        """Read until the terminal has been silent for `quiet` seconds."""
        while select.select([self.master], [], [], quiet)[0]:
            os.read(self.master, 65536)

    def key_to_frame_ms(self, key: bytes) -> float | None:
        """Milliseconds from writing a key until the app writes its next frame (None: no frame,
        as when paging down at the end)."""
        self.drain()
        start = time.perf_counter()
        os.write(self.master, key)
        if not select.select([self.master], [], [], 1.0)[0]:
            return None
        took = (time.perf_counter() - start) * 1000
        os.read(self.master, 65536)
        return took

    def close(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        os.close(self.master)


def _env(library: Path) -> dict[str, str]:
    return dict(os.environ, EDUREAD_HOME=str(library), TERM="xterm-256color")


def compile_bytecode() -> int:
    """Byte-compile every package the reader imports at start, eduread's and Textual's alike.

    An installed package has its .pyc files (pip writes them, or the first run does); where
    PYTHONDONTWRITEBYTECODE is set, nothing ever writes them and each start would compile from
    source, which says nothing about the app. Returns how many packages were compiled.
    """
    import compileall
    import importlib

    importlib.import_module("eduread.tui.app")
    roots = set()
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        name = getattr(module, "__name__", "")
        if path and "." not in name and Path(path).name == "__init__.py":
            roots.add(Path(path).parent)
    for root in roots:
        compileall.compile_dir(root, quiet=1)
    return len(roots)


def waited_frame_markers(library: Path) -> list[bytes]:
    """What the frame a user waits for shows: the tree's first place and the restored report's title.

    The last report of the session is set to one in the middle of the library, as after a day's use.
    """
    from eduread.library.store import Library

    lib = Library(library, seed=False)
    try:
        groups = sorted(k for g, k, _count in lib.tree_groups() if g == "province" and k)
        entries = lib.entries()
        restored = entries[len(entries) // 2]
        lib.set_setting("last_report", str(restored.num))
        # "published" is drawn only under a report whose header is laid out
        return [groups[0].encode(), restored.title[:8].encode(), b"published"]
    finally:
        lib.close()


def compare_first_frames(library: Path, runs: int) -> tuple[float, float]:
    """Median ms until the waited frame of eduread (on `library`) and of the minimal app, interleaved."""
    env = _env(library)
    markers = waited_frame_markers(library)
    with tempfile.TemporaryDirectory() as tmp:
        minimal = Path(tmp) / "minimal.py"
        minimal.write_text(MINIMAL, encoding="utf-8")
        ours, theirs = [], []
        for _ in range(runs):
            for cmd, wanted, out in (
                (EDUREAD, markers, ours),
                ([sys.executable, str(minimal)], [b"minimal-ready"], theirs),
            ):
                term = Terminal(cmd, env)
                try:
                    out.append(term.wait_for(*wanted) * 1000)
                finally:
                    term.close()
    return statistics.median(ours), statistics.median(theirs)


def search_keystroke_ms(library: Path, queries: list[str]) -> tuple[float, float, int]:
    """(median, max, count) ms from typing each next character of a query in the search dialog to
    the frame showing that prefix's totals."""
    from eduread.library.search import Searcher
    from eduread.library.store import Library

    lib = Library(library, seed=False)
    searcher = Searcher(lib)
    expected = {
        q[:i]: searcher.search(q[:i], limit=1).summary() for q in queries for i in range(1, len(q) + 1)
    }
    lib.close()
    term = Terminal(EDUREAD, _env(library))
    times: list[float] = []
    try:
        term.wait_for(b"Search all")
        term.drain(3.0)  # background upkeep first
        for query in queries:
            os.write(term.master, b"s")
            term.wait_for(b"search all reports")
            for i, ch in enumerate(query, start=1):
                term.drain(0.2)
                start = time.perf_counter()
                os.write(term.master, ch.encode())
                if i > 1 and expected[query[:i]] == expected[query[: i - 1]]:
                    continue  # the same totals: nothing new to wait for on screen
                times.append(term.wait_for(expected[query[:i]].encode(), since=start) * 1000)
            os.write(term.master, b"\x1b")
            term.drain(0.5)
    finally:
        term.close()
    return statistics.median(times), max(times), len(times)


def page_downs(term: Terminal, presses: int) -> float:
    """Median key-to-frame ms of PageDown, back to the top whenever the end is reached."""
    times: list[float] = []
    while len(times) < presses:
        took = term.key_to_frame_ms(PAGE_DOWN)
        if took is None:  # at the end: back to the top
            term.key_to_frame_ms(HOME)
        else:
            times.append(took)
    return statistics.median(times)


def eduread_page_down_ms(library: Path, report: Path, presses: int) -> float:
    """Page-down in the reader, the report opened as `eduread FILE`."""
    term = Terminal([*EDUREAD, str(report)], _env(library))
    try:
        term.wait_for("教育局".encode())
        term.drain(1.0)
        return page_downs(term, presses)
    finally:
        term.close()


def plain_page_down_ms(text: str, presses: int) -> float:
    """The baseline: a plain Static holding the text, scrolled by its VerticalScroll."""
    with tempfile.TemporaryDirectory() as tmp:
        script, body = Path(tmp) / "plain.py", Path(tmp) / "body.txt"
        script.write_text(PLAIN, encoding="utf-8")
        body.write_text(text, encoding="utf-8")
        term = Terminal([sys.executable, str(script), str(body)], _env(Path(tmp)))
        try:
            term.wait_for(b"plain-ready")
            term.drain(1.0)
            return page_downs(term, presses)
        finally:
            term.close()


def eduread_switch_ms(library: Path, rounds: int) -> float:
    """Switching as a reader does it: `B`, pick a bookmark, Enter; ms from Enter to the new frame."""
    from eduread.library.store import Library

    lib = Library(library)
    nums = [e.num for e in lib.entries()]
    for num in nums:
        lib.add_bookmark(num, 0, f"report {num}")
    lib.close()
    term = Terminal(EDUREAD, _env(library))
    try:
        term.wait_for(b"Search all")
        term.drain(3.0)  # background upkeep (keywords for the seeds) done first
        times = []
        for _ in range(rounds):
            for i in range(len(nums)):
                term.key_to_frame_ms(b"B")
                for _ in range(i):
                    term.key_to_frame_ms(b"\x1b[B")  # down the list to another report
                took = term.key_to_frame_ms(b"\r")
                if took is not None:
                    times.append(took)
        return statistics.median(times)
    finally:
        term.close()


def long_report_text(chars: int) -> str:
    """A report of at least `chars` characters: the seeds' texts end to end under one title."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    out = texts[0]
    i = 1
    while len(out) < chars:
        out += "\n\n" + texts[i % len(texts)].split("\n", 1)[1]
        i += 1
    return out


async def switch_ms(library: Path, rounds: int) -> tuple[float, float, float]:
    """(median open_report work, median repaint after it, median repaint with nothing to do), ms."""
    from eduread.library.store import Library
    from eduread.tui.app import ReaderApp

    lib = Library(library)
    nums = [e.num for e in lib.entries()][:5]
    lib.close()
    app = ReaderApp(str(library))
    work, paint, idle = [], [], []
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(4):
            await pilot.pause()
        await app.workers.wait_for_complete()  # background upkeep (keywords for the seeds) done first
        for _ in range(rounds):
            for num in nums:
                start = time.perf_counter()
                app.open_report(num)
                middle = time.perf_counter()
                await pilot.pause()
                end = time.perf_counter()
                await pilot.pause()
                work.append((middle - start) * 1000)
                paint.append((end - middle) * 1000)
                start = time.perf_counter()
                await pilot.pause()
                idle.append((time.perf_counter() - start) * 1000)
    return statistics.median(work), statistics.median(paint), statistics.median(idle)


def big_library(n: int, folder: Path) -> Path:
    """A library of n reports of bench_library's realistic-vocabulary corpus (`words`), built once."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_library import refill, seed_texts, write_corpus
    from eduread.library.importer import import_paths
    from eduread.library.store import Library

    corpus = folder / "corpus"
    corpus.mkdir()
    write_corpus(corpus, refill(seed_texts(n)))
    lib = Library(folder / "lib", seed=False)
    start = time.perf_counter()
    import_paths(lib, [str(corpus)])
    print(f"built a library of {lib.count()} reports in {time.perf_counter() - start:.0f} s")
    lib.close()
    return folder / "lib"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--big", type=int, default=0, help="also time the first frame with N reports")
    parser.add_argument("--big-library", type=Path, help="an existing library folder to time instead")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="first frame and search only")
    args = parser.parse_args()
    from eduread.library.store import Library

    print(f"byte-compiled {compile_bytecode()} packages first, as an installed app has them")
    with tempfile.TemporaryDirectory() as tmp:
        seeded = Path(tmp) / "seeded"
        Library(seeded).close()  # the five seeds, as a new user has them
        ours, minimal = compare_first_frames(seeded, args.runs)
        print(
            f"frame with places and the restored report, 5 reports: eduread {ours:.0f} ms, "
            f"minimal app {minimal:.0f} ms, {ours / minimal:.2f}x"
        )
        big = args.big_library or (big_library(args.big, Path(tmp)) if args.big else None)
        if big is not None:
            ours, minimal = compare_first_frames(big, args.runs)
            size = Library(big, seed=False).count()
            print(
                f"frame with places and the restored report, {size:,} reports: eduread {ours:.0f} ms, "
                f"minimal app {minimal:.0f} ms, {ours / minimal:.2f}x"
            )
            median, worst, count = search_keystroke_ms(big, QUERIES)
            print(
                f"search as you type, {size:,} reports: keystroke to results {median:.1f} ms median, {worst:.1f} ms max ({count} keys)"
            )
        else:
            median, worst, count = search_keystroke_ms(seeded, QUERIES)
            print(
                f"search as you type, 5 reports: keystroke to results {median:.1f} ms median, {worst:.1f} ms max ({count} keys)"
            )
        if args.quick:
            return
        long_file = Path(tmp) / "long.txt"
        long_file.write_text(long_report_text(100_000), encoding="utf-8")
        long_ms = eduread_page_down_ms(seeded, long_file, 24)
        seed_ms = eduread_page_down_ms(seeded, SEEDS / "002_68d8026e029efe2e.txt", 24)
        plain_ms = plain_page_down_ms((SEEDS / "004_b2038b0e5d3d19c3.txt").read_text("utf-8")[:4000], 24)
        print(f"page-down key to frame: {len(long_file.read_text('utf-8')):,} chars {long_ms:.1f} ms, ")
        print(f"  seed-sized report {seed_ms:.1f} ms, plain Static with 4,000 chars {plain_ms:.1f} ms")
        work, paint, idle = asyncio.run(switch_ms(seeded, 5))
        print(
            f"switching between the seed reports: open_report {work:.1f} ms + repaint {paint:.1f} ms "
            f"(repaint with nothing to do: {idle:.1f} ms)"
        )
        print(f"switching key to frame (B, a bookmark, Enter): {eduread_switch_ms(seeded, 4):.1f} ms")


if __name__ == "__main__":
    main()
