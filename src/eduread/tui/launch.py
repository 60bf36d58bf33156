"""Start the reader: optionally import the file named on the command line, then run the app."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path


def launch(path: str | None, library_folder: str | None) -> int:
    """`eduread [PATH]`: like `less PATH`, importing PATH first if it is new to the library."""
    open_num = None
    if path is not None:
        from eduread.errors import ReportError
        from eduread.library.importer import read_document_report, stored_source
        from eduread.library.rows import Rows
        from eduread.library.store import Library, LibraryError
        from eduread.text.names import shown_name

        file = Path(path)
        if file.is_dir():
            print(f"eduread: {shown_name(path)}: is a folder; use `eduread import`", file=sys.stderr)
            return 1
        library = None
        try:
            try:
                size = file.stat().st_size
            except OSError:
                size = 0  # the reader below says what is wrong with it
            if size > 2_000_000:  # parsing takes a while: say what is happening before the app starts
                print(f"eduread: reading {shown_name(path)} ({size / 1e6:.1f} MB)…", file=sys.stderr)
            report, document = read_document_report(file)
            library = Library(library_folder)
            existing = library.num_of(report.id)
            source = stored_source(file)
            open_num = (
                existing
                if existing is not None
                else library.add_batch([Rows.of(report, document.text, source, document.title_hints)])[0]
            )
            if open_num is None:  # stored meanwhile by another eduread
                open_num = library.num_of(report.id)
            library.close()
        except (ReportError, LibraryError) as err:
            print(f"eduread: {shown_name(str(err))}", file=sys.stderr)
            return 1
        except (sqlite3.Error, OSError) as err:
            from eduread.errors import one_line
            from eduread.library.failures import explain

            where = library.path if library is not None else path
            print(f"eduread: {one_line(f'{where}: {explain(err)}')}", file=sys.stderr)
            return 2
        for note in document.notes:
            print(f"eduread: {shown_name(path)}: repaired while reading: {note}", file=sys.stderr)
    from eduread.tui.app import ReaderApp

    app = ReaderApp(library_folder, open_num=open_num)
    app.run()
    return app.return_code or 0
