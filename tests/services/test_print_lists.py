"""The printable lists, as the phone shift and the drivers get them: the call-back list (who, the
phone only with consent, no name for who asked not to be named, why, last call; nothing else about
them) and the packing list (counted by need, each run in its volunteer's language, no caller
named), read back from the PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.services.deliveries import dispatch
from aiddesk.services.people.person import merge_people
from aiddesk.services.reports.print_lists import call_back_list, packing_list
from aiddesk.store.database import Database
from aiddesk.store.models import Call, Person, Request, Stop, Volunteer
from aiddesk.ui.reports.lists_pdf import write_call_back_pdf, write_packing_pdf
from tests.record_makers import NEED, ZONE

DAY = dt.date(2026, 11, 23)  # a Monday
UTC = dt.UTC
ADDRESS = "12 Elm Street"
SAFETY = "Never mention the shelter"


def person(db: Database, name: str, **fields: object) -> str:
    values: dict[str, object] = {
        "phone": "+16175550134",
        "phone_raw": "617 555 0134",
        "consent": True,
        "language": "es",
        "address": ADDRESS,
        "safety_notes": SAFETY,
        "zone_id": ZONE["north"],
    }
    values.update(fields)
    with db.transaction("Ana") as tx:
        row = Person(id=tx.new_id(), code=f"P-{name[:4]}", name=name, **values)
        tx.session.add(row)
    return row.id


def request(db: Database, person_id: str, status: str, follow_up: dt.date | None, **fields: object) -> str:
    values: dict[str, object] = {"category_id": NEED["groceries"], "created_at": dt.datetime(2026, 11, 1)}
    values.update(fields)
    with db.transaction("Ana") as tx:
        row = Request(
            id=tx.new_id(),
            code=f"R-{tx.new_id()[:4]}",
            person_id=person_id,
            status=status,
            follow_up=follow_up,
            **values,
        )
        tx.session.add(row)
    return row.id


def call(db: Database, person_id: str, when: dt.datetime) -> None:
    with db.transaction("Ana") as tx:
        tx.session.add(Call(id=tx.new_id(), code=f"C-{tx.new_id()[:4]}", person_id=person_id, taken_at=when))


def delete(db: Database, model: type, record_id: str) -> None:
    with db.transaction("Ana") as tx:
        tx.session.get(model, record_id).deleted = True


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)


# ---- the call-back list -----------------------------------------------------------------------------


@pytest.fixture
def call_backs(db: Database) -> dict[str, str]:
    rosa = person(db, "Rosa Díaz")
    tom = person(db, "Tom Berg", consent=False, language="en")
    ann = person(db, "Ann Secret", anonymous=True, language="en")
    ana = person(db, "Ana Núñez", phone="+16175550199", phone_raw="617-555-0199")
    carla = person(db, "Carla Ngô")
    merge_people(db, "Marta", ana, carla)
    ids = {
        "rosa": request(db, rosa, "call_back", DAY, status_reason="After 5 pm"),
        "tom": request(db, tom, "needs_info", DAY - dt.timedelta(days=2), status_reason="No address given"),
        "ann": request(db, ann, "call_back", DAY),
        "carla": request(db, carla, "call_back", DAY, category_id=NEED["rent"]),  # arrived after the merge
        "tomorrow": request(db, rosa, "call_back", DAY + dt.timedelta(days=1)),
        "ready": request(db, rosa, "ready", DAY),
        "deleted": request(db, tom, "call_back", DAY),
    }
    delete(db, Request, ids["deleted"])
    call(db, rosa, dt.datetime(2026, 11, 21, 15, 30))
    call(db, ana, dt.datetime(2026, 11, 20, 15, 0))
    call(db, carla, dt.datetime(2026, 11, 22, 16, 0))  # Carla is Ana: her call is Ana's last
    return ids


def test_call_back_list_shows_who_to_call_and_only_what_the_call_needs(
    db: Database, call_backs: dict[str, str]
) -> None:
    data = call_back_list(db, DAY, language="en", tz=UTC)
    assert data.title == "Call-backs for Monday, November 23, 2026"
    assert [e.name for e in data.entries] == ["Tom Berg", "(asked not to be named)", "Ana Núñez", "Rosa Díaz"]
    tom, ann, ana, rosa = data.entries
    assert tom.overdue and tom.call_on == "overdue since Nov 21, 2026"
    assert tom.phone == "Did not agree to be called: ask a coordinator"
    assert tom.why == ("Groceries: Needs info — No address given",)
    assert ann.phone == "(617)\u00a0555-0134" and ann.speaks == "English"
    assert ana.why == ("Rent help: Call back",) and ana.phone == "(617)\u00a0555-0199"
    assert ana.last_call == "11/22/26, 4:00\u202fPM"
    assert rosa.why == ("Groceries: Call back — After 5 pm",) and rosa.speaks == "Spanish"
    assert not rosa.overdue and rosa.call_on == "Nov 23, 2026"
    everything = repr(data)
    assert ADDRESS not in everything and SAFETY not in everything and "Ann Secret" not in everything


def test_call_back_list_in_spanish(db: Database, call_backs: dict[str, str]) -> None:
    data = call_back_list(db, DAY, language="es", tz=UTC)
    assert data.title == "Llamadas por devolver el lunes, 23 de noviembre de 2026"
    assert data.entries[0].phone == "No aceptó que le llamen: pregunte a un coordinador"
    assert data.entries[1].name == "(pidió que no se diera su nombre)"
    assert data.entries[0].why == ("Mandado / despensa: Falta información — No address given",)


def test_call_back_list_pdf(db: Database, call_backs: dict[str, str], tmp_path: Path, qtbot: QtBot) -> None:
    out = tmp_path / "call-backs.pdf"
    write_call_back_pdf(call_back_list(db, DAY, language="en", tz=UTC), out, data_dir=db.path.parent)
    text = pdf_text(out)
    assert "Call-backs for Monday, November 23, 2026" in text
    for shown in ("Tom Berg", "Rosa Díaz", "Ana Núñez", "(617) 555-0199", "After 5 pm"):
        assert shown in text
    for hidden in ("Ann Secret", ADDRESS, SAFETY, "Carla"):
        assert hidden not in text


def test_call_back_list_headings_are_whole_words_in_both_languages(
    db: Database, call_backs: dict[str, str], tmp_path: Path, qtbot: QtBot
) -> None:
    for language, tick in (("en", "Done"), ("es", "Hecho")):
        out = tmp_path / f"call-backs-{language}.pdf"
        write_call_back_pdf(call_back_list(db, DAY, language=language, tz=UTC), out, data_dir=db.path.parent)
        words = pdf_text(out).split()
        assert tick in words  # not cut in two by a narrow column ("Hech o")


def test_nobody_to_call_back(db: Database, tmp_path: Path, qtbot: QtBot) -> None:
    data = call_back_list(db, DAY, language="es")
    assert data.entries == ()
    out = tmp_path / "none.pdf"
    write_call_back_pdf(data, out, data_dir=db.path.parent)
    assert "Nadie espera que le devolvamos la llamada este día." in pdf_text(out)


# ---- the packing list --------------------------------------------------------------------------------


def volunteer(db: Database, name: str, language: str) -> str:
    with db.transaction("Ana") as tx:
        row = Volunteer(
            id=tx.new_id(), code=f"V-{name[:3]}", name=name, active=True, preferred_language=language
        )
        tx.session.add(row)
    return row.id


def run(db: Database, volunteer_id: str, needs: list[str], day: dt.date = DAY) -> str:
    someone = person(db, "Rosa Díaz")
    ids = [
        request(db, someone, "ready", None, category_id=NEED[n], details="arroz y frijoles") for n in needs
    ]
    return dispatch.plan_run(
        db,
        "Marta",
        volunteer_id=volunteer_id,
        date=day,
        window_start="09:00",
        window_end="12:00",
        request_ids=ids,
    )


@pytest.fixture
def runs(db: Database) -> dict[str, str]:
    luis = volunteer(db, "Luis Ortega", "es")
    kim = volunteer(db, "Kim Lee", "en")
    ids = {
        "luis": run(db, luis, ["groceries", "groceries", "prescriptions"]),
        "kim": run(db, kim, ["groceries", "hot_meals", "hot_meals", "rides"]),
        "cancelled": run(db, kim, ["pet_care"]),
        "tomorrow": run(db, luis, ["rent"], DAY + dt.timedelta(days=1)),
    }
    dispatch.cancel_run(db, "Marta", ids["cancelled"], "No driver")
    with db.session() as session:
        rides = next(
            s.id
            for s in session.query(Stop).filter(Stop.delivery_id == ids["kim"])
            if session.get(Request, s.request_id).category_id == NEED["rides"]
        )
    dispatch.remove_stop(db, "Marta", rides)  # taken off the run: not packed
    return ids


def test_packing_list_counts_by_need_per_run_in_its_volunteers_language(
    db: Database, runs: dict[str, str]
) -> None:
    data = packing_list(db, DAY, language="en")
    assert data.title == "What to bring on Monday, November 23, 2026"
    assert data.day_total.lines == (("Groceries", 3), ("Hot meals", 2), ("Prescription pickup", 1))
    assert data.day_total.total == ("Total", 6)
    by_title = {r.title: r for r in data.runs}
    assert set(by_title) == {"Ruta TST-D0001", "Run TST-D0002"}
    luis, kim = by_title["Ruta TST-D0001"], by_title["Run TST-D0002"]
    assert luis.lines == (("Mandado / despensa", 2), ("Recoger medicinas", 1)) and luis.total == ("Total", 3)
    assert (
        luis.subtitle
        == "Lunes, 23 de noviembre de 2026 · 9:00\u202fa.m. – 12:00\u202fp.m. · Voluntario: Luis Ortega"
    )
    assert kim.lines == (("Hot meals", 2), ("Groceries", 1))
    assert "Rosa" not in repr(data)


def test_packing_list_pdf(db: Database, runs: dict[str, str], tmp_path: Path, qtbot: QtBot) -> None:
    out = tmp_path / "packing.pdf"
    write_packing_pdf(packing_list(db, DAY, language="es"), out, data_dir=db.path.parent)
    reader = PdfReader(str(out))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert len(pages) == 3  # the day, then each run on its own page
    assert pages[0].startswith("Qué llevar el lunes, 23 de noviembre de 2026")
    assert "Mandado / despensa 3" in pages[0] and "Total 6" in pages[0]
    spanish = next(p for p in pages[1:] if "Ruta TST-D0001" in p)
    english = next(p for p in pages[1:] if "Run TST-D0002" in p)
    assert "Mandado / despensa 2" in spanish and "Recoger medicinas 1" in spanish
    assert "Hot meals 2" in english and "Groceries 1" in english and "Page 1 of 1" in english
    text = " ".join(pages)
    assert "Rosa" not in text and ADDRESS not in text and "arroz" not in text


@pytest.mark.parametrize(("language", "region"), [("es", "SV"), ("es", "MX"), ("en", "HN"), ("es", "GB")])
def test_a_desk_whose_region_babel_has_no_english_for_prints_every_run(
    db: Database, runs: dict[str, str], language: str, region: str
) -> None:
    """A desk in El Salvador, Mexico or Honduras (or a Spanish desk in Great Britain): Babel knows
    no en_SV, en_MX, en_HN nor es_GB. The English-speaking volunteer's run (and the whole list on an
    English desk) used to fail with UnknownLocaleError: no packing list, no route sheets."""
    i18n.set_language(language, region)
    data = packing_list(db, DAY, language=language)
    kim = next(r for r in data.runs if r.title == "Run TST-D0002")
    assert kim.subtitle.startswith("Monday, 23 November 2026 · ")  # day first, as in the region
    assert kim.lines == (("Hot meals", 2), ("Groceries", 1))
    luis = next(r for r in data.runs if r.title == "Ruta TST-D0001")
    assert luis.subtitle.startswith("Lunes") and "23 de noviembre de 2026 · " in luis.subtitle
