"""The hostile cases of issue 22, replayed against the real command lines by
``bench/hostile_probe.py``: :mod:`.harness` runs and judges one command, the other modules build
the cases of one category each."""
