"""``econ-baselines`` killed by SIGKILL at a fixed point of training, for the kill-and-resume test:
``python -m tests.baselines.killed_run UPDATES ARGS...`` runs ``econ-baselines ARGS...`` and
kills its own process when update ``UPDATES + 1`` is about to learn (its rollout collected, the
checkpoint of update ``UPDATES`` written), so the work since the last checkpoint is lost. The
point is a count of updates, not a time: the test does not race the run.
"""

from __future__ import annotations

import os
import signal
import sys

from baselines import cli
from baselines.mappo import train


def main(updates: int, argv: list[str]) -> int:
    learn = train.update
    done = 0

    def update(*args, **kwargs):
        nonlocal done
        if done == updates:
            os.kill(os.getpid(), signal.SIGKILL)
        done += 1
        return learn(*args, **kwargs)

    train.update = update
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), sys.argv[2:]))
