#!/bin/sh
# Installs what the browser tests (tests/browser/) need:
#  - Debian's chromium at /usr/bin/chromium (only if it is missing; CI runs this as root);
#  - axe-core from npm into tests/browser/node_modules (git-ignored), pinned by the
#    committed tests/browser/package.json and package-lock.json.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "chromium is missing: run this script as root (it calls apt-get)" >&2
        exit 1
    fi
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

if [ ! -f "$here/tests/browser/node_modules/axe-core/axe.min.js" ]; then
    (cd "$here/tests/browser" && npm ci --no-audit --no-fund --silent)
fi
