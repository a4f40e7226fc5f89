"""What a spreadsheet import would store: a decision per row (new, add to someone, skip), the
rows that go in, the cells that stop theirs, and the counts — the same for a dry run, the
wizard's last look and the import itself."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from aiddesk.domain.sheet_fields import SheetKind
from aiddesk.i18n import _, ngettext
from aiddesk.services.exchange.sheet_import.preview import Preview, PreviewRow, Suggestion, describe


class Choice(StrEnum):
    NEW = "new"  # a new person (or volunteer)
    ATTACH = "attach"  # add to the one suggested (people: the needs become their requests)
    SKIP = "skip"


@dataclass(frozen=True)
class Decision:
    choice: Choice
    target: Suggestion | None = None  # ATTACH: who


def proposed_decisions(found: Preview) -> dict[int, Decision]:
    """What a run without a person to ask does: rows that can be stored and repeat no one become
    new records; rows that may repeat someone are skipped (a person decides those in the wizard)."""
    return {r.row: Decision(Choice.SKIP if r.suggestions else Choice.NEW) for r in found.rows if r.outcome.ok}


@dataclass(frozen=True)
class Rejected:
    """A cell (or row) that stopped its row: reported, not stored."""

    sheet: str
    row: int
    column: str  # the column's header ("" when no one column is to blame)
    cell: str  # like "C7" ("" when no one column is to blame)
    reason: str  # in the UI language

    def as_json(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "reason": self.reason,
        }

    def where(self) -> str:
        """ "Row 5, column C (“Phone”)", in the UI language."""
        if not self.cell:
            return _("Row %(row)d") % {"row": self.row}
        letters = self.cell.rstrip("0123456789")
        return _("Row %(row)d, column %(letters)s (“%(column)s”)") % {
            "row": self.row,
            "letters": letters,
            "column": self.column,
        }


@dataclass(frozen=True)
class Planned:
    """A row to store: as a new record, or attached to a record on the desk or to an earlier row."""

    item: PreviewRow
    choice: Choice
    record_id: str | None = None
    row: int | None = None


@dataclass(frozen=True)
class ImportSummary:
    new_people: int = 0
    new_requests: int = 0
    new_volunteers: int = 0
    attached: int = 0  # rows added to someone already on the desk or to an earlier row
    skipped_duplicates: int = 0  # rows that may repeat someone, skipped
    skipped: int = 0  # other rows a person chose to skip
    rejected: tuple[Rejected, ...] = ()
    blank_rows: int = 0
    backup: Path | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "new_people": self.new_people,
            "new_requests": self.new_requests,
            "new_volunteers": self.new_volunteers,
            "attached": self.attached,
            "skipped_duplicates": self.skipped_duplicates,
            "skipped": self.skipped,
            "rejected": [r.as_json() for r in self.rejected],
            "blank_rows": self.blank_rows,
        }


def count_texts(summary: ImportSummary) -> list[str]:
    """What storing did (or would do), one count each, in the UI language; counts of nothing are
    left out."""
    bad_rows = len({r.row for r in summary.rejected})
    counts = [
        (summary.new_people, ngettext("%(count)d new person", "%(count)d new people", summary.new_people)),
        (
            summary.new_requests,
            ngettext("%(count)d new request", "%(count)d new requests", summary.new_requests),
        ),
        (
            summary.new_volunteers,
            ngettext("%(count)d new volunteer", "%(count)d new volunteers", summary.new_volunteers),
        ),
        (
            summary.attached,
            ngettext(
                "%(count)d row added to someone already on the desk",
                "%(count)d rows added to someone already on the desk",
                summary.attached,
            ),
        ),
        (
            summary.skipped_duplicates,
            ngettext(
                "%(count)d row skipped because it may repeat someone",
                "%(count)d rows skipped because they may repeat someone",
                summary.skipped_duplicates,
            ),
        ),
        (summary.skipped, ngettext("%(count)d row skipped", "%(count)d rows skipped", summary.skipped)),
        (bad_rows, ngettext("%(count)d row not taken", "%(count)d rows not taken", bad_rows)),
        (summary.blank_rows, ngettext("%(count)d blank row", "%(count)d blank rows", summary.blank_rows)),
    ]
    return [text % {"count": n} for n, text in counts if n]


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def rejected(found: Preview) -> tuple[Rejected, ...]:
    return tuple(
        Rejected(
            found.sheet,
            r.row,
            found.column_name(p.column),
            f"{column_letter(p.column)}{r.row}" if p.column is not None else "",
            describe(p.message, p.params),
        )
        for r in found.rows
        for p in r.outcome.problems
    )


def plan(found: Preview, decisions: dict[int, Decision]) -> list[Planned]:
    """The rows to store in sheet order. A row attached to an earlier row that is not stored
    becomes new (nothing typed is lost)."""
    stored: set[int] = set()
    planned: list[Planned] = []
    for item in found.rows:
        decision = decisions.get(item.row)
        if not item.outcome.ok or decision is None or decision.choice is Choice.SKIP:
            continue
        target = decision.target if decision.choice is Choice.ATTACH else None
        if target is not None and target.record_id is not None:
            planned.append(Planned(item, Choice.ATTACH, record_id=target.record_id))
        elif target is not None and target.row in stored:
            planned.append(Planned(item, Choice.ATTACH, row=target.row))
        else:
            planned.append(Planned(item, Choice.NEW))
        stored.add(item.row)
    return planned


def summarise(found: Preview, decisions: dict[int, Decision], *, backup: Path | None = None) -> ImportSummary:
    """The counts storing `decisions` gives (a dry run reports them, storing returns them)."""
    planned = plan(found, decisions)
    chosen = {p.item.row for p in planned}
    skipped = [r for r in found.rows if r.outcome.ok and r.row not in chosen]
    new = [p for p in planned if p.choice is Choice.NEW]
    people = found.kind is SheetKind.PERSON_REQUESTS
    return ImportSummary(
        new_people=len(new) if people else 0,
        new_requests=sum(len(p.item.outcome.intake.needs) for p in planned if p.item.outcome.intake)
        if people
        else 0,
        new_volunteers=0 if people else len(new),
        attached=len(planned) - len(new),
        skipped_duplicates=sum(1 for r in skipped if r.suggestions),
        skipped=sum(1 for r in skipped if not r.suggestions),
        rejected=rejected(found),
        blank_rows=found.blank_rows,
        backup=backup,
    )
