"""Across the library at scale: `trend`, `figures --what`, `topics` as whole processes, and each
screen's first chart after its query, on a synthetic library (bench_library.py's generator).

Usage: python bench/bench_analysis.py [N] [--keep DIR]   (default 10000 reports; DIR keeps and reuses the library)
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_library import seed_texts, write_corpus
from eduread.analysis.coverage import fill_missing
from eduread.analysis.trends import trend
from eduread.library.importer import import_paths
from eduread.library.search import occurrences
from eduread.library.store import Library
from eduread.text.matching import match_form

RUNS = 7
EDUREAD = [sys.executable, "-m", "eduread"]


def build(folder: Path, n: int) -> None:
    """Import N synthetic reports (without keywords: nothing here reads them) and fill topic shares."""
    lib = Library(folder / "lib", seed=False)
    if lib.count() >= n:
        lib.close()
        return
    corpus = folder / "corpus"
    corpus.mkdir(exist_ok=True)
    write_corpus(corpus, seed_texts(n))
    start = time.perf_counter()
    import_paths(lib, [str(corpus)], keywords=False)
    print(f"import (with the figures table), {lib.count()} reports: {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    fill_missing(lib)
    print(
        f"topic shares, {lib.count()} reports (what `eduread import` adds): {time.perf_counter() - start:.1f} s"
    )
    lib.close()
    shutil.rmtree(corpus)


def whole(args: list[str], library: Path) -> list[float]:
    """Wall times (ms) of a command run as its own process, output piped."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([*EDUREAD, "--library", str(library), *args], capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return times


def show(label: str, times: list[float], base: float) -> None:
    med = statistics.median(times)
    print(
        f"{label:<44} median {med:6.0f} ms  min {min(times):6.0f}  ({med / base:.2f}× python -c 'import eduread.cli')"
    )


def check_scan(lib: Library, terms: list[str]) -> None:
    """trend's counts against reading every body."""
    entries = lib.entries()
    for term in terms:
        counted = sum(r.occurrences for r in trend(lib, [term], "place"))
        scanned = sum(len(occurrences(match_form(lib.body(e.num)), term)) for e in entries)
        print(f"trend “{term}”: {counted} = scan {scanned}: {'same' if counted == scanned else 'DIFFERENT'}")
        if counted != scanned:
            raise SystemExit(1)


async def first_charts(library: Path) -> None:
    """A screen's query, then its table and chart built and drawn (medians of several)."""
    from textual.app import App
    from textual_plotext import PlotextPlot

    from eduread.tui.screens.figures_screen import FiguresScreen
    from eduread.tui.screens.topics_screen import TopicsScreen
    from eduread.tui.screens.trends_screen import TrendsScreen

    lib = Library(library, seed=False)
    results: dict[str, list[float]] = {
        "figures (新增学位)": [],
        "trends (双减, by year)": [],
        "topics matrix": [],
    }
    queries: dict[str, list[float]] = {label: [] for label in results}

    def drawn(screen) -> None:
        """What the next frame paints: the table's visible lines (and the plot's text)."""
        table = screen.query_one("DataTable")
        for y in range(table.size.height):
            table.render_line(y)

    def figures(screen) -> None:
        screen.run_query()
        drawn(screen)
        screen.query_one(PlotextPlot).render()

    def trends(screen) -> None:
        screen.query_one("Input").value = "双减"
        screen.run_query()
        drawn(screen)
        screen.query_one(PlotextPlot).render()

    def topics(screen) -> None:
        screen.run_query()
        drawn(screen)

    cases = [
        ("figures (新增学位)", lambda: FiguresScreen(lib, what="新增学位"), figures),
        ("trends (双减, by year)", lambda: TrendsScreen(lib), trends),
        ("topics matrix", lambda: TopicsScreen(lib), topics),
    ]
    app = App()
    async with app.run_test(size=(160, 45)) as pilot:
        for _ in range(5):
            for label, make, run in cases:
                screen = make()
                await app.push_screen(screen)
                await pilot.pause()
                start = time.perf_counter()
                run(screen)
                queries[label].append(screen.query_ms)
                results[label].append((time.perf_counter() - start) * 1000 - screen.query_ms)
                app.pop_screen()
                await pilot.pause()
    for label, times in results.items():
        print(
            f"screen {label:<24} query median {statistics.median(queries[label]):5.0f} ms,"
            f" then table and chart drawn: median {statistics.median(times):5.0f} ms  min {min(times):5.0f}"
        )
    lib.close()


def main() -> None:
    args = sys.argv[1:]
    keep = None
    if "--keep" in args:
        keep = Path(args[args.index("--keep") + 1])
        del args[args.index("--keep") : args.index("--keep") + 2]
    n = int(args[0]) if args else 10000
    work = keep or Path(tempfile.mkdtemp(prefix="eduread-bench-analysis-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    build(work, n)
    library = work / "lib"
    base_runs = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import eduread.cli"], check=True)
        base_runs.append((time.perf_counter() - start) * 1000)
    base = statistics.median(base_runs)
    print(f"baseline python -c 'import eduread.cli': median {base:.0f} ms")
    show("trend 双减 (by year) --json", whole(["trend", "双减", "--json"], library), base)
    show("trend 学位 (by year) --json", whole(["trend", "学位", "--json"], library), base)
    show("figures --what 新增学位 --json", whole(["figures", "--what", "新增学位", "--json"], library), base)
    show("figures --what 新增学位 (table, piped)", whole(["figures", "--what", "新增学位"], library), base)
    show("topics --json", whole(["topics", "--json"], library), base)
    show("topics --by year --json", whole(["topics", "--by", "year", "--json"], library), base)
    lib = Library(library, seed=False)
    check_scan(lib, ["双减", "学位", "新增学位", "教育"])
    lib.close()
    asyncio.run(first_charts(library))
    if keep is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
