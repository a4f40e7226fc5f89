"""Two real desks (own databases, own desk ids) exchanging real workbooks on disk, for the tests of
conflicts, hand edits and erasure; and a workbook cell changed by hand as Excel would."""

from __future__ import annotations

import contextlib
import itertools
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiddesk.services.desk import setup as desk_service
from aiddesk.services.desk.records import dump
from aiddesk.services.exchange.export import ExportOptions, export_workbook
from aiddesk.services.exchange.merge import MergeReport, merge_file
from aiddesk.store.database import Database
from aiddesk.store.migrate import open_database
from aiddesk.store.models import MODEL_BY_KIND, Person

_books = itertools.count(1)


@dataclass
class Desk:
    db: Database
    code: str
    folder: Path
    books: list[Path] = field(default_factory=list)

    def export(self, language: str = "en") -> Path:
        path = self.folder / f"{self.code}-{next(_books):03d}.xlsx"
        export_workbook(self.db, path, ExportOptions(language=language))
        self.books.append(path)
        return path

    def merge(self, path: Path, **options: Any) -> MergeReport:
        return merge_file(self.db, path, "Ana", **options)

    def add_person(self, code: str, name: str, **fields: Any) -> str:
        with self.db.transaction("Ana") as tx:
            person = Person(id=tx.new_id(), code=code, name=name, **fields)
            tx.session.add(person)
        return person.id

    def edit(self, kind: str, record_id: str, **values: Any) -> None:
        """An ordinary local edit (a stamped transaction), as the screens make them."""
        with self.db.transaction("Ana") as tx:
            row = tx.session.get(MODEL_BY_KIND[kind], record_id)
            assert row is not None
            for name, value in values.items():
                setattr(row, name, value)

    def person(self, person_id: str) -> Person:
        with self.db.session() as session:
            person = session.get(Person, person_id)
            assert person is not None
            return person

    def dump(self) -> dict[str, Any]:
        return dump(self.db)


def make_desk(root: Path, template: Path, code: str) -> Desk:
    folder = root / code
    folder.mkdir(parents=True)
    shutil.copyfile(template, folder / "aiddesk.db")
    db = open_database(folder / "aiddesk.db")
    desk_service.create_desk(db, name=f"Desk {code}", code=code, language="en", region="US")
    return Desk(db, code, folder)


@contextlib.contextmanager
def north_and_south(root: Path, template: Path) -> Iterator[tuple[Desk, Desk]]:
    """Two desks, NOR and SUR, closed afterwards."""
    north, south = make_desk(root, template, "NOR"), make_desk(root, template, "SUR")
    try:
        yield north, south
    finally:
        north.db.close()
        south.db.close()


def exchange(first: Desk, second: Desk) -> None:
    """`first` sends its workbook to `second`, then `second` sends back (both now agree)."""
    second.merge(first.export())
    first.merge(second.export())


def hand_edit(path: Path, sheet: str, record_id: str, key: str, value: str) -> Path:
    """Change one cell of a visible sheet as someone would in Excel: the column found by its key
    in the hidden row 2, the row by the record id; saved under a new name."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    keys = [cell.value for cell in ws[2]]
    column = keys.index(key) + 1
    id_column = keys.index("id") + 1
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, id_column).value == record_id)
    ws.cell(row, column).value = value
    target = path.with_name(path.stem + "-edited.xlsx")
    book.save(target)
    return target
