"""Who is at the desk, from the File menu, and the lock.

- "Change who is at the desk…" and "End shift": on a desk with accounts both show the sign-in
  (ending a shift also forgets the account); on a desk without accounts they ask for a name as
  the start of a shift does.
- "Lock now" (Ctrl+L), and after the idle minutes set in Settings (desks with accounts): the
  sign-in replaces the window's contents, every other window of the desk is hidden, tooltips stop
  and the title says only "AidDesk". The same account gets back its windows and what it was
  typing; another account sees its own view: what the first one had open is closed, and the call
  it was typing is put away as its draft (drafts are offered back only to the account that typed
  them), so a coordinator's half-typed safety note never reaches a volunteer's screen.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QToolTip, QWidget

from aiddesk import i18n
from aiddesk.domain.access import Actor, Role
from aiddesk.domain.changes import Changes, Kind
from aiddesk.i18n import _
from aiddesk.services import accounts
from aiddesk.services.desk import setup as desk_service
from aiddesk.ui.common.alive import while_alive
from aiddesk.ui.shell.clipboard_guard import ClipboardGuard
from aiddesk.ui.shell.sign_in_panel import SignInPanel

if TYPE_CHECKING:
    from aiddesk.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)

NOBODY = Actor("", Role.PHONE_VOLUNTEER)  # at a desk with accounts before anyone signed in: least rights
CHECK_MS = 5000  # how often idleness is looked at
_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)
_HIDDEN_WHILE_LOCKED = frozenset({QEvent.Type.ToolTip, QEvent.Type.WhatsThis, QEvent.Type.StatusTip})
# A dialog with this property set shows over the lock: the desk's own alarm that its database is
# damaged (it names no one, and waiting behind the sign-in would hide it until someone signs in).
OVER_THE_LOCK = "shownOverTheLock"


class DeskLock(QObject):
    """Installed on the main window once its screens exist."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.locked = False
        self.idle_minutes = accounts.IDLE_MINUTES_DEFAULT
        self._last_input = time.monotonic()
        self._hidden: list[QWidget] = []
        self._disabled: list[QAction] = []
        self.shift_dialog: QDialog | None = None
        self.clipboard = ClipboardGuard(self)

        self.content: QWidget = window.content
        self.panel = SignInPanel(self.ctx)
        self.panel.signed_in.connect(self.signed_in)
        self.stack = window.lock_stack
        self.stack.addWidget(self.panel)

        self.lock_action = QAction(window)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock_now)
        self.switch_action = QAction(window)
        self.switch_action.triggered.connect(self.change_who)
        self.end_action = QAction(window)
        self.end_action.triggered.connect(self.end_shift)
        menu = window.file_menu
        first = menu.actions()[0] if menu.actions() else None
        for action in (self.lock_action, self.switch_action, self.end_action):
            menu.insertAction(first, action)  # type: ignore[arg-type]
        if first is not None:
            menu.insertSeparator(first)
        self.lock_action.setVisible(self.ctx.accounts)

        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self._check_idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.retranslate_ui()

    def start(self) -> None:
        """With accounts: watch for idleness, and ask who is at the desk unless someone signed in."""
        self.ctx.operations.notifier.changed.connect(while_alive(self.window, self._changes))
        if self.ctx.accounts:
            self._timer.start()
            self.read_idle_minutes()
            if not (isinstance(self.ctx.who, Actor) and self.ctx.who.name):
                self.ctx.who = NOBODY
                self.lock(forget=True)

    # ---- idleness ----------------------------------------------------------------------------

    def read_idle_minutes(self) -> None:
        db = self.ctx.database

        def show(minutes: int) -> None:
            self.idle_minutes = minutes

        self.ctx.operations.query(lambda: accounts.idle_minutes(db), while_alive(self.window, show))

    def _changes(self, changes: Changes) -> None:
        if changes.touches({Kind.DESK, Kind.ACCOUNT}) and self.ctx.accounts:
            self.read_idle_minutes()
        elif changes.touches({Kind.ACCOUNT}):  # the desk's first account, made in Settings
            db = self.ctx.database
            self.ctx.operations.query(
                lambda: accounts.has_accounts(db), while_alive(self.window, self._accounts_now)
            )

    def _accounts_now(self, present: bool) -> None:
        """From the first account on, people sign in: the lock works from the next lock on."""
        if present and not self.ctx.accounts:
            self.ctx.accounts = True
            self.lock_action.setVisible(True)
            self._timer.start()
            self.read_idle_minutes()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind in _INPUT:
            self._last_input = time.monotonic()
        elif self.locked and kind in _HIDDEN_WHILE_LOCKED:
            return True  # no tooltip shows a name while the desk is locked
        elif (
            self.locked
            and kind == QEvent.Type.Show
            and isinstance(watched, QDialog)
            and watched.isWindow()
            and not watched.property(OVER_THE_LOCK)
        ):
            self._keep_behind_the_lock(watched)
        return False

    def _keep_behind_the_lock(self, dialog: QDialog) -> None:
        """A dialog that opens while the desk is locked (the report of a merge whose reading ended
        meanwhile, a message) waits behind the lock like the windows open when it locked: nobody
        at the locked desk reads it or answers it ("Merge")."""
        if dialog not in self._hidden:
            self._hidden.append(dialog)
        QTimer.singleShot(0, dialog, dialog.hide)  # once shown: hiding it inside its show is undone

    def idle_seconds(self) -> float:
        return time.monotonic() - self._last_input

    def _check_idle(self) -> None:
        if not self.locked and self.idle_seconds() >= self.idle_minutes * 60:
            log.info("the desk locked after %d idle minutes", self.idle_minutes)
            self.lock()

    # ---- locking -----------------------------------------------------------------------------

    def lock_now(self) -> None:
        if self.ctx.accounts:
            self.lock()

    def lock(self, *, forget: bool = False) -> None:
        """Hide everything personal and ask for a PIN or passphrase. `forget`: nobody is at the
        desk any more (a shift ended): what the account had open is closed, not hidden."""
        if not self.locked:
            self.locked = True
            QToolTip.hideText()
            self.clipboard.clear()  # a phone or a name copied here is not pasted by whoever comes
            for widget in QApplication.topLevelWidgets():
                if widget is not self.window and widget.isVisible() and widget.isWindow():
                    widget.hide()
                    self._hidden.append(widget)
            self.stack.setCurrentWidget(self.panel)  # the screens hide: the intake keeps its draft
            self.content.setEnabled(False)  # and their shortcuts sleep
            self._disabled = [
                a for a in self._menu_actions() if a.isEnabled() and a is not self.window.quit_action
            ]
            for action in self._disabled:
                action.setEnabled(False)
            self.window.statusBar().hide()
        if forget:
            self._close_hidden()
            self.window.intake_page.put_away()
            self.ctx.who = NOBODY
        who = self.ctx.who if isinstance(self.ctx.who, Actor) else None
        self.panel.start(who.name if who is not None and who.name else None)
        self.window.retranslate_ui()

    def _menu_actions(self) -> list[QAction]:
        """Every action of the window's menus (the screens' own sleep with the disabled screens)."""
        found: list[QAction] = []
        for top in self.window.menuBar().actions():
            menu = top.menu()
            if isinstance(menu, QMenu):
                found += [a for a in menu.actions() if not a.isSeparator()]
        return found

    def signed_in(self, actor: Actor) -> None:
        """Unlock for `actor`: their own view (a different account's windows are closed)."""
        same = isinstance(self.ctx.who, Actor) and self.ctx.who.name == actor.name
        if not same:
            self._close_hidden()
            self.window.intake_page.put_away()  # kept as the draft of the one who typed it
        self.ctx.who = actor
        self.locked = False
        if actor.language and actor.language != i18n.current_language():
            i18n.set_language(actor.language, self.ctx.desk.phone_region)  # the account's language
        self._last_input = time.monotonic()
        for action in self._disabled:
            action.setEnabled(True)
        self._disabled = []
        self.content.setEnabled(True)
        self.window.statusBar().show()
        self.window.apply_role()
        self.stack.setCurrentWidget(self.content)
        for widget in self._still_there():
            widget.show()
        self._hidden = []
        self.window.retranslate_ui()
        if not same:
            self.window.intake_page.take_up_drafts()
        log.info("signed in (%s)", actor.role.value)

    def _still_there(self) -> list[QWidget]:
        """The hidden windows that still exist: the lock ends the loop of a dialog that was waiting
        for an answer (an export's choices, a file dialog, a merge's report), which then takes it as
        cancelled and is deleted; it is not shown again."""
        return [w for w in self._hidden if shiboken6.isValid(w)]

    def _close_hidden(self) -> None:
        for widget in self._still_there():
            if isinstance(widget, QDialog):
                widget.reject()
            widget.close()
        self._hidden = []

    # ---- shifts ------------------------------------------------------------------------------

    def change_who(self) -> None:
        if self.ctx.accounts:
            self.lock(forget=True)
        else:
            self._ask_name(ending=False)

    def end_shift(self) -> None:
        db, who = self.ctx.database, self.ctx.who
        if who:
            self.ctx.operations.write(lambda: accounts.end_shift(db, who), parent=self.window)
        if self.ctx.accounts:
            self.lock(forget=True)
        else:
            self._ask_name(ending=True)

    def _ask_name(self, *, ending: bool) -> None:
        """A desk without accounts: the shift dialog asks who comes to the desk. Cancelled after
        a shift ended, the window closes (nobody is at the desk)."""
        db = self.ctx.database
        self.ctx.operations.query(
            lambda: desk_service.recent_users(db),
            while_alive(self.window, lambda names: self._open_shift_dialog(names, ending=ending)),
        )

    def _open_shift_dialog(self, recent: list[str], *, ending: bool) -> None:
        from aiddesk.ui.shell.shift_dialog import ShiftDialog

        db = self.ctx.database
        dialog = ShiftDialog(recent, self.ctx.desk, self.window)
        self.shift_dialog = dialog

        def finished(result: int) -> None:
            self.shift_dialog = None
            who = dialog.who if result else None
            dialog.deleteLater()
            if who is None:
                if ending:
                    self.window.close()
                return
            self.ctx.who = who
            self.ctx.operations.write(lambda: desk_service.start_shift(db, who), parent=self.window)
            self.window.retranslate_ui()

        dialog.finished.connect(finished)
        dialog.open()

    def retranslate_ui(self) -> None:
        self.lock_action.setText(_("&Lock the desk now"))
        self.switch_action.setText(_("&Change who is at the desk…"))
        self.end_action.setText(_("&End shift"))
