"""Read a PDF's text layer as the report's paragraphs, without page furniture.

PDFium (through pypdfium2) gives each page's text in reading order with its own line breaks, and
the box of every character. From the boxes we know where a line ends: a line that runs to the
right margin continues in the next one (a Chinese line joins with no space), a short or indented
one ends a paragraph. Page numbers and the running header and footer (lines repeated at the top or
bottom of most pages) are dropped; spaces PDF producers put between Chinese characters and inside
figures (1 万个, 2 0 2 0 年) are closed up. Pages and time per file are bounded.
"""

from __future__ import annotations

import os
import pickle
import re
import select
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass
from statistics import median

from eduread.text.document import Document

MAX_PAGES = 400  # a bureau's report runs to a few dozen pages; a yearbook or a bomb runs to thousands
MAX_SECONDS = 30.0
MAX_PAGE_CHARS = 200_000

_HAN = "\u3400-\u9fff\uf900-\ufaff"
# Spaces a PDF puts between two Han characters, or between a figure and its unit (1 万个, 20 %);
# a space after a heading (工作总结 2023年) is the writer's and stays.
_CJK_SPACE = re.compile(rf"(?<=[{_HAN}]) +(?=[{_HAN}])")
_CJK_DIGIT_SPACE = re.compile(rf"(?<=\d) +(?=[{_HAN}%])")
_MARKER = re.compile(
    r"(?:\d{1,2}[.、．]|[(（][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、是])"
)
_SPACED_DIGITS = re.compile(r"(?<![\w.])\d(?: \d)+(?![\w.])")
_SPACED_POINT = re.compile(r"(?<=\d) ?\. ?(?=\d)")
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–_·•]*(?:第\s*\d+\s*页(?:\s*[,/,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d+|[-—–]\s*\d+\s*[-—–]|"
    r"page\s*\d+(?:\s*of\s*\d+)?|[ivxlc]+)[\s\-—–_·•]*$",
    re.I,
)


class PdfError(ValueError):
    """A PDF that cannot be read as a report; the message says why in a few words."""


@dataclass
class _Line:
    text: str
    left: float
    right: float
    top: float
    bottom: float
    page: int

    @property
    def height(self) -> float:
        return max(self.top - self.bottom, 0.0)


def _page_lines(textpage, page_no: int) -> list[_Line]:
    """A page's lines in PDFium's reading order, each with the box of its first and last character."""
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, min(count, MAX_PAGE_CHARS))
    if len(text) != min(count, MAX_PAGE_CHARS):  # characters beyond the BMP: no per-index boxes
        return [_Line(t, 0, 0, 0, 0, page_no) for t in re.split(r"\r\n|\n|\r", text) if t.strip()]
    lines = []
    pos = 0
    for piece in re.split(r"(\r\n|\n|\r)", text):
        if piece in ("\r\n", "\n", "\r"):
            pos += len(piece)
            continue
        stripped = piece.strip()
        if stripped:
            first = pos + (len(piece) - len(piece.lstrip()))
            last = pos + len(piece.rstrip()) - 1
            left, bottom, _r, top = textpage.get_charbox(first, loose=True)
            _l, b2, right, t2 = textpage.get_charbox(last, loose=True)
            lines.append(_Line(stripped, left, right, max(top, t2), min(bottom, b2), page_no))
        pos += len(piece)
    return lines


def _tidy(text: str) -> str:
    """Close the spaces PDF extraction puts between Chinese characters and inside figures."""
    text = text.replace("\u3000", " ").replace("\xa0", " ")
    text = _SPACED_DIGITS.sub(lambda m: m.group(0).replace(" ", ""), text)
    text = _SPACED_POINT.sub(".", text)
    text = _CJK_SPACE.sub("", text)
    text = _CJK_DIGIT_SPACE.sub("", text)
    return re.sub(r" {2,}", " ", text).strip()


def _furniture(pages: list[list[_Line]]) -> set[int]:
    """ids of page numbers and running headers/footers: the lines at a page's edge repeated across pages."""
    drop: set[int] = set()
    edges: list[list[_Line]] = []
    for lines in pages:
        if not lines:
            edges.append([])
            continue
        by_top = sorted(lines, key=lambda ln: -ln.top)
        edge = by_top[:2] + by_top[-2:]
        edges.append(edge)
        for line in edge:
            if _PAGE_NUMBER.match(line.text):
                drop.add(id(line))
    if len(pages) >= 2:
        shape = Counter()
        for edge in edges:
            for key in {re.sub(r"\d+", "#", ln.text) for ln in edge}:
                shape[key] += 1
        need = max(2, (len([e for e in edges if e]) + 1) // 2)
        for edge in edges:
            for line in edge:
                if shape[re.sub(r"\d+", "#", line.text)] >= need and len(line.text) <= 60:
                    drop.add(id(line))
    return drop


def _join(lines: list[_Line]) -> str:
    """Rejoin wrapped lines into paragraphs: a line that reaches the right margin runs on."""
    if not lines:
        return ""
    boxed = [ln for ln in lines if ln.right > ln.left]
    heights = [ln.height for ln in boxed if ln.height > 0]
    size = median(heights) if heights else 10.0
    rights = sorted(ln.right for ln in boxed)
    margin_right = rights[int(len(rights) * 0.9)] if rights else 0.0
    lefts = Counter(round(ln.left / max(size / 2, 1)) for ln in boxed)
    margin_left = lefts.most_common(1)[0][0] * max(size / 2, 1) if lefts else 0.0
    gaps = [
        a.bottom - b.top
        for a, b in zip(lines, lines[1:], strict=False)
        if a.page == b.page and a.bottom > b.top
    ]
    usual_gap = median(gaps) if gaps else size
    out = [_tidy(lines[0].text)]
    for prev, line in zip(lines, lines[1:], strict=False):
        text = _tidy(line.text)
        if not text:
            continue
        full = prev.right >= margin_right - 1.6 * size
        indented = line.left > margin_left + 0.8 * size
        far = line.page == prev.page and prev.bottom - line.top > 1.8 * usual_gap + 0.5 * size
        runs_on = full and not indented and not far and prev.right > prev.left
        if runs_on:
            latin = re.search(r"[A-Za-z]$", out[-1]) and re.match(r"[A-Za-z]", text)
            # A numbered point run on after a sentence (…成绩。 3.作风…) lost its space at the wrap.
            marker = re.search(r"[。;；!?！？]$", out[-1]) and _MARKER.match(text)
            joiner = " " if latin or marker else ""
            out[-1] = _tidy(out[-1] + joiner + text)
        else:
            out.append(text)
    return "\n".join(out)


def read_pdf(data: bytes, *, max_pages: int = MAX_PAGES, max_seconds: float = MAX_SECONDS) -> Document:
    """A PDF's text as paragraphs, furniture dropped; raises PdfError (scanned, encrypted, damaged, too big).

    Where the system can fork, PDFium runs in a child process with a memory ceiling and a deadline,
    so a PDF built to exhaust memory or time (huge objects, endless nesting) costs one line, not a
    hung or killed import.
    """
    if hasattr(os, "fork") and sys.platform.startswith("linux"):
        import pypdfium2  # noqa: F401 - loaded here once, so each child starts with it

        return _read_in_child(data, max_pages, max_seconds)
    return _read_here(data, max_pages, max_seconds)


def _memory_ceiling() -> None:
    """Cap the child's address space at what it has now plus 2 GiB (Linux reports it in /proc)."""
    try:
        import resource

        with open("/proc/self/status", encoding="ascii") as status:
            size_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
        ceiling = size_kb * 1024 + 2 * 1024**3
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    except (OSError, ValueError, StopIteration, ImportError):
        pass


def _read_in_child(data: bytes, max_pages: int, max_seconds: float) -> Document:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: read, send the outcome back, leave without running the parent's exit code
        os.close(read_fd)
        try:
            _memory_ceiling()
            outcome: tuple[str, object] = ("ok", _read_here(data, max_pages, max_seconds))
        except PdfError as err:
            outcome = ("refused", str(err))
        except MemoryError:
            outcome = ("refused", "PDF too large to read (it needs more than 2 GB of memory)")
        except BaseException as err:  # noqa: BLE001 - any failure is reported to the parent as one line
            outcome = ("refused", f"damaged PDF ({type(err).__name__})")
        try:
            payload = pickle.dumps(outcome)
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + max_seconds + 5
    finished = False
    try:
        with os.fdopen(read_fd, "rb", buffering=0) as pipe:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([pipe], [], [], left)[0]:
                    break
                chunk = pipe.read(1 << 20)
                if not chunk:
                    finished = True
                    break
                chunks.append(chunk)
    finally:
        if not finished:
            _kill(pid)
        _, status = os.waitpid(pid, 0)
    if not finished:
        raise PdfError(f"gave up after {max_seconds:.0f} s: too complex to read (a PDF bomb?)")
    if not chunks:
        signal_no = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
        raise PdfError(
            f"damaged PDF: reading it crashed (signal {signal_no})" if signal_no else "damaged PDF"
        )
    kind, value = pickle.loads(b"".join(chunks))
    if kind != "ok":
        raise PdfError(str(value))
    assert isinstance(value, Document)
    return value


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _read_here(data: bytes, max_pages: int, max_seconds: float) -> Document:
    """read_pdf in this process."""
    import pypdfium2 as pdfium  # loaded only when a PDF is read

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        message = str(err).lower()
        if "password" in message or "security" in message:
            raise PdfError(
                "password-protected PDF: save a copy without the password (or print it to PDF)"
            ) from None
        raise PdfError("damaged PDF: the file is cut short or corrupt") from None
    try:
        count = len(pdf)
        if count == 0:
            raise PdfError("damaged PDF: it has no pages")
        if count > max_pages:
            raise PdfError(f"PDF of {count} pages: too long for a report (eduread reads at most {max_pages})")
        started = time.monotonic()
        pages: list[list[_Line]] = []
        for number in range(count):
            if time.monotonic() - started > max_seconds:
                raise PdfError(
                    f"gave up after {max_seconds:.0f} s at page {number + 1} of {count} (too complex)"
                )
            try:
                page = pdf[number]
                textpage = page.get_textpage()
            except pdfium.PdfiumError:
                raise PdfError(f"damaged PDF: page {number + 1} cannot be read") from None
            try:
                pages.append(_page_lines(textpage, number))
            finally:
                textpage.close()
                page.close()
    finally:
        pdf.close()
    chars = sum(len(ln.text.strip()) for lines in pages for ln in lines)
    if chars < 20 * max(1, min(count, 3)):
        raise PdfError("scanned PDF, no text layer: run OCR first")
    drop = _furniture(pages)
    kept = [ln for lines in pages for ln in lines if id(ln) not in drop]
    return Document(_join(kept), "pdf", [], [])
