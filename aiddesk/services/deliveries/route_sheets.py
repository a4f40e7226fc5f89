"""The content of route sheets: pure data, every text already in the volunteer's language.

A sheet prints in its VOLUNTEER's preferred language, not the UI's (the catalog
comes from translations_for, dates from Babel with locale_for), so one day's PDF
may hold English and Spanish sheets side by side. What may print about a caller
is decided by aiddesk.domain.route_sheet; Qt only lays this out (aiddesk.ui.deliveries.printing)."""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Callable
from dataclasses import dataclass

from aiddesk.domain.phone import display
from aiddesk.domain.route_sheet import CallerFacts, PrintedStop, printed_stop
from aiddesk.i18n import N_, locale_for, translations_for
from aiddesk.i18n.formatting import format_day, format_time, language_name
from aiddesk.store.database import Database
from aiddesk.store.repositories import route_sheets as route_data
from aiddesk.store.repositories.route_sheets import RunFacts, StopFacts

TITLE = N_("Route sheet")
# L10N: on a route sheet, %(code)s is the run's code, like CC1-D0012
RUN = N_("Run %(code)s")
# L10N: on a route sheet: the volunteer who drives the run
VOLUNTEER = N_("Volunteer: %(name)s")
# L10N: on a route sheet: a note for the whole run ("cooler bags in the trunk")
RUN_NOTES = N_("For this run: %(notes)s")
NUMBER = N_("Stop")
WHO = N_("Who and where")
WHAT = N_("What to bring")
GOOD_TO_KNOW = N_("Good to know")
DIETARY = N_("Dietary needs: %(text)s")
DELIVERY_NOTES = N_("Delivery notes: %(text)s")
# L10N: on a route sheet: the caller's language, like "Speaks: Spanish"
SPEAKS = N_("Speaks: %(language)s")
# L10N: on a route sheet, after the caller's language
INTERPRETER = N_("Speaks: %(language)s (needs an interpreter)")
PHONE = N_("Phone: %(number)s")
ZONE = N_("Zone: %(zone)s")
NOTES_LINE = N_("Notes:")
NO_STOPS = N_("This run has no stops.")
END_NOTES = N_("Notes for the desk")
# L10N: at the foot of a route sheet
# L10N: at the foot of each page of a route sheet
PAGE_OF = N_("Page %(page)d of %(pages)d")
KEEP_PRIVATE = N_("Please keep this sheet private and return it to the desk after the run.")


@dataclass(frozen=True)
class SheetStop:
    number: int
    first_name: str
    address: str
    zone: str  # "Zone: North", or empty
    need: str
    details: str
    good_to_know: tuple[str, ...]  # dietary needs, delivery notes, language: one line each
    phone: str = ""  # "Phone: (617) 555-0123" when it may print (under who and where)


@dataclass(frozen=True)
class SheetLabels:
    """The headings of a sheet, in its language."""

    tick: str
    number: str
    who: str
    what: str
    good_to_know: str
    notes_line: str
    no_stops: str
    end_notes: str
    keep_private: str
    page_of: str  # with %(page)d and %(pages)d


@dataclass(frozen=True)
class RouteSheet:
    run_id: str
    run_code: str
    language: str  # the volunteer's language, the sheet's
    title: str
    run_label: str
    date: str  # months spelled out, in the sheet's language
    window: str
    volunteer: str
    run_notes: str
    stops: tuple[SheetStop, ...]
    labels: SheetLabels


# ---- making sheets --------------------------------------------------------------------------------


def sheet_for_run(db: Database, delivery_id: str) -> RouteSheet | None:
    """One run's sheet (None when the run does not exist)."""
    with db.session() as session:
        run = route_data.run(session, delivery_id)
        if run is None:
            return None
        stops = route_data.stops_of_runs(session, [run.id])
        region = route_data.phone_region(session)
    return build_sheet(run, stops[run.id], region)


def sheets_for_day(db: Database, day: dt.date, *, language: str = "en") -> list[RouteSheet]:
    """A sheet for every run of the day that goes out (cancelled runs are left out), in the order
    of the day's list (volunteers' names as `language` sorts them)."""
    with db.session() as session:
        runs = route_data.runs_on(session, day, language)
        stops = route_data.stops_of_runs(session, [r.id for r in runs])
        region = route_data.phone_region(session)
    catalogs: dict[str, gettext.NullTranslations] = {}  # one per language, not one per sheet
    return [build_sheet(run, stops[run.id], region, catalogs) for run in runs]


def build_sheet(
    run: RunFacts,
    stops: list[StopFacts],
    region: str,
    catalogs: dict[str, gettext.NullTranslations] | None = None,
) -> RouteSheet:
    """The sheet of one run in its volunteer's language (`catalogs` keeps the catalogs already loaded)."""
    language = run.volunteer_language or "en"
    catalogs = {} if catalogs is None else catalogs
    if language not in catalogs:
        catalogs[language] = translations_for(language)
    catalog = catalogs[language]
    t = catalog.gettext
    locale = locale_for(language)
    labels = SheetLabels(
        # L10N: route sheet column where the driver ticks a stop as done
        tick=catalog.pgettext("route sheet", "Done"),
        number=t(NUMBER),
        who=t(WHO),
        what=t(WHAT),
        good_to_know=t(GOOD_TO_KNOW),
        notes_line=t(NOTES_LINE),
        no_stops=t(NO_STOPS),
        end_notes=t(END_NOTES),
        keep_private=t(KEEP_PRIVATE),
        page_of=t(PAGE_OF),
    )
    printed = [printed_stop(_caller(facts, language, region)) for facts in stops]
    return RouteSheet(
        run_id=run.id,
        run_code=run.code,
        language=language,
        title=t(TITLE),
        run_label=t(RUN) % {"code": run.code},
        date=_capitalised(format_day(run.date, locale=locale)),
        window=_window(run.window_start, run.window_end, locale),
        volunteer=t(VOLUNTEER) % {"name": run.volunteer_name},
        run_notes=t(RUN_NOTES) % {"notes": " ".join(run.notes.split())} if run.notes.strip() else "",
        stops=tuple(_sheet_stop(stop, t, locale) for stop in printed),
        labels=labels,
    )


def _caller(facts: StopFacts, language: str, region: str) -> CallerFacts:
    spanish = language == "es"
    return CallerFacts(
        position=facts.position,
        name=facts.name,
        address=facts.address,
        zone=_pick(facts.zone_es, facts.zone_en) if spanish else _pick(facts.zone_en, facts.zone_es),
        need=_pick(facts.need_es, facts.need_en) if spanish else _pick(facts.need_en, facts.need_es),
        details=facts.details,
        dietary_needs=facts.dietary_needs,
        delivery_notes=facts.delivery_notes,
        language=facts.language,
        needs_interpreter=facts.needs_interpreter,
        phone=display(facts.phone, facts.phone_raw, region) if (facts.phone or facts.phone_raw) else "",
        consent=facts.consent,
        anonymous=facts.anonymous,
    )


def _pick(first: str, other: str) -> str:
    return first or other


def _sheet_stop(stop: PrintedStop, gettext: Callable[[str], str], locale: str) -> SheetStop:
    lines: list[str] = []
    if stop.dietary_needs:
        lines.append(gettext(DIETARY) % {"text": stop.dietary_needs})
    if stop.delivery_notes:
        lines.append(gettext(DELIVERY_NOTES) % {"text": stop.delivery_notes})
    if stop.language:
        name = language_name(stop.language, locale)
        lines.append(gettext(INTERPRETER if stop.needs_interpreter else SPEAKS) % {"language": name})
    # A number is never cut across two lines.
    phone = gettext(PHONE) % {"number": stop.phone.replace(" ", "\u00a0")} if stop.phone else ""
    return SheetStop(
        number=stop.number,
        first_name=stop.first_name,
        address=stop.address,
        zone=gettext(ZONE) % {"zone": stop.zone} if stop.zone else "",
        need=stop.need,
        details=stop.details,
        good_to_know=tuple(lines),
        phone=phone,
    )


def _capitalised(text: str) -> str:
    """A line that starts with a date starts with a capital ("lunes, 23 de..." -> "Lunes, 23 de...")."""
    return text[:1].upper() + text[1:]


def _window(start: str, end: str, locale: str) -> str:
    """ "9:00 AM – 12:00 PM" in the sheet's locale (the stored text when it is not a time)."""
    try:
        return f"{format_time(dt.time.fromisoformat(start), 'short', locale)} – " + format_time(
            dt.time.fromisoformat(end), "short", locale
        )
    except ValueError:
        return f"{start} – {end}"
