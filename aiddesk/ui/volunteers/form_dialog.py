"""The form to add or edit a volunteer, in a dialog that closes only when the save was accepted
(the save runs on the operation runner's writer thread and answers back)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain import roster as rules
from aiddesk.domain.enums import Skill
from aiddesk.domain.roster import VolunteerFields
from aiddesk.domain.validation import Invalid, Problem
from aiddesk.i18n import LANGUAGES, N_, _, current_language, locale_name
from aiddesk.services.desk.labels import Label
from aiddesk.services.roster import VolunteerRecord
from aiddesk.ui.common.availability import AvailabilityGrid
from aiddesk.ui.common.date_field import DateField
from aiddesk.ui.common.field_error import FieldError, show_problems
from aiddesk.ui.intake.language_box import display_name
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure
from aiddesk.ui.volunteers.language_picker import LanguagePicker, known_language

# Starts saving the fields through the operation runner, which then calls back when saved, or
# with the failure (Invalid naming the fields refused).
SaveVolunteer = Callable[[VolunteerFields, Callable[[object], None], Callable[[Failure], None]], None]
# Languages offered as checkboxes on every form (others are added by code).
OFFERED_LANGUAGES = ("en", "es", "vi", "zh", "ht", "pt", "ar", "so", "fr", "ru", "ko", "tl")
CODE_ROLE = Qt.ItemDataRole.UserRole
FIELDS = (
    "name",
    "phone",
    "email",
    "preferred_language",
    "max_runs_week",
    "checked_on",
    "notes",
    "languages",
    "skills",
    "zones",
    "availability",
)


class VolunteerDialog(Retranslating, QDialog):
    """Every field of a volunteer; `save(fields)` decides, and a refusal shows next to its field."""

    def __init__(
        self,
        save: SaveVolunteer,
        *,
        zones: list[Label],
        languages: tuple[str, ...] | list[str] = (),
        record: VolunteerRecord | None = None,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self._record = record
        self._title = N_("Edit volunteer") if record is not None else N_("New volunteer")
        fields = record.fields if record is not None else VolunteerFields(name="")
        today = today or dt.date.today()

        # ---- about them
        self.name_edit = QLineEdit(fields.name)
        self.name_edit.setMaxLength(rules.NAME_MAX)
        self.phone_edit = QLineEdit(fields.phone)
        self.phone_edit.setMaxLength(rules.PHONE_MAX)
        self.email_edit = QLineEdit(fields.email)
        self.email_edit.setMaxLength(rules.EMAIL_MAX)
        self.preferred_box = QComboBox()
        for code in rules.SHEET_LANGUAGES:
            self.preferred_box.addItem(LANGUAGES[code], code)  # each in its own language
        self.preferred_box.setCurrentIndex(max(self.preferred_box.findData(fields.preferred_language), 0))
        self.max_runs_spin = QSpinBox()
        self.max_runs_spin.setRange(0, rules.MAX_RUNS_WEEK)
        self.max_runs_spin.setValue(min(max(fields.max_runs_week, 0), rules.MAX_RUNS_WEEK))
        self.trained_check = QCheckBox()
        self.trained_check.setChecked(fields.trained)
        self.checked_check = QCheckBox()
        self.checked_date = DateField(fields.checked_on or today)  # a future day is refused on saving
        self.checked_check.setChecked(fields.checked_on is not None)
        self.checked_date.setEnabled(fields.checked_on is not None)
        self.checked_check.toggled.connect(self.checked_date.setEnabled)
        self.notes_edit = QPlainTextEdit(fields.notes)
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.fontMetrics().height() * 5)
        self.errors = {name: FieldError() for name in FIELDS}
        self.general_error = FieldError()

        self.name_caption, self.phone_caption, self.email_caption = QLabel(), QLabel(), QLabel()
        self.preferred_caption, self.max_runs_caption, self.vetting_caption = QLabel(), QLabel(), QLabel()
        self.notes_caption = QLabel()
        vetting = QVBoxLayout()
        vetting.addWidget(self.trained_check)
        checked_row = QHBoxLayout()
        checked_row.addWidget(self.checked_check)
        checked_row.addWidget(self.checked_date)
        checked_row.addStretch(1)
        vetting.addLayout(checked_row)
        about = QFormLayout()
        about.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for caption, field, name in (
            (self.name_caption, self.name_edit, "name"),
            (self.phone_caption, self.phone_edit, "phone"),
            (self.email_caption, self.email_edit, "email"),
            (self.preferred_caption, self.preferred_box, "preferred_language"),
            (self.max_runs_caption, self.max_runs_spin, "max_runs_week"),
            (self.vetting_caption, vetting, "checked_on"),
            (self.notes_caption, self.notes_edit, "notes"),
        ):
            about.addRow(caption, field)
            about.addRow("", self.errors[name])

        # ---- languages
        self.languages_list = QListWidget()
        self.languages_list.setMinimumHeight(120)
        self.other_language_box = LanguagePicker()  # by name, in the screen's language
        other_edit = self.other_language_box.lineEdit()
        assert other_edit is not None  # the picker is an editable box
        other_edit.returnPressed.connect(self.add_language)
        self.add_language_button = QPushButton()
        self.add_language_button.clicked.connect(self.add_language)
        for code in dict.fromkeys([*OFFERED_LANGUAGES, *languages, *fields.languages]):
            self._language_item(code, checked=code in fields.languages)
        self.languages_box = QGroupBox()
        languages_layout = QVBoxLayout(self.languages_box)
        languages_layout.addWidget(self.languages_list, 1)
        add_row = QHBoxLayout()
        add_row.addWidget(self.other_language_box, 1)
        add_row.addWidget(self.add_language_button)
        languages_layout.addLayout(add_row)
        languages_layout.addWidget(self.errors["languages"])

        # ---- skills
        self.skill_checks: dict[Skill, QCheckBox] = {}
        self.skills_box = QGroupBox()
        skills_layout = QGridLayout(self.skills_box)
        for i, skill in enumerate(Skill):
            check = QCheckBox()
            check.setChecked(skill.value in fields.skills)
            self.skill_checks[skill] = check
            skills_layout.addWidget(check, i // 2, i % 2)
        skills_layout.addWidget(self.errors["skills"], 4, 0, 1, 2)

        # ---- zones: the desk's live ones, and a retired one the volunteer still has
        self._zones = [z for z in zones if not z.retired or z.id in fields.zones]
        self.zone_checks: dict[str, QCheckBox] = {}
        self.zones_box = QGroupBox()
        zones_layout = QGridLayout(self.zones_box)
        for i, zone in enumerate(self._zones):
            check = QCheckBox()
            check.setChecked(zone.id in fields.zones)
            self.zone_checks[zone.id] = check
            zones_layout.addWidget(check, i // 3, i % 3)
        zones_layout.addWidget(self.errors["zones"], len(self._zones) // 3 + 1, 0, 1, 3)

        # ---- availability
        self.availability_grid = AvailabilityGrid()
        self.availability_grid.set_value(fields.availability)
        self.availability_box = QGroupBox()
        availability_layout = QVBoxLayout(self.availability_box)
        availability_layout.addWidget(self.availability_grid)
        availability_layout.addWidget(self.errors["availability"])

        left = QVBoxLayout()
        left.addLayout(about)
        left.addWidget(self.languages_box, 1)
        right = QVBoxLayout()
        right.addWidget(self.skills_box)
        right.addWidget(self.zones_box)
        right.addWidget(self.availability_box)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(12)
        columns.addLayout(right, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        self.resize(max(self.sizeHint().width(), 900), self.sizeHint().height())

    # ---- languages -------------------------------------------------------------------------

    def _language_item(self, code: str, *, checked: bool) -> QListWidgetItem:
        item = QListWidgetItem()
        item.setData(CODE_ROLE, code)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.languages_list.addItem(item)
        self._name_language(item)
        return item

    def _name_language(self, item: QListWidgetItem) -> None:
        code = str(item.data(CODE_ROLE))
        item.setText(display_name(code) if known_language(code, locale_name()) else code)

    def language_item(self, code: str) -> QListWidgetItem | None:
        for row in range(self.languages_list.count()):
            item = self.languages_list.item(row)
            if item.data(CODE_ROLE) == code:
                return item
        return None

    def add_language(self) -> None:
        """Tick the language whose name is typed or picked (adding it to the list when it is not
        there); a text that names no language is said at the list."""
        typed = self.other_language_box.typed()
        if not typed:
            return
        code = self.other_language_box.chosen()
        if code is None:
            self.errors["languages"].show_problem(
                Problem(
                    "languages",
                    N_("“%(name)s” is not a language AidDesk knows; choose one from the list."),
                    {"name": typed},
                )
            )
            self.other_language_box.setFocus()
            return
        self.errors["languages"].clear_problem()
        code = rules.language_code(code)
        item = self.language_item(code)
        if item is None:
            item = self._language_item(code, checked=True)
        item.setCheckState(Qt.CheckState.Checked)
        self.languages_list.scrollToItem(item)
        self.other_language_box.clear_text()

    # ---- saving ----------------------------------------------------------------------------

    def fields(self) -> VolunteerFields:
        languages = tuple(
            str(item.data(CODE_ROLE))
            for item in (self.languages_list.item(row) for row in range(self.languages_list.count()))
            if item.checkState() == Qt.CheckState.Checked
        )
        return VolunteerFields(
            name=self.name_edit.text(),
            phone=self.phone_edit.text(),
            email=self.email_edit.text(),
            languages=languages,
            skills=tuple(skill.value for skill, check in self.skill_checks.items() if check.isChecked()),
            preferred_language=str(self.preferred_box.currentData()),
            zones=tuple(zone_id for zone_id, check in self.zone_checks.items() if check.isChecked()),
            availability=self.availability_grid.value(),
            trained=self.trained_check.isChecked(),
            checked_on=self.checked_date.checked("checked_on") if self.checked_check.isChecked() else None,
            max_runs_week=self.max_runs_spin.value(),
            notes=self.notes_edit.toPlainText(),
        )

    def try_save(self) -> None:
        try:
            fields = self.fields()  # a check date typed wrong is refused here, at its field
        except Invalid as refused:
            show_problems(self.errors, refused, self.general_error)
            self._focus_first(refused.problems)
            return
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)  # until it answers
        self._save(fields, self._saved, self._refused)

    def _saved(self, _result: object) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        self.accept()

    def _refused(self, failure: Failure) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        if isinstance(failure.error, Invalid):
            show_problems(self.errors, failure.error, self.general_error)
            self._focus_first(failure.error.problems)
        else:
            for error in self.errors.values():
                error.clear_problem()
            self.general_error.show_text(failure.message)

    def _focus_first(self, problems: list[Problem]) -> None:
        widgets: dict[str, QWidget] = {
            "name": self.name_edit,
            "phone": self.phone_edit,
            "email": self.email_edit,
            "notes": self.notes_edit,
            "languages": self.other_language_box,
        }
        for problem in problems:
            if problem.field in widgets:
                widgets[problem.field].setFocus()
                return

    # ---- texts -----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_(self._title))
        self.name_caption.setText(_("Name:"))
        self.phone_caption.setText(_("Phone:"))
        self.email_caption.setText(_("E-mail:"))
        self.preferred_caption.setText(_("Sheets print in:"))
        self.preferred_box.setToolTip(_("The language of their route sheets."))
        self.max_runs_caption.setText(_("Runs a week, at most:"))
        self.vetting_caption.setText(_("Vetting:"))
        self.trained_check.setText(_("Trained"))
        self.checked_check.setText(_("Background checked on"))
        self.notes_caption.setText(_("Notes:"))
        self.languages_box.setTitle(_("Languages they speak"))
        self.other_language_box.retranslate()
        self.add_language_button.setText(_("Add"))
        for row in range(self.languages_list.count()):
            self._name_language(self.languages_list.item(row))
        self.skills_box.setTitle(_("Skills"))
        for skill, check in self.skill_checks.items():
            check.setText(_(skill.label))
        self.zones_box.setTitle(_("Zones they serve"))
        language = current_language()
        for zone in self._zones:
            self.zone_checks[zone.id].setText(zone.text(language))
        self.availability_box.setTitle(_("Usually free"))
