"""What a spreadsheet answer means: yes/no in English or Spanish, urgency words, languages, need
categories and zones by their English or Spanish label, counts, dates, availability.

Pure. `Vocabulary` holds the words each choice is recognised by (built-in synonyms, the desk's
need categories and zones, and the translated labels the service adds). Answers AidDesk cannot
read raise CellError with an English message marked N_."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aiddesk.domain import availability as av
from aiddesk.domain.enums import ContactMethod, Recurring, Skill, Urgency
from aiddesk.domain.markers import N_
from aiddesk.domain.sheet_fields import fold, words


class CellError(ValueError):
    """An answer that cannot be used; the row is not stored."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


@dataclass(frozen=True)
class LabelChoice:
    """A need category or zone of the desk."""

    id: str
    key: str | None  # the default's key ("groceries"), None for the desk's own
    label_en: str
    label_es: str


# fmt: off
# Words, "|" between them, written without accents (answers are folded before they are looked up).
YES = "yes|y|si|s|true|1|x|ok|okay|verdadero|cierto|claro|agree|i agree|acepto|de acuerdo|checked"
NO = "no|n|false|0|falso|none|ninguno|ninguna|nope"

_SYNONYMS: dict[str, dict[str, str]] = {
    "urgency": {
        Urgency.WITHIN_24H: "urgent|very urgent|urgente|muy urgente|today|hoy|asap|emergency|emergencia|"
                            "within 24 hours|en 24 horas|dentro de 24 horas|lo antes posible|right away|de inmediato",
        Urgency.DAYS_2_3: "in 2 3 days|2 3 days|2 or 3 days|a few days|soon|somewhat urgent|algo urgente|pronto|"
                          "en 2 3 dias|2 3 dias|en 2 o 3 dias|unos dias|en unos dias",
        Urgency.THIS_WEEK: "this week|esta semana|within a week|en una semana|en la semana",
        Urgency.FLEXIBLE: "flexible|not urgent|no urgente|no es urgente|no rush|sin prisa|whenever|"
                          "cuando se pueda|cuando puedan|anytime",
    },
    "recurring": {
        Recurring.ONCE: "once|one time|just once|una vez|solo una vez",
        Recurring.WEEKLY: "weekly|every week|each week|semanal|cada semana|todas las semanas",
        Recurring.OCCASIONALLY: "occasionally|now and then|sometimes|de vez en cuando|a veces|ocasionalmente",
    },
    "contact_method": {
        ContactMethod.PHONE: "phone|phone call|call|llamada|llamar|telefono|por telefono",
        ContactMethod.TEXT: "text|text message|sms|whatsapp|mensaje|mensaje de texto|texto",
        ContactMethod.EMAIL: "email|e mail|correo|correo electronico",
        ContactMethod.NONE: "do not contact|no contactar|none|ninguno",
    },
    "skill": {
        Skill.DRIVER: "driver|drive|driving|i can drive|maneja|manejar|conducir|chofer|puedo manejar",
        Skill.HAS_CAR: "has a car|car|i have a car|carro|coche|auto|tengo carro|tiene carro|vehiculo",
        Skill.SHOPPING: "shopping|shop|groceries|compras|hacer compras|hace compras|mandados",
        Skill.PHONE_LINE: "phone line|phones|answer phones|answering phones|atiende el telefono|"
                          "contestar telefonos|linea telefonica",
        Skill.TRANSLATION: "translation|translate|interpreting|traduccion|traducir|traduce|interpretacion",
        Skill.CHILDCARE: "childcare|child care|babysitting|cuidado de ninos|cuida ninos|cuidar ninos",
        Skill.CHECK_IN_CALLS: "check in calls|check ins|wellness calls|llamadas para ver como estan|"
                              "llamadas de seguimiento",
        Skill.PET_CARE: "pet care|pets|cuidado de mascotas|cuida mascotas|mascotas",
    },
}

# Language names in English and Spanish -> ISO 639 code (people may speak any language).
_LANGUAGES: dict[str, str] = {
    "en": "english|ingles|en|eng", "es": "spanish|espanol|castellano|es|spa", "vi": "vietnamese|vietnamita",
    "zh": "chinese|chino|mandarin", "yue": "cantonese|cantones", "pt": "portuguese|portugues",
    "fr": "french|frances", "ht": "haitian creole|creole|kreyol|criollo haitiano|creole haitiano",
    "ar": "arabic|arabe", "ru": "russian|ruso", "ko": "korean|coreano", "tl": "tagalog|filipino",
    "so": "somali", "am": "amharic|amharico", "uk": "ukrainian|ucraniano", "fa": "farsi|persian|persa",
    "hi": "hindi", "ne": "nepali", "qu": "quechua", "quc": "kiche|k iche|quiche", "mam": "mam",
    "ase": "asl|american sign language|lengua de senas",
}

# Need categories by their default key: what a form's answer may call them.
_NEED_SYNONYMS: dict[str, str] = {
    "groceries": "food|groceries|grocery|comida|alimentos|despensa|mandado|viveres|food bank|banco de comida",
    "prescriptions": "medicine|medicines|medication|prescriptions|prescription|pharmacy|medicinas|medicamentos|"
                     "recetas|farmacia",
    "rides": "ride|rides|transportation|transport|transporte|aventon|raite",
    "childcare": "childcare|child care|babysitting|cuidado de ninos|ninos|guarderia",
    "rent": "rent|rent help|renta|alquiler|ayuda con la renta|pago de renta",
    "hot_meals": "meals|hot meals|hot meal|comidas|comida caliente|comida preparada",
    "hygiene": "hygiene|toiletries|hygiene supplies|higiene|articulos de higiene|diapers|panales",
    "check_in": "check in|check in call|wellness check|llamada|llamada de seguimiento",
    "pet_care": "pet care|pets|pet food|mascotas|comida para mascotas",
    "other": "other|otro|otra|otra cosa",
}

_DAYS = ("monday|mon|lunes|lun", "tuesday|tue|tues|martes|mar", "wednesday|wed|miercoles|mie",
         "thursday|thu|thurs|jueves|jue", "friday|fri|viernes|vie", "saturday|sat|sabado|sab", "sunday|sun|domingo|dom")
_GROUPS = {"weekdays|weekday|entre semana": (0, 1, 2, 3, 4), "weekends|weekend|fines de semana|fin de semana": (5, 6)}
_SLOTS = ("morning|mornings|am|manana|mananas", "afternoon|afternoons|pm|tarde|tardes",
          "evening|evenings|night|nights|noche|noches")
_ANYTIME = "anytime|any time|always|cualquier momento|cualquier dia|siempre|todo el tiempo"
# fmt: on

VOCABULARIES = (
    "need",
    "zone",
    "urgency",
    "recurring",
    "contact_method",
    "language",
    "sheet_language",
    "skill",
)


@dataclass
class Vocabulary:
    """The words each choice is recognised by: folded word -> value, per vocabulary."""

    needs: tuple[LabelChoice, ...] = ()
    zones: tuple[LabelChoice, ...] = ()
    words: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        needs: Iterable[LabelChoice],
        zones: Iterable[LabelChoice],
        labels: dict[str, dict[str, str]] | None = None,
    ) -> Vocabulary:
        """`labels`: more words per vocabulary (the enums' labels in each language)."""
        vocabulary = cls(tuple(needs), tuple(zones))
        table = vocabulary.words
        for name, values in _SYNONYMS.items():
            table[name] = {words(w): str(value) for value, ws in values.items() for w in (*_split(ws), value)}
        table["language"] = {words(w): code for code, ws in _LANGUAGES.items() for w in _split(ws)}
        table["sheet_language"] = {w: c for w, c in table["language"].items() if c in ("en", "es")}
        table["need"] = _label_words(vocabulary.needs, _NEED_SYNONYMS)
        table["zone"] = _label_words(vocabulary.zones, {})
        for name, extra in (labels or {}).items():
            for word, value in extra.items():
                table.setdefault(name, {}).setdefault(words(word), value)
        return vocabulary

    def resolve(self, vocabulary: str, text: str) -> str | None:
        """The value an answer stands for, or None when it is not known."""
        if vocabulary == "availability":
            mask = availability_of(text)
            return str(mask) if mask is not None else None
        return self.words.get(vocabulary, {}).get(words(text))

    def options(self, vocabulary: str) -> list[str]:
        """Every value of the vocabulary, in the usual order (the values page offers them)."""
        if vocabulary == "need":
            return [c.id for c in self.needs]
        if vocabulary == "zone":
            return [c.id for c in self.zones]
        return list(dict.fromkeys(self.words.get(vocabulary, {}).values()))


def _split(text: str) -> list[str]:
    return text.split("|")


def _label_words(choices: tuple[LabelChoice, ...], synonyms: dict[str, str]) -> dict[str, str]:
    """Words of each label: its id, key, whole labels and their parts ("Mandado / despensa"), then
    synonyms of default categories (never taking a word a label already holds)."""
    found: dict[str, str] = {}
    for choice in choices:
        names = [choice.id, choice.key or "", choice.label_en, choice.label_es]
        names += [part for label in (choice.label_en, choice.label_es) for part in label.split("/")]
        for name in names:
            if words(name):
                found.setdefault(words(name), choice.id)
    for choice in choices:
        for word in _split(synonyms.get(choice.key or "", "")):
            found.setdefault(words(word), choice.id)
    return found


# ---- reading one answer ------------------------------------------------------------------------


def yes_no(text: str) -> bool | None:
    """True, False, or None when the answer is neither ("Sí, doy permiso" is yes: its first word)."""
    if fold(text) in ("✓", "✔"):
        return True
    folded = words(text)
    if not folded:
        return None
    for candidate in (folded, folded.split()[0]):
        if candidate in _YES_WORDS:
            return True
        if candidate in _NO_WORDS:
            return False
    return None


_YES_WORDS = frozenset(words(w) for w in _split(YES))
_NO_WORDS = frozenset(words(w) for w in _split(NO))
_NUMBER = re.compile(r"\d+")
_ALONE = "just me|only me|me|myself|solo yo|yo|yo sola|yo solo|solamente yo"


# Numbers people write in words, 1 to 20, in English and Spanish (folded: no accents).
_NUMBER_WORDS: dict[str, int] = {
    **{
        word: n
        for n, names in enumerate(
            (
                "zero|cero",
                "one|uno|una|un",
                "two|dos",
                "three|tres",
                "four|cuatro",
                "five|cinco",
                "six|seis",
                "seven|siete",
                "eight|ocho",
                "nine|nueve",
                "ten|diez",
                "eleven|once",
                "twelve|doce",
                "thirteen|trece",
                "fourteen|catorce",
                "fifteen|quince",
                "sixteen|dieciseis",
                "seventeen|diecisiete",
                "eighteen|dieciocho",
                "nineteen|diecinueve",
                "twenty|veinte",
            )
        )
        for word in _split(names)
    },
}
_TENS_AND = re.compile(r"\bdiez y (seis|siete|ocho|nueve)\b")  # "diez y seis": an older spelling of 16


def count(text: str, *, most: int) -> int:
    """A whole number from an answer like "4", "4 people", "tres", "two people", "Somos cinco" or
    "Solo yo". An answer with two different numbers ("2 adultos y 3 niños") is not one."""
    folded = words(text)
    if folded in _split(_ALONE):
        return 1
    folded = _TENS_AND.sub(lambda m: "dieci" + m.group(1), folded)
    digits = [int(n) for n in _NUMBER.findall(folded)]
    written = [_NUMBER_WORDS[w] for w in folded.split() if w in _NUMBER_WORDS]
    numbers = set(digits) | set(written)  # "3 (tres)" is one number, written twice
    if len(digits) > 1 or len(written) > 1 or len(numbers) != 1 or not 0 <= (number := min(numbers)) <= most:
        raise CellError(
            N_("“%(value)s” is not a whole number from 0 to %(max)d."), value=short(text), max=most
        )
    return number


def availability_of(text: str) -> int | None:
    """The weekly slots an answer names: days ("Monday", "fines de semana"), parts of the day
    ("mornings"), or both ("lunes en la tarde"); None when it names neither."""
    folded = words(text)
    if not folded:
        return None
    if folded in _split(_ANYTIME):
        return av.ALL
    padded = f" {folded} "

    def said(names: str) -> bool:
        return any(f" {name} " in padded for name in _split(names))

    days = {day for day, names in enumerate(_DAYS) if said(names)}
    days |= {day for names, group in _GROUPS.items() if said(names) for day in group}
    slots = {slot for slot, names in enumerate(_SLOTS) if said(names)}
    if not days and not slots:
        return None
    return av.from_slots(
        (day, slot) for day in (days or range(av.DAYS)) for slot in (slots or range(len(av.SLOTS)))
    )


_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](.*))?$")
_OTHER_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:[ T](.*))?$")
_TIME = re.compile(
    r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?\s*"
    r"(?:(?:gmt|utc)\s*([+-]\d{1,2})(?::?(\d{2}))?|z|[a-z]{3,4})?$"
)
DATE_ORDERS = ("mdy", "dmy")


def date_time(text: str, order: str) -> dt.datetime:
    """A date with an optional time ("2026/11/20 6:51:41 PM GMT-4", "20/11/2026 18:51"): naive
    when no zone is written (local time), aware when it is."""
    value = text.strip()
    if m := _ISO_DATE.match(value):
        year, month, day, rest = int(m[1]), int(m[2]), int(m[3]), m[4]
    elif m := _OTHER_DATE.match(value):
        first, second, year, rest = int(m[1]), int(m[2]), int(m[3]), m[4]
        year += 2000 if year < 100 else 0
        month, day = (first, second) if order == "mdy" else (second, first)
    else:
        raise CellError(
            N_("“%(value)s” is not a date AidDesk can read (write it like 2026-03-14)."), value=short(text)
        )
    try:
        day_value = dt.date(year, month, day)
    except ValueError:
        raise CellError(N_("“%(value)s” is not a date that exists."), value=short(text)) from None
    return _with_time(day_value, (rest or "").strip().lower(), text)


def _with_time(day: dt.date, rest: str, text: str) -> dt.datetime:
    if not rest:
        return dt.datetime.combine(day, dt.time())
    m = _TIME.match(rest)
    if m is None:
        raise CellError(
            N_("“%(value)s” is not a date AidDesk can read (write it like 2026-03-14)."), value=short(text)
        )
    hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
    meridiem = (m[4] or "").replace(".", "").replace(" ", "")
    if meridiem and not 1 <= hour <= 12:
        raise CellError(N_("“%(value)s” is not a time of day."), value=short(text))
    if meridiem:
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise CellError(N_("“%(value)s” is not a time of day."), value=short(text))
    zone = None
    if m[5] is not None:
        hours, minutes = int(m[5]), int(m[6] or 0)
        zone = dt.timezone(dt.timedelta(hours=hours, minutes=minutes if hours >= 0 else -minutes))
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)


def short(value: Any, limit: int = 60) -> str:
    """An answer quoted in a message: one line, not too long."""
    line = " ".join(str(value).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
