"""How stamps, version vectors and siblings are kept in a synced row.

`stamps` is compact: {"s": base stamp, "f": {field: stamp}} — a field not in
"f" carries the base stamp (all fields written by one transaction share it).
`siblings` holds, per field in conflict, the other concurrent values:
{field: [[desk, counter, clock, value], ...]}; the column holds the displayed one.
Under HELD + field it holds all the field's siblings when the column shows
something else: a record deleted at one desk while another edited it stays
visible (`deleted` column false) until someone decides."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from aiddesk.domain.stamps import Stamp, VersionVector

HELD = "*"


# One encoder for every call (json.dumps with options builds a new one each time).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def dumps(value: Any) -> str:
    return _CANONICAL.encode(value)


def encode_base(stamp: Stamp) -> str:
    return dumps({"s": stamp.as_list()})


def encode_vv(vv: VersionVector) -> str:
    return dumps(vv)


def decode_vv(text: str | None) -> VersionVector:
    return {str(k): int(v) for k, v in json.loads(text).items()} if text else {}


def field_stamps(text: str, fields: Iterable[str]) -> dict[str, Stamp]:
    data = json.loads(text)
    base = Stamp.from_list(data["s"])
    overrides = data.get("f", {})
    return {f: Stamp.from_list(overrides[f]) if f in overrides else base for f in fields}


def restamp(text: str, fields: Iterable[str], stamp: Stamp) -> str:
    """The stamps of a row after a local edit of `fields` in the transaction `stamp`."""
    data = json.loads(text)
    overrides: dict[str, list[object]] = data.setdefault("f", {})
    for name in fields:
        overrides[name] = stamp.as_list()
    return dumps(data)


def decode_siblings(text: str | None) -> dict[str, list[list[Any]]]:
    return json.loads(text) if text else {}


def drop_siblings(text: str | None, fields: Iterable[str]) -> str | None:
    """A local edit of a field replaces its siblings with the one new value."""
    siblings = decode_siblings(text)
    for name in fields:
        siblings.pop(name, None)
        siblings.pop(HELD + name, None)
    return dumps(siblings) if siblings else None
