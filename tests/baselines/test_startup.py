"""Start-up of the command line: imports without the garbage collector, torch's thread count."""

from __future__ import annotations

import gc

import pytest
import torch

from baselines.mappo.config import TrainConfig
from baselines.mappo.train import TrainingRun
from baselines.startup import imports_without_gc


def test_imports_run_without_the_collector_and_restore_it():
    assert gc.isenabled()
    with imports_without_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with imports_without_gc():
            pass
        assert not gc.isenabled()  # a caller's choice to keep it off is kept
    finally:
        gc.enable()


def test_collector_is_restored_when_an_import_fails():
    with pytest.raises(ModuleNotFoundError), imports_without_gc():
        import econ_envs.no_such_module  # noqa: F401
    assert gc.isenabled()


def test_a_run_uses_the_configured_torch_threads():
    before = torch.get_num_threads()
    try:
        for threads in (1, 2):
            config = TrainConfig(total_steps=1, torch_threads=threads, track=False)
            TrainingRun(config, None)
            assert torch.get_num_threads() == threads
    finally:
        torch.set_num_threads(before)


@pytest.mark.parametrize("threads", [0, -1, 257, 100_000])
def test_torch_threads_must_be_between_1_and_256(threads):
    # torch segfaults at its first matrix product when asked for 100,000 threads
    with pytest.raises(ValueError, match=f"torch_threads must be between 1 and 256, got {threads}"):
        TrainConfig(torch_threads=threads)
