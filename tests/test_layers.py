"""The layers of DESIGN.md: every import, at the top of a module or inside a function, points down."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "eduread"
# Lower number = lower layer. A module may import its own layer and any below it.
LAYER = {
    "errors": 0,
    "paths": 0,
    "text": 0,
    "parse": 1,
    "library": 2,
    "analysis": 3,
    "commands": 4,
    "tui": 4,
    "cli": 4,
}
UI_ONLY = ("textual",)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _layer_of(parts: tuple[str, ...]) -> str | None:
    return parts[0] if parts and parts[0] in LAYER else None


def test_imports_point_down_and_textual_stays_in_the_ui() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("").parts
        own = _layer_of(rel)
        if own is None:
            continue
        for name in _imports(path):
            top = name.split(".")
            if top[0] in UI_ONLY and own != "tui":
                wrong.append(f"{path.name}: {name} outside the tui layer")
            if top[0] != "eduread" or len(top) < 2:
                continue
            target = _layer_of(tuple(top[1:]))
            if target is not None and LAYER[target] > LAYER[own]:
                wrong.append(f"{'/'.join(rel)}: imports {name} from a higher layer")
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_the_layers() -> None:
    """The test above would pass vacuously if it found nothing to check."""
    checked = [p for p in PACKAGE.rglob("*.py") if _layer_of(p.relative_to(PACKAGE).parts)]
    assert len(checked) > 30
    assert "eduread.library.store" in _imports(PACKAGE / "tui" / "app.py")
