"""Which reads saved pages right: eduread's own main-content reader or trafilatura? (run by hand)

Needs `pip install trafilatura lxml_html_clean` (neither is a dependency of eduread).
Pages: each seed wrapped in a government site's chrome and in Word's web-page export, plus the
corpus's ASP.NET page. A page reads right when its cleaned body equals the .txt's (blank lines
aside) and title, place and parts agree. Prints counts and each reader's median time per page.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from eduread.parse import parse_text  # noqa: E402
from eduread.text.formats.html import read_html  # noqa: E402
from format_samples import site_page, word_html  # noqa: E402


def _trafilatura(markup: str) -> str:
    import trafilatura

    return trafilatura.extract(markup, include_tables=True, include_comments=False, favor_recall=True) or ""


def _same(a, b) -> bool:
    flat = lambda r: r.body.replace("\n\n", "\n")  # noqa: E731
    return (a.title, a.place.path, [(p.kind, p.year) for p in a.parts], flat(a)) == (
        b.title, b.place.path, [(p.kind, p.year) for p in b.parts], flat(b)
    )  # fmt: skip


def main() -> None:
    readers = {"eduread": lambda m: read_html(m).text, "trafilatura": _trafilatura}
    right = {name: 0 for name in readers}
    times = {name: [] for name in readers}
    pages = 0
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        base = parse_text(text)
        for markup in (site_page(text), word_html(text)):
            pages += 1
            for name, reader in readers.items():
                start = time.perf_counter()
                out = reader(markup)
                times[name].append(time.perf_counter() - start)
                try:
                    ok = _same(parse_text(out), base)
                except Exception:
                    ok = False
                right[name] += ok
    corpus = ROOT.parent / "shared" / "corpus" / "036.html"
    if corpus.exists():
        markup = corpus.read_text(encoding="utf-8-sig")
        for name, reader in readers.items():
            out = reader(markup)
            print(f"036.html via {name}: {len(out)} chars, starts {out[:60]!r}")
    for name in readers:
        print(
            f"{name}: {right[name]}/{pages} pages read right, median {statistics.median(times[name]) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
