"""The main window: a sidebar to the screens, the screens, menus and a status bar."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

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
from aiddesk.domain.access import Right
from aiddesk.domain.changes import RECORD_KINDS, Changes, Kind
from aiddesk.i18n import N_, _
from aiddesk.ui.common.alive import while_alive
from aiddesk.ui.common.elided_label import ElidedLabel
from aiddesk.ui.context import DeskContext
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.refreshing import Spaced
from aiddesk.ui.shell.window_memory import WindowMemory

if TYPE_CHECKING:
    from aiddesk.services.database import Database
    from aiddesk.ui.audit.page import AuditPage
    from aiddesk.ui.conflicts.page import ConflictsPage
    from aiddesk.ui.deliveries.page import DeliveriesPage
    from aiddesk.ui.exchange.page import ExchangePage
    from aiddesk.ui.exchange.timer import ExchangeTimer
    from aiddesk.ui.intake.page import IntakePage
    from aiddesk.ui.matching.page import MatchingPage
    from aiddesk.ui.overview.page import OverviewPage
    from aiddesk.ui.overview.views import QueueView
    from aiddesk.ui.person.page import PersonPage
    from aiddesk.ui.requests.page import RequestsPage
    from aiddesk.ui.settings.page import SettingsPage
    from aiddesk.ui.shell.desk_lock import DeskLock
    from aiddesk.ui.shell.help.dock import HelpMenu
    from aiddesk.ui.volunteers.page import VolunteersPage

# The screens that exist, in sidebar order: (key, sidebar entry).
PAGES: tuple[tuple[str, str], ...] = (
    ("overview", N_("Overview")),
    ("intake", N_("Intake")),
    ("requests", N_("Requests")),
    ("matching", N_("Matching")),
    ("deliveries", N_("Deliveries")),
    ("volunteers", N_("Volunteers")),
    ("exchange", N_("Exchange")),
    ("conflicts", N_("Conflicts")),
    ("audit", N_("Audit trail")),
    ("settings", N_("Settings")),
)
# What a role must be allowed to see each screen (domain/access.py); the others are not shown.
PAGE_RIGHTS: Mapping[str, Right] = MappingProxyType(
    {
        "overview": Right.REPORTS,
        "intake": Right.INTAKE,
        "requests": Right.QUEUE,
        "matching": Right.MATCHING,
        "deliveries": Right.DELIVERIES,
        "volunteers": Right.VOLUNTEERS,
        "exchange": Right.EXCHANGE,
        "conflicts": Right.CONFLICTS,
        "audit": Right.AUDIT,
        "settings": Right.SETTINGS,
    }
)
# What the number of decisions waiting on the Conflicts screen depends on.
WAITING_KINDS = RECORD_KINDS | {Kind.PROPOSAL}
DEFAULT_SIZE = (1200, 760)
SIDEBAR_WIDTH = 190
# Qt.ItemDataRole.UserRole, as its number. The frame shown before the store loads touches nothing of
# Qt's namespace: its first use makes ~110 Python enums at once (~20 ms before the first paint).
USER_ROLE = 0x0100
# The "Opening the database…" note, centred without Qt.AlignmentFlag (see USER_ROLE).
OPENING_STYLE = "QLabel { qproperty-alignment: AlignCenter; }"


class MainWindow(Retranslating, QMainWindow):
    """The window frame (sidebar, menus, status bar) and the screens.

    When `ctx.db` is None the frame shows at once with an "opening" note and the
    screens arrive with `attach_database()`: the window appears before the store
    (SQLAlchemy alone takes ~0.25 s to import) has loaded. The Help menu's guide and cheat
    sheet arrive with the screens too (there is nothing to guide through before)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.about_box: QMessageBox | None = None
        self.desk_lock: DeskLock | None = None  # sign-in, shifts and the lock (with the screens)
        self.resize(*DEFAULT_SIZE)
        self._pages: dict[str, QWidget] = {}
        self.opening = QLabel()
        self.opening.setStyleSheet(OPENING_STYLE)

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(SIDEBAR_WIDTH)
        self.sidebar.setStyleSheet("QListWidget#sidebar::item { padding: 8px 10px; }")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.opening)
        for key, _entry in PAGES:
            item = QListWidgetItem()
            item.setData(USER_ROLE, key)
            self.sidebar.addItem(item)
        self.sidebar.currentRowChanged.connect(self._show_row)
        # A click on the current entry leaves the person's page (which is not in the sidebar) too.
        self.sidebar.itemClicked.connect(lambda item: self._show_row(self.sidebar.row(item)))
        # The screens, made with the database in attach_database().
        self.overview_page: OverviewPage
        self.intake_page: IntakePage
        self.requests_page: RequestsPage
        self.matching_page: MatchingPage
        self.deliveries_page: DeliveriesPage
        self.volunteers_page: VolunteersPage
        self.exchange_page: ExchangePage
        self.conflicts_page: ConflictsPage
        self.audit_page: AuditPage
        self.settings_page: SettingsPage
        self.person_page: PersonPage
        self.exchange_timer: ExchangeTimer

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.content = central
        self.lock_stack = QStackedWidget()  # the desk, or the sign-in over it (ui/shell/desk_lock.py)
        self.lock_stack.setObjectName("deskLockStack")
        self.lock_stack.addWidget(central)
        self.setCentralWidget(self.lock_stack)

        self.file_menu = QMenu(self)
        self.help_menu = QMenu(self)
        self.quit_action = QAction(self)
        # Ctrl+Q everywhere, as the cheat sheet says (Windows has no standard Quit key: the
        # platform's bindings were none there); setShortcut() would load Qt's namespace (see USER_ROLE)
        self.quit_action.setShortcuts([QKeySequence("Ctrl+Q")])
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.file_menu.addAction(self.quit_action)
        self.help_menu.addAction(self.about_action)
        self.menuBar().addMenu(self.file_menu)
        self.menuBar().addMenu(self.help_menu)
        self.help: HelpMenu | None = None  # F1's guide, the cheat sheet: with the screens
        # The size, place, splitters and columns as they were left (window.ini in the data folder).
        self.memory = WindowMemory(self, ctx.paths.data_dir, self._remembered_screens)
        self.memory.restore_frame()

        self.desk_status = QLabel()
        self.who_status = QLabel()
        self.data_status = ElidedLabel()
        for label in (self.desk_status, self.who_status, self.data_status):
            label.setContentsMargins(8, 0, 8, 0)
        self.statusBar().addWidget(self.desk_status)
        self.statusBar().addWidget(self.who_status)
        self.statusBar().addPermanentWidget(self.data_status)

        self.retranslate_ui()
        if ctx.db is not None:
            self.attach_database(ctx.db)
        else:
            self.sidebar.setCurrentRow(1)  # Intake, until the desk shows it has requests

    def attach_database(self, db: Database) -> None:
        """Build the screens over the open database and show the first one."""
        # The screens (and through them the store) load here, not at import time.
        from aiddesk.ui.audit.page import AuditPage
        from aiddesk.ui.conflicts.page import ConflictsPage
        from aiddesk.ui.deliveries.page import DeliveriesPage
        from aiddesk.ui.exchange.page import ExchangePage
        from aiddesk.ui.exchange.timer import install_exchange_timer
        from aiddesk.ui.intake.page import IntakePage
        from aiddesk.ui.matching.page import MatchingPage
        from aiddesk.ui.overview.page import OverviewPage
        from aiddesk.ui.person.page import PersonPage
        from aiddesk.ui.requests.page import RequestsPage
        from aiddesk.ui.settings.page import SettingsPage
        from aiddesk.ui.shell.help.dock import HelpMenu
        from aiddesk.ui.volunteers.page import VolunteersPage

        self.ctx.db = db
        self.help = HelpMenu(self)  # F1's guide to the screen, the phone-desk cheat sheet
        self.help.retranslate_ui()
        operations = self.ctx.operations
        operations.setParent(self)
        self.overview_page = OverviewPage(self.ctx)
        self.intake_page = IntakePage(self.ctx)
        self.requests_page = RequestsPage(self.ctx)
        self.matching_page = MatchingPage(self.ctx)
        self.deliveries_page = DeliveriesPage(self.ctx)
        self.volunteers_page = VolunteersPage(self.ctx)
        self.exchange_page = ExchangePage(self.ctx)
        self.conflicts_page = ConflictsPage(self.ctx)
        self.audit_page = AuditPage(self.ctx)
        self.settings_page = SettingsPage(self.ctx)
        self.person_page = PersonPage(self.ctx)
        self._pages = {
            "overview": self.overview_page,
            "intake": self.intake_page,
            "requests": self.requests_page,
            "matching": self.matching_page,
            "deliveries": self.deliveries_page,
            "volunteers": self.volunteers_page,
            "exchange": self.exchange_page,
            "conflicts": self.conflicts_page,
            "audit": self.audit_page,
            "settings": self.settings_page,
        }
        self.exchange_timer = install_exchange_timer(self, self.ctx)
        self.exchange_page.attach_timer(self.exchange_timer)
        self._navigation()
        # The Conflicts entry's count, read again after changes at most once a second (issue 13)
        self._waiting_again = Spaced(self, operations, self.update_waiting, 1000, key="waiting-count")
        operations.notifier.changed.connect(self._changes_arrived)
        for key, _entry in PAGES:
            self.stack.addWidget(self._pages[key])
        self.stack.addWidget(self.person_page)
        self.stack.removeWidget(self.opening)
        row = self.sidebar.currentRow()
        row = row if row >= 0 else 1
        self.sidebar.setCurrentRow(-1)
        self.sidebar.setCurrentRow(row)
        self.memory.restore_screens()
        self.update_waiting()
        from aiddesk.ui.shell.desk_lock import DeskLock

        self.desk_lock = DeskLock(self)
        self.desk_lock.start()
        self.apply_role()
        self._start_on_overview()

    def apply_role(self) -> None:
        """Show only the screens the person at the desk may use (their role's, domain/access.py)."""
        for row, (key, _entry) in enumerate(PAGES):
            self.sidebar.item(row).setHidden(not self.ctx.may(PAGE_RIGHTS[key]))
        current = self.sidebar.currentItem()
        if current is None or current.isHidden() or self.stack.currentWidget() is self.person_page:
            visible = [row for row in range(self.sidebar.count()) if not self.sidebar.item(row).isHidden()]
            self.sidebar.setCurrentRow(-1)
            self.sidebar.setCurrentRow(visible[0] if visible else 0)
        self.person_page.apply_role()
        self.requests_page.apply_role()

    def _start_on_overview(self) -> None:
        """A desk that has requests opens on the Overview (while the user has not moved on from
        Intake), for those who may see it."""
        from aiddesk.services.reports.overview import has_requests

        db = self.ctx.database
        intake = [key for key, _entry in PAGES].index("intake")

        def show(any_request: bool) -> None:
            if (
                any_request
                and self.ctx.may(PAGE_RIGHTS["overview"])
                and self.sidebar.currentRow() == intake
                and self.stack.currentWidget() is self.intake_page
            ):
                self.show_page("overview")

        self.ctx.operations.query(lambda: has_requests(db), while_alive(self, show), key="start-page")

    def _navigation(self) -> None:
        """Where a screen asks to go. (What a screen shows, it refreshes itself: each one follows
        the desk's change notifier for the kinds it shows.)"""
        self.requests_page.open_person.connect(self.show_person)
        self.person_page.back_requested.connect(lambda: self._show_row(self.sidebar.currentRow()))
        self.exchange_page.open_settings.connect(lambda: self.show_page("settings"))
        self.overview_page.open_queue.connect(self.show_queue)
        self.overview_page.open_screen.connect(self.show_page)
        self.overview_page.open_run.connect(self.show_run)

    def _changes_arrived(self, changes: Changes) -> None:
        if changes.touches(WAITING_KINDS):
            self._waiting_again.ask()
        if changes.touches({Kind.DESK}):
            self.retranslate_ui()  # the desk's name and code in the title and status bar

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(PAGES):  # no entry chosen (while the screens are attached): keep what shows
            return
        self.stack.setCurrentWidget(self._pages.get(PAGES[row][0], self.opening))
        self.sidebar.item(row).setSelected(True)  # highlighted again after a person's page

    # ---- pages -----------------------------------------------------------------------------

    @property
    def pages(self) -> Mapping[str, QWidget]:
        """The screens by key ("requests", "settings"), in sidebar order."""
        return MappingProxyType(self._pages)

    def show_person(self, person_id: str) -> None:
        """A person's page in place of the current screen; its Back button returns there."""
        if self.person_page.show_person(person_id):
            self.stack.setCurrentWidget(self.person_page)
            # no screen of the sidebar shows now; its entry stays current (Back returns there)
            self.sidebar.clearSelection()

    def show_page(self, key: str) -> None:
        """Show the screen `key` (KeyError for a screen that does not exist)."""
        keys = [k for k, _entry in PAGES]
        if key not in keys:
            raise KeyError(key)
        self.sidebar.setCurrentRow(keys.index(key))

    def _remembered_screens(self) -> Mapping[str, QWidget]:
        """The screens whose splitters and columns the window remembers (none until attached)."""
        return {**self._pages, "person": self.person_page} if self._pages else {}

    def show_queue(self, view: QueueView) -> None:
        """The Requests screen filtered as the overview's number counted."""
        self.requests_page.show_filtered(view.statuses, view.focus, view.select)
        self.show_page("requests")

    def show_run(self, day: object, run_id: str) -> None:
        """The Deliveries screen on `day` with the run `run_id` chosen."""
        self.deliveries_page.show_run(day, run_id)  # type: ignore[arg-type]
        self.show_page("deliveries")

    def current_page_key(self) -> str:
        return str(self.sidebar.currentItem().data(USER_ROLE))

    def update_waiting(self) -> None:
        """The Conflicts entry says how many decisions wait: "Conflicts (3)"."""
        from aiddesk.services.exchange.waiting import waiting_count
        from aiddesk.ui.conflicts.page import sidebar_text

        db = self.ctx.db
        if db is None:
            return
        row = [key for key, _entry in PAGES].index("conflicts")

        def show(count: int) -> None:
            self.sidebar.item(row).setText(sidebar_text(count))

        self.ctx.operations.query(
            lambda: waiting_count(db), while_alive(self, show), key="waiting", again=True
        )

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
        locked = self.desk_lock is not None and self.desk_lock.locked
        # L10N: the window title; %(desk)s is the desk's name
        self.setWindowTitle("AidDesk" if locked else _("AidDesk — %(desk)s") % {"desk": desk.name})
        for row, (_key, entry) in enumerate(PAGES):
            self.sidebar.item(row).setText(_(entry))
        if self._pages:
            self.update_waiting()
        self.file_menu.setTitle(_("&File"))
        self.quit_action.setText(_("&Quit"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About AidDesk"))
        if self.help is not None:
            self.help.retranslate_ui()
        self.desk_status.setText(_("Desk: %(name)s (%(code)s)") % {"name": desk.name, "code": desk.code})
        self.who_status.setText(_("At the desk: %(who)s") % {"who": self.ctx.who})
        self.data_status.set_full_text(_("Data: %(folder)s") % {"folder": self.ctx.paths.data_dir})
        self.opening.setText(_("Opening the database…"))
        if self.desk_lock is not None:
            self.desk_lock.retranslate_ui()
        if self.about_box is not None:
            self.about_box.setWindowTitle(_("About AidDesk"))
            self.about_box.setText(self._about_text())
