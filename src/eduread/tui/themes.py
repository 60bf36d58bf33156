"""Themes from files: the bundled themes/ folder and the user's config themes/ folder."""

from __future__ import annotations

from pathlib import Path

import tomllib
from textual.theme import Theme

from eduread.paths import bundled_dir, config_dir

# Our own variables; every theme (Textual's built-ins included) falls back to these.
VARIABLE_DEFAULTS = {
    "figure-count": "bold #5fafff",
    "figure-money": "bold #d7af00",
    "figure-percent": "bold #5fd787",
    "figure-change": "bold #ff8787",
    "search-hit": "black on #d7d75f",
    "search-current": "black on #ff8700",
    "heading-1": "#ffaf5f",
    "heading-2": "#87afd7",
    "heading-3": "#afafaf",
}
_FIELDS = (
    "primary",
    "secondary",
    "accent",
    "warning",
    "error",
    "success",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)


def load_theme(path: Path) -> Theme:
    """One theme file (TOML: name, dark, colours, [variables]); raises ValueError on bad files."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ValueError(f"{path}: not a theme file ({err})") from None
    if "name" not in data or "primary" not in data:
        raise ValueError(f"{path}: a theme needs at least 'name' and 'primary'")
    variables = {str(k): str(v) for k, v in data.get("variables", {}).items()}
    return Theme(
        name=str(data["name"]),
        dark=bool(data.get("dark", True)),
        variables=variables,
        **{k: str(data[k]) for k in _FIELDS if k in data},
    )


def discover() -> tuple[list[Theme], list[str]]:
    """All themes found, and one error line for each file that could not be read."""
    themes: list[Theme] = []
    errors: list[str] = []
    for folder in (bundled_dir("themes"), config_dir() / "themes"):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                themes.append(load_theme(path))
            except ValueError as err:
                errors.append(str(err))
    return themes, errors
