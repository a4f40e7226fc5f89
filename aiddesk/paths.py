"""Where a desk keeps its files: platformdirs locations or a --data-dir folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

APP_NAME = "AidDesk"
DATABASE_NAME = "aiddesk.db"


@dataclass(frozen=True)
class DeskPaths:
    data_dir: Path
    log_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_NAME

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / "aiddesk.lock"

    def create(self) -> None:
        for folder in (self.data_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)


def resolve(data_dir: str | None) -> DeskPaths:
    """The platform's user data folder, or `data_dir` (then logs live inside it too)."""
    if data_dir:
        root = Path(data_dir).expanduser().resolve()
        return DeskPaths(root, root / "logs")
    import platformdirs

    return DeskPaths(
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )
