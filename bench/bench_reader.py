"""The reader's speed: first frame beside a minimal Textual app, page-down key to frame, switching.

Usage: python bench/bench_reader.py [--big N | --big-library DIR] [--runs R]

Every app runs in a 100×30 pseudo-terminal, as in a real terminal:
- first frame (every package byte-compiled first, as installed): from starting the process until
  its first frame is written (eduread's body says
  "loading the library…", the minimal app's Static says "minimal-ready"), median of interleaved
  runs of eduread and of a minimal Textual app (a Tree and a Static) in the same run;
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
HOME = b"\x1b[H"
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

    def wait_for(self, marker: bytes, timeout: float = 20) -> float:
        """Seconds since start when `marker` had been written."""
        while marker not in self.seen:
            ready, _, _ = select.select([self.master], [], [], timeout)
            if not ready:
                raise RuntimeError(f"{marker!r} never appeared")
            self.seen = self.seen[-8192:] + os.read(self.master, 65536)
        return time.perf_counter() - self.started

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


def compare_first_frames(library: Path, runs: int) -> tuple[float, float]:
    """Median first-frame ms of eduread (on `library`) and of the minimal app, runs interleaved."""
    env = _env(library)
    with tempfile.TemporaryDirectory() as tmp:
        minimal = Path(tmp) / "minimal.py"
        minimal.write_text(MINIMAL, encoding="utf-8")
        ours, theirs = [], []
        for _ in range(runs):
            for cmd, marker, out in (
                ([sys.executable, "-m", "eduread"], b"loading the library", ours),
                ([sys.executable, str(minimal)], b"minimal-ready", theirs),
            ):
                term = Terminal(cmd, env)
                try:
                    out.append(term.wait_for(marker) * 1000)
                finally:
                    term.close()
    return statistics.median(ours), statistics.median(theirs)


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
    term = Terminal([sys.executable, "-m", "eduread", str(report)], _env(library))
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
    term = Terminal([sys.executable, "-m", "eduread"], _env(library))
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
    """A library of n synthetic reports (bench_library's corpus), built once."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_library import make_corpus
    from eduread.library.importer import import_paths
    from eduread.library.store import Library

    corpus = folder / "corpus"
    corpus.mkdir()
    make_corpus(corpus, n)
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
    args = parser.parse_args()
    from eduread.library.store import Library

    print(f"byte-compiled {compile_bytecode()} packages first, as an installed app has them")
    with tempfile.TemporaryDirectory() as tmp:
        seeded = Path(tmp) / "seeded"
        Library(seeded).close()  # the five seeds, as a new user has them
        ours, minimal = compare_first_frames(seeded, args.runs)
        print(
            f"first frame, 5 reports: eduread {ours:.0f} ms, minimal app {minimal:.0f} ms, {ours / minimal:.2f}x"
        )
        big = args.big_library or (big_library(args.big, Path(tmp)) if args.big else None)
        if big is not None:
            ours, minimal = compare_first_frames(big, args.runs)
            print(
                f"first frame, big library: eduread {ours:.0f} ms, minimal app {minimal:.0f} ms, {ours / minimal:.2f}x"
            )
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
