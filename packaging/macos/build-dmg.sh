#!/usr/bin/env bash
# macOS: AidDesk.app and a .dmg, signed and notarised. NOT RUN on the project's Linux machines:
# it needs a Mac with Xcode's command-line tools, a "Developer ID Application" certificate in
# the keychain, and an App Store Connect API key for notarytool (see packaging/README.md).
#
#   SIGN_IDENTITY="Developer ID Application: NAME (TEAMID)" NOTARY_PROFILE=aiddesk \
#       packaging/macos/build-dmg.sh .venv/bin/python
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${1:?usage: packaging/macos/build-dmg.sh PYTHON}
version=$("$PYTHON" -c 'import sys; sys.path.insert(0, "packaging"); import plan; print(plan.version())')
arch=$(uname -m)
dmg=$("$PYTHON" -c "import sys; sys.path.insert(0, 'packaging'); import plan; print(plan.artifact_names('$version', 'macos', '$arch')['dmg'])")

# 1. Icons: the PNG iconset from the SVG, then iconutil makes the .icns the spec names.
QT_QPA_PLATFORM=offscreen "$PYTHON" packaging/make_icons.py build/icons
iconutil -c icns build/icons/aiddesk.iconset -o build/icons/aiddesk.icns

# 2. The .app (one folder inside Contents/), from the source tree.
"$PYTHON" -m PyInstaller --noconfirm --distpath dist --workpath build/pyinstaller packaging/aiddesk.spec
app=dist/AidDesk.app

# 3. Frozen self-test before signing anything.
"$app/Contents/MacOS/AidDesk" --data-dir "$(mktemp -d)" self-test

# 4. Sign every nested binary, then the app, with the hardened runtime and a secure timestamp.
if [[ -n ${SIGN_IDENTITY:-} ]]; then
    find "$app/Contents" -type f \( -name '*.so' -o -name '*.dylib' -o -perm -u+x \) -print0 |
        xargs -0 codesign --force --options runtime --timestamp --sign "$SIGN_IDENTITY"
    codesign --force --options runtime --timestamp \
        --entitlements packaging/macos/entitlements.plist --sign "$SIGN_IDENTITY" "$app"
    codesign --verify --deep --strict --verbose=2 "$app"
fi

# 5. The disk image: the app and a link to /Applications.
staging=build/dmg
rm -rf "$staging" && mkdir -p "$staging"
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "AidDesk $version" -srcfolder "$staging" -ov -format UDZO "dist/$dmg"

# 6. Notarise and staple (NOTARY_PROFILE made once with:
#    xcrun notarytool store-credentials aiddesk --key KEY.p8 --key-id ID --issuer ISSUER).
if [[ -n ${SIGN_IDENTITY:-} && -n ${NOTARY_PROFILE:-} ]]; then
    codesign --force --timestamp --sign "$SIGN_IDENTITY" "dist/$dmg"
    xcrun notarytool submit "dist/$dmg" --keychain-profile "$NOTARY_PROFILE" --wait
    xcrun stapler staple "dist/$dmg"
    spctl --assess --type open --context context:primary-signature --verbose "dist/$dmg"
fi
echo "built dist/$dmg"
