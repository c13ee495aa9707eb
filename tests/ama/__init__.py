"""Tests of the dynamic affine maximizer family (``econ_envs.ama``)."""
