"""AidDesk: offline-first intake, roster and delivery desk for mutual-aid phone lines."""

import os
import sys

_NAME = "aiddesk"


def _metadata_version(folder: str) -> str | None:
    """The Version header of an installed distribution's metadata (dist-info METADATA, egg-info
    PKG-INFO): the headers come first, one per line, and end at the first empty line."""
    for file_name in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(folder, file_name), encoding="utf-8") as metadata:
                for line in metadata:
                    if not line.strip():
                        break
                    key, _, value = line.partition(":")
                    if key.strip().lower() == "version" and value.strip():
                        return value.strip()
        except OSError:
            continue
    return None


def _version() -> str:
    """One version, from the package metadata (pyproject.toml's, copied into an install and into a
    frozen bundle); a source tree that was never installed reads pyproject.toml itself.

    The metadata is found as importlib.metadata finds it (the first `aiddesk-*.dist-info` or
    `aiddesk*.egg-info` folder along sys.path) but read directly: importing importlib.metadata
    (and the email parser it brings) took ~0.1 s of every start."""
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:  # not a folder (a zip archive) or gone
            continue
        for name in names:
            lowered = name.lower()
            if (
                lowered.startswith(_NAME + "-")
                and lowered.endswith((".dist-info", ".egg-info"))
                or (lowered == _NAME + ".egg-info")
            ):
                found = _metadata_version(os.path.join(entry or ".", name))
                if found:
                    return found
    import re
    from pathlib import Path

    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    try:
        found_line = re.search(r'^version = "([^"]+)"', pyproject.read_text(encoding="utf-8"), re.M)
    except OSError:
        found_line = None
    return found_line.group(1) if found_line else "0+unknown"


__version__ = _version()
