"""Shared configuration of the test suite: the hypothesis profiles, the ids registered, torch's
OpenMP threads waiting passively, and each test's subprocesses starting their own W&B service."""

from __future__ import annotations

import os

#: the suite runs two workers on two cores, each training with two torch threads: OpenMP
#: threads that spin while they wait for each other then take the cores from the other worker
#: (two such trainings took 31-92 s side by side, 13-19 s with passive waiting). How threads wait
#: changes no result. Set before torch is imported (by any test module), and inherited by the
#: tests' subprocesses.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import pytest
from hypothesis import settings

import econ_envs  # noqa: F401  (registers the ids)

#: hypothesis profiles: ``ci`` (default) draws the same examples on every run, with no deadline
#: (shared machines) and no example database; ``dev`` draws fresh ones and keeps failures
settings.register_profile("ci", derandomize=True, deadline=None, database=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _own_wandb_service(monkeypatch: pytest.MonkeyPatch) -> None:
    """W&B records its service process in ``WANDB_SERVICE`` for child processes: without this,
    a test's subprocesses (CLIs, Ray workers) would join the service an earlier test left in
    this process, which writes their offline runs late and holds their run ids."""
    monkeypatch.delenv("WANDB_SERVICE", raising=False)
