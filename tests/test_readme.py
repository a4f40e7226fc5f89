"""The README: every link and picture points inside the repository (and exists), its picture is
the window at its default size, and it says a display is needed and how long the first start takes."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QImage

from aiddesk.ui.shell.main_window import DEFAULT_SIZE

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)|<(https?://[^>]+)>|(https?://\S+)")


def test_every_link_points_inside_the_repository() -> None:
    targets = [next(g for g in m.groups() if g) for m in LINK.finditer(README)]
    assert targets, "the README links to its docs"
    outside = [t for t in targets if "://" in t or t.startswith(("/", "mailto:"))]
    assert outside == []
    missing = [t for t in targets if not (ROOT / t.split("#")[0]).exists()]
    assert missing == []


def test_the_picture_is_the_window_at_its_default_size() -> None:
    picture = QImage(str(ROOT / "docs" / "screenshot.png"))
    assert (picture.width(), picture.height()) == DEFAULT_SIZE


def test_it_says_what_a_new_volunteer_needs_to_know_first() -> None:
    assert "./dev app" in README and "./dev test" in README
    assert "needs a display" in README
    assert "first start after the install" in README
