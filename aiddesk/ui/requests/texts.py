"""How the queue and the person's page write a person, a time and a history line."""

from __future__ import annotations

import datetime as dt

from aiddesk.domain.enums import CallChannel, CallOutcome, ContactMethod, RequestStatus
from aiddesk.domain.phone import display
from aiddesk.i18n import _, ngettext
from aiddesk.i18n.formatting import format_date, format_datetime, language_name
from aiddesk.services.people.person import PersonInfo
from aiddesk.services.requests.queue import HistoryEntry
from aiddesk.ui.person.edited_text import edited_text
from aiddesk.ui.requests.table_model import enum_label

SAFETY_COLOR = "#b3261e"


def local_time(value: dt.datetime) -> dt.datetime:
    """A stored time (naive UTC) as the desk's wall-clock time."""
    return value.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def when_text(value: dt.datetime | None) -> str:
    return format_datetime(local_time(value)) if value is not None else ""


def date_text(value: dt.date | None) -> str:
    return format_date(value) if value is not None else ""


def phones_text(person: PersonInfo, region: str) -> str:
    numbers = [
        display(person.phone, person.phone_raw, region),
        display(person.phone2, person.phone2_raw, region),
    ]
    return ", ".join(n for n in numbers if n)


def language_text(person: PersonInfo) -> str:
    name = language_name(person.language) if person.language else ""
    if person.needs_interpreter:
        return (
            _("%(language)s — needs an interpreter") % {"language": name}
            if name
            else _("Needs an interpreter")
        )
    return name


def contact_text(person: PersonInfo) -> str:
    method = enum_label(ContactMethod, person.contact_method) if person.contact_method else ""
    return " — ".join(t for t in (method, person.contact_time) if t)


def household_text(person: PersonInfo) -> str:
    if person.household_size is None:
        return ""
    return ngettext("%(n)s person", "%(n)s people", person.household_size) % {"n": person.household_size}


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def status_label(value: str) -> str:
    return enum_label(RequestStatus, value) if value else ""


def history_lines(entry: HistoryEntry) -> tuple[str, str]:
    """(headline, what happened) for one line of a request's history."""
    who = entry.who or _("someone")
    headline = _("%(when)s — %(who)s") % {"when": when_text(entry.at), "who": who}
    if entry.kind == "call" and entry.call is not None:
        call = entry.call
        what = _("Call (%(channel)s): %(outcome)s") % {
            "channel": enum_label(CallChannel, call.channel),
            "outcome": enum_label(CallOutcome, call.outcome),
        }
        return headline, f"{what}\n{call.notes}" if call.notes else what
    detail = entry.detail
    if entry.kind == "status":
        what = _("Status: %(from)s → %(to)s") % {
            "from": status_label(str(detail.get("from", ""))),
            "to": status_label(str(detail.get("to", ""))),
        }
        extra = []
        if detail.get("reason"):
            extra.append(_("Reason: %(reason)s") % {"reason": detail["reason"]})
        if detail.get("follow_up"):
            try:
                day = dt.date.fromisoformat(str(detail["follow_up"]))
                extra.append(_("Call back on %(date)s") % {"date": date_text(day)})
            except ValueError:
                pass
        return headline, "\n".join([what, *extra])
    if entry.kind == "merged":
        return headline, _("Merged %(other)s into %(kept)s") % {
            "other": detail.get("other_code", ""),
            "kept": detail.get("kept_code", ""),
        }
    if entry.kind == "edited":
        return headline, edited_text(detail)
    return headline, entry.kind
