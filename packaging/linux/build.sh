#!/usr/bin/env bash
# Build the Linux bundle, its .tar.gz and a .deb (./dev bundle runs this with the venv's python).
#
#   packaging/linux/build.sh PYTHON
#
# dist/aiddesk/                         the one-folder bundle (run dist/aiddesk/aiddesk)
# dist/aiddesk-VERSION-linux-ARCH.tar.gz  the same folder, packed
# dist/aiddesk_VERSION_ARCH.deb         /opt/aiddesk, a menu entry, the icons, the system libraries
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${1:?usage: packaging/linux/build.sh PYTHON}
say() { printf 'bundle: %s\n' "$*" >&2; }

version=$("$PYTHON" -c 'import sys; sys.path.insert(0, "packaging"); import plan; print(plan.version())')
machine=$(uname -m)
names() { "$PYTHON" -c "import sys; sys.path.insert(0, 'packaging'); import plan; print(plan.artifact_names('$version', 'linux', '$machine')['$1'])"; }
tarball=$(names tarball)
deb=$(names deb)
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
depends=${AIDDESK_DEB_DEPENDS:?the system libraries (./dev passes them)}

start=$(date +%s)
say "icons from aiddesk/resources/aiddesk.svg"
QT_QPA_PLATFORM=offscreen "$PYTHON" packaging/make_icons.py build/icons
say "PyInstaller (one folder, from the source tree) for AidDesk $version"
rm -rf dist/aiddesk
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
    packaging/aiddesk.spec
say "packing $tarball"
tar -C dist -czf "dist/$tarball" aiddesk

say "making $deb"
root=build/deb
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/metainfo" "$root/usr/share/icons"
cp -a dist/aiddesk "$root/opt/aiddesk"
ln -s /opt/aiddesk/aiddesk "$root/usr/bin/aiddesk"
cp packaging/linux/org.aiddesk.AidDesk.desktop "$root/usr/share/applications/"
sed "s/@VERSION@/$version/" packaging/linux/org.aiddesk.AidDesk.metainfo.xml \
    >"$root/usr/share/metainfo/org.aiddesk.AidDesk.metainfo.xml"
cp -r build/icons/hicolor "$root/usr/share/icons/"
mkdir -p "$root/usr/share/icons/hicolor/scalable/apps"
cp aiddesk/resources/aiddesk.svg "$root/usr/share/icons/hicolor/scalable/apps/org.aiddesk.AidDesk.svg"
installed_kb=$(du -sk "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: aiddesk
Version: $version
Architecture: $arch
Maintainer: AidDesk <desk@aiddesk.org>
Installed-Size: $installed_kb
Depends: $depends
Recommends: cups-client
Section: misc
Priority: optional
Homepage: https://aiddesk.org
Description: offline-first desk for mutual-aid phone lines
 Intake calls, the request queue, the volunteer roster and deliveries, in
 English and Spanish, over a local database; desks exchange workbooks.
CONTROL
find "$root" -type d -exec chmod 0755 {} +
# zstd: ~20 s here where xz -6 took ~4 minutes (95 MB instead of 80 MB); dpkg reads it since
# 1.21.18 (Debian 12, Ubuntu 22.04+), older than any system the bundle's glibc runs on.
dpkg-deb --root-owner-group -Zzstd -z10 --build "$root" "dist/$deb" >/dev/null
end=$(date +%s)
say "done in $((end - start)) s:"
du -sh dist/aiddesk "dist/$tarball" "dist/$deb" >&2
