"""The consent script: English and Spanish, a new version for every change, read in the caller's language."""

from __future__ import annotations

import datetime as dt

import pytest

from aiddesk.domain.intake import next_consent_version, script_language
from aiddesk.domain.validation import Invalid
from aiddesk.services.desk import consent
from aiddesk.services.desk.records import dump
from aiddesk.store.database import Database

DAY = dt.date(2026, 11, 23)


def test_a_new_desk_has_the_default_script_in_both_languages(db: Database) -> None:
    script = consent.get_script(db)
    assert script == consent.DEFAULT
    assert "delete" in script.text("en") and "borremos" in script.text("es")
    assert script.text("vi") == script.en


def test_a_changed_script_gets_a_new_version(db: Database) -> None:
    first = consent.save_script(db, "Ana", "We keep your name.", "Guardamos su nombre.", today=DAY)
    assert first.version == "2026-11-23.1"
    assert consent.get_script(db) == first
    same = consent.save_script(db, "Ana", " We keep your name. ", "Guardamos su nombre.", today=DAY)
    assert same.version == "2026-11-23.1"  # nothing changed
    second = consent.save_script(db, "Ana", "We keep your name.", "Guardamos solo su nombre.", today=DAY)
    assert second.version == "2026-11-23.2"
    third = consent.save_script(db, "Ana", "We keep it.", "Lo guardamos.", today=DAY + dt.timedelta(days=1))
    assert third.version == "2026-11-24.1"


def test_the_script_is_a_local_setting_not_a_record(db: Database) -> None:
    before = dump(db)
    consent.save_script(db, "Ana", "We keep your name.", "Guardamos su nombre.", today=DAY)
    assert dump(db) == before


@pytest.mark.parametrize(
    ("en", "es", "fields"), [("", "Hola", ["en"]), ("Hi", "  ", ["es"]), ("Hi\x00", "", ["en", "es"])]
)
def test_both_languages_are_needed(db: Database, en: str, es: str, fields: list[str]) -> None:
    with pytest.raises(Invalid) as refused:
        consent.save_script(db, "Ana", en, es, today=DAY)
    assert [p.field for p in refused.value.problems] == fields
    assert consent.get_script(db) == consent.DEFAULT


@pytest.mark.parametrize(
    ("person", "ui", "expected"),
    [
        ("es", "en", "es"),
        ("ES", "en", "es"),
        ("es-MX", "en", "es"),
        ("Español", "en", "es"),
        ("en", "es", "en"),
        ("vi", "es", "en"),
        ("", "es", "es"),
        ("", "en", "en"),
        ("", "fr", "en"),
    ],
)
def test_the_script_is_read_in_the_callers_language(person: str, ui: str, expected: str) -> None:
    assert script_language(person, ui) == expected


def test_versions() -> None:
    assert next_consent_version(consent.DEFAULT_VERSION, DAY) == "2026-11-23.1"
    assert next_consent_version("2026-11-23.9", DAY) == "2026-11-23.10"
    assert next_consent_version("2026-11-22.3", DAY) == "2026-11-23.1"
