"""The row helpers behind the batch-of-one fast paths agree with plain numpy indexing."""

import numpy as np
import pytest

from econ_envs.rows import gather, put_rows, row_selection


@pytest.mark.parametrize("rows", [[0, 1, 2, 3], [1, 3], [2], []])
def test_gather_and_row_selection_match_fancy_indexing(rows):
    array = np.arange(12.0).reshape(4, 3)
    rows = np.array(rows, np.intp)
    np.testing.assert_array_equal(gather(array, rows), array[rows])
    np.testing.assert_array_equal(array[row_selection(rows, 4)], array[rows])
    # all rows: the array itself (no copy); fewer: a copy
    assert (gather(array, rows) is array) == (len(rows) == 4)


@pytest.mark.parametrize("index", [[2], [3, 0], [1, 2, 3]])
def test_put_rows_matches_fancy_assignment(index):
    index = np.array(index, np.intp)
    values = np.arange(len(index) * 3.0).reshape(-1, 3) + 100
    expected, written = np.zeros((4, 3)), np.zeros((4, 3))
    expected[index] = values
    put_rows(written, index, values)
    np.testing.assert_array_equal(written, expected)
