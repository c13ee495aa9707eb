#!/usr/bin/env bash
# The main job: train MAPPO on the flagship MSPM-v0 (3 types, 2 messages) with the preset (the
# reference method: exact equilibrium check and penalty, best verified table, stop on the
# optimum), export its policy table, submit it to the local leaderboard (official exact
# re-evaluation, JSON record, offline W&B run), show the board.
# Installs what it needs. Extra arguments go to `econ-baselines train` (e.g. --steps 2e6).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
export WANDB_MODE="${WANDB_MODE:-offline}" WANDB_SILENT=true
ENV_ID="econ_envs/MSPM-v0"
RUNS="runs/main"
.venv/bin/econ-baselines train --env "$ENV_ID" --algo mappo --seed 0 --steps 5e6 \
  --time-limit 600 --run-dir "$RUNS" "$@"
RUN_DIR="$(ls -td "$RUNS"/*/ | head -n 1)"
.venv/bin/econ-leaderboard submit --env "$ENV_ID" --file "$RUN_DIR/policy_table.json" \
  --format mappo --method mappo
.venv/bin/econ-leaderboard show "$ENV_ID"
