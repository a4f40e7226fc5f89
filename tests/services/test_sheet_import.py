"""Importing a Google Forms export: the preview a coordinator reviews, what storing the chosen
rows does (people, one request per need, attached to someone already on the desk), that a
second import of the same file adds nobody twice, and that nothing is written before storing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sheet_samples import HEADERS, ROW_OF, ROWS, SHEET, mapping_json, rosa, write_csv, write_xlsx

from aiddesk.domain.defaults import fixed_id
from aiddesk.domain.sheet_fields import SheetKind, suggest_columns
from aiddesk.domain.sheet_mapping import SheetMapping
from aiddesk.domain.validation import Invalid
from aiddesk.exchange.workbook.sheet_source import read_sheets
from aiddesk.services import roster
from aiddesk.services.desk import records
from aiddesk.services.exchange.sheet_import import plan as plans
from aiddesk.services.exchange.sheet_import import preview as imports
from aiddesk.services.exchange.sheet_import.plan import Choice, Decision
from aiddesk.services.exchange.sheet_import.storing import store
from aiddesk.store.database import Database
from aiddesk.store.models import Event, Person, Request

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 15, 0)
NEED = {
    key: fixed_id("need_category", key)
    for key in ("groceries", "other", "prescriptions", "rides", "hot_meals")
}


def preview(db: Database, path: Path, **changes: object) -> imports.Preview:
    mapping = SheetMapping.from_json(mapping_json(**changes))
    (sheet,) = read_sheets(path) if path.suffix == ".csv" else [read_sheets(path)[0]]
    return imports.preview(db, sheet, mapping, source=path.name, today=TODAY)


def people(db: Database) -> dict[str, Person]:
    with db.session() as session:
        return {p.name: p for p in session.query(Person).filter(Person.deleted.is_(False))}


def requests_of(db: Database, person_id: str) -> list[Request]:
    with db.session() as session:
        return list(session.query(Request).filter(Request.person_id == person_id).order_by(Request.code))


@pytest.fixture
def form_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "Solicitudes de ayuda (respuestas).csv")


def test_preview_reads_every_row_as_the_intake_form_would(db: Database, form_csv: Path) -> None:
    rosa_id = rosa(db)
    found = preview(db, form_csv)
    by_row = {r.row: r for r in found.rows}
    assert found.blank_rows == 1
    assert sorted(by_row) == [2, 3, 4, 5, 7, 8]

    maria = by_row[ROW_OF["María"]].outcome
    assert maria.ok and maria.intake is not None
    assert maria.intake.person["name"] == "María José Hernández"
    assert maria.intake.person["phone"] == "+15552013344"
    assert maria.intake.person["language"] == "es"
    assert maria.intake.person["household_size"] == 4
    assert maria.intake.person["consent"] is True
    needs = [(n.category_id, n.urgency, n.details) for n in maria.intake.needs]
    assert needs == [
        (NEED["groceries"], "within_24h", "Tenemos un bebé de 8 meses"),
        (NEED["other"], "within_24h", "Ropa\nTenemos un bebé de 8 meses"),
    ]
    assert maria.submitted_at == dt.datetime(
        2026, 11, 20, 9, 15, 2, tzinfo=dt.timezone(dt.timedelta(hours=-6))
    )

    lucia = by_row[ROW_OF["Lucía"]].outcome.intake
    assert lucia is not None and lucia.person["household_size"] == 1
    assert [n.category_id for n in lucia.needs] == [NEED["rides"], NEED["hot_meals"], NEED["groceries"]]

    (suggested,) = by_row[ROW_OF["Rosa"]].suggestions
    assert (suggested.record_id, suggested.by, suggested.code) == (rosa_id, "phone", "TST-0001")

    rejected = {(r.row, r.column): r.reason for r in plans.rejected(found)}
    assert rejected == {
        (5, HEADERS[2]): "“llámame” does not look like a phone number.",
        (7, HEADERS[6]): "“=2+2” is not a whole number from 0 to 99.",
    }
    assert {r.cell for r in plans.rejected(found)} == {"C5", "G7"}


def test_household_sizes_written_as_words_are_read(db: Database, tmp_path: Path) -> None:
    """A real form's answers: many people write the number of their household in words."""
    rows = [list(row) for row in ROWS]
    sizes = {"María": "tres", "John": "two", "Rosa": "Cinco", "Lucía": "somos seis"}
    for who, size in sizes.items():
        rows[ROW_OF[who] - 2][6] = size
    found = preview(db, write_csv(tmp_path / "words.csv", rows))
    read = {row.row: row.outcome for row in found.rows}
    for who, number in (("María", 3), ("John", 2), ("Rosa", 5), ("Lucía", 6)):
        outcome = read[ROW_OF[who]]
        assert outcome.intake is not None and outcome.intake.person["household_size"] == number, who
    assert all(r.column != HEADERS[6] or r.row == ROW_OF["Carmen"] for r in plans.rejected(found))


def test_a_dry_run_counts_and_stores_nothing(db: Database, form_csv: Path) -> None:
    rosa(db)
    before = records.dump(db)
    found = preview(db, form_csv)
    summary = plans.summarise(found, plans.proposed_decisions(found))
    assert (summary.new_people, summary.new_requests, summary.skipped_duplicates) == (3, 7, 1)
    assert (summary.attached, summary.blank_rows, len(summary.rejected)) == (0, 1, 2)
    assert records.dump(db) == before


def test_storing_adds_people_and_one_request_per_need_after_a_backup(db: Database, form_csv: Path) -> None:
    rosa(db)
    found = preview(db, form_csv)
    summary = store(db, "Rosa", found, plans.proposed_decisions(found), now=NOW)
    assert (summary.new_people, summary.new_requests, summary.skipped_duplicates) == (3, 7, 1)
    assert summary.backup is not None and summary.backup.is_file()

    stored = people(db)
    assert set(stored) == {"Rosa Martínez", "María José Hernández", "John Carter", "Lucía Ramírez"}
    maria = stored["María José Hernández"]
    assert (maria.code, maria.address, maria.household_size) == ("TST-P0001", "1420 Calle Olmo, Apt 3", 4)
    made = requests_of(db, maria.id)
    assert [(r.category_id, r.status, r.urgency) for r in made] == [
        (NEED["groceries"], "new", "within_24h"),
        (NEED["other"], "new", "within_24h"),
    ]
    # The form's time (9:15 in UTC-6) is when the request was made, kept in UTC.
    assert made[0].created_at == dt.datetime(2026, 11, 20, 15, 15, 2)
    with db.session() as session:
        events = session.query(Event).filter(Event.record_id.in_([r.id for r in made])).all()
    assert [e.what for e in events] == ["created", "created"]
    assert all(e.who == "Rosa" for e in events)
    assert not requests_of(db, stored["Rosa Martínez"].id)  # the suspected repeat waits for a person


def test_the_same_file_imported_again_adds_nobody_twice(db: Database, form_csv: Path) -> None:
    rosa(db)
    found = preview(db, form_csv)
    store(db, "Rosa", found, plans.proposed_decisions(found), now=NOW)
    after_first = records.dump(db)

    again = preview(db, form_csv)
    assert all(r.suggestions for r in again.rows if r.outcome.ok)
    summary = store(db, "Rosa", again, plans.proposed_decisions(again), now=NOW)
    assert (summary.new_people, summary.new_requests, summary.skipped_duplicates) == (0, 0, 4)
    assert summary.backup is None
    assert records.dump(db) == after_first


def test_a_row_attached_to_someone_on_the_desk_fills_only_what_they_lack(
    db: Database, form_csv: Path
) -> None:
    rosa_id = rosa(db)
    found = preview(db, form_csv)
    decisions = {ROW_OF["Rosa"]: Decision(Choice.ATTACH, found.rows[2].suggestions[0])}
    summary = store(db, "Ana", found, decisions, now=NOW)
    assert (summary.attached, summary.new_people, summary.new_requests) == (1, 0, 1)
    person = people(db)["Rosa Martínez"]
    assert person.id == rosa_id
    assert (person.phone_raw, person.address, person.language) == ("(555) 201-9900", "7 Calle Sauce", "es")
    (request,) = requests_of(db, rosa_id)
    assert (request.category_id, request.urgency) == (NEED["prescriptions"], "days_2_3")


def test_a_repeat_within_the_sheet_can_join_the_earlier_row(db: Database, tmp_path: Path) -> None:
    second = [*ROWS[1][:4], "Comida caliente", "Hoy", "2", "English", "", "Yes"]
    path = write_csv(tmp_path / "two.csv", [ROWS[1], second])
    found = preview(db, path)
    first, repeat = found.rows
    (suggested,) = repeat.suggestions
    assert (suggested.row, suggested.by, suggested.record_id) == (2, "phone", None)
    decisions = {2: Decision(Choice.NEW), 3: Decision(Choice.ATTACH, suggested)}
    summary = store(db, "Ana", found, decisions, now=NOW)
    assert (summary.new_people, summary.attached, summary.new_requests) == (1, 1, 3)
    (john,) = people(db).values()
    assert len(requests_of(db, john.id)) == 3


def test_a_mapping_that_does_not_fit_the_sheet_is_refused_with_reasons(db: Database, form_csv: Path) -> None:
    columns = dict(mapping_json()["columns"]) | {"Teléfono celular": "phone2", HEADERS[5]: "urgencia"}
    with pytest.raises(Invalid) as refused:
        preview(db, form_csv, columns=columns, values={"urgency": {"Muy urgente": "mañana"}})
    texts = [imports.problem_text(p) for p in refused.value.problems]
    assert (
        "“urgencia” (for the column “¿Qué tan urgente es? / How urgent is it?”) is not a field of Callers and their needs."
        in texts
    )
    assert "“mañana” is not one of the choices for Urgency." in texts
    assert "The sheet has no column “Teléfono celular”." in texts


def test_remembered_mapping_by_header_set(db: Database) -> None:
    mapping = SheetMapping.from_json(mapping_json())
    assert imports.remembered_mapping(db, HEADERS) is None
    imports.remember_mapping(db, "Ana", mapping, HEADERS)
    # The same questions in another order (a form edited since) map themselves again.
    assert imports.remembered_mapping(db, list(reversed(HEADERS))) == mapping
    assert imports.remembered_mapping(db, HEADERS[:-1]) is None


def test_workbook_formula_cell_is_rejected_and_the_rest_imports(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "respuestas.xlsx")
    sheets = read_sheets(path)
    assert [s.name for s in sheets] == [SHEET]
    found = preview(db, path)
    carmen = [r for r in plans.rejected(found) if r.row == ROW_OF["Carmen"]]
    assert [(r.cell, r.reason) for r in carmen] == [
        ("G7", "This cell holds a formula; AidDesk reads only typed answers.")
    ]
    assert sum(1 for r in found.rows if r.outcome.ok) == 4


def test_workbook_numbers_and_dates_as_excel_stores_them(db: Database, tmp_path: Path) -> None:
    """Typed into Excel: the phone became a number, the household a number, the time a date; a
    hidden sheet is not offered."""
    row = [
        dt.datetime(2026, 11, 20, 9, 15),
        "Ana Díaz",
        5552013344,
        "9 Calle Roble",
        "Comida",
        "Hoy",
        3,
        "es",
        "",
        "Sí",
    ]
    path = write_xlsx(tmp_path / "typed.xlsx", [row])
    from openpyxl import load_workbook

    book = load_workbook(path)
    book.create_sheet("Notas internas").sheet_state = "hidden"
    book.save(path)
    assert [s.name for s in read_sheets(path)] == [SHEET]
    (item,) = preview(db, path).rows
    outcome = item.outcome
    assert outcome.ok and outcome.intake is not None
    assert (outcome.intake.person["phone"], outcome.intake.person["household_size"]) == ("+15552013344", 3)
    assert outcome.submitted_at == dt.datetime(2026, 11, 20, 9, 15)
    assert [n.message % n.params for n in outcome.notes] == [
        "The spreadsheet stored this phone number as a number; it was read as 5552013344."
    ]


def test_a_volunteer_roster_imports_through_the_roster_rules(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        "Nombre,Teléfono,Idiomas,¿Cómo puede ayudar?,Disponibilidad,Zona\n"
        'Lupe Vega,555-301-1111,"Español, Inglés","Maneja, Tiene carro","Sábado en la mañana, Domingo",Norte\n'
        "Tom Reed,555-301-2222,English,Shopping,Weekday evenings,Downtown\n"
        "Lupe Vega,555-301-1111,Español,Traduce,Lunes,Norte\n",
        encoding="utf-8",
    )
    (sheet,) = read_sheets(path)
    headers = imports.headers_of(sheet, 1)
    columns = {headers[i]: key for i, key in suggest_columns(SheetKind.VOLUNTEERS, headers).items()}
    assert columns == {
        "Nombre": "name",
        "Teléfono": "phone",
        "Idiomas": "languages",
        "¿Cómo puede ayudar?": "skills",
        "Disponibilidad": "availability",
        "Zona": "zones",
    }
    mapping = SheetMapping(SheetKind.VOLUNTEERS, columns)
    found = imports.preview(db, sheet, mapping, source=path.name, today=TODAY)
    assert [r.outcome.ok for r in found.rows] == [True, True, True]
    lupe = found.rows[0].outcome.volunteer
    assert lupe is not None
    assert (lupe.languages, lupe.skills, lupe.preferred_language) == (
        ("es", "en"),
        ("driver", "has_car"),
        "en",
    )
    assert [s.row for s in found.rows[2].suggestions] == [2]
    decisions = {
        2: Decision(Choice.NEW),
        3: Decision(Choice.NEW),
        4: Decision(Choice.ATTACH, found.rows[2].suggestions[0]),
    }
    summary = store(db, "Ana", found, decisions, today=TODAY)
    assert (summary.new_volunteers, summary.attached) == (2, 1)
    ids = roster.search(db, roster.RosterFilter(text="Lupe"))
    (record,) = [roster.get_volunteer(db, i) for i in ids]
    assert record is not None
    assert record.fields.skills == ("driver", "has_car", "translation")
    assert record.fields.zones == (fixed_id("zone", "north"),)
    again = imports.preview(db, sheet, mapping, source=path.name, today=TODAY)
    assert [s.by for s in again.rows[1].suggestions] == ["phone"]


def test_nothing_is_stored_when_a_need_went_away_since_the_preview(db: Database, form_csv: Path) -> None:
    from aiddesk.store.models import NeedCategory

    found = preview(db, form_csv)
    with db.transaction("Ana") as tx:
        category = tx.session.get(NeedCategory, NEED["hot_meals"])
        assert category is not None
        category.deleted = True
    before = records.dump(db)
    with pytest.raises(Invalid) as refused:
        store(db, "Ana", found, plans.proposed_decisions(found), now=NOW)
    assert [imports.problem_text(p) for p in refused.value.problems] == [
        "Row 8 names a need or zone that is no longer on this desk; look again."
    ]
    assert records.dump(db) == before
