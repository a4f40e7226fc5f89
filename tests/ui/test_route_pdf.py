"""Route sheets read back from the PDF Qt wrote: each in its volunteer's language (the app's real
Spanish catalog, Babel's dates and names), and nothing private on paper (no phone without
consent, no name for an anonymous caller, never safety notes)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.domain.defaults import NEED_CATEGORIES, ZONES
from aiddesk.services.deliveries import dispatch, route_sheets
from aiddesk.store.database import Database
from aiddesk.store.models import Person, Request, Volunteer
from aiddesk.ui.deliveries import printing

DAY = dt.date(2026, 11, 23)
GROCERIES = NEED_CATEGORIES[0].id_for("need_category")
NORTH = ZONES[0].id_for("zone")
SAFETY = "Ex-partner Carlos must never learn this address"


def person(tx: object, name: str, **fields: object) -> Person:
    row = Person(id=tx.new_id(), code="P-" + name[:4], name=name, zone_id=NORTH, **fields)  # type: ignore[attr-defined]
    tx.session.add(row)  # type: ignore[attr-defined]
    return row


def request(tx: object, who: Person, details: str) -> str:
    row = Request(
        id=tx.new_id(),  # type: ignore[attr-defined]
        code="R-" + who.name[:4],
        person_id=who.id,
        category_id=GROCERIES,
        details=details,
        status="ready",
        created_at=dt.datetime(2026, 11, 20),
    )
    tx.session.add(row)  # type: ignore[attr-defined]
    return row.id


def make_day(db: Database) -> None:
    """Lucía (Spanish) drives the morning, Tom (English) the afternoon."""
    with db.transaction("Ana") as tx:
        lucia = Volunteer(id=tx.new_id(), code="V-1", name="Lucía Romero", preferred_language="es")
        tom = Volunteer(id=tx.new_id(), code="V-2", name="Tom Baker", preferred_language="en")
        tx.session.add_all([lucia, tom])
        maria = person(
            tx,
            "María José López",
            address="12 Elm St",
            phone="+16175550123",
            phone_raw="617 555 0123",
            consent=True,
            language="es",
            dietary_needs="Sin cerdo",
            delivery_notes="Gate code 4411",
            safety_notes=SAFETY,
        )
        peter = person(
            tx,
            "Peter Novak",
            address="4 Oak Ave",
            phone="+16175550188",
            consent=False,
            language="pl",
            safety_notes="Do not send SECRETNOTE",
        )
        hidden = person(
            tx,
            "Hidden Caller",
            address="77 Quiet Ln",
            phone="+16175550199",
            consent=True,
            anonymous=True,
            dietary_needs="Halal",
            delivery_notes="Knock twice",
        )
        grace = person(
            tx, "Grace Kim", address="9 Pine Rd", phone="+16175550111", consent=True, language="ko"
        )
        morning = [
            request(tx, maria, "Rice and beans"),
            request(tx, peter, "Baby formula"),
            request(tx, hidden, "SECRETDETAILS of the anonymous caller"),
        ]
        afternoon = [request(tx, grace, "Fresh vegetables")]
    for volunteer, window, ids in (
        (lucia, ("09:00", "12:00"), morning),
        (tom, ("13:00", "16:00"), afternoon),
    ):
        dispatch.plan_run(
            db,
            "Ana",
            volunteer_id=volunteer.id,
            date=DAY,
            window_start=window[0],
            window_end=window[1],
            request_ids=ids,
        )


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, whitespace made single spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages]


def write_day(db: Database, path: Path) -> list[str]:
    printing.write_pdf(route_sheets.sheets_for_day(db, DAY), path, data_dir=db.path.parent)
    return pdf_pages(path)


def test_each_sheet_prints_in_its_volunteers_language(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    make_day(db)
    i18n.set_language("es", "US")  # the UI's language does not matter: the volunteer's does
    spanish, english = write_day(db, tmp_path / "day.pdf")
    assert "Hoja de ruta" in spanish and "Route sheet" not in spanish
    assert "Lunes, 23 nov 2026" in spanish
    assert "9:00 a.m. – 12:00 p.m." in spanish
    assert "Voluntario: Lucía Romero" in spanish
    assert "Mandado / despensa" in spanish and "Norte" in spanish
    assert "Habla: español" in spanish and "Habla: polaco" in spanish
    assert "Dieta: Sin cerdo" in spanish
    assert "Notas:" in spanish
    assert "Route sheet" in english and "Hoja de ruta" not in english
    assert "Monday, Nov 23, 2026" in english
    assert "1:00 PM – 4:00 PM" in english
    assert "Volunteer: Tom Baker" in english
    assert "Groceries" in english and "North" in english
    assert "Speaks: Korean" in english


def test_nothing_private_goes_on_paper(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    make_day(db)
    spanish, english = write_day(db, tmp_path / "day.pdf")
    everything = spanish + " " + english
    # First names only.
    assert "María" in spanish and "López" not in everything and "José" not in everything
    assert "Peter" in spanish and "Novak" not in everything
    # The phone only with consent.
    assert "Teléfono: (617) 555-0123" in spanish
    assert "555-0188" not in everything
    assert "Phone: (617) 555-0111" in english
    # An anonymous caller: stop number and address, what to bring and how to get in; nothing that names them.
    assert "77 Quiet Ln" in spanish and "Knock twice" in spanish
    for private in ("Hidden", "555-0199", "SECRETDETAILS", "Halal"):
        assert private not in everything, private
    # Safety notes never.
    assert "Carlos" not in everything and "SECRETNOTE" not in everything
    # Delivery notes are for the driver.
    assert "Gate code 4411" in spanish


def test_no_font_fails_loudly_and_writes_nothing(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_day(db)
    monkeypatch.setattr(printing, "font_families", lambda: [])
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(printing.PrintFailed, match="No fonts are installed"):
        write_day(db, out / "day.pdf")
    assert list(out.iterdir()) == []


def test_a_pdf_without_any_embedded_font_is_refused(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Qt drops every glyph it has no font for and says nothing: the written file is checked too."""
    make_day(db)
    monkeypatch.setattr(printing, "PDF_FONT", b"/Type /NoSuchThing")
    out = tmp_path / "out"
    out.mkdir()
    (out / "day.pdf").write_bytes(b"yesterday's sheets")
    with pytest.raises(printing.PrintFailed, match="No fonts are installed"):
        write_day(db, out / "day.pdf")
    assert (out / "day.pdf").read_bytes() == b"yesterday's sheets", "the old file stays as it was"
    assert [p.name for p in out.iterdir()] == ["day.pdf"]


def test_a_run_without_stops_still_prints_its_sheet(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    make_day(db)
    [_spanish, english] = route_sheets.sheets_for_day(db, DAY)
    for stop_id in _stop_ids(db, english.run_id):
        dispatch.remove_stop(db, "Ana", stop_id)
    sheet = route_sheets.sheet_for_run(db, english.run_id)
    assert sheet is not None and sheet.stops == ()
    printing.write_pdf([sheet], tmp_path / "run.pdf", data_dir=db.path.parent)
    [page] = pdf_pages(tmp_path / "run.pdf")
    assert "This run has no stops." in page


def _stop_ids(db: Database, run_id: str) -> list[str]:
    from sqlalchemy import select

    from aiddesk.store.models import Stop

    with db.session() as s:
        return list(s.scalars(select(Stop.id).where(Stop.delivery_id == run_id, Stop.deleted.is_(False))))


def test_the_print_dialog_prints_to_the_chosen_printer(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

    make_day(db)
    parent = QWidget()
    qtbot.addWidget(parent)
    sheets = route_sheets.sheets_for_day(db, DAY)
    chosen: list[object] = []

    def print_on(printer: object) -> None:
        chosen.append(printer)
        printing.render(sheets, printer)  # type: ignore[arg-type]

    dialog = printing.open_print_dialog(parent, print_on)
    assert dialog.isVisible() and dialog.windowTitle() == "Print route sheets"
    # The user picks Qt's "Print to File (PDF)" (never a real printer from a test) and types a file name.
    printers = dialog.findChild(QComboBox, "printers")
    assert printers is not None
    printers.setCurrentIndex(printers.findText("Print to File (PDF)"))
    assert printers.currentText() == "Print to File (PDF)"
    file_name = dialog.findChild(QLineEdit, "filename")
    assert file_name is not None
    file_name.setText(str(tmp_path / "printed.pdf"))
    dialog.accept()
    assert len(chosen) == 1
    spanish, english = pdf_pages(tmp_path / "printed.pdf")
    assert "Hoja de ruta" in spanish and "Route sheet" in english


def test_a_cancelled_print_dialog_prints_nothing(qtbot: QtBot, db: Database) -> None:
    from PySide6.QtWidgets import QWidget

    make_day(db)
    parent = QWidget()
    qtbot.addWidget(parent)
    chosen: list[object] = []
    dialog = printing.open_print_dialog(parent, chosen.append)
    dialog.reject()
    assert chosen == []


def test_a_long_run_never_cuts_a_stop_across_two_pages(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    long_text = (
        "Two bags of rice, beans, cooking oil, milk, eggs, bread and fresh vegetables for the week. " * 2
    )
    with db.transaction("Ana") as tx:
        tom = Volunteer(id=tx.new_id(), code="V-3", name="Tom Baker", preferred_language="en")
        tx.session.add(tom)
        ids = []
        for n in range(1, 16):
            caller = person(
                tx,
                f"Caller{n:02d} Smith",
                address=f"{n} Long Street{n:02d}",
                consent=True,
                phone=f"+1617555{n:04d}",
                dietary_needs="No pork, no nuts",
                delivery_notes="Ring twice, " * 4,
            )
            ids.append(request(tx, caller, long_text))
    dispatch.plan_run(
        db, "Ana", volunteer_id=tom.id, date=DAY, window_start="09:00", window_end="12:00", request_ids=ids
    )
    pages = write_day(db, tmp_path / "long.pdf")
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        if "Caller" in page:
            assert "Who and where" in page, "every page of stops repeats the column headings"
    for n in range(1, 16):
        [where] = [i for i, page in enumerate(pages) if f"Caller{n:02d}" in page]
        assert f"Street{n:02d}" in pages[where] and f"555-{n:04d}" in pages[where], n


@pytest.mark.parametrize("region", ["US", "MX", "ES"])  # Letter, and A4 (narrower)
def test_a_run_of_eight_stops_prints_on_one_page(
    qtbot: QtBot, db: Database, tmp_path: Path, region: str
) -> None:
    """9 runs of 8 stops, with the longest texts a desk's callers usually have: 9 pages."""
    details = "Comida caliente para una pareja de ancianos, tres días por semana"
    with db.transaction("Ana") as tx:
        volunteers = [
            Volunteer(
                id=tx.new_id(), code=f"V-{n}", name=f"Driver{n} Ruiz", preferred_language=("es", "en")[n % 2]
            )
            for n in range(9)
        ]
        tx.session.add_all(volunteers)
        runs: list[list[str]] = [[] for _ in volunteers]
        for n in range(72):
            caller = person(
                tx,
                f"Caller{n:02d} Hernández",
                address=f"{1000 + n} Massachusetts Ave, Apt 12C",
                consent=True,
                phone=f"+1617555{n:04d}",
                language="es",
                needs_interpreter=n % 3 == 0,
                dietary_needs="Vegetariana, sin nueces",
                delivery_notes="El timbre no sirve, llamar al llegar",
            )
            runs[n // 8].append(request(tx, caller, details))
    for volunteer, ids in zip(volunteers, runs, strict=True):
        dispatch.plan_run(
            db,
            "Ana",
            volunteer_id=volunteer.id,
            date=DAY,
            window_start="09:00",
            window_end="12:00",
            request_ids=ids,
        )
    path = tmp_path / "day.pdf"
    printing.write_pdf(route_sheets.sheets_for_day(db, DAY), path, data_dir=db.path.parent, region=region)
    pages = pdf_pages(path)
    assert len(pages) == 9
    for n, page in enumerate(pages):
        assert "Page 1 of 1" in page or "Página 1 de 1" in page, n
        assert sum(f"Caller{k:02d}" in page for k in range(72)) == 8


def test_route_sheets_are_saved_owner_only_with_nothing_left_beside_them(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    """Route sheets name people and their addresses: the PDF is made in memory and saved as
    exports are, readable by its owner only, no temporary file left beside it, and a link as
    the target is refused rather than followed."""
    import os
    import stat

    from aiddesk.services.exchange.files import ExportRefused

    make_day(db)
    out = tmp_path / "out"
    out.mkdir()
    (out / "day.pdf").write_bytes(b"old")
    os.chmod(out / "day.pdf", 0o644)
    write_day(db, out / "day.pdf")
    assert [p.name for p in out.iterdir()] == ["day.pdf"]
    assert stat.S_IMODE((out / "day.pdf").stat().st_mode) == 0o600
    (out / "link.pdf").symlink_to(tmp_path / "elsewhere.pdf")
    with pytest.raises(ExportRefused):
        printing.write_pdf(route_sheets.sheets_for_day(db, DAY), out / "link.pdf", data_dir=db.path.parent)
    assert not (tmp_path / "elsewhere.pdf").exists()
