#!/usr/bin/env bash
# Re-extract every translatable message from aiddesk/ into translations/aiddesk.pot
# and merge it into each catalog under translations/ (creates the Spanish one if missing).
#
#   scripts/update_catalog.sh
#
# New messages arrive untranslated (never guessed: no fuzzy matching); messages that
# left the code are kept at the end of the .po as obsolete (#~) entries.
# The .mo files are never committed: the package build compiles them (setup.py), and a
# source checkout compiles the .po in memory (aiddesk/i18n/catalog.py).
set -euo pipefail
cd "$(dirname "$0")/.."

PYBABEL=${PYBABEL:-.venv/bin/pybabel}
if [[ ! -x $PYBABEL ]]; then
    echo "update_catalog: $PYBABEL not found; run ./dev test once to set up .venv" >&2
    exit 1
fi
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
LANGUAGES=${LANGUAGES:-es}

"$PYBABEL" -q extract -F babel.cfg \
    -k N_ -k ngettext:1,2 -k pgettext:1c,2 -k npgettext:1c,2,3 -k NP_:1c,2 \
    -c L10N: --strip-comment-tags --sort-by-file --add-location=file \
    --project=AidDesk --version="$VERSION" --copyright-holder="AidDesk contributors" \
    -o translations/aiddesk.pot .

for lang in $LANGUAGES; do
    "$PYBABEL" -q update -i translations/aiddesk.pot -d translations -D aiddesk -l "$lang" \
        --init-missing --no-fuzzy-matching --ignore-pot-creation-date -w 100
done
