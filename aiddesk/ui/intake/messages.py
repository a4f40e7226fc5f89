"""What the Intake screen asks and tells: the questions (a new caller already on the desk, discard
this call, restore a draft) and the confirmation of a saved call."""

from __future__ import annotations

import datetime as dt

from aiddesk.domain.intake import IntakeForm
from aiddesk.i18n import _, ngettext
from aiddesk.i18n.formatting import format_datetime
from aiddesk.services.intake.calls import Duplicate, OtherCaller, SavedCall
from aiddesk.services.intake.drafts import SavedDraft
from aiddesk.ui.common.question import Choice, Role


def duplicate_question(duplicate: Duplicate) -> tuple[str, str, list[Choice]]:
    person = duplicate.person
    values = {"name": person.name or _("(no name given)"), "code": person.code}
    if duplicate.by == "phone":
        text = _("%(name)s (%(code)s) is already on this desk with the same phone number.") % values
    else:
        text = _("%(name)s (%(code)s) is already on this desk with the same name and address.") % values
    choices = [
        ("attach", _("Yes, the call is theirs"), Role.AcceptRole),
        ("new", _("No, save a new caller"), Role.DestructiveRole),
        ("back", _("Go back"), Role.RejectRole),
    ]
    return text, _("Is this call from them?"), choices


def other_caller_question(known: OtherCaller) -> tuple[str, str, list[Choice]]:
    values = {"name": known.name or _("(no name given)"), "code": known.code}
    text = (
        _(
            "This call was for %(name)s (%(code)s), but both the name and the phone number were "
            "changed. Saving would change their record."
        )
        % values
    )
    choices = [
        ("new", _("It is another caller"), Role.AcceptRole),
        ("change", _("Same person: change their name and phone"), Role.DestructiveRole),
        ("back", _("Go back"), Role.RejectRole),
    ]
    return text, _("Is this another caller?"), choices


def discard_question() -> tuple[str, str, list[Choice]]:
    choices = [
        ("discard", _("Discard the call"), Role.DestructiveRole),
        ("keep", _("Keep typing"), Role.RejectRole),
    ]
    return _("Discard this call?"), _("What you typed for this call will be lost."), choices


def restore_question(draft: SavedDraft) -> tuple[str, str, list[Choice]]:
    detail = _("Typed by %(who)s, last change %(when)s: %(summary)s. Restore it?") % {
        "who": draft.who,
        "when": _local_time(draft.updated_at),
        "summary": _summary(draft.form),
    }
    choices = [
        ("restore", _("Restore it"), Role.AcceptRole),
        ("discard", _("Discard it"), Role.DestructiveRole),
        ("later", _("Not now"), Role.RejectRole),
    ]
    return _("A call was being typed and was not saved."), detail, choices


def saved_message(saved: SavedCall) -> str:
    """The confirmation of a saved call, with the codes to read to the caller."""
    count = len(saved.request_codes)
    if not count:
        return _("Saved call %(call)s (no request).") % {"call": saved.call_code}
    return ngettext(
        "Saved call %(call)s with %(count)d request: %(codes)s.",
        "Saved call %(call)s with %(count)d requests: %(codes)s.",
        count,
    ) % {"call": saved.call_code, "count": count, "codes": ", ".join(saved.request_codes)}


def _local_time(utc: dt.datetime) -> str:
    local = utc.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
    return format_datetime(local)


def _summary(form: IntakeForm) -> str:
    needs = [n for n in form.needs if not n.is_blank()]
    parts = [part for part in (form.name.strip(), form.phone.strip()) if part]
    parts.append(ngettext("%(count)d need", "%(count)d needs", len(needs)) % {"count": len(needs)})
    return " · ".join(parts)
