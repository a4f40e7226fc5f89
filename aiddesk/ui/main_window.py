"""The main window: a sidebar to the screens, the screens, menus and a status bar."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from aiddesk import __version__
from aiddesk.i18n import N_, _
from aiddesk.ui.context import DeskContext
from aiddesk.ui.pages.requests import RequestsPage
from aiddesk.ui.pages.settings import SettingsPage
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.widgets.elided_label import ElidedLabel

# The screens that exist, in sidebar order: (key, sidebar entry).
PAGES: tuple[tuple[str, str], ...] = (("requests", N_("Requests")), ("settings", N_("Settings")))
DEFAULT_SIZE = (1200, 760)
SIDEBAR_WIDTH = 190
USER_ROLE = Qt.ItemDataRole.UserRole


class MainWindow(Retranslating, QMainWindow):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.about_box: QMessageBox | None = None
        self.resize(*DEFAULT_SIZE)

        requests_page = RequestsPage(ctx)
        settings_page = SettingsPage(ctx)
        self._pages: dict[str, QWidget] = {"requests": requests_page, "settings": settings_page}
        settings_page.desk_changed.connect(self.retranslate_ui)
        settings_page.labels_changed.connect(requests_page.refresh)

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(SIDEBAR_WIDTH)
        self.sidebar.setStyleSheet("QListWidget#sidebar::item { padding: 8px 10px; }")
        self.stack = QStackedWidget()
        for key, _entry in PAGES:
            item = QListWidgetItem()
            item.setData(USER_ROLE, key)
            self.sidebar.addItem(item)
            self.stack.addWidget(self._pages[key])
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.file_menu = QMenu(self)
        self.help_menu = QMenu(self)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.file_menu.addAction(self.quit_action)
        self.help_menu.addAction(self.about_action)
        self.menuBar().addMenu(self.file_menu)
        self.menuBar().addMenu(self.help_menu)

        self.desk_status = QLabel()
        self.who_status = QLabel()
        self.data_status = ElidedLabel()
        for label in (self.desk_status, self.who_status, self.data_status):
            label.setContentsMargins(8, 0, 8, 0)
        self.statusBar().addWidget(self.desk_status)
        self.statusBar().addWidget(self.who_status)
        self.statusBar().addPermanentWidget(self.data_status)

        self.show_page("requests")
        self.retranslate_ui()

    # ---- pages -----------------------------------------------------------------------------

    @property
    def pages(self) -> Mapping[str, QWidget]:
        """The screens by key ("requests", "settings"), in sidebar order."""
        return MappingProxyType(self._pages)

    @property
    def requests_page(self) -> RequestsPage:
        page = self._pages["requests"]
        assert isinstance(page, RequestsPage)
        return page

    @property
    def settings_page(self) -> SettingsPage:
        page = self._pages["settings"]
        assert isinstance(page, SettingsPage)
        return page

    def show_page(self, key: str) -> None:
        """Show the screen `key` (KeyError for a screen that does not exist)."""
        if key not in self._pages:
            raise KeyError(key)
        self.sidebar.setCurrentRow(list(self._pages).index(key))

    def current_page_key(self) -> str:
        return str(self.sidebar.currentItem().data(USER_ROLE))

    # ---- menus -----------------------------------------------------------------------------

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, _("About AidDesk"), self._about_text(), parent=self)
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        self.about_box = box

        def closed() -> None:
            self.about_box = None
            box.deleteLater()

        box.finished.connect(closed)
        box.open()

    def _about_text(self) -> str:
        return "\n\n".join(
            (
                _("AidDesk %(version)s") % {"version": __version__},
                _("Intake calls, volunteers and deliveries for mutual-aid phone lines, on this computer."),
            )
        )

    # ---- texts -----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        desk = self.ctx.desk
        # L10N: the window title; %(desk)s is the desk's name
        self.setWindowTitle(_("AidDesk — %(desk)s") % {"desk": desk.name})
        for row, (_key, entry) in enumerate(PAGES):
            self.sidebar.item(row).setText(_(entry))
        self.file_menu.setTitle(_("&File"))
        self.quit_action.setText(_("&Quit"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About AidDesk"))
        self.desk_status.setText(_("Desk: %(name)s (%(code)s)") % {"name": desk.name, "code": desk.code})
        self.who_status.setText(_("At the desk: %(who)s") % {"who": self.ctx.who})
        self.data_status.set_full_text(_("Data: %(folder)s") % {"folder": self.ctx.paths.data_dir})
        if self.about_box is not None:
            self.about_box.setWindowTitle(_("About AidDesk"))
            self.about_box.setText(self._about_text())
