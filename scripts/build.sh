#!/usr/bin/env bash
# Build both distributions, econ-envs (the core) and econ-envs-baselines, as sdists and wheels
# into dist/ (or the folder given as $1), then check them with twine. Needs `build` and `twine`
# (the dev extra; scripts/setup.sh installs them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT="${1:-dist}"
PYTHON="${PYTHON:-.venv/bin/python}"
mkdir -p "$OUT"
# stale egg-info folders (an older editable install) would add their file lists to the sdists
rm -rf ./*.egg-info scripts/econ-envs-baselines/*.egg-info
"$PYTHON" -m build --outdir "$OUT" .
"$PYTHON" -m build --outdir "$OUT" scripts/econ-envs-baselines
"$PYTHON" -m twine check --strict "$OUT"/*
