"""The printable lists: pure data, every text already in its language (Qt only lays them out,
aiddesk.ui.reports.lists_pdf).

- The call-back list for the phone shift: who to call back on a day (and who is overdue): their
  name (none for a caller who asked not to be named), their phone only when they agreed to be
  called, the language they speak, why (the need, the status and its reason) and when they last
  called. Nothing else about them: no address, no notes.
- The packing list for a day's runs: what to bring, counted by need, for the whole day (in the
  list's language) and for each run (in its volunteer's language). It names no caller."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from aiddesk.domain.enums import RequestStatus
from aiddesk.domain.phone import display
from aiddesk.i18n import N_, locale_for, translations_for
from aiddesk.i18n.formatting import (
    format_date,
    format_datetime_in,
    format_long_date,
    format_time,
    language_name,
)
from aiddesk.services.deliveries.route_sheets import RUN, VOLUNTEER
from aiddesk.services.requests.status import FOLLOW_UP_STATUSES
from aiddesk.store.database import Database
from aiddesk.store.repositories.reports import figures as report_figures
from aiddesk.store.repositories.reports import print_lists as repo
from aiddesk.store.repositories.route_sheets import phone_region

Translate = Callable[[str], str]

# L10N: title of the call-back list; %(date)s is like "Monday, November 23, 2026"
CALL_BACK_TITLE = N_("Call-backs for %(date)s")
TICK = N_("Done")
NAME = N_("Name")
PHONE = N_("Phone")
SPEAKS = N_("Speaks")
WHY = N_("Why")
LAST_CALL = N_("Last call")
CALL_ON = N_("Call back on")
# L10N: on the call-back list, in place of the name of a caller who asked not to be named
NOT_NAMED = N_("(asked not to be named)")
ERASED = N_("(data erased)")
# L10N: on the call-back list, in place of the phone of a caller who did not agree to be called
NO_CONSENT = N_("Did not agree to be called: ask a coordinator")
NO_PHONE = N_("No phone")
NO_CALL_BACKS = N_("Nobody is waiting for a call back on this day.")
# L10N: on the call-back list: the request's need, its status and the reason written for it
WHY_LINE = N_("%(need)s: %(status)s")
OVERDUE = N_("overdue since %(date)s")
KEEP_PRIVATE = N_("This list holds personal data: keep it at the desk and shred it after the shift.")
PAGE_OF = N_("Page %(page)d of %(pages)d")
# L10N: title of the packing list; %(date)s is like "Monday, November 23, 2026"
PACKING_TITLE = N_("What to bring on %(date)s")
ALL_RUNS = N_("All runs of the day")
NEED = N_("Need")
HOW_MANY = N_("How many")
TOTAL = N_("Total")
NO_RUNS = N_("There are no runs on this day.")
PACKING_NOTE = N_("Counted from the stops of each run; ask the desk for the details of each stop.")


@dataclass(frozen=True)
class CallBack:
    name: str
    phone: str
    speaks: str
    why: tuple[str, ...]  # one line per request
    last_call: str  # "" when never
    call_on: str
    overdue: bool
    due: dt.date  # the earliest call-back day of their requests


@dataclass(frozen=True)
class CallBackList:
    day: dt.date
    language: str
    title: str
    headings: tuple[str, ...]  # tick, name, phone, speaks, why, last call, call back on
    entries: tuple[CallBack, ...]
    empty: str
    keep_private: str
    page_of: str


def call_back_list(
    db: Database, day: dt.date, *, language: str = "en", tz: dt.tzinfo | None = None
) -> CallBackList:
    """The people to call back on `day` and those overdue: the longest overdue first, then by name."""
    catalog = translations_for(language)
    t = catalog.gettext
    locale = locale_for(language)
    with db.session() as session:
        due = repo.call_backs_due(session, [s.value for s in FOLLOW_UP_STATUSES], day)
        people = repo.callers(session, {d.person_id for d in due})
        last = repo.last_calls(session, {d.person_id for d in due})
        region = phone_region(session)
    by_person: dict[str, list[repo.CallBackFacts]] = {}
    for item in due:
        by_person.setdefault(item.person_id, []).append(item)
    entries = []
    for person_id, items in by_person.items():
        person = people.get(person_id)
        if person is None:
            continue
        first_due = min(i.follow_up for i in items)
        when = last.get(person_id)
        entries.append(
            CallBack(
                name=_name(person, t),
                phone=_phone(person, region, t),
                speaks=language_name(person.language, locale) if person.language else "",
                why=tuple(
                    _why(i, language, t) for i in sorted(items, key=lambda i: (i.follow_up, i.request_id))
                ),
                last_call=format_datetime_in(_local(when, tz), "short", locale) if when else "",
                call_on=(t(OVERDUE) % {"date": format_date(first_due, locale=locale)})
                if first_due < day
                else format_date(first_due, locale=locale),
                overdue=first_due < day,
                due=first_due,
            )
        )
    entries.sort(key=lambda e: (e.due, e.name.casefold()))
    return CallBackList(
        day=day,
        language=language,
        title=_capitalised(t(CALL_BACK_TITLE) % {"date": format_long_date(day, locale=locale, weekday=True)}),
        headings=(
            catalog.pgettext("route sheet", "Done"),
            t(NAME),
            t(PHONE),
            t(SPEAKS),
            t(WHY),
            t(LAST_CALL),
            t(CALL_ON),
        ),
        entries=tuple(entries),
        empty=t(NO_CALL_BACKS),
        keep_private=t(KEEP_PRIVATE),
        page_of=t(PAGE_OF),
    )


def _name(person: repo.CallerFacts, t: Translate) -> str:
    if person.erased:
        return t(ERASED)
    if person.anonymous:
        return t(NOT_NAMED)
    return " ".join(person.name.split())


def _phone(person: repo.CallerFacts, region: str, t: Translate) -> str:
    if not (person.phone or person.phone_raw):
        return t(NO_PHONE)
    if not person.consent:
        return t(NO_CONSENT)
    return display(person.phone, person.phone_raw, region).replace(" ", "\u00a0")  # never cut in two


def _why(item: repo.CallBackFacts, language: str, t: Translate) -> str:
    need = report_figures.Label(item.need_en, item.need_es).in_language(language)
    try:
        status = t(RequestStatus(item.status).label)
    except ValueError:
        status = item.status
    line = t(WHY_LINE) % {"need": need, "status": status}
    reason = " ".join(item.status_reason.split())
    return f"{line} — {reason}" if reason else line


def _local(utc: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    return utc.replace(tzinfo=dt.UTC).astimezone(tz).replace(tzinfo=None)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---- the packing list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackingSection:
    """What to bring for the whole day or for one run, in its language."""

    title: str
    subtitle: str  # the run's window and volunteer; empty for the day
    language: str
    headings: tuple[str, str, str]  # tick, need, how many
    lines: tuple[tuple[str, int], ...]  # need, stops: the most first
    total: tuple[str, int]
    page_of: str


@dataclass(frozen=True)
class PackingList:
    day: dt.date
    language: str
    title: str
    day_total: PackingSection
    runs: tuple[PackingSection, ...]
    empty: str
    note: str
    page_of: str


def packing_list(db: Database, day: dt.date, *, language: str = "en") -> PackingList:
    with db.session() as session:
        runs = repo.needs_of_runs(session, day)
        labels = report_figures.need_labels(session)

    def section(lang: str, title: str, subtitle: str, needs: Counter[str]) -> PackingSection:
        catalog = translations_for(lang)
        t = catalog.gettext
        lines = sorted(
            ((_label(labels, key, lang), n) for key, n in needs.items() if n), key=lambda x: (-x[1], x[0])
        )
        return PackingSection(
            title=title,
            subtitle=subtitle,
            language=lang,
            headings=(catalog.pgettext("route sheet", "Done"), t(NEED), t(HOW_MANY)),
            lines=tuple(lines),
            total=(t(TOTAL), sum(needs.values())),
            page_of=t(PAGE_OF),
        )

    t = translations_for(language).gettext
    whole: Counter[str] = Counter()
    sections = []
    for run in runs:
        whole.update(run.needs)
        lang = run.volunteer_language or "en"
        rt = translations_for(lang).gettext
        run_locale = locale_for(lang)
        subtitle = " · ".join(
            [
                _capitalised(format_long_date(day, locale=run_locale, weekday=True)),
                _window(run.window_start, run.window_end, run_locale),
                rt(VOLUNTEER) % {"name": run.volunteer_name},
            ]
        )
        sections.append(section(lang, rt(RUN) % {"code": run.code}, subtitle, Counter(run.needs)))
    locale = locale_for(language)
    return PackingList(
        day=day,
        language=language,
        title=_capitalised(t(PACKING_TITLE) % {"date": format_long_date(day, locale=locale, weekday=True)}),
        day_total=section(language, t(ALL_RUNS), "", whole),
        runs=tuple(sections),
        empty=t(NO_RUNS),
        note=t(PACKING_NOTE),
        page_of=t(PAGE_OF),
    )


def _label(labels: dict[str, report_figures.Label], key: str, language: str) -> str:
    label = labels.get(key)
    return (label.in_language(language) if label is not None else "") or key


def _window(start: str, end: str, locale: str) -> str:
    try:
        return (
            f"{format_time(dt.time.fromisoformat(start), 'short', locale)} – "
            f"{format_time(dt.time.fromisoformat(end), 'short', locale)}"
        )
    except ValueError:
        return f"{start} – {end}"
