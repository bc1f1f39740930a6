#!/usr/bin/env bash
# Set up, load the demo history into ./instance (SQLite) if it is empty, and serve the web UI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export SSA_REGISTRY_DATA="${SSA_REGISTRY_DATA:-instance}"
if [ ! -f "$SSA_REGISTRY_DATA/events.sqlite3" ]; then
  .venv/bin/ssa-registry demo
fi
.venv/bin/ssa-registry places
exec .venv/bin/ssa-registry serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
