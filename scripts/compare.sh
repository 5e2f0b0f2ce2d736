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
# One worker process per core (at most 4): the same numbers, ~1.5x faster on 2 cores.
WORKERS="${TAKEOFF_WORKERS:-$(python -c 'import os; print(min(os.cpu_count() or 1, 4))')}"
takeoff compare --report takeoff-out/compare.html --workers "$WORKERS" "$@"
echo "report: $(pwd)/takeoff-out/compare.html"
