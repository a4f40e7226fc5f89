"""The matching score: each rule with its reason, the hard rules that exclude, the ranking,
selections of requests, and reasons rendered in words in English and Spanish."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from aiddesk.domain import availability as av
from aiddesk.domain.defaults import fixed_id
from aiddesk.domain.enums import Skill
from aiddesk.domain.matching import (
    Candidate,
    Label,
    Need,
    Plan,
    Tone,
    combine,
    rank,
    score,
)
from aiddesk.services.matching import reason_text, reasons_text

NORTH = fixed_id("zone", "north")
SOUTH = fixed_id("zone", "south")
SATURDAY = dt.date(2026, 11, 28)
SAT_MORNING = av.from_slots([(5, 0)])
PRESCRIPTIONS = fixed_id("need_category", "prescriptions")
CATEGORIES = {
    "groceries": Label("Groceries", "Mandado / despensa"),
    "prescriptions": Label("Prescription pickup", "Recoger medicinas"),
    "rides": Label("Ride", "Aventón / transporte"),
    "childcare": Label("Childcare", "Cuidado de niños"),
    "pet_care": Label("Pet care", "Cuidado de mascotas"),
    "check_in": Label("Check-in call", "Llamada para ver cómo está"),
    "rent": Label("Rent help", "Ayuda con la renta"),
}


def need(key: str = "groceries", *, zone: str | None = NORTH, language: str = "es", code: str = "R1") -> Need:
    return Need(code, code, fixed_id("need_category", key), key, CATEGORIES[key], zone, language)


def volunteer(name: str = "Ana", **changes: object) -> Candidate:
    base = Candidate(
        id=name,
        code=name,
        name=name,
        languages=("es", "en"),
        skills=frozenset({Skill.SHOPPING}),
        zones=frozenset({NORTH}),
        availability=SAT_MORNING,
        vetted=True,
        max_runs_week=3,
        runs_this_week=1,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


PLAN = Plan(SATURDAY, (0,), frozenset({PRESCRIPTIONS}))


def words(match_reasons: tuple) -> list[str]:  # type: ignore[type-arg]
    return [reason_text(r, "en") for r in match_reasons]


def test_a_good_match_says_why_in_words() -> None:
    match = score(volunteer(), need(), PLAN)
    assert words(match.reasons) == [
        "speaks Spanish",
        "same zone",
        "shops or drives",
        "free Saturday morning",
        "runs this week: 1 of 3",
    ]
    assert match.exclusions == ()
    assert match.score == 30 + 25 + 25 + 20 + 7


def test_each_rule_counts_for_or_against() -> None:
    best = score(volunteer(), need(), PLAN).score
    other_language = score(volunteer(languages=("en",)), need(), PLAN)
    assert "does not speak Spanish" in words(other_language.reasons)
    assert other_language.score == best - 25
    other_zone = score(volunteer(zones=frozenset({SOUTH})), need(), PLAN)
    assert "not their zone" in words(other_zone.reasons)
    assert other_zone.score == best - 30
    busy = score(volunteer(availability=av.from_slots([(5, 1)])), need(), PLAN)
    assert "not free Saturday morning" in words(busy.reasons)
    assert busy.score == best - 20 - 10
    no_skill = score(volunteer(skills=frozenset()), need(), PLAN)
    assert "neither shops nor drives" in words(no_skill.reasons)
    assert no_skill.score == best - 25 - 30
    fuller = score(volunteer(runs_this_week=2), need(), PLAN)
    assert "runs this week: 2 of 3" in words(fuller.reasons)
    assert fuller.score < best
    tone = {reason_text(r, "en"): r.tone for r in other_language.reasons}
    assert tone["does not speak Spanish"] == Tone.AGAINST and tone["same zone"] == Tone.FOR


def test_the_skills_each_need_requires() -> None:
    driver_with_car = frozenset({Skill.DRIVER, Skill.HAS_CAR})
    cases = [
        ("rides", driver_with_car, "driver with a car"),
        ("rides", frozenset({Skill.DRIVER}), "not a driver with a car"),
        ("rides", frozenset({Skill.HAS_CAR, Skill.SHOPPING}), "not a driver with a car"),
        ("groceries", frozenset({Skill.DRIVER}), "shops or drives"),
        ("groceries", frozenset({Skill.SHOPPING}), "shops or drives"),
        ("childcare", frozenset({Skill.CHILDCARE}), "does childcare"),
        ("childcare", driver_with_car, "does not do childcare"),
        ("pet_care", frozenset({Skill.PET_CARE}), "does pet care"),
        ("pet_care", frozenset({Skill.CHILDCARE}), "does not do pet care"),
        ("check_in", frozenset({Skill.CHECK_IN_CALLS}), "makes check-in calls"),
        ("check_in", frozenset({Skill.PHONE_LINE}), "makes check-in calls"),
        ("check_in", frozenset({Skill.SHOPPING}), "does not make check-in calls"),
    ]
    for key, skills, expected in cases:
        said = words(score(volunteer(skills=skills), need(key), PLAN).reasons)
        assert expected in said, (key, skills, said)
    # Rent help needs no particular skill: nothing said about skills.
    said = words(score(volunteer(skills=frozenset()), need("rent"), PLAN).reasons)
    assert said == ["speaks Spanish", "same zone", "free Saturday morning", "runs this week: 1 of 3"]


def test_unknown_language_or_zone_says_nothing_about_them() -> None:
    said = words(score(volunteer(), need(zone=None, language=""), PLAN).reasons)
    assert said == ["shops or drives", "free Saturday morning", "runs this week: 1 of 3"]


def test_a_window_over_two_slots_needs_both_and_a_day_alone_any() -> None:
    over_two = Plan(SATURDAY, (0, 1))
    assert "not free Saturday morning" in words(score(volunteer(), need(), over_two).reasons)
    both = volunteer(availability=av.from_slots([(5, 0), (5, 1)]))
    assert "free Saturday morning" in words(score(both, need(), over_two).reasons)
    any_time = Plan(SATURDAY)
    evening = volunteer(availability=av.from_slots([(5, 2)]))
    assert "free on Saturday" in words(score(evening, need(), any_time).reasons)
    assert "not free on Saturday" in words(score(volunteer(availability=0), need(), any_time).reasons)


def test_hard_rules_exclude_and_say_what_rules_out() -> None:
    inactive = score(volunteer(active=False), need(), PLAN)
    assert words(inactive.exclusions) == ["inactive"]
    full = score(volunteer(runs_this_week=3), need(), PLAN)
    assert words(full.exclusions) == ["already has 3 runs this week (at most 3)"]
    assert "runs this week: 3 of 3" not in words(full.reasons)
    untrained = volunteer(vetted=False)
    assert words(score(untrained, need("prescriptions"), PLAN).exclusions) == [
        "not vetted for prescription pickup"
    ]
    # Vetting is only required where the setting says so.
    assert score(untrained, need("groceries"), PLAN).exclusions == ()
    assert score(untrained, need("prescriptions"), Plan(SATURDAY, (0,))).exclusions == ()
    everything = score(volunteer(active=False, runs_this_week=5, vetted=False), need("prescriptions"), PLAN)
    assert len(everything.exclusions) == 3


def test_runs_this_week_say_how_many_they_have_and_allow() -> None:
    """A maximum lowered below the runs already planned, one run, or a volunteer taking none."""
    assert words(score(volunteer(runs_this_week=3, max_runs_week=1), need(), PLAN).exclusions) == [
        "already has 3 runs this week (at most 1)"
    ]
    assert words(score(volunteer(runs_this_week=1, max_runs_week=1), need(), PLAN).exclusions) == [
        "already has 1 run this week (at most 1)"
    ]
    assert words(score(volunteer(runs_this_week=0, max_runs_week=0), need(), PLAN).exclusions) == [
        "takes no runs for now"
    ]
    assert "runs this week: 1 of 3" in words(score(volunteer(), need(), PLAN).reasons)


def test_those_who_speak_the_callers_language_come_first_and_say_so_first() -> None:
    """A Chinese-speaking caller: a speaker from another zone before non-speakers of the zone."""
    chinese = need(language="zh")
    people = [
        volunteer("Ana", languages=("es", "en")),  # same zone, does not speak Chinese
        volunteer("Li", languages=("zh", "en"), zones=frozenset({SOUTH})),
        volunteer("Wen", languages=("zh",), zones=frozenset({SOUTH}), availability=0),
    ]
    ranked = rank(people, [chinese], PLAN).ranked
    assert [s.candidate.name for s in ranked] == ["Li", "Wen", "Ana"]
    assert [s.score for s in ranked][0] < ranked[2].score  # the score alone would put Ana first
    assert reasons_text(ranked[0].reasons, 1, "en").startswith("speaks Chinese")
    assert reasons_text(ranked[2].reasons, 1, "en").startswith("does not speak Chinese")


def test_ranking_puts_the_best_first_and_the_excluded_apart() -> None:
    people = [
        volunteer("Zoe", zones=frozenset({SOUTH})),  # 30 less
        volunteer("Bea", languages=("en",)),  # 25 less
        volunteer("Ana"),
        volunteer("Ángel"),  # same score as Ana: by name, accents aside ("Ana" < "Ángel")
        volunteer("Carl", active=False),
        volunteer("Dora", runs_this_week=3, active=False),
        volunteer("Eve", runs_this_week=3),
    ]
    ranking = rank(people, [need()], PLAN)
    # Bea, the better score, does not speak the caller's language: those who do come first.
    assert [s.candidate.name for s in ranking.ranked] == ["Ana", "Ángel", "Zoe", "Bea"]
    # Active ones first (almost matches), then the fewest exclusions.
    assert [s.candidate.name for s in ranking.excluded] == ["Eve", "Carl", "Dora"]
    assert all(s.excluded for s in ranking.excluded)
    assert rank(people, [], PLAN).ranked == []


def test_a_selection_ranks_by_the_request_they_fit_worst() -> None:
    north, south = need(code="R1"), need(zone=SOUTH, code="R2", language="en")
    both = volunteer("Ana", zones=frozenset({NORTH, SOUTH}))
    north_only = volunteer("Bea")
    suggestion = combine([score(both, n, PLAN) for n in (north, south)])
    assert suggestion.requests == 2
    assert suggestion.score == min(score(both, n, PLAN).score for n in (north, south))
    assert suggestion.total == sum(score(both, n, PLAN).score for n in (north, south))
    said = reasons_text(suggestion.reasons, suggestion.requests, "en")
    assert said.startswith("speaks Spanish (1 of 2 requests) · same zone · shops or drives")
    assert "speaks English (1 of 2 requests)" in said
    ranking = rank([north_only, both], [north, south], PLAN)
    assert [s.candidate.name for s in ranking.ranked] == ["Ana", "Bea"]
    # An exclusion for any one request excludes.
    prescriptions = need("prescriptions", code="R3")
    ranking = rank([volunteer("Cy", vetted=False)], [north, prescriptions], PLAN)
    assert ranking.ranked == [] and len(ranking.excluded) == 1
    [excluded] = ranking.excluded
    assert (
        reasons_text(excluded.exclusions, 2, "en") == "not vetted for prescription pickup (1 of 2 requests)"
    )


def test_reasons_render_in_spanish_with_spanish_days_languages_and_needs() -> None:
    match = score(volunteer(), need(), PLAN)
    said = [reason_text(r, "es") for r in match.reasons]
    assert said == [  # the app's Spanish catalog, Babel's day and language names
        "habla español",
        "misma zona",
        "hace compras o maneja",
        "libre el sábado en la mañana",  # the whole day: "el mar" read as the sea
        "rutas esta semana: 1 de 3",
    ]
    excluded = score(volunteer(vetted=False), need("prescriptions"), PLAN)
    assert [reason_text(r, "es") for r in excluded.exclusions] == ["no está aprobado para recoger medicinas"]
    vietnamese = score(volunteer(languages=("vi",)), need(language="vi"), PLAN)
    assert reason_text(vietnamese.reasons[0], "es") == "habla vietnamita"
    assert reason_text(vietnamese.reasons[0], "en") == "speaks Vietnamese"
