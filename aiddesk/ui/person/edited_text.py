"""How an edit of a person's details reads in a history: "Details edited: Phone, Address"."""

from __future__ import annotations

from typing import Any

from aiddesk.i18n import N_, _
from aiddesk.ui.intake.caller_fields import CAPTIONS, FLAGS, accessible

CONSENT = N_("Consent")
FIELD_CAPTIONS: dict[str, str] = {**CAPTIONS, **dict(FLAGS), "consent": CONSENT}


def field_caption(name: str) -> str:
    """A form field's caption in the UI language, without its colon."""
    caption = FIELD_CAPTIONS.get(name)
    return accessible(_(caption)) if caption is not None else name


def edited_text(detail: dict[str, Any]) -> str:
    fields = detail.get("fields") or []
    names = ", ".join(field_caption(str(name)) for name in fields)
    return _("Details edited: %(fields)s") % {"fields": names}
