"""What the import wizard has chosen so far, and the steps it runs (no Qt here): the file and
its sheet, which column feeds which field, what the answers mean, the preview with a decision
per row, and storing them. The pages only show this and change it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from aiddesk.domain.access import Right, require
from aiddesk.domain.sheet_fields import CHOICE_TYPES, FIELDS, SheetKind, suggest_columns
from aiddesk.domain.sheet_mapping import SheetMapping, bind
from aiddesk.domain.sheet_row import Answer, SheetTable, answers_of
from aiddesk.domain.sheet_values import Vocabulary
from aiddesk.exchange.workbook.sheet_source import read_sheets
from aiddesk.services.exchange.sheet_import import plan as plans
from aiddesk.services.exchange.sheet_import import preview as imports
from aiddesk.services.exchange.sheet_import.plan import Decision, ImportSummary
from aiddesk.services.exchange.sheet_import.preview import Preview
from aiddesk.services.exchange.sheet_import.storing import store
from aiddesk.store.database import Database

SAMPLES = 3


class ImportSession:
    def __init__(self, db: Database, who: str, *, backup_dir: Path | None = None) -> None:
        require(who, Right.MERGE)
        self.db = db
        self.who = who
        self.backup_dir = backup_dir
        self.path: Path | None = None
        self.sheets: list[SheetTable] = []
        self.sheet_index = 0
        self.header_row = 1
        self.kind = SheetKind.PERSON_REQUESTS
        self.columns: dict[int, str] = {}  # column index -> field key
        self.values: dict[str, dict[str, Any]] = {}  # field -> answer -> meaning chosen here
        self.remembered = False
        self.remember = True
        self.words: Vocabulary = imports.vocabulary(db)
        self.preview: Preview | None = None
        self.decisions: dict[int, Decision] = {}
        self.summary: ImportSummary | None = None
        self._columns_for: tuple[Any, ...] | None = None

    # ---- the file ------------------------------------------------------------------------------

    def open(self, path: Path) -> None:
        """Read the file (WorkbookRejected when it cannot be used) and start from its first sheet."""
        self.sheets = read_sheets(path)
        self.path = path
        self.sheet_index = 0
        self.header_row = 1
        self._columns_for = None

    @property
    def sheet(self) -> SheetTable:
        return self.sheets[self.sheet_index]

    def headers(self) -> list[str]:
        """Raises Invalid when the header row is empty or beyond the sheet."""
        return imports.headers_of(self.sheet, self.header_row)

    def first_rows(self, count: int = 6) -> list[list[Any]]:
        return [list(row) for row in self.sheet.rows[:count]]

    def samples(self, index: int) -> list[str]:
        """A few answers of a column, to recognise it by."""
        found: list[str] = []
        for _number, cells in imports.data_rows(self.sheet, self.header_row):
            value = cells[index] if index < len(cells) else None
            text = " ".join(str(value).split()) if value not in (None, "") else ""
            if text and text not in found:
                found.append(text)
            if len(found) == SAMPLES:
                break
        return found

    # ---- columns and answers -------------------------------------------------------------------

    def guess_columns(self) -> None:
        """The mapping remembered for these headers, or a first guess (once per sheet and header row)."""
        key = (self.path, self.sheet_index, self.header_row)
        if self._columns_for == key:
            return
        self._columns_for = key
        headers = self.headers()
        remembered = imports.remembered_mapping(self.db, headers)
        self.remembered = remembered is not None
        if remembered is not None:
            self.kind = remembered.kind
            index = {h: i for i, h in enumerate(headers)}
            self.columns = {index[h]: k for h, k in remembered.columns.items() if k and h in index}
            self.values = {k: dict(v) for k, v in remembered.values.items()}
        else:
            self.values = {}
            self.columns = suggest_columns(self.kind, headers)

    def set_kind(self, kind: SheetKind) -> None:
        if kind is not self.kind:
            self.kind = kind
            self.values = {}
            self.columns = suggest_columns(kind, self.headers())

    def mapping(self) -> SheetMapping:
        headers = self.headers()
        return SheetMapping(
            self.kind,
            {headers[i]: key for i, key in sorted(self.columns.items()) if key and headers[i]},
            {
                key: dict(answers)
                for key, answers in self.values.items()
                if answers and key in self.mapped_fields()
            },
            sheet=self.sheet.name if self.path is not None and self.path.suffix.lower() == ".xlsx" else None,
            header_row=self.header_row,
        )

    def mapped_fields(self) -> list[str]:
        return list(dict.fromkeys(k for _i, k in sorted(self.columns.items()) if k))

    def choice_fields(self) -> list[str]:
        """The mapped fields whose answers mean something to choose (yes/no, a need, an urgency ...)."""
        specs = FIELDS[self.kind]
        return [
            key
            for key in self.mapped_fields()
            if specs[key].type in CHOICE_TYPES and specs[key].vocabulary != "availability"
        ]

    def answers(self, key: str) -> list[Answer]:
        """Raises Invalid when the mapping cannot be used (a column fed twice, no name ...)."""
        binding = bind(self.mapping(), self.headers(), self.words)
        rows = [cells for _number, cells in imports.data_rows(self.sheet, self.header_row)]
        return answers_of(binding, self.words, rows, key)

    def choose_meaning(self, key: str, answer: str, meaning: Any) -> None:
        self.values.setdefault(key, {})[answer] = meaning

    # ---- preview and storing -------------------------------------------------------------------

    def make_preview(self, today: dt.date | None = None) -> Preview:
        """Raises Invalid when the mapping does not fit the sheet."""
        assert self.path is not None
        self.preview = imports.preview(
            self.db, self.sheet, self.mapping(), source=self.path.name, today=today, words=self.words
        )
        self.decisions = plans.proposed_decisions(self.preview)
        return self.preview

    def decide(self, row: int, decision: Decision) -> None:
        self.decisions[row] = decision

    def planned_summary(self) -> ImportSummary:
        assert self.preview is not None
        return plans.summarise(self.preview, self.decisions)

    def store(self) -> ImportSummary:
        """Store the rows as decided (all or nothing: Invalid when something changed meanwhile) and
        remember the mapping for the next sheet with the same questions."""
        assert self.preview is not None
        if self.remember:
            imports.remember_mapping(self.db, self.who, self.mapping(), self.headers())
        self.summary = store(self.db, self.who, self.preview, self.decisions, backup_dir=self.backup_dir)
        return self.summary
