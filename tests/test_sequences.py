from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.sequences import temporalize, time_split


def test_temporalize_pairs_each_window_with_the_next_value():
    windows, targets = temporalize(np.arange(10), window=3)
    assert windows.shape == (7, 3, 1)
    for i in range(7):
        np.testing.assert_array_equal(windows[i, :, 0], np.arange(i, i + 3))
        assert targets[i] == i + 3


def test_temporalize_horizon_zero_is_the_windows_own_last_value():
    windows, targets = temporalize(np.arange(10), window=3, horizon=0)
    np.testing.assert_array_equal(targets, windows[:, -1, 0])


def test_temporalize_multivariate_with_target_horizon_and_stride():
    series = np.column_stack([np.arange(20), 100 + np.arange(20)])
    target = np.arange(20) * 10
    windows, targets = temporalize(series, window=4, horizon=2, stride=3, target=target)
    # starts 0, 3, 6, ..., up to 20 - 4 - 2 = 14
    assert windows.shape == (5, 4, 2)
    np.testing.assert_array_equal(windows[1, :, 1], 100 + np.arange(3, 7))
    np.testing.assert_array_equal(targets, [(s + 3 + 2) * 10 for s in range(0, 15, 3)])


def test_temporalize_accepts_pandas():
    windows, targets = temporalize(pd.Series(np.arange(5.0)), window=4)
    assert windows.shape == (1, 4, 1) and targets.tolist() == [4.0]


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"window": 0}, ValueError, r"`window` must be higher than 0. Received: window=0"),
        ({"window": 2.5}, TypeError, r"`window` must be an integer. Received: window=2.5"),
        ({"window": 3, "horizon": -1}, ValueError, r"`horizon` must be at least 0"),
        ({"window": 3, "stride": 0}, ValueError, r"`stride` must be higher than 0"),
        ({"window": 10}, ValueError, r"the series has 10 time steps, too few for a window of 10 plus a horizon of 1"),
        ({"window": 3, "target": np.arange(9)}, ValueError, r"target must have shape \(10,\)"),
        ({"window": True}, TypeError, r"`window` must be an integer"),
    ],
)
def test_temporalize_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        temporalize(np.arange(10), **kwargs)


def test_temporalize_bad_series():
    with pytest.raises(ValueError, match=r"\(time,\) or \(time, features\). Received: ndarray of shape \(2, 2, 2\)"):
        temporalize(np.zeros((2, 2, 2)), window=1)
    with pytest.raises(TypeError, match=r"series must be array-like"):
        temporalize("abc", window=1)
    with pytest.raises(ValueError, match=r"target is required when the series has several features"):
        temporalize(np.zeros((10, 2)), window=2)


@settings(max_examples=150, deadline=None)
@given(
    length=st.integers(min_value=1, max_value=60),
    window=st.integers(min_value=1, max_value=20),
    horizon=st.integers(min_value=0, max_value=5),
    stride=st.integers(min_value=1, max_value=4),
    features=st.integers(min_value=1, max_value=3),
)
def test_temporalize_matches_a_direct_definition(length, window, horizon, stride, features):
    series = np.arange(length * features).reshape(length, features)
    target = np.arange(length) * 7
    if window + horizon > length:
        with pytest.raises(ValueError, match="too few for a window"):
            temporalize(series, window=window, horizon=horizon, stride=stride, target=target)
        return
    windows, targets = temporalize(series, window=window, horizon=horizon, stride=stride, target=target)
    starts = list(range(0, length - window - horizon + 1, stride))
    assert windows.shape == (len(starts), window, features)
    assert len(targets) == len(starts) == (length - window - horizon) // stride + 1
    for i, start in enumerate(starts):
        np.testing.assert_array_equal(windows[i], series[start : start + window])
        assert targets[i] == target[start + window - 1 + horizon]
        # the target never lies inside its own window when horizon >= 1
        if horizon >= 1:
            assert start + window - 1 + horizon > start + window - 1


def test_time_split_keeps_order_and_types():
    train, validation, test = time_split(np.arange(10), train=0.6, validation=0.2)
    assert train.tolist() == [0, 1, 2, 3, 4, 5]
    assert validation.tolist() == [6, 7] and test.tolist() == [8, 9]
    frame = pd.DataFrame({"x": range(10)}, index=range(100, 110))
    parts = time_split(frame, train=0.5, validation=0.3)
    assert [type(p) for p in parts] == [pd.DataFrame] * 3
    assert parts[2].index.tolist() == [108, 109]


@pytest.mark.parametrize(
    "data, kwargs, error, match",
    [
        (np.arange(10), {"train": 0.9, "validation": 0.1}, ValueError, r"their sum below 1"),
        (np.arange(10), {"train": 0.0}, ValueError, r"train must be in \(0, 1\)"),
        (np.arange(3), {"train": 0.5, "validation": 0.4}, ValueError, r"3 items are too few"),
        (5, {}, TypeError, r"data must be a sequence"),
        (np.arange(10), {"train": "0.5"}, TypeError, r"train must be a fraction"),
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
    data = np.arange(length)
    try:
        parts = time_split(data, train=train, validation=validation)
    except ValueError as error:
        assert "too few" in str(error) or "sum below 1" in str(error)
        return
    np.testing.assert_array_equal(np.concatenate(parts), data)
    assert len(parts[0]) > 0 and len(parts[2]) > 0
