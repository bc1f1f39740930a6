#!/usr/bin/env bash
# Create .venv with Python 3.11+ and install the registry (and, with "test", its test tools).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "${1:-}" = "test" ]; then
  .venv/bin/python -m pip install --quiet -e ".[test,dev]"
else
  .venv/bin/python -m pip install --quiet -e .
fi
