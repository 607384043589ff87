#!/usr/bin/env bash
# Install Chromium from Debian's own package for the browser tests.
#
# Idempotent: does nothing when /usr/bin/chromium is already there. Works as
# root in CI with no stdin (no prompts), and with sudo for a developer who is
# not root. `playwright install` cannot download browsers on our machines, so
# the tests launch this binary with executable_path="/usr/bin/chromium".
set -euo pipefail

CHROMIUM="${ONRECORD_CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
    echo "chromium.sh: $CHROMIUM is installed ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))" >&2
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo -n"
    else
        echo "chromium.sh: not root and no sudo; install Debian's chromium package by hand" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
# the package lists may be missing or stale on a fresh machine
$SUDO apt-get update -qq </dev/null
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core </dev/null

if [ ! -x "$CHROMIUM" ]; then
    echo "chromium.sh: apt-get finished but $CHROMIUM is missing" >&2
    exit 1
fi
echo "chromium.sh: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)" >&2
