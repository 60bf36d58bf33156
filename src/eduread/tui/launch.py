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
            report, document = read_document_report(file)
            library = Library(library_folder)
            existing = library.conn.execute("SELECT num FROM reports WHERE id = ?", (report.id,)).fetchone()
            source = stored_source(file)
            open_num = (
                existing[0] if existing else library.add_batch([Rows.of(report, document.text, source)])[0]
            )
            if open_num is None:  # stored meanwhile by another eduread
                open_num = library.conn.execute("SELECT num FROM reports WHERE id = ?", (report.id,)).fetchone()[0]
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

    ReaderApp(library_folder, open_num=open_num).run()
    return 0
