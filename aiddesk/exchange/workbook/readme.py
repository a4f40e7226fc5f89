"""The README sheet of an exchange workbook: what it is and how to use it, in the user's language."""

from __future__ import annotations

from collections.abc import Callable

from aiddesk.domain.markers import N_


def readme_lines(gettext: Callable[[str], str], desk_name: str, desk_code: str, redacted: bool) -> list[str]:
    lines = [
        gettext(N_("AidDesk workbook from the desk %(name)s (%(code)s)."))
        % {"name": desk_name, "code": desk_code},
        "",
    ]
    if redacted:
        lines += [
            gettext(
                N_(
                    "This copy is redacted: names, phone numbers, addresses, notes and everything else "
                    "someone typed are left out."
                )
            ),
            gettext(
                N_(
                    "Each person, phone, record and whoever took a call has a pseudonym instead, so rows "
                    "can still be counted and matched."
                )
            ),
            gettext(N_("It is for reading and counting only; AidDesk will not merge it.")),
        ]
        return lines
    return lines + [
        gettext(N_("This file carries this desk's records to the other desks of the network.")),
        gettext(N_("In AidDesk, open Exchange and choose “Merge a workbook” to bring it into another desk.")),
        gettext(
            N_(
                "You may correct a cell here: the desk that merges the file shows each change as a proposal to accept or reject."
            )
        ),
        gettext(N_("Grey columns such as codes are worked out by AidDesk; changes there are not taken.")),
        gettext(N_("Deleting a row here deletes nothing: delete records in AidDesk itself.")),
        gettext(N_("The hidden sheets hold what the merge needs; please leave them as they are.")),
        gettext(
            N_(
                "This file holds private information about people who asked for help. Keep it safe and delete it when you no longer need it."
            )
        ),
    ]
