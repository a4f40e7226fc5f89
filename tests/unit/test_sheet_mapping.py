"""Sheet mappings (pure): the MAP.json format and its checks, the header-set key, the first guess
of which column feeds which field, and one row read the way the intake and roster forms read
what is typed — answers in English or Spanish, multi-select cells, values a spreadsheet mangled."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiddesk.domain import availability as av
from aiddesk.domain.defaults import NEED_CATEGORIES, ZONES, fixed_id
from aiddesk.domain.sheet_cells import split_answers
from aiddesk.domain.sheet_fields import SheetKind, suggest_columns
from aiddesk.domain.sheet_mapping import FORMAT, Binding, SheetMapping, bind, check, header_key
from aiddesk.domain.sheet_row import convert_row
from aiddesk.domain.sheet_values import (
    CellError,
    LabelChoice,
    Vocabulary,
    availability_of,
    count,
    date_time,
    yes_no,
)
from aiddesk.domain.validation import Invalid

TODAY = dt.date(2026, 11, 23)
NEED = {c.key: c.id_for("need_category") for c in NEED_CATEGORIES}
RENT = "11111111-2222-3333-4444-555555555555"


def vocabulary(*extra_needs: LabelChoice) -> Vocabulary:
    needs = [LabelChoice(c.id_for("need_category"), c.key, c.label_en, c.label_es) for c in NEED_CATEGORIES]
    zones = [LabelChoice(z.id_for("zone"), z.key, z.label_en, z.label_es) for z in ZONES]
    return Vocabulary.build([*needs, *extra_needs], zones)


WORDS = vocabulary(LabelChoice(RENT, None, "Rent, utilities", "Renta, luz y agua"))


def person_mapping(columns: dict[str, str], **changes: Any) -> SheetMapping:
    return SheetMapping(SheetKind.PERSON_REQUESTS, columns, **changes)


def read(columns: dict[str, str], row: list[Any], **changes: Any) -> Any:
    headers = list(columns)
    binding = bind(person_mapping(columns, **changes), headers, WORDS)
    return convert_row(binding, WORDS, row, 2, region="US", today=TODAY)


def messages(outcome: Any) -> list[tuple[int | None, str]]:
    return [(p.column, p.message % p.params) for p in outcome.problems]


# ---- the file format ---------------------------------------------------------------------------


def test_json_round_trip() -> None:
    mapping = person_mapping(
        {"Nombre": "name", "Teléfono": "phone", "Comentarios": ""},
        values={"needs": {"Ropa": "other", "Nada": None}},
        defaults={"urgency": "this_week"},
        sheet="Respuestas",
        header_row=2,
        multi_separator=";",
        date_order="dmy",
    )
    data = mapping.to_json()
    assert data["format"] == FORMAT and data["version"] == 1 and data["kind"] == "person_requests"
    assert SheetMapping.from_json(data) == mapping


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "This file is not an AidDesk sheet mapping."),
        ({"format": "aiddesk-exchange"}, "This file is not an AidDesk sheet mapping."),
        ({"format": FORMAT}, "The mapping file has no version number."),
        (
            {"format": FORMAT, "version": 2},
            "This mapping was made by a newer AidDesk (format version 2); update AidDesk to use it.",
        ),
        (
            {"format": FORMAT, "version": 1, "kind": "callers", "columns": {}},
            "“kind” must be “person_requests” or “volunteers”.",
        ),
        (
            {"format": FORMAT, "version": 1, "kind": "volunteers", "columns": ["Name"]},
            "“columns” must map each column's header to a field key.",
        ),
        (
            {"format": FORMAT, "version": 1, "kind": "volunteers", "columns": {}, "header_row": 0},
            "“header_row” must be a row number from 1 to 1000.",
        ),
        (
            {"format": FORMAT, "version": 1, "kind": "volunteers", "columns": {}, "multi_separator": ""},
            "“multi_separator” must be one to three characters, like a comma.",
        ),
        (
            {"format": FORMAT, "version": 1, "kind": "volunteers", "columns": {}, "date_order": "ymd"},
            "“date_order” must be “mdy” or “dmy”.",
        ),
    ],
)
def test_malformed_files_say_what_is_wrong(data: Any, message: str) -> None:
    with pytest.raises(Invalid) as refused:
        SheetMapping.from_json(data)
    assert message in [p.message % p.params for p in refused.value.problems]


def test_checks_name_every_problem_of_fields_and_meanings() -> None:
    mapping = person_mapping(
        {"Tel": "phone", "Cel": "phone", "Edad": "age"},
        values={"urgency": {"Mañana": "tomorrow"}, "needs": {"Ropa": "clothes"}, "shoe_size": {"9": "9"}},
        defaults={"consent": "perhaps"},
    )
    _answers, _defaults, problems = check(mapping, WORDS)
    texts = [p.message % p.params for p in problems]
    assert texts == [
        "“age” (for the column “Edad”) is not a field of Callers and their needs.",
        "Only one column can feed Phone, but 2 do.",
        "“tomorrow” is not one of the choices for Urgency.",
        "“clothes” is not one of the choices for Needs (one request each).",
        "“shoe_size” is not a field of this kind of sheet.",
        "“perhaps” is not yes or no.",
    ]
    assert [p.field for p in problems][-2:] == ["values.shoe_size", "defaults.consent"]


def test_a_sheet_needs_a_column_for_who_it_is_about() -> None:
    problems = check(person_mapping({"Notas": "details"}), WORDS)[2]
    assert [p.message for p in problems] == ["No column feeds the caller's name or phone number."]
    problems = check(SheetMapping(SheetKind.VOLUNTEERS, {"Phone": "phone"}), WORDS)[2]
    assert [p.message for p in problems] == ["No column feeds the volunteer's name."]


def test_meanings_may_be_keys_ids_or_labels_in_either_language() -> None:
    mapping = person_mapping(
        {"Nombre": "name", "Necesita": "needs"},
        values={"needs": {"Ropa": "other", "Pañales": "Artículos de higiene", "Renta": RENT, "Nada": None}},
    )
    answers, _defaults, problems = check(mapping, WORDS)
    assert not problems
    assert answers["needs"] == {
        "ropa": (NEED["other"],),
        "panales": (NEED["hygiene"],),
        "renta": (RENT,),
        "nada": None,
    }


def test_binding_finds_columns_by_header_whatever_the_case_and_refuses_missing_or_twice() -> None:
    binding = bind(person_mapping({"NOMBRE": "name"}), ["Marca temporal", "Nombre"], WORDS)
    assert [(i, spec.key) for i, spec in binding.columns] == [(1, "name")]
    with pytest.raises(Invalid) as refused:
        bind(person_mapping({"Nombre": "name", "Teléfono": "phone"}), ["Nombre", "nombre"], WORDS)
    assert [p.message % p.params for p in refused.value.problems] == [
        "Two columns of the sheet are titled “Nombre”; rename one.",
        "The sheet has no column “Teléfono”.",
    ]


def test_header_key_is_the_set_of_questions() -> None:
    key = header_key(["Nombre", "Teléfono", "¿Qué necesita?"])
    assert key == header_key(["¿qué necesita?", "TELEFONO", "nombre", ""])
    assert key != header_key(["Nombre", "Teléfono"])
    assert len(key) <= 60  # the settings table's key


# ---- the first guess ---------------------------------------------------------------------------


def test_google_forms_questions_suggest_their_fields() -> None:
    headers = [
        "Timestamp",
        "Email Address",
        "What is your full name?",
        "Phone number (we will call you back)",
        "Other phone (a neighbour, a relative)",
        "Street address",
        "ZIP code",
        "What do you need? Check all that apply",
        "How urgent is it?",
        "How many people live in your household?",
        "Which language do you prefer?",
        "Anything else we should know?",
        "Favourite colour",
    ]
    guessed = {headers[i]: key for i, key in suggest_columns(SheetKind.PERSON_REQUESTS, headers).items()}
    assert guessed == {
        "Timestamp": "submitted_at",
        "Email Address": "email",
        "What is your full name?": "name",
        "Phone number (we will call you back)": "phone",
        "Other phone (a neighbour, a relative)": "phone2",
        "Street address": "address",
        "ZIP code": "address",
        "What do you need? Check all that apply": "needs",
        "How urgent is it?": "urgency",
        "How many people live in your household?": "household_size",
        "Which language do you prefer?": "language",
        "Anything else we should know?": "details",
    }


def test_spanish_questions_suggest_their_fields() -> None:
    headers = [
        "Marca temporal",
        "Dirección de correo electrónico",
        "Nombre",
        "Apellidos",
        "Celular",
        "Dirección",
        "Código postal",
        "¿Qué necesita?",
        "Urgencia",
        "Idioma",
        "¿Necesita intérprete?",
        "¿Está de acuerdo en que le contactemos? Acepto",
    ]
    guessed = [key for _i, key in sorted(suggest_columns(SheetKind.PERSON_REQUESTS, headers).items())]
    assert guessed == [
        "submitted_at",
        "email",
        "name",
        "name",
        "phone",
        "address",
        "address",
        "needs",
        "urgency",
        "language",
        "needs_interpreter",
        "consent",
    ]


# ---- answers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("Sí", True), ("si", True), ("SÍ", True), ("x", True), ("1", True), ("TRUE", True), ("yes", True),
        ("Sí, doy mi permiso", True), ("Acepto", True), ("✓", True),
        ("No", False), ("no, gracias", False), ("false", False), ("0", False),
        ("", None), ("tal vez", None),
    ],
)  # fmt: skip
def test_yes_and_no_in_english_or_spanish(text: str, answer: bool | None) -> None:
    assert yes_no(text) is answer


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("Muy urgente", "within_24h"), ("URGENT", "within_24h"), ("Hoy", "within_24h"),
        ("En 2 o 3 días", "days_2_3"), ("In 2–3 days", "days_2_3"), ("pronto", "days_2_3"),
        ("Esta semana", "this_week"), ("this week", "this_week"),
        ("No es urgente", "flexible"), ("Cuando se pueda", "flexible"), ("flexible", "flexible"),
    ],
)  # fmt: skip
def test_urgency_words(text: str, urgency: str) -> None:
    assert WORDS.resolve("urgency", text) == urgency


def test_needs_and_zones_by_label_in_either_language_accents_and_case_aside() -> None:
    assert WORDS.resolve("need", "mandado / DESPENSA") == NEED["groceries"]
    assert WORDS.resolve("need", "despensa") == NEED["groceries"]
    assert WORDS.resolve("need", "Recoger medicinas") == NEED["prescriptions"]
    assert WORDS.resolve("need", "aventon") == NEED["rides"]
    assert WORDS.resolve("need", "Food") == NEED["groceries"]
    assert WORDS.resolve("need", "Ropa") is None
    assert WORDS.resolve("zone", "centro") == fixed_id("zone", "downtown")
    assert WORDS.resolve("language", "Español") == "es"
    assert WORDS.resolve("language", "vietnamita") == "vi"


@pytest.mark.parametrize(("text", "number"), [("4", 4), ("4 personas", 4), ("Solo yo", 1), (" 12 ", 12)])
def test_counts(text: str, number: int) -> None:
    assert count(text, most=99) == number


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("tres", 3),
        ("Two", 2),
        ("cinco personas", 5),
        ("Somos cuatro", 4),
        ("una", 1),
        ("Dieciséis", 16),
        ("diez y seis", 16),
        ("seventeen people", 17),
        ("veinte", 20),
        ("twenty", 20),
        ("3 (tres)", 3),
        ("ONCE", 11),
    ],
)
def test_counts_written_as_words_in_english_and_spanish(text: str, number: int) -> None:
    assert count(text, most=99) == number


@pytest.mark.parametrize(
    "text", ["2 adultos y 3 niños", "dos adultos y tres niños", "3 (cuatro)", "muchos", "150"]
)
def test_counts_that_are_not_one_number(text: str) -> None:
    with pytest.raises(CellError):
        count(text, most=99)


def test_dates_as_forms_write_them() -> None:
    gmt6 = dt.timezone(dt.timedelta(hours=-6))
    assert date_time("2026/11/20 6:51:41 PM GMT-6", "mdy") == dt.datetime(
        2026, 11, 20, 18, 51, 41, tzinfo=gmt6
    )
    assert date_time("2026/11/20 9:15:02 a. m. GMT-6", "mdy") == dt.datetime(
        2026, 11, 20, 9, 15, 2, tzinfo=gmt6
    )
    assert date_time("11/20/2026 18:51:41", "mdy") == dt.datetime(2026, 11, 20, 18, 51, 41)
    assert date_time("20/11/2026 18:51", "dmy") == dt.datetime(2026, 11, 20, 18, 51)
    assert date_time("2026-03-04", "dmy") == dt.datetime(2026, 3, 4)
    assert date_time("03/04/26", "dmy") == dt.datetime(2026, 4, 3)
    for bad in ("20/11/2026", "ayer", "2026-02-30", "2026-01-01 25:00"):
        with pytest.raises(CellError):
            date_time(bad, "mdy")


def test_availability_in_words() -> None:
    assert availability_of("Lunes por la mañana") == av.from_slots([(0, 0)])
    assert availability_of("weekends") == av.from_slots(
        [(5, s) for s in range(3)] + [(6, s) for s in range(3)]
    )
    assert availability_of("Evenings") == av.from_slots([(d, 2) for d in range(7)])
    assert availability_of("Cualquier momento") == av.ALL
    assert availability_of("when I can") is None


def test_multi_select_cells_keep_answers_that_hold_the_separator() -> None:
    def known(text: str) -> bool:
        return WORDS.resolve("need", text) is not None

    assert split_answers("Rent, utilities, Food", ",", known) == ["Rent, utilities", "Food"]
    assert split_answers("Comida,Ropa\nMedicinas", ",", known) == ["Comida", "Ropa", "Medicinas"]
    assert split_answers(" , ", ",", known) == []


# ---- one row -----------------------------------------------------------------------------------


COLUMNS = {
    "Nombre": "name",
    "Teléfono": "phone",
    "Necesita": "needs",
    "Urgencia": "urgency",
    "Notas": "details",
}


def test_a_caller_row_becomes_a_person_and_one_request_per_need() -> None:
    outcome = read(
        COLUMNS,
        ["  Ana   Gómez ", "(555) 201-3344", "Comida, Ropa, Rent, utilities", "Hoy", "Perro"],
        values={"needs": {"Ropa": "other"}},
    )
    assert outcome.ok and outcome.intake is not None
    assert outcome.intake.person["name"] == "Ana Gómez"
    assert outcome.intake.person["phone"] == "+15552013344"
    assert [(n.category_id, n.urgency, n.details) for n in outcome.intake.needs] == [
        (NEED["groceries"], "within_24h", "Perro"),
        (NEED["other"], "within_24h", "Ropa\nPerro"),
        (RENT, "within_24h", "Perro"),
    ]


def test_an_answer_mapped_to_nothing_is_left_out() -> None:
    outcome = read(COLUMNS, ["Ana", "5552013344", "Nada", "", ""], values={"needs": {"Nada": None}})
    assert outcome.ok and outcome.intake is not None and outcome.intake.needs == []


def test_cells_that_stop_a_row_name_their_column() -> None:
    outcome = read(COLUMNS, ["Ana", "5.55201E+9", "Comida, Ropa", "mañana temprano", ""])
    assert messages(outcome) == [
        (
            1,
            "The spreadsheet turned this phone number into 5.55201E+9 and its last digits are lost; type it again as text.",
        ),
        (
            2,
            "AidDesk does not know what “Ropa” means for Needs (one request each); say what it means among the answers of the mapping.",
        ),
        (
            3,
            "AidDesk does not know what “mañana temprano” means for Urgency; say what it means among the answers of the mapping.",
        ),
    ]


def test_a_row_with_neither_name_nor_phone_is_refused_like_the_intake_form() -> None:
    outcome = read(COLUMNS, ["", "", "Comida", "", ""])
    assert messages(outcome) == [(1, "Type the caller's phone number or name.")]


def test_what_a_spreadsheet_stored_as_numbers_and_dates() -> None:
    columns = {"Nombre": "name", "Teléfono": "phone", "Personas": "household_size", "Fecha": "submitted_at"}
    outcome = read(columns, ["Ana", 5552013344.0, 3.0, dt.datetime(2026, 11, 20, 9, 30)])
    assert outcome.ok and outcome.intake is not None
    assert outcome.intake.person["phone"] == "+15552013344"
    assert outcome.intake.person["household_size"] == 3
    assert outcome.submitted_at == dt.datetime(2026, 11, 20, 9, 30)
    assert [n.message % n.params for n in outcome.notes] == [
        "The spreadsheet stored this phone number as a number; it was read as 5552013344."
    ]
    refused = read(columns, ["Ana", dt.datetime(2026, 5, 5), 2.5, 45123.0])
    assert [c for c, _m in messages(refused)] == [1, 2, 3]


def test_formula_and_merged_cells_stop_their_row() -> None:
    binding = bind(person_mapping(COLUMNS), list(COLUMNS), WORDS)
    outcome = convert_row(
        binding, WORDS, ["Ana", "", "Comida", "", ""], 5, formulas={1}, merged={2}, region="US", today=TODAY
    )
    assert [(p.column, p.message) for p in outcome.problems] == [
        (1, "This cell holds a formula; AidDesk reads only typed answers."),
        (2, "This cell is merged with the one beside or above it; unmerge the cells and fill in each row."),
    ]


def test_a_local_number_is_kept_as_typed_with_a_note() -> None:
    outcome = read(COLUMNS, ["Ana", "201-3344", "", "", ""])
    assert outcome.ok and outcome.intake is not None
    assert (outcome.intake.person["phone"], outcome.intake.person["phone_raw"]) == (None, "201-3344")
    assert [n.message for n in outcome.notes] == [
        "This does not look like a complete phone number. It will be saved as typed."
    ]


def test_a_request_date_in_the_future_is_refused() -> None:
    outcome = read({"Nombre": "name", "Fecha": "submitted_at"}, ["Ana", "2027-01-05"])
    assert messages(outcome) == [(1, "This date is in the future.")]


def test_a_roster_row_becomes_volunteer_fields() -> None:
    columns = {
        "Nombre": "name",
        "Idiomas": "languages",
        "¿Cómo puede ayudar?": "skills",
        "Días": "availability",
        "Capacitado": "trained",
        "Verificado el": "checked_on",
    }
    mapping = SheetMapping(SheetKind.VOLUNTEERS, columns)
    binding = bind(mapping, list(columns), WORDS)
    row = ["Lupe  Vega", "Español", "Maneja, Tiene carro", "Sábado, Domingo por la tarde", "Sí", "2026-10-01"]
    outcome = convert_row(binding, WORDS, row, 2, region="US", today=TODAY)
    volunteer = outcome.volunteer
    assert volunteer is not None
    assert (volunteer.name, volunteer.languages, volunteer.skills) == (
        "Lupe Vega",
        ("es",),
        ("driver", "has_car"),
    )
    assert volunteer.preferred_language == "es"
    assert volunteer.availability == av.from_slots([(5, 0), (5, 1), (5, 2), (6, 1)])
    assert (volunteer.trained, volunteer.checked_on) == (True, dt.date(2026, 10, 1))
    late = convert_row(binding, WORDS, ["Lupe", "", "", "", "", "2027-01-01"], 3, region="US", today=TODAY)
    assert [(p.column, p.message) for p in late.problems] == [(5, "The check date cannot be in the future.")]


_CELLS = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(-(10**12), 10**16),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(),
    st.times(),
)
_ALL_PERSON_COLUMNS = {
    key: key
    for key in (
        "submitted_at", "name", "phone", "phone2", "email", "language", "needs_interpreter", "address", "zone",
        "household_size", "elevated_risk", "consent", "contact_method", "needs", "urgency", "recurring", "details",
    )
}  # fmt: skip
_BINDING: Binding = bind(person_mapping(_ALL_PERSON_COLUMNS), list(_ALL_PERSON_COLUMNS), WORDS)


@given(st.lists(_CELLS, min_size=0, max_size=len(_ALL_PERSON_COLUMNS) + 2))
def test_any_cells_give_records_or_reasons_never_a_crash(cells: list[Any]) -> None:
    outcome = convert_row(_BINDING, WORDS, cells, 9, region="US", today=TODAY)
    assert outcome.ok == (outcome.intake is not None)
    for problem in outcome.problems:
        assert problem.message % problem.params


def test_the_documented_example_reads_as_documented() -> None:
    """docs/sheet-mapping.md: its Google Forms mapping is valid and the row it shows reads as it says."""
    import json
    import re
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "sheet-mapping.md").read_text(encoding="utf-8")
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", text, re.S) if '"columns": {\n' in b]
    (example,) = blocks
    mapping = SheetMapping.from_json(example)
    headers = list(mapping.columns)
    row = ["2026/11/20 9:15:02 a. m. GMT-6", "María José Hernández", "(555) 201-3344", "1420 Calle Olmo, Apt 3",
           "Comida, Ropa", "Muy urgente", "4", "Español", "Tenemos un bebé de 8 meses", "Sí"]  # fmt: skip
    outcome = convert_row(bind(mapping, headers, WORDS), WORDS, row, 2, region="US", today=TODAY)
    assert outcome.intake is not None
    person, needs = outcome.intake.person, outcome.intake.needs
    assert (person["phone"], person["language"], person["household_size"], person["consent"]) == (
        "+15552013344",
        "es",
        4,
        True,
    )
    assert [(n.category_id, n.urgency, n.details) for n in needs] == [
        (NEED["groceries"], "within_24h", "Tenemos un bebé de 8 meses"),
        (NEED["other"], "within_24h", "Ropa\nTenemos un bebé de 8 meses"),
    ]
    assert outcome.submitted_at is not None
    assert outcome.submitted_at.astimezone(dt.UTC).replace(tzinfo=None) == dt.datetime(
        2026, 11, 20, 15, 15, 2
    )
