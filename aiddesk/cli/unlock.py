"""Unlocking an encrypted desk for a headless command.

The secret comes from the environment variable AIDDESK_SECRET only: never an argument (other
users see a command line) nor standard input (commands never read it). It is the recovery
key, or with `--user NAME` that person's passphrase (a name without a passphrase of its own
is only recorded on what is saved, and the secret is then the recovery key). A missing or
wrong secret: one line and exit status 2."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from aiddesk.cli.output import UsageError
from aiddesk.i18n import _

if TYPE_CHECKING:
    from aiddesk.paths import DeskPaths
    from aiddesk.services.desk.encryption import DeskKey

SECRET_ENV = "AIDDESK_SECRET"
NO_KEY_NEEDED = frozenset({"backups"})  # the list of backups reads only file names


def secret() -> str:
    return os.environ.get(SECRET_ENV, "")


def desk_key(args: argparse.Namespace, paths: DeskPaths) -> DeskKey | None:
    """The desk key of an encrypted desk (None for a plain one); UsageError when the secret is
    missing or does not open it."""
    from aiddesk.services.desk import encryption

    encryption.finish_interrupted(paths.database)
    if args.command in NO_KEY_NEEDED or not encryption.is_encrypted(paths.database):
        return None
    given = secret()
    if not given:
        raise UsageError(
            _(
                "This desk is encrypted. Put its recovery key, or with --user NAME that person's "
                "passphrase, in the environment variable %(variable)s."
            )
            % {"variable": SECRET_ENV}
        )
    name = args.user if args.user and args.user in _names(paths) else None
    try:
        key = encryption.unlock(paths.database, given, name)
        encryption.finish_conversion(paths.database, key)
        args.unlocked_by = name  # their passphrase opened it: the command acts with their role
        return key
    except encryption.WrongSecret:
        if name:
            message = _("%(variable)s is not the passphrase of %(name)s: the desk stays locked.")
        else:
            message = _("%(variable)s is not this desk's recovery key: the desk stays locked.")
        raise UsageError(message % {"variable": SECRET_ENV, "name": name or ""}) from None
    except encryption.KeyFileDamaged:
        raise UsageError(
            _(encryption.DAMAGED_KEYS_TEXT) % {"file": str(encryption.keys_path(paths.database))}
        ) from None


def _names(paths: DeskPaths) -> _Names:
    from aiddesk.services.desk import encryption

    try:
        return _Names(encryption.names(paths.database))
    except (OSError, encryption.KeyFileDamaged):
        return _Names([])


class _Names:
    """Names compared as the key file compares them (spaces and case do not matter)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names

    def __contains__(self, name: object) -> bool:
        from aiddesk.services.desk.encryption import same_name

        return isinstance(name, str) and any(same_name(name, n) for n in self.names)


def acting_account(args: argparse.Namespace, paths: DeskPaths) -> str | None:
    """The account whose passphrase unlocked the desk, with its role (None: no such account; the
    recovery key and a plain desk act with every right)."""
    from aiddesk.services import accounts
    from aiddesk.store.migrate import open_database

    db = open_database(paths.database, key=args.desk_key)
    try:
        return accounts.acting_account(db, str(args.unlocked_by))
    finally:
        db.close()
