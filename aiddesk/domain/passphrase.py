"""What makes a passphrase strong enough to guard an encrypted desk's key.

A passphrase is stretched with a memory-hard function (about half a second a try), yet a
stolen laptop gives an attacker all the time in the world: it needs at least 12 characters,
and not a run of the same few (a PIN or "aaaaaaaaaaaa" is refused). A few words people
remember ("green bus seven tortillas") are better than a short jumble."""

from __future__ import annotations

from aiddesk.domain.markers import N_
from aiddesk.domain.validation import Problem

MIN_LENGTH = 12
MIN_DIFFERENT = 5  # different characters in it
MIN_RECOVERY = 12  # a demo desk's recovery key chosen by hand (AIDDESK_SECRET)


def passphrase_problems(passphrase: str, again: str | None = None, *, name: str = "") -> list[Problem]:
    """Problems with a new passphrase ("passphrase", "again" fields); [] when it will do."""
    if len(passphrase) < MIN_LENGTH:
        return [
            Problem(
                "passphrase",
                N_("A passphrase needs at least %(min)d characters: a few words you remember are best."),
                {"min": MIN_LENGTH},
            )
        ]
    if len(set(passphrase.casefold())) < MIN_DIFFERENT or passphrase.isdigit():
        return [Problem("passphrase", N_("This passphrase is too easy to guess. Use a few different words."))]
    if name.strip() and passphrase.casefold().strip() == name.casefold().strip():
        return [Problem("passphrase", N_("The passphrase cannot be your name."))]
    if again is not None and again != passphrase:
        return [Problem("again", N_("The two passphrases are not the same. Type them again."))]
    return []
