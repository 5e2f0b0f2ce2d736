#!/usr/bin/env bash
# Install takeoff into .venv and run the main job: compare all built-in worldviews
# (Monte Carlo) and write the self-contained HTML report.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
. .venv/bin/activate
python -m pip install --quiet --upgrade pip >/dev/null
python -m pip install --quiet -e .
takeoff compare --report takeoff-out/compare.html "$@"
echo "report: $(pwd)/takeoff-out/compare.html"
