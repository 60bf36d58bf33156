"""Where the library, caches and user themes live (platformdirs, overridable)."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from pathlib import Path

APP = "eduread"


def library_folder(explicit: str | os.PathLike[str] | None = None) -> str:
    """--library DIR wins, then $EDUREAD_HOME, then the platform's user data dir.

    A string: opening a library for `eduread list` does not pay for pathlib's import (and the
    URL parsing it brings), a twentieth of that command's time.
    """
    if explicit:
        return os.path.expanduser(os.fspath(explicit))
    env = os.environ.get("EDUREAD_HOME")
    if env:
        return os.path.expanduser(env)
    from platformdirs import user_data_dir  # only here: a command given --library never loads it

    return user_data_dir(APP, appauthor=False)


def library_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`library_folder` as a Path, for the faces that work with paths (the reader, check)."""
    from pathlib import Path

    return Path(library_folder(explicit))


def cache_dir() -> Path:
    """User cache dir (jieba's dictionary cache goes here, never /tmp)."""
    from pathlib import Path

    from platformdirs import user_cache_dir

    path = Path(user_cache_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """User config dir; its themes/ folder holds the user's own themes."""
    from pathlib import Path

    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False))


def bundled_dir(name: str) -> Path:
    """seeds/ or themes/: inside the installed package, or at the top of a source checkout."""
    from pathlib import Path

    here = Path(__file__).resolve().parent
    installed = here / "_bundled" / name
    if installed.is_dir():
        return installed
    return here.parent.parent / name
