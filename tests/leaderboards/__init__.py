"""Tests of ``leaderboards``: submissions, the evaluator's records, boards and both CLIs."""
