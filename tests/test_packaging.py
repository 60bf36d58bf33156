"""Install hygiene: the wheel carries seeds and themes; importing the parser stays light."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT, SEEDS


def test_parse_import_pulls_in_neither_textual_nor_jieba() -> None:
    code = "import sys, eduread.parse; print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual','jieba')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_wheel_carries_seeds_and_themes(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(tmp_path.glob("eduread-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for seed in SEEDS.glob("*.txt"):
        member = f"eduread/_bundled/seeds/{seed.name}"
        assert member in names
        assert zipfile.ZipFile(wheel).read(member) == seed.read_bytes()
    themes = [n for n in names if n.startswith("eduread/_bundled/themes/")]
    assert len(themes) == len(list((ROOT / "themes").glob("*.toml")))
    assert "eduread/parse/data/regions.tsv" in names
