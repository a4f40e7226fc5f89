"""The fields a foreign spreadsheet's columns can feed, and a first guess of which column feeds which.

Two kinds of sheet: callers with their needs (a row becomes a person and one request per
selected need) and a volunteer roster. Each field knows its type, the vocabulary its answers
are read with, how several columns feeding it are joined, and the words of a question (English
or Spanish) that suggest it. Pure: labels are English, marked N_."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from aiddesk.domain.markers import N_


class SheetKind(StrEnum):
    PERSON_REQUESTS = "person_requests"
    VOLUNTEERS = "volunteers"


KIND_LABELS: dict[SheetKind, str] = {
    SheetKind.PERSON_REQUESTS: N_("Callers and their needs"),
    SheetKind.VOLUNTEERS: N_("Volunteers (a roster)"),
}


class ValueType(StrEnum):
    TEXT = "text"
    PHONE = "phone"
    BOOL = "bool"
    COUNT = "count"  # a whole number
    DATE = "date"
    DATETIME = "datetime"
    CHOICE = "choice"  # one answer of a vocabulary
    MULTI = "multi"  # several answers of a vocabulary in one cell ("Food, Clothing")


# Answers whose meaning the user may set on the values page (and in MAP.json "values").
CHOICE_TYPES = (ValueType.BOOL, ValueType.CHOICE, ValueType.MULTI)


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str  # English, marked N_
    type: ValueType
    vocabulary: str = ""  # CHOICE and MULTI: need, zone, urgency, recurring, contact_method ...
    join: str | None = None  # how several columns feeding it are joined; None: one column only
    hints: tuple[str, ...] = ()  # words of a question that suggest this field (any case, accents)
    free: bool = False  # CHOICE: an answer the vocabulary does not know is kept as written


def _f(
    key: str,
    label: str,
    kind: ValueType,
    hints: str,
    vocabulary: str = "",
    join: str | None = None,
    free: bool = False,
) -> FieldSpec:
    return FieldSpec(key, label, kind, vocabulary, join, tuple(hints.split("|")), free)


# fmt: off
T, P, B, C, D = ValueType.TEXT, ValueType.PHONE, ValueType.BOOL, ValueType.COUNT, ValueType.DATE
CHOICE, MULTI = ValueType.CHOICE, ValueType.MULTI
# Hints: words of a question, "|" between them, written without accents (headers are folded).
_NAME = "name|full name|first name|last name|nombre|nombre completo|apellido|apellidos"
_PHONE = "phone|phone number|telephone|cell|cell phone|mobile|telefono|numero de telefono|celular|movil|whatsapp|tel"
_EMAIL = "email|e mail|email address|correo|correo electronico|direccion de correo electronico"

PERSON_FIELDS: tuple[FieldSpec, ...] = (
    _f("name", N_("Name"), T, _NAME, join=" "),
    _f("phone", N_("Phone"), P, _PHONE),
    _f("phone2", N_("Second phone"), P, "other phone|second phone|alternate phone|another phone|otro telefono|"
       "segundo telefono|telefono alternativo"),
    _f("email", N_("E-mail"), T, _EMAIL),
    _f("language", N_("Language"), CHOICE, "language|preferred language|idioma|lengua|what language|que idioma",
       vocabulary="language", free=True),
    _f("needs_interpreter", N_("Needs an interpreter"), B, "interpreter|interpretation|interprete"),
    _f("address", N_("Address"), T, "address|home address|street|street address|direccion|domicilio|calle|zip|"
       "zip code|postal code|codigo postal|city|ciudad", join=", "),
    _f("zone", N_("Zone"), CHOICE, "zone|zona|area|neighborhood|neighbourhood|barrio|colonia|sector",
       vocabulary="zone"),
    _f("household_size", N_("Household size"), C, "household|household size|how many people|"
       "people in your household|cuantas personas|personas en su hogar|hogar|familia"),
    _f("elevated_risk", N_("Elevated risk"), B, "risk|high risk|at risk|riesgo|alto riesgo|immunocompromised|"
       "inmunodeprimido"),
    _f("dietary_needs", N_("Dietary needs"), T, "dietary|diet|allergies|allergy|dieta|alergias|"
       "restricciones alimentarias|dietary restrictions", join="\n"),
    _f("delivery_notes", N_("Delivery notes"), T, "delivery instructions|delivery notes|gate code|"
       "instrucciones de entrega|notas de entrega|notes for the driver", join="\n"),
    _f("safety_notes", N_("Safety notes"), T, "safety|seguridad", join="\n"),
    _f("consent", N_("Consent to be contacted"), B, "consent|consentimiento|permission|permiso|i agree|acepto|"
       "autorizo|may we contact|podemos contactarle"),
    _f("anonymous", N_("Anonymous"), B, "anonymous|anonimo|anonima|anonimato"),
    _f("contact_method", N_("Contact by"), CHOICE, "contact method|preferred contact|how should we contact|"
       "how can we reach|como prefiere|medio de contacto|como podemos comunicarnos", vocabulary="contact_method"),
    _f("contact_time", N_("Best time to contact"), T, "best time|time to call|mejor hora|horario|a que hora"),
    _f("needs", N_("Needs (one request each)"), MULTI, "need|needs|what do you need|what kind of help|type of help|"
       "help with|que necesita|necesita|necesidad|necesidades|tipo de ayuda|que tipo de ayuda|ayuda con|request",
       vocabulary="need", join=","),
    _f("urgency", N_("Urgency"), CHOICE, "urgent|urgency|how urgent|how soon|urgencia|urgente|que tan urgente|"
       "que tan pronto|para cuando", vocabulary="urgency"),
    _f("recurring", N_("How often"), CHOICE, "how often|recurring|frequency|frecuencia|con que frecuencia|"
       "cada cuanto", vocabulary="recurring"),
    _f("details", N_("Request details"), T, "details|detalles|anything else|algo mas|comments|comentarios|notes|"
       "notas|describe|describa|explain|explique|tell us more|cuentenos", join="\n"),
    _f("submitted_at", N_("Date of the request"), ValueType.DATETIME, "timestamp|marca temporal|submitted|date|"
       "fecha|fecha de envio"),
)

VOLUNTEER_FIELDS: tuple[FieldSpec, ...] = (
    _f("name", N_("Name"), T, _NAME, join=" "),
    _f("phone", N_("Phone"), P, _PHONE),
    _f("email", N_("E-mail"), T, _EMAIL),
    _f("languages", N_("Languages"), MULTI, "languages|language|idiomas|idioma|what languages|que idiomas|"
       "languages you speak", vocabulary="language", join=","),
    _f("skills", N_("Skills"), MULTI, "skills|habilidades|how can you help|como puede ayudar|what can you do|"
       "que puede hacer|roles|tasks|tareas", vocabulary="skill", join=","),
    _f("preferred_language", N_("Route sheet language"), CHOICE, "preferred language|idioma preferido|"
       "route sheet language", vocabulary="sheet_language"),
    _f("zones", N_("Zones"), MULTI, "zones|zone|zonas|zona|areas|area|neighborhoods|barrios|where can you help|"
       "donde puede ayudar", vocabulary="zone", join=","),
    _f("availability", N_("Availability"), MULTI, "availability|available|when are you available|disponibilidad|"
       "disponible|cuando puede|days|dias", vocabulary="availability", join=","),
    _f("trained", N_("Trained"), B, "trained|training|capacitado|capacitada|capacitacion|entrenamiento"),
    _f("checked_on", N_("Checked on"), D, "checked on|background check|verified|verificado|verificacion|"
       "revision de antecedentes"),
    _f("max_runs_week", N_("Runs per week"), C, "runs per week|how many times a week|times per week|"
       "cuantas veces por semana|veces por semana"),
    _f("notes", N_("Notes"), T, "notes|notas|comments|comentarios|anything else|algo mas", join="\n"),
)
# fmt: on

FIELDS: dict[SheetKind, dict[str, FieldSpec]] = {
    SheetKind.PERSON_REQUESTS: {f.key: f for f in PERSON_FIELDS},
    SheetKind.VOLUNTEERS: {f.key: f for f in VOLUNTEER_FIELDS},
}

_WORDS = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Case, accents and spacing ignored ("  ¿Teléfono?" -> "¿telefono?")."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def words(text: str) -> str:
    """Only the words, folded, one space apart ("¿Cuál es su Teléfono?" -> "cual es su telefono")."""
    return " ".join(_WORDS.findall(fold(text).replace("_", " ")))


def _score(header: str, spec: FieldSpec) -> int:
    """How strongly the header suggests the field: the length of the longest hint it holds as
    whole words (0: none)."""
    padded = f" {words(header)} "
    return max((len(h) for h in (words(hint) for hint in spec.hints) if h and f" {h} " in padded), default=0)


def suggest_columns(kind: SheetKind, headers: list[str]) -> dict[int, str]:
    """A first guess: column index -> field key. The most specific hint wins ("other phone" over
    "phone"); a field fed by one column only goes to the column that suggests it most."""
    specs = FIELDS[kind]
    scored = sorted(
        (
            (score, -index, -position, index, spec.key)
            for index, header in enumerate(headers)
            for position, spec in enumerate(specs.values())
            if (score := _score(header, spec))
        ),
        reverse=True,
    )
    chosen: dict[int, str] = {}
    taken: set[str] = set()
    for *_rank, index, key in scored:
        if index in chosen or (key in taken and specs[key].join is None):
            continue
        chosen[index] = key
        taken.add(key)
    return dict(sorted(chosen.items()))
