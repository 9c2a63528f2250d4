"""Checks of the exercises of lesson 3, "An MLP on tabular data: Palmer penguins"."""

from __future__ import annotations

import itertools
import math
import warnings
from typing import Any

import numpy as np

from course_utils import checks
from course_utils.exercises import exercise
from course_utils.exercises._common import is_number as _is
from course_utils.exercises._common import wrong as _wrong


def _dense_count(sizes: list[int], *, biases: bool = True) -> int:
    """Parameters of a stack of Dense layers whose widths (input first) are ``sizes``."""
    return sum(a * b + (b if biases else 0) for a, b in itertools.pairwise(sizes))


@exercise("ex-tab-updates", answers=["updates_per_epoch"])
def check_updates(updates_per_epoch, chosen_batch):
    """updates_per_epoch is the number of batches of 16 in 206 training penguins."""
    n_train, batch_size = 206, 16
    answer = updates_per_epoch
    if _is(answer, n_train // batch_size):
        _wrong(
            "updates_per_epoch counts only the full batches, so some penguins would never be "
            "used in the epoch. Hint: the task says the last batch may be smaller; it still "
            "makes an update."
        )
    if _is(answer, n_train / batch_size):
        _wrong(
            "updates_per_epoch is not a whole number, but an epoch makes a whole number of "
            "weight updates, one per batch."
        )
    if _is(answer, n_train):
        _wrong(
            "updates_per_epoch counts one update per penguin, which is batch size 1. Hint: "
            "one update per batch of 16."
        )
    if chosen_batch != batch_size and _is(answer, math.ceil(n_train / chosen_batch)):
        _wrong(
            f"updates_per_epoch is the number for batch size {chosen_batch}, the one section 6 "
            "chose. Hint: the exercise asks about batch_size=16."
        )
    checks.check_number(
        answer,
        math.ceil(n_train / batch_size),
        name="updates_per_epoch",
        hint="one epoch makes one weight update per batch; how many batches of at most 16 "
        "penguins does it take to cover all 206?",
    )


@exercise("ex-tab-no-hidden", answers=["same_model_as", "no_hidden_params", "baseline_params"])
def check_no_hidden(same_model_as, no_hidden_params, baseline_params, baseline, n_features):
    """Both parameter counts (no-hidden network, fitted baseline) and the model's name."""
    n_classes = 3
    expected_network = _dense_count([n_features, n_classes])
    if _is(no_hidden_params, _dense_count([n_features, 32, n_classes])):
        _wrong(
            "no_hidden_params is the count of a network with one hidden layer of 32 units. "
            "Hint: build make_network(hidden_layers=0) and call its count_params()."
        )
    if _is(no_hidden_params, _dense_count([n_features, n_classes], biases=False)):
        _wrong(
            "no_hidden_params leaves out the biases: the output layer has one bias per class. "
            "Hint: build make_network(hidden_layers=0) and call its count_params()."
        )
    if _is(no_hidden_params, _dense_count([6, n_classes])):
        _wrong(
            "no_hidden_params uses the six raw columns, but the network sees the preprocessed "
            "ones (the one-hot encoding adds columns). Hint: n_features holds their number."
        )
    checks.check_number(
        no_hidden_params,
        expected_network,
        name="no_hidden_params",
        hint="build make_network(hidden_layers=0) and call its count_params().",
    )
    classifier = baseline[-1]
    if _is(baseline_params, classifier.coef_.size):
        _wrong(
            "baseline_params counts the coefficients but not the intercepts, which "
            "LogisticRegression learns too (one per class, in intercept_)."
        )
    checks.check_number(
        baseline_params,
        classifier.coef_.size + classifier.intercept_.size,
        name="baseline_params",
        hint="the last step of the baseline pipeline, baseline[-1], stores what it learned in "
        "coef_ and intercept_; add up their sizes.",
    )
    options = ["logistic regression", "decision tree", "k-nearest neighbours"]
    answer = same_model_as.strip().lower() if isinstance(same_model_as, str) else same_model_as
    if answer not in options:
        _wrong(f"same_model_as is {same_model_as!r}; answer one of {options}.")
    if answer != "logistic regression":
        _wrong(
            "same_model_as is not the kind of model a network without a hidden layer is. "
            "Hint: write down what such a network computes from its inputs and compare it with "
            "how each of the three models predicts; your two parameter counts are evidence."
        )


@exercise("ex-tab-params", answers=["n_parameters"])
def check_params(n_parameters):
    """n_parameters is the parameter count of a 9-16-16-3 Dense network, biases included."""
    sizes = [9, 16, 16, 3]
    answer = n_parameters
    if _is(answer, _dense_count(sizes, biases=False)):
        _wrong(
            "n_parameters counts the weights but not the biases. Hint: every Dense layer also "
            "has one bias per unit."
        )
    if _is(answer, _dense_count(sizes[:-1])):
        _wrong(
            "n_parameters leaves out the output layer. Hint: its 3 units have weights and "
            "biases too."
        )
    if _is(answer, _dense_count([6, 16, 16, 3])):
        _wrong(
            "n_parameters uses the six raw columns as inputs. Hint: the network takes the 9 "
            "preprocessed columns."
        )
    if _is(answer, _dense_count([9, 32, 32, 3])):
        _wrong(
            "n_parameters is the count of section 5's network with 32 units per hidden layer. "
            "Hint: this network has 16 units per hidden layer."
        )
    checks.check_number(
        answer,
        _dense_count(sizes),
        name="n_parameters",
        hint="add up, layer by layer, a weight per input and unit plus one bias per unit.",
    )


def _as_array(values: Any) -> np.ndarray:
    if hasattr(values, "toarray"):
        values = values.toarray()
    return np.asarray(values, dtype=float)


def _has_columns(transformed: np.ndarray, expected: np.ndarray) -> bool:
    """True if each column of ``expected`` is one of the columns of ``transformed``."""
    return all(
        any(
            np.allclose(transformed[:, k], expected[:, j], atol=1e-5)
            for k in range(transformed.shape[1])
        )
        for j in range(expected.shape[1])
    )


@exercise("ex-tab-minmax-pipeline", answers=["minmax_baseline"])
def check_minmax_pipeline(
    minmax_baseline, baseline, X_train, X_val, X_test, y_val, numeric_features, x_train
):
    """minmax_baseline min-max scales with training statistics only and reaches 0.97."""
    from sklearn.exceptions import NotFittedError
    from sklearn.pipeline import Pipeline
    from sklearn.utils.validation import check_is_fitted

    how = (
        "make_pipeline(preprocessing, LogisticRegression(max_iter=1000)), with the "
        "preprocessing of section 3 but MinMaxScaler for the numeric columns."
    )
    if minmax_baseline is baseline:
        _wrong(
            "minmax_baseline is the lesson's baseline, which scales with StandardScaler. "
            f"Hint: build a new pipeline: {how}"
        )
    if not isinstance(minmax_baseline, Pipeline):
        _wrong(
            f"minmax_baseline is a {type(minmax_baseline).__name__}, not a scikit-learn "
            f"Pipeline. Hint: {how}"
        )
    if type(minmax_baseline[-1]).__name__ != "LogisticRegression":
        _wrong(
            f"minmax_baseline ends in {type(minmax_baseline[-1]).__name__}; the exercise asks "
            f"for LogisticRegression as its last step. Hint: {how}"
        )
    try:
        check_is_fitted(minmax_baseline)
    except NotFittedError:
        _wrong(
            "minmax_baseline has not been fitted. Hint: call minmax_baseline.fit(X_train, y_train)."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "X has feature names, but ... without"
            transformed = _as_array(minmax_baseline[:-1].transform(X_train))
    except Exception as error:
        _wrong(
            "minmax_baseline cannot preprocess the raw table X_train "
            f"({type(error).__name__}). Hint: the pipeline should start from the raw columns "
            "(fit it on X_train, not on the preprocessed x_train) and do its own imputing, "
            "encoding and scaling."
        )
    if transformed.shape[1] != x_train.shape[1]:
        _wrong(
            f"minmax_baseline's preprocessing makes {transformed.shape[1]} columns, section 3's "
            f"makes {x_train.shape[1]}. Hint: keep the imputers and the one-hot encoding of "
            "island and sex; change only the scaler of the measurements."
        )
    raw = X_train[numeric_features].to_numpy(dtype=float)
    rows = ~np.isnan(raw).any(axis=1)
    transformed, raw = transformed[rows], raw[rows]
    low, high = raw.min(axis=0), raw.max(axis=0)
    if _has_columns(transformed, (raw - low) / (high - low)):
        pass
    elif _has_columns(transformed, (raw - raw.mean(axis=0)) / raw.std(axis=0)):
        _wrong(
            "minmax_baseline still standardizes the measurements (mean 0, standard deviation "
            "1 on the training set). Hint: replace StandardScaler with MinMaxScaler."
        )
    else:
        every_row = np.concatenate(
            [frame[numeric_features].to_numpy(dtype=float) for frame in (X_train, X_val, X_test)]
        )
        low_all, high_all = np.nanmin(every_row, axis=0), np.nanmax(every_row, axis=0)
        if _has_columns(transformed, (raw - low_all) / (high_all - low_all)):
            _wrong(
                "minmax_baseline's scaler learned its minimum and maximum from more than the "
                "training set: a leak of the validation and test penguins. Hint: fit the "
                "pipeline on X_train only."
            )
        _wrong(
            "minmax_baseline does not scale the measurements to the range from 0 to 1 of the "
            "training set. Hint: MinMaxScaler, fitted on X_train, does exactly that."
        )
    checks.check_score(
        minmax_baseline,
        X_val,
        y_val,
        minimum=0.97,
        name="minmax_baseline",
        hint="compare your pipeline with section 3's preprocessing and the baseline's model.",
    )
