#!/usr/bin/env bash
# The lowest-versions lanes: fresh virtual environments (in a temporary folder) holding the
# lowest versions that the ranges of both pyproject.toml files allow (uv, --resolution
# lowest-direct), checked to be those bounds (scripts/check_lowest.py), then:
#   core       on Python 3.10 (requires-python's floor) where the machine has it: numpy,
#              gymnasium, pettingzoo at their bounds; the env conformance, vector parity and
#              PettingZoo tests.
#   baselines  the baselines distribution with [distributed] at its bounds: a tiny training run,
#              validate, submit, show and render from a folder outside the checkout, and the
#              conformance, MAPPO and submission tests.
# Usage: bash scripts/test_lowest.sh [core] [baselines]   (default: both)
# torch: TORCH=2.13.0+cpu (default: the machine's CPU wheel, no download) or TORCH=2.6.0 (the
# range's floor: PyPI's CUDA build, about 3 GB of downloads, run by hand before a release).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
LANES="${*:-core baselines}"
TORCH="${TORCH:-2.13.0+cpu}"
[ -x .venv/bin/uv ] || bash scripts/setup.sh
UV="$ROOT/.venv/bin/uv"
WORK="$(mktemp -d)"
# uv builds each project in place: setuptools' build/ folders keep files deleted since they were
# made (a stale copy of a record the package no longer has would be installed with it)
rm -rf build scripts/econ-envs-baselines/build
trap 'rm -rf "$WORK"' EXIT
# constraints of the lane, not of the package: torch from the machine's wheel (or the floor);
# protobuf < 6 or tensorboard 2.21 moves wandb to 0.26; pyarrow 26 breaks ray.tune on numpy 1.x
printf 'torch==%s\nprotobuf<6\npyarrow<26\n' "$TORCH" > "$WORK/constraints.txt"
# where this machine keeps its CPU build of torch (pip finds it there through its configuration)
FIND_LINKS=()
[ -d /opt/wheels ] && FIND_LINKS=(--find-links /opt/wheels)
TESTS_ENV=(env -u PYTHONPATH WANDB_MODE=offline WANDB_SILENT=true COLUMNS=200)

lane() {  # lane NAME PYTHON PROJECT[EXTRAS]...: a venv at the lower bounds, checked
  local name="$1" python="$2" project
  shift 2
  echo "== lowest-versions lane: $name ($("$python" --version))"
  "$UV" venv --quiet --python "$python" --python-preference only-system "$WORK/$name"
  "$UV" pip install --quiet --python "$WORK/$name/bin/python" --resolution lowest-direct \
    "${FIND_LINKS[@]}" -c "$WORK/constraints.txt" "$@"
  "$UV" pip freeze --python "$WORK/$name/bin/python" > "$WORK/$name.txt"
  local pyprojects=() folder
  for project in "$@"; do  # DIR[extras] -> DIR/pyproject.toml[extras]
    folder="${project%%[*}"
    pyprojects+=("$folder/pyproject.toml${project#"$folder"}")
  done
  .venv/bin/python scripts/check_lowest.py "$WORK/$name.txt" "$WORK/constraints.txt" \
    "${pyprojects[@]}"
}

oldest_python() {  # Python 3.10 (on the PATH, or pyenv's), else the default python3
  local candidate
  for candidate in python3.10 "$(pyenv root 2>/dev/null)"/versions/3.10*/bin/python3.10; do
    if "$candidate" --version >/dev/null 2>&1; then
      echo "$candidate"
      return
    fi
  done
  echo "no Python 3.10 here: the core lane runs on python3" >&2
  echo python3
}

for name in $LANES; do
  case "$name" in
    core)
      lane core "$(oldest_python)" ".[dev]"
      "${TESTS_ENV[@]}" "$WORK/core/bin/python" -m pytest -q -n 2 -p no:cacheprovider \
        tests/envs/test_conformance.py tests/envs/test_vector_parity.py \
        tests/envs/test_vector_autoreset.py tests/envs/test_pettingzoo.py
      ;;
    baselines)
      lane baselines python3 ".[dev]" "./scripts/econ-envs-baselines[distributed]"
      bin="$WORK/baselines/bin"
      user="$WORK/user" && mkdir -p "$user"
      (
        cd "$user"
        "${TESTS_ENV[@]}" "$bin/econ-baselines" train --env econ_envs/MessageAllocation-v0 \
          --steps 4000 --run-dir runs/t
        submission="$(ls -d runs/t/*/)submission.json"
        "${TESTS_ENV[@]}" "$bin/econ-leaderboard" validate "$submission"
        "${TESTS_ENV[@]}" "$bin/econ-leaderboard" submit --env econ_envs/MessageAllocation-v0 \
          --file "$submission" --method lowest-lane > submitted.txt
        head -n 2 submitted.txt
        shown="$("${TESTS_ENV[@]}" "$bin/econ-leaderboard" show econ_envs/MessageAllocation-v0)"
        grep -q lowest-lane <<< "$shown"
        "${TESTS_ENV[@]}" "$bin/econ-leaderboard" render
      )
      "${TESTS_ENV[@]}" "$bin/python" -m pytest -q -n 2 -p no:cacheprovider \
        tests/envs/test_conformance.py tests/baselines/test_mappo.py \
        tests/baselines/test_checkpoint_safety.py tests/leaderboards/test_submission.py
      ;;
    *) echo "unknown lane '$name': the lanes are core and baselines" >&2; exit 2 ;;
  esac
done
echo "lowest-versions lanes passed: $LANES"
