#!/bin/sh
# Extract every text a person reads (adapter and core), update the catalogs, compile them.
# Translate the new entries in between: `sh scripts/i18n.sh update`, edit the .po files,
# then `sh scripts/i18n.sh compile`. Without an argument: both steps (docs/pages.md).
set -e
BIN=${BIN:-.venv/bin}
T=adapter/yrkesresan_adapter/translations
if [ "${1:-update}" = update ] || [ -z "$1" ]; then
    $BIN/pybabel extract -F adapter/yrkesresan_adapter/babel.cfg --no-location --sort-output \
        -o $T/messages.pot adapter/yrkesresan_adapter src/yrkesresan_lti
    $BIN/pybabel update -i $T/messages.pot -d $T --no-fuzzy-matching --ignore-obsolete
fi
if [ "${1:-compile}" = compile ] || [ -z "$1" ]; then
    $BIN/pybabel compile -d $T
fi
