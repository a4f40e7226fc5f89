"""A file path in a wrapped label: it may break after a folder separator (a long path is a single
"word" that a label cannot wrap, so it would be cut off at the label's edge)."""

from __future__ import annotations

import os
from pathlib import Path

ZERO_WIDTH_SPACE = "\u200b"  # a line-break opportunity that shows nothing


def breakable(path: Path | str) -> str:
    text = str(path)
    for separator in {os.sep, "/"}:
        text = text.replace(separator, separator + ZERO_WIDTH_SPACE)
    return text
