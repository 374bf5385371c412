#!/usr/bin/env bash
# One command from a fresh clone: set up .venv, then lint (ruff, hadolint) and run the tests.
#   bash scripts/check.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
# The browser tests drive the system's Chromium through its own driver (Debian packages; no
# browser or driver is ever downloaded by the tests). Installed once, skipped when present.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if [ "$(id -u)" = 0 ]; then APT=(apt-get); else APT=(sudo apt-get); fi
  "${APT[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y -qq chromium chromium-driver
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
# `-e .` compiles the core in place (Cython, setup.py), once: the suite runs on the compiled build,
# the wheel test reuses it, and tests/test_compiled.py compares it with the pure-Python source.
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -e .
.venv/bin/cleaner --version
.venv/bin/ruff check .
# Types: the result's typed surface and an example that uses it (config in pyproject.toml).
.venv/bin/mypy --strict examples/typed_usage.py cleaner/model.py cleaner/markdown.py cleaner/decoding.py \
  cleaner/languages.py
if [ -f Dockerfile ]; then
  .venv/bin/hadolint --failure-threshold warning Dockerfile
fi
exec .venv/bin/python -m pytest -q "$@"
