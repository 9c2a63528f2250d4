from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.sequences import temporalize, time_split


def test_temporalize_pairs_each_window_with_the_next_value():
    windows, targets = temporalize(np.arange(10), window=3)
    assert windows.shape == (7, 3, 1)
    np.testing.assert_array_equal(windows[0, :, 0], [0, 1, 2])
    np.testing.assert_array_equal(windows[6, :, 0], [6, 7, 8])
    np.testing.assert_array_equal(targets, [3, 4, 5, 6, 7, 8, 9])


def test_temporalize_horizon_zero_is_the_windows_own_last_value():
    windows, targets = temporalize(np.arange(10), window=3, horizon=0)
    assert windows.shape == (8, 3, 1)
    np.testing.assert_array_equal(targets, [2, 3, 4, 5, 6, 7, 8, 9])
    np.testing.assert_array_equal(targets, windows[:, -1, 0])


def test_temporalize_multivariate_with_target_horizon_and_stride():
    series = np.column_stack([np.arange(20), 100 + np.arange(20)])
    target = np.arange(20) * 10
    windows, targets = temporalize(series, window=4, horizon=2, stride=3, target=target)
    # windows start at 0, 3, 6, 9, 12 (the last start that leaves room is 20 - 4 - 2 = 14);
    # their last steps are 3, 6, 9, 12, 15 and their targets lie 2 steps later
    assert windows.shape == (5, 4, 2)
    np.testing.assert_array_equal(windows[1], [[3, 103], [4, 104], [5, 105], [6, 106]])
    np.testing.assert_array_equal(windows[4, :, 0], [12, 13, 14, 15])
    np.testing.assert_array_equal(targets, [50, 80, 110, 140, 170])


def test_temporalize_accepts_pandas():
    windows, targets = temporalize(pd.Series(np.arange(5.0)), window=4)
    np.testing.assert_array_equal(windows, [[[0.0], [1.0], [2.0], [3.0]]])
    assert targets.tolist() == [4.0]


@pytest.mark.parametrize(
    ("features", "window", "horizon", "stride"),
    [
        (0, 1, 0, 1),  # features=0: a 1-D series that is its own target
        (0, 3, 1, 1),
        (0, 5, 3, 1),
        (0, 4, 0, 2),
        (0, 24, 1, 1),
        (0, 7, 2, 3),
        (1, 3, 1, 1),
        (2, 1, 1, 1),
        (3, 6, 4, 1),
        (2, 10, 0, 4),
        (3, 35, 5, 1),  # a single window: 35 + 5 = 40 steps
    ],
)
def test_temporalize_matches_keras_timeseries_dataset(features, window, horizon, stride):
    """Keras's own windowing, with the targets shifted so that window i (starting at i)
    meets the value ``horizon`` steps after its last step, is an independent oracle."""
    import course_utils

    course_utils.quiet_tensorflow()
    import keras

    length = 40
    rng = np.random.default_rng(window * 100 + horizon * 10 + features)
    if features == 0:
        series = rng.normal(size=length)
        target = series
        windows, targets = temporalize(series, window=window, horizon=horizon, stride=stride)
        data = series[:, None]
    else:
        series = rng.normal(size=(length, features))
        target = rng.normal(size=length)
        windows, targets = temporalize(
            series, window=window, horizon=horizon, stride=stride, target=target
        )
        data = series
    dataset = keras.utils.timeseries_dataset_from_array(
        data[: length - horizon],
        targets=target[window - 1 + horizon :],
        sequence_length=window,
        sequence_stride=stride,
        shuffle=False,
        batch_size=4,
    )
    batches = list(dataset.as_numpy_iterator())
    expected_windows = np.concatenate([inputs for inputs, _ in batches])
    expected_targets = np.concatenate([outputs for _, outputs in batches])
    assert len(expected_windows) >= 1
    assert windows.shape == expected_windows.shape == (len(expected_windows), window, data.shape[1])
    assert targets.shape == expected_targets.shape == (len(expected_windows),)
    np.testing.assert_array_equal(windows, expected_windows)
    np.testing.assert_array_equal(targets, expected_targets)


@settings(max_examples=150, deadline=None)
@given(
    length=st.integers(min_value=1, max_value=60),
    window=st.integers(min_value=1, max_value=20),
    horizon=st.integers(min_value=0, max_value=5),
    stride=st.integers(min_value=1, max_value=4),
)
def test_temporalize_windows_are_slices_and_targets_lie_horizon_steps_later(
    length, window, horizon, stride
):
    """Without restating the implementation: every window is a run of consecutive steps,
    consecutive windows start ``stride`` apart from step 0, the last possible window is
    not dropped, and each target is the series value ``horizon`` steps after the window."""
    series = np.arange(length) * 3 + 1  # distinct values: value v sits at step (v - 1) / 3
    if window + horizon > length:
        message = (
            f"the series has {length} time steps, too few for a window of {window} plus "
            f"a horizon of {horizon}: need at least {window + horizon}. Received: "
            f"window={window}, horizon={horizon}, series length={length}"
        )
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            temporalize(series, window=window, horizon=horizon, stride=stride)
        return
    windows, targets = temporalize(series, window=window, horizon=horizon, stride=stride)
    assert windows.shape[1:] == (window, 1)
    assert len(targets) == len(windows) >= 1
    steps = (windows[..., 0] - 1) // 3
    assert steps[0, 0] == 0
    np.testing.assert_array_equal(np.diff(steps, axis=1), 1)
    np.testing.assert_array_equal(np.diff(steps[:, 0]), stride)
    target_steps = (targets - 1) // 3
    np.testing.assert_array_equal(target_steps, steps[:, -1] + horizon)
    assert target_steps[-1] < length
    assert target_steps[-1] + stride >= length  # one more window would not fit


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"window": 0}, ValueError, r"^`window` must be higher than 0. Received: window=0$"),
        ({"window": 2.5}, TypeError, r"^`window` must be an integer. Received: window=2.5$"),
        ({"window": True}, TypeError, r"^`window` must be an integer. Received: window=True$"),
        (
            {"window": 3, "horizon": -1},
            ValueError,
            r"^`horizon` must be at least 0. Received: horizon=-1$",
        ),
        (
            {"window": 3, "horizon": 1.0},
            TypeError,
            r"^`horizon` must be an integer. Received: horizon=1.0$",
        ),
        (
            {"window": 3, "stride": 0},
            ValueError,
            r"^`stride` must be higher than 0. Received: stride=0$",
        ),
        (
            {"window": 10},
            ValueError,
            (
                r"^the series has 10 time steps, too few for a window of 10 plus a horizon of 1: "
                r"need at least 11. Received: window=10, horizon=1, series length=10$"
            ),
        ),
        (
            {"window": 3, "target": np.arange(9)},
            ValueError,
            (
                r"^target must have shape \(10,\), one value per time step of the series. "
                r"Received: ndarray of shape \(9,\)$"
            ),
        ),
        (
            {"window": 3, "target": np.zeros((10, 1))},
            ValueError,
            r"Received: ndarray of shape \(10, 1\)$",
        ),
    ],
)
def test_temporalize_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        temporalize(np.arange(10), **kwargs)


def test_temporalize_bad_series():
    with pytest.raises(
        ValueError,
        match=r"\(time,\) or \(time, features\). Received: ndarray of shape \(2, 2, 2\)$",
    ):
        temporalize(np.zeros((2, 2, 2)), window=1)
    with pytest.raises(TypeError, match=r"^series must be array-like .* Received: str 'abc'$"):
        temporalize("abc", window=1)
    with pytest.raises(
        ValueError,
        match=r"^target is required when the series has several features: .* "
        r"Received a series of shape \(10, 2\)$",
    ):
        temporalize(np.zeros((10, 2)), window=2)


def test_time_split_keeps_order_and_types():
    train, validation, test = time_split(np.arange(10), train=0.6, validation=0.2)
    assert train.tolist() == [0, 1, 2, 3, 4, 5]
    assert validation.tolist() == [6, 7]
    assert test.tolist() == [8, 9]
    assert time_split(list(range(5)), train=0.4, validation=0.2) == ([0, 1], [2], [3, 4])
    assert time_split(list(range(4)), train=0.5, validation=0.0) == ([0, 1], [], [2, 3])
    frame = pd.DataFrame({"x": range(10)}, index=range(100, 110))
    parts = time_split(frame, train=0.5, validation=0.3)
    assert [type(p) for p in parts] == [pd.DataFrame] * 3
    assert [p.index.tolist() for p in parts] == [
        [100, 101, 102, 103, 104],
        [105, 106, 107],
        [108, 109],
    ]
    series_parts = time_split(pd.Series(range(10), index=range(50, 60)), train=0.8, validation=0.1)
    assert [type(p) for p in series_parts] == [pd.Series] * 3
    assert [p.tolist() for p in series_parts] == [list(range(8)), [8], [9]]


@pytest.mark.parametrize(
    ("data", "kwargs", "error", "match"),
    [
        (
            np.arange(10),
            {"train": 0.9, "validation": 0.1},
            ValueError,
            r"their sum below 1 so that a test span remains. Received: train=0.9, validation=0.1$",
        ),
        (
            np.arange(10),
            {"train": 0.0},
            ValueError,
            r"^train must be in \(0, 1\).* Received: train=0.0, validation=0.15$",
        ),
        (
            np.arange(10),
            {"validation": 1.2},
            ValueError,
            r"^train must be in \(0, 1\).* Received: train=0.7, validation=1.2$",
        ),
        (
            np.arange(3),
            {"train": 0.5, "validation": 0.4},
            ValueError,
            r"^3 items are too few for train=0.5, validation=0.4: a span would be empty$",
        ),
        (
            np.arange(4),
            {"train": 0.6, "validation": 0.1},
            ValueError,
            r"^4 items are too few for train=0.6, validation=0.1: a span would be empty$",
        ),
        (5, {}, TypeError, r"^data must be a sequence, array or pandas object. Received: int 5$"),
        ("abcdef", {}, TypeError, r"^data must be a sequence, .* Received: str 'abcdef'$"),
        (
            np.arange(10),
            {"train": "0.5"},
            TypeError,
            r"^train must be a fraction. Received: train='0.5'$",
        ),
        (
            np.arange(10),
            {"validation": True},
            TypeError,
            r"^validation must be a fraction. Received: validation=True$",
        ),
    ],
)
def test_time_split_bad_input(data, kwargs, error, match):
    with pytest.raises(error, match=match):
        time_split(data, **kwargs)


@settings(max_examples=100, deadline=None)
@given(
    length=st.integers(min_value=3, max_value=500),
    train=st.floats(min_value=0.05, max_value=0.9),
    validation=st.floats(min_value=0.0, max_value=0.5),
)
def test_time_split_partitions_in_order(length, train, validation):
    """Each span holds its fraction of the items rounded to a whole number; when the sum
    leaves no test span, or rounding empties a span, the error says which input failed."""
    data = np.arange(length)
    if train + validation >= 1:
        with pytest.raises(
            ValueError, match=re.escape(f"Received: train={train}, validation={validation}")
        ):
            time_split(data, train=train, validation=validation)
        return
    n_train, n_validation = round(length * train), round(length * validation)
    n_test = length - n_train - n_validation
    if n_train == 0 or n_test <= 0 or (validation > 0 and n_validation == 0):
        message = (
            f"{length} items are too few for train={train}, validation={validation}: "
            "a span would be empty"
        )
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            time_split(data, train=train, validation=validation)
        return
    parts = time_split(data, train=train, validation=validation)
    assert [len(part) for part in parts] == [n_train, n_validation, n_test]
    assert abs(len(parts[0]) - length * train) <= 0.5
    assert abs(len(parts[1]) - length * validation) <= 0.5
    np.testing.assert_array_equal(np.concatenate(parts), data)
