"""Notes: write one on a passage (a range of paragraphs or the current section) with codes of your
own, and list, filter, copy with citations, edit, delete and export them across the library."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from eduread.library import notes
from eduread.text.names import counted
from eduread.tui.messages import OpenReport
from eduread.tui.screens.filtered_table import ESCAPE, FiltersOverTable

AROUND = 80  # paragraphs offered for a passage, from the current section's start on


LONG = 300  # characters: a longer piece is offered a sentence at a time


def paragraphs(
    body: str, start: int, end: int, cuts: list[int] | tuple[int, ...] = ()
) -> list[tuple[int, int]]:
    """(start, end) of the non-empty pieces of body[start:end] a passage is chosen from: its lines,
    cut again where a heading starts (`cuts`), and a long one after each sentence.

    A text saved as one line (a web page's paragraphs run together) still offers its sections
    and sentences, so a note on one section does not run on to the end of the report.
    """
    out = []
    pos = start
    bounds = sorted(set(cuts))
    while pos < end:
        nl = body.find("\n", pos, end)
        stop = end if nl == -1 else nl
        inner = [c for c in bounds if pos < c < stop]
        for a, b in zip([pos, *inner], [*inner, stop], strict=True):
            for piece in _sentences(body, a, b) if b - a > LONG else [(a, b)]:
                if body[piece[0] : piece[1]].strip():
                    out.append(piece)
        pos = stop + 1
    return out


def _sentences(body: str, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for i in range(start, end):
        if body[i] in "。！？；" and i + 1 - pos > 0:
            out.append((pos, i + 1))
            pos = i + 1
    if pos < end:
        out.append((pos, end))
    return out


class NoteDialog(ModalScreen[int | None]):
    """Choose the passage (space at its first line and at its last; the current section to begin
    with), write the note and its codes; Enter in the codes box (or ctrl+s) saves."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
        Binding("space", "pick", "Mark from/to line", show=False),
    ]
    DEFAULT_CSS = """
    NoteDialog { align: center middle; }
    NoteDialog > Vertical { width: 90%; height: 90%; border: round $accent; background: $panel; padding: 0 1; }
    NoteDialog OptionList { height: 1fr; }
    NoteDialog Input { margin: 0; }
    NoteDialog .hint { color: $text-muted; height: auto; width: 100%; }  /* wraps in a narrow terminal */
    """

    def __init__(self, library, report, num: int, offset: int, note: notes.Note | None = None) -> None:
        super().__init__()
        self.library = library
        self.report = report
        self.num = num
        self.note = note
        body = report.body
        path = report.section_path(note.start if note else offset)
        section = path[-1] if path else None
        lo = section.start if section else max(0, body.rfind("\n", 0, offset) + 1)
        starts = [sec.start for sec in report.all_sections()]
        self.lines = paragraphs(body, lo, len(body), starts)[:AROUND]
        if not self.lines:
            self.lines = [(lo, len(body))]
        if note is not None:
            chosen = [
                i
                for i, (s, e) in enumerate(self.lines)
                if e > note.start and s < max(note.end, note.start + 1)
            ]
        elif section is not None:
            chosen = [i for i, (s, _e) in enumerate(self.lines) if s < section.end]
        else:
            chosen = [0]
        chosen = chosen or [0]
        self.first, self.last = chosen[0], chosen[-1]
        self._anchor: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                Text(
                    "The passage: move with ↑/↓, space at its first line and again at its last"
                    " (it starts as the section you are in)"
                ),
                classes="hint",
            )
            yield OptionList(*self._options(), id="note-lines")
            yield Input(value=self.note.text if self.note else "", placeholder="your note", id="note-text")
            yield Input(
                value=", ".join(self.note.codes) if self.note else "",
                placeholder="codes, separated by commas (双减, 课后服务)",
                id="note-codes",
            )
            used = list(notes.codes(self.library.conn))[:12]
            hint = ("codes in use: " + ", ".join(used) + " · ") if used else ""
            yield Label(Text(hint + "Enter in codes (or ctrl+s) saves · Escape cancels"), classes="hint")

    def _options(self) -> list[Option]:
        body = self.report.body
        out = []
        for i, (s, e) in enumerate(self.lines):
            inside = self.first <= i <= self.last
            line = Text(
                "▌" if inside else " ", style="bold" if inside else ""
            )  # no space: CJK would wrap there
            line.append(body[s:e], style="" if inside else "dim")
            out.append(Option(line, id=str(i)))
        return out

    def _redraw(self) -> None:
        options = self.query_one(OptionList)
        keep = options.highlighted
        options.clear_options()
        options.add_options(self._options())
        options.highlighted = keep

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.first
        self.query_one("#note-text", Input).focus()

    def action_pick(self) -> None:
        options = self.query_one(OptionList)
        if not options.has_focus or options.highlighted is None:
            return
        line = options.highlighted
        if self._anchor is None:
            self._anchor = line
            self.first = self.last = line
        else:
            self.first, self.last = sorted((self._anchor, line))
            self._anchor = None
        self._redraw()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_pick()

    @property
    def span(self) -> tuple[int, int]:
        """The body offsets of the passage chosen."""
        return self.lines[self.first][0], self.lines[self.last][1]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "note-text":
            self.query_one("#note-codes", Input).focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        text = self.query_one("#note-text", Input).value.strip()
        codes = self.query_one("#note-codes", Input).value
        start, end = self.span
        conn = self.library.conn
        if self.note is not None:
            notes.update_note(conn, self.note.id, text, codes, (start, end))
            self.dismiss(self.note.id)
            return
        path = self.report.section_path(start)
        label = f"{path[-1].marker}{path[-1].title}" if path else self.report.body[start : start + 20]
        self.dismiss(notes.add_note(conn, self.num, start, end, text, codes, label=label))


class NotesScreen(FiltersOverTable, Screen):
    """Every note across the library, filtered by code, place and year."""

    BINDINGS = [
        *ESCAPE,
        Binding("slash", "focus_filter", "Filter"),
        Binding("y", "copy", "Copy with citation"),
        Binding("w", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        Binding("e", "export", "Export"),
    ]
    DEFAULT_CSS = """
    NotesScreen #note-filters { height: 1; }
    NotesScreen #note-filters Input { border: none; height: 1; width: 1fr; padding: 0 1; }
    NotesScreen #note-summary { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    NotesScreen DataTable { height: 1fr; }
    NotesScreen #note-detail { height: auto; max-height: 8; padding: 0 1; border-top: solid $panel-lighten-2; }
    """

    def __init__(self, library=None) -> None:
        super().__init__()
        self.library = library if library is not None else self.app.library  # from the registry: none given
        self.found: list[notes.Note] = []
        self._delete_armed: int | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="note-filters"):
            yield Input(placeholder="code", id="n-code")
            yield Input(placeholder="place", id="n-place")
            yield Input(placeholder="year", id="n-year", type="integer")
        yield Static("", id="note-summary")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Static("", id="note-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in ("id", "place", "years", "codes", "note", "passage"):
            table.add_column(name, key=name)
        self.refresh_rows()
        table.focus()

    def refresh_rows(self) -> None:
        """Query with the filters typed and fill the table."""

        def value(name: str) -> str:
            return self.query_one(f"#n-{name}", Input).value.strip()

        year = value("year")
        self.found = notes.notes(
            self.library.conn,
            code=value("code") or None,
            place=value("place") or None,
            year=int(year) if year.isdigit() else None,
        )
        table = self.query_one(DataTable)
        table.clear()
        bodies: dict[int, str] = {}
        for i, n in enumerate(self.found):
            if n.num not in bodies:
                bodies[n.num] = self.library.body(n.num)
            passage = bodies[n.num][n.start : n.end].replace("\n", " ").strip()
            table.add_row(
                n.id,
                n.place,
                "/".join(map(str, n.years)),
                ", ".join(n.codes),
                _clipped(n.text, 40),
                _clipped(passage, 60),
                key=str(i),
            )
        codes = notes.codes(self.library.conn)
        summary = Text(counted(len(self.found), "note"))
        if codes:
            summary.append("  ·  codes: " + ", ".join(f"{c} {k}" for c, k in list(codes.items())[:10]))
        if not self.found and not any(value(n) for n in ("code", "place", "year")):
            summary.append("  ·  press a in a report to write a note on the section you are reading")
        self.query_one("#note-summary", Static).update(summary)
        self._show_detail()

    def _current(self) -> notes.Note | None:
        table = self.query_one(DataTable)
        if not self.found or table.cursor_row is None or table.cursor_row >= len(self.found):
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return self.found[int(key or 0)]

    def _show_detail(self) -> None:
        from eduread.analysis.citation import citation

        note = self._current()
        detail = self.query_one("#note-detail", Static)
        if note is None:
            detail.update(Text(""))
            return
        text = Text(note.text or "(no text)", style="bold")
        text.append("\n" + citation(self.library.report(note.num), note.start, note.end), style="dim")
        detail.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._delete_armed = None
        self._show_detail()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.refresh_rows()
        self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        note = self.found[int(event.row_key.value or 0)]
        self.post_message(OpenReport(note.num, note.start))

    def action_focus_filter(self) -> None:
        self.query_one("#n-code", Input).focus()

    def action_copy(self) -> None:
        from eduread.analysis.citation import quoted

        note = self._current()
        if note is None:
            return
        text = quoted(self.library.report(note.num), note.start, note.end, note.text)
        self.app.copy_to_clipboard(text)
        self.notify(f"copied the passage with its citation ({len(text)} characters, OSC 52)")

    def action_edit(self) -> None:
        note = self._current()
        if note is None:
            return
        report = self.library.report(note.num)
        self.app.push_screen(
            NoteDialog(self.library, report, note.num, note.start, note), lambda _id: self.refresh_rows()
        )

    def action_delete(self) -> None:
        note = self._current()
        if note is None:
            return
        if self._delete_armed != note.id:
            self._delete_armed = note.id
            self.notify(f"press d again to delete note {note.id}", severity="warning")
            return
        notes.delete_note(self.library.conn, note.id)
        self._delete_armed = None
        self.refresh_rows()
        self.notify(f"deleted note {note.id}")

    def action_export(self) -> None:
        from eduread.analysis.notes_out import COLUMNS, table_rows
        from eduread.tui.screens.export_dialog import ExportDialog

        rows = table_rows(self.library, self.found)
        self.app.push_screen(ExportDialog(COLUMNS, rows, "notes.xlsx", sheet="notes"), self._exported)

    def _exported(self, path) -> None:
        if path is not None:
            self.notify(f"wrote {path}", markup=False)


def _clipped(text: str, length: int) -> str:
    """At most `length` characters, "…" where some were left out (the detail pane shows them all)."""
    return text if len(text) <= length else text[: length - 1] + "…"
