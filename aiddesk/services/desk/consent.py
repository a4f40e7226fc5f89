"""The consent script read aloud to every caller: English and Spanish, versioned.

It is a setting of the desk (the local `setting` table). Saving a changed text
gives it a new version ("2026-11-23.1"); the version read to a caller is stored
on the person and on the call, so it is always known what someone agreed to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aiddesk.domain.access import Right, require
from aiddesk.domain.intake import next_consent_version
from aiddesk.domain.validation import check_text
from aiddesk.store.database import Database
from aiddesk.store.repositories import desk as desk_repo

SETTING = "consent_script"
MAX_LEN = 4000
DEFAULT_VERSION = "aiddesk-1"  # the texts below; bump it when they change

DEFAULT_EN = (
    "Before we go on, a few words about your information. We write down your name, phone number, "
    "address and what you need, so that our volunteers can bring you help. Only the volunteers and "
    "coordinators of this group see it; we do not share it with anyone else. You can ask us at any "
    "time to change it or to delete it. Is it all right if we keep your information and contact you "
    "about your request?"
)
DEFAULT_ES = (
    "Antes de seguir, unas palabras sobre sus datos. Anotamos su nombre, su teléfono, su dirección y "
    "lo que necesita, para que nuestros voluntarios puedan ayudarle. Solo los voluntarios y "
    "coordinadores de este grupo los ven; no los compartimos con nadie más. En cualquier momento puede "
    "pedirnos que los cambiemos o que los borremos. ¿Está de acuerdo con que guardemos sus datos y le "
    "contactemos sobre su pedido?"
)


@dataclass(frozen=True)
class ConsentScript:
    version: str
    en: str
    es: str

    def text(self, language: str) -> str:
        """The script in `language` ("es" or anything else for English); the other one if it is empty."""
        first, other = (self.es, self.en) if language == "es" else (self.en, self.es)
        return first or other


DEFAULT = ConsentScript(DEFAULT_VERSION, DEFAULT_EN, DEFAULT_ES)


def get_script(db: Database) -> ConsentScript:
    with db.session() as session:
        stored = desk_repo.get_setting(session, SETTING)
    if not isinstance(stored, dict):
        return DEFAULT
    return ConsentScript(
        str(stored.get("version") or DEFAULT_VERSION),
        str(stored.get("en") or ""),
        str(stored.get("es") or ""),
    )


def save_script(db: Database, who: str, en: str, es: str, *, today: dt.date | None = None) -> ConsentScript:
    """Save the texts; a change in either language gets a new version. Raises Invalid (fields "en", "es")."""
    require(who, Right.SETTINGS)
    en, es = en.strip(), es.strip()
    check_text({"en": en, "es": es}, required=("en", "es"), max_len={"en": MAX_LEN, "es": MAX_LEN})
    current = get_script(db)
    if (en, es) == (current.en, current.es):
        return current
    script = ConsentScript(next_consent_version(current.version, today or dt.date.today()), en, es)
    with db.transaction(who) as tx:
        desk_repo.put_setting(tx.session, SETTING, {"version": script.version, "en": en, "es": es})
        tx.audit("consent_script", version=script.version)
    return script
