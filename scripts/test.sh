#!/usr/bin/env bash
# The test command: lint, the core's lowest-versions lane (Python 3.10, numpy/gymnasium/pettingzoo
# at their lower bounds; scripts/test_lowest.sh), then the whole test suite on every core (it
# builds both distributions and installs them outside the checkout: tests/test_release.py).
# Installs what it needs. The baselines' lowest lane is `bash scripts/test_lowest.sh baselines`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
export WANDB_MODE="${WANDB_MODE:-offline}" WANDB_SILENT=true
.venv/bin/ruff check .
bash scripts/test_lowest.sh core
.venv/bin/python -m pytest -n 2 --durations=15 "$@"
