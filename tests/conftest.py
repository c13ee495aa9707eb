"""Shared configuration of the test suite: the hypothesis profiles (and the ids registered)."""

from __future__ import annotations

import os

from hypothesis import settings

import econ_envs  # noqa: F401  (registers the ids)

#: hypothesis profiles: ``ci`` (default) draws the same examples on every run, with no deadline
#: (shared machines) and no example database; ``dev`` draws fresh ones and keeps failures
settings.register_profile("ci", derandomize=True, deadline=None, database=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
