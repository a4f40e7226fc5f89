"""Matching volunteers to requests: a score that explains itself, and the rules that exclude.

Pure. A volunteer (`Candidate`) is scored against one request (`Need`) for a
planned day and time (`Plan`). Each rule adds a `Reason`: an English message
marked N_ with its parameters, translated when shown, and the points it gave:

- same zone as the caller: +30;
- speaks the caller's language: +25;
- has the skills the need requires (a ride needs a driver with a car,
  groceries someone who shops or drives, ...): +25, lacking them: -30;
- free on the planned day and slot: +20, not free: -10;
- room this week: up to +10 (none used of their maximum), shown as
  "runs this week: 1 of 3".

Hard rules exclude, whatever the score: inactive, no room left this week (the
run being planned would be one too many), not vetted (trained and background
checked) where the need requires it.

Those who speak the caller's language are ranked before those who do not, whatever
the score (a caller who speaks only Chinese needs a volunteer who speaks it; the
language reason is said first, so the list shows why).

For a selection of requests, planned as one run, a volunteer's score is the
LOWEST of their scores over the selected requests (how well they fit the
request they fit worst), ties broken by the sum; each reason says for how many
of the requests it holds, and an exclusion for any request excludes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from aiddesk.domain import availability
from aiddesk.domain.enums import Skill
from aiddesk.domain.markers import N_
from aiddesk.domain.sorting import name_sort_key

ZONE_POINTS = 30
LANGUAGE_POINTS = 25
SKILL_POINTS = 25
LACKING_SKILL_POINTS = -30
FREE_POINTS = 20
FREE_DAY_POINTS = 10  # free some time that day, when no time of day is planned
BUSY_POINTS = -10
ROOM_POINTS = 10  # all runs of the week still free
DOES_NOT_SPEAK = N_("does not speak %(language)s")


class Tone(StrEnum):
    FOR = "for"  # speaks for the volunteer
    AGAINST = "against"  # counts against them
    INFO = "info"  # worth knowing (runs this week)
    EXCLUDES = "excludes"  # a hard rule: they cannot be suggested


# ---- parameters that are named in the reader's language ------------------------------------


@dataclass(frozen=True)
class Day:
    """A weekday (Monday = 0), named in the reader's language."""

    index: int


@dataclass(frozen=True)
class Language:
    """A language code ("es"), named in the reader's language."""

    code: str


@dataclass(frozen=True)
class Label:
    """A need category or zone: its English and Spanish names."""

    en: str
    es: str

    def text(self, language: str) -> str:
        first, other = (self.es, self.en) if language == "es" else (self.en, self.es)
        return first or other


@dataclass(frozen=True)
class Reason:
    """One thing said about a volunteer: an English message marked N_ and its parameters."""

    message: str
    tone: Tone
    points: int = 0
    params: tuple[tuple[str, object], ...] = ()
    _hash: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:
        # Reasons are counted in dicts thousands of times per ranking: hash once.
        object.__setattr__(self, "_hash", hash((self.message, self.tone, self.points, self.params)))

    def __hash__(self) -> int:
        return self._hash

    def param_dict(self) -> dict[str, object]:
        return dict(self.params)


def reason(message: str, tone: Tone, points: int = 0, **params: object) -> Reason:
    return Reason(message, tone, points, tuple(sorted(params.items())))


# ---- the two sides -------------------------------------------------------------------------


@dataclass(slots=True)
class Candidate:
    """A volunteer as the score sees them, with the runs they already have in the planned week.

    `vetted`: trained and background checked. (Plain slots, not frozen: thousands are made per
    suggestion and a frozen dataclass takes twice as long to build.)"""

    id: str
    code: str
    name: str
    active: bool = True
    languages: tuple[str, ...] = ()
    skills: frozenset[str] = frozenset()
    zones: frozenset[str] = frozenset()
    availability: int = 0
    vetted: bool = False
    max_runs_week: int = 3
    runs_this_week: int = 0
    preferred_language: str = "en"


@dataclass(frozen=True)
class Need:
    """A request as the score sees it."""

    request_id: str
    code: str
    category_id: str
    category_key: str | None  # the default categories' key ("rides"); None for a desk's own
    category: Label
    zone_id: str | None = None
    language: str = ""  # the caller's language code; "" when unknown


@dataclass(frozen=True)
class Plan:
    """When the run would be, and which need categories require a vetted volunteer."""

    day: dt.date
    slots: tuple[int, ...] = ()  # empty: any time that day
    vetted_categories: frozenset[str] = frozenset()


# ---- skills each need requires -------------------------------------------------------------


@dataclass(frozen=True)
class SkillRule:
    """The need is covered by any one of `alternatives` (each a set of skills needed together)."""

    alternatives: tuple[frozenset[str], ...]
    has: str  # N_ message when they have it
    lacks: str  # N_ message when they lack it

    def met_by(self, skills: frozenset[str]) -> bool:
        # A plain loop: any() would make a generator per call, thousands of calls per ranking.
        for needed in self.alternatives:  # noqa: SIM110
            if needed <= skills:
                return True
        return False


def _skills(*skills: Skill) -> frozenset[str]:
    """Plain strings: hashing an Enum member runs Python code, ten times slower than a str."""
    return frozenset(str(skill) for skill in skills)


_DELIVERY = SkillRule(
    (_skills(Skill.SHOPPING), _skills(Skill.DRIVER)),
    N_("shops or drives"),
    N_("neither shops nor drives"),
)

# By the default need categories' keys; a desk's own categories require no skill.
SKILL_RULES: dict[str, SkillRule] = {
    "rides": SkillRule(
        (_skills(Skill.DRIVER, Skill.HAS_CAR),), N_("driver with a car"), N_("not a driver with a car")
    ),
    "groceries": _DELIVERY,
    "prescriptions": _DELIVERY,
    "hot_meals": _DELIVERY,
    "hygiene": _DELIVERY,
    "childcare": SkillRule((_skills(Skill.CHILDCARE),), N_("does childcare"), N_("does not do childcare")),
    "pet_care": SkillRule((_skills(Skill.PET_CARE),), N_("does pet care"), N_("does not do pet care")),
    "check_in": SkillRule(
        (_skills(Skill.CHECK_IN_CALLS), _skills(Skill.PHONE_LINE)),
        N_("makes check-in calls"),
        N_("does not make check-in calls"),
    ),
}

# Messages for the slots, so each language can place the day where it belongs.
_FREE_AT: tuple[str, ...] = (
    N_("free %(day)s morning"),
    N_("free %(day)s afternoon"),
    N_("free %(day)s evening"),
)
_BUSY_AT: tuple[str, ...] = (
    N_("not free %(day)s morning"),
    N_("not free %(day)s afternoon"),
    N_("not free %(day)s evening"),
)


# ---- scoring -------------------------------------------------------------------------------


@dataclass(slots=True)
class Match:
    """One volunteer against one request."""

    candidate: Candidate
    score: int
    reasons: tuple[Reason, ...]
    exclusions: tuple[Reason, ...]

    @property
    def excluded(self) -> bool:
        return bool(self.exclusions)


class Scorer:
    """Scores volunteers against one request for one plan.

    The reasons that do not depend on the volunteer are made once (and shared
    through `interned` between the scorers of one ranking, so equal reasons are
    the same object): scoring thousands of volunteers costs a few set look-ups each."""

    def __init__(self, need: Need, plan: Plan, interned: dict[Reason, Reason] | None = None) -> None:
        self.need = need
        self.plan = plan
        self._interned = interned if interned is not None else {}
        make = self._reason
        day = Day(plan.day.weekday())
        self._day = plan.day.weekday()
        self._same_zone = make(N_("same zone"), Tone.FOR, ZONE_POINTS)
        self._other_zone = make(N_("not their zone"), Tone.AGAINST)
        language = Language(need.language)
        self._speaks = make(N_("speaks %(language)s"), Tone.FOR, LANGUAGE_POINTS, language=language)
        self._does_not_speak = make(DOES_NOT_SPEAK, Tone.AGAINST, language=language)
        self._skill_rule = SKILL_RULES.get(need.category_key or "")
        if self._skill_rule is not None:
            self._has_skill = make(self._skill_rule.has, Tone.FOR, SKILL_POINTS)
            self._lacks_skill = make(self._skill_rule.lacks, Tone.AGAINST, LACKING_SKILL_POINTS)
        if plan.slots:
            # A window over two slots is named by its first; they must be free in all of them.
            first = plan.slots[0]
            self._free = make(_FREE_AT[first], Tone.FOR, FREE_POINTS, day=day)
            self._busy = make(_BUSY_AT[first], Tone.AGAINST, BUSY_POINTS, day=day)
        else:
            self._free = make(N_("free on %(day)s"), Tone.FOR, FREE_DAY_POINTS, day=day)
            self._busy = make(N_("not free on %(day)s"), Tone.AGAINST, BUSY_POINTS, day=day)
        self._mask = availability.from_slots((self._day, slot) for slot in plan.slots)
        self._inactive = make(N_("inactive"), Tone.EXCLUDES)
        self._needs_vetting = need.category_id in plan.vetted_categories
        self._not_vetted = make(N_("not vetted for %(need)s"), Tone.EXCLUDES, need=need.category)
        self._runs: dict[tuple[int, int], tuple[Reason, bool]] = {}

    def _reason(self, message: str, tone: Tone, points: int = 0, **params: object) -> Reason:
        made = reason(message, tone, points, **params)
        return self._interned.setdefault(made, made)

    def _room(self, runs: int, most: int) -> tuple[Reason, bool]:
        """The runs-this-week reason and whether one more run is too many."""
        key = (runs, most)
        found = self._runs.get(key)
        if found is None:
            if runs + 1 > most:
                if most <= 0:
                    found = (self._reason(N_("takes no runs for now"), Tone.EXCLUDES), True)
                else:
                    message = (
                        N_("already has 1 run this week (at most %(max)d)")
                        if runs == 1
                        else N_("already has %(runs)d runs this week (at most %(max)d)")
                    )
                    found = (self._reason(message, Tone.EXCLUDES, runs=runs, max=most), True)
            else:
                points = round(ROOM_POINTS * (most - runs) / most)
                message = N_("runs this week: %(runs)d of %(max)d")
                found = (self._reason(message, Tone.INFO, points, runs=runs, max=most), False)
            self._runs[key] = found
        return found

    def _is_free(self, mask: int) -> bool:
        if self._mask:
            return mask & self._mask == self._mask
        return availability.free_on_day(mask, self._day)

    def score(self, candidate: Candidate) -> Match:
        points, reasons, exclusions = self.parts(candidate)
        return Match(candidate, points, reasons, exclusions)

    def parts(self, candidate: Candidate) -> tuple[int, tuple[Reason, ...], tuple[Reason, ...]]:
        """(score, reasons, exclusions) of one volunteer."""
        need = self.need
        reasons: list[Reason] = []
        exclusions: list[Reason] = []
        if not candidate.active:
            exclusions.append(self._inactive)
        if need.language:
            reasons.append(self._speaks if need.language in candidate.languages else self._does_not_speak)
        if need.zone_id:
            reasons.append(self._same_zone if need.zone_id in candidate.zones else self._other_zone)
        if self._skill_rule is not None:
            reasons.append(
                self._has_skill if self._skill_rule.met_by(candidate.skills) else self._lacks_skill
            )
        reasons.append(self._free if self._is_free(candidate.availability) else self._busy)
        room, full = self._room(candidate.runs_this_week, candidate.max_runs_week)
        (exclusions if full else reasons).append(room)
        if self._needs_vetting and not candidate.vetted:
            exclusions.append(self._not_vetted)
        points = 0
        for item in reasons:
            points += item.points
        return points, tuple(reasons), tuple(exclusions)


def score(candidate: Candidate, need: Need, plan: Plan) -> Match:
    """One volunteer against one request."""
    return Scorer(need, plan).score(candidate)


# ---- ranking -------------------------------------------------------------------------------

# A reason and for how many of the scored requests it holds (a plain pair: thousands are made).
Counted = tuple[Reason, int]


@dataclass(slots=True)
class Suggestion:
    """One volunteer against every selected request.

    `said` and `ruled_out` hold each distinct reason once; `said_counts` and
    `ruled_out_counts` for how many of the requests each holds (None: for all)."""

    candidate: Candidate
    score: int  # the lowest over the requests
    total: int  # the sum over the requests (breaks ties)
    said: tuple[Reason, ...]
    ruled_out: tuple[Reason, ...]
    requests: int = 1  # how many requests were scored
    said_counts: tuple[int, ...] | None = None
    ruled_out_counts: tuple[int, ...] | None = None

    @property
    def excluded(self) -> bool:
        return bool(self.ruled_out)

    @property
    def reasons(self) -> tuple[Counted, ...]:
        """What speaks for and against them, each with how many requests it holds for."""
        return _pairs(self.said, self.said_counts, self.requests)

    @property
    def exclusions(self) -> tuple[Counted, ...]:
        """What rules them out, each with how many requests it holds for."""
        return _pairs(self.ruled_out, self.ruled_out_counts, self.requests)


def _pairs(reasons: tuple[Reason, ...], counts: tuple[int, ...] | None, every: int) -> tuple[Counted, ...]:
    if counts is None:
        return tuple((r, every) for r in reasons)
    return tuple(zip(reasons, counts, strict=True))


@dataclass
class Ranking:
    ranked: list[Suggestion] = field(default_factory=list)  # best first
    # Active ones first, then the fewest exclusions, then the best score.
    excluded: list[Suggestion] = field(default_factory=list)


def _counted(groups: Iterable[Sequence[Reason]]) -> tuple[tuple[Reason, ...], tuple[int, ...]]:
    """Each distinct reason once, in the order first said, and how many groups hold it."""
    counts: dict[Reason, int] = {}
    for group in groups:
        for item in group:
            counts[item] = counts.get(item, 0) + 1
    return tuple(counts), tuple(counts.values())


def _suggestion(
    candidate: Candidate, parts: Sequence[tuple[int, tuple[Reason, ...], tuple[Reason, ...]]]
) -> Suggestion:
    """One volunteer's (score, reasons, exclusions) against each selected request, as one suggestion."""
    if len(parts) == 1:
        points, reasons, exclusions = parts[0]
        return Suggestion(candidate, points, points, reasons, exclusions)
    scores = [p[0] for p in parts]
    said, said_counts = _counted(p[1] for p in parts)
    ruled_out, ruled_out_counts = _counted(p[2] for p in parts)
    return Suggestion(
        candidate, min(scores), sum(scores), said, ruled_out, len(parts), said_counts, ruled_out_counts
    )


def combine(matches: Sequence[Match]) -> Suggestion:
    """One volunteer's matches against each selected request, as one suggestion."""
    if not matches:
        raise ValueError("nothing to combine")
    return _suggestion(matches[0].candidate, [(m.score, m.reasons, m.exclusions) for m in matches])


def _not_understood(s: Suggestion) -> int:
    """For how many of the requests they do not speak the caller's language."""
    for item, count in s.reasons:
        if item.message == DOES_NOT_SPEAK:
            return count
    return 0


def _ranked_key(s: Suggestion, language: str) -> tuple[int, int, int, str, str]:
    return (
        _not_understood(s),
        -s.score,
        -s.total,
        name_sort_key(s.candidate.name, language),
        s.candidate.code,
    )


def _excluded_key(s: Suggestion, language: str) -> tuple[bool, int, int, int, str, str]:
    # Inactive volunteers last: they left the roster, the others are "almost" matches.
    return (
        not s.candidate.active,
        len(s.ruled_out),
        -s.score,
        -s.total,
        name_sort_key(s.candidate.name, language),
        s.candidate.code,
    )


def rank(candidates: Iterable[Candidate], needs: Sequence[Need], plan: Plan, language: str = "en") -> Ranking:
    """Every volunteer against every need: the eligible ones ranked, the excluded ones apart
    (equals by name, as `language` sorts names)."""
    if not needs:
        return Ranking()
    interned: dict[Reason, Reason] = {}
    scorers = [Scorer(need, plan, interned) for need in needs]
    ranking = Ranking()
    ranked, excluded = ranking.ranked.append, ranking.excluded.append
    if len(scorers) == 1:
        parts = scorers[0].parts
        for candidate in candidates:
            points, reasons, exclusions = parts(candidate)
            (excluded if exclusions else ranked)(Suggestion(candidate, points, points, reasons, exclusions))
    else:
        all_parts = [scorer.parts for scorer in scorers]
        for candidate in candidates:
            suggestion = _suggestion(candidate, [parts(candidate) for parts in all_parts])
            (excluded if suggestion.ruled_out else ranked)(suggestion)
    ranking.ranked.sort(key=lambda s: _ranked_key(s, language))
    ranking.excluded.sort(key=lambda s: _excluded_key(s, language))
    return ranking
