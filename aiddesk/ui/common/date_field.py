"""A date typed as text or picked on a calendar: what is typed is what is read.

QDateEdit edits a date section by section, so typing "11/20/26" over another date can
give 12/20/26, and typing over a selected date changes nothing. Here the text is read
whole when the person is done (Enter, Tab, leaving the field) in the order of the UI
language's dates (aiddesk.i18n.formatting.parse_date), then shown in the one date
format of the language. Text that is not a date stays as typed and `problem()` says so."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QStyle,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from aiddesk.domain.validation import Invalid, Problem
from aiddesk.i18n import N_, _
from aiddesk.i18n.formatting import date_entry_example, format_date, format_day, parse_date
from aiddesk.ui.retranslate import Retranslating


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class DateField(Retranslating, QWidget):
    """Holds one date (or none while what is typed is not a date). Up and Down step a day."""

    dateChanged = Signal(QDate)  # noqa: N815 (named as QDateEdit's): a new date was typed or picked

    def __init__(
        self, day: dt.date | QDate | None = None, parent: QWidget | None = None, *, weekday: bool = False
    ) -> None:
        super().__init__(parent)
        self._weekday = weekday  # shown before the date ("Monday, Dec 7, 2026") where the day matters
        self._value: dt.date | None = None
        self._shown = ""  # the text this field wrote for _value (typing changes it)
        self.line = QLineEdit(self)
        self.line.setMaxLength(40)
        self.line.installEventFilter(self)
        self.line.editingFinished.connect(self._read_typed)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.menu = QMenu(self)
        action = QWidgetAction(self.menu)
        action.setDefaultWidget(self.calendar)
        self.menu.addAction(action)
        self.menu.aboutToShow.connect(self._before_calendar)
        self.calendar_button = QToolButton()
        self.calendar_button.setText("▾")
        self.calendar_button.setMenu(self.menu)
        self.calendar_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.calendar_button)
        # Tab goes to the line itself and on out of it (the line made without a parent was left
        # out of the window's tab chain, and a field that took focus itself gave it back to its
        # line: Tab and Shift+Tab never left the field). Set before the proxy, which would get it.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFocusProxy(self.line)
        if day is not None:
            self.setDate(day)
        self.retranslate_ui()

    # ---- the date ----------------------------------------------------------------------------

    def value(self) -> dt.date | None:
        """The date shown or typed now (read at once: Enter may close a dialog before the field
        is left); None when the text is empty or not a date."""
        text = self.line.text().strip()
        if not text:
            return None
        if self._value is not None and text == self._shown:
            return self._value
        return parse_date(text)

    def current(self) -> dt.date:
        """The date to show things for: the one typed, else the last one read (for fields that
        choose what a screen lists, where nothing is saved)."""
        return self.value() or self._value or dt.date.today()

    def checked(self, field: str = "date") -> dt.date:
        """The date typed, or Invalid naming `field` when there is none (for forms that save it)."""
        day = self.value()
        if day is None:
            problem = self.problem(field) or Problem(field, N_("Please type a date."))
            raise Invalid([problem])
        return day

    def date(self) -> QDate:
        """As QDateEdit.date(): an invalid QDate when no date is typed."""
        day = self.value()
        return _qdate(day) if day is not None else QDate()

    def setDate(self, day: dt.date | QDate | None) -> None:  # noqa: N802 (QDateEdit's name)
        if isinstance(day, QDate):
            python_day = day.toPython() if day.isValid() else None
            day = python_day if isinstance(python_day, dt.date) else None
        self._set(day)

    def problem(self, field: str = "date") -> Problem | None:
        """Why what is typed cannot be read (nothing typed is no problem: see `value`)."""
        if not self.line.text().strip() or self.value() is not None:
            return None
        example = date_entry_example(self._value or dt.date.today())
        return Problem(field, N_("This is not a date; type it like %(example)s."), {"example": example})

    def _set(self, day: dt.date | None) -> None:
        changed = day != self._value
        self._value = day
        self._shown = self._text(day) if day is not None else ""
        self.line.setText(self._shown)
        if changed:
            self.dateChanged.emit(_qdate(day) if day is not None else QDate())

    def _text(self, day: dt.date) -> str:
        return format_day(day) if self._weekday else format_date(day)

    def _read_typed(self) -> None:
        day = self.value()
        if day is not None:
            self._set(day)  # shown in the language's date format, so the reading can be checked

    def _picked(self, picked: QDate) -> None:
        self.menu.close()
        self.setDate(picked)
        self.line.setFocus(Qt.FocusReason.PopupFocusReason)

    def _before_calendar(self) -> None:
        day = self.value() or self._value or dt.date.today()
        self.calendar.setSelectedDate(_qdate(day))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        # A field Python has already let go of (its attributes cleared by the garbage collector)
        # may still see its line's events while Qt deletes them both: nothing to do then.
        line = self.__dict__.get("line")
        if line is None:
            return False
        if watched is line and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}.get(Qt.Key(event.key()))
            if step is not None and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                day = self.value() or self._value
                if day is not None:
                    self._set(day + dt.timedelta(days=step))
                return True
            if event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier:
                self.calendar_button.showMenu()
                return True
        return super().eventFilter(watched, event)

    # ---- texts -------------------------------------------------------------------------------

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 (Qt's name)
        super().setAccessibleName(name)
        self.line.setAccessibleName(name)

    def retranslate_ui(self) -> None:
        typed = self.value()
        if typed is not None:
            self._set(typed)  # in the new language's format
        example = date_entry_example(self._value or dt.date.today())
        self.line.setPlaceholderText(_("e.g. %(example)s") % {"example": example})
        self.calendar_button.setToolTip(_("Choose on a calendar (Alt+Down)"))
        self.calendar_button.setAccessibleName(_("Choose on a calendar"))
        self.line.setMinimumWidth(self._widest_date())

    def _widest_date(self) -> int:
        """Room for any date in this language (every month, every weekday) and the placeholder."""
        year = (self._value or dt.date.today()).year
        days = [dt.date(year, month, 28) for month in range(1, 13)]
        days += [dt.date(year, 9, 23) + dt.timedelta(days=n) for n in range(7)]
        metrics = self.line.fontMetrics()
        widest = max(metrics.horizontalAdvance(self._text(day)) for day in days)
        widest = max(widest, metrics.horizontalAdvance(self.line.placeholderText()))
        margins = self.line.textMargins()
        frame = self.line.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, self.line)
        return widest + margins.left() + margins.right() + 2 * frame + 6  # QLineEdit's own 2 px a side
