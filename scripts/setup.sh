#!/usr/bin/env bash
# Create .venv (if missing) and install both distributions from this checkout, editable: the core
# econ-envs (with the test tools) and econ-envs-baselines with every extra. Run by main.sh and
# test.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# torch first, pinned to a CPU build that satisfies the extra's range (avoids CUDA downloads)
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e ".[dev]" -e "scripts/econ-envs-baselines[distributed,docs]"
