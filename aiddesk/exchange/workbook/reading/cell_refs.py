"""Cell references in a sheet's XML bytes (`B7`, `A1:C4`, a row's `r`), placed as calamine places
them, and the regex pieces the sheet scans are built from."""

from __future__ import annotations

import re

from aiddesk.exchange.workbook.reading.refusals import damaged_sheet

EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
CELL_REF = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,9})")
ROW_REF = re.compile(rb"[A-Za-z]{0,3}([0-9]{1,9})")
ATTRIBUTE = re.compile(rb"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def position(ref: bytes, label: str, sheet: str) -> tuple[int, int]:
    """0-based (row, column) of a cell reference as calamine reads it; refused outside Excel's grid."""
    match = CELL_REF.fullmatch(ref)
    if not match:
        raise damaged_sheet(label, sheet)
    row, column = int(match[2]), column_number(match[1])
    if not (1 <= row <= EXCEL_ROWS and 1 <= column <= EXCEL_COLUMNS):
        raise damaged_sheet(label, sheet)
    return row - 1, column - 1


def row_position(ref: bytes, label: str, sheet: str) -> int:
    match = ROW_REF.fullmatch(ref)
    if not match or not 1 <= int(match[1]) <= EXCEL_ROWS:
        raise damaged_sheet(label, sheet)
    return int(match[1]) - 1


def cell_range(ref: bytes, label: str, sheet: str) -> tuple[int, int, int, int]:
    first, _colon, last = ref.partition(b":")
    top, left = position(first, label, sheet)
    bottom, right = position(last or first, label, sheet)
    return min(top, bottom), min(left, right), max(top, bottom), max(left, right)


def attributes(raw: bytes) -> dict[bytes, bytes]:
    values: dict[bytes, bytes] = {}
    for name, double, single in ATTRIBUTE.findall(raw):
        values.setdefault(name, double or single)
    return values


def decimal_at_most(limit: int) -> str:
    """A regex for the whole numbers 1..limit written without leading zeros."""
    digits = str(limit)
    choices = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for index, digit in enumerate(digits):
        lowest = 1 if index == 0 else 0
        if int(digit) > lowest:
            choices.append(
                f"{digits[:index]}[{lowest}-{int(digit) - 1}]" + _repeat("[0-9]", len(digits) - index - 1)
            )
    return "(?:" + "|".join([*choices, digits]) + ")"


def letters_at_most(limit: str) -> str:
    """A regex for the column names A..limit in upper case."""
    choices = [f"[A-Z]{{1,{len(limit) - 1}}}"] if len(limit) > 1 else []
    for index, letter in enumerate(limit):
        if letter > "A":
            choices.append(
                f"{limit[:index]}[A-{chr(ord(letter) - 1)}]" + _repeat("[A-Z]", len(limit) - index - 1)
            )
    return "(?:" + "|".join([*choices, limit]) + ")"


def _repeat(pattern: str, times: int) -> str:
    return f"{pattern}{{{times}}}" if times else ""
