"""Fuzz counts of issue 12: a fixed sample of bad constructor calls and bad steps over every id
and adapter, each judged clean or bad, counted by verdict, category and adapter.

The cases and the judge are those of the test suite (``tests/envs/fuzz_cases.py``,
``tests/envs/fuzz_judge.py``; ``tests/envs/test_fuzz.py`` draws from the same catalog with
hypothesis).
Each case runs in a worker process within the judge's in-process bound (2,000,000 function
calls, 512 MiB of new address space); a case that does not answer within :data:`HARD_TIMEOUT`
seconds (a hang no count can interrupt) is counted as a timeout and its worker replaced.
**Clean**: a valid env (it resets and steps with sampled valid actions to finite outputs) or a
``ValueError``/``TypeError`` naming the keyword (``action``/``actions`` for steps; ``reset`` for
a step at the wrong time). **Bad**: a silently accepted bad value, an unclear message, another
exception, a ``MemoryError``, too much work, a timeout, or an accepted value whose env then
fails.

Run: ``python bench/fuzz.py [--constructors 3000] [--steps 1500] [--seed 0] [--jobs 1]``
(under a minute on one core). The historical counts below were judged with a 5 s timeout.

The catalog follows the constructors' signatures (and keywords added later), so code with other
keywords draws another sample of the same size. Counts before issue 12 (commit 618a550, whose
catalog has 9,003 constructor cases and 1,662 step cases; the default sample, 31 s; the timeouts
vary by one or two with the machine's load)::

    constructor calls: tried 3000, clean 2089, bad 911
      bad: unclear message 537 (366 list the allowed names with doubled quotes, 171 do not name
           the keyword), silently accepted 316, MemoryError 39, other exception 11,
           accepted but broken 7 (NaN from LaneCoordination beta/transfer_scale=1e308), timeout 1
      bad by category: wrong type 326, bad choice 193, swap the env 85, extreme 84, none 72,
           numeric string 44, bool for a number 41, int for a bool 27, non-finite 20,
           bad array 15, negative 4 (unknown names, numpy scalars, episode options on the
           PettingZoo views: 0)
      bad by adapter: gym.make 314/1152, gym.make_vec 324/1032, pz.parallel_env 143/424,
           pz.env 130/392
    bad steps: tried 1500, clean 1261, bad 239
      bad: unclear message 173 (143 show the internal batch shape, 30 do not speak of the
           action), silently accepted 45, other exception 21
      bad by category: shape 121, order 40 (a step before reset / after the end), batch 38,
           dtype 31, dict 9 (value: 0)
      bad by adapter: gym.make 103/307, pz.env 64/433, gym.make_vec 50/283,
           pz.parallel_env 22/477
"""

from __future__ import annotations

import argparse
import json
import random
import select
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests package

#: seconds a worker may take for one case before it is killed (the judge's own alarm is 5 s)
HARD_TIMEOUT = 30.0
#: bad examples shown per (verdict, category)
SHOWN = 2


def catalog() -> tuple[list, list]:
    """Every constructor case and every step case, in a fixed order."""
    from tests.envs.fuzz_actions import step_cases
    from tests.envs.fuzz_cases import all_pairs, constructor_cases

    constructors, steps = [], []
    for env_id, adapter in all_pairs():
        constructors += constructor_cases(env_id, adapter)
        steps += step_cases(env_id, adapter)
    return constructors, steps


def work() -> None:
    """Worker loop: read ``<kind> <index>`` lines, answer one JSON outcome per line."""
    import econ_envs  # noqa: F401  (registers the ids)
    from tests.envs.fuzz_judge import judge

    constructors, steps = catalog()
    for line in sys.stdin:
        kind, index = line.split()
        case = (constructors if kind == "c" else steps)[int(index)]
        outcome = judge(case)
        print(json.dumps({"verdict": outcome.verdict, "detail": outcome.detail}), flush=True)


class Worker:
    """A worker process that judges cases one at a time; replaced when it hangs or dies."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, __file__, "--worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
        return self.process

    def _kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()
        self.process = None

    def judge(self, kind: str, index: int, startup: float) -> dict[str, str]:
        """The outcome of case ``index`` of ``kind`` (``"c"`` or ``"s"``); ``startup`` seconds
        are added to the limit when the worker is new (imports and the catalog)."""
        fresh = self.process is None
        process = self._start()
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(f"{kind} {index}\n")
        process.stdin.flush()
        limit = HARD_TIMEOUT + (startup if fresh else 0.0)
        ready, _, _ = select.select([process.stdout], [], [], limit)
        if not ready:
            self._kill()
            return {"verdict": "timeout", "detail": f"no answer in {HARD_TIMEOUT:g} s (killed)"}
        line = process.stdout.readline()
        if not line:
            self._kill()
            return {"verdict": "crash", "detail": "the worker process died"}
        return json.loads(line)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait()


def run(jobs: list[tuple[str, int]], workers: int) -> list[dict[str, str]]:
    """Judge every ``(kind, index)`` job on ``workers`` worker processes."""
    results: list[dict[str, str]] = [{} for _ in jobs]

    def serve(share: range) -> None:
        worker = Worker()
        try:
            for j in share:
                results[j] = worker.judge(*jobs[j], startup=60.0)
        finally:
            worker.close()

    threads = [
        threading.Thread(target=serve, args=(range(w, len(jobs), workers),)) for w in range(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _reason(detail: str) -> str:
    """Why a message was unclear: its judge's first clause, without names and shapes."""
    reason = detail.split(":")[0]
    if reason.startswith("does not name"):
        return "does not name the keyword"
    return "internal batch shape" if reason.startswith("internal batch shape") else reason


def report(title: str, cases: list, results: list[dict[str, str]]) -> None:
    """Print the counts of one kind of case: totals, by verdict, category, adapter; examples."""
    from tests.envs.fuzz_judge import CLEAN

    clean = [r["verdict"] in CLEAN for r in results]
    print(f"\n== {title}: tried {len(cases)}, clean {sum(clean)}, bad {len(cases) - sum(clean)}")
    print("  by verdict:")
    for verdict, count in Counter(r["verdict"] for r in results).most_common():
        print(f"    {verdict:<22} {count:>5}")
        if verdict == "unclear message":
            why = Counter(_reason(r["detail"]) for r in results if r["verdict"] == verdict)
            for reason, n in why.most_common():
                print(f"      {reason:<28} {n:>5}")
    for key in ("category", "adapter"):
        print(f"  by {key} (tried / bad):")
        tried, bad = Counter(), Counter()
        for case, ok in zip(cases, clean, strict=True):
            tried[getattr(case, key)] += 1
            bad[getattr(case, key)] += not ok
        for name, count in tried.most_common():
            print(f"    {name:<30} {count:>5} / {bad[name]:>4}")
    print("  bad examples:")
    shown: defaultdict[tuple[str, str], int] = defaultdict(int)
    for case, result, ok in zip(cases, results, clean, strict=True):
        key = (result["verdict"], case.category)
        if ok or shown[key] >= SHOWN:
            continue
        shown[key] += 1
        detail = result["detail"].replace("\n", " ")[:160]
        print(f"    [{result['verdict']} / {case.category}] {case}\n        {detail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--constructors", type=int, default=3000, help="constructor calls")
    parser.add_argument("--steps", type=int, default=1500, help="bad steps")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        work()
        return
    constructors, steps = catalog()
    rng = random.Random(args.seed)
    picked_c = sorted(
        rng.sample(range(len(constructors)), min(args.constructors, len(constructors)))
    )
    picked_s = sorted(rng.sample(range(len(steps)), min(args.steps, len(steps))))
    print(
        f"sample: {len(picked_c)} of {len(constructors)} constructor cases, "
        f"{len(picked_s)} of {len(steps)} step cases (seed {args.seed})"
    )
    start = time.perf_counter()
    results = run([("c", i) for i in picked_c] + [("s", i) for i in picked_s], args.jobs)
    report("constructor calls", [constructors[i] for i in picked_c], results[: len(picked_c)])
    report("bad steps", [steps[i] for i in picked_s], results[len(picked_c) :])
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
