"""The window as the volunteer left it: its size, place and maximised state, and each screen's
splitters and table column widths, kept in `<data folder>/window.ini` (owner-only; sizes only,
nothing about anyone) and put back at the next start, on a screen that is there now.

The frame comes back before the window shows (`restore_frame`); the screens' splitters and
columns once they are built (`restore_screens`). Everything is saved when the window closes."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, QRect, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMainWindow, QSplitter, QWidget

log = logging.getLogger(__name__)

SETTINGS_FILE = "window.ini"
W = TypeVar("W", bound=QWidget)
MIN_SIZE = (480, 360)  # a remembered window never comes back smaller than this


def place_on_screens(saved: QRect, screens: list[QRect]) -> QRect:
    """`saved` moved (and shrunk if need be) into the screen it overlaps most, or the first
    screen when it overlaps none (a screen unplugged since): never off-screen."""
    if not screens:
        return QRect(saved)
    best = max(screens, key=lambda s: _area(s.intersected(saved)))
    area = best if _area(best.intersected(saved)) > 0 else screens[0]
    width = max(min(saved.width(), area.width()), min(MIN_SIZE[0], area.width()))
    height = max(min(saved.height(), area.height()), min(MIN_SIZE[1], area.height()))
    x = min(max(saved.x(), area.left()), area.left() + area.width() - width)
    y = min(max(saved.y(), area.top()), area.top() + area.height() - height)
    return QRect(x, y, width, height)


def _area(rect: QRect) -> int:
    return max(rect.width(), 0) * max(rect.height(), 0) if rect.isValid() else 0


class WindowMemory(QObject):
    """Remembers `window`'s frame and the splitters and columns of the screens `screens()` gives
    (key -> screen widget) in `folder`/window.ini."""

    def __init__(
        self, window: QMainWindow, folder: Path, screens: Callable[[], Mapping[str, QWidget]]
    ) -> None:
        super().__init__(window)
        self._window = window
        self._screens = screens
        self.path = folder / SETTINGS_FILE
        window.installEventFilter(self)

    def _settings(self) -> QSettings:
        return QSettings(str(self.path), QSettings.Format.IniFormat)

    # ---- putting back ---------------------------------------------------------------------------

    def restore_frame(self) -> None:
        """Before the window shows: its size and place (on a screen that is there), maximised."""
        if not self.path.exists():
            return
        settings = self._settings()
        values = [settings.value(f"window/{k}", None) for k in ("x", "y", "width", "height")]
        with contextlib.suppress(TypeError, ValueError):
            x, y, width, height = (int(str(v)) for v in values)
            screens = [screen.availableGeometry() for screen in QGuiApplication.screens()]
            self._window.setGeometry(place_on_screens(QRect(x, y, width, height), screens))
        if str(settings.value("window/maximized", "false")).lower() == "true":
            from PySide6.QtCore import Qt  # only here: its namespace is slow to load (main_window.py)

            self._window.setWindowState(self._window.windowState() | Qt.WindowState.WindowMaximized)

    def restore_screens(self) -> None:
        """Once the screens are built: their splitters and table columns."""
        if not self.path.exists():
            return
        settings = self._settings()
        for key, splitter in self._splitters():
            sizes = _ints(settings.value(f"splitters/{key}"))
            if len(sizes) == splitter.count() and sum(sizes) > 0:
                splitter.setSizes(sizes)
        for key, header in self._headers():
            widths = _ints(settings.value(f"columns/{key}"))
            if widths:
                _apply_widths(header, widths)

    # ---- saving ---------------------------------------------------------------------------------

    def save(self) -> None:
        settings = self._settings()
        window = self._window
        frame = window.normalGeometry() if window.isMaximized() else window.geometry()
        settings.setValue("window/x", frame.x())
        settings.setValue("window/y", frame.y())
        settings.setValue("window/width", frame.width())
        settings.setValue("window/height", frame.height())
        settings.setValue("window/maximized", "true" if window.isMaximized() else "false")
        for key, splitter in self._splitters():
            if sum(splitter.sizes()) > 0:  # a screen not laid out yet keeps what it had
                settings.setValue(f"splitters/{key}", ",".join(str(s) for s in splitter.sizes()))
        for key, header in self._headers():
            widths = [
                0 if header.isSectionHidden(i) else header.sectionSize(i) for i in range(header.count())
            ]
            settings.setValue(f"columns/{key}", ",".join(str(w) for w in widths))
        settings.sync()
        if settings.status() != QSettings.Status.NoError:
            log.warning("could not save the window's sizes in %s", self.path)
            return
        with contextlib.suppress(OSError):
            os.chmod(self.path, 0o600)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self._window and event.type() == QEvent.Type.Close:
            try:
                self.save()
            except Exception:  # the sizes are a convenience: closing must never fail on them
                log.warning("could not save the window's sizes", exc_info=True)
        return False

    # ---- what is remembered ------------------------------------------------------------------

    def _splitters(self) -> Iterator[tuple[str, QSplitter]]:
        for screen_key, screen in self._screens().items():
            for index, splitter in enumerate(self._in_window(screen, QSplitter)):
                yield f"{screen_key}-{splitter.objectName() or index}", splitter

    def _headers(self) -> Iterator[tuple[str, QHeaderView]]:
        for screen_key, screen in self._screens().items():
            for index, view in enumerate(self._in_window(screen, QAbstractItemView)):
                header = getattr(view, "horizontalHeader", None)
                if header is None or (found := header()) is None:
                    continue
                yield f"{screen_key}-{view.objectName() or index}", found

    def _in_window(self, screen: QWidget, kind: type[W]) -> list[W]:
        """The screen's widgets of `kind` that live in the main window (not in a dialog it opened)."""
        return [w for w in screen.findChildren(kind) if w.window() is self._window]


def _ints(value: object) -> list[int]:
    if value is None:
        return []
    parts = value if isinstance(value, list) else str(value).split(",")
    try:
        return [int(str(p)) for p in parts if str(p).strip()]
    except ValueError:
        return []


def _apply_widths(header: QHeaderView, widths: list[int]) -> None:
    """The remembered widths (the stretched last column takes what is left); columns a model
    adds later get theirs when they arrive."""

    def apply() -> None:
        count = header.count()
        for column, width in enumerate(widths[:count]):
            if width > 0 and not (header.stretchLastSection() and column == count - 1):
                header.resizeSection(column, width)

    apply()
    if header.count() < len(widths):
        header.sectionCountChanged.connect(lambda _old, _new: apply())
