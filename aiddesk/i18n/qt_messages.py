"""Qt's own words that Qt's catalog leaves in English, translated in AidDesk's catalog.

Qt's file dialog (AidDesk uses Qt's own, see ui/common/file_dialogs.py) and its print dialog ask
Qt's catalog (qtbase_<lang>.qm) for their labels, buttons, tooltips, column names and messages.
Qt's Spanish catalog lacks some of them ("&Look in:", "Files of &type:", the kinds of file in the
Type column, the print dialog's "Pages" and two-sided printing: Qt renamed or moved them and the
catalog was not brought up to date) and writes others for Spain ("fichero", "directorio"). Those
are listed here, each with the context and the exact text Qt asks with (a text that differs by one
character is never asked for), marked for AidDesk's catalog with their context: the Spanish lives
in translations/es/LC_MESSAGES/aiddesk.po with AidDesk's other messages. `qm_catalog()` writes
them as a Qt catalog (the .qm format QTranslator reads); the Qt bridge installs it in front of
Qt's own, so these win and everything else still comes from Qt's catalog. No Qt here: the bytes
are made in plain Python."""

from __future__ import annotations

import gettext
import struct
from collections.abc import Mapping

from aiddesk.i18n import NP_

# (Qt's context, Qt's source text): found in Qt 6's sources and in its other languages' catalogs;
# the file dialog's own tests look at the ones a user sees.
QT_MESSAGES: tuple[tuple[str, str], ...] = (
    # the dialog's labels, buttons, tooltips and what a screen reader says of them
    NP_("QFileDialog", "&Look in:"),
    NP_("QFileDialog", "Files of &type:"),
    NP_("QFileDialog", "File &name:"),
    NP_("QFileDialog", "Directory:"),
    NP_("QFileDialog", "Parent Directory"),
    NP_("QFileDialog", "Go to the parent directory"),
    NP_("QFileDialog", "Forward"),
    NP_("QFileDialog", "Go forward"),
    NP_("QFileDialog", "Change to list view mode"),
    NP_("QFileDialog", "All Files (*)"),
    NP_("QFileDialog", "Directories"),
    NP_("QFileDialog", "Find Directory"),
    # the right-click menu of the list of files
    NP_("QFileDialog", "Show &hidden files"),
    # its messages
    NP_("QFileDialog", "%1 already exists.\nDo you want to replace it?"),
    NP_("QFileDialog", "%1\nFile not found.\nPlease verify the correct file name was given."),
    NP_(
        "QFileDialog",
        "%1\nDirectory not found.\nPlease verify the correct directory name was given.",
    ),
    NP_("QFileDialog", "Could not delete directory."),
    # the Type column: what kind of thing each entry is (Qt 6 asks these under this context)
    NP_("QAbstractFileIconProvider", "Folder"),
    NP_("QAbstractFileIconProvider", "File Folder"),  # Windows' word
    NP_("QAbstractFileIconProvider", "File"),
    NP_("QAbstractFileIconProvider", "Drive"),
    NP_("QAbstractFileIconProvider", "Shortcut"),
    NP_("QAbstractFileIconProvider", "Unknown"),
    # the print dialog (printing, a PDF): the pages to print, both sides of the sheet
    NP_("QPrintSettingsOutput", "Pages"),
    NP_(
        "QPrintSettingsOutput",
        "Specify pages or ranges separated by commas. Ranges are specified by two numbers "
        "separated by a hyphen. E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9.",
    ),
    NP_("QPrintSettingsOutput", "Page &Set:"),
    NP_("QPrintSettingsOutput", "Double Sided Printing"),
    NP_("QPrintSettingsOutput", "Off"),
    NP_("QPrintSettingsOutput", "Long side binding"),
    NP_("QPrintSettingsOutput", "Short side binding"),
    NP_("QPrintWidget", "Output &file:"),
    NP_("QPrintDialog", "Print To File ..."),
    NP_("QPrintDialog", "%1 is a directory.\nPlease choose a different file name."),
    NP_("QPrintDialog", "File %1 is not writable.\nPlease choose a different file name."),
)

_MAGIC = bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")
_HASHES, _MESSAGES = 0x42, 0x69
_END, _TRANSLATION, _SOURCE, _CONTEXT = 1, 3, 6, 7


def translated(translations: gettext.NullTranslations) -> dict[tuple[str, str], str]:
    """QT_MESSAGES in the language of `translations`: those it translates (an untranslated one
    is left to Qt's catalog)."""
    found = {}
    for context, source in QT_MESSAGES:
        text = translations.pgettext(context, source)
        if text and text != source:
            found[(context, source)] = text
    return found


def _elf_hash(data: bytes) -> int:
    """Qt's hash of a message (QTranslator: its source text then its disambiguation)."""
    h = 0
    for byte in data:
        h = ((h << 4) + byte) & 0xFFFFFFFF
        g = h & 0xF0000000
        if g:
            h ^= g >> 24
        h &= ~g & 0xFFFFFFFF
    return h or 1


def _field(tag: int, data: bytes) -> bytes:
    return struct.pack(">BI", tag, len(data)) + data


def qm_catalog(messages: Mapping[tuple[str, str], str]) -> bytes:
    """A Qt catalog (.qm) of `messages`: (context, source text) -> translation.

    Each message carries its context and source text, and no disambiguation: QTranslator then
    answers it whatever disambiguation Qt asks with ("Folder", "All other platforms")."""
    body = bytearray()
    offsets: list[tuple[int, int]] = []
    for (context, source), text in messages.items():
        offsets.append((_elf_hash(source.encode("utf-8")), len(body)))
        body += _field(_TRANSLATION, text.encode("utf-16-be"))
        body += _field(_SOURCE, source.encode("utf-8"))
        body += _field(_CONTEXT, context.encode("utf-8"))
        body.append(_END)
    hashes = b"".join(struct.pack(">II", h, offset) for h, offset in sorted(offsets))
    return _MAGIC + _field(_HASHES, hashes) + _field(_MESSAGES, bytes(body))
