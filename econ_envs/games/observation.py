"""The leader's observation, declared once per game: a few small integers (*fields*) read two ways.

A game says what its leader sees as a row of fields (the message sent, whether an agent was
visited, ...) and declares an :class:`ObservationEncoding` of them. Everything else is derived,
so the three views of an observation cannot drift apart:

- the policy-table row (``observation_index``): the fields read as one mixed-radix number, the
  first field most significant (``numpy.ravel_multi_index`` order);
- the observation vector (``observe``): one entry per declared column ``(field, value)``, 1.0
  where that field has that value, else 0.0 (a one-hot field has a column per value, a yes/no
  flag the single column ``(field, 1)``);
- the vector of every table row (``observation_vectors``): the rows' fields decoded from their
  indices, then encoded as above.

Each field also says what it is, in words (:class:`ObservedField`), so what every entry of the
observation vector means is derived too (:meth:`ObservationEncoding.column_meanings`, read by
the documentation's space tables).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from econ_envs.games.types import radix_weights

#: a column of the observation vector: (field, value), 1.0 where ``field`` has ``value``
Column = tuple[int, int]


def one_hot_columns(field: int, size: int) -> tuple[Column, ...]:
    """The columns showing ``field`` (with ``size`` values) one-hot: one column per value."""
    return tuple((field, value) for value in range(size))


def flag_column(field: int) -> tuple[Column, ...]:
    """The column showing a yes/no ``field`` (values 0, 1) as 0.0 or 1.0."""
    return ((field, 1),)


@dataclass(frozen=True)
class ObservedField:
    """What one observation field is, in words.

    Attributes:
        name: what the field is (``"message of agent 0"``); for a field shown as a single
            column, what 1.0 in that column means (``"agent 0 visited"``).
        values: the name of each value (``("bad", "good")``); empty: values are numbered.
    """

    name: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class ObservationEncoding:
    """How a game's observation fields become a policy-table row and an observation vector.

    Attributes:
        sizes: the number of values of each field, in the order the row index reads them (the
            first field most significant).
        columns: the observation vector's entries, each ``(field, value)``: 1.0 where the field
            has that value, else 0.0.
        fields: what each field is (one per entry of ``sizes``), or empty where undeclared.
    """

    sizes: tuple[int, ...]
    columns: tuple[Column, ...]
    fields: tuple[ObservedField, ...] = ()

    def __post_init__(self) -> None:
        if self.fields and (
            len(self.fields) != len(self.sizes)
            or any(
                f.values and len(f.values) != k
                for f, k in zip(self.fields, self.sizes, strict=True)
            )
        ):
            raise ValueError("declare one ObservedField per field, with one name per value or none")

    @classmethod
    def constant(cls) -> ObservationEncoding:
        """The encoding of a leader that sees nothing: one field that is always 0 (one table
        row), shown as one entry that is always 0.0."""
        nothing = ObservedField("always 0.0: the leader sees nothing")
        return cls(sizes=(1,), columns=flag_column(0), fields=(nothing,))

    def column_meanings(self) -> tuple[str, ...]:
        """What each entry of the observation vector means: ``"<field> = <value>"`` for a field
        shown one-hot (1.0 where the field has that value), the field's name for a field shown
        as a single column; ``ValueError`` if the fields are undeclared."""
        if not self.fields:
            raise ValueError("this observation encoding declares no ObservedField names")
        shown = Counter(field for field, _ in self.columns)
        meanings = []
        for field, value in self.columns:
            observed = self.fields[field]
            if shown[field] == 1:
                meanings.append(observed.name)
            else:
                label = observed.values[value] if observed.values else str(value)
                meanings.append(f"{observed.name} = {label}")
        return tuple(meanings)

    @property
    def n_observations(self) -> int:
        """The number of policy-table rows: every combination of field values."""
        return math.prod(self.sizes)

    @cached_property
    def _place_values(self) -> NDArray[np.intp]:
        return radix_weights(self.sizes)

    @cached_property
    def _column_fields(self) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """The field and the value of every column, as two index arrays."""
        field, value = np.array(self.columns, np.intp).reshape(-1, 2).T
        return field, value

    def index(self, fields: NDArray[np.integer]) -> NDArray[np.intp]:
        """The policy-table rows (batch,) of observation fields (batch, len(sizes))."""
        return fields @ self._place_values

    def vectors(self, fields: NDArray[np.integer]) -> NDArray[np.float32]:
        """The observation vectors (batch, len(columns)) of observation fields (batch, fields)."""
        field, value = self._column_fields
        return (fields[:, field] == value).astype(np.float32)

    def fields_of(self, index: NDArray[np.intp]) -> NDArray[np.intp]:
        """The observation fields (k, len(sizes)) of policy-table rows ``index`` (k,)."""
        return np.stack(np.unravel_index(index, self.sizes), axis=1).astype(np.intp)

    def table(self) -> NDArray[np.float32]:
        """The observation vector of every policy-table row, (n_observations, len(columns))."""
        return self.vectors(self.fields_of(np.arange(self.n_observations)))
