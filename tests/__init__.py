"""The test suite, by subject (each subdirectory is a package, so test modules are imported as
``tests.<subject>.<module>`` and their basenames may repeat across subjects):

- ``envs/``: the games, follower dynamics, engine, gymnasium/PettingZoo adapters, exact
  evaluator, conformance and the fuzz of bad input (helpers ``envs/episodes.py``,
  ``envs/fuzz_cases.py``, ``envs/fuzz_judge.py``; reference data in ``envs/data/``);
- ``ama/``: the dynamic affine maximizer family;
- ``baselines/``: training, oracles, bilevel optimizers, sweeps and the ``econ-baselines`` CLI;
- ``leaderboards/``: submissions, records, boards and both command lines' conventions.

At the top: ``conftest.py`` (hypothesis profiles), the shared helpers ``bounds.py`` (memory
bound of a refused call) and ``wandb_files.py`` (offline W&B runs), :data:`ROOT`, and the tests
that span the products (``test_docs.py``, ``test_public_api.py``).
"""

from __future__ import annotations

from pathlib import Path

#: the repository root (README.md, pyproject.toml, sweeps/, leaderboards/results/)
ROOT = Path(__file__).resolve().parents[1]
