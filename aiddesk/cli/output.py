"""What the headless commands print: one line at a time, JSON on stdout, errors on stderr.

Exit codes: 0 done, 1 failed, 2 bad arguments or bad input."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad arguments or bad input: a one-line message and exit status 2."""


def say(stream: TextIO, text: str) -> None:
    """Write one line, whatever the stream's encoding can show."""
    try:
        stream.write(text + "\n")
    except UnicodeEncodeError:
        encoding = stream.encoding or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding) + "\n")
    stream.flush()


def error(message: str) -> None:
    say(sys.stderr, "aiddesk: " + " ".join(message.split()))


def utf8_stdout() -> TextIO:
    out = sys.stdout
    reconfigure = getattr(out, "reconfigure", None)
    if reconfigure is not None and (out.encoding or "").lower().replace("-", "") != "utf8":
        reconfigure(encoding="utf-8")
    return out


def print_json(value: Any) -> None:
    out = utf8_stdout()
    out.write(json.dumps(value, sort_keys=True, ensure_ascii=False) + "\n")
    out.flush()
