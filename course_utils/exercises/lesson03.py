"""Checks of the exercises of lesson 3, "An MLP on tabular data: Palmer penguins".

Each exercise lists the mistakes its check recognises (:class:`Mistake`), in the order it
tests them; the lesson's wrong-answer cells name the one each must get.
"""

from __future__ import annotations

import itertools
import math
import warnings
from typing import Any

import numpy as np

from course_utils import checks
from course_utils.exercises import Mistake, exercise, reject
from course_utils.exercises._common import as_number, fitted_rows, is_number, same_estimator
from course_utils.i18n import N_, _

N_TRAIN, N_VAL, N_TEST, BATCH = 206, 69, 69, 16


def _dense_count(sizes: list[int], *, biases: bool = True) -> int:
    """Parameters of a stack of Dense layers whose widths (input first) are ``sizes``."""
    return sum(a * b + (b if biases else 0) for a, b in itertools.pairwise(sizes))


def _whole_run(updates: Any) -> bool:
    """A whole number of epochs' updates (2 or more epochs), not one epoch's."""
    number, steps = as_number(updates), math.ceil(N_TRAIN / BATCH)
    return number is not None and number > steps and number % steps == 0


@exercise(
    "ex-tab-updates",
    answers=["updates_per_epoch"],
    mistakes=[
        Mistake(
            "full-batches-only",
            N_(
                "updates_per_epoch counts only the full batches, so some penguins would never "
                "be used in the epoch. Hint: the task says the last batch may be smaller; it "
                "still makes an update."
            ),
            lambda updates_per_epoch: is_number(updates_per_epoch, N_TRAIN // BATCH),
        ),
        Mistake(
            "not-whole",
            N_(
                "updates_per_epoch is not a whole number, but an epoch makes a whole number of "
                "weight updates, one per batch. Hint: round the number of batches the way a "
                "last, smaller batch needs."
            ),
            lambda updates_per_epoch: (
                isinstance(updates_per_epoch, (float, np.floating))
                and not float(updates_per_epoch).is_integer()
            ),
        ),
        Mistake(
            "one-per-penguin",
            N_(
                "updates_per_epoch counts one update per penguin, which is batch size 1. Hint: "
                "one update per batch of 16."
            ),
            lambda updates_per_epoch: is_number(updates_per_epoch, N_TRAIN),
        ),
        Mistake(
            "batch-size-as-count",
            N_(
                "updates_per_epoch is the batch size itself: 16 is how many penguins one "
                "update uses, not how many updates there are. Hint: divide the training "
                "penguins into batches of 16 and count the batches."
            ),
            lambda updates_per_epoch: is_number(updates_per_epoch, BATCH),
        ),
        Mistake(
            "all-penguins",
            N_(
                "updates_per_epoch counts batches of more penguins than the training set has: "
                "an epoch passes over the 206 training penguins only, not over the validation "
                "or test penguins."
            ),
            lambda updates_per_epoch: any(
                is_number(updates_per_epoch, math.ceil(rows / BATCH))
                for rows in (N_TRAIN + N_VAL, N_TRAIN + N_VAL + N_TEST)
            ),
        ),
        Mistake(
            "chosen-batch",
            N_(
                "updates_per_epoch is the number for batch size {batch}, the one section 6 "
                "chose. Hint: the exercise asks about batch_size=16."
            ),
            lambda updates_per_epoch, chosen_batch: (
                {"batch": chosen_batch}
                if chosen_batch != BATCH
                and is_number(updates_per_epoch, math.ceil(N_TRAIN / chosen_batch))
                else None
            ),
        ),
        Mistake(
            "several-epochs",
            N_(
                "updates_per_epoch counts the updates of several epochs. Hint: the question "
                "asks for one epoch, one pass over the training set."
            ),
            lambda updates_per_epoch: _whole_run(updates_per_epoch),
        ),
    ],
)
def check_updates(updates_per_epoch, chosen_batch):
    """updates_per_epoch is the number of batches of 16 in 206 training penguins."""
    checks.check_number(
        updates_per_epoch,
        math.ceil(N_TRAIN / BATCH),
        name="updates_per_epoch",
        hint=N_(
            "one epoch makes one weight update per batch; how many batches of at most 16 "
            "penguins does it take to cover all 206?"
        ),
    )


_OPTIONS = ["logistic regression", "decision tree", "k-nearest neighbours"]


def _choice(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


@exercise(
    "ex-tab-no-hidden",
    answers=["same_model_as", "no_hidden_params", "baseline_params"],
    mistakes=[
        Mistake(
            "one-hidden-layer-count",
            N_(
                "no_hidden_params is the count of a network with one hidden layer of 32 "
                "units. Hint: build make_network(hidden_layers=0) and call its count_params()."
            ),
            lambda no_hidden_params, n_features: is_number(
                no_hidden_params, _dense_count([n_features, 32, 3])
            ),
        ),
        Mistake(
            "no-biases",
            N_(
                "no_hidden_params leaves out the biases: the output layer has one bias per "
                "class. Hint: build make_network(hidden_layers=0) and call its count_params()."
            ),
            lambda no_hidden_params, n_features: is_number(
                no_hidden_params, _dense_count([n_features, 3], biases=False)
            ),
        ),
        Mistake(
            "raw-columns",
            N_(
                "no_hidden_params uses the six raw columns, but the network sees the "
                "preprocessed ones (the one-hot encoding adds columns). Hint: n_features holds "
                "their number."
            ),
            lambda no_hidden_params: is_number(no_hidden_params, _dense_count([6, 3])),
        ),
        Mistake(
            "coefficients-only",
            N_(
                "baseline_params counts the coefficients but not the intercepts, which "
                "LogisticRegression learns too (one per class, in intercept_)."
            ),
            lambda baseline_params, baseline: is_number(baseline_params, baseline[-1].coef_.size),
        ),
        Mistake(
            "intercepts-only",
            N_(
                "baseline_params counts the intercepts only. Hint: coef_ holds a coefficient "
                "per class and input column; add its size to the intercepts'."
            ),
            lambda baseline_params, baseline: is_number(
                baseline_params, baseline[-1].intercept_.size
            ),
        ),
        Mistake(
            "decision-tree",
            N_(
                "a decision tree splits the inputs by thresholds, one feature at a time; a "
                "network without a hidden layer computes one weighted sum of all inputs per "
                "class. Hint: which of the three models computes such weighted sums and turns "
                "them into probabilities? Your two parameter counts are evidence."
            ),
            lambda same_model_as: _choice(same_model_as) == "decision tree",
        ),
        Mistake(
            "nearest-neighbours",
            N_(
                "k-nearest neighbours keeps the training rows and learns no weights at all; a "
                "network without a hidden layer learns a weight per input and class. Hint: "
                "which of the three models learns exactly such weights? Your two parameter "
                "counts are evidence."
            ),
            lambda same_model_as: _choice(same_model_as) == "k-nearest neighbours",
        ),
    ],
)
def check_no_hidden(same_model_as, no_hidden_params, baseline_params, baseline, n_features):
    """Both parameter counts (no-hidden network, fitted baseline) and the model's name."""
    hint = N_("build make_network(hidden_layers=0) and call its count_params().")
    checks.check_number(
        no_hidden_params, _dense_count([n_features, 3]), name="no_hidden_params", hint=hint
    )
    classifier = baseline[-1]
    checks.check_number(
        baseline_params,
        classifier.coef_.size + classifier.intercept_.size,
        name="baseline_params",
        hint=N_(
            "the last step of the baseline pipeline, baseline[-1], stores what it learned in "
            "coef_ and intercept_; add up their sizes."
        ),
    )
    checks.check_choice(
        same_model_as, "logistic regression", options=_OPTIONS, name="same_model_as"
    )


_SIZES = [9, 16, 16, 3]


@exercise(
    "ex-tab-params",
    answers=["n_parameters"],
    mistakes=[
        Mistake(
            "no-biases",
            N_(
                "n_parameters counts the weights but not the biases. Hint: every Dense layer "
                "also has one bias per unit."
            ),
            lambda n_parameters: is_number(n_parameters, _dense_count(_SIZES, biases=False)),
        ),
        Mistake(
            "no-output-layer",
            N_(
                "n_parameters leaves out the output layer. Hint: its 3 units have weights and "
                "biases too."
            ),
            lambda n_parameters: is_number(n_parameters, _dense_count(_SIZES[:-1])),
        ),
        Mistake(
            "raw-columns",
            N_(
                "n_parameters uses the six raw columns as inputs. Hint: the network takes the "
                "9 preprocessed columns."
            ),
            lambda n_parameters: is_number(n_parameters, _dense_count([6, 16, 16, 3])),
        ),
        Mistake(
            "units-32",
            N_(
                "n_parameters is the count of section 5's network with 32 units per hidden "
                "layer. Hint: this network has 16 units per hidden layer."
            ),
            lambda n_parameters: is_number(n_parameters, _dense_count([9, 32, 32, 3])),
        ),
        Mistake(
            "multiplied-widths",
            N_(
                "n_parameters multiplies all the layer widths together, but a weight connects "
                "one unit to a unit of the next layer only. Hint: count layer by layer, "
                "inputs times units plus the biases, and add the layers up."
            ),
            lambda n_parameters: is_number(n_parameters, math.prod(_SIZES)),
        ),
        Mistake(
            "units-not-parameters",
            N_(
                "n_parameters counts units, not parameters. Hint: every unit has a weight per "
                "input and one bias."
            ),
            lambda n_parameters: any(
                is_number(n_parameters, sum(_SIZES[start:])) for start in (0, 1)
            ),
        ),
    ],
)
def check_params(n_parameters):
    """n_parameters is the parameter count of a 9-16-16-3 Dense network, biases included."""
    checks.check_number(
        n_parameters,
        _dense_count(_SIZES),
        name="n_parameters",
        hint=N_("add up, layer by layer, a weight per input and unit plus one bias per unit."),
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


def _is_pipeline(value: Any) -> bool:
    from sklearn.pipeline import Pipeline

    return isinstance(value, Pipeline)


def _is_fitted(value: Any) -> bool:
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    try:
        check_is_fitted(value)
    except NotFittedError:
        return False
    return True


def _transform(pipeline: Any, table: Any) -> np.ndarray | None:
    """The pipeline's preprocessing of ``table``, or None when it cannot read it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "X has feature names, but ... without"
            return _as_array(pipeline[:-1].transform(table))
    except Exception:
        return None


_PIPELINE_HOW = N_(
    "make_pipeline(preprocessing, LogisticRegression(max_iter=1000)), with the preprocessing "
    "of section 3 but MinMaxScaler for the numeric columns."
)


def _numeric(frame: Any, numeric_features: list[str]) -> np.ndarray:
    return frame[numeric_features].to_numpy(dtype=float)


def _scaled_with(
    minmax_baseline: Any, X_train: Any, numeric_features: list[str], low: Any, high: Any
) -> bool:
    """True if the pipeline maps the training measurements with (x - low) / (high - low)."""
    transformed = _transform(minmax_baseline, X_train)
    if transformed is None:
        return False
    raw = _numeric(X_train, numeric_features)
    rows = ~np.isnan(raw).any(axis=1)
    return _has_columns(transformed[rows], (raw[rows] - low) / (high - low))


def _standardized(minmax_baseline: Any, X_train: Any, numeric_features: list[str]) -> bool:
    """True if the pipeline standardizes the training measurements (gaps filled with the
    training median first, as section 3 does)."""
    transformed = _transform(minmax_baseline, X_train)
    if transformed is None:
        return False
    raw = _numeric(X_train, numeric_features)
    filled = np.where(np.isnan(raw), np.nanmedian(raw, axis=0), raw)
    return _has_columns(transformed, (filled - filled.mean(axis=0)) / filled.std(axis=0))


@exercise(
    "ex-tab-minmax-pipeline",
    answers=["minmax_baseline"],
    mistakes=[
        Mistake(
            "not-a-pipeline",
            N_("minmax_baseline is a {type}, not a scikit-learn Pipeline. Hint: {how}"),
            lambda minmax_baseline: (
                None
                if _is_pipeline(minmax_baseline)
                else {"type": type(minmax_baseline).__name__, "how": _(_PIPELINE_HOW)}
            ),
        ),
        Mistake(
            "lesson-baseline",
            N_(
                "minmax_baseline is the same model as the lesson's baseline, which scales "
                "with StandardScaler. Hint: build a new pipeline: {how}"
            ),
            lambda minmax_baseline, baseline: (
                {"how": _(_PIPELINE_HOW)} if same_estimator(minmax_baseline, baseline) else None
            ),
        ),
        Mistake(
            "wrong-last-step",
            N_(
                "minmax_baseline ends in {type}; the exercise asks for LogisticRegression as "
                "its last step. Hint: {how}"
            ),
            lambda minmax_baseline: (
                {"type": type(minmax_baseline[-1]).__name__, "how": _(_PIPELINE_HOW)}
                if type(minmax_baseline[-1]).__name__ != "LogisticRegression"
                else None
            ),
        ),
        Mistake(
            "not-fitted",
            N_(
                "minmax_baseline has not been fitted. Hint: call "
                "minmax_baseline.fit(X_train, y_train)."
            ),
            lambda minmax_baseline: not _is_fitted(minmax_baseline),
        ),
        Mistake(
            "fitted-on-preprocessed",
            N_(
                "minmax_baseline cannot preprocess the raw table X_train. Hint: the pipeline "
                "should start from the raw columns (fit it on X_train, not on the preprocessed "
                "x_train) and do its own imputing, encoding and scaling."
            ),
            lambda minmax_baseline, X_train: _transform(minmax_baseline, X_train) is None,
        ),
        Mistake(
            "wrong-columns",
            N_(
                "minmax_baseline's preprocessing makes {columns} columns, section 3's makes "
                "{expected}. Hint: keep the imputers and the one-hot encoding of island and "
                "sex; change only the scaler of the measurements."
            ),
            lambda minmax_baseline, X_train, x_train: (
                {
                    "columns": _transform(minmax_baseline, X_train).shape[1],
                    "expected": x_train.shape[1],
                }
                if _transform(minmax_baseline, X_train).shape[1] != x_train.shape[1]
                else None
            ),
        ),
        Mistake(
            "fitted-on-more-rows",
            N_(
                "minmax_baseline's scaler learned its statistics from {rows} rows, but the "
                "training set has {train}: a leak of validation or test penguins into the "
                "preprocessing. Hint: fit the pipeline on X_train and y_train only, once."
            ),
            lambda minmax_baseline, X_train: (
                {
                    "rows": fitted_rows(minmax_baseline),
                    "train": len(X_train),
                }
                if (fitted_rows(minmax_baseline) or 0) > len(X_train)
                else None
            ),
        ),
        Mistake(
            "still-standardizes",
            N_(
                "minmax_baseline still standardizes the measurements (mean 0, standard "
                "deviation 1 on the training set). Hint: replace StandardScaler with "
                "MinMaxScaler."
            ),
            lambda minmax_baseline, X_train, numeric_features: _standardized(
                minmax_baseline, X_train, numeric_features
            ),
        ),
        Mistake(
            "not-minmax",
            N_(
                "minmax_baseline does not scale the measurements to the range from 0 to 1 of "
                "the training set. Hint: MinMaxScaler, fitted on X_train, does exactly that."
            ),
        ),
    ],
)
def check_minmax_pipeline(
    minmax_baseline, baseline, X_train, X_val, y_val, numeric_features, x_train
):
    """minmax_baseline min-max scales with training statistics only and reaches 0.97."""
    raw = _numeric(X_train, numeric_features)
    low, high = np.nanmin(raw, axis=0), np.nanmax(raw, axis=0)
    if not _scaled_with(minmax_baseline, X_train, numeric_features, low, high):
        reject("not-minmax")
    checks.check_score(
        minmax_baseline,
        X_val,
        y_val,
        minimum=0.97,
        name="minmax_baseline",
        hint=N_("compare your pipeline with section 3's preprocessing and the baseline's model."),
    )
