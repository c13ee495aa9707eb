"""Tests of ``baselines``: MAPPO training, oracles, bilevel optimizers, sweeps and the CLI."""
