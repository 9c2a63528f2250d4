"""Checks of the exercises of lesson 11, "Regression on tabular data".

Each exercise lists the mistakes its check recognises (:class:`Mistake`), in the order it
tests them; the lesson's wrong-answer cells name the one each must get. The checks compute
what they compare with from the lesson's own objects (its data, its splits, its fitted
models), so they hold whatever the seed of the run.
"""

from __future__ import annotations

import functools
import hashlib
import warnings
import weakref
from typing import Any

import numpy as np

from course_utils import checks
from course_utils.exercises import Mistake, exercise
from course_utils.exercises._common import as_number, is_number
from course_utils.i18n import N_, _

#: Relative tolerance for numbers a student computes another way (NumPy formulas, float32).
RTOL = 1e-5


def _mape(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """scikit-learn's MAPE, a fraction (its tiny floor on the denominator included)."""
    denominator = np.maximum(np.abs(y_true), np.finfo(np.float64).eps)
    return float(np.mean(np.abs(y_true - y_pred) / denominator))


def _r2(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return float(1 - np.sum((y_true - y_pred) ** 2) / np.sum((y_true - y_true.mean()) ** 2))


def _metrics(y_true: Any, y_pred: Any) -> dict[str, float]:
    """MAE, RMSE, MAPE in percent and R², as the lesson's ``scores`` computes them."""
    y_true = np.asarray(y_true, dtype=float).ravel()
    y_pred = np.asarray(y_pred, dtype=float).ravel()
    errors = y_true - y_pred
    return {
        "mae": float(np.mean(np.abs(errors))),
        "rmse": float(np.sqrt(np.mean(errors**2))),
        "mape": 100 * _mape(y_true, y_pred),
        "r2": _r2(y_true, y_pred),
    }


def _close(value: Any, number: float) -> bool:
    return is_number(value, number, rtol=RTOL)


# --- ex-rgr-metrics -------------------------------------------------------------------------

_METRICS_HINT = N_(
    'score the predictions of single_split["gradient boosting"] for X_train against y_train, '
    "with the true values first."
)


def _fingerprint(rows: Any) -> str:
    return hashlib.sha256(np.ascontiguousarray(np.asarray(rows, dtype=float)).tobytes()).hexdigest()


# model -> {fingerprint of the rows: its predictions}; a check asks for the same predictions
# several times (once per known mistake), and the model and rows stay the lesson's own.
_PREDICTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _predicted(model: Any, rows: Any, predict: Any) -> np.ndarray:
    """``predict(rows)`` as floats, computed once per model and rows."""
    known = _PREDICTIONS.setdefault(model, {})
    key = _fingerprint(rows)
    if key not in known:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1, user_api="openmp"):  # small tables: one thread
            known[key] = np.asarray(predict(rows), dtype=float)
    return known[key]


def _boosting(single_split: Any, rows: Any) -> np.ndarray:
    model = single_split["gradient boosting"]
    return _predicted(model, rows, model.predict)


def _on_training(single_split: Any, X_train: Any) -> np.ndarray:
    return _boosting(single_split, X_train)


def _test_rows(answers: dict[str, Any], single_split: Any, X_test: Any, y_test: Any) -> bool:
    """True if any of the four answers is the score of the test patients instead."""
    on_test = _metrics(y_test, _boosting(single_split, X_test))
    return any(_close(answers[name], on_test[name]) for name in on_test)


def _signed(answer: Any, y_true: Any, y_pred: np.ndarray) -> bool:
    """True if ``answer`` is the mean of the signed errors (either sign), to within float
    noise on the scale of the MAE."""
    number = as_number(answer)
    if number is None:
        return False
    errors = np.asarray(y_true, dtype=float) - y_pred
    noise = 1e-6 * float(np.mean(np.abs(errors)))
    return any(abs(number - sign * float(np.mean(errors))) <= noise for sign in (1, -1))


@exercise(
    "ex-rgr-metrics",
    answers=["train_mae", "train_rmse", "train_mape", "train_r2"],
    mistakes=[
        Mistake(
            "test-rows",
            N_(
                "your scores are gradient boosting's scores on the test patients, which "
                "section 3's table already shows. Hint: the exercise asks how well the model "
                "fits the patients it was trained on, X_train and y_train."
            ),
            lambda train_mae, train_rmse, train_mape, train_r2, single_split, X_test, y_test: (
                _test_rows(
                    {"mae": train_mae, "rmse": train_rmse, "mape": train_mape, "r2": train_r2},
                    single_split,
                    X_test,
                    y_test,
                )
            ),
        ),
        Mistake(
            "signed-errors",
            N_(
                "train_mae averages the errors with their signs, so misses above and below "
                "cancel out and the mean is near 0. Hint: the MAE averages the absolute "
                "errors, np.abs(y_train - predictions)."
            ),
            lambda train_mae, single_split, X_train, y_train: _signed(
                train_mae, y_train, _on_training(single_split, X_train)
            ),
        ),
        Mistake(
            "mse-not-rmse",
            N_(
                "train_rmse is the mean squared error, in squared progression units. Hint: the "
                "RMSE is its square root (root_mean_squared_error, or np.sqrt of the mean "
                "squared error)."
            ),
            lambda train_rmse, single_split, X_train, y_train: _close(
                train_rmse, _metrics(y_train, _on_training(single_split, X_train))["rmse"] ** 2
            ),
        ),
        Mistake(
            "mape-fraction",
            N_(
                "train_mape is a fraction: scikit-learn's mean_absolute_percentage_error "
                "returns 0.25 for 25 %. Hint: the exercise asks for the MAPE in percent."
            ),
            lambda train_mape, single_split, X_train, y_train: _close(
                train_mape, _metrics(y_train, _on_training(single_split, X_train))["mape"] / 100
            ),
        ),
        Mistake(
            "mape-swapped",
            N_(
                "train_mape divides each miss by the prediction, not by the true value: the "
                "arguments are swapped. Hint: scikit-learn's metrics take the true values "
                "first, mean_absolute_percentage_error(y_train, predictions)."
            ),
            lambda train_mape, single_split, X_train, y_train: any(
                _close(train_mape, scale * _mape(_on_training(single_split, X_train), y_train))
                for scale in (1, 100)
            ),
        ),
        Mistake(
            "r2-swapped",
            N_(
                "train_r2 measures the true values against the spread of the predictions: the "
                "arguments of r2_score are swapped. Hint: r2_score(y_train, predictions)."
            ),
            lambda train_r2, single_split, X_train, y_train: _close(
                train_r2, _r2(_on_training(single_split, X_train), np.asarray(y_train, float))
            ),
        ),
    ],
)
def check_metrics(
    train_mae, train_rmse, train_mape, train_r2, single_split, X_train, y_train, X_test, y_test
):
    """The four metrics of gradient boosting's predictions for its own training patients."""
    expected = _metrics(y_train, _on_training(single_split, X_train))
    for name, answer in [
        ("train_mae", train_mae),
        ("train_rmse", train_rmse),
        ("train_mape", train_mape),
        ("train_r2", train_r2),
    ]:
        checks.check_number(
            answer, expected[name.removeprefix("train_")], name=name, rtol=RTOL, hint=_METRICS_HINT
        )


# --- ex-rgr-unscale -------------------------------------------------------------------------


def _standardized_outputs(network: Any, rows: Any, *, scale_inputs: bool = True) -> np.ndarray:
    """The Keras model's outputs for ``rows``: standardized progression, one column."""
    inputs = np.asarray(rows, dtype="float32")
    if scale_inputs:
        inputs = network.input_scaler.transform(inputs)
    return _predicted(
        network.model, inputs, lambda values: network.model.predict(values, verbose=0)
    )


def _undone(network: Any, outputs: np.ndarray) -> np.ndarray:
    return np.asarray(network.target_scaler.inverse_transform(outputs), dtype=float).ravel()


def _per_patient(answer: Any) -> np.ndarray | None:
    """The answer as one number per row (a single column is accepted too), or None."""
    try:
        array = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    return array if array.ndim == 1 else None


def _same_values(answer: Any, expected: np.ndarray, rtol: float = 1e-4) -> bool:
    array = _per_patient(answer)
    if array is None or array.shape != np.shape(expected):
        return False
    scale = max(float(np.max(np.abs(expected))), 1e-12)
    return bool(np.allclose(array, expected, rtol=rtol, atol=rtol * scale))


_UNSCALE_HOW = N_(
    "network.model.predict(network.input_scaler.transform(...)) gives standardized "
    "progression; network.target_scaler.inverse_transform turns it into progression units."
)


@exercise(
    "ex-rgr-unscale",
    answers=["test_predictions_by_hand"],
    mistakes=[
        Mistake(
            "training-rows",
            N_(
                "test_predictions_by_hand has one prediction per training patient. Hint: the "
                "exercise asks for the {n} test patients, X_test."
            ),
            lambda test_predictions_by_hand, X_train, X_test: (
                {"n": len(X_test)}
                if (array := _per_patient(test_predictions_by_hand)) is not None
                and len(array) == len(X_train) != len(X_test)
                else None
            ),
        ),
        Mistake(
            "still-scaled",
            N_(
                "test_predictions_by_hand are still standardized: numbers around 0, not "
                "progression values. Hint: {how}"
            ),
            lambda test_predictions_by_hand, network, X_test: (
                {"how": _(_UNSCALE_HOW)}
                if _same_values(
                    test_predictions_by_hand, _standardized_outputs(network, X_test).ravel()
                )
                else None
            ),
        ),
        Mistake(
            "scaled-twice",
            N_(
                "test_predictions_by_hand were standardized a second time: transform "
                "standardizes, inverse_transform undoes it. Hint: {how}"
            ),
            lambda test_predictions_by_hand, network, X_test: (
                {"how": _(_UNSCALE_HOW)}
                if _same_values(
                    test_predictions_by_hand,
                    np.asarray(
                        network.target_scaler.transform(_standardized_outputs(network, X_test))
                    ).ravel(),
                )
                else None
            ),
        ),
        Mistake(
            "test-statistics",
            N_(
                "test_predictions_by_hand undo the scaling with the test patients' own mean "
                "and standard deviation, which a model cannot know when it predicts (and "
                "which are not the ones the network was trained with). Hint: use the scaler "
                "fitted on the training targets, network.target_scaler."
            ),
            lambda test_predictions_by_hand, network, X_test, y_test: any(
                _same_values(
                    test_predictions_by_hand,
                    _standardized_outputs(network, X_test).ravel() * np.std(y_test, ddof=ddof)
                    + np.mean(y_test),
                )
                for ddof in (0, 1)
            ),
        ),
        Mistake(
            "mean-not-added",
            N_(
                "test_predictions_by_hand were multiplied by the training targets' standard "
                "deviation, but their mean was never added back. Hint: {how}"
            ),
            lambda test_predictions_by_hand, network, X_test: (
                {"how": _(_UNSCALE_HOW)}
                if _same_values(
                    test_predictions_by_hand,
                    _standardized_outputs(network, X_test).ravel()
                    * float(network.target_scaler.scale_[0]),
                )
                else None
            ),
        ),
        Mistake(
            "inputs-not-scaled",
            N_(
                "the network was given the raw measurements, but it was trained on "
                "standardized ones. Hint: pass X_test through network.input_scaler.transform "
                "before network.model.predict."
            ),
            lambda test_predictions_by_hand, network, X_test: _same_values(
                test_predictions_by_hand,
                _undone(network, _standardized_outputs(network, X_test, scale_inputs=False)),
            ),
        ),
    ],
)
def check_unscale(test_predictions_by_hand, network, X_train, X_test, y_test):
    """The network's test predictions in progression units (one column accepted too)."""
    expected = _undone(network, _standardized_outputs(network, X_test))
    answer = _per_patient(test_predictions_by_hand)
    checks.check_array(
        test_predictions_by_hand if answer is None else answer,
        expected,
        name="test_predictions_by_hand",
        rtol=1e-4,
        hint=_UNSCALE_HOW,
    )


# --- ex-rgr-ridge-cv ------------------------------------------------------------------------


def _key(X: Any, y: Any, splits: Any) -> str:
    digest = hashlib.sha256(np.ascontiguousarray(np.asarray(X, dtype=float)).tobytes())
    digest.update(np.ascontiguousarray(np.asarray(y, dtype=float)).tobytes())
    digest.update(repr(splits).encode())
    return digest.hexdigest()


_FRAMES: dict[str, tuple[Any, Any, Any]] = {}


@functools.lru_cache(maxsize=4)
def _ridge_variants(key: str) -> dict[str, np.ndarray]:
    """The per-split scores of the right pipeline and of the known wrong ones."""
    from sklearn.linear_model import LinearRegression, Ridge
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y, splits = _FRAMES[key]

    def mae(estimator: Any, features: Any = X, cv: Any = splits) -> np.ndarray:
        return -cross_val_score(estimator, features, y, cv=cv, scoring="neg_mean_absolute_error")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            "right": mae(make_pipeline(StandardScaler(), Ridge(alpha=10.0))),
            "other-splits": mae(make_pipeline(StandardScaler(), Ridge(alpha=10.0)), cv=5),
            "scaled-before-splitting": mae(Ridge(alpha=10.0), StandardScaler().fit_transform(X)),
            "no-scaler": mae(Ridge(alpha=10.0)),
            "other-alpha": mae(make_pipeline(StandardScaler(), Ridge())),
            "r2-not-mae": cross_val_score(
                make_pipeline(StandardScaler(), Ridge(alpha=10.0)), X, y, cv=splits
            ),
            "linear-regression": mae(make_pipeline(StandardScaler(), LinearRegression())),
        }


def _variants(X: Any, y: Any, splits: Any) -> dict[str, np.ndarray]:
    key = _key(X, y, splits)
    _FRAMES[key] = (X, y, splits)
    return _ridge_variants(key)


def _matches(answer: Any, values: np.ndarray) -> bool:
    return _same_values(answer, values, rtol=1e-6)


def _variant_mistake(variant: str):
    return lambda ridge_mae, X, y, splits: _matches(ridge_mae, _variants(X, y, splits)[variant])


@exercise(
    "ex-rgr-ridge-cv",
    answers=["ridge_mae"],
    mistakes=[
        Mistake(
            "averaged",
            N_(
                "ridge_mae is one number, the average. Hint: store all ten scores, one per "
                "split, in the order cross-validation gives them."
            ),
            lambda ridge_mae, X, y, splits: (
                (number := as_number(ridge_mae)) is not None
                and any(
                    _close(number, float(np.mean(values)))
                    for values in (
                        _variants(X, y, splits)["right"],
                        -_variants(X, y, splits)["right"],
                    )
                )
            ),
        ),
        Mistake(
            "negative-scores",
            N_(
                'ridge_mae holds negative numbers: scoring="neg_mean_absolute_error" returns '
                "the MAE with a minus sign, because scikit-learn's scores are \"higher is "
                'better". Hint: negate the scores.'
            ),
            lambda ridge_mae, X, y, splits: _matches(ridge_mae, -_variants(X, y, splits)["right"]),
        ),
        Mistake(
            "r2-not-mae",
            N_(
                "ridge_mae holds R² values, cross_val_score's default score for a regressor. "
                'Hint: ask for the MAE with scoring="neg_mean_absolute_error".'
            ),
            _variant_mistake("r2-not-mae"),
        ),
        Mistake(
            "other-splits",
            N_(
                "ridge_mae comes from cv=5, five unshuffled folds, not from section 5's ten "
                "splits. Hint: pass cv=splits, so that Ridge is scored on the same held-out "
                "patients as the other models."
            ),
            _variant_mistake("other-splits"),
        ),
        Mistake(
            "scaled-before-splitting",
            N_(
                "ridge_mae comes from measurements scaled with all 442 patients before "
                "cross-validation, so every held-out part shaped the scaling of its training "
                "part: a leak. Hint: put the StandardScaler inside the pipeline and give "
                "cross_val_score the raw X."
            ),
            _variant_mistake("scaled-before-splitting"),
        ),
        Mistake(
            "no-scaler",
            N_(
                "ridge_mae comes from Ridge on the raw measurements. The penalty then depends "
                "on the units of each measurement. Hint: the exercise's pipeline "
                "standardizes first: make_pipeline(StandardScaler(), Ridge(alpha=10.0))."
            ),
            _variant_mistake("no-scaler"),
        ),
        Mistake(
            "other-alpha",
            N_(
                "ridge_mae comes from Ridge's default penalty, alpha=1.0. Hint: the exercise "
                "asks for Ridge(alpha=10.0)."
            ),
            _variant_mistake("other-alpha"),
        ),
        Mistake(
            "linear-regression",
            N_(
                "ridge_mae holds the scores of plain linear regression from section 5. Hint: "
                "cross-validate the Ridge pipeline itself."
            ),
            _variant_mistake("linear-regression"),
        ),
    ],
)
def check_ridge_cv(ridge_mae, X, y, splits):
    """Ridge(alpha=10) after a StandardScaler, MAE per split of the lesson's splits."""
    expected = _variants(X, y, splits)["right"]
    answer = _per_patient(ridge_mae)
    checks.check_array(
        ridge_mae if answer is None else answer,
        expected,
        name="ridge_mae",
        rtol=1e-6,
        hint=N_(
            "score the exercise's pipeline with cross_val_score on section 5's splits, "
            "with the MAE as the score, and turn the scores into positive MAEs."
        ),
    )
