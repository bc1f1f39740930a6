#!/usr/bin/env bash
# Static checks, the same for a developer and for CI: lint, format, types and the import
# contracts between policies/, registry/ and web/ (pyproject.toml). Runs them all, then fails
# if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/lint-imports ] || [ ! -x .venv/bin/mypy ] || [ ! -x .venv/bin/ruff ]; then
  bash scripts/setup.sh test || exit 1
fi
failed=()
check() {
  echo "== $*"
  "$@" || failed+=("$*")
}
check .venv/bin/ruff check .
check .venv/bin/ruff format --check .
check .venv/bin/mypy
check .venv/bin/lint-imports --no-cache
if [ ${#failed[@]} -gt 0 ]; then
  printf 'Échec / failed: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "Vérifications statiques réussies / static checks passed."
