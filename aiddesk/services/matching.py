"""Suggesting volunteers for ready requests, each suggestion with its reasons in words.

The score and its rules are in aiddesk.domain.matching; this reads what it
needs (two queries for the volunteers, one for the requests), keeps the
setting of which needs require a vetted volunteer, and renders reasons in a
language."""

from __future__ import annotations

import datetime as dt
import gettext
from dataclasses import dataclass

from aiddesk.domain import availability, defaults
from aiddesk.domain.access import Right, require
from aiddesk.domain.matching import Counted, Day, Label, Language, Need, Plan, Ranking, Reason, rank
from aiddesk.i18n import current_language, locale_for, translations_for
from aiddesk.i18n.formatting import language_name
from aiddesk.store.database import Database
from aiddesk.store.repositories import desk as desk_repo
from aiddesk.store.repositories import matching as repo
from aiddesk.store.repositories.matching import ReadyRow

VETTING_SETTING = "matching.vetted_categories"
# Needs that require a vetted volunteer on a new desk: prescription pickups.
DEFAULT_VETTED: tuple[str, ...] = (defaults.fixed_id("need_category", "prescriptions"),)
SEPARATOR = " · "

__all__ = ["ReadyRow", "Suggestions", "ready_ids", "ready_rows", "reason_text", "reasons_text", "suggest"]


@dataclass(frozen=True)
class Suggestions:
    needs: list[Need]  # the requests scored, in the order asked (gone ones left out)
    plan: Plan
    ranking: Ranking


# ---- the vetting setting -------------------------------------------------------------------


def vetted_categories(db: Database) -> frozenset[str]:
    """The need categories (ids) that require a trained and checked volunteer."""
    with db.session() as session:
        value = desk_repo.get_setting(session, VETTING_SETTING, list(DEFAULT_VETTED))
    return frozenset(str(v) for v in value) if isinstance(value, list) else frozenset(DEFAULT_VETTED)


def set_vetted_categories(db: Database, who: str, category_ids: list[str]) -> None:
    require(who, Right.SETTINGS)
    chosen = sorted(set(category_ids))
    with db.transaction(who) as tx:
        if desk_repo.get_setting(tx.session, VETTING_SETTING, list(DEFAULT_VETTED)) != chosen:
            desk_repo.put_setting(tx.session, VETTING_SETTING, chosen)
            tx.audit("vetting_setting", categories=chosen)


# ---- suggestions ---------------------------------------------------------------------------


def plan_for(day: dt.date, window: tuple[str, str] | None, vetted: frozenset[str]) -> Plan:
    """A plan for `day` and a time window (None: any time that day)."""
    slots = availability.slots_of_window(*window) if window else ()
    return Plan(day=day, slots=slots, vetted_categories=vetted)


def suggest(
    db: Database,
    request_ids: list[str],
    *,
    day: dt.date,
    window: tuple[str, str] | None = None,
    vetted: frozenset[str] | None = None,
    language: str = "en",
) -> Suggestions:
    """Every volunteer scored against the requests for a run on `day` in `window` ("09:00", "12:00"):
    the eligible ones ranked best first, the excluded ones apart with what rules them out."""
    if vetted is None:
        vetted = vetted_categories(db)
    plan = plan_for(day, window, vetted)
    monday, sunday = availability.week_of(day)
    with db.session() as session:
        found = repo.needs(session, request_ids)
        people = repo.candidates(session, monday, sunday) if found else []
    return Suggestions(found, plan, rank(people, found, plan, language))


def ready_ids(db: Database) -> list[str]:
    """Ready requests, most pressing first, then longest waiting."""
    with db.session() as session:
        return repo.ready_request_ids(session)


def ready_rows(db: Database, ids: list[str], language: str | None = None) -> list[ReadyRow]:
    with db.session() as session:
        return repo.ready_rows(session, ids, language=language or current_language())


def still_ready(db: Database, ids: list[str]) -> list[str]:
    """Those of `ids` that are still ready, in the same order."""
    with db.session() as session:
        statuses = repo.request_statuses(session, ids)
    return [i for i in ids if statuses.get(i) == "ready"]


# ---- reasons in words ----------------------------------------------------------------------


def _in_sentence(text: str) -> str:
    """A label inside a sentence: "Prescription pickup" -> "prescription pickup" (not "ATM")."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _day_name(index: int, locale: str) -> str:
    from babel.dates import get_day_names

    # the whole name: in a sentence "libre el mar en la mañana" read as the sea, not Tuesday
    return str(get_day_names("wide", locale=locale)[index])


def reason_text(
    reason: Reason, language: str | None = None, *, translations: gettext.NullTranslations | None = None
) -> str:
    """The reason in `language` (default: the UI's), its parameters named in that language too."""
    language = language or current_language()
    catalog = translations or translations_for(language)
    locale = locale_for(language)
    params: dict[str, object] = {}
    for key, value in reason.params:
        if isinstance(value, Day):
            params[key] = _day_name(value.index, locale)
        elif isinstance(value, Language):
            params[key] = language_name(value.code, locale)
        elif isinstance(value, Label):
            params[key] = _in_sentence(value.text(language))
        else:
            params[key] = value
    message = catalog.gettext(reason.message)
    return message % params if params else message


def counted_text(
    item: Counted,
    of: int,
    language: str | None = None,
    *,
    translations: gettext.NullTranslations | None = None,
) -> str:
    """A reason that holds for only some of the selected requests says for how many."""
    reason, count = item
    text = reason_text(reason, language, translations=translations)
    if count >= of:
        return text
    catalog = translations or translations_for(language or current_language())
    # L10N: a reason about a volunteer that holds for some of the selected requests: "speaks Spanish (2 of 3)"
    return catalog.ngettext(
        "%(reason)s (%(count)d of %(total)d request)", "%(reason)s (%(count)d of %(total)d requests)", of
    ) % {
        "reason": text,
        "count": count,
        "total": of,
    }


def reasons_text(
    items: tuple[Counted, ...],
    of: int,
    language: str | None = None,
    *,
    translations: gettext.NullTranslations | None = None,
) -> str:
    """Reasons joined for one line: "speaks Spanish · same zone · free Saturday morning"."""
    return SEPARATOR.join(counted_text(item, of, language, translations=translations) for item in items)
