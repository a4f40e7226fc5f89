"""What a redacted export shows in a visible cell: nothing anyone typed.

A redacted copy is for sharing outside the network (a report, a funder). It keeps what can be
counted and nothing else:

- values from a closed list, checked to be one: choices, yes/no, whole numbers, dates, times,
  language codes (`es`, `vi`; a language typed as a name is left out), and the labels AidDesk
  itself gave to need categories and zones (a label a desk typed becomes a pseudonym);
- records, phones and the people who took calls as keyed pseudonyms (pseudonyms.py), so rows
  still count and join; each kind of value is hashed apart, so a name never matches an id;
- every other text (names, addresses, notes, reasons for a status, whatever a new text field
  will hold) is left out. A column is left out unless it is listed here as safe."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from aiddesk.exchange.workbook import layout
from aiddesk.exchange.workbook.layout import Column, Show
from aiddesk.exchange.workbook.pseudonyms import Pseudonyms

LABELLED_REFS = ("zone_id", "category_id")
LANGUAGE_COLUMNS = ("language", "preferred_language")
PSEUDONYMISED_TEXT = ("taken_by",)  # who took a call: counted per person, never named
CLOSED_SHOWS = (Show.ENUM, Show.ENUM_LIST, Show.BOOL, Show.INT)
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:[-_][a-z0-9]{2,8})?", re.IGNORECASE)
FORMATS = {
    Show.DATE: re.compile(r"\d{4}-\d{2}-\d{2}"),
    Show.TIME: re.compile(r"\d{2}:\d{2}"),
    Show.DATETIME: re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"),
    Show.INT: re.compile(r"\d{1,9}"),
}


class Redaction:
    """The cells of a redacted row. `text(column, values)` is the ordinary cell text (cells.CellText);
    `labels` maps the ids of need categories and zones that keep AidDesk's own label to that label."""

    def __init__(
        self, pseudonyms: Pseudonyms, text: Callable[[Column, dict[str, Any]], str], labels: dict[str, str]
    ) -> None:
        self.pseudonyms = pseudonyms
        self.text = text
        self.labels = labels

    @staticmethod
    def columns(sheet: layout.SheetLayout) -> list[Column]:
        """The columns of a redacted sheet: display codes are left out (they are the desk's own
        codes for people, printed on route sheets)."""
        return [c for c in sheet.columns if c.key != "code"]

    def record(self, record_id: str) -> str:
        return self.pseudonyms.of(record_id)

    def row(self, sheet: layout.SheetLayout, values: dict[str, Any], record_id: str) -> list[str]:
        return [self.cell(column, values, record_id) for column in self.columns(sheet)]

    def cell(self, column: Column, values: dict[str, Any], record_id: str) -> str:
        value = values.get(column.source)
        if column.key == "id":
            return self.record(record_id)
        if value is None or value == "":
            return ""
        show = column.show
        if show is Show.REF:
            if column.source in LABELLED_REFS:
                return self.labels.get(value) or self.pseudonyms.of(value)
            return self.pseudonyms.of(value)
        if show is Show.PHONE:
            return self.pseudonyms.of(str(value))
        if show is Show.TEXT:
            return self._text(column, str(value))
        if show is Show.CODES:
            return ", ".join(
                code for code in self.text(column, values).split(", ") if LANGUAGE_CODE.fullmatch(code)
            )
        if show in CLOSED_SHOWS or show in FORMATS:
            shown = self.text(column, values)
            pattern = FORMATS.get(show)
            return shown if pattern is None or pattern.fullmatch(shown) else ""
        return ""

    def _text(self, column: Column, value: str) -> str:
        if column.key in PSEUDONYMISED_TEXT:
            return self.pseudonyms.of(f"{column.key}:{value.strip().casefold()}")
        if column.key in LANGUAGE_COLUMNS and LANGUAGE_CODE.fullmatch(value.strip()):
            return value.strip()
        return ""
