"""Display codes: what a volunteer reads to a caller and types to find a record.

Each kind of record has its own series with its own letter after the desk's code, so a
call, its requests and the caller never share a code: CC1-P0001 a person, CC1-C0001 a
call, CC1-R0001 a request, CC1-V0001 a volunteer, CC1-D0001 a delivery run. Records
keep the code they were given (codes made before the letters, like CC1-0001, stay as
they are); records are matched by id, never by code. Pure."""

from __future__ import annotations

import re

KIND_LETTERS: dict[str, str] = {
    "person": "P",
    "call": "C",
    "request": "R",
    "volunteer": "V",
    "delivery": "D",
}
# The part of a code after the desk's: a letter and the number, or the number alone (older codes).
_TAIL = re.compile(r"^([A-Z]?)[-\s]?(\d{1,9})$")


def display_code(kind: str, desk_code: str, number: int) -> str:
    """The code of the `number`th record of `kind` made at the desk: "CC1-R0042"."""
    return f"{desk_code}-{KIND_LETTERS.get(kind, '')}{number:04d}"


def code_tail(typed: str) -> tuple[str, str] | None:
    """A typed code without its desk part, as (letter, number): "r42" -> ("R", "42"),
    "0042" -> ("", "0042"); None when the text is not the end of a code."""
    match = _TAIL.match(typed.strip().upper())
    return (match.group(1), match.group(2)) if match else None


def code_patterns(typed: str) -> list[str]:
    """SQLite GLOB patterns for the codes a typed code end may stand for (codes are stored in
    capitals): "R0042" finds CC1-R0042 and NOR-R0042; the number alone, as read aloud, "0042",
    finds any kind's (CC1-R0042, CC1-P0042) and older codes without a letter (CC1-0042)."""
    tail = code_tail(typed)
    if tail is None:
        return []
    letter, digits = tail
    if letter:
        return [f"*-{letter}{digits}*"]
    return [f"*-{digits}*", f"*-[A-Z]{digits}*"]
