"""A realistic Google Forms responses sheet for the spreadsheet import tests, written as the
people who send them write them: long bilingual questions, Spanish answers, multi-select
needs, a caller already on the desk, a bad phone, a blank row, a formula (in the workbook)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from record_makers import add_person

from aiddesk.store.database import Database

HEADERS = [
    "Marca temporal",
    "Nombre completo (Full name)",
    "Número de teléfono / Phone number (we will call you back)",
    "Dirección / Address",
    "¿Qué necesita? (marque todas las que apliquen) / What do you need? (check all that apply)",
    "¿Qué tan urgente es? / How urgent is it?",
    "¿Cuántas personas viven en su hogar? / How many people live in your household?",
    "Idioma preferido / Preferred language",
    "¿Algo más que debamos saber? / Anything else we should know?",
    "¿Podemos contactarle? / May we contact you?",
]
# fmt: off
ROWS: list[list[Any]] = [
    ["2026/11/20 9:15:02 a. m. GMT-6", "María José Hernández", "(555) 201-3344", "1420 Calle Olmo, Apt 3",
     "Comida, Ropa", "Muy urgente", "4", "Español", "Tenemos un bebé de 8 meses", "Sí"],
    ["2026/11/20 10:02:45 a. m. GMT-6", "John Carter", "555.201.7788", "88 Pine St",
     "Groceries, Prescription pickup", "This week", "2", "English", "", "Yes"],
    ["2026/11/21 4:30:00 p. m. GMT-6", "Rosa Martinez", "555-201-9900", "7 Calle Sauce",
     "Medicinas", "En 2 o 3 días", "1", "Español", "", "Sí"],
    ["2026/11/21 6:12:09 p. m. GMT-6", "Pedro Gómez", "llámame", "300 Oak Ave",
     "Comida", "Urgente", "3", "Español", "", "Sí"],
    ["", "", "", "", "", "", "", "", "", ""],
    ["2026/11/22 8:00:00 a. m. GMT-6", "Carmen Ruiz", "555 201 6677", "12 Elm St",
     "Comida", "Esta semana", "=2+2", "Español", "", "Sí"],
    ["2026/11/22 11:45:30 a. m. GMT-6", "Lucía Ramírez", "555 201 4455", "45 Calle Luna",
     "Aventón / transporte, Comida caliente, Mandado / despensa", "Hoy", "Solo yo", "es",
     "Usa silla de ruedas", "Sí"],
]
# fmt: on
SHEET = "Respuestas de formulario 1"
ROW_OF = {"María": 2, "John": 3, "Rosa": 4, "Pedro": 5, "blank": 6, "Carmen": 7, "Lucía": 8}
FORMULA_CELL = "G7"  # Carmen's household size, "=2+2" in the workbook
VALUES = {"needs": {"Ropa": "other"}}  # what the coordinator says "Ropa" (clothing) means


def rosa(db: Database) -> str:
    """The caller already on the desk whom row 4 repeats (the same number, typed another way)."""
    return add_person(db, "TST-0001", "Rosa Martínez", phone="+15552019900", phone_raw="(555) 201-9900")


def write_csv(path: Path, rows: list[list[Any]] | None = None, *, bom: bool = True) -> Path:
    """As Google Forms downloads it (UTF-8 with a byte order mark), or without the mark."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        writer.writerows(ROWS if rows is None else rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]] | None = None, *, sheet: str = SHEET) -> Path:
    """As a Google Sheets download: the answers as typed, "=2+2" becomes a real formula."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    ws.append(HEADERS)
    for row in ROWS if rows is None else rows:
        ws.append([None if value == "" else value for value in row])
    book.save(path)
    return path


def mapping_json(**changes: Any) -> dict[str, Any]:
    """The MAP.json a coordinator saves for this form."""
    columns = {
        HEADERS[0]: "submitted_at",
        HEADERS[1]: "name",
        HEADERS[2]: "phone",
        HEADERS[3]: "address",
        HEADERS[4]: "needs",
        HEADERS[5]: "urgency",
        HEADERS[6]: "household_size",
        HEADERS[7]: "language",
        HEADERS[8]: "details",
        HEADERS[9]: "consent",
    }
    data = {
        "format": "aiddesk-sheet-mapping",
        "version": 1,
        "kind": "person_requests",
        "sheet": None,
        "header_row": 1,
        "columns": columns,
        "values": VALUES,
        "multi_separator": ",",
        "date_order": "mdy",
    }
    data.update(changes)
    return data
