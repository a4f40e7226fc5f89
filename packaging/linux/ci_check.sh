#!/usr/bin/env bash
# CI's packaging step (.ci/run calls it after the tests, as root, on a Debian machine):
# build the bundle, its .tar.gz and the .deb (./dev bundle, with the venv the tests used),
# install the .deb with apt-get, run the INSTALLED program's commands with throwaway data
# folders, run tests/installers against /opt/aiddesk, validate the menu entry and the
# AppStream file, then remove the package and the libraries its installation added.
#
#   packaging/linux/ci_check.sh            build, install, check, remove
#   AIDDESK_CI_NO_BUILD=1 packaging/linux/ci_check.sh   reuse dist/ (a bundle built just before)
#
# Any failure ends with one line "== CI FAILED: packaging: WHAT" and exit status 1; the package
# is removed in every case.
set -euo pipefail
cd "$(dirname "$0")/../.."
export QT_QPA_PLATFORM=offscreen DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
unset AIDDESK_SECRET PYTHONPATH
exec </dev/null

VENV_PYTHON=.venv/bin/python
PROGRAM=/usr/bin/aiddesk
step="starting"
work=""
installed_here=0
packages_before=""
validators_added=()

say() { printf '== packaging: %s\n' "$*"; }
fail() { # WHY
    printf '== CI FAILED: packaging: %s (step: %s)\n' "$1" "$step" >&2
    exit 1
}
seconds() { date +%s; }

installed_packages() { dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 == "ii" { print $2 }' | sort; }

cleanup() {
    local status=$?
    if [[ $installed_here == 1 ]]; then
        say "removing the package (apt-get remove aiddesk) and the libraries its installation added"
        apt-get remove -y -qq aiddesk >/dev/null || status=1
        local added
        # only what apt installed as a dependency (or the validators this script installed): a package
        # someone installed by hand meanwhile is left alone
        added=$(comm -12 <(comm -13 <(printf '%s\n' "$packages_before") <(installed_packages)) \
            <({ apt-mark showauto; printf '%s\n' "${validators_added[@]}"; } | sort -u) | tr '\n' ' ')
        if [[ -n ${added// /} ]]; then
            # never more than those: if removing them would take another package along, keep them
            local extra
            # shellcheck disable=SC2086 # one word per package
            extra=$(apt-get remove -s $added 2>/dev/null | awk '$1 == "Remv" { print $2 }' |
                grep -vxF -f <(printf '%s\n' $added) || true)
            if [[ -n $extra ]]; then
                say "kept what the package pulled in: removing it would also remove $(echo $extra)"
            else
                # shellcheck disable=SC2086
                apt-get remove -y -qq $added >/dev/null || status=1
            fi
        fi
        if [[ -e /opt/aiddesk/aiddesk || -e $PROGRAM ]]; then
            printf '== CI FAILED: packaging: /opt/aiddesk or %s is still there after apt-get remove\n' "$PROGRAM" >&2
            status=1
        fi
    fi
    [[ -n $work ]] && rm -rf "$work"
    exit $status
}
trap cleanup EXIT

[[ $(id -u) -eq 0 ]] || fail "needs root (apt-get install of the .deb)"
command -v apt-get >/dev/null || fail "not a Debian/Ubuntu machine (no apt-get)"
if dpkg-query -W -f='${Status}' aiddesk 2>/dev/null | grep -q "install ok installed"; then
    fail "a package 'aiddesk' is installed already: this step would replace and then remove it"
fi
began=$(seconds)

# -- build ----------------------------------------------------------------------------------------
step="./dev bundle"
if [[ -z ${AIDDESK_CI_NO_BUILD:-} ]]; then
    say "building the bundle, the .tar.gz and the .deb (./dev bundle)"
    bash dev bundle || fail "./dev bundle failed"
fi
built=$(seconds)
version=$("$VENV_PYTHON" -c 'import sys; sys.path.insert(0, "packaging"); import plan; print(plan.version())')
shopt -s nullglob
debs=(dist/aiddesk_"$version"_*.deb)
tarballs=(dist/aiddesk-"$version"-linux-*.tar.gz)
shopt -u nullglob
[[ ${#debs[@]} -eq 1 ]] || fail "expected one dist/aiddesk_${version}_*.deb, found ${#debs[@]}"
[[ ${#tarballs[@]} -eq 1 ]] || fail "expected one dist/aiddesk-${version}-linux-*.tar.gz, found ${#tarballs[@]}"
step="the .tar.gz"
tar -tzf "${tarballs[0]}" aiddesk/aiddesk >/dev/null || fail "${tarballs[0]} has no aiddesk/aiddesk"

# -- install --------------------------------------------------------------------------------------
step="apt-get install ./${debs[0]}"
packages_before=$(installed_packages)
say "apt-get install -y ./${debs[0]}"
installed_here=1 # from here on the exit trap removes it, even after a failed installation
if ! apt-get install -y -qq "./${debs[0]}" >/dev/null; then
    say "apt-get install failed; updating the package lists and trying once more"
    apt-get update -qq || true
    apt-get install -y -qq "./${debs[0]}" >/dev/null || fail "apt-get install ./${debs[0]} failed"
fi
installed=$(seconds)
[[ -x /opt/aiddesk/aiddesk && -L $PROGRAM ]] || fail "the package did not install /opt/aiddesk/aiddesk and $PROGRAM"

# -- the installed program's commands ---------------------------------------------------------------
work=$(mktemp -d /tmp/aiddesk-ci-packaging.XXXXXX)
a=$work/desk-a b=$work/desk-b

step="aiddesk --version"
got=$("$PROGRAM" --version) || fail "$PROGRAM --version failed"
[[ $got == "AidDesk $version" ]] || fail "--version printed '$got', expected 'AidDesk $version'"

step="aiddesk self-test"
"$PROGRAM" --data-dir "$work/self-test" self-test >"$work/self-test.txt" 2>&1 || {
    cat "$work/self-test.txt" >&2
    fail "the installed self-test failed"
}
for check in "icon" "Qt's Spanish catalog" "SVG images" "printing" "charts" "main window"; do
    grep -q "^ok     $check:" "$work/self-test.txt" || {
        cat "$work/self-test.txt" >&2
        fail "the installed self-test did not report '$check' as ok"
    }
done

step="aiddesk demo"
"$PROGRAM" --data-dir "$a" demo --people 60 --seed 3 --desk-code AAA --today 2026-03-02 --json \
    >"$work/demo.json" 2>/dev/null || fail "the installed demo failed"
"$VENV_PYTHON" - "$work/demo.json" <<'PY' || fail "the demo summary is not what was asked for"
import json, sys
summary = json.load(open(sys.argv[1], encoding="utf-8"))
assert summary["people"] == 60 and summary["desk_code"] == "AAA", summary
assert summary["requests"] > 0 and summary["deliveries"] > 0, summary
PY
"$PROGRAM" --data-dir "$b" demo --people 30 --seed 4 --desk-code BBB --today 2026-03-02 \
    >/dev/null 2>&1 || fail "the installed demo failed on a second desk"

step="aiddesk dump"
same_dump() { # FOLDER: the installed program's dump equals the venv's (the source tree's)
    "$PROGRAM" --data-dir "$1" dump >"$work/frozen.json" || fail "the installed dump failed"
    "$VENV_PYTHON" -m aiddesk --data-dir "$1" dump >"$work/venv.json" || fail "the venv's dump failed"
    [[ -s $work/frozen.json ]] || fail "the installed dump printed nothing"
    cmp -s "$work/frozen.json" "$work/venv.json" || fail "the installed dump of $1 differs from the venv's"
}
same_dump "$a"

step="aiddesk routes"
"$PROGRAM" --data-dir "$a" routes --date 2026-03-02 --out "$work/routes.pdf" >/dev/null ||
    fail "the installed routes failed"
"$VENV_PYTHON" - "$work/routes.pdf" <<'PY' || fail "the route sheets are not a PDF with text in it"
import sys
from pathlib import Path
from aiddesk.install_checks import pdf_draws_text
data = Path(sys.argv[1]).read_bytes()
assert data.startswith(b"%PDF") and pdf_draws_text(data), len(data)
PY

step="aiddesk export"
"$PROGRAM" --data-dir "$a" export "$work/a.xlsx" >/dev/null || fail "the installed export failed"
[[ $(stat -c %s "$work/a.xlsx" 2>/dev/null || echo 0) -gt 10000 ]] || fail "the exported workbook is missing or tiny"

step="aiddesk merge"
merged() { # EXPECTED_NEW: "some" or "none"
    "$PROGRAM" --data-dir "$b" merge --json "$work/a.xlsx" >"$work/merge.json" || fail "the installed merge failed"
    "$VENV_PYTHON" - "$work/merge.json" "$1" <<'PY' || fail "the merge report is not what was expected ($1 new)"
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
assert report["applied"] and report["from_desk"] == "AAA" and report["conflicts"] == 0, report
assert (report["new"] > 0) if sys.argv[2] == "some" else (report["new"] == 0), report
PY
}
merged some
merged none # the same workbook again changes nothing
same_dump "$b"
checked=$(seconds)

# -- the bundle tests against the installed folder ---------------------------------------------------
step="installing the validators"
# before the tests: tests/installers/test_plan.py validates the source files with them too
missing=()
command -v desktop-file-validate >/dev/null || missing+=(desktop-file-utils)
command -v appstreamcli >/dev/null || missing+=(appstream)
if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing ${missing[*]}"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
        { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } ||
        fail "could not install ${missing[*]}"
    validators_added=("${missing[@]}")
fi
step="tests/installers against /opt/aiddesk"
say "tests/installers with AIDDESK_BUNDLE=/opt/aiddesk"
AIDDESK_BUNDLE=/opt/aiddesk "$VENV_PYTHON" -m pytest tests/installers -q -p no:randomly -p no:cacheprovider \
    -W error::pytest.PytestUnknownMarkWarning >"$work/pytest.txt" 2>&1 || {
    cat "$work/pytest.txt" >&2
    fail "tests/installers failed against the installed bundle"
}
tail -1 "$work/pytest.txt"
grep -q " skipped" "$work/pytest.txt" && {
    cat "$work/pytest.txt" >&2
    fail "tests/installers skipped tests against the installed bundle"
}

# -- validators -----------------------------------------------------------------------------------
step="validators"
desktop-file-validate /usr/share/applications/org.aiddesk.AidDesk.desktop ||
    fail "desktop-file-validate rejected the installed menu entry"
appstreamcli validate --no-net /usr/share/metainfo/org.aiddesk.AidDesk.metainfo.xml ||
    fail "appstreamcli validate --no-net rejected the installed metainfo"
for size in 16 24 32 48 64 128 256 512; do
    [[ -f /usr/share/icons/hicolor/${size}x$size/apps/org.aiddesk.AidDesk.png ]] ||
        fail "the ${size}x$size icon was not installed"
done
[[ -f /usr/share/icons/hicolor/scalable/apps/org.aiddesk.AidDesk.svg ]] || fail "the scalable icon was not installed"

step="removing"
done_at=$(seconds)
say "passed: build $((built - began)) s, install $((installed - built)) s, installed commands $((checked - installed)) s, bundle tests and validators $((done_at - checked)) s"
say "$(du -sh dist/aiddesk "${tarballs[0]}" "${debs[0]}" | awk '{printf "%s %s; ", $2, $1}')"
