#!/usr/bin/env bash
# Create .venv (if missing) and install both distributions from this checkout, editable: the core
# econ-envs (with the test tools) and econ-envs-baselines with every extra. Run by main.sh and
# test.sh. pip itself is quiet; each step prints one line first (a first run takes minutes).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
step() { echo "[setup] $*" >&2; }
if [ ! -x .venv/bin/python ]; then
  step "creating .venv with $PYTHON"
  "$PYTHON" -m venv .venv
fi
step "1/3 upgrading pip"
.venv/bin/python -m pip install --quiet --upgrade pip
# torch first, pinned to a CPU build that satisfies the extra's range (avoids CUDA downloads)
step "2/3 installing torch 2.13.0 (CPU build; the largest download of a first run)"
.venv/bin/python -m pip install --quiet "torch==2.13.0"
step "3/3 installing econ-envs and econ-envs-baselines with every extra, editable (a few minutes on a first run)"
.venv/bin/python -m pip install --quiet -e ".[dev]" -e "scripts/econ-envs-baselines[distributed,docs]"
step "done in ${SECONDS}s"
