"""Library at scale, on two corpora: import rate, longest write, size, list and search against baselines.

Usage: python bench/bench_library.py [N] [--corpus seed|words|both] [--runs R] [--keep]

Corpora (N reports each, default 10,000):
- seed: the five seeds with other places, years and figures: a small vocabulary repeated.
- words: the same reports with their Chinese text refilled by words drawn from jieba's dictionary
  (weighted by its frequencies), so the vocabulary is that of a language, not of five reports.

Every figure is a median of R runs (default 5) in this one run, beside its baseline:
- `eduread search` as a whole process against ripgrep as a whole process over the same files
  (`rg --count-matches -F`; two-term queries give rg the first term only);
- the first page in-process (p50 / p95 of Searcher.search);
- counts against a plain scan of every stored body;
- `eduread list` piped against the sqlite3 command line running the same query;
- import as `eduread import` does it (the same call: parse, store, index, keywords, topic shares)
  into a new library, and the longest write transaction it held;
- the library folder (database + index) against the text's UTF-8 size.
"""

from __future__ import annotations

import argparse
import bisect
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from eduread.commands.library_cmds import import_files
from eduread.library import store
from eduread.library.search import Searcher, occurrences
from eduread.library.store import Library
from eduread.text.matching import match_form

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PLACES = ["长春市", "鼓楼区", "温州市", "绵阳市", "遵义市", "赣州市", "洛阳市", "桂林市", "大理市", "德阳市"]
PLACES += [
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
SEED_QUERIES = {
    "1 char": ["学", "园", "师", "校", "班"],
    "2 chars": ["学位", "教师", "资助", "安全", "课后"],
    "3 chars": ["大班额", "教育局", "幼儿园", "芙蓉学", "信息化"],
    "4 chars": ["教师队伍", "新增学位", "立德树人", "控辍保学", "校园安全"],
    "6 chars": ["义务教育均衡", "教育信息化水", "师德师风建设", "学前教育普惠", "校外培训机构"],
    "two terms": ["学位 大班额", "教师 培训", "安全 校车", "资助 贫困", "课后 服务"],
}
CJK = re.compile(r"[\u4e00-\u9fff]+")
GENRE = re.compile(r"工作(?:总结|计划|要点|思路|谋划)")
KEPT = re.compile(r"(教育局|教育|学校|教师|学生)")  # the words that make it an education bureau's report
MARKER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.、．]|[一二三四五六七八九十]是)"
)


def seed_texts(n: int) -> list[str]:
    """N reports from the five seeds with other places, years and figures."""
    rng = random.Random(42)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    out = []
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
        out.append(text)
    return out


def dictionary() -> tuple[list[str], list[float]]:
    """jieba's dictionary words made only of Chinese characters, with cumulative frequencies."""
    import jieba

    words, cum, total = [], [], 0.0
    path = Path(jieba.__file__).parent / "dict.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        word, freq, *_ = line.split(" ")
        if CJK.fullmatch(word):
            total += float(freq)
            words.append(word)
            cum.append(total)
    return words, cum


def refill(texts: list[str]) -> list[str]:
    """The reports with their Chinese text after the title refilled by dictionary words.

    The lines up to the title, section markers and a few words that make a text an education
    bureau's report stay, so the reports still parse into places, years and outlines; everything
    else reads like text of a real vocabulary.
    """
    words, cum = dictionary()
    rng = random.Random(7)
    total = cum[-1]
    out = []
    for text in texts:
        lines = text.split("\n")
        stream: list[str] = []

        def fill(match: re.Match, stream=stream) -> str:
            need = len(match.group(0))
            got: list[str] = []
            size = 0
            while size < need:
                if not stream:
                    stream.extend(words[bisect.bisect(cum, rng.random() * total)] for _ in range(4096))
                word = stream.pop()
                got.append(word)
                size += len(word)
            return "".join(got)[:need]

        title = next((i for i, line in enumerate(lines) if GENRE.search(line)), 0)
        body = []
        for line in lines[title + 1 :]:
            head = MARKER.match(line)
            keep = head.group(0) if head else ""
            parts = KEPT.split(line[len(keep) :])
            body.append(keep + "".join(p if i % 2 else CJK.sub(fill, p) for i, p in enumerate(parts)))
        out.append("\n".join([*lines[: title + 1], *body]))
    return out


def write_corpus(folder: Path, texts: list[str]) -> int:
    """The texts as files, a thousand a folder; returns their UTF-8 size."""
    size = 0
    for i, text in enumerate(texts):
        sub = folder / f"{i // 1000:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        (sub / f"r{i:05d}.txt").write_bytes(data)
        size += len(data)
    return size


def word_queries(texts: list[str]) -> dict[str, list[str]]:
    """Queries drawn from the corpus itself: runs of Chinese text of each length, and word pairs."""
    rng = random.Random(11)
    runs = [r for t in rng.sample(texts, min(200, len(texts))) for r in CJK.findall(t.split("\n", 1)[-1])]
    runs = [r for r in runs if len(r) >= 6]
    queries: dict[str, list[str]] = {}
    for label, length in (("1 char", 1), ("2 chars", 2), ("3 chars", 3), ("4 chars", 4), ("6 chars", 6)):
        picked = []
        while len(picked) < 5:
            run = rng.choice(runs)
            at = rng.randrange(len(run) - length + 1)
            if run[at : at + length] not in picked:
                picked.append(run[at : at + length])
        queries[label] = picked
    queries["two terms"] = [f"{rng.choice(runs)[:2]} {rng.choice(runs)[-2:]}" for _ in range(5)]
    return queries


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@contextmanager
def timed_transactions(log: list[float]):
    """Record how long each write transaction of the library holds the lock."""
    real = store.Library.transaction

    @contextmanager
    def transaction(self):
        started = time.perf_counter()
        with real(self) as conn:
            yield conn
        log.append(time.perf_counter() - started)

    store.Library.transaction = transaction
    try:
        yield
    finally:
        store.Library.transaction = real


def whole_process(command: list[str], runs: int) -> float:
    """Median wall time of a command run to the end, its output captured (ms)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def bench_corpus(name: str, texts: list[str], queries: dict[str, list[str]], work: Path, runs: int) -> None:
    corpus = work / f"{name}-files"
    text_bytes = write_corpus(corpus, texts)
    home = work / f"{name}-lib"
    lib = Library(home, seed=False)
    longest: list[float] = []
    with timed_transactions(longest):
        started = time.perf_counter()
        result = import_files(lib, [str(corpus)])  # `eduread import`'s own call: keywords, topic shares
        import_s = time.perf_counter() - started
    lib.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    body_bytes = sum(len(b.encode("utf-8")) for (b,) in lib.conn.execute("SELECT body FROM texts"))
    db = (home / store.DB_NAME).stat().st_size
    index_size = folder_size(home / "index")
    total = folder_size(home)
    print(f"\n## corpus `{name}`: {len(texts)} reports, {text_bytes / 1e6:.0f} MB of UTF-8 text")
    print(
        f"import as `eduread import` (keywords, topic shares): {len(result.imported) / import_s:.0f} reports/s ({import_s:.1f} s, "
        f"{len(result.failed)} failed); longest write transaction {max(longest):.2f} s"
    )
    print(
        f"library folder {total / 1e6:.0f} MB = {total / text_bytes:.2f}x the files' text "
        f"({total / body_bytes:.2f}x the cleaned bodies): database {db / 1e6:.0f} MB, index {index_size / 1e6:.0f} MB"
    )
    tables = lib.conn.execute(
        "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 6"
    ).fetchall()
    print("largest tables: " + ", ".join(f"{n} {s / 1e6:.0f} MB" for n, s in tables))

    script = Path(sys.executable).parent / "eduread"  # the command a user runs, when installed
    eduread = [str(script) if script.exists() else sys.executable, "--library", str(home)]
    if not script.exists():
        eduread[1:1] = ["-m", "eduread"]
    sql = store.LISTING + store.LISTING_ORDER  # the very query `eduread list` runs
    ours = whole_process([*eduread, "list"], runs)
    sqlite = (
        whole_process(["sqlite3", str(home / store.DB_NAME), sql], runs) if shutil.which("sqlite3") else 0
    )
    ratio = f"{ours / sqlite:.1f}x" if sqlite else "n/a (no sqlite3)"
    print(f"`eduread list` piped {ours:.0f} ms; sqlite3 command line, same query {sqlite:.0f} ms: {ratio}")

    bodies = [match_form(b) for (b,) in lib.conn.execute("SELECT body FROM texts")]
    searcher = Searcher(lib)
    rg = shutil.which("rg")
    print(
        f"\n{'query':10} {'first page p50':>14} {'p95':>6} {'scan':>7} | {'eduread search':>14} {'rg':>6} "
        f"{'rg/ours':>7} | counts==scan"
    )
    for label, group in queries.items():
        page, scans, procs, rgs, ok = [], [], [], [], True
        for q in group:
            for _ in range(runs):
                started = time.perf_counter()
                res = searcher.search(q, limit=20)
                page.append((time.perf_counter() - started) * 1000)
            terms = q.split()
            started = time.perf_counter()
            per_doc = [[len(occurrences(body, term)) for term in terms] for body in bodies]
            scans.append((time.perf_counter() - started) * 1000)
            matched = [c for c in per_doc if all(c)]
            ok &= (res.total, res.reports) == (sum(sum(c) for c in matched), len(matched))
            procs.append(whole_process([*eduread, "search", q], runs))
            if rg:
                rgs.append(
                    whole_process([rg, "--count-matches", "--fixed-strings", terms[0], str(corpus)], runs)
                )
        p50, p95 = statistics.median(page), pct(page, 95)
        proc = statistics.median(procs)
        rgm = statistics.median(rgs) if rgs else float("nan")
        print(
            f"{label:10} {p50:11.1f} ms {p95:6.1f} {statistics.median(scans):7.0f} | {proc:11.0f} ms "
            f"{rgm:6.0f} {rgm / proc:6.2f}x | {ok}"
        )
    lib.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=10000)
    parser.add_argument("--corpus", choices=["seed", "words", "both"], default="both")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="leave the corpora and libraries (path printed)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="eduread-bench-"))
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    # Byte-compiled, as an installed package is: a process that compiles its modules first
    # (PYTHONDONTWRITEBYTECODE in a developer's shell) would time the compiler.
    import compileall

    import eduread

    compileall.compile_dir(str(Path(eduread.__file__).parent), quiet=1, force=False)
    if not shutil.which("rg"):
        print("ripgrep (rg) is not on the PATH: its column stays empty (apt-get install ripgrep)")
    try:
        seeds = seed_texts(args.n)
        if args.corpus in ("seed", "both"):
            bench_corpus("seed", seeds, SEED_QUERIES, work, args.runs)
        if args.corpus in ("words", "both"):
            words = refill(seeds)
            bench_corpus("words", words, word_queries(words), work, args.runs)
    finally:
        if args.keep:
            print(f"\nkept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
