"""One short guide per screen: what it is for, then its keys. The texts are marked for the
catalog (N_) and translated when shown, so they follow the live language switch."""

from __future__ import annotations

from dataclasses import dataclass

from aiddesk.i18n import N_


@dataclass(frozen=True)
class Guide:
    title: str  # N_ text
    purpose: tuple[str, ...]  # N_ paragraphs
    keys: tuple[tuple[str, str], ...] = ()  # (the keys, N_ what they do); keys are translated too


ANY_SCREEN_KEYS: tuple[tuple[str, str], ...] = (
    ("F1", N_("This guide, for the screen in front of you")),
    ("Ctrl+Q", N_("Close AidDesk")),
)

GUIDES: dict[str, Guide] = {
    "intake": Guide(
        N_("Intake: taking a call"),
        (
            N_(
                "Write down each call here as it happens: who is calling, what they need, and whether they agree to be contacted."
            ),
            N_(
                "Type the phone number or the name first: people who called before show on the right; take the call for them so their details are not typed twice."
            ),
            N_(
                "Read the consent text to the caller in their language and tick the box only if they say yes. Add one need per thing they ask for."
            ),
            N_("What you type is kept as a draft: if the computer stops, the call comes back."),
        ),
        (
            (N_("Enter"), N_("Next field")),
            ("Ctrl+S", N_("Save the call")),
            (N_("Ctrl+N / Esc"), N_("Start the next call")),
            ("Ctrl+Shift+N", N_("Add a need")),
            ("Ctrl+Shift+Del", N_("Remove the need")),
            (N_("Ctrl+Down / Ctrl+Up"), N_("Choose an earlier caller")),
            (N_("Ctrl+Enter, Alt+1…9"), N_("Take the call for that caller")),
        ),
    ),
    "requests": Guide(
        N_("Requests: the queue"),
        (
            N_(
                "Every request from every call, to sort out: the chips at the top filter by status and show how many are in each."
            ),
            N_(
                "Choose a request to see its details and history below; move it to its next status when something happened (several at once too)."
            ),
            N_("The Open person button shows everything about the person who asked."),
        ),
        (
            (N_("Up / Down"), N_("Choose a request")),
            (N_("Shift+Up / Shift+Down"), N_("Choose several, to move them together")),
            (N_("A column's title"), N_("Sort by that column")),
        ),
    ),
    "matching": Guide(
        N_("Matching: who can help"),
        (
            N_(
                "For requests that are ready, the volunteers who fit best come first, with the reasons in words; those ruled out say why."
            ),
            N_("Choose a day and a time, one or more requests, then a volunteer, and plan a run."),
        ),
        ((N_("Double-click"), N_("Plan a run with that volunteer")),),
    ),
    "deliveries": Guide(
        N_("Deliveries: the runs"),
        (
            N_(
                "The runs of a day and their stops: plan a run, start it, and record what happened at each stop."
            ),
            N_("Print the route sheets for the drivers; each sheet is in its driver's language."),
        ),
        ((N_("Double-click"), N_("Record what happened at that stop")),),
    ),
    "volunteers": Guide(
        N_("Volunteers: the roster"),
        (
            N_(
                "Everyone who helps: the languages they speak, their zone, when they are free and whether they are vetted."
            ),
            N_("Filter the list, add a volunteer, or open one to change their details."),
        ),
    ),
    "exchange": Guide(
        N_("Exchange: sharing with other desks"),
        (
            N_(
                "Desks share their records through Excel workbooks: export this desk's, merge another desk's (a dry run shows what would change first)."
            ),
            N_("With an exchange folder set in Settings, AidDesk does this by itself every minute."),
            N_(
                "A spreadsheet AidDesk did not make (a form's answers, an old list) comes in with “Import a spreadsheet…”."
            ),
        ),
    ),
    "conflicts": Guide(
        N_("Conflicts: decisions waiting"),
        (
            N_(
                "When two desks changed the same thing, both values wait here: keep one, or type the right one."
            ),
            N_("Changes someone made by hand in a workbook wait here too: accept or reject them."),
        ),
    ),
    "audit": Guide(
        N_("Audit trail: who did what"),
        (
            N_(
                "Every call saved, status change, merge, export, erasure, restore, sign-in and account change, newest first, with who did it and when."
            ),
            N_(
                "Choose an account, an action, days or a person's code to narrow the list; “Save as CSV…” saves what the filters show."
            ),
            N_(
                "The trail cannot be changed here. “aiddesk check” tells if anyone changed or removed entries behind AidDesk's back."
            ),
        ),
    ),
    "settings": Guide(
        N_("Settings"),
        (
            N_(
                "The desk's language, name and phone region; need categories and zones; the consent text; the backups; the exchange folder and the group password."
            ),
            N_("Change these only if you coordinate the desk."),
        ),
    ),
    "person": Guide(
        N_("A person's page"),
        (
            N_(
                "One person's details, calls, requests and history. Two records of the same person can be merged here."
            ),
        ),
        ((N_("Alt+Left"), N_("Back to the screen before")),),
    ),
    "overview": Guide(
        N_("Overview: today at a glance"),
        (
            N_(
                "What waits today, the day's runs, the requests waiting longest and the last 90 days in charts."
            ),
            N_("Print today's call-back list and packing list from here."),
        ),
    ),
}

GENERAL = Guide(
    N_("AidDesk"),
    (N_("Choose a screen on the left. Press F1 on any screen for its guide."),),
)


def guide_for(key: str) -> Guide:
    """The guide of the screen `key` (the general one for a screen without its own)."""
    return GUIDES.get(key, GENERAL)
