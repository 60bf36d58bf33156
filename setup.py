"""Build hook: ship the top-level seeds/ and themes/ folders inside the wheel."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent


class BuildWithBundled(build_py):
    """Copy seeds/ and themes/ into eduread/_bundled so installed copies carry them."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "eduread" / "_bundled"
        for name in ("seeds", "themes"):
            src = ROOT / name
            dst = target / name
            if dst.exists():
                shutil.rmtree(dst)
            dst.mkdir(parents=True)
            for item in sorted(src.iterdir()):
                if item.is_file():
                    shutil.copy2(item, dst / item.name)


setup(cmdclass={"build_py": BuildWithBundled})
