"""The recovery sheet of an encrypted desk: the recovery key and what to do with it, in English
and in Spanish on one page (whoever finds it in the drawer reads one of them).

Pure data: the UI lays it out, prints it and saves it as a PDF (owner-only, through
aiddesk/services/desk/documents.py)."""

from __future__ import annotations

from dataclasses import dataclass

from aiddesk.i18n import N_, translations_for

SHEET_LANGUAGES = ("en", "es")

TITLE = N_("AidDesk recovery sheet")
DESK = N_("Desk: %(desk)s")
KEY_LABEL = N_("Recovery key:")
USE = N_(
    "This key opens the desk when nobody remembers a passphrase: at the start of AidDesk, choose "
    "“Use the recovery key” and type it (spaces, dashes and capitals do not matter)."
)
KEEP = N_(
    "Keep this sheet locked away, apart from the laptop, like the key of a safe. Anyone who holds "
    "it and the laptop (or a backup) can read every record."
)
PROTECTS = N_(
    "Encryption protects the desk when the laptop is off or AidDesk is closed, a backup copied "
    "off, a lost USB stick. It does not protect an open, unlocked AidDesk, someone who knows a "
    "passphrase, or a laptop with spying software on it."
)
LOSS = N_(
    "If every passphrase and this recovery key are lost, the data is lost for good: nobody can "
    "open it, not even AidDesk's makers."
)


@dataclass(frozen=True)
class SheetPart:
    language: str
    title: str
    desk: str
    key_label: str
    paragraphs: list[str]


@dataclass(frozen=True)
class RecoverySheet:
    recovery_key: str
    parts: list[SheetPart]


def recovery_sheet(recovery_key: str, desk_name: str) -> RecoverySheet:
    parts = []
    for language in SHEET_LANGUAGES:
        t = translations_for(language).gettext
        parts.append(
            SheetPart(
                language,
                t(TITLE),
                t(DESK) % {"desk": desk_name} if desk_name else "",
                t(KEY_LABEL),
                [t(USE), t(KEEP), t(PROTECTS), t(LOSS)],
            )
        )
    return RecoverySheet(recovery_key, parts)
