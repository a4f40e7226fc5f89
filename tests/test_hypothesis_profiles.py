"""The Hypothesis profiles of tests/conftest.py: CI runs `ci`, whose failures print a line that
replays them; `deep` tries thousands of examples on demand."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import given, reproduce_failure, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[1]
REPLAY = re.compile(r"@reproduce_failure\('([^']+)', (b'[^']*')\)")


def test_ci_runs_the_ci_profile() -> None:
    script = (REPO / ".ci" / "run").read_text()
    assert re.search(r"^export .*\bHYPOTHESIS_PROFILE=ci\b", script, re.MULTILINE)


def test_a_failure_under_ci_fails_alike_every_time_and_prints_a_line_that_replays_it() -> None:
    tried: list[list[int]] = []

    @settings(settings.get_profile("ci"))
    @given(st.lists(st.integers()))
    def adds_up_to_less_than_50(numbers: list[int]) -> None:
        tried.append(numbers)
        assert sum(numbers) < 50

    notes = []
    for _run in range(2):
        with pytest.raises(AssertionError) as failed:
            adds_up_to_less_than_50()
        notes.append("\n".join(failed.value.__notes__))
    assert notes[0] == notes[1], "the same example fails the same way on every run"
    assert "numbers=[50]" in notes[0]
    found = REPLAY.search(notes[0])
    assert found is not None, notes[0]

    tried.clear()
    replay = reproduce_failure(found.group(1), ast.literal_eval(found.group(2)))(adds_up_to_less_than_50)
    with pytest.raises(AssertionError):
        replay()
    assert tried == [[50]], "the printed line replays exactly the failing example"


def test_deep_tries_thousands_of_new_examples() -> None:
    deep = settings.get_profile("deep")
    assert deep.max_examples >= 1_000 and not deep.derandomize and deep.print_blob
