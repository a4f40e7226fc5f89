"""Finding text that does not fit the room it has: labels, buttons, check boxes, group box titles,
placeholders, combo boxes, spin boxes, tab and list items, table headers and cells.

Each widget's text is measured with its own font (QFontMetrics.horizontalAdvance) against the room
the style gives it (its contents rectangle, a push button's contents, a combo box's edit field, a
header section, a column). A widget is also clipped when it reaches past an ancestor's edge (its
window smaller than what it holds), except inside a scroll area, where the rest is a scroll away.

`clipped(root, where)` lists what does not fit; the test fails with that list."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QStyleOptionGroupBox,
    QTabBar,
    QTableView,
    QToolButton,
    QWidget,
)

from aiddesk.ui.common.elided_label import ElidedLabel

ROWS_CHECKED = 40  # table rows looked at per view (the ones a user sees first)
SLACK = 1  # a pixel of rounding


@dataclass(frozen=True)
class Clip:
    where: str  # the screen or dialog
    widget: str  # class and object name
    text: str
    needs: int
    has: int

    def __str__(self) -> str:
        return f"{self.where}: {self.widget} {self.text!r} needs {self.needs}px, has {self.has}px"


def _name(widget: QWidget) -> str:
    name = widget.objectName()
    parent = widget.parentWidget()
    trail = []
    while parent is not None and len(trail) < 3:
        if parent.objectName() and not parent.objectName().startswith("qt_"):
            trail.append(parent.objectName())
        parent = parent.parentWidget()
    inside = f" in {'/'.join(reversed(trail))}" if trail else ""
    return f"{type(widget).__name__}" + (f"#{name}" if name else "") + inside


def _plain(text: str) -> str:
    """A button's text as drawn: '&&' is '&', a lone '&' marks the shortcut."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _shown(widget: QWidget, root: QWidget) -> bool:
    return widget.isVisibleTo(root) and widget.width() > 0 and widget.height() > 0


def _past_an_edge(widget: QWidget, root: QWidget) -> tuple[int, int] | None:
    """(needed, available) width or height when the widget reaches past an ancestor's edge. Inside
    a scroll area what reaches below is a scroll away; what reaches past the right edge is cut off."""
    if widget is root:
        return None
    rect = QRect(widget.mapTo(root, widget.rect().topLeft()), widget.size())
    parent = widget.parentWidget()
    while parent is not None:
        if parent.isWindow() and parent is not root:
            return None
        area = parent.parentWidget()
        scrolled = (
            isinstance(area, QAbstractScrollArea)
            and not isinstance(area, QAbstractItemView)
            and area.viewport() is parent
        )
        room = QRect(parent.mapTo(root, parent.rect().topLeft()), parent.size())
        if rect.right() > room.right() + SLACK:
            return rect.right() - rect.left(), room.right() - rect.left()
        if scrolled:
            return None
        if rect.bottom() > room.bottom() + SLACK:
            return rect.bottom() - rect.top(), room.bottom() - rect.top()
        if parent is root:
            return None
        parent = parent.parentWidget()
    return None


# ---- one kind of widget each ---------------------------------------------------------------


def _label(label: QLabel) -> tuple[str, int, int] | None:
    text = label.full_text() if isinstance(label, ElidedLabel) else label.text()
    if label.buddy() is not None:
        text = _plain(text)
    if not text.strip() or label.pixmap() is not None and not label.pixmap().isNull():
        return None
    room = label.contentsRect().adjusted(label.margin(), label.margin(), -label.margin(), -label.margin())
    indent = max(label.indent(), 0)
    width = room.width() - indent
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    )
    if rich:
        doc = QTextDocument()
        doc.setDefaultFont(label.font())
        doc.setDocumentMargin(0)
        doc.setHtml(text)
        if label.wordWrap():
            doc.setTextWidth(width)
            if doc.idealWidth() > width + SLACK:
                return doc.toPlainText(), int(doc.idealWidth()), width
            if doc.size().height() > room.height() + SLACK + 2:
                return doc.toPlainText(), int(doc.size().height()), room.height()
            return None
        needed = int(doc.idealWidth())
        return (doc.toPlainText(), needed, width) if needed > width + SLACK else None
    metrics = QFontMetrics(label.font())
    if label.wordWrap():
        box = metrics.boundingRect(QRect(0, 0, max(width, 1), 100_000), Qt.TextFlag.TextWordWrap, text)
        if box.width() > width + SLACK:
            return text, box.width(), width
        if box.height() > room.height() + SLACK:
            return text, box.height(), room.height()
        return None
    needed = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
    if needed > width + SLACK:
        return text, needed, width
    high = metrics.lineSpacing() * (text.count("\n") + 1) - metrics.leading()
    if high > room.height() + SLACK + 1:
        return text, high, room.height()
    return None


def _push_button(button: QPushButton) -> tuple[str, int, int] | None:
    text = _plain(button.text())
    if not text:
        return None
    option = QStyleOptionButton()
    option.initFrom(button)
    option.text = button.text()
    option.icon = button.icon()
    option.iconSize = button.iconSize()
    option.features = QStyleOptionButton.ButtonFeature.None_
    if button.menu() is not None:
        option.features |= QStyleOptionButton.ButtonFeature.HasMenu
    room = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button).width()
    needed = QFontMetrics(button.font()).horizontalAdvance(text)
    if not button.icon().isNull():
        needed += button.iconSize().width() + 4
    if button.menu() is not None:
        needed += button.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, option, button)
    return (text, needed, room) if needed > room + SLACK else None


def _by_size_hint(widget: QAbstractButton) -> tuple[str, int, int] | None:
    """Check boxes, radio buttons and tool buttons: their size hint is exactly what their text needs."""
    text = _plain(widget.text())
    if not text:
        return None
    if isinstance(widget, QToolButton) and widget.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly:
        return None
    needed = widget.sizeHint().width()
    return (text, needed, widget.width()) if needed > widget.width() + SLACK else None


def _group_box(box: QGroupBox) -> tuple[str, int, int] | None:
    text = _plain(box.title())
    if not text:
        return None
    option = QStyleOptionGroupBox()
    option.initFrom(box)
    option.text = box.title()
    option.textAlignment = box.alignment()
    option.subControls = QStyle.SubControl.SC_GroupBoxFrame | QStyle.SubControl.SC_GroupBoxLabel
    if box.isCheckable():
        option.subControls |= QStyle.SubControl.SC_GroupBoxCheckBox
    label = box.style().subControlRect(
        QStyle.ComplexControl.CC_GroupBox, option, QStyle.SubControl.SC_GroupBoxLabel, box
    )
    needed = label.left() + QFontMetrics(box.font()).horizontalAdvance(text)
    return (text, needed, box.width()) if needed > box.width() + SLACK else None


def _line_edit(edit: QLineEdit) -> tuple[str, int, int] | None:
    """The placeholder of an empty field, or the text the screen filled in (a date, a record's
    value: the test types nothing)."""
    if edit.echoMode() != QLineEdit.EchoMode.Normal:
        return None
    text = edit.text() or edit.placeholderText()
    if not text or isinstance(edit.parentWidget(), QComboBox) and not edit.text():
        return None
    if edit.text() and Path(edit.text()).is_absolute():
        return None  # a file the user chose: its path scrolls in the field (the test's are long)
    margins = edit.textMargins()
    room = edit.contentsRect().width() - margins.left() - margins.right() - 4  # QLineEdit's 2px each side
    frame = (
        edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, edit)
        if edit.hasFrame()
        else 0
    )
    room -= 2 * frame
    for action in edit.actions():  # a clear button or an icon inside the edit
        if action.isVisible():
            room -= edit.height()
    needed = QFontMetrics(edit.font()).horizontalAdvance(text)
    return (text, needed, room) if needed > room + SLACK else None


def _combo(combo: QComboBox) -> tuple[str, int, int] | None:
    text = combo.currentText()
    if not text or combo.isEditable():  # an editable box's text is its line edit's
        return None
    option = QStyleOptionComboBox()
    option.initFrom(combo)
    option.editable = combo.isEditable()
    option.currentText = text
    option.frame = combo.hasFrame()
    option.subControls = QStyle.SubControl.SC_All
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    needed = QFontMetrics(combo.font()).horizontalAdvance(text)
    icon = combo.itemIcon(combo.currentIndex())
    if not icon.isNull():
        needed += combo.iconSize().width() + 4
    return (text, needed, field.width()) if needed > field.width() + SLACK else None


def _tabs(bar: QTabBar) -> Iterator[tuple[str, int, int]]:
    metrics = QFontMetrics(bar.font())
    pad = bar.style().pixelMetric(QStyle.PixelMetric.PM_TabBarTabHSpace, None, bar)
    for i in range(bar.count()):
        text = _plain(bar.tabText(i))
        needed = metrics.horizontalAdvance(text) + pad
        has = bar.tabRect(i).width()
        if needed > has + SLACK or bar.tabRect(i).right() > bar.width() + SLACK:
            yield text, needed, min(has, bar.width() - bar.tabRect(i).left())


def _header(header: QHeaderView) -> Iterator[tuple[str, int, int]]:
    model = header.model()
    if model is None or not header.isVisible():
        return
    style = header.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole)
        if not text:
            continue
        text = str(text)
        font = model.headerData(section, header.orientation(), Qt.ItemDataRole.FontRole)
        metrics = QFontMetrics(font if isinstance(font, QFont) else header.font())
        needed = max(metrics.horizontalAdvance(line) for line in text.split("\n")) + 2 * margin
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == section:
            needed += arrow + margin
        vertical = header.orientation() == Qt.Orientation.Vertical
        has = header.width() if vertical else header.sectionSize(section)
        if not vertical and header.sectionPosition(section) - header.offset() > header.viewport().width():
            continue  # scrolled out of sight: a scroll away, not clipped
        if needed > has + SLACK:
            yield text, needed, has


def _cells(view: QTableView | QListView) -> Iterator[tuple[str, int, int]]:
    model = view.model()
    if model is None:
        return
    style = view.style()
    pad = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)
    columns = model.columnCount(view.rootIndex()) if isinstance(view, QTableView) else 1
    for row in range(min(model.rowCount(view.rootIndex()), ROWS_CHECKED)):
        for column in range(columns):
            if isinstance(view, QTableView) and view.isColumnHidden(column):
                continue
            index = model.index(row, column, view.rootIndex())
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if text is None or text == "":
                continue
            text = str(text)
            font = index.data(Qt.ItemDataRole.FontRole)
            metrics = QFontMetrics(font if isinstance(font, QFont) else view.font())
            needed = max(metrics.horizontalAdvance(line) for line in text.split("\n")) + pad
            if index.data(Qt.ItemDataRole.DecorationRole) is not None:
                needed += view.iconSize().width() if view.iconSize().isValid() else 16
                needed += 4
            if index.data(Qt.ItemDataRole.CheckStateRole) is not None:
                needed += style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, view) + 4
            if isinstance(view, QTableView):
                has = view.columnWidth(column)
                if view.columnViewportPosition(column) > view.viewport().width():
                    continue
                if view.wordWrap():  # wrapped onto more lines: each fits, all lines fit the row
                    room = QRect(0, 0, max(has - (needed - metrics.horizontalAdvance(text)), 1), 100_000)
                    box = metrics.boundingRect(room, Qt.TextFlag.TextWordWrap, text)
                    if box.height() > view.rowHeight(row) + SLACK:
                        yield text, box.height(), view.rowHeight(row)
                    needed = box.width() + (needed - metrics.horizontalAdvance(text))
            else:
                rect = view.visualRect(index)
                has = rect.width() or view.viewport().width()
                if view.wordWrap() and rect.isValid():  # wrapped: all of its lines fit its row
                    room = QRect(0, 0, max(has - (needed - metrics.horizontalAdvance(text)), 1), 100_000)
                    box = metrics.boundingRect(room, Qt.TextFlag.TextWordWrap, text)
                    if box.height() > rect.height() + SLACK:
                        yield text, box.height(), rect.height()
                    continue
            if needed > has + SLACK:
                yield text, needed, has


# ---- the walk ------------------------------------------------------------------------------


def clipped(root: QWidget, where: str) -> list[Clip]:
    """Everything shown in `root` whose text is wider (or taller) than its room."""
    found: list[Clip] = []

    def add(widget: QWidget, result: tuple[str, int, int] | None) -> None:
        if result is not None:
            text, needs, has = result
            found.append(Clip(where, _name(widget), text, needs, has))

    for widget in [root, *root.findChildren(QWidget)]:
        if not _shown(widget, root) or widget.window() is not root:
            continue
        if isinstance(widget, QLabel):
            add(widget, _label(widget))
        elif isinstance(widget, QPushButton):
            add(widget, _push_button(widget))
        elif isinstance(widget, (QCheckBox, QRadioButton, QToolButton)):
            add(widget, _by_size_hint(widget))
        elif isinstance(widget, QLineEdit):
            add(widget, _line_edit(widget))
        elif isinstance(widget, QComboBox):
            add(widget, _combo(widget))
        elif isinstance(widget, QTabBar):
            for result in _tabs(widget):
                add(widget, result)
        elif isinstance(widget, QHeaderView):
            for result in _header(widget):
                add(widget, result)
        if isinstance(widget, QGroupBox):
            add(widget, _group_box(widget))
        if isinstance(widget, (QTableView, QListView)) and widget.model() is not None:
            for result in _cells(widget):
                add(widget, result)
        edge = _past_an_edge(widget, root)
        if edge is not None and (widget.children() == [] or isinstance(widget, (QLabel, QAbstractButton))):
            text = _plain(getattr(widget, "text", lambda: "")()) if hasattr(widget, "text") else ""
            found.append(Clip(where, _name(widget) + " (past its parent's edge)", text, *edge))
    return found
