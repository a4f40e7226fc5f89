"""A visible sheet of an exchange workbook, read once, row by row, when the workbook is opened: only
the rows that may hold a hand edit are kept.

A row whose cells still hash to one of the digests of `_shown_<kind>` (shown_digest.py) is exactly
a record's row as exported (the digest covers its id): it was not edited, and nothing of it is
kept but the mark that its record's row was seen. Every other row (edited, added, copied, a
formula, merged cells, or every row of a workbook without digests) is kept for the merge to
compare cell by cell with what `_state` says it showed."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any

from aiddesk.exchange.workbook.layout import SHEET_BY_KIND
from aiddesk.exchange.workbook.shown_digest import row_digest


@dataclass
class VisibleSheet:
    kind: str
    title: str
    columns: dict[str, int]  # key -> column index (usable keys only)
    formulas: set[tuple[int, int]]
    merged: list[tuple[int, int, int, int]]
    # the rows that may hold a hand edit, by 0-based index (rows[0] is Excel row 1)
    rows: dict[int, list[Any]] = field(default_factory=dict)
    # per digest of `_shown_<kind>` (in `_state`'s order of the kind's live records): the 0-based
    # index of the untouched row that showed it, 0 when none did (rows start at 2; empty for a
    # workbook without digests: every row is kept)
    seen: array[int] = field(default_factory=lambda: array("l"))
    blank_rows: int = 0

    def read_rows(self, rows: Any, digests: list[Any]) -> None:
        """Take the sheet's rows after its two header rows (`rows`: an iterator from row 3 on)."""
        index_of = {d: i for i, d in enumerate(digests) if type(d) is str}
        self.seen = array("l", bytes(array("l").itemsize * len(digests)))
        marked = {r for r, _c in self.formulas} | merged_rows(self.merged)
        layout = SHEET_BY_KIND[self.kind]
        positions = [self.columns[c.key] for c in layout.columns if c.key in self.columns]
        for index, row in enumerate(rows, start=2):
            if all(v is None or v == "" for v in row):
                self.blank_rows += 1
                continue
            if index_of and index not in marked:
                at = index_of.pop(row_digest(row, positions), None)  # type: ignore[arg-type]
                if at is not None:
                    self.seen[at] = index
                    continue
            self.rows[index] = row

    def row_seen(self, live_index: int) -> int:
        """The 0-based index of the row that showed the `live_index`-th live record as exported,
        0 when no row did."""
        return self.seen[live_index] if live_index < len(self.seen) else 0


def merged_rows(merged: list[tuple[int, int, int, int]]) -> set[int]:
    """The 0-based rows under the header that merged cells touch."""
    out: set[int] = set()
    for first_row, _first_col, last_row, _last_col in merged:
        out.update(range(max(first_row, 2), last_row + 1))
    return out
