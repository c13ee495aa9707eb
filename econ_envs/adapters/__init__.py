"""Thin adapters from the batched Stackelberg engine to gymnasium and PettingZoo APIs."""
