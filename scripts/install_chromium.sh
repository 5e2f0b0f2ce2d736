#!/usr/bin/env bash
# Install headless Chromium from Debian's packages (used by tests/test_report.py).
# Idempotent: exits 0 at once when /usr/bin/chromium already exists. Never downloads a
# browser build of its own (no `playwright install`); only apt-get.
# Exit codes: 0 = chromium available, 1 = could not install (not root, no apt, no network).
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  echo "chromium: already installed at $CHROMIUM"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium: apt-get not available; install Chromium by hand" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "chromium: need root (or passwordless sudo) to apt-get install chromium" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
if [ -x "$CHROMIUM" ]; then
  echo "chromium: installed at $CHROMIUM"
  exit 0
fi
echo "chromium: apt-get finished but $CHROMIUM is missing" >&2
exit 1
