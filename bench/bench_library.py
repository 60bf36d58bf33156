"""Library at scale: import rate, size, list time, search latency vs ripgrep and a Python scan.

Usage: python bench/bench_library.py [N]   (default 10000 synthetic reports made from the seeds)
"""

from __future__ import annotations

import fcntl
import os
import pty
import random
import re
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

from eduread.library.importer import import_paths
from eduread.library.search import Searcher, occurrences
from eduread.library.store import Library

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PLACES = [
    "长春市",
    "鼓楼区",
    "温州市",
    "绵阳市",
    "遵义市",
    "赣州市",
    "洛阳市",
    "桂林市",
    "大理市",
    "德阳市",
    "昆山市",
    "义乌市",
    "慈溪市",
    "海宁市",
    "江阴市",
    "常熟市",
    "张家港市",
    "晋江市",
    "南安市",
    "浏阳市",
]
QUERIES = {
    "1 char": ["学", "园", "师", "校", "班"],
    "2 chars": ["学位", "教师", "资助", "安全", "课后"],
    "3 chars": ["大班额", "教育局", "幼儿园", "芙蓉学", "信息化"],
    "4 chars": ["教师队伍", "新增学位", "立德树人", "控辍保学", "校园安全"],
    "6 chars": ["义务教育均衡", "教育信息化水", "师德师风建设", "学前教育普惠", "校外培训机构"],
    "two terms": ["学位 大班额", "教师 培训", "安全 校车", "资助 贫困", "课后 服务"],
}


def make_corpus(folder: Path, n: int) -> None:
    """N reports from the five seeds with other places, years and figures."""
    rng = random.Random(42)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for i in range(n):
        text = texts[i % len(texts)]
        place = PLACES[rng.randrange(len(PLACES))]
        shift = rng.randint(-3, 3)
        text = re.sub(r"(怀化市|余姚市|长沙市|天门市|南通市崇川区)", place, text)
        text = re.sub(r"(20[12]\d)(?=年)", lambda m, s=shift: str(int(m.group(1)) + s), text)
        text = re.sub(
            r"(?<![\d.])(\d{2,3})(?=[个所人名%])", lambda m: str(int(m.group(1)) + rng.randint(0, 50)), text
        )
        text += f"\n\n编号{i}:" + "".join(rng.choice("教育学校发展质量") for _ in range(20))
        sub = folder / f"{i // 1000:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"r{i:05d}.txt").write_text(text, encoding="utf-8")


def run_listing(command: list[str], terminal: bool) -> None:
    """Run a command to the end, its output to a pseudo-terminal (drained as it comes) or a pipe."""
    if not terminal:
        subprocess.run(command, capture_output=True, check=True)
        return
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(command, stdout=slave, stderr=subprocess.DEVNULL)
    os.close(slave)
    drain = threading.Thread(target=lambda: _drain(master), daemon=True)
    drain.start()
    if proc.wait() != 0:
        raise SystemExit(f"{command} failed")
    drain.join(5)
    os.close(master)


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:  # the terminal closed with the process
        pass


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    work = Path(tempfile.mkdtemp(prefix="eduread-bench-"))
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    corpus = work / "corpus"
    corpus.mkdir()
    make_corpus(corpus, n)
    first = sorted(corpus.rglob("*.txt"))[: min(n, 1000)]
    bare = Library(work / "bare", seed=False)
    start = time.perf_counter()
    import_paths(bare, [str(p) for p in first], keywords=False)
    print(
        f"import without keywords, {len(first)} reports: {len(first) / (time.perf_counter() - start):.0f} reports/s"
    )
    bare.close()
    lib = Library(work / "lib", seed=False)
    start = time.perf_counter()
    result = import_paths(lib, [str(corpus)])  # as `eduread import` does: parse, store, index, keywords
    import_s = time.perf_counter() - start
    size_mb = sum(f.stat().st_size for f in (work / "lib").iterdir()) / 1e6
    print(
        f"reports: {lib.count()} (imported {len(result.imported)}, duplicates {result.duplicates}, "
        f"failed {len(result.failed)})"
    )
    print(
        f"import with keywords: {import_s:.1f} s, {len(result.imported) / import_s:.0f} reports/s; "
        f"database {size_mb:.0f} MB"
    )

    for extra, terminal in (([], True), ([], False), (["--json"], False)):
        list_times = []
        for _ in range(5):
            t = time.perf_counter()
            run_listing(
                [sys.executable, "-m", "eduread", "--library", str(work / "lib"), "list", *extra], terminal
            )
            list_times.append(time.perf_counter() - t)
        where = "on a terminal" if terminal else "piped"
        print(
            f"`eduread list {' '.join(extra)}`".replace(" `", "`")
            + f" {where} (whole process): median {statistics.median(list_times) * 1000:.0f} ms"
        )

    texts = [body for (body,) in lib.conn.execute("SELECT body FROM texts")]
    searcher = Searcher(lib)
    rg = shutil.which("rg")
    print(
        f"\n{'query':10} {'p50 ms':>7} {'p95 ms':>7} {'scan ms':>8} {'rg ms':>7} {'vs scan':>8} {'vs rg':>7}  counts==scan"
    )
    for label, queries in QUERIES.items():
        ours, scans, rgs, ok = [], [], [], True
        for q in queries:
            for _ in range(5):
                t = time.perf_counter()
                res = searcher.search(q, limit=20)
                ours.append((time.perf_counter() - t) * 1000)
            terms = q.split()
            t = time.perf_counter()
            per_doc = [[len(occurrences(body, term)) for term in terms] for body in texts]
            scans.append((time.perf_counter() - t) * 1000)
            matched = [c for c in per_doc if all(c)]
            ok &= (res.total, res.reports) == (sum(sum(c) for c in matched), len(matched))
            if rg:
                t = time.perf_counter()
                subprocess.run([rg, "-c", "--fixed-strings", terms[0], str(corpus)], capture_output=True)
                rgs.append((time.perf_counter() - t) * 1000)
        p50, p95 = statistics.median(ours), pct(ours, 95)
        scan = statistics.median(scans)
        rgm = statistics.median(rgs) if rgs else float("nan")
        print(
            f"{label:10} {p50:7.1f} {p95:7.1f} {scan:8.1f} {rgm:7.1f} {scan / p50:7.0f}x {rgm / p50:6.0f}x  {ok}"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nbench process peak RSS (holds all texts for the scan baseline): {rss:.0f} MB")
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child would report this
    # process's peak rather than its own.
    code = (
        "import re,sys; from eduread.library.store import Library; from eduread.library.search import Searcher;"
        "s=Searcher(Library(sys.argv[1], seed=False)); [s.search(q) for q in ('学','教育','教师队伍','学位 大班额')];"
        "print(int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))/1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(work / "lib")], capture_output=True, text=True, check=True
    )
    print(f"search process peak RSS: {float(out.stdout):.0f} MB")
    lib.close()
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
