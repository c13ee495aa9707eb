#!/usr/bin/env bash
# The main job: train MAPPO on the flagship MSPM-v0 (3 types, 2 messages) with the preset (the
# reference method: exact equilibrium check and penalty, best verified table, stop on the
# optimum), export its policy table, submit it to the local leaderboard (official exact
# re-evaluation, JSON record, offline W&B run); the submit prints the board it was submitted to.
# Installs what it needs. Extra arguments go to `econ-baselines train` (e.g. --steps 2e6). Each
# step prints one line first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
step() { echo "[main] $*" >&2; }
step "1/3 installing into .venv (scripts/setup.sh; a few minutes on a first run)"
bash scripts/setup.sh
export WANDB_MODE="${WANDB_MODE:-offline}" WANDB_SILENT=true
ENV_ID="econ_envs/MSPM-v0"
RUNS="runs/main"
step "2/3 training MAPPO on $ENV_ID until its table is optimal (--time-limit 600 seconds of training)"
.venv/bin/econ-baselines train --env "$ENV_ID" --algo mappo --seed 0 --steps 5e6 \
  --time-limit 600 --run-dir "$RUNS" "$@"
RUN_DIR="$(ls -td "$RUNS"/*/ | head -n 1)"
step "3/3 submitting ${RUN_DIR}policy_table.json to the local leaderboard"
.venv/bin/econ-leaderboard submit --env "$ENV_ID" --file "$RUN_DIR/policy_table.json" \
  --format mappo --method mappo
