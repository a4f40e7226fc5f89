"""What an operation changed: the kinds of records, and where known which of them.

Every write the screens start returns a `Changes` (collected by the store from
the statements its transactions committed, so no service can forget to say
what it touched). A screen refreshes when an operation changed a kind it shows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class Kind(StrEnum):
    """The kinds of data a screen may show."""

    PERSON = "person"
    CALL = "call"
    REQUEST = "request"
    VOLUNTEER = "volunteer"
    DELIVERY = "delivery"  # a run
    STOP = "stop"
    HISTORY = "event"  # the history of a record
    LABEL = "label"  # need categories and zones
    DESK = "desk"  # the desk's name, code, language, settings and users
    DRAFT = "draft"
    PROPOSAL = "proposal"  # hand edits found in workbooks
    KNOWN_DESK = "known_desk"  # other desks whose workbooks arrived
    AUDIT = "audit"
    ACCOUNT = "account"  # who may sign in at this desk


# The synced kinds: a merge or a conflict decision may change any of them.
RECORD_KINDS: frozenset[Kind] = frozenset(
    {Kind.PERSON, Kind.CALL, Kind.REQUEST, Kind.VOLUNTEER, Kind.DELIVERY, Kind.STOP, Kind.HISTORY, Kind.LABEL}
)


@dataclass(frozen=True)
class Changes:
    """The kinds an operation changed; `ids[kind]` holds the ids changed of that kind when they
    are known (a kind changed in bulk, as a merge writes, has no entry: "any of them")."""

    kinds: frozenset[Kind] = frozenset()
    ids: Mapping[Kind, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, *kinds: Kind) -> Changes:
        return cls(frozenset(kinds))

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def touches(self, kinds: Iterable[Kind]) -> bool:
        """Whether any of `kinds` changed."""
        return not self.kinds.isdisjoint(kinds)

    def changed_ids(self, kind: Kind) -> frozenset[str] | None:
        """The ids of `kind` that changed; None when unknown (any may have) or the kind did not change."""
        return self.ids.get(kind)

    def __or__(self, other: Changes) -> Changes:
        kinds = self.kinds | other.kinds
        ids: dict[Kind, frozenset[str]] = {}
        for kind in kinds:
            mine = self.ids.get(kind) if kind in self.kinds else frozenset()
            theirs = other.ids.get(kind) if kind in other.kinds else frozenset()
            if mine is not None and theirs is not None:  # both known: their union; else unknown
                ids[kind] = mine | theirs
        return Changes(kinds, MappingProxyType(ids))


NO_CHANGES = Changes()
