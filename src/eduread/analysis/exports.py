"""Tables out of eduread as files researchers open (CSV for Excel, XLSX, JSON), written safely.

Both faces export through here: a name is always given, an existing file is never replaced
without being asked, a file is written whole or not at all, and cells a spreadsheet would run
as formulas are escaped.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

FORMATS = ("csv", "xlsx", "json")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportError(Exception):
    """The file cannot be written as asked; the message names the file and the reason."""


def escape_cell(value: object) -> object:
    """A text cell a spreadsheet would read as a formula gets a leading apostrophe; numbers stay."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def format_of(path: Path, given: str | None = None) -> str:
    """The format asked for, or the one the file name ends with."""
    fmt = (given or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ExportError(f"{path}: give a file name ending in .csv, .xlsx or .json")
    return fmt


def check_target(path: Path | str, *, force: bool = False) -> Path:
    """The path to write, refused when it exists (unless forced) or its folder does not."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise ExportError(f"{target}: is a folder; give a file name")
    if target.exists() and not force:
        raise ExportError(f"{target}: already exists (use --force to replace it)")
    if not target.parent.exists():
        raise ExportError(f"{target}: the folder {target.parent} does not exist")
    return target


def _cell_text(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    return value


def csv_bytes(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows Chinese right; formulas escaped."""
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([escape_cell(_cell_text(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def json_bytes(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """A list of objects keyed by column (JSON is data, not a sheet: nothing is escaped)."""
    data = [dict(zip(columns, row, strict=True)) for row in rows]
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _write_xlsx(path: Path, columns: Sequence[str], rows: Sequence[Sequence[object]], sheet: str) -> None:
    import xlsxwriter  # only when exporting: start-up never pays for it

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    try:
        ws = book.add_worksheet(sheet[:31] or "eduread")
        bold = book.add_format({"bold": True})
        ws.write_row(0, 0, list(columns), bold)
        widths = [min(60, max(6, len(str(c)) * 2)) for c in columns]
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row):
                value = escape_cell(_cell_text(value))
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    ws.write_string(r, c, str(value))
                else:
                    ws.write_number(r, c, value)
                if r < 200:
                    widths[c] = min(60, max(widths[c], len(str(value)) * 2))
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        ws.freeze_panes(1, 0)
        if rows:
            ws.autofilter(0, 0, len(rows), len(columns) - 1)
    finally:
        book.close()


def write_table(
    path: Path | str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    fmt: str | None = None,
    force: bool = False,
    sheet: str = "eduread",
) -> Path:
    """Write a table to a new file (CSV, XLSX or JSON by name or `fmt`); whole or not at all."""
    target = check_target(path, force=force)
    kind = format_of(target, fmt)
    fd, tmp = tempfile.mkstemp(prefix=".eduread-", suffix="." + kind, dir=target.parent)
    os.close(fd)
    temp = Path(tmp)
    try:
        if kind == "xlsx":
            _write_xlsx(temp, columns, rows, sheet)
        else:
            temp.write_bytes(csv_bytes(columns, rows) if kind == "csv" else json_bytes(columns, rows))
        if force:
            os.replace(temp, target)
        else:
            try:
                os.link(temp, target)  # fails if the name was taken meanwhile: nothing is replaced
            except FileExistsError:
                raise ExportError(f"{target}: already exists (use --force to replace it)") from None
            except OSError:  # a file system without hard links
                if target.exists():
                    raise ExportError(f"{target}: already exists (use --force to replace it)") from None
                os.replace(temp, target)
    except OSError as err:
        raise ExportError(f"{target}: cannot write ({err.strerror or err})") from None
    finally:
        temp.unlink(missing_ok=True)
    return target
