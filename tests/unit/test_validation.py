"""Checks on typed text: control characters, the Excel cell limit, required fields."""

from __future__ import annotations

import pytest

from aiddesk.domain.validation import MAX_TEXT, Invalid, check_text, desk_code_problem, text_problem

CONTROL = [chr(c) for c in range(32) if chr(c) not in "\t\n\r"]


@pytest.mark.parametrize("ch", CONTROL, ids=[f"0x{ord(c):02x}" for c in CONTROL])
def test_control_characters_are_refused(ch: str) -> None:
    with pytest.raises(Invalid) as refused:
        check_text({"notes": f"gate code 12{ch}34"})
    [problem] = refused.value.problems
    assert problem.field == "notes"
    assert problem.message == "This text contains invisible control characters; please retype it."


@pytest.mark.parametrize(
    "text", ["line one\nline two", "col\tcol", "windows\r\nline", "María José Ñúñez", "😀 ok"]
)
def test_newlines_tabs_and_accents_are_fine(text: str) -> None:
    check_text({"notes": text})


def test_excel_cell_limit() -> None:
    assert MAX_TEXT == 32_767
    check_text({"notes": "x" * MAX_TEXT})
    with pytest.raises(Invalid) as refused:
        check_text({"notes": "x" * (MAX_TEXT + 1)})
    [problem] = refused.value.problems
    assert problem.params == {"max": MAX_TEXT}
    assert problem.message % problem.params == "This text is too long (at most 32767 characters)."


def test_per_field_limit() -> None:
    check_text({"name": "x" * 120}, max_len={"name": 120})
    with pytest.raises(Invalid):
        check_text({"name": "x" * 121}, max_len={"name": 120})


@pytest.mark.parametrize("blank", ["", "   ", "\n\t "])
def test_required_fields_cannot_be_blank(blank: str) -> None:
    with pytest.raises(Invalid) as refused:
        check_text({"name": blank, "notes": blank}, required=("name",))
    assert [(p.field, p.message) for p in refused.value.problems] == [("name", "This field cannot be empty.")]


def test_every_refused_field_is_listed() -> None:
    with pytest.raises(Invalid) as refused:
        check_text({"name": "", "notes": "bad\x00", "address": "ok"}, required=("name",))
    assert [p.field for p in refused.value.problems] == ["name", "notes"]
    assert "name: This field cannot be empty." in str(refused.value)


def test_text_problem_returns_none_when_fine() -> None:
    assert text_problem("name", "Ana") is None


@pytest.mark.parametrize("code", ["CC1", "AB", "ZZZ999"])
def test_good_desk_codes(code: str) -> None:
    assert desk_code_problem(code) is None


@pytest.mark.parametrize("code", ["", "C", "cc1", "TOOLONG7", "C-1", "CÇ1"])
def test_bad_desk_codes(code: str) -> None:
    problem = desk_code_problem(code)
    assert problem is not None and problem.field == "code"
