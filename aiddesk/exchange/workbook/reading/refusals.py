"""Step 1 of reading a workbook: what the desk says when it refuses one.

Every refusal is a WorkbookRejected whose message is already translated, names the file and says
what to do. The later steps (file kind and password, zip guard, structure, sheet scans, calamine)
raise these; nothing else of theirs reaches a volunteer."""

from __future__ import annotations

import os
from pathlib import Path

from aiddesk.exchange.workbook.errors import WorkbookRejected, WrongPassword
from aiddesk.i18n import _


def label_of(path: Path) -> str:
    """The file's name as it can be shown and stored: bytes of a name that are not UTF-8 (a USB
    stick written on another system) become "�" instead of surrogates no database or log takes."""
    name = os.fsencode(Path(path).name)
    return name.decode("utf-8", errors="replace")


def column_letters(number: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------- the file as a whole


def cannot_open(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The file %(file)s could not be opened. Check that it is still there and that you may "
            "read it, then try again."
        )
        % {"file": label}
    )


def not_a_file(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "%(file)s is not a workbook file: it is a folder, a device or a pipe. Choose the workbook "
            "file itself."
        )
        % {"file": label}
    )


def file_too_large(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The file %(file)s is far too large to be a workbook exported from AidDesk. Check that "
            "you chose the right file."
        )
        % {"file": label}
    )


def refuse_foreign(kind: str, label: str) -> WorkbookRejected:
    """The rejection for a file that is not an .xlsx package at all."""
    if kind == "empty":
        return WorkbookRejected(
            _("The file %(file)s is empty. Ask the sender for the workbook again.") % {"file": label}
        )
    if kind == "pdf":
        return WorkbookRejected(
            _(
                "The file %(file)s is a PDF document, not an Excel workbook (.xlsx). "
                "Ask the sender for the workbook itself."
            )
            % {"file": label}
        )
    if kind == "text":
        return WorkbookRejected(
            _(
                "The file %(file)s is a text file (for example a CSV), not an Excel workbook (.xlsx). "
                "Open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx)."
            )
            % {"file": label}
        )
    return not_a_workbook(label)


def not_a_workbook(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The file %(file)s is not an Excel workbook (.xlsx). "
            "Choose a workbook exported from AidDesk or saved from Excel as .xlsx."
        )
        % {"file": label}
    )


def ods(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The file %(file)s is an OpenDocument spreadsheet (.ods), not an Excel workbook (.xlsx). "
            "Open it in LibreOffice and save it as an Excel workbook (.xlsx)."
        )
        % {"file": label}
    )


def old_excel(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The file %(file)s is an old Excel 97-2003 workbook (.xls). Open it in Excel or "
            "LibreOffice and save it as an Excel workbook (.xlsx)."
        )
        % {"file": label}
    )


def incomplete(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The file %(file)s is incomplete or damaged. It may not have finished copying or "
            "downloading. Ask for the file again."
        )
        % {"file": label}
    )


def changed_meanwhile(label: str) -> WorkbookRejected:
    """The file at the path was replaced or changed since it was first read (a sync tool bringing
    a newer copy, a copy still being written): nothing of it is merged, and reading it again works."""
    return WorkbookRejected(
        _(
            "The file %(file)s changed while AidDesk was reading it: a newer copy came, or it is still "
            "being copied. Nothing was merged from it. Merge it again once it is fully copied."
        )
        % {"file": label}
    )


def damaged(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _("The workbook %(file)s is damaged and cannot be read. Ask the sender to export it again.")
        % {"file": label}
    )


def unusual(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s is stored in an unusual way that this desk cannot check. "
            "Open it in Excel or LibreOffice, save it again as an Excel workbook (.xlsx), and try again."
        )
        % {"file": label}
    )


def out_of_memory(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "This computer ran out of memory while reading the workbook %(file)s. Close other "
            "programs and try again, or ask the sender for a smaller workbook."
        )
        % {"file": label}
    )


# ---------------------------------------------------------------- passwords


def needs_password(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _("The workbook %(file)s is locked with a password. Enter the group password to open it.")
        % {"file": label}
    )


def wrong_password(label: str) -> WrongPassword:
    return WrongPassword(
        _(
            "The password does not open the workbook %(file)s. Check the group password "
            "(capital letters count) and try again."
        )
        % {"file": label}
    )


def changed_after_locking(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s was changed or damaged after it was locked with the password, "
            "so it cannot be trusted. Ask the sender to export it again."
        )
        % {"file": label}
    )


def cannot_unlock(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s is locked in a way this desk cannot open. Ask the sender to export "
            "it again from AidDesk with the group password."
        )
        % {"file": label}
    )


# ---------------------------------------------------------------- the zip package


def xml_tricks(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s contains hidden XML instructions (a DTD or entity) of a kind used "
            "to attack computers, so it was not opened. Ask the sender to save it again from AidDesk "
            "or Excel."
        )
        % {"file": label}
    )


def too_big_inside(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s would unpack to far more data than any real workbook holds. "
            "It was not opened, to protect this computer. Ask the sender to export it again."
        )
        % {"file": label}
    )


def too_many_parts(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s is made of far too many pieces for a real workbook. "
            "It was not opened, to protect this computer. Ask the sender to export it again."
        )
        % {"file": label}
    )


def packed_too_tightly(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s is packed in a suspicious way: a small piece of it unpacks to a huge "
            "amount of data. It was not opened, to protect this computer. Ask the sender to export it again."
        )
        % {"file": label}
    )


def holds_more_than_declared(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s holds more data than it declares, a trick used to crash computers. "
            "It was not opened. Ask the sender to export it again."
        )
        % {"file": label}
    )


def overlapping_parts(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s was tampered with or is damaged: some of its pieces overlap or "
            "appear twice. It was not opened. Ask the sender to export it again."
        )
        % {"file": label}
    )


# ---------------------------------------------------------------- structure and sheets


def macros(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s contains macros (small programs that run inside Excel). For safety, "
            "AidDesk does not open workbooks with macros. Save it as a plain Excel workbook (.xlsx) "
            "and try again."
        )
        % {"file": label}
    )


def external_links(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s is linked to other files or to data on the internet. For safety, "
            "AidDesk does not open linked workbooks. In Excel choose Data, Edit Links, Break Link "
            "(and remove any data connections), save, and try again."
        )
        % {"file": label}
    )


def missing_sheet_list(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s has lost its list of sheets, so it is damaged. Ask the sender to "
            "export it again."
        )
        % {"file": label}
    )


def missing_sheet(label: str, sheet: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s lists a sheet called %(sheet)s, but the sheet itself is missing "
            "from the file. The file is damaged; ask the sender to export it again."
        )
        % {"file": label, "sheet": sheet}
    )


def damaged_sheet(label: str, sheet: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The sheet %(sheet)s in the workbook %(file)s is damaged and cannot be read. Ask the "
            "sender to export the workbook again."
        )
        % {"file": label, "sheet": sheet}
    )


def sheet_too_large(label: str, sheet: str, rows: int, columns: int) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The sheet %(sheet)s in the workbook %(file)s is too large to read: it reaches row "
            "%(rows)s and column %(column)s. Delete the empty rows and columns far below or to the "
            "right of the data, save, and try again."
        )
        % {"file": label, "sheet": sheet, "rows": rows, "column": column_letters(columns)}
    )


def too_many_formulas(label: str, sheet: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The sheet %(sheet)s in the workbook %(file)s holds more formulas than this desk can "
            "check. Ask the sender to export the workbook again from AidDesk."
        )
        % {"file": label, "sheet": sheet}
    )
