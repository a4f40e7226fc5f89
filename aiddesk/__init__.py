"""AidDesk: offline-first intake, roster and delivery desk for mutual-aid phone lines."""


def _version() -> str:
    """One version, from the package metadata (pyproject.toml's, copied into an install and into a
    frozen bundle); a source tree that was never installed reads pyproject.toml itself."""
    from importlib import metadata

    try:
        return metadata.version("aiddesk")
    except metadata.PackageNotFoundError:
        import re
        from pathlib import Path

        pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
        try:
            found = re.search(r'^version = "([^"]+)"', pyproject.read_text(encoding="utf-8"), re.M)
        except OSError:
            found = None
        return found.group(1) if found else "0+unknown"


__version__ = _version()
