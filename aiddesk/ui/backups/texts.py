"""How a backup and a damaged database are told in the window (translated when shown)."""

from __future__ import annotations

import datetime as dt

from aiddesk.i18n import _
from aiddesk.i18n.formatting import format_datetime, format_number
from aiddesk.services.backups import DAMAGE_TEXT, REASONS, BackupFile, State


def when_text(created: dt.datetime) -> str:
    """The time a backup was made, in this computer's time zone and the desk's language."""
    return format_datetime(created.astimezone().replace(tzinfo=None))


def reason_text(reason: str) -> str:
    return _(REASONS[reason]) if reason in REASONS else reason


def size_text(size: int) -> str:
    return _("%(size)s MB") % {"size": format_number(round(size / 1_000_000, 1))}


def checked_text(item: BackupFile) -> str:
    return _("Yes") if item.verified else _("No")


def damage_text(state: State) -> str:
    return _(DAMAGE_TEXT.get(state, DAMAGE_TEXT[State.DAMAGED]))


def new_desk_id_text() -> str:
    return _(
        "After a restore this computer counts as a new desk for the other desks of the group. That "
        "is on purpose: the backup is older than what the other desks already received from this "
        "desk, and they must never mix up the old and the new changes. Nothing is lost: merging "
        "their workbooks brings back what they had received from this desk."
    )
