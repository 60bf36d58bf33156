"""Stored texts read straight from a damaged library file's pages, past a broken table root.

When the page at the top of the texts table is damaged, no query reaches the rows beneath it,
though every leaf page that holds them may be whole. This reads SQLite's file format (sqlite.org/
fileformat2.html) directly: every table leaf page, its cells, their overflow chains and records,
keeping the rows shaped like the texts table's (number, original text, cleaned body). Pages on
the freelist (rows deleted long ago) are skipped, so a removed report does not come back.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

LEAF_TABLE = 0x0D
_DATETIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")  # the corrections table's third column


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    """SQLite's big-endian varint at pos: (value, position after it)."""
    value = 0
    for i in range(8):
        byte = data[pos + i]
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, pos + i + 1
    return (value << 8) | data[pos + 8], pos + 9


class _File:
    def __init__(self, data: bytes) -> None:
        self.data = data
        size = struct.unpack(">H", data[16:18])[0]
        self.page_size = 65536 if size == 1 else size
        self.usable = self.page_size - data[20]
        self.pages = len(data) // self.page_size

    def page(self, number: int) -> bytes:
        start = (number - 1) * self.page_size
        return self.data[start : start + self.page_size]

    def freelist(self) -> set[int]:
        """Pages SQLite has freed: trunk pages and the leaves they list."""
        free: set[int] = set()
        trunk = struct.unpack(">I", self.data[32:36])[0]
        while 0 < trunk <= self.pages and trunk not in free:
            free.add(trunk)
            page = self.page(trunk)
            count = struct.unpack(">I", page[4:8])[0]
            if count > (self.usable - 8) // 4:
                break
            free.update(struct.unpack(">I", page[8 + 4 * i : 12 + 4 * i])[0] for i in range(count))
            trunk = struct.unpack(">I", page[0:4])[0]
        return free

    def payload(self, page: bytes, cell: int) -> tuple[int, bytes] | None:
        """(rowid, whole record) of one table-leaf cell, following its overflow chain."""
        size, pos = _varint(page, cell)
        rowid, pos = _varint(page, pos)
        limit = self.usable - 35
        if size <= limit:
            return rowid, page[pos : pos + size]
        least = ((self.usable - 12) * 32 // 255) - 23
        local = least + (size - least) % (self.usable - 4)
        if local > limit:
            local = least
        out = bytearray(page[pos : pos + local])
        next_page = struct.unpack(">I", page[pos + local : pos + local + 4])[0]
        seen = set()
        while len(out) < size:
            if not 0 < next_page <= self.pages or next_page in seen:
                return None
            seen.add(next_page)
            over = self.page(next_page)
            out += over[4 : self.usable]
            next_page = struct.unpack(">I", over[:4])[0]
        return rowid, bytes(out[:size])


def _record(payload: bytes) -> list | None:
    """The values of one record; None when it is not a well-formed one."""
    header, pos = _varint(payload, 0)
    if header > len(payload):
        return None
    types = []
    while pos < header:
        serial, pos = _varint(payload, pos)
        types.append(serial)
    values: list = []
    at = header
    sizes = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 7: 8, 8: 0, 9: 0}
    for serial in types:
        if serial in sizes:
            n = sizes[serial]
            values.append(None if serial == 0 else payload[at : at + n])
        elif serial >= 12:
            n = (serial - 12) // 2
            chunk = payload[at : at + n]
            if serial % 2:
                try:
                    values.append(chunk.decode("utf-8"))
                except UnicodeDecodeError:
                    return None
            else:
                values.append(chunk)
        else:
            return None
        at += n
    return values if at == len(payload) else None


def _original(original: str | bytes, body: str) -> str | None:
    """A texts row's original: plain in older libraries, deflated against its body since schema 6."""
    if isinstance(original, str):
        return original
    import zlib

    from eduread.library.packed import unpack

    try:
        return unpack(original, body)
    except (zlib.error, UnicodeDecodeError):
        return None


def stored_texts(path: Path) -> dict[int, tuple[str, str | None]]:
    """Report number → (original text, title hints as stored or None), from every readable leaf page
    shaped like the texts table's."""
    try:
        data = path.read_bytes()
        db = _File(data)
    except (OSError, struct.error, IndexError):
        return {}
    if db.page_size < 512 or db.page_size & (db.page_size - 1):
        return {}
    try:
        free = db.freelist()
    except (struct.error, IndexError):
        free = set()
    found: dict[int, tuple[str, str | None]] = {}
    for number in range(1, db.pages + 1):
        if number in free:
            continue
        page = db.page(number)
        head = 100 if number == 1 else 0
        if page[head] != LEAF_TABLE:
            continue
        try:
            cells = struct.unpack(">H", page[head + 3 : head + 5])[0]
            pointers = [
                struct.unpack(">H", page[head + 8 + 2 * i : head + 10 + 2 * i])[0] for i in range(cells)
            ]
        except struct.error:
            continue
        for pointer in pointers:
            try:
                cell = db.payload(page, pointer)
                values = _record(cell[1]) if cell else None
            except (IndexError, struct.error):
                continue
            if (
                values is not None
                # (num, original, body[, simplified[, hints]]): schemas 7 and 8 added the last two
                and len(values) in (3, 4, 5)
                and all(v is None or isinstance(v, str) for v in values[3:])
                and values[0] is None
                and isinstance(values[1], (str, bytes))
                and isinstance(values[2], str)
                and not _DATETIME.match(values[2])
            ):
                text = _original(values[1], values[2])
                if text is not None:
                    found[cell[0]] = (text, values[4] if len(values) == 5 else None)
    return found
