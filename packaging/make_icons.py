"""Render resources/aiddesk.svg into the icons the packages carry: PNGs at the freedesktop
sizes (the .deb's hicolor theme), a Windows .ico and the PNG set macOS's iconutil turns into
an .icns. Uses Qt's SVG renderer (offscreen), so it runs wherever AidDesk does.

    python packaging/make_icons.py OUT_DIR"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ROOT = Path(__file__).resolve().parents[1]


def main(out: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(ROOT / "aiddesk" / "resources" / "aiddesk.svg"))
    if not renderer.isValid():
        raise SystemExit("make_icons: resources/aiddesk.svg does not render")
    out.mkdir(parents=True, exist_ok=True)
    iconset = out / "aiddesk.iconset"
    iconset.mkdir(exist_ok=True)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        folder = out / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        if not image.save(str(folder / "org.aiddesk.AidDesk.png")):
            raise SystemExit(f"make_icons: could not write the {size}px PNG")
        if size in (16, 32, 128, 256, 512):
            image.save(str(iconset / f"icon_{size}x{size}.png"))
        if size == 256:
            image.save(str(out / "aiddesk.ico"))  # Qt's ico writer (imageformats/libqico)
    del app


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "icons")
