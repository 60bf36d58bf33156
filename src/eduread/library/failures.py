"""SQLite's and the file system's errors in the words a person can act on, one line each.

A damaged page, a full disk and a read-only folder all reach us as sqlite3 or OS errors whose
own text ("database disk image is malformed", "attempt to write a readonly database") does not
say what to do; every face shows these lines instead.
"""

from __future__ import annotations

import errno
import sqlite3

CHECK = "run `eduread check` to see what is damaged and how to recover"

_DAMAGED = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
_FULL = {"SQLITE_FULL"}
_READONLY = {"SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH"}
_BUSY = {"SQLITE_BUSY", "SQLITE_LOCKED"}
_CANTOPEN = {"SQLITE_CANTOPEN"}


def _code_name(err: sqlite3.Error) -> str:
    """SQLITE_CORRUPT and friends: the primary code's name, extended codes folded into it."""
    name = getattr(err, "sqlite_errorname", "") or ""
    code = getattr(err, "sqlite_errorcode", None)
    if isinstance(code, int) and name and "_" in name[7:]:  # SQLITE_IOERR_WRITE → SQLITE_IOERR
        name = "SQLITE_" + name[7:].split("_")[0]
    return name


def is_damage(err: BaseException) -> bool:
    """Whether SQLite says the file itself is damaged (not busy, full or read-only)."""
    if not isinstance(err, sqlite3.Error):
        return False
    text = str(err).lower()
    return _code_name(err) in _DAMAGED or "malformed" in text or "not a database" in text


def explain(err: BaseException) -> str:
    """The reason part of an error line: what went wrong and, where there is one, what to do."""
    if isinstance(err, OSError):
        if err.errno == errno.ENOSPC:
            return "the disk is full (no space left on the device)"
        if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return "permission denied (the file or its folder is read-only)"
        return err.strerror or str(err)
    if not isinstance(err, sqlite3.Error):
        return str(err) or type(err).__name__
    name = _code_name(err)
    text = str(err)
    lower = text.lower()
    if is_damage(err):
        return f"the library is damaged ({text}); {CHECK}"
    if name in _FULL or "disk is full" in lower or "database or disk is full" in lower:
        return "the disk is full (no space left for the library); nothing of the interrupted step was kept"
    if name in _READONLY or "readonly" in lower or "read-only" in lower:
        return "the library is read-only (check the permissions of the file and its folder)"
    if name in _BUSY or "locked" in lower:
        return "the library is busy: another eduread is writing to it; try again when it is done"
    if name in _CANTOPEN or "unable to open" in lower:
        return "cannot open the library file (missing folder or no permission)"
    if name == "SQLITE_IOERR" or "disk i/o error" in lower:
        return f"the library file cannot be read or written ({text})"
    return text
