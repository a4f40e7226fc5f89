"""Step 3: what the answers mean. For each field whose answers are choices (yes/no, needs,
urgency, zone, language ...), every different answer of the sheet with how many rows give it and
what AidDesk reads it as; an answer AidDesk does not know stops its rows until it is given a
meaning here."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from aiddesk.domain.sheet_row import Answer
from aiddesk.i18n import _, ngettext
from aiddesk.services.exchange.sheet_import.session import ImportSession
from aiddesk.ui.exchange.sheet_import.texts import field_label, meaning_text, options
from aiddesk.ui.retranslate import Retranslating

UNKNOWN = "\x00unknown"  # the item of an answer with no meaning yet


class ValuesPage(Retranslating, QWizardPage):
    def __init__(self, session: ImportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.holder = QWidget()
        self.sections = QVBoxLayout(self.holder)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setWidget(self.holder)
        self.groups: dict[str, QGroupBox] = {}
        self.rows: dict[tuple[str, str], tuple[QLabel, QComboBox, Answer]] = {}
        self.meanings: dict[tuple[str, str], list[Any]] = {}  # the meaning of each item of the list
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.scroller, 1)
        self.retranslate_ui()

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        while self.sections.count():
            item = self.sections.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.groups.clear()
        self.rows.clear()
        self.meanings.clear()
        for key in self.session.choice_fields():
            group = QGroupBox()
            form = QFormLayout(group)
            for answer in sorted(self.session.answers(key), key=lambda a: a.known):  # unknown first
                caption = QLabel()
                caption.setWordWrap(True)
                caption.setMinimumWidth(320)
                box = QComboBox()
                box.currentIndexChanged.connect(lambda n, k=key, a=answer.text: self._chosen(k, a, n))
                caption.setBuddy(box)
                form.addRow(caption, box)
                self.rows[(key, answer.text)] = (caption, box, answer)
            self.groups[key] = group
            self.sections.addWidget(group)
        self.sections.addStretch(1)
        self.retranslate_ui()

    def _chosen(self, key: str, answer: str, index: int) -> None:
        meanings = self.meanings.get((key, answer), [])
        if 0 <= index < len(meanings) and meanings[index] != UNKNOWN:
            self.session.choose_meaning(key, answer, meanings[index])

    def choose(self, key: str, answer: str, meaning: Any) -> None:
        """Give an answer its meaning, as picking it in its list does."""
        self.rows[(key, answer)][1].setCurrentIndex(_index(self.meanings[(key, answer)], meaning))

    def unknown(self) -> list[tuple[str, str]]:
        """(field, answer) of the answers with no meaning yet."""
        return [
            place
            for place, (_c, box, _a) in self.rows.items()
            if self.meanings[place][box.currentIndex()] == UNKNOWN
        ]

    def retranslate_ui(self) -> None:
        self.setTitle(_("What do the answers mean?"))
        self.setSubTitle(_("Check how each answer is read. Rows with an answer marked “?” are not imported."))
        self.note.setText(
            _("Nothing to choose here: no column with choices (yes/no, needs, urgency …) is imported.")
            if not self.rows
            else _(
                "AidDesk reads answers in English or Spanish; an answer it does not know needs your choice."
            )
        )
        kind = self.session.kind
        for key, group in self.groups.items():
            group.setTitle(field_label(kind, key))
        for (key, text), (caption, box, answer) in self.rows.items():
            caption.setText(
                ngettext("“%(answer)s” (%(count)d row)", "“%(answer)s” (%(count)d rows)", answer.rows)
                % {"answer": text, "count": answer.rows}
            )
            chosen = self.session.values.get(key, {})
            current = (
                chosen[text] if text in chosen else (_single(answer.meaning) if answer.known else UNKNOWN)
            )
            meanings = ([UNKNOWN] if current == UNKNOWN else []) + options(kind, key, self.session.words)
            if current not in meanings:
                meanings.append(current)
            self.meanings[(key, text)] = meanings
            box.blockSignals(True)
            box.clear()
            for value in meanings:
                unknown = value == UNKNOWN
                box.addItem(
                    _("? — choose what it means")
                    if unknown
                    else meaning_text(kind, key, value, self.session.words)
                )
            box.setCurrentIndex(_index(meanings, current))
            box.setAccessibleName(
                _("Meaning of “%(answer)s” for %(field)s") % {"answer": text, "field": field_label(kind, key)}
            )
            box.blockSignals(False)


def _index(meanings: list[Any], meaning: Any) -> int:
    """Where a meaning is in the list (True is not 1 here)."""
    return next((i for i, m in enumerate(meanings) if m == meaning and type(m) is type(meaning)), 0)


def _single(meaning: Any) -> Any:
    """The one value a multi-select answer stands for (None: left out)."""
    if isinstance(meaning, tuple):
        return meaning[0] if meaning else None
    return meaning
