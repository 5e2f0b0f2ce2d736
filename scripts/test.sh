#!/usr/bin/env bash
# Install takeoff with its test extras into .venv and run the whole test suite.
# This is the README's test command and exactly what CI (.ci/run) runs.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
. .venv/bin/activate
python -m pip install --quiet --upgrade pip >/dev/null
python -m pip install --quiet -e '.[test,web]'
# Browser tests drive Debian's Chromium; install it if missing (they skip, saying why, if this fails).
bash scripts/install_chromium.sh || echo "warning: Chromium could not be installed; browser tests will be skipped"
set +e
python -m pytest -q -p no:cacheprovider "$@"
status=$?
set -e
# pytest exit code 5 = no tests collected: that is a failure for us too.
exit "$status"
