"""A tianshou vector replay buffer whose ``add`` stores one transition per env in array operations.

Tianshou 2.0's :class:`~tianshou.data.VectorReplayBuffer` adds a step of ``n`` envs with a
Python loop over its ``n`` sub-buffers (each updates its own pointer, length and episode
statistics), and lists its stored indices with another loop; profiled on MessageAllocation
(68 envs), that loop was about 30% of collection time. :class:`BatchedVectorReplayBuffer`
keeps the sub-buffers' bookkeeping in arrays instead (insertion pointer, length, running
episode return and length, episode start) and updates it for all envs at once, with the same
results: the same storage, the same ``(ptr, ep_rew, ep_len, ep_idx)`` returned by :meth:`add`,
the same ``last_index``, ``unfinished_index``, ``prev`` / ``next`` (so the same GAE
advantages) and the same :meth:`sample_indices`.

The sub-buffers in ``buffers`` still hold the storage (views of this buffer's arrays), but
their own pointers are only brought up to date before the rarely used paths that delegate to
them (sampling a random batch, frame stacking with ``sample_avail``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from tianshou.data import Batch, VectorReplayBuffer
from tianshou.data.batch import alloc_by_keys_diff, create_value
from tianshou.data.types import RolloutBatchProtocol


class BatchedVectorReplayBuffer(VectorReplayBuffer):
    """``buffer_num`` circular sub-buffers of ``ceil(total_size / buffer_num)`` transitions
    each; :meth:`add` stores one transition in each of the given sub-buffers at once.

    Rewards keep one dtype and shape between resets that clear the episode statistics (a
    change raises ``ValueError``; tianshou would switch dtypes per sub-buffer).

    Args:
        total_size: total capacity (split evenly over the sub-buffers).
        buffer_num: number of sub-buffers (one per env).
        **kwargs: the options of tianshou's :class:`~tianshou.data.ReplayBuffer`.
    """

    def __init__(self, total_size: int, buffer_num: int, **kwargs: Any):
        super().__init__(total_size, buffer_num, **kwargs)
        self._sub_size = int(self.buffers[0].maxsize)
        self._insertion = np.zeros(buffer_num, np.int64)
        self._ep_start = np.zeros(buffer_num, np.int64)
        self._ep_len = np.zeros(buffer_num, np.int64)
        #: running episode returns; ``None`` while all are tianshou's initial Python ``0.0``
        self._ep_rew: NDArray[Any] | None = None

    def reset(self, keep_statistics: bool = False) -> None:
        """Empty every sub-buffer; ``keep_statistics`` keeps the running episode returns and
        lengths (as tianshou's does)."""
        self.last_index = self._offset.copy()
        self._lengths = np.zeros_like(self._offset)
        self._insertion[:] = 0
        self._ep_start[:] = 0
        if not keep_statistics:
            self._ep_len[:] = 0
            self._ep_rew = None

    def add(
        self,
        batch: RolloutBatchProtocol,
        buffer_ids: NDArray[np.integer] | list[int] | None = None,
    ) -> tuple[NDArray[np.int64], NDArray[Any], NDArray[np.int64], NDArray[np.int64]]:
        """Store ``batch[k]`` in sub-buffer ``buffer_ids[k]`` (default: ``k``) for every ``k``.

        Returns ``(ptr, ep_rew, ep_len, ep_idx)`` per row: where it was stored, and for rows
        that end an episode its return, length and first index (0, 0 and the running
        episode's first index otherwise), exactly as tianshou's ``ReplayBufferManager.add``.
        """
        batch = self._prepared(batch)
        ids = np.arange(self.buffer_num) if buffer_ids is None else np.asarray(buffer_ids, int)
        if np.unique(ids).size != ids.size:
            raise ValueError("buffer_ids must be distinct")
        rew = np.asarray(batch.rew)
        done = np.asarray(batch.done, bool)
        accumulator = self._accumulator(rew)
        local = self._insertion[ids]
        self._insertion[ids] = (local + 1) % self._sub_size
        self._lengths[ids] = np.minimum(self._lengths[ids] + 1, self._sub_size)
        ptr = local + self._offset[ids]
        self.last_index[ids] = ptr
        returns = accumulator[ids] + rew
        lengths = self._ep_len[ids] + 1
        start = self._ep_start[ids]
        finished = done.reshape(-1, *(1,) * (rew.ndim - 1))
        ep_rew = np.where(finished, returns, np.zeros_like(returns))
        ep_len = np.where(done, lengths, 0)
        ep_idx = start + self._offset[ids]
        accumulator[ids] = np.where(finished, 0.0, returns)
        self._ep_len[ids] = np.where(done, 0, lengths)
        self._ep_start[ids] = np.where(done, self._insertion[ids], start)
        self._store(ptr, batch)
        return ptr, ep_rew, ep_len, ep_idx

    def _prepared(self, batch: RolloutBatchProtocol) -> RolloutBatchProtocol:
        """The reserved keys of ``batch`` with ``done`` added (tianshou's preprocessing)."""
        prepared = Batch()
        for key in set(self._reserved_keys).intersection(batch.get_keys()):
            prepared.__dict__[key] = batch[key]
        prepared.__dict__["done"] = np.logical_or(prepared.terminated, prepared.truncated)
        missing = {"obs", "act", "rew", "terminated", "truncated"} - set(prepared.get_keys())
        if missing:
            raise ValueError(f"the batch lacks the keys {sorted(missing)}")
        if self._save_only_last_obs:
            prepared.obs = prepared.obs[:, -1]
        if not self._save_obs_next:
            prepared.pop("obs_next", None)
        elif self._save_only_last_obs:
            prepared.obs_next = prepared.obs_next[:, -1]
        return prepared

    def _accumulator(self, rew: NDArray[Any]) -> NDArray[Any]:
        """The running episode returns, one row per sub-buffer, in the dtype in which tianshou
        sums them (its initial Python ``0.0`` plus rewards like ``rew``)."""
        shape, dtype = (self.buffer_num, *rew.shape[1:]), np.result_type(rew.dtype, 0.0)
        if self._ep_rew is None:
            self._ep_rew = np.zeros(shape, dtype)
        elif self._ep_rew.shape != shape or self._ep_rew.dtype != dtype:
            raise ValueError(
                f"rewards of dtype {rew.dtype} and shape {rew.shape[1:]} after rewards summed "
                f"as {self._ep_rew.dtype}, shape {self._ep_rew.shape[1:]}"
            )
        return self._ep_rew

    def _store(self, ptr: NDArray[np.int64], batch: RolloutBatchProtocol) -> None:
        """Write ``batch`` at ``ptr``, allocating storage for new keys as tianshou does."""
        try:
            self._meta[ptr] = batch
        except ValueError:
            batch.rew = batch.rew.astype(float)
            batch.done = batch.done.astype(bool)
            batch.terminated = batch.terminated.astype(bool)
            batch.truncated = batch.truncated.astype(bool)
            if len(self._meta.get_keys()) == 0:
                self._meta = create_value(batch, self.maxsize, stack=False)  # type: ignore[assignment]
            else:
                alloc_by_keys_diff(self._meta, batch, self.maxsize, False)
            self._set_batch_for_children()
            self._meta[ptr] = batch

    def unfinished_index(self) -> NDArray[np.int64]:
        """The last stored index of every sub-buffer whose episode is still running."""
        filled = np.flatnonzero(self._lengths)
        if not filled.size:
            return np.zeros(0, np.int64)
        last = (self._insertion[filled] - 1) % self._lengths[filled] + self._offset[filled]
        return last[~self.done[last]]

    def sample_indices(self, batch_size: int | None) -> NDArray[np.int64]:
        """Every stored index, each sub-buffer oldest first (``batch_size`` 0 or ``None``), or
        tianshou's random sample (``batch_size > 0``, or frame stacking with ``sample_avail``)."""
        if batch_size is not None and batch_size < 0:
            return np.zeros(0, np.int64)
        if (batch_size is not None and batch_size > 0) or (
            self._sample_avail and self.stack_num > 1
        ):
            self._sync_buffers()
            return super().sample_indices(batch_size)
        sizes = self._lengths
        owner = np.repeat(np.arange(self.buffer_num), sizes)
        step = np.arange(owner.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        return (self._insertion[owner] + step) % sizes[owner] + self._offset[owner]

    def _sync_buffers(self) -> None:
        """Copy the array bookkeeping into the sub-buffers (before delegating to them)."""
        for i, buf in enumerate(self.buffers):
            buf.last_index[0] = self.last_index[i] - self._offset[i]
            buf._insertion_idx = int(self._insertion[i])
            buf._size = int(self._lengths[i])
            buf._ep_len = int(self._ep_len[i])
            buf._ep_start_idx = int(self._ep_start[i])
            buf._ep_return = 0.0 if self._ep_rew is None else self._ep_rew[i]
