"""What the exchange reports when a workbook as a whole cannot be used."""

from __future__ import annotations


class WorkbookRejected(Exception):
    """The whole workbook is refused and nothing is changed. `message` is already translated
    into the user's language and says what is wrong and, where it helps, what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WrongPassword(WorkbookRejected):
    """The workbook is locked with a password, and not with the one given."""


class ExportRefused(Exception):
    """An export that cannot be made as asked; `message` is English, marked N_, with `params`
    (`text()` is it in the user's language)."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def text(self) -> str:
        from aiddesk.i18n import _

        return _(self.message) % self.params if self.params else _(self.message)
