"""Export: every record (or those changed since a date) to an exchange workbook.

Visible sheets for people in the exporting user's language, Conflicts and README
sheets, and the veryHidden `_meta` and `_state` sheets for the merge. The file is
written under a journaled temporary name and renamed, owner-only; with a password it
is locked (AES-256, Agile) from memory, never written plain (aiddesk/exchange/saving.py).
A redacted export (for sharing outside the network) carries pseudonyms instead of names,
phones and ids, and no `_state`."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import aiddesk
from aiddesk.domain.access import NotAllowed, Right, require
from aiddesk.domain.markers import N_
from aiddesk.domain.merge import displayed, hidden, in_conflict, visibility
from aiddesk.exchange.workbook import layout, saving, series, shown_digest
from aiddesk.exchange.workbook.cells import CellText
from aiddesk.exchange.workbook.errors import ExportRefused
from aiddesk.exchange.workbook.pseudonyms import Pseudonyms
from aiddesk.exchange.workbook.readme import readme_lines
from aiddesk.exchange.workbook.redaction import Redaction
from aiddesk.exchange.workbook.state_text import Checksum, state_cells
from aiddesk.exchange.workbook.writer import SheetWriter, WorkbookWriter
from aiddesk.i18n import current_language, translations_for
from aiddesk.store.database import Database
from aiddesk.store.foreground import give_way
from aiddesk.store.models import SYNCED_MODELS
from aiddesk.store.repositories import desk as desk_repo
from aiddesk.store.repositories.exchange import sheet_refs as exchange_refs
from aiddesk.store.repositories.exchange.record_states import all_states, own_changes, states_by_ids
from aiddesk.store.schema import HEAD
from aiddesk.store.temp_files import TempFiles


@dataclass(frozen=True)
class SeriesPart:
    """A file of this desk's series in the exchange folder (docs/exchange-format.md): a snapshot
    holds every record; a delta only those this desk changed itself after its counter `start`
    (and those in `relay`, learned from desks that have no file in the folder)."""

    kind: str  # series.SNAPSHOT or series.DELTA
    start: int  # a delta: this desk's own edits after this counter (0 for a snapshot)
    to: int  # this desk's counter when the file was decided on (read before the export)
    since_clock: int = 0  # a delta: its clock at the previous file (later edits are stamped later)
    previous: str = ""  # the file before this one in the series
    waiting: tuple[str, ...] = ()  # desk ids whose files this desk waits for
    relay: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass
class ExportOptions:
    since: dt.date | None = None
    redact: bool = False
    password: str | None = None
    language: str = field(default_factory=current_language)
    series: SeriesPart | None = None
    lock_salt: bytes | None = None  # the desk's salt for its exchange folder's files (crypto.encrypt)


@dataclass
class ExportSummary:
    path: Path
    rows: dict[str, int]  # live records per visible kind
    records: int  # records in _state (0 when redacted)
    conflicts: int


def since_clock(day: dt.date) -> int:
    """The hybrid clock at the start of `day` (UTC): records edited from then on are exported."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    return int(start.timestamp() * 1000) << 16


def export_workbook(
    db: Database, path: Path, options: ExportOptions, *, group_password: str = "", who: str = ""
) -> ExportSummary:
    """Write the workbook to `path` (saving.py: owner-only, complete or not at all, locked from
    memory when `options.password` is set). ExportRefused when it cannot be made as asked;
    NotAllowed when `who` may not make this export (domain/access.py)."""
    right = Right.EXPORT_REDACTED if options.redact else Right.EXPORT_UNREDACTED
    try:
        require(who, right)
    except NotAllowed:
        with db.transaction(who) as tx:
            tx.audit("export_refused", None, **_audited_options(options))
        raise
    if options.redact and not group_password:
        raise ExportRefused(
            N_("Set the group password in Settings first: a redacted export makes its pseudonyms with it.")
        )
    check_export(path, options)
    pseudonyms = Pseudonyms(group_password) if options.redact else None
    result: list[ExportSummary] = []
    saving.write_atomically(
        path,
        lambda stream: result.append(_write(db, stream, options, pseudonyms)),
        temp_files=TempFiles(db.path.parent),
        password=options.password,
        salt=options.lock_salt,
    )
    result[0].path = path
    if options.series is None:  # an exchange pass's files are on the trail as the merges they feed
        with db.transaction(who) as tx:
            tx.audit(
                "exported",
                None,
                **_audited_options(options),
                rows=sum(result[0].rows.values()),
                records=result[0].records,
            )
    return result[0]


def _audited_options(options: ExportOptions) -> dict[str, Any]:
    """The export's options as the audit trail keeps them (never the password itself)."""
    return {
        "redacted": options.redact,
        "since": options.since.isoformat() if options.since else "",
        "locked": options.password is not None,
        "language": options.language,
    }


def check_export(path: Path, options: ExportOptions) -> None:
    """ExportRefused when the export cannot be made as asked (export_workbook checks it too): a
    day after today, or a target that cannot be written."""
    if options.since is not None and options.since > dt.date.today():
        raise ExportRefused(
            N_("%(date)s is after today: no record can have changed since then."),
            date=options.since.isoformat(),
        )
    saving.check_target(Path(os.path.abspath(path)))


class _StateSheets:
    """`_state`, run on over `_state2`, `_state3`, … at Excel's row limit (each with the header)."""

    def __init__(self, book: WorkbookWriter) -> None:
        self.book = book
        self.count = 0
        self._rows = layout.MAX_ROWS
        self._chars = 0
        self._sheet: SheetWriter | None = None
        self._next()  # `_state` is there even when it holds no record

    def _next(self) -> None:
        self.count += 1
        # the biggest sheet by far: written as its rows come, not held in memory
        self._sheet = self.book.sheet(layout.state_sheet(self.count), state="veryHidden", direct=True)
        self._sheet.append(list(layout.STATE_HEADER))
        self._rows = 1
        self._chars = 0

    def append(self, cells: list[str]) -> None:
        if self._rows >= layout.MAX_ROWS or self._chars >= layout.MAX_STATE_CHARS:
            self._next()
        assert self._sheet is not None
        self._sheet.append(cells)
        self._rows += 1
        self._chars += sum(len(c) for c in cells)


class _Export:
    """One export in progress: the sheets and what is counted for `_meta`."""

    def __init__(self, book: WorkbookWriter, gettext: Callable[[str], str], redacted: bool) -> None:
        self.gettext = gettext
        self.visible: dict[str, SheetWriter] = {}
        for sheet in layout.SHEETS:
            columns = Redaction.columns(sheet) if redacted else list(sheet.columns)
            writer = book.sheet(gettext(sheet.title), widths=[_width(c) for c in columns], hidden_rows=[2])
            writer.append_header(
                [gettext(c.header) for c in columns], [i for i, c in enumerate(columns) if not c.editable]
            )
            writer.append([c.key for c in columns])
            self.visible[sheet.kind] = writer
        self.conflicts = book.sheet(gettext(N_("Conflicts")), widths=[14, 16, 22, 40, 40])
        self.conflicts.append_header(
            [
                gettext(h)
                for h in (N_("Sheet"), N_("Code"), N_("Column"), N_("Shown value"), N_("Other values"))
            ]
        )
        self.readme = book.sheet(gettext(N_("README")), widths=[110])
        self.meta = book.sheet(layout.META_SHEET, state="veryHidden")
        self.state = None if redacted else _StateSheets(book)
        self.book = book
        self.shown: dict[str, SheetWriter] = {}  # the digest of each visible row, for the merge
        self.cut: dict[str, int] = {}
        self.checksum = Checksum()
        self.rows: dict[str, int] = {}
        self.tombstones: dict[str, int] = {}
        self.records = 0
        self.conflict_count = 0
        self.conflict_rows = 0

    def add_digest(self, kind: str, digest: str) -> None:
        """The digest of a visible row, in `_shown_<kind>` (made with the kind's first row: a
        delta's sheets that show nothing cost no bytes)."""
        sheet = self.shown.get(kind)
        if sheet is None:
            sheet = self.shown[kind] = self.book.sheet(layout.shown_sheet(kind), state="veryHidden")
            sheet.append(["digest"])
        sheet.append([digest])


def _width(column: layout.Column) -> int:
    return 38 if column.key == "id" else 30 if column.show is layout.Show.TEXT else 16


def _write(
    db: Database, stream: BinaryIO, options: ExportOptions, pseudonyms: Pseudonyms | None
) -> ExportSummary:
    gettext = translations_for(options.language).gettext
    book = WorkbookWriter(stream)
    out = _Export(book, gettext, pseudonyms is not None)
    with db.session() as session:
        desk = desk_repo.get_desk(session)
        if desk is None:
            raise ExportRefused(N_("This desk is not set up yet."))
        delta = options.series is not None and options.series.kind == series.DELTA
        refs = _LinkedCodes(session, options.language) if delta else _refs(session, options.language)
        text = CellText(
            options.language, desk.phone_region, lambda name, value: refs.get(value) if value else None
        )
        redaction = (
            None
            if pseudonyms is None
            else Redaction(pseudonyms, text, exchange_refs.default_labels(session, options.language))
        )
        clock = since_clock(options.since) if options.since else 0
        for model in SYNCED_MODELS:
            kind = model.kind
            sheet = layout.SHEET_BY_KIND.get(kind)
            out.rows[kind] = out.tombstones[kind] = 0
            for row, state in _states(session, model, clock, options.series, desk.desk_id):
                give_way()  # a background pass lets a save go first (store/foreground.py)
                if hidden(state):  # the rule the merge counts by
                    out.tombstones[kind] += 1
                else:
                    out.rows[kind] += 1
                    if sheet is not None:
                        values = {"id": row.id} | {
                            name: sibs[0][3] if len(sibs) == 1 else displayed(sibs)
                            for name, sibs in state["fields"].items()
                        }
                        if out.rows[kind] > layout.MAX_ROWS - 2:  # two header rows
                            out.cut[kind] = out.cut.get(kind, 0) + 1
                        elif redaction is None:
                            texts = [text(c, values) for c in sheet.columns]
                            out.visible[kind].append(texts)
                            out.add_digest(kind, shown_digest.digest(texts))
                        else:
                            out.visible[kind].append(redaction.row(sheet, values, row.id))
                if row.siblings:  # only such records can be in conflict
                    if redaction is None:
                        _note_conflicts(out, sheet, state, getattr(row, "code", None) or row.id)
                    else:
                        _note_conflicts(out, sheet, state, redaction.record(row.id), with_values=False)
                if out.state is not None:
                    cells = state_cells(kind, state)
                    out.checksum.add(cells)
                    out.state.append(cells)
                    out.records += 1
        for line in readme_lines(gettext, desk.name, desk.code, pseudonyms is not None):
            out.readme.append([line])
        _write_meta(out, desk, options)
    book.save()
    return ExportSummary(
        Path(),
        {k: v for k, v in out.rows.items() if k in layout.SHEET_BY_KIND},
        out.records,
        out.conflict_count,
    )


def _states(
    session: Any, model: Any, clock: int, part: SeriesPart | None, desk_id: str
) -> Iterator[tuple[Any, Any]]:
    """The records of a kind this export holds, by id."""
    if part is None or part.kind != series.DELTA:
        yield from all_states(session, model, clock)
        return
    relay = part.relay.get(model.kind, frozenset())
    own = dict(
        (row.id, (row, state))
        for row, state in own_changes(session, model, desk_id, part.start, part.since_clock)
    )
    for row, state in states_by_ids(session, model, relay - own.keys()):
        own[row.id] = (row, state)
    for record_id in sorted(own):
        yield own[record_id]


class _LinkedCodes:
    """What a delta's few rows show for the records they link to: labels, and the codes looked up
    one linked record at a time (not every code of the desk)."""

    def __init__(self, session: Any, language: str) -> None:
        self.session = session
        self.known: dict[str, str | None] = dict(exchange_refs.labels(session, language))

    def get(self, record_id: str) -> str | None:
        if record_id not in self.known:
            found = None
            for kind in exchange_refs.CODED_KINDS:
                found = exchange_refs.codes(self.session, kind, [record_id]).get(record_id)
                if found is not None:
                    break
            self.known[record_id] = found
        return self.known[record_id]


def _refs(session: Any, language: str) -> dict[str, str]:
    refs = exchange_refs.labels(session, language)
    for kind in exchange_refs.CODED_KINDS:
        refs.update(exchange_refs.codes(session, kind))
    return refs


def _note_conflicts(
    out: _Export,
    sheet: layout.SheetLayout | None,
    state: dict[str, Any],
    code: str,
    *,
    with_values: bool = True,
) -> None:
    """One row per field in conflict; a redacted export lists where, never the values."""
    title = out.gettext(sheet.title) if sheet is not None else (state["id"] if with_values else code)
    for name, siblings in state["fields"].items():
        if in_conflict(siblings):
            out.conflict_count += 1
            if not with_values:
                _conflict_row(out, [title, code, name, "", ""])
                continue
            shown = displayed(siblings)
            others = sorted({str(s[3]) for s in siblings if s[3] != shown})
            _conflict_row(out, [title, code, name, str(shown), " | ".join(others)])
    edited = visibility(state).edited_after_delete
    if edited:
        out.conflict_count += 1
        _conflict_row(
            out,
            [
                title,
                code,
                "deleted",
                out.gettext(N_("deleted at one desk, edited at another")),
                ", ".join(edited),
            ],
        )


def _conflict_row(out: _Export, cells: list[str]) -> None:
    """A row of the Conflicts sheet, while it has room under Excel's row limit (the Conflicts
    screen of the merging desk lists them all)."""
    if out.conflict_rows < layout.MAX_ROWS - 1:  # the header row
        out.conflicts.append(cells)
        out.conflict_rows += 1


def _write_meta(out: _Export, desk: Any, options: ExportOptions) -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    meta: list[tuple[str, str]] = [
        ("format", layout.FORMAT),
        ("format_version", str(layout.FORMAT_VERSION)),
        ("schema_revision", HEAD),
        ("app_version", aiddesk.__version__),
        ("export_id", str(uuid.uuid4())),
        ("desk_id", desk.desk_id),
        ("desk_code", desk.code),
        ("desk_name", desk.name),
        ("export_clock", str(desk.clock)),
        ("exported_at", now.isoformat()),
        ("language", options.language),
        ("phone_region", desk.phone_region),
        ("since", options.since.isoformat() if options.since else ""),
        ("redacted", "yes" if out.state is None else "no"),
    ]
    part = options.series
    if part is not None:
        meta += [
            (series.KIND, part.kind),
            (series.FROM, str(part.start)),
            (series.TO, str(part.to)),
            (series.PREVIOUS, part.previous),
            (series.WAITING, ",".join(sorted(part.waiting))),
        ]
    for sheet in layout.SHEETS:
        meta.append((f"sheet.{sheet.kind}", out.gettext(sheet.title)))
        if out.state is not None:  # every visible row is written: the merge may skip an untouched sheet
            meta.append((layout.PART_KEY + sheet.kind, out.visible[sheet.kind].fingerprint()))
    for kind in sorted(out.rows):
        meta.append((f"rows.{kind}", str(out.rows[kind])))
        meta.append((f"tombstones.{kind}", str(out.tombstones[kind])))
    for kind, left_out in sorted(out.cut.items()):
        meta.append((f"cut.{kind}", str(left_out)))
    meta.append(("state_rows", str(out.records)))
    if out.state is not None and out.state.count > 1:
        meta.append(("state_sheets", str(out.state.count)))
    meta.append(("checksum", out.checksum.hexdigest() if out.state is not None else ""))
    out.meta.append(["key", "value"])
    for key, value in meta:
        out.meta.append([key, value])
