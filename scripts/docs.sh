#!/usr/bin/env bash
# Build the documentation site into docs/_build/html (warnings are errors). Needs the `docs`
# extra (scripts/setup.sh installs it). Extra arguments go to sphinx-build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
"$PYTHON" -m sphinx -W --keep-going -b html "$@" docs docs/_build/html
echo "built docs/_build/html/index.html"
