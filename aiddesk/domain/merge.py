"""The merge of two states of one record (docs/exchange-format.md, "Version vectors, stamps, siblings").

A record state is what `dump` prints for a record:
    {"id": str, "vv": {desk: counter}, "del_ctx": {desk: counter} | None,
     "fields": {name: [[desk, counter, clock, value], ...]}}
Each field holds its siblings: one value normally, several when desks edited it
concurrently. Pure functions: no Qt, no SQL."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiddesk.domain.stamps import join

Sibling = list[Any]  # [desk, counter, clock, value]
RecordState = dict[str, Any]


class StampReused(ValueError):
    """The same edit stamp carries two values: a desk reissued stamps (restored from a backup
    without taking a new desk id). The workbook must be refused, naming the desk."""

    def __init__(self, record_id: str, field: str, desk: str, counter: int) -> None:
        super().__init__(f"record {record_id} field {field}: stamp ({desk}, {counter}) holds two values")
        self.record_id, self.field, self.desk, self.counter = record_id, field, desk, counter


def _covers(vv: Mapping[str, int], sibling: Sibling) -> bool:
    return vv.get(sibling[0], -1) >= sibling[1]


def merge_field(
    record_id: str,
    name: str,
    ours: list[Sibling],
    theirs: list[Sibling],
    our_vv: Mapping[str, int],
    their_vv: Mapping[str, int],
) -> list[Sibling]:
    """Siblings kept: those both sides have, and those the other side has not seen (not covered)."""
    our_stamps = {(s[0], s[1]): s for s in ours}
    their_stamps = {(s[0], s[1]): s for s in theirs}
    kept: dict[tuple[str, int], Sibling] = {}
    for stamp, sibling in our_stamps.items():
        other = their_stamps.get(stamp)
        if other is not None and other[3] != sibling[3]:
            raise StampReused(record_id, name, stamp[0], stamp[1])
        if other is not None or not _covers(their_vv, sibling):
            kept[stamp] = sibling
    for stamp, sibling in their_stamps.items():
        if stamp not in our_stamps and not _covers(our_vv, sibling):
            kept[stamp] = sibling
    return sorted(kept.values(), key=lambda s: (s[0], s[1]))


def merge_record(ours: RecordState, theirs: RecordState) -> RecordState:
    """The state both desks agree on after seeing each other's edits of one record."""
    if ours["id"] != theirs["id"]:
        raise ValueError("merge_record needs two states of the same record")
    our_vv, their_vv = ours["vv"], theirs["vv"]
    names = sorted(set(ours["fields"]) | set(theirs["fields"]))
    fields = {
        name: merge_field(
            ours["id"], name, ours["fields"].get(name, []), theirs["fields"].get(name, []), our_vv, their_vv
        )
        for name in names
    }
    contexts = [c for c in (ours.get("del_ctx"), theirs.get("del_ctx")) if c]
    del_ctx = None
    for context in contexts:
        del_ctx = join(del_ctx or {}, context)
    return {"id": ours["id"], "vv": join(our_vv, their_vv), "del_ctx": del_ctx, "fields": fields}


def displayed_sibling(siblings: list[Sibling]) -> Sibling:
    """The sibling shown: the highest (clock, desk) — arbitrary but the same everywhere."""
    if len(siblings) == 1:  # nearly every field: no conflict
        return siblings[0]
    return max(siblings, key=lambda s: (s[2], s[0]))


def displayed(siblings: list[Sibling]) -> Any:
    """The value shown (see displayed_sibling)."""
    return displayed_sibling(siblings)[3]


def in_conflict(siblings: list[Sibling]) -> bool:
    """More than one sibling with different values (equal values are no conflict)."""
    return len({_hashable(s[3]) for s in siblings}) > 1


def _hashable(value: Any) -> Any:
    return repr(value) if isinstance(value, list | dict) else value


@dataclass(frozen=True)
class Visibility:
    deleted: bool
    edited_after_delete: tuple[str, ...]  # fields edited concurrently with the delete


def visibility(state: RecordState) -> Visibility:
    """Whether the record shows: a delete wins unless a field was edited concurrently with it —
    then the record stays visible with an "edited after delete" conflict (intake data must not vanish)."""
    deleted = displayed(state["fields"]["deleted"]) is True if "deleted" in state["fields"] else False
    if not deleted:
        return Visibility(False, ())
    context = state.get("del_ctx") or {}
    edited = tuple(
        name
        for name, siblings in state["fields"].items()
        if name != "deleted" and any(not _covers(context, s) for s in siblings)
    )
    return Visibility(not edited, edited)


def settle_erasure(state: RecordState, personal: tuple[str, ...]) -> RecordState:
    """Erasure wins: once any desk erased a record, its personal fields keep only empty values.

    A concurrent edit that put a value back is dropped (the version vector still covers it, so a
    stale workbook cannot bring it back). A field left with no value gets the erasure's own stamp."""
    erased = [s for s in state["fields"].get("erased", []) if s[3] is True]
    if not erased:
        return state
    eraser = max(erased, key=lambda s: (s[0], s[1]))
    fields = dict(state["fields"])
    for name in personal:
        if name not in fields:
            continue
        empty = [s for s in fields[name] if s[3] in ("", None)]
        fields[name] = empty or [[eraser[0], eraser[1], eraser[2], _empty_like(fields[name][0][3])]]
    return {**state, "fields": fields}


def _empty_like(value: Any) -> Any:
    return "" if isinstance(value, str) else None


def is_erased(state: RecordState) -> bool:
    return any(s[3] is True for s in state["fields"].get("erased", []))


def edit_in_context(
    state: RecordState, values: Mapping[str, Any], stamp: list[Any], context: Mapping[str, int]
) -> RecordState:
    """A local edit of `values` made by someone who had seen only `context` of this record
    (an accepted hand edit: the workbook's version vector). Siblings the context covers are
    replaced; an edit it had not seen stays beside the new value, as a conflict."""
    desk, counter = stamp[0], stamp[1]
    fields = dict(state["fields"])
    for name, value in values.items():
        unseen = [s for s in fields.get(name, []) if not _covers(context, s)]
        fields[name] = sorted([*unseen, [desk, counter, stamp[2], value]], key=lambda s: (s[0], s[1]))
    vv = dict(state["vv"])
    vv[desk] = max(vv.get(desk, -1), counter)
    return {**state, "vv": vv, "fields": fields}


def hidden(state: RecordState) -> bool:
    """Whether the record is left out of every list: deleted, unless a desk edited it concurrently
    with the delete (it stays, with an "edited after delete" conflict). An erased record is
    always hidden: erasure wins."""
    if "deleted" not in state["fields"] or displayed(state["fields"]["deleted"]) is not True:
        return False
    return is_erased(state) or visibility(state).deleted
