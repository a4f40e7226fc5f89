"""People who may have been entered twice, on the Conflicts screen: compare and merge, or say
they are not the same person. The panel only shows and asks: the screen does the deciding."""

from __future__ import annotations

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QPushButton, QWidget

from aiddesk.i18n import N_, _
from aiddesk.services.same_people import PersonShown, Suggestion
from aiddesk.ui.common.list_panel import ListPanel
from aiddesk.ui.retranslate import Retranslating


def _person_text(person: PersonShown) -> str:
    """ "NOR-0001 María García, (617) 555-0134"."""
    return ", ".join(t for t in (f"{person.code} {person.name}".strip(), person.phone) if t)


COLUMNS = (
    # L10N: a column of the "Maybe the same person" list: the first record of a pair
    (N_("One record"), lambda s: _person_text(s.a)),
    # L10N: a column of the "Maybe the same person" list: the second record of a pair
    (N_("The other record"), lambda s: _person_text(s.b)),
    # L10N: a column of the "Maybe the same person" list: why the pair is suggested
    (N_("Why"), lambda s: s.reason_text),
)
WIDTHS = (340, 340)


class SamePeoplePanel(Retranslating, ListPanel[Suggestion]):
    """Pairs of records that may be one person. `compare(suggestion)` for "Compare and merge…"
    (or a double click), `dismiss(suggestion)` for "Not the same person"; the screen decides."""

    compare = Signal(object)
    dismiss = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(COLUMNS, WIDTHS, parent=parent)
        self.table.doubleClicked.connect(lambda _index: self._emit(self.compare))
        self.compare_button = QPushButton()
        self.dismiss_button = QPushButton()
        self.compare_button.clicked.connect(lambda: self._emit(self.compare))
        self.dismiss_button.clicked.connect(lambda: self._emit(self.dismiss))
        self.buttons.addWidget(self.compare_button)
        self.buttons.addWidget(self.dismiss_button)
        self.buttons.addStretch(1)
        self.retranslate_ui()

    def set_rows(self, rows: list[Suggestion]) -> None:
        """Show these pairs; the same row as before stays chosen (the next pair, after a decision)."""
        row = max(self.table.currentIndex().row(), 0)
        self.show_rows(rows)
        if rows:
            self.table.selectRow(min(row, len(rows) - 1))
        self._update_buttons()

    def selected(self) -> Suggestion | None:
        chosen = self.table.selectionModel().selectedRows()
        return self.model.row_at(chosen[0].row()) if chosen else None

    def _emit(self, signal: SignalInstance) -> None:
        suggestion = self.selected()
        if suggestion is not None:
            signal.emit(suggestion)

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.compare_button.setEnabled(chosen)
        self.dismiss_button.setEnabled(chosen)

    def retranslate_ui(self) -> None:
        self.intro.setText(
            _(
                "These records may be one person entered twice, perhaps at two desks. "
                "Compare them and merge them into one, or say they are not the same person."
            )
        )
        self.empty_label.setText(_("No records look like the same person entered twice."))
        self.compare_button.setText(_("&Compare and merge…"))
        self.compare_button.setToolTip(_("See the two records side by side and choose which one stays."))
        self.dismiss_button.setText(_("&Not the same person"))
        self.dismiss_button.setToolTip(
            _("Two different people: do not suggest this pair again at this desk.")
        )
        self.table.setAccessibleName(_("Records that may be the same person"))
        self.model.retranslate()
