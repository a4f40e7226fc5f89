"""Enumerations of the records, each value with a label marked for translation."""

from __future__ import annotations

from enum import StrEnum

from aiddesk.domain.markers import N_


class Labelled(StrEnum):
    """A StrEnum whose members carry an English label (translated when shown)."""

    @property
    def label(self) -> str:
        # Keyed by class too: members of two enums with the same value are equal as strings.
        return _LABELS[(type(self), self.value)]


class RequestStatus(Labelled):
    NEW = "new"
    NEEDS_INFO = "needs_info"
    CALL_BACK = "call_back"
    READY = "ready"
    ASSIGNED = "assigned"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    FAILED = "failed"
    DUPLICATE = "duplicate"
    REFERRED_OUT = "referred_out"
    OUT_OF_AREA = "out_of_area"
    WITHDRAWN = "withdrawn"
    UNABLE_TO_FULFILL = "unable_to_fulfill"


class Urgency(Labelled):
    WITHIN_24H = "within_24h"
    DAYS_2_3 = "days_2_3"
    THIS_WEEK = "this_week"
    FLEXIBLE = "flexible"


class Recurring(Labelled):
    ONCE = "once"
    WEEKLY = "weekly"
    OCCASIONALLY = "occasionally"


class CallChannel(Labelled):
    PHONE = "phone"
    VOICEMAIL = "voicemail"
    TEXT = "text"
    WALK_IN = "walk_in"
    REFERRAL = "referral"


class CallOutcome(Labelled):
    NEW_REQUEST = "new_request"
    UPDATED_EXISTING = "updated_existing"
    HUNG_UP = "hung_up"
    VOICEMAIL_LEFT = "voicemail_left"
    WRONG_NUMBER = "wrong_number"
    WILL_CALL_BACK = "will_call_back"
    INFORMATION_ONLY = "information_only"


class ContactMethod(Labelled):
    PHONE = "phone"
    TEXT = "text"
    EMAIL = "email"
    NONE = "none"


class Skill(Labelled):
    DRIVER = "driver"
    HAS_CAR = "has_car"
    SHOPPING = "shopping"
    PHONE_LINE = "phone_line"
    TRANSLATION = "translation"
    CHILDCARE = "childcare"
    CHECK_IN_CALLS = "check_in_calls"
    PET_CARE = "pet_care"


class FailureReason(Labelled):
    NOT_HOME = "not_home"
    BAD_ADDRESS = "bad_address"
    REFUSED = "refused"
    UNREACHABLE = "unreachable"
    OTHER = "other"


class DeliveryStatus(Labelled):
    PLANNED = "planned"
    OUT = "out"
    DONE = "done"
    CANCELLED = "cancelled"


class StopOutcome(Labelled):
    PENDING = "pending"
    DELIVERED = "delivered"
    LEFT_AT_DOOR = "left_at_door"
    FAILED = "failed"


class DaySlot(Labelled):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


_LABEL_PAIRS: tuple[tuple[StrEnum, str], ...] = (
    (RequestStatus.NEW, N_("New")),
    (RequestStatus.NEEDS_INFO, N_("Needs info")),
    (RequestStatus.CALL_BACK, N_("Call back")),
    (RequestStatus.READY, N_("Ready")),
    (RequestStatus.ASSIGNED, N_("Assigned")),
    (RequestStatus.OUT_FOR_DELIVERY, N_("Out for delivery")),
    (RequestStatus.DELIVERED, N_("Delivered")),
    (RequestStatus.FAILED, N_("Failed")),
    (RequestStatus.DUPLICATE, N_("Duplicate")),
    (RequestStatus.REFERRED_OUT, N_("Referred out")),
    (RequestStatus.OUT_OF_AREA, N_("Out of area")),
    (RequestStatus.WITHDRAWN, N_("Withdrawn")),
    (RequestStatus.UNABLE_TO_FULFILL, N_("Unable to fulfill")),
    (Urgency.WITHIN_24H, N_("Within 24 hours")),
    (Urgency.DAYS_2_3, N_("In 2–3 days")),
    (Urgency.THIS_WEEK, N_("This week")),
    (Urgency.FLEXIBLE, N_("Flexible")),
    (Recurring.ONCE, N_("Once")),
    (Recurring.WEEKLY, N_("Weekly")),
    (Recurring.OCCASIONALLY, N_("Now and then")),
    (CallChannel.PHONE, N_("Phone")),
    (CallChannel.VOICEMAIL, N_("Voicemail")),
    (CallChannel.TEXT, N_("Text message")),
    (CallChannel.WALK_IN, N_("Walk-in")),
    (CallChannel.REFERRAL, N_("Referral")),
    (CallOutcome.NEW_REQUEST, N_("New request")),
    (CallOutcome.UPDATED_EXISTING, N_("Updated existing request")),
    (CallOutcome.HUNG_UP, N_("Hung up")),
    (CallOutcome.VOICEMAIL_LEFT, N_("Voicemail left")),
    (CallOutcome.WRONG_NUMBER, N_("Wrong number")),
    (CallOutcome.WILL_CALL_BACK, N_("Will call back")),
    (CallOutcome.INFORMATION_ONLY, N_("Information only")),
    (ContactMethod.PHONE, N_("Phone call")),
    (ContactMethod.TEXT, N_("Text message")),
    (ContactMethod.EMAIL, N_("E-mail")),
    (ContactMethod.NONE, N_("Do not contact")),
    (Skill.DRIVER, N_("Driver")),
    (Skill.HAS_CAR, N_("Has a car")),
    (Skill.SHOPPING, N_("Shopping")),
    (Skill.PHONE_LINE, N_("Phone line")),
    (Skill.TRANSLATION, N_("Translation")),
    (Skill.CHILDCARE, N_("Childcare")),
    (Skill.CHECK_IN_CALLS, N_("Check-in calls")),
    (Skill.PET_CARE, N_("Pet care")),
    (FailureReason.NOT_HOME, N_("Not home")),
    (FailureReason.BAD_ADDRESS, N_("Bad address")),
    (FailureReason.REFUSED, N_("Refused")),
    (FailureReason.UNREACHABLE, N_("Unreachable")),
    (FailureReason.OTHER, N_("Other")),
    (DeliveryStatus.PLANNED, N_("Planned")),
    (DeliveryStatus.OUT, N_("Out")),
    (DeliveryStatus.DONE, N_("Done")),
    (DeliveryStatus.CANCELLED, N_("Cancelled")),
    (StopOutcome.PENDING, N_("Pending")),
    (StopOutcome.DELIVERED, N_("Delivered")),
    (StopOutcome.LEFT_AT_DOOR, N_("Left at the door")),
    (StopOutcome.FAILED, N_("Failed")),
    (DaySlot.MORNING, N_("Morning")),
    (DaySlot.AFTERNOON, N_("Afternoon")),
    (DaySlot.EVENING, N_("Evening")),
)
_LABELS: dict[tuple[type, str], str] = {(type(member), member.value): text for member, text in _LABEL_PAIRS}

# Order in which urgencies and statuses sort (most pressing first).
URGENCY_RANK: dict[Urgency, int] = {u: i for i, u in enumerate(Urgency)}
STATUS_RANK: dict[RequestStatus, int] = {s: i for i, s in enumerate(RequestStatus)}
