"""Recognising a caller as the volunteer types a phone number or a name."""

from __future__ import annotations

import phonenumbers

from aiddesk.domain.phone import digits
from aiddesk.store.database import Database
from aiddesk.store.repositories.people import search as people
from aiddesk.store.repositories.people.search import PersonMatch

LIMIT = 12


def phone_prefixes(typed: str, region: str) -> list[str]:
    """E.164 prefixes a partly typed number may stand for: with the region's country code,
    and as typed when it already starts with a country code."""
    number = digits(typed)
    if not number:
        return []
    if typed.strip().startswith("+"):
        return ["+" + number]
    code = str(phonenumbers.country_code_for_region(region) or "")
    national = number.lstrip("0") if region not in ("US", "CA") else number
    prefixes = ["+" + code + national] if code else []
    if code and number.startswith(code) and len(number) > len(code):
        prefixes.append("+" + number)
    return prefixes


def find_callers(db: Database, typed: str, region: str, limit: int = LIMIT) -> list[people.PersonMatch]:
    """People matching what is typed: a phone (prefix, or the last four digits) or a name."""
    typed = typed.strip()
    number = digits(typed)
    looks_like_phone = bool(number) and not any(ch.isalpha() for ch in typed)
    with db.session() as session:
        if looks_like_phone:
            if len(number) < 3:
                return []
            last4 = number if len(number) == 4 else None
            prefixes = phone_prefixes(typed, region) if len(number) >= 3 else []
            found = people.find_by_phone(session, prefixes, last4, limit)
        else:
            if len(typed) < 2:
                return []
            found = people.find_by_name(session, typed, limit)
        return people.with_activity(session, found)


__all__ = ["PersonMatch", "find_callers", "phone_prefixes"]
