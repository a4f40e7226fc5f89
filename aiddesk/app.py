"""Bootstrap: paths, logging, error hooks, one instance per data folder, a look at the database
(a damaged one is never replaced by a new desk: a dialog offers the newest sound backup), the
database, the desk, who is at the desk, the language, the main window, and the automatic backups.
(`self-test` lives in aiddesk/self_test.py.)

Qt and the database are imported inside the functions, so `aiddesk --version` and the headless
commands never pay for them."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import aiddesk
from aiddesk import i18n
from aiddesk.i18n import _
from aiddesk.logging_setup import setup_logging
from aiddesk.paths import DeskPaths, FolderProblem, prepare, resolve

if TYPE_CHECKING:
    import argparse

    from PySide6.QtWidgets import QApplication, QWidget

    from aiddesk.domain.desk import DeskInfo
    from aiddesk.i18n.qt_bridge import QtLanguage
    from aiddesk.services.backups import Verdict
    from aiddesk.services.desk.encryption import DeskKey
    from aiddesk.store.database import Database
    from aiddesk.store.soundness import QuickCheck
    from aiddesk.ui.backups.keeper import BackupKeeper
    from aiddesk.ui.retention.keeper import RetentionKeeper
    from aiddesk.ui.shell.main_window import MainWindow
    from aiddesk.ui.shell.single_instance import SingleInstance

log = logging.getLogger(__name__)

_IMPORTED_AT = time.perf_counter()  # the earliest moment this module knows of, if aiddesk.STARTED is unset

# Benchmark hook: "1" prints "shown <seconds>" and quits; "tour" then shows every screen, waits
# AIDDESK_TOUR_LINGER_MS more, prints "quitting <seconds>" and closes the window as Ctrl+Q does.
EXIT_WHEN_SHOWN = "AIDDESK_EXIT_WHEN_SHOWN"
TOUR_LINGER = "AIDDESK_TOUR_LINGER_MS"


def _process_age() -> float | None:
    """Seconds since the kernel started this process (Linux), interpreter start included."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return time.clock_gettime(time.CLOCK_BOOTTIME) - int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def seconds_since_start() -> float:
    """Seconds since the process began: `aiddesk.STARTED` (a perf_counter reading) when the entry point
    records one, else the kernel's start time of the process (Linux, 10 ms steps), else the moment this
    module was imported."""
    started = getattr(aiddesk, "STARTED", None)
    if isinstance(started, float):
        return time.perf_counter() - started
    age = _process_age()
    return age if age is not None else time.perf_counter() - _IMPORTED_AT


def dispose(widget: QWidget) -> None:
    """Close and delete a window now (it must not answer a later language switch with a closed database)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def no_display(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """On Linux, neither an X11 nor a Wayland display (nor a Qt platform chosen by hand): Qt would
    abort with its own message about plugins."""
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("linux"):
        return False
    return not any(env.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def end_quickly() -> None:
    """The process ends now (the window is closed, the database and the log are closed): the
    interpreter's own clean-up then runs several full garbage collections over every object the
    screens made, which took 1.2 s of the 1.4 s a quit lasted after a shift's use of the screens.
    Frozen objects are not walked; the system takes back the memory at exit anyway."""
    import gc

    gc.freeze()


# -- the GUI --------------------------------------------------------------------------------------------


def run_gui(args: argparse.Namespace) -> int:
    """Start the desktop app; returns the process exit code (0 also when the user cancels set-up)."""
    if no_display():
        print(
            _(
                "AidDesk's window needs a display, and this computer has none (no DISPLAY or "
                "WAYLAND_DISPLAY). Start it on a desktop, or use the commands that need no window: "
                "aiddesk --help lists them."
            ),
            file=sys.stderr,
        )
        return 1
    paths = resolve(args.data_dir)
    os.umask(0o077)  # database, backups, logs and exports: owner-only
    try:
        prepare(paths)
        logs = setup_logging(paths.log_dir, debug=bool(args.debug))
    except (FolderProblem, OSError) as exc:
        from aiddesk.ui.shell.application import create_application, show_problem

        create_application()
        if isinstance(exc, FolderProblem):
            text = exc.message
        else:
            text = _("AidDesk cannot use its data folder %(folder)s: %(error)s") % {
                "folder": str(paths.data_dir),
                "error": exc.strerror or str(exc),
            }
        print(text, file=sys.stderr)
        show_problem(text)
        return 1
    log.info("AidDesk %s starting; data folder %s", aiddesk.__version__, paths.data_dir)
    from aiddesk.store import cipher
    from aiddesk.store.soundness import QuickCheck
    from aiddesk.store.temp_files import TempFiles

    TempFiles(paths.data_dir).sweep()  # what a killed export left behind
    # A plain desk's quick check begins now, on its thread, while Qt loads; it counts once the
    # window is about to show if the database is still the same file (open_and_show).
    early = None if cipher.is_encrypted(paths.database) else QuickCheck(paths.database)
    try:
        return GuiStart(paths, logs.log_file, user=args.user, quick_check=early).run()
    finally:
        log.info("AidDesk stopped")
        logs.close()


class GuiStart:
    """The GUI start, one step per method (tests replace the dialogs by answers)."""

    def __init__(
        self,
        paths: DeskPaths,
        log_file: Path,
        *,
        user: str | None = None,
        quick_check: QuickCheck | None = None,
    ) -> None:
        from PySide6.QtCore import QTimer

        from aiddesk.ui.shell.application import create_application

        self.paths = paths
        self.log_file = log_file
        self.user = user
        self.app: QApplication = create_application()
        self.window: MainWindow | None = None
        self.db: Database | None = None
        self.qt_language: QtLanguage | None = None
        self.keeper: BackupKeeper | None = None
        self.retention: RetentionKeeper | None = None
        self.who: str | None = None
        self.early_check = quick_check  # begun before Qt loaded (run_gui)
        self.key: DeskKey | None = None  # an encrypted desk's, once unlocked
        self.unlocked: tuple[str | None, int] | None = None  # who opened it, after how many wrong tries
        # who chose a new desk's first passphrase (name, verifier): its first account
        self.opener: tuple[str, str] | None = None
        self.instance: SingleInstance | None = None
        self.listen_soon = QTimer(self.app)  # the single-instance socket, at the first event loop
        self.listen_soon.setSingleShot(True)
        self.listen_soon.setInterval(0)

    def run(self) -> int:
        from aiddesk.i18n.qt_bridge import QtLanguage
        from aiddesk.ui.shell.application import bring_forward
        from aiddesk.ui.shell.exception_hook import ExceptionHook
        from aiddesk.ui.shell.single_instance import SingleInstance

        hook = ExceptionHook(self.log_file, self.app).install()
        self.qt_language = QtLanguage(self.app)
        stop_language = i18n.on_language_change(self.qt_language.apply)
        instance = self.instance = SingleInstance(self.paths.lock_file, self.paths.data_dir, self.app)
        try:
            # The lock now: no second window opens on this data folder. The socket that brings
            # this desk forward answers from the first event loop (a start-up dialog's), or after
            # the main window's first paint when no dialog came before it (show_main_window).
            if not instance.acquire(listen=False):
                return self.already_running(instance)
            instance.raise_requested.connect(lambda: bring_forward(self.window))
            self.listen_soon.timeout.connect(instance.listen)
            self.listen_soon.start()
            self.sweep()
            code = self.open_and_show()
            while code == self.restart_code():
                code = self.reopen()
            return code
        except Exception as exc:  # a failure before the event loop: the dialog instead of a traceback
            hook.show_modal(exc)
            return 1
        finally:
            self.close_window_and_database()
            instance.release()
            stop_language()
            hook.uninstall()

    def close_window_and_database(self) -> None:
        if self.retention is not None:
            self.retention.stop()
            self.retention = None
        if self.keeper is not None:
            self.keeper.stop()
            self.keeper = None
        if self.window is not None:
            dispose(self.window)
            self.window = None
        if self.db is not None:
            self.db.close()
            self.db = None

    @staticmethod
    def restart_code() -> int:
        from aiddesk.ui.backups import RESTART_EXIT_CODE

        return RESTART_EXIT_CODE

    def sweep(self) -> None:
        """Remove what a killed backup or restore left in the data folder."""
        # the store's, not the backups service's: its imports would delay the window
        from aiddesk.store.backup import sweep_leftovers

        try:
            sweep_leftovers(self.paths.database)
        except OSError:
            log.warning("could not sweep the backups folder", exc_info=True)

    def reopen(self) -> int:
        """After a restore: the window closes and the (restored) desk opens again, same volunteer."""
        from aiddesk.services.desk import setup as desk_service

        log.info("reopening the desk after a restore")
        self.close_window_and_database()
        if not self.unlock_or_protect():
            return 1
        db = self.db = self.open_database()
        if db is None:
            return 1
        desk = desk_service.get_desk(db)
        if desk is None or self.who is None:
            return 1
        i18n.set_language(desk.language, desk.phone_region)
        if self.desk_has_accounts(db):
            return self.show_main_window(db, desk, "", accounts=True)  # the restored desk's accounts sign in
        return self.show_main_window(db, desk, self.who)

    def ask_restore(self, verdict: Verdict, parent: QWidget | None = None) -> bool:
        """The damaged-database dialog; True once a backup was restored."""
        from aiddesk.ui.backups.damaged_dialog import DamagedDatabaseDialog

        dialog = DamagedDatabaseDialog(self.paths.database, verdict, parent, key=self.key)
        try:
            return bool(dialog.exec())
        finally:
            dispose(dialog)

    def open_and_show(self) -> int:
        """A damaged database stops here (the dialog offers the newest sound backup). A desk that
        is set up and needs no upgrade starts fast: its window shows from what sqlite3 alone can
        read, and the store loads right after. Otherwise the full start."""
        # store.soundness, not services.backups: its imports would delay the window
        from aiddesk.store.peek import peek
        from aiddesk.store.schema import HEAD
        from aiddesk.store.soundness import QuickCheck

        if not self.unlock_or_protect():
            return 0
        # the header now, and a quick check within its budget on a thread (or the one begun before
        # Qt loaded, when the database is still that file): nothing shows before its verdict, but
        # the main window can be made meanwhile
        check, self.early_check = self.early_check, None
        if check is None or not check.still_for(self.paths.database, self.key):
            if check is not None:
                check.cancel()
            check = QuickCheck(self.paths.database, key=self.key)
        seen = peek(self.paths.database, key=self.key)
        fast = seen is not None and seen.revision == HEAD and not seen.accounts
        desk = seen.desk if seen is not None and fast else None
        if desk is None or not self.named_at_start():  # a dialog comes next: not before the verdict
            code = self.damaged(check.verdict())
            if code is not None:
                return code
        if desk is None or seen is None:
            return self.full_start()
        i18n.set_language(desk.language, desk.phone_region)
        who = self.ask_who(seen.recent_users, desk)
        return 0 if who is None else self.show_main_window(None, desk, who, check=check)

    def named_at_start(self) -> bool:
        """Whether --user gave a name the desk takes (then no dialog asks who is at the desk)."""
        from aiddesk.domain.validation import Invalid, shift_name

        if self.user is None:
            return False
        try:
            shift_name(self.user)
        except Invalid:
            return False
        return True

    def damaged(self, verdict: Verdict) -> int | None:
        """None for a whole database; for a damaged one the dialog offering the newest sound
        backup, then the exit code (the full start once a backup was put back)."""
        if not verdict.damaged:
            return None
        log.error("the database is damaged: %s %s", verdict.state, verdict.detail)
        if not self.ask_restore(verdict):
            return 1
        return self.full_start()

    def full_start(self) -> int:
        from aiddesk.services.desk import setup as desk_service

        db = self.db = self.open_database()
        if db is None:
            return 1
        desk = desk_service.get_desk(db)
        if desk is None:
            from aiddesk.ui.shell.first_run_dialog import system_defaults

            language, region = system_defaults()
            i18n.set_language(language, region)
            desk = self.ask_first_run(db, region)
            if desk is None:
                log.info("set-up cancelled")
                return 0
            log.info("desk %s created (%s)", desk.code, desk.desk_id)
            if not self.first_account_of_set_up(db, desk.language):
                self.ask_first_account(db)
        i18n.set_language(desk.language, desk.phone_region)
        if self.desk_has_accounts(db):
            return self.show_main_window(db, desk, "", accounts=True)  # it opens on the sign-in
        who = self.ask_who(desk_service.recent_users(db), desk)
        return 0 if who is None else self.show_main_window(db, desk, who)

    def open_database(self) -> Database | None:
        """Open and, when due, upgrade the database; on failure say what happened and where."""
        from aiddesk.store.migrate import DatabaseDamaged, UpgradeFailed, open_database
        from aiddesk.ui.shell.application import show_problem

        values = {"folder": str(self.paths.data_dir), "log": str(self.log_file)}
        try:
            return open_database(self.paths.database, key=self.key)
        except DatabaseDamaged as exc:
            log.error("the database is damaged", exc_info=exc)
            if self.ask_restore(exc.verdict, self.window):
                return self.open_database()
            return None
        except UpgradeFailed as exc:
            log.error("database upgrade failed", exc_info=exc)
            if exc.backup_file is not None:
                text = _(
                    "AidDesk could not upgrade its database, so it put back the copy it made first: "
                    "%(backup)s. Nothing you saved was lost. Details were written to %(log)s."
                ) % dict(values, backup=str(exc.backup_file))
            else:
                text = (
                    _(
                        "AidDesk could not set up its database in the data folder %(folder)s. "
                        "Details were written to %(log)s."
                    )
                    % values
                )
        except Exception as exc:
            log.error("cannot open the database %s", self.paths.database, exc_info=exc)
            text = (
                _(
                    "AidDesk could not open its database in the data folder %(folder)s. "
                    "Details were written to %(log)s."
                )
                % values
            )
        print(text, file=sys.stderr)
        show_problem(text)
        return None

    def first_account_of_set_up(self, db: Database, language: str) -> bool:
        """The person who encrypted the new desk becomes its administrator (same name, same
        passphrase); False when there was no such person (a plain desk) or the name is refused."""
        from aiddesk.domain.validation import Invalid
        from aiddesk.services import accounts

        if self.opener is None:
            return False
        name, verifier = self.opener
        self.opener = None
        try:
            accounts.first_account_of_set_up(db, name=name, verifier=verifier, language=language)
        except Invalid:
            log.info("the encryption set-up's name cannot be an account name; asking for one")
            return False
        return True

    @staticmethod
    def desk_has_accounts(db: Database) -> bool:
        from aiddesk.services import accounts

        return accounts.has_accounts(db)

    def ask_first_account(self, db: Database) -> None:
        """Set-up's last step: the first account, a coordinator who administers (skippable: the
        desk then works without sign-in, as before)."""
        from aiddesk.ui.shell.first_account_dialog import FirstAccountDialog

        dialog = FirstAccountDialog(db)
        try:
            dialog.exec()
        finally:
            dispose(dialog)

    def unlock_or_protect(self) -> bool:
        """An encrypted desk asks for a passphrase or the recovery key; a new desk offers
        encryption (on by default); a plain desk with data offers it once. False: cancelled."""
        from aiddesk.services.desk import encryption

        database = self.paths.database
        encryption.finish_interrupted(database)
        if encryption.is_encrypted(database):
            if self.key is None:
                self.key = self.ask_unlock()
                if self.key is not None:
                    encryption.finish_conversion(database, self.key)
            return self.key is not None
        state = encryption.plain_state(database)
        if state == "new":
            return self.ask_encryption(converting=False)
        if state == "offer":
            encryption.mark_offered(database)
            self.speak_the_desk_s_language()
            self.ask_encryption(converting=True)
        return True

    def speak_the_desk_s_language(self) -> None:
        """A plain desk's dialogs before its window (the encryption offer) in the desk's language,
        read from the database, not the computer's."""
        from aiddesk.store.peek import peek

        seen = peek(self.paths.database)
        if seen is not None and seen.desk is not None:
            i18n.set_language(seen.desk.language, seen.desk.phone_region)

    def ask_unlock(self) -> DeskKey | None:
        from aiddesk.ui.shell.unlock_dialog import UnlockDialog

        dialog = UnlockDialog(self.paths.database)
        try:
            if not dialog.exec():
                return None
            self.unlocked = (dialog.opened_by, dialog.failed_before)
            return dialog.key
        finally:
            dispose(dialog)

    def ask_encryption(self, *, converting: bool) -> bool:
        """The set-up (or conversion) dialog; False when it was cancelled."""
        from aiddesk.ui.shell.encryption_dialog import EncryptionDialog

        dialog = EncryptionDialog(self.paths.database, converting=converting)
        try:
            if not dialog.exec():
                return False
            self.key = dialog.key if dialog.encrypted else None
            self.opener = dialog.opener if dialog.encrypted and not converting else None
            return True
        finally:
            dispose(dialog)

    def ask_first_run(self, db: Database, region: str) -> DeskInfo | None:
        from aiddesk.ui.shell.first_run_dialog import FirstRunDialog

        dialog = FirstRunDialog(db, region)
        try:
            return dialog.desk if dialog.exec() else None
        finally:
            dispose(dialog)

    def ask_who(self, recent_users: list[str], desk: DeskInfo) -> str | None:
        """--user NAME answers at once; otherwise (or if that name is refused) the shift dialog asks."""
        from aiddesk.domain.validation import Invalid, shift_name
        from aiddesk.ui.shell.application import show_problem

        if self.user is not None:
            try:
                return shift_name(self.user)
            except Invalid as exc:
                problem = exc.problems[0]
                show_problem(
                    _("The name given with --user was refused: %(problem)s")
                    % {"problem": _(problem.message) % problem.params},
                    warning=True,
                )
        from aiddesk.ui.shell.shift_dialog import ShiftDialog

        dialog = ShiftDialog(recent_users, desk)
        try:
            who = dialog.who if dialog.exec() else None
        finally:
            dispose(dialog)
        if who is None:
            log.info("shift not started; closing")
        return who

    def show_main_window(
        self,
        db: Database | None,
        desk: DeskInfo,
        who: str,
        *,
        accounts: bool = False,
        check: QuickCheck | None = None,
    ) -> int:
        """Show the window, then (after its first paint) open the store if needed and record the
        shift. With `check`, the window is made while the database's quick check runs and shows
        only once it found nothing wrong (a damaged database: the dialog instead)."""
        from PySide6.QtCore import QTimer

        from aiddesk.ui.context import DeskContext
        from aiddesk.ui.shell.application import after_first_paint, report_ready_and_quit
        from aiddesk.ui.shell.main_window import MainWindow

        window = self.window = MainWindow(DeskContext(db, self.paths, desk, who, accounts=accounts))
        if check is not None:
            verdict = check.verdict()
            if verdict.damaged:
                self.window = None
                dispose(window)
                code = self.damaged(verdict)
                return 1 if code is None else code
        self.who = who
        hook = os.environ.get(EXIT_WHEN_SHOWN, "")
        benchmark = hook in ("1", "tour")

        def finish() -> None:
            if not self.finish_start(window, who):
                self.app.exit(1)
            elif hook == "tour":
                from aiddesk.ui.shell.application import tour_and_close

                linger = int(os.environ.get(TOUR_LINGER, "0") or 0)
                tour_and_close(window, seconds_since_start, linger_ms=linger)
            elif benchmark:
                report_ready_and_quit(window, seconds_since_start)

        def painted() -> None:
            if benchmark:
                print(f"shown {seconds_since_start():.3f}", flush=True)
            if self.instance is not None:
                self.instance.listen()  # (at once when no dialog came first; see run())
            QTimer.singleShot(0, finish)

        self.listen_soon.stop()
        after_first_paint(window, painted)
        window.show()
        log.info("main window shown")
        return int(self.app.exec())

    def finish_start(self, window: MainWindow, who: str) -> bool:
        """Open the store when the window came up without it, then record who started the shift
        through the desk's operation runner (the screens are up meanwhile; the window waits for
        the write before the database closes)."""
        from aiddesk.services import accounts
        from aiddesk.services.desk import encryption
        from aiddesk.services.desk import setup as desk_service

        if self.db is None:
            self.db = self.open_database()
            if self.db is None:
                window.close()
                return False
        if window.ctx.db is None:
            window.attach_database(self.db)
        db, code = self.db, window.ctx.desk.code

        def record_shift() -> None:
            desk_service.start_shift(db, who)
            log.info("shift started by %s at desk %s", who, code)

        if self.unlocked is not None:  # the opening and the wrong tries before it, on the trail
            opened_by, failed_before = self.unlocked
            self.unlocked = None
            window.ctx.operations.write(
                lambda: encryption.record_unlock(db, opened_by, failed_before), parent=window
            )
        if window.ctx.accounts:  # a disabled account's drafts and key-file entry, if any were left
            window.ctx.operations.write(lambda: accounts.tidy_closed_accounts(db), parent=window)
        else:  # with accounts, signing in records the shift
            window.ctx.operations.write(record_shift, parent=window)
        self.keep_backups(window)
        self.keep_retention(window)
        return True

    def keep_retention(self, window: MainWindow) -> None:
        """Retention's daily run, once an administrator confirmed it in Settings."""
        from aiddesk.ui.retention.keeper import RetentionKeeper

        if self.db is None:
            return
        self.retention = RetentionKeeper(self.db, window.ctx.operations, window)
        self.retention.start()

    def keep_backups(self, window: MainWindow) -> None:
        """The whole-database check in the background, then the day's backup and one every few hours."""
        from aiddesk.ui.backups import request_restart
        from aiddesk.ui.backups.keeper import BackupKeeper

        keeper = self.keeper = BackupKeeper(self.paths.database, window, key=self.key)

        def damaged(verdict: Verdict) -> None:
            if self.ask_restore(verdict, window):
                request_restart()

        keeper.damaged.connect(damaged)
        keeper.start()

    def already_running(self, instance: SingleInstance) -> int:
        """Another AidDesk holds this data folder: bring it forward, or say why we cannot."""
        from PySide6.QtCore import QLockFile, QSysInfo

        from aiddesk.ui.shell.application import show_problem

        if instance.lock_error() != QLockFile.LockError.LockFailedError:
            text = _(
                "AidDesk cannot lock its data folder %(folder)s. Check that the folder exists and "
                "that you may write to it."
            ) % {"folder": str(self.paths.data_dir)}
            print(text, file=sys.stderr)
            show_problem(text)
            return 1
        reply = instance.ask_to_raise()
        if reply.raised:
            log.info("already running as process %s; asked it to come forward", reply.pid)
            print(
                _(
                    "AidDesk is already open for this data folder (process %(pid)s); its window was brought forward."
                )
                % {"pid": reply.pid}
            )
            return 0
        holder = instance.holder()
        log.warning("already running (lock holder %s) and not reachable: %s", holder, reply.detail)
        parts = [
            _("AidDesk is already open for this data folder (process %(pid)s).") % {"pid": holder.pid or "?"}
        ]
        if holder.hostname and holder.hostname != QSysInfo.machineHostName():
            parts.append(_("It is open on another computer: %(host)s.") % {"host": holder.hostname})
        elif reply.connected:
            parts.append(
                _(
                    "It did not answer in time; it may be busy, for example upgrading its database. Try again in a minute."
                )
            )
        else:
            parts.append(
                _("It could not be asked to come forward. Look for its window, or close it and start again.")
            )
        text = " ".join(parts)
        print(text, file=sys.stderr)
        show_problem(text)
        return 1
