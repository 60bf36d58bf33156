"""A small form to correct what the parser got wrong for one report: place, year, kind and title.

Corrections go to the library apart from the parse (as `eduread edit` stores them), so a re-parse
or an upgrade never undoes them. The place field completes from the gazetteer's names.
"""

from __future__ import annotations

from functools import lru_cache

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, Select

from eduread.library.store import Library, LibraryError
from eduread.parse.model import Correction, Report

KINDS = [("总结 summary", "summary"), ("计划 plan", "plan"), ("other: not a bureau's report", "other")]
MIN_YEAR, MAX_YEAR = 1949, 2100


@lru_cache(maxsize=1)
def _place_names() -> list[str]:
    """Every division's name and short name, shortest first; of one length a province, then a city
    (a 市 first: 潜江 → 潜江市), then a county."""
    from eduread.parse.regions import gazetteer

    def rank(divisions) -> int:  # 0 a province, 1 a city, 2 a county or district
        return min(0 if d.code.endswith("0000") else 1 if d.code.endswith("00") else 2 for d in divisions)

    names = gazetteer().by_name
    return sorted(names, key=lambda n: (len(n), rank(names[n]), not n.endswith("市"), n))


class PlaceSuggester(Suggester):
    """Completes a typed name to the shortest longer one that begins with it (怀化 → 怀化市,
    南通市崇 → 南通市崇川区); a name typed whole is already complete."""

    def __init__(self) -> None:
        super().__init__(use_cache=True, case_sensitive=True)
        self.names = _place_names()

    async def get_suggestion(self, value: str) -> str | None:
        return next((n for n in self.names if len(n) > len(value) and n.startswith(value)), None)


class EditDialog(ModalScreen[bool]):
    """Returns True when corrections were stored, False when cancelled."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]
    DEFAULT_CSS = """
    EditDialog { align: center middle; }
    EditDialog > Vertical { width: 80%; max-width: 90; height: auto; max-height: 100%; border: round $accent;
                            background: $panel; padding: 0 1; overflow-y: auto; }
    EditDialog Label { width: 100%; }  /* a long title or reading wraps in a narrow terminal */
    EditDialog Label.field { color: $text-muted; }
    EditDialog #edit-message { color: $text-muted; }
    EditDialog #edit-message.-warn { color: $warning; }
    """

    def __init__(self, library: Library, num: int, report: Report, correction: Correction | None) -> None:
        super().__init__()
        self.library = library
        self.num = num
        self.report = report
        self.before = correction or Correction()
        self.asked = {item.split(":")[0].strip() for item in report.review}  # fields left to check

    def compose(self) -> ComposeResult:
        report = self.report
        place = " › ".join(report.place.path) or report.place.name or "?"
        first = report.parts[0] if report.parts else None
        kind = "other" if report.doc_class == "other" else (first.kind if first else Select.BLANK)
        unsettled = "; ".join(report.review) if report.review else "nothing"
        # a year in question comes filled in with the one read, so saving it settles the question
        asked_year = first.year if "year" in self.asked and first and first.year else None
        with Vertical():
            yield Label(Text(f"Correct {report.title or report.id[:10]}", style="bold"))
            yield Label(Text(f"as read: {place}, parts {self._parts()}; to check: {unsettled}"))
            yield Label(Text("place (completes from the gazetteer: 怀化, 南通市崇川区)"), classes="field")
            yield Input(
                value=self.before.place or "",
                placeholder=report.place.name or "place",
                suggester=PlaceSuggester(),
                id="edit-place",
            )
            yield Label(Text("year of its (first) part"), classes="field")
            yield Input(
                value=str(self.before.year or asked_year or ""),
                placeholder=str(first.year) if first and first.year else "year",
                type="integer",
                id="edit-year",
            )
            yield Label(Text("kind"), classes="field")
            yield Select(KINDS, value=self.before.kind or kind, allow_blank=True, id="edit-kind")
            yield Label(Text("title"), classes="field")
            yield Input(value=self.before.title or "", placeholder=report.title or "title", id="edit-title")
            yield Label(Text("ctrl+s saves · Enter in a field saves · Escape cancels"), id="edit-message")

    def _parts(self) -> str:
        return ", ".join(f"{p.year or '?'} {p.label or p.kind}" for p in self.report.parts) or "none"

    def on_mount(self) -> None:
        self.query_one("#edit-place", Input).focus()

    def _say(self, text: str) -> None:
        label = self.query_one("#edit-message", Label)
        label.update(Text(text))
        label.add_class("-warn")

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        place = self.query_one("#edit-place", Input).value.strip()
        year_text = self.query_one("#edit-year", Input).value.strip()
        title = self.query_one("#edit-title", Input).value.strip()
        kind = self.query_one("#edit-kind", Select).value
        year = None
        if year_text:
            try:
                year = int(year_text)
            except ValueError:
                year = -1
            if not MIN_YEAR <= year <= MAX_YEAR:
                self._say(f"give a year between {MIN_YEAR} and {MAX_YEAR}")
                return
        parsed_kind = "other" if self.report.doc_class == "other" else None
        if parsed_kind is None and self.report.parts:
            parsed_kind = self.report.parts[0].kind
        correction = Correction(
            place=place or None,
            year=year,
            kind=kind
            if isinstance(kind, str) and (kind != parsed_kind or "kind" in self.asked)
            else self.before.kind,
            title=title or None,
        )
        try:
            self.library.clear_correction(self.num)
            if not correction.is_empty():
                self.library.set_correction(self.num, correction)
        except LibraryError as err:
            self._say(str(err))
            return
        self.dismiss(not (correction.is_empty() and self.before.is_empty()))  # False: nothing was set
