"""How the import wizard words things, in the UI language: fields, what an answer means, who a
row may repeat, what happens to a row, and the problems of a cell."""

from __future__ import annotations

from typing import Any

from aiddesk.domain.enums import ContactMethod, Labelled, Recurring, Skill, Urgency
from aiddesk.domain.sheet_fields import FIELDS, KIND_LABELS, SheetKind
from aiddesk.domain.sheet_row import CellIssue, RowOutcome
from aiddesk.domain.sheet_values import Vocabulary
from aiddesk.i18n import LANGUAGES, _, current_language
from aiddesk.services.sheet_import import Preview, Suggestion, describe
from aiddesk.services.sheet_import_plan import Choice, Decision, ImportSummary, column_letter, count_texts

_ENUMS: dict[str, type[Labelled]] = {
    "urgency": Urgency,
    "recurring": Recurring,
    "contact_method": ContactMethod,
    "skill": Skill,
}


def kind_label(kind: SheetKind) -> str:
    return _(KIND_LABELS[kind])


def field_label(kind: SheetKind, key: str) -> str:
    return _(FIELDS[kind][key].label)


def language_name(code: str) -> str:
    """ "es" -> "Spanish" (or "español"), in the UI language; the code when Babel does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(current_language())
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:] if name else code


def meaning_text(kind: SheetKind, key: str, value: Any, words: Vocabulary) -> str:
    """What a meaning stands for, as a person reads it."""
    spec = FIELDS[kind][key]
    if value is None:
        return _("(leave empty)")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, tuple):
        return ", ".join(meaning_text(kind, key, v, words) for v in value) or _("(leave empty)")
    vocabulary = spec.vocabulary
    if vocabulary in ("need", "zone"):
        labels = words.needs if vocabulary == "need" else words.zones
        for label in labels:
            if label.id == value:
                first, other = (
                    (label.label_es, label.label_en)
                    if current_language() == "es"
                    else (label.label_en, label.label_es)
                )
                return first or other
        return str(value)
    if vocabulary in _ENUMS:
        try:
            return _(_ENUMS[vocabulary](value).label)
        except ValueError:
            return str(value)
    if vocabulary == "sheet_language":
        return LANGUAGES.get(str(value), str(value))
    if vocabulary == "language":
        return language_name(str(value))
    return str(value)


def options(kind: SheetKind, key: str, words: Vocabulary) -> list[Any]:
    """The meanings an answer of the field may be given (leaving it empty comes first)."""
    spec = FIELDS[kind][key]
    if spec.vocabulary == "":
        return [None, True, False]
    return [None, *words.options(spec.vocabulary)]


def by_text(by: str) -> str:
    return {
        "phone": _("same phone number"),
        "name_address": _("same name and address"),
        "name": _("same name"),
    }.get(by, by)


def suggestion_text(suggestion: Suggestion, kind: SheetKind) -> str:
    if suggestion.record_id is None:
        return _("Together with row %(row)d (%(why)s)") % {
            "row": suggestion.row or 0,
            "why": by_text(suggestion.by),
        }
    text = (
        _("Add to %(code)s %(name)s (%(why)s)")
        if kind is SheetKind.PERSON_REQUESTS
        else _("Fill in %(code)s %(name)s (%(why)s)")
    )
    return text % {"code": suggestion.code, "name": suggestion.name, "why": by_text(suggestion.by)}


def decision_text(decision: Decision | None, kind: SheetKind) -> str:
    if decision is None:
        return _("Not imported")
    if decision.choice is Choice.SKIP:
        return _("Skip")
    if decision.choice is Choice.ATTACH and decision.target is not None:
        return suggestion_text(decision.target, kind)
    return _("New person") if kind is SheetKind.PERSON_REQUESTS else _("New volunteer")


def issue_text(found: Preview, row: int, issue: CellIssue) -> str:
    """A problem with its cell and the column's question."""
    reason = describe(issue.message, issue.params)
    if issue.column is None:
        return reason
    return _("%(cell)s (“%(column)s”): %(reason)s") % {
        "cell": f"{column_letter(issue.column)}{row}",
        "column": found.column_name(issue.column),
        "reason": reason,
    }


def who_text(outcome: RowOutcome) -> str:
    if outcome.intake is not None:
        person = outcome.intake.person
        return " — ".join(t for t in (person["name"], person["phone_raw"]) if t)
    if outcome.volunteer is not None:
        return " — ".join(t for t in (outcome.volunteer.name, outcome.volunteer.phone) if t)
    return outcome.who


def repeat_text(suggestion: Suggestion) -> str:
    """Who a row may repeat, and why."""
    if suggestion.record_id is None:
        return _("Maybe the same as row %(row)d (%(why)s)") % {
            "row": suggestion.row or 0,
            "why": by_text(suggestion.by),
        }
    return _("Maybe %(code)s %(name)s (%(why)s)") % {
        "code": suggestion.code,
        "name": suggestion.name,
        "why": by_text(suggestion.by),
    }


def cell_text(row: int, issue: CellIssue) -> str:
    """A problem with its cell ("C5: ..."), short enough for a table."""
    reason = describe(issue.message, issue.params)
    if issue.column is None:
        return reason
    return _("%(cell)s: %(reason)s") % {"cell": f"{column_letter(issue.column)}{row}", "reason": reason}


def what_text(outcome: RowOutcome, kind: SheetKind, words: Vocabulary) -> str:
    """The needs of a caller row, the skills and languages of a roster row."""
    if outcome.intake is not None:
        return ", ".join(meaning_text(kind, "needs", n.category_id, words) for n in outcome.intake.needs)
    if outcome.volunteer is not None:
        parts = [meaning_text(kind, "skills", s, words) for s in outcome.volunteer.skills]
        parts += [language_name(code) for code in outcome.volunteer.languages]
        return ", ".join(parts)
    return ""


def summary_lines(summary: ImportSummary) -> list[str]:
    """What storing did (or will do), one count a line."""
    return count_texts(summary) or [_("Nothing to import.")]
