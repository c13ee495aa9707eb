"""Sweeps on Ray Tune: seeds, settings and methods as a table of ordinary ``train`` and
``bilevel`` runs, on the local cores or a Ray cluster (``econ-baselines sweep``).

:mod:`~baselines.sweep.file` (reading a sweep file, bounded), :mod:`~baselines.sweep.schema` (the
sweep file, no Ray), :mod:`~baselines.sweep.trial` (one
trial), :mod:`~baselines.sweep.runner` (Tune), :mod:`~baselines.sweep.summary` (the table),
:mod:`~baselines.sweep.submit` (``--submit best``), :mod:`~baselines.sweep.cli`.
"""
