"""Logging to a rotating file in the desk's log folder (and to stderr with --debug)."""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import sys
from pathlib import Path
from typing import IO

LOG_NAME = "aiddesk.log"
CRASH_NAME = "crash.log"  # where faulthandler writes if the interpreter itself dies
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

# Marks the handlers installed here, so a second call replaces them instead of doubling every line.
_MARK = "_aiddesk_handler"


class LogSetup:
    """What setup_logging installed; `close()` takes it away again (tests, repeated starts)."""

    def __init__(self, log_file: Path, handlers: list[logging.Handler], crash_file: IO[str] | None) -> None:
        self.log_file = log_file
        self._handlers = handlers
        self._crash_file = crash_file

    def close(self) -> None:
        root = logging.getLogger()
        for handler in self._handlers:
            root.removeHandler(handler)
            handler.close()
        self._handlers = []
        if self._crash_file is not None:
            if faulthandler.is_enabled():
                faulthandler.disable()
            self._crash_file.close()
            self._crash_file = None


def setup_logging(log_dir: Path, *, debug: bool = False, crash_log: bool = True) -> LogSetup:
    """Log INFO and up (DEBUG with `debug`) to `log_dir/aiddesk.log`, rotated at ~1 MB, 5 kept."""
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()
    log_file = log_dir / LOG_NAME
    file_handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    file_handler.setFormatter(logging.Formatter(FORMAT))
    handlers: list[logging.Handler] = [file_handler]
    if debug:
        stderr_handler = logging.StreamHandler(sys.stderr)
        stderr_handler.setFormatter(logging.Formatter(FORMAT))
        handlers.append(stderr_handler)
    for handler in handlers:
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    crash_file = None
    if crash_log:
        # A hard crash (a segfault in Qt) bypasses every Python hook; faulthandler still writes the stacks.
        crash_file = (log_dir / CRASH_NAME).open("a", encoding="utf-8")
        faulthandler.enable(file=crash_file, all_threads=True)
    return LogSetup(log_file, handlers, crash_file)
