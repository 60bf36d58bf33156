"""Files eduread cannot read get one line naming the format and what to do; nothing else is lost."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import SEEDS
from eduread.errors import ReportError
from eduread.text.names import shown_name
from eduread.text.read import read_bytes, read_document
from format_samples import seed_docx, seed_pdf, site_page

HUAIHUA = SEEDS / "000_74b69ab3a17d35dc.txt"
TEXT = HUAIHUA.read_text(encoding="utf-8")
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _ole(*streams: str) -> bytes:
    """The head of an OLE2 compound file whose directory names these streams."""
    return OLE + b"".join(s.encode("utf-16-le") + b"\x00\x00" for s in streams) + b"\x00" * 4096


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def _pdf_pages(count: int) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(count):
        pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _drawing_pdf(encrypt: str | None = None, text: bool = False) -> bytes:
    """A PDF of lines only (what a scan looks like to a text reader), or with text, optionally encrypted."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, encrypt=encrypt)
    for y in range(100, 700, 20):
        page.line(72, y, 500, y)
    if text:
        page.drawString(72, 750, "Annual report " * 5)
    page.showPage()
    page.save()
    return out.getvalue()


BAD = {
    "word97.doc": (
        _ole("Root Entry", "WordDocument", "1Table"),
        "Word 97-2003 .doc: open it in Word or WPS and save it as .docx",
    ),
    "report.wps": (
        _ole("Root Entry", "WordDocument"),
        "WPS Writer .wps: open it in WPS and save it as .docx",
    ),
    "really-a-doc.docx": (_ole("Root Entry", "WordDocument"), "a Word 97-2003 .doc named .docx"),
    "locked.docx": (
        _ole("Root Entry", "EncryptedInfo", "EncryptedPackage"),
        "password-protected Office file",
    ),
    "sheet.xls": (_ole("Root Entry", "Workbook"), "Excel 97-2003 .xls spreadsheet"),
    "sheet.xlsx": (
        _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}),
        "Excel .xlsx spreadsheet",
    ),
    "gov.ofd": (_zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"}), "OFD document (.ofd)"),
    "page.mht": (
        b"From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\r\n",
        "web archive (.mht)",
    ),
    "scan.png": (
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        "PNG image: a picture has no text to read: run OCR first",
    ),
    "scan.jpg": (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "JPEG image"),
    "report.rtf": (b"{\\rtf1\\ansi " + TEXT.encode("utf-8")[:200], "RTF document"),
    "archive.zip": (_zip({"a.txt": b"x"}), "zip archive: unpack it and import the folder"),
    "no-body.docx": (
        _zip({"[Content_Types].xml": b"<x/>", "word/styles.xml": b"<x/>"}),
        "damaged .docx: it holds no word/document.xml",
    ),
    "cut.docx": (seed_docx(TEXT)[:3000], "damaged .docx"),
    "cut.pdf": (seed_pdf(TEXT)[:4000], "damaged PDF"),
    "bomb.pdf": (_pdf_pages(2000), "PDF of 2000 pages: too long for a report"),
    "scanned.pdf": (_drawing_pdf(), "scanned PDF, no text layer: run OCR first"),
    "locked.pdf": (_drawing_pdf(encrypt="secret", text=True), "password-protected PDF"),
    "pictures.docx": (seed_docx(""), "the .docx holds no text"),
    "binary.txt": (bytes(range(256)) * 40, "binary file, not text"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_gives_one_line_naming_the_format(name: str) -> None:
    data, reason = BAD[name]
    with pytest.raises(ReportError) as caught:
        read_bytes(data, name)
    message = str(caught.value)
    assert reason in message and "\n" not in message and message.startswith(name)


def test_a_few_broken_bytes_are_repaired_and_said() -> None:
    data = TEXT.encode("utf-8")
    cut = len(TEXT[:1000].encode("utf-8"))
    broken = data[:cut] + b"\xff" + data[cut:]
    document = read_bytes(broken, "one-bad-byte.txt")
    assert document.notes == ["1 invalid byte replaced"] and "\ufffd" in document.text
    nuls = data[:100] + b"\x00" + data[100:2000] + b"\x00\x00" + data[2000:]
    document = read_bytes(nuls, "nuls.txt")
    assert document.notes == ["3 NUL bytes dropped"] and document.text == TEXT


def test_special_files_are_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "x.txt"
    os.mkfifo(fifo)
    with pytest.raises(ReportError, match="not a regular file: a named pipe"):
        read_document(fifo)  # would block forever if it were opened for reading
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    with pytest.raises(ReportError, match="not a regular file: a character device"):
        read_document(zero)
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(1024**3)  # sparse: a 1 GB file costs nothing until someone reads it
    with pytest.raises(ReportError, match=r"too large for a report \(1024 MB\)"):
        read_document(huge)
    loop = tmp_path / "loop.txt"
    loop.symlink_to(tmp_path / "loop2.txt")
    (tmp_path / "loop2.txt").symlink_to(loop)
    with pytest.raises(ReportError, match="symbolic link loop"):
        read_document(loop)


def test_names_are_shown_escaped() -> None:
    assert shown_name(os.fsdecode(b"r\xff.txt")) == "r\\xff.txt"
    assert shown_name("a\x1b]52;c;SGVsbG8=\x07b\x1b[2J.txt") == "a\\x1b]52;c;SGVsbG8=\\x07b\\x1b[2J.txt"
    assert shown_name("\u202etxt.exe") == "\\u202etxt.exe"
    assert shown_name("怀化 2019.txt") == "怀化 2019.txt"


def _eduread(home: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "eduread", "--library", str(home), *args]
    return subprocess.run(command, capture_output=True, timeout=120, cwd=cwd)


def test_mixed_folder_import_names_what_it_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    (folder / "huaihua.txt").write_bytes(seeds[0].read_bytes())
    (folder / "yuyao.html").write_text(site_page(seeds[1].read_text(encoding="utf-8")), encoding="utf-8")
    (folder / "changsha.docx").write_bytes(seed_docx(seeds[2].read_text(encoding="utf-8")))
    (folder / "tianmen.pdf").write_bytes(seed_pdf(seeds[3].read_text(encoding="utf-8")))
    broken = seeds[4].read_text(encoding="utf-8").replace("崇川", "港闸")
    cut = len(broken[:300].encode("utf-8"))
    data = broken.encode("utf-8")
    (folder / os.fsdecode(b"gang\xffzha.txt")).write_bytes(data[:cut] + b"\xfe" + data[cut:])
    for name in ("a.doc", "b.doc", "c.doc"):
        (folder / name).write_bytes(BAD["word97.doc"][0])
    (folder / "scan.png").write_bytes(BAD["scan.png"][0])
    (folder / "style.css").write_text("body{}")  # a saved page's files: passed over in silence
    os.mkfifo(folder / "x.txt")
    (folder / "\x1b]0;pwned\x07.txt").write_text("short")
    sub = folder / "sub"
    sub.mkdir()
    (sub / "up").symlink_to(folder)  # a folder loop
    out = _eduread(tmp_path / "home", "import", str(folder))
    stdout, stderr = out.stdout.decode("utf-8"), out.stderr.decode("utf-8")
    assert out.returncode == 1
    assert "Traceback" not in stderr and "\x1b" not in stdout + stderr
    # The library starts with the five seeds: the .txt, the site page and the PDF are the same reports
    # by content; the .docx (no blank lines between paragraphs) and the changed 港闸 file are new.
    assert "imported 2, duplicates skipped 3, failed 3, not read 4 (other formats)" in stdout
    assert "3 files: Word 97-2003 .doc: open it in Word or WPS and save it as .docx" in stdout
    assert "x.txt: not a regular file: a named pipe (FIFO)" in stderr
    assert "symbolic link loop" in stderr and "style.css" not in stderr
    assert "\\x1b]0;pwned\\x07.txt: not Chinese text" in stderr
    assert "gang\\xffzha.txt: imported, repaired while reading: 1 invalid byte replaced" in stderr
    assert all(line.startswith("eduread: ") for line in stderr.strip().splitlines())
    listed = _eduread(tmp_path / "home", "list", "--json")
    import json

    places = {e["place"] for e in json.loads(listed.stdout)}
    assert "南通市港闸区" in places and len(places) == 6


def test_launcher_reads_the_same_formats(tmp_path: Path) -> None:
    """`eduread FILE` refuses what import refuses, in one line and before any screen is drawn."""
    doc = tmp_path / "old.doc"
    doc.write_bytes(BAD["word97.doc"][0])
    out = _eduread(tmp_path / "home", str(doc))
    assert out.returncode == 1
    assert (
        out.stderr.decode().strip()
        == f"eduread: {doc}: Word 97-2003 .doc: open it in Word or WPS and save it as .docx"
    )
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    out = _eduread(tmp_path / "home", str(fifo))
    assert out.returncode == 1 and "not a regular file" in out.stderr.decode()


FORMAT_LIBRARIES = ("docx", "pypdfium2", "lxml", "reportlab", "trafilatura")


@pytest.mark.parametrize("command", [["list"], ["search", "学位"]])
def test_list_and_search_load_no_format_library(tmp_path: Path, command: list[str]) -> None:
    home = tmp_path / "h"
    assert _eduread(home, "list").returncode == 0  # the first run stores the seeds
    code = (
        f"import sys; from eduread.cli import main; main(['--library', sys.argv[1], *{command!r}]);"
        f"print('LOADED', [m for m in {FORMAT_LIBRARIES!r} if m in sys.modules], file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(home)], capture_output=True, text=True, timeout=120)
    assert out.stderr.strip().endswith("LOADED []"), out.stderr


def test_first_frame_loads_no_format_library(tmp_path: Path) -> None:
    home = tmp_path / "h"
    assert _eduread(home, "list").returncode == 0
    code = f"""
import sys
from eduread.tui.app import ReaderApp
from eduread.tui.screens.reader_screen import ReaderScreen

class FirstScreen(ReaderScreen):
    async def _after_first_frame(self):
        print("LOADED", [m for m in {FORMAT_LIBRARIES!r} if m in sys.modules])
        self.app.exit()

class FirstFrame(ReaderApp):
    CSS_PATH = {str(Path(__file__).resolve().parent.parent / "src/eduread/tui/app.tcss")!r}

    def get_default_screen(self):
        return FirstScreen()

FirstFrame({str(home)!r}).run(headless=True, size=(100, 30))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "LOADED []" in out.stdout, out.stdout + out.stderr


MAGIC = [
    b"",
    b"%PDF-1.7\n",
    b"PK\x03\x04",
    OLE,
    b"\x89PNG\r\n\x1a\n",
    b"<html><body>",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
]


@pytest.mark.parametrize("magic", MAGIC, ids=lambda m: repr(m[:6]))
def test_any_bytes_behind_any_header_give_a_document_or_one_line(magic: bytes) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.binary(max_size=3000), st.sampled_from(["a.txt", "a.pdf", "a.docx", "a.doc", "a.html", "a"]))
    def check(tail: bytes, name: str) -> None:
        try:
            document = read_bytes(magic + tail, name)
        except ReportError as err:
            assert "\n" not in str(err) and str(err).startswith(name)
        else:
            assert document.text.strip() and "\x1b" not in document.text

    check()


def test_pdf_time_and_docx_size_are_bounded() -> None:
    from eduread.text.formats.pdf import PdfError, read_pdf

    with pytest.raises(PdfError, match="gave up after 0 s"):
        read_pdf(seed_pdf(TEXT), max_seconds=0)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (70 * 1024 * 1024) + b"</w:document>")
    assert len(bomb.getvalue()) < 1024 * 1024
    with pytest.raises(ReportError, match=r"unpacks to 70 MB \(a zip bomb\?\)"):
        read_bytes(bomb.getvalue(), "bomb.docx")
