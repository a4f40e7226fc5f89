"""How the Exchange screen, the status bar and the notifications say what an exchange did."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from aiddesk.i18n import _, ngettext
from aiddesk.i18n.formatting import format_datetime, format_number, format_time
from aiddesk.services.exchange import files
from aiddesk.services.exchange.folder import FolderStatus, PassSummary

if TYPE_CHECKING:
    from aiddesk.services.exchange.merge import MergeReport


def when_text(when: dt.datetime, now: dt.datetime | None = None) -> str:
    """A moment (aware) in the desk's local time: "today at 2:32 PM" or "Nov 22, 2026, 2:32 PM"."""
    local = when.astimezone()
    today = (now or dt.datetime.now().astimezone()).astimezone().date()
    time = format_time(local.time())
    if local.date() == today:
        # L10N: when the last exchange happened, today
        return _("today at %(time)s") % {"time": time}
    return format_datetime(local.replace(tzinfo=None))


def exported_text(iso: str) -> str:
    """The export time a workbook's _meta holds (ISO, UTC), in local time."""
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return when_text(when if when.tzinfo else when.replace(tzinfo=dt.UTC))


def password_missing_text() -> str:
    return _(
        "The group password is not on this computer (a backup put back here does not bring it): "
        "type it again in Settings. Until then nothing is exchanged."
    )


def folder_state_text(status: FolderStatus, now: dt.datetime | None = None) -> str:
    """The Exchange screen's line about the folder."""
    if not status.configured:
        return _("Not set up: choose a folder in Settings.")
    if status.password_missing:
        return password_missing_text()
    last = status.last_exchange
    if status.reachable:
        if last is None:
            return _("Reachable — no exchange yet")
        return _("Reachable — last exchange %(when)s") % {"when": when_text(last, now)}
    if last is None:
        return _("Offline — no exchange yet")
    return _("Offline — last exchange %(when)s") % {"when": when_text(last, now)}


def status_bar_text(status: FolderStatus, now: dt.datetime | None = None) -> str:
    """The status bar's note: empty when no folder is set up."""
    if not status.configured:
        return ""
    if status.password_missing:
        return _("Exchange: the group password is missing")
    last = status.last_exchange
    if status.reachable:
        if last is None:
            return _("Exchange: no exchange yet")
        return _("Exchange: last exchange %(when)s") % {"when": when_text(last, now)}
    if last is None:
        return _("Exchange: offline")
    return _("Exchange: offline — last exchange %(when)s") % {"when": when_text(last, now)}


def waiting_text(conflicts: int, edits: int) -> str:
    """ "3 conflicts and 1 hand edit wait on the Conflicts screen." ("" when nothing waits)."""
    if conflicts and edits:
        return _("%(conflicts)s and %(edits)s wait on the Conflicts screen.") % {
            "conflicts": ngettext("%(count)s conflict", "%(count)s conflicts", conflicts)
            % {"count": conflicts},
            "edits": ngettext("%(count)s hand edit", "%(count)s hand edits", edits) % {"count": edits},
        }
    if conflicts:
        return ngettext(
            "%(count)s conflict waits on the Conflicts screen.",
            "%(count)s conflicts wait on the Conflicts screen.",
            conflicts,
        ) % {"count": conflicts}
    if edits:
        return ngettext(
            "%(count)s hand edit waits on the Conflicts screen.",
            "%(count)s hand edits wait on the Conflicts screen.",
            edits,
        ) % {"count": edits}
    return ""


def locked_notice(count: int) -> str:
    """The notice when the group password this desk keeps opens none of some files of the folder."""
    return ngettext(
        "%(count)s file of the exchange folder is locked with another password: the group password of "
        "this desk does not open it. Ask your coordinator for the group password.",
        "%(count)s files of the exchange folder are locked with another password: the group password of "
        "this desk does not open them. Ask your coordinator for the group password.",
        count,
    ) % {"count": count}


def counts_text(new: int, updated: int) -> str:
    return _("%(new)s new, %(updated)s updated") % {
        "new": format_number(new),
        "updated": format_number(updated),
    }


def pass_lines(summary: PassSummary) -> list[str]:
    """What one pass did, a line each."""
    if not summary.configured:
        return [_("Not set up: choose a folder in Settings.")]
    if summary.password_missing:
        return [password_missing_text()]
    if summary.offline:
        return [_("The folder could not be reached. AidDesk tries again every minute.")]
    lines = []
    if summary.wrote is not None:
        lines.append(
            _("This desk's workbook was saved in the folder (%(file)s).") % {"file": summary.wrote.name}
        )
    else:
        lines.append(_("This desk's workbook in the folder was already up to date."))
    if summary.merged:
        new = sum(report.new for _name, report in summary.merged)
        updated = sum(report.updated for _name, report in summary.merged)
        lines.append(
            ngettext(
                "Merged %(count)s workbook: %(counts)s.",
                "Merged %(count)s workbooks: %(counts)s.",
                len(summary.merged),
            )
            % {"count": len(summary.merged), "counts": counts_text(new, updated)}
        )
    elif not summary.failed:
        lines.append(_("No other desk's workbook has changed."))
    for name, message in summary.failed:
        if name in message:  # the message names the file itself
            lines.append(_("Not merged: %(reason)s") % {"reason": message})
        else:
            # L10N: a file of the exchange folder that could not be merged, and why
            lines.append(_("Not merged: %(file)s — %(reason)s") % {"file": name, "reason": message})
    for waiting in summary.waiting:  # a file of that desk's series is missing (lost, or not synced yet)
        lines.append(
            ngettext(
                "Desk %(desk)s: %(count)d file waits for one of its files that has not arrived.",
                "Desk %(desk)s: %(count)d files wait for one of its files that has not arrived.",
                waiting.files,
            )
            % {"desk": waiting.desk, "count": waiting.files}
        )
    if summary.conflicts or summary.proposals:
        lines.append(_("Found: %(what)s") % {"what": found_text(summary.conflicts, summary.proposals)})
    return lines


def found_text(conflicts: int, edits: int) -> str:
    parts = []
    if conflicts:
        parts.append(
            ngettext("%(count)s new conflict", "%(count)s new conflicts", conflicts) % {"count": conflicts}
        )
    if edits:
        parts.append(ngettext("%(count)s hand edit", "%(count)s hand edits", edits) % {"count": edits})
    return ", ".join(parts)


def merge_result_text(report: MergeReport) -> str:
    """After a merge: what it brought."""
    text = _("Merged the workbook from desk %(desk)s: %(counts)s, %(unchanged)s unchanged.") % {
        "desk": report.desk_code,
        "counts": counts_text(report.new, report.updated),
        "unchanged": format_number(report.unchanged),
    }
    if report.rejected:
        text += " " + ngettext(
            "%(count)s cell was not taken.", "%(count)s cells were not taken.", len(report.rejected)
        ) % {"count": len(report.rejected)}
    return text


def column_header(key: str | None) -> str:
    """A column key of a workbook ("phone") as its header in the UI language."""
    if not key:
        return ""
    header = files.column_header(key)
    return _(header) if header is not None else key
