"""Pairs of live people who may be one person entered twice (at two desks, or twice at one):
the same normalised phone number in either slot, or the same name and address once accents,
case and spacing are set aside. Only suggestions: a person decides, and a merge of people does
the rest (docs/exchange-format.md).

Each kind of pair is one SQL query that groups first, so only the people who share a number
(or a rough name-and-address key) are paired, never every person with every other."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from aiddesk.store.models import Person
from aiddesk.store.repositories.volunteers import fold

SAME_PHONE = "phone"
SAME_NAME_ADDRESS = "name_address"

_LIVE = "deleted = 0 AND erased = 0"
_CHUNK = 500  # ids per IN (...) when reading the records of the pairs

# The numbers that appear more than once over both slots (read from the two phone indexes
# alone), the live records holding them, and their pairs.
_PHONE_PAIRS = text(
    f"""
    WITH shared AS (
        SELECT number FROM (
            SELECT phone AS number FROM person WHERE phone IS NOT NULL AND phone != ''
            UNION ALL
            SELECT phone2 FROM person WHERE phone2 IS NOT NULL AND phone2 != ''
        )
        GROUP BY number HAVING COUNT(*) > 1
    ),
    members AS (
        SELECT id, phone AS number FROM person WHERE phone IN shared AND {_LIVE}
        UNION
        SELECT id, phone2 FROM person WHERE phone2 IN shared AND {_LIVE}
    )
    SELECT DISTINCT a.id, b.id FROM members AS a
    JOIN members AS b ON a.number = b.number AND a.id < b.id
    """
)

# SQLite's lower() folds ASCII only, so people are grouped first by a rough key that accents do
# not change (the address in lower case without spaces, the length of the name without spaces);
# the accent folding, a Python function, then runs only on the few who share such a key.
_ADDRESS = "lower(replace(trim(address), ' ', ''))"
_NAME_LENGTH = "length(replace(trim(name), ' ', ''))"
_NAME_ADDRESS_PAIRS = text(
    f"""
    WITH rough AS (
        SELECT id, name, {_ADDRESS} AS address, {_NAME_LENGTH} AS name_length FROM person
        WHERE {_LIVE} AND trim(address) != '' AND trim(name) != ''
    ),
    repeated AS (
        SELECT address, name_length FROM rough GROUP BY address, name_length HAVING COUNT(*) > 1
    ),
    members AS (
        SELECT id, address, aid_same_name(name) AS name FROM rough JOIN repeated USING (address, name_length)
    )
    SELECT a.id, b.id FROM members AS a
    JOIN members AS b ON a.address = b.address AND a.name = b.name AND a.id < b.id
    """
)


def name_key(name: str | None) -> str:
    """The name as compared: "  María  GARCÍA " -> "maria garcia"."""
    return " ".join(fold(name).split())


def same_people(session: Session) -> list[tuple[str, str, str]]:
    """(id_a, id_b, reason) with id_a < id_b, each pair once (a pair with the same phone and the
    same name and address is given as the same phone), in id order."""
    connection = session.connection().connection.driver_connection
    connection.create_function("aid_same_name", 1, name_key, deterministic=True)  # type: ignore[union-attr]
    pairs: dict[tuple[str, str], str] = {}
    for a, b in session.execute(_PHONE_PAIRS):
        pairs.setdefault((a, b), SAME_PHONE)
    for a, b in session.execute(_NAME_ADDRESS_PAIRS):
        pairs.setdefault((a, b), SAME_NAME_ADDRESS)
    return [(a, b, reason) for (a, b), reason in sorted(pairs.items())]


Slots = tuple[tuple[str | None, str], ...]  # a record's phone numbers: (E.164, as typed)


def records(session: Session, ids: Iterable[str]) -> dict[str, tuple[str, str, Slots]]:
    """id -> (code, name, phone numbers) of these records."""
    wanted = sorted(set(ids))
    found: dict[str, tuple[str, str, Slots]] = {}
    columns = (
        Person.id,
        Person.code,
        Person.name,
        Person.phone,
        Person.phone_raw,
        Person.phone2,
        Person.phone2_raw,
    )
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for pid, code, name, phone, phone_raw, phone2, phone2_raw in session.execute(
            select(*columns).where(Person.id.in_(chunk))
        ):
            slots = tuple((e, r or "") for e, r in ((phone, phone_raw), (phone2, phone2_raw)) if e or r)
            found[pid] = (code, name or "", slots)
    return found
