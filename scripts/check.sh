#!/usr/bin/env bash
# One command from a fresh clone: set up .venv, then lint (ruff, hadolint) and run the tests.
#   bash scripts/check.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -e .
.venv/bin/ruff check .
if [ -f Dockerfile ]; then
  .venv/bin/hadolint --failure-threshold warning Dockerfile
fi
exec .venv/bin/python -m pytest -q "$@"
