"""argparse's own words (usage, options, its error messages), so that `aiddesk --help` and a
mistyped command speak the shell's language like the rest of the command.

argparse looks its texts up through the module's `_` and `ngettext` (gettext's, which knows no
catalog of ours); `speak_our_language()` points them at AidDesk's catalog. The texts are those of
Python 3.11's argparse, marked here so the catalog carries them; one missing from the catalog (a
later Python's new wording) stays in English, never breaks."""

from __future__ import annotations

import argparse

from aiddesk import i18n
from aiddesk.domain.markers import N_

WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("one of the arguments %s is required"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)


def _plural(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":  # argparse's one plural, written out for the catalog
        return i18n.ngettext("expected %s argument", "expected %s arguments", n)
    return i18n.ngettext(singular, plural, n)


def speak_our_language() -> None:
    """argparse's texts from now on through AidDesk's catalog, in the current language."""
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = _plural  # type: ignore[attr-defined]
