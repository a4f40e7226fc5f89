"""The consent script to read aloud, in the caller's language, and the caller's answer."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QCheckBox, QFrame, QGroupBox, QLabel, QVBoxLayout, QWidget

from aiddesk.i18n import _
from aiddesk.i18n.formatting import language_name
from aiddesk.services.consent import DEFAULT, ConsentScript
from aiddesk.ui.intake.fields import note_label
from aiddesk.ui.retranslate import Retranslating


class ConsentBox(Retranslating, QGroupBox):
    """Ticking the box records consent to the version shown; `changed` after any change."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._script = DEFAULT
        self._language = "en"
        self._version = ""  # the version the caller agreed to ("" without consent)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.script_label = QLabel()
        self.script_label.setObjectName("consentScript")
        self.script_label.setWordWrap(True)
        self.script_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        script_frame = QFrame()  # the frame holds the margins: a framed QLabel measures its height short
        script_frame.setFrameShape(QFrame.Shape.StyledPanel)
        script_frame.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        script_frame.setAutoFillBackground(True)
        frame_layout = QVBoxLayout(script_frame)
        frame_layout.setContentsMargins(8, 6, 8, 6)
        frame_layout.addWidget(self.script_label)
        self.consent_check = QCheckBox()
        self.consent_check.clicked.connect(self._answered)
        self.consent_check.toggled.connect(self.changed)
        self.older_note = note_label()
        self.older_note.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(script_frame)
        layout.addWidget(self.consent_check)
        layout.addWidget(self.older_note)
        self.retranslate_ui()

    @property
    def language(self) -> str:
        """The language the script is shown in ("en" or "es")."""
        return self._language

    def consent(self) -> tuple[bool, str]:
        """(consent given, the version agreed to)."""
        checked = self.consent_check.isChecked()
        return checked, self._version if checked else ""

    def set_consent(self, consent: bool, version: str) -> None:
        self._version = version if consent else ""
        self.consent_check.setChecked(consent)
        self._show_older()

    def show_script(self, script: ConsentScript, language: str) -> None:
        self._script, self._language = script, language
        self.retranslate_ui()

    def _answered(self, checked: bool) -> None:
        self._version = self._script.version if checked else ""
        self._show_older()
        self.changed.emit()

    def _show_older(self) -> None:
        checked = self.consent_check.isChecked()
        older = checked and bool(self._version) and self._version != self._script.version
        if older:
            self.older_note.setText(
                _(
                    "They agreed to an earlier version (%(version)s). If you read this one to them, "
                    "untick the box and tick it again."
                )
                % {"version": self._version}
            )
        self.older_note.setVisible(older)

    def retranslate_ui(self) -> None:
        self.setTitle(_("Consent"))
        self.heading.setText(
            # L10N: %(language)s is the language the script is in; %(version)s its version, like 2026-11-23.1
            _("Read this aloud (%(language)s, version %(version)s):")
            % {"language": language_name(self._language), "version": self._script.version}
        )
        self.script_label.setText(self._script.text(self._language))
        self.consent_check.setText(_("The caller agrees"))
        self.consent_check.setAccessibleName(_("Consent to be contacted"))
        self._show_older()
