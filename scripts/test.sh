#!/usr/bin/env bash
# Set up and run every test: SQLite and PostgreSQL stores, and the browser tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
bash scripts/ensure-services.sh
.venv/bin/python -m pytest "$@"
