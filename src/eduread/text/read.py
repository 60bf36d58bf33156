"""Read any file a person saved into a Document: bounded, sniffed by its bytes, one line when refused.

Every refusal is a ReportError naming the file and the reason in a few words, so each face prints
it as one line: what the format is and what to do with it (\"Word 97-2003 .doc: open it in Word or
WPS and save it as .docx\"), never a traceback and never \"too short to be a report\".
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from eduread.errors import ReportError
from eduread.text.decode import MAX_BYTES, DecodeError, strip_controls
from eduread.text.document import Document
from eduread.text.formats.sniff import HEAD, sniff_head, sniff_ole, sniff_zip
from eduread.text.names import shown_name

# Bytes read at most, by format: text and pages are a report's own size; Office and PDF files
# also carry pictures and fonts.
LIMITS = {"text": MAX_BYTES, "zip": 64 * 1024 * 1024, "ole": 64 * 1024 * 1024, "pdf": 128 * 1024 * 1024}
_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


class UnsupportedFormat(ReportError):
    """A file in a format eduread does not read; the reason names it and what to do."""


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _open_regular(path: Path, name: str):
    """Open a regular file without blocking; anything else (FIFO, device, folder) is refused first."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ReportError(name, "no such file (or a broken link)") from None
    except OSError as err:
        if err.errno == 40:  # ELOOP
            raise ReportError(name, "symbolic link loop") from None
        raise ReportError(name, f"cannot read ({err.strerror or err})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ReportError(name, "is a folder, not a file (use `eduread import` for folders)")
    if not stat.S_ISREG(info.st_mode):
        raise ReportError(
            name, f"not a regular file: {_KINDS.get(stat.S_IFMT(info.st_mode), 'a special file')}"
        )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        raise ReportError(name, f"cannot read ({err.strerror or err})") from None
    opened = os.fstat(fd)
    if not stat.S_ISREG(opened.st_mode):  # swapped for something else between stat and open
        os.close(fd)
        raise ReportError(name, "not a regular file")
    return os.fdopen(fd, "rb"), opened.st_size


def _read_bounded(handle, limit: int, name: str) -> bytes:
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise ReportError(name, f"too large for a report (over {_mb(limit)})")
    return data


def read_document(path: str | os.PathLike[str]) -> Document:
    """The Document of a file on disk; stats before reading and never reads past the format's limit."""
    path = Path(path)
    name = shown_name(path)
    handle, size = _open_regular(path, name)
    with handle:
        try:
            head = handle.read(HEAD)
        except OSError as err:
            raise ReportError(name, f"cannot read ({err.strerror or err})") from None
        kind = sniff_head(head, path.name)
        if kind.format == "unsupported":
            raise UnsupportedFormat(name, kind.reason)
        limit = LIMITS.get(kind.format, MAX_BYTES)
        if size > limit:
            raise ReportError(name, f"too large for a report ({_mb(size)})")
        try:
            data = head + _read_bounded(handle, limit - len(head), name)
        except OSError as err:
            raise ReportError(name, f"cannot read ({err.strerror or err})") from None
    return read_bytes(data, path.name, shown=name)


def read_bytes(data: bytes, name: str, *, shown: str | None = None, html: bool | None = None) -> Document:
    """The Document of a file's bytes; `name` (its file name) only breaks ties the bytes leave open."""
    shown = shown if shown is not None else shown_name(name)
    kind = sniff_head(data[:HEAD], name)
    if kind.format == "zip":
        kind = sniff_zip(data, name)
    elif kind.format == "ole":
        kind = sniff_ole(data, name)
    if kind.format == "unsupported":
        raise UnsupportedFormat(shown, kind.reason)
    limit = LIMITS.get(kind.format if kind.format in LIMITS else "text", MAX_BYTES)
    if kind.format == "docx":
        limit = LIMITS["zip"]
    if len(data) > limit:
        raise ReportError(shown, f"too large for a report ({_mb(len(data))})")
    try:
        document = _read_format(kind.format, data, html)
    except (DecodeError, ValueError) as err:
        raise ReportError(shown, str(err)) from None
    except RecursionError:
        raise ReportError(shown, f"too deeply nested to read as {kind.format}") from None
    except MemoryError:
        raise ReportError(shown, "too large to read") from None
    except Exception as err:  # a library's own error on a damaged file: one line, never a traceback
        raise ReportError(shown, f"damaged {kind.format.upper()} file ({type(err).__name__})") from None
    document.text = strip_controls(document.text)
    document.title_hints = [strip_controls(h).strip() for h in document.title_hints if h.strip()]
    if not document.text.strip():
        empty = {
            "docx": "the .docx holds no text (only pictures?)",
            "html": "no readable text in the page",
        }
        raise ReportError(shown, empty.get(document.format, "no readable text"))
    return document


def _read_format(fmt: str, data: bytes, html: bool | None) -> Document:
    if fmt == "pdf":
        from eduread.text.formats.pdf import read_pdf

        return read_pdf(data)
    if fmt == "docx":
        from eduread.text.formats.docx import read_docx

        return read_docx(data)
    from eduread.text.formats.plain import read_plain

    return read_plain(data, html=html)
