"""The caller's part of the intake form: phone first, then name, language, address, zone ..."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from aiddesk.domain.enums import ContactMethod
from aiddesk.domain.intake import MAX_LEN, IntakeForm
from aiddesk.domain.validation import Problem
from aiddesk.i18n import N_, _
from aiddesk.services.desk.labels import Label
from aiddesk.ui.common.field_error import FieldError, problem_text
from aiddesk.ui.intake.fields import EnumBox, LabelBox, note_label, with_error
from aiddesk.ui.intake.language_box import LanguageBox
from aiddesk.ui.retranslate import Retranslating

# One-line texts: (form field, caption) in the order they are typed.
LINES: tuple[tuple[str, str], ...] = (
    ("phone", N_("Phone:")),
    ("name", N_("Name:")),
    ("address", N_("Address:")),
    ("household_size", N_("Household size:")),
    ("phone2", N_("Second phone:")),
    ("email", N_("E-mail:")),
    ("contact_time", N_("Best time to call:")),
    ("dietary_needs", N_("Dietary needs:")),
    ("delivery_notes", N_("Delivery notes:")),
    ("safety_notes", N_("Safety notes:")),
)
CHOICES: tuple[tuple[str, str], ...] = (
    ("language", N_("Language:")),
    ("zone_id", N_("Zone:")),
    ("contact_method", N_("Contact by:")),
)
FLAGS: tuple[tuple[str, str], ...] = (
    ("needs_interpreter", N_("Needs an interpreter")),
    ("elevated_risk", N_("Elevated risk")),
    ("anonymous", N_("Asks to stay anonymous")),
)
CAPTIONS = dict(LINES + CHOICES)
NO_ZONE = N_("No zone")
NOT_SAID = N_("Not said")


def accessible(caption: str) -> str:
    """A caption as an accessible name: without its colon."""
    return caption.rstrip(":： ").strip()


class CallerFields(Retranslating, QGroupBox):
    """Inputs about the caller; `changed` after any edit (typed or set)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: dict[str, QLineEdit] = {name: QLineEdit() for name, _caption in LINES}
        for name, edit in self.lines.items():
            edit.setMaxLength(MAX_LEN.get(name, 2000))
            edit.setClearButtonEnabled(name not in ("household_size",))
            edit.textChanged.connect(self.changed)
        self.lines["household_size"].setMaxLength(3)
        self.lines["household_size"].setMaximumWidth(80)
        self.phone_edit, self.name_edit = self.lines["phone"], self.lines["name"]
        self.language_box = LanguageBox()
        self.zone_box = LabelBox(NO_ZONE)
        self.contact_box = EnumBox(ContactMethod, blank=NOT_SAID)
        self.flags: dict[str, QCheckBox] = {name: QCheckBox() for name, _caption in FLAGS}
        self.language_box.changed.connect(self.changed)
        for box in (self.zone_box, self.contact_box):
            box.currentIndexChanged.connect(self.changed)
        for check in self.flags.values():
            check.toggled.connect(self.changed)

        self.errors: dict[str, FieldError] = {name: FieldError() for name in CAPTIONS}
        for name, edit in self.lines.items():  # a message goes once its field is edited
            edit.textEdited.connect(self.errors[name].clear_problem)
        for edit in (self.phone_edit, self.name_edit):  # "a phone number or a name"
            edit.textEdited.connect(self.errors["phone"].clear_problem)
        self.phone_edit.textEdited.connect(self.show_phone_error_alone)  # the note back, if it applies
        self.language_box.changed.connect(self.errors["language"].clear_problem)
        self.zone_box.activated.connect(self.errors["zone_id"].clear_problem)
        self.contact_box.activated.connect(self.errors["contact_method"].clear_problem)
        self.captions: dict[str, QLabel] = {name: QLabel() for name in CAPTIONS}
        self.phone_warning = note_label()
        self.phone_warning.setObjectName("phoneWarning")
        self.phone_warning.setStyleSheet("color: #8a5300;")
        self.phone_warning.hide()
        self._phone_problem: Problem | None = None
        self.delivery_note, self.safety_note = note_label(), note_label()

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def row(name: str, field: QWidget, *notes: QWidget) -> None:
            self.captions[name].setBuddy(field)
            form.addRow(self.captions[name], with_error(field, self.errors[name], *notes))

        row("phone", self.phone_edit, self.phone_warning)
        row("name", self.name_edit)
        row("language", self.language_box)
        form.addRow("", self.flags["needs_interpreter"])
        row("address", self.lines["address"])
        row("zone_id", self.zone_box)
        row("household_size", self.lines["household_size"])
        row("phone2", self.lines["phone2"])
        row("email", self.lines["email"])
        row("contact_method", self.contact_box)
        row("contact_time", self.lines["contact_time"])
        form.addRow("", self.flags["elevated_risk"])
        form.addRow("", self.flags["anonymous"])
        row("dietary_needs", self.lines["dietary_needs"])
        row("delivery_notes", self.lines["delivery_notes"], self.delivery_note)
        row("safety_notes", self.lines["safety_notes"], self.safety_note)
        self._form = form
        self.retranslate_ui()

    def show_safety_notes(self, shown: bool) -> None:
        """Show or hide the safety-notes row (for an account that may not read them)."""
        box = self.lines["safety_notes"].parentWidget()
        if box is not None:
            self._form.setRowVisible(box, shown)

    # ---- values ----------------------------------------------------------------------------

    def inputs(self) -> list[QWidget]:
        """The inputs in the order Tab visits them."""
        lines = self.lines
        return [
            lines["phone"],
            lines["name"],
            self.language_box,
            self.flags["needs_interpreter"],
            lines["address"],
            self.zone_box,
            lines["household_size"],
            lines["phone2"],
            lines["email"],
            self.contact_box,
            lines["contact_time"],
            self.flags["elevated_risk"],
            self.flags["anonymous"],
            lines["dietary_needs"],
            lines["delivery_notes"],
            lines["safety_notes"],
        ]

    def field_widget(self, name: str) -> QWidget | None:
        widgets: dict[str, QWidget] = {
            **self.lines,
            **self.flags,
            "language": self.language_box,
            "zone_id": self.zone_box,
            "contact_method": self.contact_box,
        }
        return widgets.get(name)

    def read_into(self, form: IntakeForm) -> None:
        for name, edit in self.lines.items():
            setattr(form, name, edit.text())
        for name, check in self.flags.items():
            setattr(form, name, check.isChecked())
        form.language = self.language_box.language()
        form.zone_id = self.zone_box.value()
        form.contact_method = self.contact_box.value()

    def show_form(self, form: IntakeForm) -> None:
        for name, edit in self.lines.items():
            edit.setText(getattr(form, name))
            edit.setCursorPosition(0)
        for name, check in self.flags.items():
            check.setChecked(bool(getattr(form, name)))
        self.language_box.set_language(form.language)
        self.zone_box.set_value(form.zone_id)
        self.contact_box.set_value(form.contact_method)

    def set_zones(self, zones: list[Label]) -> None:
        self.zone_box.set_labels(zones)

    def show_phone_warning(self, problem: Problem | None) -> None:
        """A gentle note under the phone (never a refusal); None hides it. It gives way to the
        phone's error once a save was refused for the same reason: one message, not two."""
        self._phone_problem = problem
        text = problem_text(problem) if problem is not None else ""
        self.phone_warning.setText(text)
        error = self.errors["phone"]
        said = error.problem is not None and error.text() == text
        self.phone_warning.setVisible(problem is not None and not said)

    def show_phone_error_alone(self) -> None:
        """After a refused save: the note under the phone hides when the error says the same."""
        self.show_phone_warning(self._phone_problem)

    def clear_errors(self) -> None:
        for error in self.errors.values():
            error.clear_problem()

    # ---- texts -----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.setTitle(_("Caller"))
        for name, caption in CAPTIONS.items():
            self.captions[name].setText(_(caption))
            widget = self.field_widget(name)
            if widget is not None:
                widget.setAccessibleName(accessible(_(caption)))
        for name, caption in FLAGS:
            self.flags[name].setText(_(caption))
            self.flags[name].setAccessibleName(_(caption))
        self.phone_edit.setPlaceholderText(_("Number as the caller says it"))
        self.name_edit.setPlaceholderText(_("As the caller gives it"))
        self.lines["contact_time"].setPlaceholderText(_("e.g. mornings, after 5 pm"))
        self.delivery_note.setText(_("Printed on route sheets for drivers: gate code, dog in the yard."))
        self.safety_note.setText(_("Coordinators only, never printed."))
        self.show_phone_warning(self._phone_problem)
        self.language_box.retranslate()
        self.zone_box.retranslate()
        self.contact_box.retranslate()
