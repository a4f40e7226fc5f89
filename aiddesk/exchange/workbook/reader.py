"""Opening an exchange workbook: the container checks, `_meta`, and where everything is.

Everything wrong with the file as a whole raises WorkbookRejected here (or in the
merge pass, for the content of `_state` rows). A problem with a visible sheet
only costs its hand edits: it is listed as a Rejected cell and the rest merges."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiddesk.domain import clock
from aiddesk.domain.markers import N_
from aiddesk.exchange.workbook import layout
from aiddesk.exchange.workbook.errors import WorkbookRejected
from aiddesk.exchange.workbook.reading import OpenedWorkbook, WorkbookFile
from aiddesk.exchange.workbook.reading.refusals import label_of
from aiddesk.exchange.workbook.visible_rows import VisibleSheet
from aiddesk.i18n import _
from aiddesk.store.schema import HEAD

YEAR_MS = 366 * clock.DAY_MS


@dataclass(frozen=True)
class Rejected:
    sheet: str
    row: int | None  # Excel row number (1-based)
    column: str | None  # the column's key
    reason: str  # translated

    def as_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class Meta:
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")

    def count(self, key: str) -> int:
        return int(self.values.get(key) or 0)


@dataclass
class ExchangeWorkbook:
    """A workbook's `_meta` and visible sheets, read and checked when it is opened; its `_state`
    (most of a workbook) is read each time `state_cells()` is walked, one sheet at a time, and
    never held whole: a merge reads it once to plan and, when the plan is too big to keep, once
    more to write."""

    source: str  # file name, for messages and proposals
    meta: Meta
    file: WorkbookFile
    visible: dict[str, VisibleSheet]
    clock_flagged: bool  # the export clock is more than a day ahead of ours
    rejected: list[Rejected] = field(default_factory=list)

    def state_cells(self) -> Iterator[tuple[int, list[str]]]:
        """(row, canonical cells) of each `_state` row, blank rows skipped, rows numbered on from
        one `_state` sheet to the next. A row already in that form (five cells, none empty but
        the delete context's: nearly all) is given as it is, not copied. Refuses the workbook when
        a `_state` sheet is missing, tampered with, or the file changed since it was opened."""
        index = 1
        with self.file.open() as opened:
            for number in range(1, max(1, self.meta.count("state_sheets")) + 1):
                for row in _state_sheet_rows(opened, layout.state_sheet(number), self.source):
                    index += 1
                    if len(row) == 5 and row[0] and row[1] and row[2] and row[4] and row[3] is not None:
                        yield index, row
                        continue
                    cells = ["" if v is None else v for v in row]
                    if not any(cells):
                        continue
                    head = cells[:4] + [""] * (4 - len(cells[:4]))
                    yield index, head + [c for c in cells[4:] if c != ""]


def _state_sheet_rows(opened: OpenedWorkbook, title: str, name: str) -> Iterator[list[Any]]:
    """The rows after the header of the `_state` sheet `title`, after its checks."""
    if title not in opened.sheets:
        raise refuse(N_("%(file)s is damaged: its hidden _state sheet is missing."), file=name)
    scan, rows = opened.rows(title)
    if scan.formulas:
        raise refuse(
            N_("%(file)s has been tampered with: its hidden _state sheet holds a formula."), file=name
        )
    if scan.merged:
        raise refuse(N_("%(file)s is damaged: cells of its hidden _state sheet were merged."), file=name)
    first = next(rows, [])
    header = [str(v) for v in first][: len(layout.STATE_HEADER)]
    if tuple(header) != layout.STATE_HEADER:
        raise refuse(
            N_("%(file)s is damaged: its hidden _state sheet does not start as it should."), file=name
        )
    yield from rows


def refuse(message: str, **params: object) -> WorkbookRejected:
    return WorkbookRejected(_(message) % params if params else _(message))


def open_exchange(path: Path, password: str | None = None, *, now_ms: int | None = None) -> ExchangeWorkbook:
    """Open and check a workbook: its `_meta`, its visible sheets (their rows are read), where
    its `_state` sheets are (their rows are read by `state_cells()`)."""
    file = WorkbookFile(path, password)
    with file.open() as opened:
        return _open_exchange(file, opened, label_of(path), now_ms)


def _open_exchange(
    file: WorkbookFile, opened: OpenedWorkbook, name: str, now_ms: int | None
) -> ExchangeWorkbook:
    meta_sheet = opened.read(layout.META_SHEET) if layout.META_SHEET in opened.sheets else None
    if meta_sheet is None:
        raise refuse(
            N_(
                "%(file)s was not made by AidDesk for exchange (it has no _meta sheet). To bring in a "
                "spreadsheet from elsewhere, use “Import a spreadsheet” (aiddesk import-sheet)."
            ),
            file=name,
        )
    if meta_sheet.formulas:
        raise refuse(N_("%(file)s is damaged: its hidden _meta sheet holds a formula."), file=name)
    meta = _meta(meta_sheet.rows, name)
    _check_meta(meta, name)
    for number in range(1, max(1, meta.count("state_sheets")) + 1):
        if layout.state_sheet(number) not in opened.sheets:
            raise refuse(N_("%(file)s is damaged: its hidden _state sheet is missing."), file=name)
    flagged = _check_clock(meta, name, now_ms if now_ms is not None else time.time_ns() // 1_000_000)
    book = ExchangeWorkbook(name, meta, file, {}, flagged)
    for sheet in layout.SHEETS:
        _find_visible(book, opened, sheet)
    return book


def _meta(rows: list[list[Any]], name: str) -> Meta:
    values: dict[str, str] = {}
    for row in rows[1:]:
        if not row or row[0] in (None, ""):
            continue
        key = row[0]
        value = row[1] if len(row) > 1 else ""
        if not isinstance(key, str) or not isinstance(value, str | type(None)):
            raise refuse(
                N_("%(file)s is damaged: its hidden _meta sheet holds something other than text."), file=name
            )
        if key in values:
            raise refuse(
                N_("%(file)s is damaged: its hidden _meta sheet names “%(key)s” twice."),
                file=name,
                key=key[:40],
            )
        values[key] = value or ""
    return Meta(values)


def _check_meta(meta: Meta, name: str) -> None:
    if meta["format"] != layout.FORMAT:
        raise refuse(N_("%(file)s is not an AidDesk exchange workbook."), file=name)
    version = meta["format_version"]
    if not version.isascii() or not version.isdigit():
        raise refuse(N_("%(file)s is damaged: its format version is not readable."), file=name)
    if int(version) > layout.FORMAT_VERSION:
        raise refuse(
            N_(
                "%(file)s was made by a newer AidDesk (format %(version)s). Update AidDesk on this computer first."
            ),
            file=name,
            version=version,
        )
    revision = meta["schema_revision"]
    if not revision.isascii() or not revision.isdigit():
        raise refuse(N_("%(file)s is damaged: its database revision is not readable."), file=name)
    if int(revision) > int(HEAD):
        raise refuse(
            N_(
                "%(file)s comes from a desk with a newer AidDesk (database %(revision)s, this desk has "
                "%(ours)s). Update AidDesk here first, so no field is dropped."
            ),
            file=name,
            revision=revision,
            ours=HEAD,
        )
    if meta["redacted"] == "yes":
        raise refuse(
            N_("%(file)s is a redacted copy, made for reading outside the network: it cannot be merged."),
            file=name,
        )
    for key in ("export_id", "desk_id", "desk_code", "export_clock", "state_rows", "checksum"):
        if not meta[key]:
            raise refuse(
                N_("%(file)s is damaged: its hidden _meta sheet lacks “%(key)s”."), file=name, key=key
            )
    for key, value in meta.values.items():
        numeric = key.startswith(("rows.", "tombstones.", "cut.")) or key in (
            "state_rows",
            "export_clock",
            "state_sheets",
        )
        if numeric and (not value.isascii() or not value.isdigit() or len(value) > 20):
            raise refuse(
                N_("%(file)s is damaged: “%(key)s” in its _meta sheet is not a number."), file=name, key=key
            )


def _check_clock(meta: Meta, name: str, now_ms: int) -> bool:
    ahead = clock.wall_ms(int(meta["export_clock"])) - now_ms
    if ahead > YEAR_MS:
        raise refuse(
            N_(
                "%(file)s says it was made more than a year in the future. The clock of the desk "
                "%(desk)s is wrong; fix it there and export again."
            ),
            file=name,
            desk=meta["desk_code"],
        )
    return ahead > clock.DAY_MS


def _find_visible(book: ExchangeWorkbook, opened: OpenedWorkbook, sheet: layout.SheetLayout) -> None:
    title = book.meta[f"sheet.{sheet.kind}"]
    if not title or title not in opened.sheets:
        book.rejected.append(
            Rejected(
                title or sheet.kind,
                None,
                None,
                _("This sheet is missing or was renamed; changes made in it are not read."),
            )
        )
        return
    if _untouched(book, opened, sheet.kind, title):
        return  # saved by nobody since the export: no row can hold a hand edit, nothing to read
    digests = _digests(opened, sheet.kind)
    scan, rows = opened.rows(title)
    next(rows, None)  # the headers people read
    keys_row = next(rows, [])
    positions: dict[str, list[int]] = {}
    for index, key in enumerate(keys_row):
        if isinstance(key, str) and key:
            positions.setdefault(key, []).append(index)
    columns: dict[str, int] = {}
    for column in sheet.columns:
        found = positions.get(column.key, [])
        if len(found) > 1:
            book.rejected.append(
                Rejected(title, 2, column.key, _("This column appears twice; changes in it are not read."))
            )
        elif not found and _newer_than(column, book.meta["schema_revision"]):
            continue  # a workbook of a desk that has not upgraded yet: the column is not missing
        elif not found:
            book.rejected.append(
                Rejected(
                    title,
                    2,
                    column.key,
                    _("This column is missing or its hidden key was changed; changes in it are not read."),
                )
            )
        else:
            columns[column.key] = found[0]
    if "id" not in columns:
        return
    visible = VisibleSheet(sheet.kind, title, columns, scan.formulas, scan.merged)
    visible.read_rows(rows, digests)
    book.visible[sheet.kind] = visible


def _untouched(book: ExchangeWorkbook, opened: OpenedWorkbook, kind: str, title: str) -> bool:
    """Whether the sheet's part is byte for byte as the export wrote it (`_meta`'s `part.<kind>`
    against the zip directory: CRC-32 and size). Any save by a spreadsheet rewrites every part."""
    written = book.meta[layout.PART_KEY + kind]
    return bool(written) and written == layout.part_fingerprint(*opened.part_crc(title))


def _digests(opened: OpenedWorkbook, kind: str) -> list[Any]:
    """The digests of `_shown_<kind>` (none when it is missing or touched: only a saving)."""
    title = layout.shown_sheet(kind)
    data = opened.read(title) if title in opened.sheets else None
    if data is None or data.formulas or data.merged or not data.rows or data.rows[0][:1] != ["digest"]:
        return []
    return [row[0] if row else None for row in data.rows[1:]]


def _newer_than(column: layout.Column, revision: str) -> bool:
    """Whether `column` came after the database revision of the workbook's desk."""
    return revision.isdigit() and int(column.since) > int(revision)
