"""Another desk that uses this desk's code: said after a merge, so that one of the two desks
takes another code before more records share their codes (a call-back made to the wrong caller)."""

from __future__ import annotations

from aiddesk.i18n import _
from aiddesk.store.database import Database
from aiddesk.store.repositories import desk as desk_repo
from aiddesk.store.repositories.exchange import known_desks


def same_code_warning(db: Database) -> str:
    """The warning, in the current language; empty when no other desk uses this desk's code."""
    with db.session() as session:
        others = known_desks.sharing_our_code(session)
        desk = desk_repo.get_desk(session)
        if not others or desk is None:
            return ""
        names = ", ".join(f"“{row.name}”" for row in others)
        code = desk.code
    return _(
        "Careful: another desk (%(desks)s) uses this desk's code %(code)s, so records of both desks "
        "have the same codes (two callers can both be %(code)s-P0001). Give one of the two desks "
        "another code in Settings before more records are made."
    ) % {"desks": names, "code": code}
