#!/usr/bin/env bash
# The test command: lint, then the whole test suite on every core. Installs what it needs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
export WANDB_MODE="${WANDB_MODE:-offline}" WANDB_SILENT=true
.venv/bin/ruff check .
.venv/bin/python -m pytest -n 2 --durations=15 "$@"
