"""Start the reader: optionally import the file named on the command line, then run the app."""

from __future__ import annotations

import sys
from pathlib import Path


def launch(path: str | None, library_folder: str | None) -> int:
    """`eduread [PATH]`: like `less PATH`, importing PATH first if it is new to the library."""
    open_num = None
    if path is not None:
        from eduread.errors import ReportError
        from eduread.library.importer import read_report
        from eduread.library.rows import Rows
        from eduread.library.store import Library, LibraryError

        file = Path(path)
        if not file.is_file():
            print(
                f"eduread: {path}: {'is a folder; use `eduread import`' if file.is_dir() else 'no such file'}",
                file=sys.stderr,
            )
            return 1
        try:
            size = file.stat().st_size
            if size > 2_000_000:  # parsing takes a while: say what is happening before the app starts
                print(f"eduread: reading {path} ({size / 1e6:.1f} MB)…", file=sys.stderr)
            library = Library(library_folder)
            report, original = read_report(file)
            existing = library.num_of(report.id)
            source = str(file.resolve())
            open_num = (
                existing
                if existing is not None
                else library.add_batch([Rows.of(report, original, source)])[0]
            )
            library.close()
        except (ReportError, LibraryError, OSError) as err:
            print(f"eduread: {err}", file=sys.stderr)
            return 1
    from eduread.tui.app import ReaderApp

    app = ReaderApp(library_folder, open_num=open_num)
    app.run()
    return app.return_code or 0
