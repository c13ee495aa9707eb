"""Tests of ``econ_envs``: games, dynamics, engine, adapters, evaluator, conformance, fuzz."""
