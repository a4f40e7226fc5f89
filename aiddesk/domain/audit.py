"""The audit trail's kinds of entry and their names as a coordinator reads them.

An entry's detail holds record codes, ids, counts and options only: never a person's name,
phone, address or note (account names are the desk's own accounts)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from aiddesk.domain.markers import N_

# The hook for the retention run (issue "A locked desk", Retention): `tx.audit(RETENTION_RUN, …)`.
RETENTION_RUN = "retention_run"

ACTION_LABELS: Mapping[str, str] = MappingProxyType(
    {
        # calls and people
        "call_logged": N_("Call saved"),
        "person_added": N_("Person added"),
        "person_updated": N_("Person updated at a call"),
        "person_edited": N_("Person edited"),
        "merged": N_("People merged"),
        "merge_followed": N_("Requests and calls moved to the person kept in a merge"),
        "not_same_person": N_("Marked as different people"),
        "erased": N_("Person erased"),
        # requests and deliveries
        "status": N_("Request status changed"),
        "request_recurred": N_("Recurring request made again"),
        "run_planned": N_("Run planned"),
        "run_stops_added": N_("Stops added to a run"),
        "run_stop_removed": N_("Stop removed from a run"),
        "run_reordered": N_("Run reordered"),
        "run_out": N_("Run started"),
        "run_done": N_("Run finished"),
        "run_cancelled": N_("Run cancelled"),
        "stop_recorded": N_("Delivery recorded"),
        # volunteers
        "volunteer_added": N_("Volunteer added"),
        "volunteer_edited": N_("Volunteer edited"),
        "volunteer_deactivated": N_("Volunteer made inactive"),
        "volunteer_reactivated": N_("Volunteer made active"),
        "vetting_setting": N_("Vetting rule changed"),
        # exchange
        "merge": N_("Workbook merged"),
        "sheet_imported": N_("Sheet imported"),
        "resolve_conflict": N_("Conflict decided"),
        "accept_hand_edit": N_("Hand edit accepted"),
        "exported": N_("Export saved"),
        "export_refused": N_("Export refused"),
        # the desk
        "desk_settings": N_("Desk settings changed"),
        "label_added": N_("Label added"),
        "label_renamed": N_("Label renamed"),
        "label_retired": N_("Label retired"),
        "label_restored": N_("Label restored"),
        "consent_script": N_("Consent script changed"),
        "demo_data": N_("Demo data made"),
        "new_desk_identity": N_("New desk identity"),
        "restored": N_("Backup restored"),
        "audit_resealed": N_("Audit trail sealed with the encryption key"),
        RETENTION_RUN: N_("Retention run"),
        "retention_settings": N_("Retention settings changed"),
        # accounts and access
        "desk_unlocked": N_("Desk opened"),
        "desk_unlock_refused": N_("Desk not opened: the account may not open it"),
        "sign_in": N_("Signed in"),
        "sign_in_failed": N_("Failed sign-in"),
        "shift_start": N_("Shift started"),
        "shift_end": N_("Shift ended"),
        "account_added": N_("Account added"),
        "account_role": N_("Account role changed"),
        "account_secret": N_("Account passphrase or PIN changed"),
        "account_disabled": N_("Account disabled"),
        "account_enabled": N_("Account enabled"),
    }
)


# What each key of an entry's detail means, as the audit screen and its CSV name it.
DETAIL_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "by": N_("by"),
        "calls": N_("calls"),
        "categories": N_("categories"),
        "code": N_("code"),
        "conflicts": N_("conflicts"),
        "desk": N_("desk"),
        "drafts": N_("half-typed calls forgotten"),
        "enabled": N_("turned on"),
        "failed_before": N_("failed tries before"),
        "failures": N_("failed tries"),
        "fields": N_("fields"),
        "filled": N_("fields filled in"),
        "id": N_("record id"),
        "kind": N_("kind of record"),
        "label_en": N_("in English"),
        "label_es": N_("in Spanish"),
        "language": N_("language"),
        "locked": N_("locked with a password"),
        "name": N_("name"),
        "new": N_("new"),
        "other": N_("other person"),
        "outcome": N_("outcome"),
        "people": N_("people"),
        "people_months": N_("months people are kept"),
        "person": N_("person"),
        "previous": N_("previous request"),
        "proposals": N_("hand edits"),
        "records": N_("records"),
        "recovery": N_("with the recovery key"),
        "redacted": N_("redacted"),
        "region": N_("phone region"),
        "rejected": N_("cells refused"),
        "request": N_("request"),
        "request_months": N_("months requests are kept"),
        "requests": N_("requests"),
        "role": N_("role"),
        "rows": N_("rows"),
        "sheet": N_("sheet"),
        "since": N_("since"),
        "source": N_("file"),
        "stops": N_("stops"),
        "to": N_("new status"),
        "unchanged": N_("unchanged"),
        "updated": N_("updated"),
        "version": N_("version"),
    }
)

# Values of the detail that are words, not codes or counts.
DETAIL_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "retention": N_("forgetting old data"),
        "en": N_("English"),
        "es": N_("Spanish"),
    }
)


def action_label(action: str) -> str:
    """The untranslated name of `action` (the action itself when it has none)."""
    return ACTION_LABELS.get(action, action)
