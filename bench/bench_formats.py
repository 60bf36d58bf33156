"""Importing a report saved as PDF or .docx against the same text as .txt: whole `eduread import` processes.

The same report text (the 长沙 seed, repeated under new headings until the PDF runs to 30 pages)
is written as .txt, .docx and a text PDF; each is imported by a fresh `eduread import` process into
a copy of one seeded library. Medians of RUNS runs; the ratio is against the .txt run of this script.
Targets: the 30-page PDF under 2 s, the .docx under 0.5 s. The reading step alone is timed too
(read_document in one process), since the rest of an import (parse, index, jieba) is the same for
every format.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from format_samples import seed_docx, seed_pdf  # noqa: E402

RUNS = 5
PAGES = 30


def _long_report(pages: int) -> tuple[str, bytes]:
    """The 长沙 plan, its body repeated until its PDF has `pages` pages; returns the text and the PDF."""
    import pypdfium2 as pdfium

    seed = (ROOT / "seeds" / "002_68d8026e029efe2e.txt").read_text(encoding="utf-8")
    head, _, body = seed.partition("发布时间")
    text = seed
    while True:
        pdf = seed_pdf(text)
        if len(pdfium.PdfDocument(pdf)) >= pages:
            return text, pdf
        text += "\n\n" + "发布时间" + body


def _import_ms(template: Path, file: Path) -> float:
    times = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp) / "home"
            shutil.copytree(template, home)
            start = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-m", "eduread", "--library", str(home), "import", str(file)],
                capture_output=True,
                text=True,
            )
            times.append((time.perf_counter() - start) * 1000)
            if "imported 1," not in out.stdout:
                raise SystemExit(f"{file.name}: {out.stdout}{out.stderr}")
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        template = folder / "library"
        subprocess.run(
            [sys.executable, "-m", "eduread", "--library", str(template), "list"], capture_output=True
        )
        text, pdf = _long_report(PAGES)
        files = {
            "txt": folder / "report.txt",
            "docx": folder / "report.docx",
            "pdf": folder / "report.pdf",
        }
        files["txt"].write_text(text, encoding="utf-8")
        files["docx"].write_bytes(seed_docx(text))
        files["pdf"].write_bytes(pdf)
        import pypdfium2 as pdfium

        pages = len(pdfium.PdfDocument(pdf))
        base = _import_ms(template, files["txt"])
        print(
            f"report: {len(text):,} characters; PDF {pages} pages; median of {RUNS} whole `eduread import` runs"
        )
        print(f"{'format':6} {'ms':>8} {'vs .txt':>8}")
        print(f"{'txt':6} {base:8.0f} {1.0:7.2f}x")
        for fmt in ("docx", "pdf"):
            ms = _import_ms(template, files[fmt])
            print(f"{fmt:6} {ms:8.0f} {ms / base:7.2f}x")
        print("reading alone (read_document, in one process, after a first read loads the library):")
        from eduread.text.read import read_document

        read_base = _read_ms(read_document, files["txt"])
        for fmt in ("txt", "docx", "pdf"):
            ms = _read_ms(read_document, files[fmt])
            print(f"{fmt:6} {ms:8.1f} {ms / read_base:7.2f}x")


def _read_ms(read, file: Path) -> float:
    read(file)
    times = []
    for _ in range(RUNS * 2):
        start = time.perf_counter()
        read(file)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    main()
