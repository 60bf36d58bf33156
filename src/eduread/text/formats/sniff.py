"""Tell a file's format by its bytes, not its name: a .txt may be a PDF, a .doc may be a web page."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

HEAD = 8192  # bytes enough to tell every format apart but zip-based ones

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"BM", "BMP image"),
)
_ARCHIVES = (
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
)
_MHT = re.compile(rb"^(?:[\w-]+:[^\n]*\r?\n)*?(?:MIME-Version:|Content-Type:\s*multipart/related)", re.I)
_HTML = re.compile(
    r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title>|<div[\s>]|<p[\s>]|<table[\s>]", re.I
)


@dataclass(frozen=True)
class Sniffed:
    """A file's format: `text`, `html`, `docx`, `pdf`, or `unsupported` with a one-line reason."""

    format: str
    reason: str = ""


def _unsupported(what: str, todo: str) -> Sniffed:
    return Sniffed("unsupported", f"{what}: {todo}")


def sniff_head(head: bytes, name: str) -> Sniffed:
    """The format as far as the first bytes tell; zip-based formats come back as `zip`."""
    suffix = name.lower().rpartition(".")[2] if "." in name else ""
    if head.lstrip().startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return Sniffed("pdf")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return Sniffed("zip")
    if head.startswith(_OLE):
        return Sniffed("ole")
    if head.startswith(b"{\\rtf"):
        return _unsupported("RTF document", "open it in Word or WPS and save it as .docx")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _unsupported("WebP image", "a picture has no text to read: run OCR first")
    for magic, what in _IMAGES:
        if head.startswith(magic) and (magic != b"BM" or suffix == "bmp"):
            return _unsupported(what, "a picture has no text to read: run OCR first")
    for magic, what in _ARCHIVES:
        if head.startswith(magic):
            return _unsupported(what, "unpack it and import the folder")
    if (
        _MHT.match(head.lstrip()[:2048])
        or suffix in ("mht", "mhtml")
        and b"multipart/related" in head.lower()
    ):
        return _unsupported(
            "web archive (.mht)", "open it in a browser and save it as a web page, HTML only (.html)"
        )
    return Sniffed("text")


def sniff_ole(data: bytes, name: str) -> Sniffed:
    """An OLE2 compound file: Word 97, WPS, Excel 97, PowerPoint, or an encrypted Office file."""
    suffix = name.lower().rpartition(".")[2]
    if "EncryptedPackage".encode("utf-16-le") in data:
        return _unsupported("password-protected Office file", "save a copy without the password as .docx")
    if "WordDocument".encode("utf-16-le") in data:
        if suffix == "wps":
            return _unsupported("WPS Writer .wps", "open it in WPS and save it as .docx")
        if suffix in ("docx", "docm"):
            return _unsupported(
                "a Word 97-2003 .doc named .docx", "open it in Word or WPS and save it as .docx"
            )
        return _unsupported("Word 97-2003 .doc", "open it in Word or WPS and save it as .docx")
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return _unsupported(
            "Excel 97-2003 .xls spreadsheet", "a table, not a report text: save the report as .docx"
        )
    if "PowerPoint Document".encode("utf-16-le") in data:
        return _unsupported("PowerPoint .ppt slides", "save them as PDF")
    if suffix == "wps":
        return _unsupported("WPS Writer .wps", "open it in WPS and save it as .docx")
    return _unsupported("Office 97-2003 file", "open it in Word or WPS and save it as .docx")


def sniff_zip(data: bytes, name: str) -> Sniffed:
    """A zip: .docx, or one of the zip-based formats eduread names (OFD, .xlsx, .pptx, .odt)."""
    suffix = name.lower().rpartition(".")[2]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, NotImplementedError):
        what = ".docx" if suffix in ("docx", "docm") else "zip archive"
        return Sniffed("unsupported", f"damaged {what}: the zip is cut short or corrupt")
    if "word/document.xml" in names:
        return Sniffed("docx")
    if (
        any(n.startswith("word/") for n in names)
        or suffix in ("docx", "docm")
        and "[Content_Types].xml" in names
    ):
        return Sniffed("unsupported", "damaged .docx: it holds no word/document.xml")
    if "OFD.xml" in names or suffix == "ofd":
        return _unsupported("OFD document (.ofd)", "export it to PDF in an OFD reader (数科 or 福昕 OFD)")
    if any(n.startswith("xl/") for n in names):
        return _unsupported("Excel .xlsx spreadsheet", "a table, not a report text: save the report as .docx")
    if any(n.startswith("ppt/") for n in names):
        return _unsupported("PowerPoint .pptx slides", "save them as PDF")
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return _unsupported("OpenDocument file", "open it and save it as .docx")
    if suffix in ("docx", "docm"):
        return Sniffed("unsupported", "damaged .docx: it holds no word/document.xml")
    return _unsupported("zip archive", "unpack it and import the folder")


def looks_like_html(text_head: str) -> bool:
    """Markup in the first decoded characters (after any ASP/PHP preamble or comment)."""
    return bool(_HTML.search(text_head[:2048]))
