"""What an exchange workbook holds: its sheets, their columns and how each column is shown.

Visible sheets are for people (translated titles and headers, one row per live
record); row 2 holds each column's stable key, so columns are found by key,
never by position. `_state` and `_meta` (veryHidden) are for the merge."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from aiddesk.domain import enums
from aiddesk.i18n import N_

FORMAT = "aiddesk-exchange"
FORMAT_VERSION = 1
META_SHEET = "_meta"
STATE_SHEET = "_state"
# Excel's most rows in one sheet. `_state` runs on over `_state2`, `_state3`, … (`state_sheets`
# in `_meta`); a visible sheet shows at most this many rows (`cut.<kind>` says how many it left
# out: they travel in `_state` only).
MAX_ROWS = 1_048_576
# `_state` also runs on over the next sheet once a sheet holds this many characters: each sheet's
# XML stays far under the readers' 512 MiB limit for one part of the zip, whatever the text (a
# desk of 100,000 people holds over a billion characters of `_state`), and a merge, which holds
# one `_state` sheet's values at a time, holds about 20 MB of text, not a whole desk's.
MAX_STATE_CHARS = 20_000_000


def state_sheet(number: int) -> str:
    """The title of the `number`-th sheet (from 1) of `_state`."""
    return STATE_SHEET if number == 1 else f"{STATE_SHEET}{number}"


# Per visible kind, a veryHidden sheet `_shown_<kind>` holds one digest per row the visible sheet
# got, in `_state`'s order of that kind's live records (shown_digest.py): a row whose cells still
# hash to it was not edited by hand, so the merge does not compare its cells one by one.
SHOWN_SHEET = "_shown_"


def shown_sheet(kind: str) -> str:
    return SHOWN_SHEET + kind


# `_meta`'s `part.<kind>`: the visible sheet's XML part as written, "<CRC-32 in hex>:<bytes>". The
# same values in the workbook's zip directory mean nobody saved the sheet since the export, so
# none of its rows can hold a hand edit and the merge does not read it at all.
PART_KEY = "part."


def part_fingerprint(crc: int, size: int) -> str:
    return f"{crc:08x}:{size}"


CONFLICTS_KEY = "conflicts"
README_KEY = "readme"
# The columns of `_state` before the record's fields (which may run over continuation cells).
STATE_HEADER = ("kind", "id", "vv", "del_ctx", "fields")
CELL_LIMIT = 32_767  # Excel's most characters in one cell
STATE_CHUNK = 32_000


class Show(StrEnum):
    """How a column's value is written to a cell and read back from one."""

    TEXT = "text"
    PHONE = "phone"  # the main phone: shown as stored (E.164), read as typed into the form
    ENUM = "enum"
    ENUM_LIST = "enum_list"  # a JSON list of enum values, shown as "Driver, Has a car"
    CODES = "codes"  # a JSON list of language codes, shown as "en, es"
    BOOL = "bool"
    INT = "int"
    DATE = "date"
    TIME = "time"  # HH:MM
    DATETIME = "datetime"  # read-only
    REF = "ref"  # another record, shown by its code or label: read-only


@dataclass(frozen=True)
class Column:
    key: str  # stable English snake_case key (row 2) = the record's field, except REF columns
    header: str  # English, marked N_: translated in row 1
    show: Show
    field: str = ""  # the record's field when it differs from key (REF: the id field)
    enum: type[enums.Labelled] | None = None
    editable: bool = True
    personal: bool = False  # left out (or pseudonymised) in a redacted export
    since: str = "0001"  # the database revision that added the column (older workbooks lack it)

    @property
    def source(self) -> str:
        return self.field or self.key


def _ro(key: str, header: str, show: Show, field: str = "", **kw: object) -> Column:
    return Column(key, header, show, field, editable=False, **kw)  # type: ignore[arg-type]


ID = _ro("id", N_("Record id"), Show.TEXT)
CODE = _ro("code", N_("Code"), Show.TEXT)


@dataclass(frozen=True)
class SheetLayout:
    kind: str
    title: str  # English, marked N_
    columns: tuple[Column, ...]


SHEETS: tuple[SheetLayout, ...] = (
    SheetLayout(
        "person",
        N_("People"),
        (
            ID,
            CODE,
            Column("name", N_("Name"), Show.TEXT, personal=True),
            Column("phone", N_("Phone"), Show.PHONE, personal=True),
            Column("phone2", N_("Other phone"), Show.PHONE, personal=True),
            Column("email", N_("Email"), Show.TEXT, personal=True),
            Column("language", N_("Language"), Show.TEXT),
            Column("needs_interpreter", N_("Needs an interpreter"), Show.BOOL),
            Column("address", N_("Address"), Show.TEXT, personal=True),
            _ro("zone", N_("Zone"), Show.REF, "zone_id"),
            Column("household_size", N_("People in the household"), Show.INT),
            Column("elevated_risk", N_("Higher risk"), Show.BOOL),
            Column("dietary_needs", N_("Diet"), Show.TEXT, personal=True),
            Column("delivery_notes", N_("Notes for drivers"), Show.TEXT, personal=True),
            Column("safety_notes", N_("Safety notes"), Show.TEXT, personal=True),
            _ro("consent", N_("Consent given"), Show.BOOL),
            Column("contact_method", N_("How to contact"), Show.ENUM, enum=enums.ContactMethod),
            Column("contact_time", N_("Best time to call"), Show.TEXT, personal=True),
        ),
    ),
    SheetLayout(
        "call",
        N_("Calls"),
        (
            ID,
            CODE,
            _ro("person", N_("Caller"), Show.REF, "person_id"),
            _ro("taken_by", N_("Taken by"), Show.TEXT),
            _ro("taken_at", N_("Taken at"), Show.DATETIME),
            Column("channel", N_("How they reached us"), Show.ENUM, enum=enums.CallChannel),
            Column("outcome", N_("Outcome"), Show.ENUM, enum=enums.CallOutcome),
            Column("notes", N_("Notes"), Show.TEXT, personal=True),
        ),
    ),
    SheetLayout(
        "request",
        N_("Requests"),
        (
            ID,
            CODE,
            _ro("person", N_("Person"), Show.REF, "person_id"),
            _ro("category", N_("Need"), Show.REF, "category_id"),
            Column("details", N_("Details"), Show.TEXT, personal=True),
            Column("urgency", N_("Urgency"), Show.ENUM, enum=enums.Urgency),
            Column("recurring", N_("How often"), Show.ENUM, enum=enums.Recurring),
            _ro("status", N_("Status"), Show.ENUM, enum=enums.RequestStatus),
            Column("status_reason", N_("Reason for the status"), Show.TEXT),
            Column("follow_up", N_("Call back on"), Show.DATE),
            _ro("created_at", N_("Received"), Show.DATETIME),
        ),
    ),
    SheetLayout(
        "volunteer",
        N_("Volunteers"),
        (
            ID,
            CODE,
            Column("name", N_("Name"), Show.TEXT, personal=True),
            Column("phone", N_("Phone"), Show.PHONE, personal=True),
            Column("email", N_("Email"), Show.TEXT, personal=True),
            Column("languages", N_("Languages"), Show.CODES),
            Column("skills", N_("Skills"), Show.ENUM_LIST, enum=enums.Skill),
            Column("trained", N_("Trained"), Show.BOOL),
            Column("checked_on", N_("Checked on"), Show.DATE),
            Column("active", N_("Active"), Show.BOOL),
            Column("max_runs_week", N_("Most runs a week"), Show.INT),
            Column("preferred_language", N_("Preferred language"), Show.TEXT),
            Column("notes", N_("Notes"), Show.TEXT, personal=True),
        ),
    ),
    SheetLayout(
        "delivery",
        N_("Deliveries"),
        (
            ID,
            CODE,
            _ro("volunteer", N_("Volunteer"), Show.REF, "volunteer_id"),
            Column("date", N_("Date"), Show.DATE),
            Column("window_start", N_("From"), Show.TIME),
            Column("window_end", N_("To"), Show.TIME),
            _ro("status", N_("Status"), Show.ENUM, enum=enums.DeliveryStatus),
            Column("notes", N_("Notes"), Show.TEXT, personal=True),
        ),
    ),
    SheetLayout(
        "stop",
        N_("Stops"),
        (
            ID,
            _ro("delivery", N_("Run"), Show.REF, "delivery_id"),
            _ro("request", N_("Request"), Show.REF, "request_id"),
            _ro("position", N_("Order"), Show.INT),
            _ro("outcome", N_("Outcome"), Show.ENUM, enum=enums.StopOutcome),
            _ro("failure_reason", N_("Why it failed"), Show.ENUM, enum=enums.FailureReason),
            Column("note", N_("Note"), Show.TEXT, personal=True),
            _ro("delivered_at", N_("Delivered at"), Show.DATETIME),
            _ro("recorded_at", N_("Recorded at"), Show.DATETIME, since="0005"),
        ),
    ),
)
SHEET_BY_KIND: dict[str, SheetLayout] = {s.kind: s for s in SHEETS}
VISIBLE_KINDS: tuple[str, ...] = tuple(s.kind for s in SHEETS)

# The kinds whose ids a REF column shows, and how (by display code or by label).
REF_TARGET: dict[str, str] = {
    "zone_id": "zone",
    "category_id": "need_category",
    "person_id": "person",
    "volunteer_id": "volunteer",
    "delivery_id": "delivery",
    "request_id": "request",
}

# Values a field may hold (checked on every incoming state and every typed cell).
ENUM_FIELDS: dict[tuple[str, str], type[enums.Labelled]] = {
    ("request", "status"): enums.RequestStatus,
    ("request", "urgency"): enums.Urgency,
    ("request", "recurring"): enums.Recurring,
    ("call", "channel"): enums.CallChannel,
    ("call", "outcome"): enums.CallOutcome,
    ("delivery", "status"): enums.DeliveryStatus,
    ("stop", "outcome"): enums.StopOutcome,
}
# Enumerations that may also be empty.
OPTIONAL_ENUM_FIELDS: dict[tuple[str, str], type[enums.Labelled]] = {
    ("person", "contact_method"): enums.ContactMethod,
    ("stop", "failure_reason"): enums.FailureReason,
}
