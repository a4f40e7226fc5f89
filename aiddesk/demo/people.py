"""Demo callers, their calls and the volunteer roster, drawn from one random.Random(seed).

Used by aiddesk.demo.desk; every draw happens in a fixed order, so the same seed
gives the same content. Rows are keyed by numbers here; demo.py gives them uuid4 ids (never drawn from
the seeded generator)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Generic, TypeVar

from aiddesk.demo import content
from aiddesk.domain import defaults
from aiddesk.domain.enums import CallChannel, CallOutcome, Recurring, Skill, Urgency
from aiddesk.domain.enums import RequestStatus as S
from aiddesk.domain.phone import normalise

T = TypeVar("T")

# Request status by how many days ago the request came in (recent ones are mostly still open).
_STATUS_WEIGHTS: tuple[tuple[int, dict[S, float]], ...] = (
    (
        3,
        {
            S.NEW: 20,
            S.NEEDS_INFO: 10,
            S.CALL_BACK: 10,
            S.READY: 18,
            S.ASSIGNED: 6,
            S.OUT_FOR_DELIVERY: 2,
            S.DELIVERED: 14,
            S.FAILED: 3,
            S.DUPLICATE: 2,
            S.REFERRED_OUT: 2,
            S.OUT_OF_AREA: 1,
            S.WITHDRAWN: 1,
            S.UNABLE_TO_FULFILL: 1,
        },
    ),
    (
        14,
        {
            S.NEW: 3,
            S.NEEDS_INFO: 5,
            S.CALL_BACK: 5,
            S.READY: 8,
            S.ASSIGNED: 4,
            S.OUT_FOR_DELIVERY: 1,
            S.DELIVERED: 50,
            S.FAILED: 5,
            S.DUPLICATE: 3,
            S.REFERRED_OUT: 5,
            S.OUT_OF_AREA: 2,
            S.WITHDRAWN: 4,
            S.UNABLE_TO_FULFILL: 2,
        },
    ),
    (
        10_000,
        {
            S.NEW: 1,
            S.NEEDS_INFO: 2,
            S.CALL_BACK: 2,
            S.READY: 3,
            S.ASSIGNED: 1,
            S.OUT_FOR_DELIVERY: 0.3,
            S.DELIVERED: 64,
            S.FAILED: 6,
            S.DUPLICATE: 4,
            S.REFERRED_OUT: 6,
            S.OUT_OF_AREA: 2,
            S.WITHDRAWN: 6,
            S.UNABLE_TO_FULFILL: 3,
        },
    ),
)
_FAILURE_WEIGHTS = {"not_home": 50, "unreachable": 20, "bad_address": 15, "refused": 8, "other": 7}
_FIRST_CHANNEL = {
    CallChannel.PHONE: 72,
    CallChannel.VOICEMAIL: 8,
    CallChannel.TEXT: 6,
    CallChannel.WALK_IN: 7,
    CallChannel.REFERRAL: 7,
}
_LATER_CHANNEL = {
    CallChannel.PHONE: 80,
    CallChannel.VOICEMAIL: 10,
    CallChannel.TEXT: 8,
    CallChannel.WALK_IN: 2,
}
_LATER_OUTCOME = {
    CallOutcome.NEW_REQUEST: 40,
    CallOutcome.UPDATED_EXISTING: 20,
    CallOutcome.WILL_CALL_BACK: 8,
    CallOutcome.INFORMATION_ONLY: 12,
    CallOutcome.HUNG_UP: 6,
    CallOutcome.VOICEMAIL_LEFT: 9,
    CallOutcome.WRONG_NUMBER: 5,
}
_URGENCY = {Urgency.WITHIN_24H: 15, Urgency.DAYS_2_3: 30, Urgency.THIS_WEEK: 35, Urgency.FLEXIBLE: 20}
_HOUSEHOLD = {1: 25, 2: 25, 3: 18, 4: 14, 5: 9, 6: 5, 7: 2, 8: 2}
_EXTRA_SKILLS = (Skill.SHOPPING, Skill.CHECK_IN_CALLS, Skill.CHILDCARE, Skill.PET_CARE, Skill.PHONE_LINE)
_SKILL_ORDER = {skill: i for i, skill in enumerate(Skill)}
_DAYS_BACK = 60  # calls come in over the last 60 days, up to yesterday
_FIRST_MINUTE = content.LINE_OPENS_HOUR * 60
_LAST_MINUTE = content.LINE_CLOSES_HOUR * 60 - 15


class Weighted(Generic[T]):
    """A fast weighted choice drawn from a shared random.Random."""

    def __init__(self, rng: random.Random, weights: Mapping[T, float] | Sequence[tuple[T, float]]) -> None:
        pairs = list(weights.items()) if isinstance(weights, Mapping) else list(weights)
        self.rng = rng
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def pick(self) -> T:
        return self.items[bisect_right(self.cum, self.rng.random() * self.total)]


@dataclass(slots=True)
class CallMeta:
    local: dt.datetime  # when the call came in, local wall time
    taker: str
    text_lang: str  # language of what the volunteer typed
    requests: int


@dataclass(slots=True)
class StopPlan:
    """A request on its way to a delivery run (or moved along at the desk)."""

    request_id: int  # the request row's key (see PeopleMaker.key)
    status: S
    created: dt.datetime  # local wall time
    taker: str
    lang: str
    reason: str
    failure: str
    zone: str


class DemoRandom(random.Random):
    """random.Random with quicker choice/randint/randrange (one random() each): demo data draws millions."""

    def choice(self, seq: Any) -> Any:
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if step != 1:
            raise ValueError("DemoRandom.randrange takes no step")
        if stop is None:
            return int(self.random() * start)
        return start + int(self.random() * (stop - start))


class UuidSource:
    """Random version-4 UUIDs (as uuid.uuid4 makes them, from os.urandom), drawn in bulk: faster."""

    BATCH = 4096

    def __init__(self) -> None:
        self._ids: list[str] = []

    def __call__(self) -> str:
        if not self._ids:
            text = os.urandom(16 * self.BATCH).hex()
            self._ids = [
                f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"
                for h in (text[i : i + 32] for i in range(0, len(text), 32))
            ]
        return self._ids.pop()


def ascii_fold(text: str) -> str:
    """Letters without their accents, "Nguyễn Đức" -> "Nguyen Duc" (for made-up e-mail addresses)."""
    text = text.replace("Đ", "D").replace("đ", "d").replace("ø", "o").replace("Ø", "O")
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


class PeopleMaker:
    def __init__(self, seed: int, people: int, today: dt.date, region: str) -> None:
        self.rng = rng = DemoRandom(seed)
        # Rows are keyed by numbers while they are made; demo_generator gives them their ids.
        self.key = itertools.count(1).__next__
        self.today = today
        self.region = region
        self.people = people
        self.volunteer_count = max(12, people // 40)
        self.zone_ids = {z.key: z.id_for("zone") for z in defaults.ZONES}
        self.category_ids = {c.key: c.id_for("need_category") for c in defaults.NEED_CATEGORIES}
        self.reasons = frozenset(S(key) for key in content.STATUS_REASONS)
        self._e164: dict[str, str | None] = {}
        self._shapes: dict[tuple[int, str, str], tuple[str | None, str]] = {}
        self._utc_offsets: dict[dt.date, dt.timedelta] = {}
        slots = len(content.AREA_CODES) * content.LINES_PER_AREA
        self._numbers = iter(rng.sample(range(slots), people + self.volunteer_count))
        self._digits: list[str | None] = []  # per person, to type the same number again
        self._formats: list[int] = []
        self._person_rows: list[dict[str, Any]] = []
        self.same_callers: list[tuple[int, int]] = []  # (first, later): one caller recorded twice
        self._languages = Weighted(rng, content.CALLER_LANGUAGES)
        self._phone_formats = Weighted(rng, tuple((i, w) for i, (_, w) in enumerate(content.PHONE_FORMATS)))
        self._bad_formats = Weighted(rng, content.BAD_PHONE_FORMATS)
        self._zones = list(self.zone_ids)
        self._statuses = [(limit, Weighted(rng, weights)) for limit, weights in _STATUS_WEIGHTS]
        self._failures = Weighted(rng, _FAILURE_WEIGHTS)
        self._first_channel = Weighted(rng, _FIRST_CHANNEL)
        self._later_channel = Weighted(rng, _LATER_CHANNEL)
        self._later_outcome = Weighted(rng, _LATER_OUTCOME)
        self._urgency = Weighted(rng, _URGENCY)
        self._household = Weighted(rng, _HOUSEHOLD)
        self._categories = Weighted(rng, content.CATEGORY_WEIGHTS)
        self._calls = Weighted(rng, {1: 55, 2: 30, 3: 15})
        self._desk = content.DESK_VOLUNTEERS
        self._drivers: list[dict[str, Any]] = []
        self._turns: dict[tuple[int, str | None], tuple[list[dict[str, Any]], list[int]]] = {}

    # -- small draws --

    def utc(self, local: dt.datetime) -> dt.datetime:
        """Naive UTC of a local wall time (the offset at noon that day: demo times are daytime)."""
        day = local.date()
        offset = self._utc_offsets.get(day)
        if offset is None:
            noon = dt.datetime.combine(day, dt.time(12)).astimezone()
            offset = noon.utcoffset() or dt.timedelta(0)
            self._utc_offsets[day] = offset
        return local - offset

    def e164(self, raw: str) -> str | None:
        """The normalised number, once per distinct typed text (phonenumbers is slow)."""
        if raw not in self._e164:
            self._e164[raw] = normalise(raw, self.region).e164
        return self._e164[raw]

    def status_for_age(self, age: int) -> S:
        for limit, weighted in self._statuses:
            if age <= limit:
                return weighted.pick()
        raise AssertionError(age)

    def category(self) -> str:
        return self._categories.pick()

    def details(self, category: str, lang: str) -> str:
        return self.rng.choice(content.DETAILS[category][lang])

    def urgency(self) -> str:
        return str(self._urgency.pick())

    def recurring(self, category: str) -> str:
        roll = self.rng.random()
        weekly = 0.6 if category in ("check_in", "hot_meals") else 0.15
        if roll < weekly:
            return str(Recurring.WEEKLY)
        return str(Recurring.OCCASIONALLY if roll < weekly + 0.1 else Recurring.ONCE)

    def reason(self, status: S, lang: str) -> str:
        return self.rng.choice(content.STATUS_REASONS[status][lang])

    def failure_reason(self) -> str:
        return self._failures.pick()

    def failure_text(self, key: str, lang: str) -> str:
        return content.FAILURE_REASONS[key][lang]

    def coordinator(self) -> str:
        return self.rng.choice(self._desk)[0]

    def _note(self, table: dict[str, tuple[str, ...]], lang: str) -> str:
        return self.rng.choice(table["es" if lang == "es" else "en"])

    def run_note(self, volunteer: dict[str, Any]) -> str:
        return self._note(content.RUN_NOTES, volunteer["preferred_language"])

    def stop_note(self, volunteer: dict[str, Any]) -> str:
        return self._note(content.STOP_NOTES, volunteer["preferred_language"])

    def cancelled_note(self) -> str:
        return content.CANCELLED_RUN_NOTE

    def name(self, lang: str) -> str:
        rng = self.rng
        first = rng.choice(content.FIRST_NAMES[lang])
        last = rng.choice(content.LAST_NAMES[lang])
        if lang == "vi":
            return f"{last} {rng.choice(content.VI_MIDDLE)} {first}"
        if lang == "zh":
            return f"{last} {first}"
        if lang == "es" and rng.random() < 0.3:
            return f"{first} {last} {rng.choice(content.LAST_NAMES['es'])}"
        return f"{first} {last}"

    def email(self, name: str) -> str:
        parts = ascii_fold(name).lower().replace("'", "").split()
        return f"{parts[0]}.{parts[-1]}{self.rng.randint(1, 99)}@example.org"

    # -- phones --

    def _new_digits(self) -> str:
        slot = next(self._numbers)
        area = content.AREA_CODES[slot // content.LINES_PER_AREA]
        return f"{area}555{slot % content.LINES_PER_AREA:04d}"

    def _typed(self, digits: str, fmt: int) -> tuple[str, str | None]:
        """A number typed in format `fmt`, and its E.164.

        phonenumbers is slow, so it runs once per shape (format, area code, exchange): numbers
        of one shape differ only in their last four digits, which end the E.164 unchanged."""
        a, b, c = digits[:3], digits[3:6], digits[6:]
        raw = content.PHONE_FORMATS[fmt][0].format(a=a, b=b, c=c, x=self.rng.randint(2, 499))
        shape = (fmt, a, b)
        known = self._shapes.get(shape)
        if known is None:
            e164 = self.e164(raw)
            self._shapes[shape] = (e164, c)
            return raw, e164
        e164, line = known
        if e164 is None:
            return raw, None
        if e164.endswith(line):
            return raw, e164[:-4] + c
        return raw, self.e164(raw)

    def _bad(self, digits: str) -> str:
        a, b, c = digits[:3], digits[3:6], digits[6:]
        return self._bad_formats.pick().format(a=a, b=b, c=c, c3=c[:3])

    def _abroad(self) -> str:
        rng = self.rng
        template = rng.choice(content.ABROAD_FORMATS)
        return template.format(d3=f"{rng.randrange(1000):03d}", d4=f"{rng.randrange(10000):04d}")

    # -- people and calls --

    def person(self, i: int) -> tuple[dict[str, Any], list[tuple[dict[str, Any], CallMeta]]]:
        rng = self.rng
        digits: str | None = self._new_digits()
        fmt = self._phone_formats.pick()
        twin = self._twin_of(i)
        if i < len(content.SHOWCASE_PEOPLE):
            name, lang = content.SHOWCASE_PEOPLE[i]
        elif twin is not None:
            # The same caller recorded twice, or someone of the household, typed another way.
            other = self._person_rows[twin]
            lang = other["language"]
            same_caller = i == len(content.SHOWCASE_PEOPLE) or rng.random() < 0.6
            name = other["name"] if same_caller else self.name(lang)
            if same_caller:
                self.same_callers.append((twin, i))
            digits = self._digits[twin]
            fmt = (self._formats[twin] + 1 + rng.randrange(len(content.PHONE_FORMATS) - 1)) % len(
                content.PHONE_FORMATS
            )
        else:
            lang = self._languages.pick()
            name = self.name(lang)
        roll = rng.random()
        if digits is None or (twin is None and i >= len(content.SHOWCASE_PEOPLE) and roll < 0.02):
            raw, e164, digits = "", None, None  # a walk-in with no phone
        elif twin is None and i >= len(content.SHOWCASE_PEOPLE) and roll < 0.06:
            raw, digits = self._bad(digits), None
            e164 = self.e164(raw)
        else:
            raw, e164 = self._typed(digits, fmt)
        self._digits.append(digits)
        self._formats.append(fmt)
        row = self._person_row(name, lang, raw, e164)
        self._person_rows.append(row)
        return row, self._calls_of(row)

    def _twin_of(self, i: int) -> int | None:
        """An earlier person whose number this one shares (two forced, then about 3 %)."""
        showcase = len(content.SHOWCASE_PEOPLE)
        if i == showcase:
            return 0  # María José Hernández, recorded twice
        if i == showcase + 1:
            return 2  # José Núñez's household
        if i > showcase + 1 and self.rng.random() < 0.03:
            twin = self.rng.randrange(i)
            return twin if self._digits[twin] else None
        return None

    def _person_row(self, name: str, lang: str, raw: str, e164: str | None) -> dict[str, Any]:
        rng = self.rng
        note_lang = "es" if lang == "es" else "en"
        if rng.random() < 0.02:
            zone_id = None
            address = rng.choice(content.OUT_OF_AREA)
        else:
            zone = rng.choice(self._zones)
            zone_id = self.zone_ids[zone]
            unit = rng.choice(content.UNITS)
            address = f"{rng.randint(1, 399)} {rng.choice(content.STREETS[zone])}" + (
                f", {unit}" if unit else ""
            )
        phone2_raw, phone2 = "", None
        if rng.random() < 0.12:
            if rng.random() < 0.5:
                phone2_raw = self._abroad()
                phone2 = self.e164(phone2_raw)
            else:
                phone2_raw, phone2 = self._typed(self._new_digits_free(), 0)
        email = self.email(name) if rng.random() < 0.25 else ""
        consent = rng.random() < 0.92
        if not raw:
            contact = "email" if email else "none"
        else:
            roll = rng.random()
            contact = "phone" if roll < 0.6 else "text" if roll < 0.85 else "email" if email else "phone"
        interpreter = lang not in ("en", "es") and rng.random() < 0.75
        return {
            "id": self.key(),
            "code": None,
            "name": name,
            "phone": e164,
            "phone_raw": raw,
            "phone2": phone2,
            "phone2_raw": phone2_raw,
            "email": email,
            "language": lang,
            "needs_interpreter": interpreter,
            "address": address,
            "zone_id": zone_id,
            "household_size": self._household.pick(),
            "elevated_risk": rng.random() < 0.15,
            "dietary_needs": rng.choice(content.DIETARY[note_lang]) if rng.random() < 0.25 else "",
            "delivery_notes": rng.choice(content.DELIVERY_NOTES[note_lang]) if rng.random() < 0.35 else "",
            "safety_notes": rng.choice(content.SAFETY_NOTES[note_lang]) if rng.random() < 0.02 else "",
            "consent": consent,
            "consent_version": content.CONSENT_VERSION if consent else "",
            "anonymous": rng.random() < 0.02,
            "contact_method": contact,
            "contact_time": rng.choice(content.CONTACT_TIMES[note_lang]),
            "replaced_by": None,
            "erased": False,
        }

    def _new_digits_free(self) -> str:
        """A second number (may repeat another caller's: phones are shared in real life)."""
        slot = self.rng.randrange(len(content.AREA_CODES) * content.LINES_PER_AREA)
        area = content.AREA_CODES[slot // content.LINES_PER_AREA]
        return f"{area}555{slot % content.LINES_PER_AREA:04d}"

    def _calls_of(self, person: dict[str, Any]) -> list[tuple[dict[str, Any], CallMeta]]:
        rng = self.rng
        count = self._calls.pick()
        first_day = rng.randint(1, _DAYS_BACK)
        moments = [(first_day, rng.randint(_FIRST_MINUTE, _LAST_MINUTE))]
        moments += [
            (rng.randint(1, first_day), rng.randint(_FIRST_MINUTE, _LAST_MINUTE)) for _ in range(count - 1)
        ]
        moments.sort(key=lambda m: (-m[0], m[1]))
        calls = []
        for n, (days_ago, minute) in enumerate(moments):
            local = dt.datetime.combine(self.today - dt.timedelta(days=days_ago), dt.time()) + dt.timedelta(
                minutes=minute
            )
            taker, taker_lang = rng.choice(self._desk)
            if n == 0:
                channel, outcome = self._first_channel.pick(), CallOutcome.NEW_REQUEST
            else:
                channel, outcome = self._later_channel.pick(), self._later_outcome.pick()
            requests = (1 if rng.random() < 0.75 else 2) if outcome == CallOutcome.NEW_REQUEST else 0
            text_lang = "es" if taker_lang == "es" and person["language"] == "es" else "en"
            row = {
                "id": self.key(),
                "code": None,
                "person_id": person["id"],
                "taken_by": taker,
                "taken_at": self.utc(local),
                "channel": str(channel),
                "outcome": str(outcome),
                "consent_version": person["consent_version"],
                "notes": rng.choice(content.CALL_NOTES[text_lang]),
            }
            calls.append((row, CallMeta(local, taker, text_lang, requests)))
        return calls

    # -- volunteers --

    def volunteers(self) -> list[dict[str, Any]]:
        rows = [self._volunteer(i) for i in range(self.volunteer_count)]
        self._drivers = [v for v in rows if v["active"] and Skill.DRIVER in json.loads(v["skills"])]
        return rows

    def _volunteer(self, i: int) -> dict[str, Any]:
        rng = self.rng
        desk = len(self._desk)
        if i < 4:  # two English- and two Spanish-speaking drivers on every desk
            preferred, driver, name = ("en", "es")[i % 2], True, ""
        elif i < 4 + desk:  # the phone line
            name, preferred = self._desk[i - 4]
            driver = False
        else:
            preferred, driver, name = ("es" if rng.random() < 0.4 else "en"), rng.random() < 0.45, ""
        heritage = preferred
        if not name:
            heritage = rng.choice(("vi", "zh", "ht", "pt", "ar", "so")) if rng.random() < 0.1 else preferred
            name = self.name(heritage)
        languages = [preferred]
        if heritage != preferred:
            languages.append(heritage)
        if rng.random() < (0.7 if preferred == "es" else 0.25):
            languages.append("en" if preferred == "es" else "es")
        if rng.random() < 0.08:
            extra = rng.choice(content.EXTRA_LANGUAGES)
            if extra not in languages:
                languages.append(extra)
        skills: set[Skill] = set()
        if driver:
            skills |= {Skill.DRIVER, Skill.HAS_CAR}
        if 4 <= i < 4 + desk:
            skills.add(Skill.PHONE_LINE)
        skills |= {s for s in _EXTRA_SKILLS if rng.random() < 0.2}
        if len(languages) > 1 and rng.random() < 0.5:
            skills.add(Skill.TRANSLATION)
        zones = sorted(rng.sample(self._zones, rng.randint(1, 3)), key=self._zones.index)
        availability = 0
        for bit in rng.sample(range(21), rng.randint(2, 9)):
            availability |= 1 << bit
        trained = i < 4 + desk or rng.random() < 0.8
        checked = trained and rng.random() < 0.85
        digits = self._new_digits()
        raw, e164 = self._typed(digits, self._phone_formats.pick())
        return {
            "id": self.key(),
            "code": None,
            "name": name,
            "phone": e164,
            "phone_raw": raw,
            "email": self.email(name) if rng.random() < 0.7 else "",
            "languages": json.dumps(languages),
            "skills": json.dumps(sorted((str(s) for s in skills), key=lambda s: _SKILL_ORDER[Skill(s)])),
            "zones": json.dumps([self.zone_ids[z] for z in zones]),
            "availability": availability,
            "trained": trained,
            "checked_on": self.today - dt.timedelta(days=rng.randint(10, 700)) if checked else None,
            "active": i < 4 + desk or rng.random() < 0.9,
            "max_runs_week": rng.randint(1, 5),
            "preferred_language": preferred,
            "notes": self._note(content.VOLUNTEER_NOTES, preferred),
        }

    def driver_for(self, day: dt.date, slot: int, language: str | None = None) -> dict[str, Any]:
        """An active driver for a run that day and time, taking turns among those available then
        (among all drivers, or those preferring `language`, when nobody is); they are available
        then from now on."""
        bit = day.weekday() * 3 + slot
        key = (bit, language)
        turns = self._turns.get(key)
        if turns is None:
            drivers = [v for v in self._drivers if language is None or v["preferred_language"] == language]
            available = [v for v in drivers if v["availability"] >> bit & 1]
            turns = self._turns[key] = (available or drivers, [0])
        pool, turn = turns
        volunteer = pool[turn[0] % len(pool)]
        turn[0] += 1
        volunteer["availability"] |= 1 << bit
        return volunteer
