from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from course_utils import datasets
from course_utils.splits import train_val_test_split


def labelled(n=100, positives=30):
    X = np.arange(2 * n, dtype=float).reshape(n, 2)
    y = np.array([1] * positives + [0] * (n - positives))
    return X, y


def test_sizes_are_fractions_of_all_rows_and_parts_are_disjoint():
    X, y = labelled()
    X_train, X_val, X_test, y_train, y_val, y_test = train_val_test_split(
        X, y, val_size=0.25, test_size=0.15, stratify=y
    )
    assert (len(X_train), len(X_val), len(X_test)) == (60, 25, 15)
    ids = [set(part[:, 0]) for part in (X_train, X_val, X_test)]
    assert not (ids[0] & ids[1]) and not (ids[0] & ids[2]) and not (ids[1] & ids[2])
    assert set().union(*ids) == set(X[:, 0])
    # rows stay paired with their labels
    for part_X, part_y in [(X_train, y_train), (X_val, y_val), (X_test, y_test)]:
        np.testing.assert_array_equal(part_y, y[(part_X[:, 0] / 2).astype(int)])


def test_stratify_keeps_class_proportions_in_every_part():
    X, y = labelled(200, 60)
    parts = train_val_test_split(X, y, stratify=y)
    for labels in parts[3:]:
        assert labels.mean() == pytest.approx(0.3, abs=0.01)


def test_test_rows_do_not_depend_on_the_validation_size():
    """The test rows are split off first: changing val_size never moves a test row."""
    X, y = labelled()
    a = train_val_test_split(X, y, val_size=0.1, test_size=0.2, stratify=y)
    b = train_val_test_split(X, y, val_size=0.3, test_size=0.2, stratify=y)
    np.testing.assert_array_equal(a[2], b[2])


def test_same_seed_same_split_other_seed_other_split():
    X, y = labelled()
    first = train_val_test_split(X, y, random_state=1)
    np.testing.assert_array_equal(first[2], train_val_test_split(X, y, random_state=1)[2])
    assert not np.array_equal(first[2], train_val_test_split(X, y, random_state=2)[2])


def test_frames_stay_frames_and_one_array_works():
    frame = pd.DataFrame({"a": range(10), "b": list("abcdefghij")})
    train, val, test = train_val_test_split(frame)
    assert all(isinstance(part, pd.DataFrame) for part in (train, val, test))
    assert (len(train), len(val), len(test)) == (6, 2, 2)


@pytest.mark.parametrize(
    ("arrays", "kwargs", "error", "match"),
    [
        ((), {}, TypeError, "at least one array"),
        ((np.zeros(10),), {"val_size": "0.2"}, TypeError, r"val_size must be .*Received: str"),
        ((np.zeros(10),), {"test_size": True}, TypeError, "test_size"),
        ((np.zeros(10),), {"test_size": 1.0}, ValueError, r"in \(0, 1\). Received: 1.0"),
        ((np.zeros(10),), {"val_size": 0.0}, ValueError, "val_size"),
        ((np.zeros(10),), {"val_size": 0.5, "test_size": 0.5}, ValueError, "leave rows"),
        ((np.zeros(10), np.zeros(9)), {}, ValueError, r"lengths \[10, 9\]"),
        ((np.zeros(10),), {"stratify": np.zeros(8)}, ValueError, "stratify 8"),
    ],
)
def test_bad_input_says_what_was_expected(arrays, kwargs, error, match):
    with pytest.raises(error, match=match):
        train_val_test_split(*arrays, **kwargs)


def fake_heart_frame(n=303, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "age": rng.integers(30, 80, n),
            "sex": rng.integers(0, 2, n),
            "cp": rng.integers(1, 5, n),
            "trestbps": rng.normal(130, 15, n),
            "chol": rng.normal(240, 40, n),
            "fbs": rng.integers(0, 2, n),
            "restecg": rng.integers(0, 3, n),
            "thalach": rng.normal(150, 20, n),
            "exang": rng.integers(0, 2, n),
            "oldpeak": rng.exponential(1, n),
            "slope": rng.integers(1, 4, n),
            "ca": rng.integers(0, 4, n).astype(float),
            "thal": rng.choice([3.0, 6.0, 7.0], n),
            "num": rng.integers(0, 5, n),
        }
    )
    frame.loc[:3, "ca"] = np.nan
    frame.loc[4:5, "thal"] = np.nan
    frame["target"] = (frame["num"] > 0).astype(int)
    return frame


def test_load_heart_split_is_stratified_60_20_20_with_the_lesson_columns(monkeypatch):
    frame = fake_heart_frame()
    monkeypatch.setattr(datasets, "load_heart", lambda **_: frame)
    split = datasets.load_heart_split()
    assert [len(part) for part in split] == [181, 61, 61, 181, 61, 61]
    assert list(split.X_train.columns) == (
        datasets.HEART_NUMERIC + datasets.HEART_BINARY + datasets.HEART_NOMINAL
    )
    rate = frame["target"].mean()
    for labels in (split.y_train, split.y_val, split.y_test):
        assert labels.mean() == pytest.approx(rate, abs=0.02)
    np.testing.assert_array_equal(split.y_test, frame.loc[split.X_test.index, "target"])
    again = datasets.load_heart_split()
    assert list(again.X_test.index) == list(split.X_test.index)
    assert list(datasets.load_heart_split(random_state=0).X_test.index) != list(split.X_test.index)


def test_heart_preprocessor_imputes_scales_and_one_hot_encodes_from_training_rows(monkeypatch):
    frame = fake_heart_frame()
    monkeypatch.setattr(datasets, "load_heart", lambda **_: frame)
    split = datasets.load_heart_split()
    first, second = datasets.heart_preprocessor(), datasets.heart_preprocessor()
    assert first is not second
    train = first.fit_transform(split.X_train)
    numeric = len(datasets.HEART_NUMERIC)
    assert not np.isnan(train).any()
    np.testing.assert_allclose(train[:, :numeric].mean(axis=0), 0, atol=1e-9)
    np.testing.assert_allclose(train[:, :numeric].std(axis=0), 1, atol=1e-9)
    binary = train[:, numeric : numeric + 3]
    np.testing.assert_array_equal(binary, split.X_train[datasets.HEART_BINARY].to_numpy())
    one_hot = train[:, numeric + 3 :]
    np.testing.assert_array_equal(one_hot.sum(axis=1), len(datasets.HEART_NOMINAL))
    names = first.get_feature_names_out()
    assert names[0] == "numeric__age" and names[-1].startswith("nominal__thal")
    # statistics come from the training rows only
    test = first.transform(split.X_test)
    assert abs(test[:, :numeric].mean()) > 1e-6
