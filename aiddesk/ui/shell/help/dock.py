"""F1's guide: a dock beside the screens with the guide to the screen in front of the volunteer,
following the screen shown and the live language switch; and the Help menu's two entries."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QTextBrowser, QWidget

from aiddesk.i18n import _
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.help.guides import ANY_SCREEN_KEYS, Guide, guide_for

if TYPE_CHECKING:
    from aiddesk.ui.shell.help.cheat_sheet import CheatSheetDialog
    from aiddesk.ui.shell.main_window import MainWindow

GUIDE_WIDTH = 300
GUIDE_SIZE = (360, 560)  # where it first floats


def text(value: str) -> str:
    return html.escape(value, quote=False)


def guide_html(guide: Guide) -> str:
    """The guide in the current language: its title, what the screen is for, its keys."""
    parts = [f"<h3>{text(_(guide.title))}</h3>"]
    parts += [f"<p>{text(_(paragraph))}</p>" for paragraph in guide.purpose]
    keys = (*guide.keys, *ANY_SCREEN_KEYS)
    heading = _("Keys")
    parts.append(f"<h4>{text(heading)}</h4><table cellspacing='0' cellpadding='2'>")
    parts += [
        f"<tr><td valign='top' nowrap><b>{text(_(key))}</b>&nbsp;&nbsp;</td><td>{text(_(what))}</td></tr>"
        for key, what in keys
    ]
    parts.append("</table>")
    return "".join(parts)


class HelpDock(Retranslating, QDockWidget):
    """The guide to one screen (`show_guide(key)`), in a dock on the window's right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpDock")
        self.key = ""
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.setWidget(self.browser)
        self.setMinimumWidth(GUIDE_WIDTH)
        self.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        self.retranslate_ui()

    def show_guide(self, key: str) -> None:
        self.key = key
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Guide to this screen"))
        self.browser.setHtml(guide_html(guide_for(self.key)))


class HelpMenu:
    """The Help menu's "Guide to this screen" (F1) and "Phone-desk cheat sheet…" of `window`."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dock: HelpDock | None = None
        self.cheat_sheet: CheatSheetDialog | None = None
        self.guide_action = QAction(window)
        self.guide_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.guide_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.guide_action.triggered.connect(self.show_guide)
        self.sheet_action = QAction(window)
        self.sheet_action.triggered.connect(self.show_cheat_sheet)
        first = window.help_menu.actions()[0] if window.help_menu.actions() else None
        window.help_menu.insertActions(first, [self.guide_action, self.sheet_action])  # type: ignore[arg-type]
        window.help_menu.insertSeparator(first)  # type: ignore[arg-type]
        window.stack.currentChanged.connect(lambda _index: self._follow())

    def current_key(self) -> str:
        """The key of the screen in front ("person" for a person's page; "" while opening)."""
        shown = self.window.stack.currentWidget()
        for key, page in self.window.pages.items():
            if page is shown:
                return key
        return "person" if shown is getattr(self.window, "person_page", None) else ""

    def show_guide(self) -> HelpDock:
        """The guide, at first floating by the window's right edge (docked, it would take room
        the screens need at the default size); it can be docked on either side."""
        if self.dock is None:
            dock = self.dock = HelpDock(self.window)
            self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            dock.setFloating(True)
            frame = self.window.geometry()
            width, height = GUIDE_SIZE
            dock.setGeometry(
                frame.right() - width - 16, frame.top() + 64, width, min(height, frame.height() - 80)
            )
        self.dock.show_guide(self.current_key())
        self.dock.show()
        self.dock.raise_()
        return self.dock

    def _follow(self) -> None:
        if self.dock is not None and self.dock.isVisible():
            self.dock.show_guide(self.current_key())

    def show_cheat_sheet(self) -> CheatSheetDialog | None:
        if self.window.ctx.db is None:
            return None  # still opening: the sheet's PDF needs the runner
        from aiddesk.ui.shell.help.cheat_sheet import CheatSheetDialog

        if self.cheat_sheet is None:
            dialog = self.cheat_sheet = CheatSheetDialog(self.window.ctx, self.window)

            def closed() -> None:
                self.cheat_sheet = None
                dialog.deleteLater()

            dialog.finished.connect(closed)
        self.cheat_sheet.show()
        self.cheat_sheet.raise_()
        return self.cheat_sheet

    def retranslate_ui(self) -> None:
        self.guide_action.setText(_("&Guide to this screen"))
        self.sheet_action.setText(_("Phone-desk &cheat sheet…"))
