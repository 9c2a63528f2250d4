"""Checks of the exercises of lesson 4, "Overfitting and regularization".

Each exercise lists the mistakes its check recognises (:class:`Mistake`), in the order it
tests them; the lesson's wrong-answer cells name the one each must get.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from course_utils import checks
from course_utils.exercises import Mistake, exercise
from course_utils.exercises._common import (
    as_number,
    history_of,
    is_keras_model,
    same_keras_model,
    training_steps,
)
from course_utils.i18n import N_, _

BATCH = 32  # the lesson's BATCH_SIZE, which its train function uses


def _kernels(model: Any) -> list[Any]:
    """The layers of ``model`` that have a kernel (Dense layers), in order."""
    return [layer for layer in model.layers if hasattr(layer, "kernel")]


def _hidden(model: Any) -> list[Any]:
    """The Dense layers before the output layer: those make_model gives its penalty."""
    return _kernels(model)[:-1]


def _squares(array: Any) -> float:
    return float(np.square(np.asarray(array, dtype=np.float64)).sum())


# --- ex-reg-l2-by-hand --------------------------------------------------------------

_STRENGTH = 0.01
_L2_RTOL = 1e-4
_L2_HOW = N_(
    "apply the formula of section 4 to the kernel of every layer that make_model gives a "
    "kernel_regularizer, and add the results."
)


def _penalized(model: Any) -> list[Any]:
    return [layer for layer in _kernels(model) if layer.kernel_regularizer is not None]


def _l2_term(models: Mapping[str, Any]) -> float:
    """The L2 term in the loss of models["L2 0.01"]: 0.01 times its penalized kernels'
    sums of squares."""
    return _STRENGTH * sum(_squares(layer.kernel) for layer in _penalized(models["L2 0.01"]))


def _near(l2_penalty: Any, candidate: float, models: Mapping[str, Any], rtol: float = _L2_RTOL):
    """True if ``l2_penalty`` is ``candidate`` (within ``rtol``) but not the right term."""
    number = as_number(l2_penalty)
    if number is None:
        return False
    right = math.isclose(number, _l2_term(models), rel_tol=_L2_RTOL)
    return not right and math.isclose(number, candidate, rel_tol=rtol)


def _initial_kernel(layer: Any) -> np.ndarray | None:
    """The kernel the layer started with (its initializer, called again, gives it again:
    Keras draws an initializer's seed once, when it is created); None if unknown."""
    import keras

    initializer = getattr(layer, "kernel_initializer", None)
    if isinstance(getattr(initializer, "seed", None), keras.random.SeedGenerator):
        return None  # a new draw on every call: the start cannot be reproduced
    try:
        initial = np.asarray(
            layer.kernel_initializer(tuple(layer.kernel.shape), dtype=layer.kernel.dtype)
        )
    except Exception:
        return None
    return initial if initial.shape == tuple(layer.kernel.shape) else None


def _untrained_term(models: Mapping[str, Any]) -> float | None:
    kernels = [_initial_kernel(layer) for layer in _penalized(models["L2 0.01"])]
    if any(kernel is None for kernel in kernels):
        return None
    return _STRENGTH * sum(_squares(kernel) for kernel in kernels)


def _other_model(l2_penalty: Any, models: Mapping[str, Any]) -> dict[str, str] | None:
    """The other lesson model whose hidden kernels give ``l2_penalty`` (with 0.01 or with
    its own L2 strength), if any."""
    for name, model in models.items():
        if name == "L2 0.01":
            continue
        total = sum(_squares(layer.kernel) for layer in _hidden(model))
        strengths = {_STRENGTH}
        for layer in _hidden(model):
            own = float(getattr(layer.kernel_regularizer, "l2", 0.0) or 0.0)
            if own > 0:
                strengths.add(own)
        if any(_near(l2_penalty, strength * total, models) for strength in strengths):
            return {"name": name}
    return None


@exercise(
    "ex-reg-l2-by-hand",
    answers=["l2_penalty"],
    mistakes=[
        Mistake(
            "half-factor",
            N_(
                "l2_penalty has a factor 1/2 in front of the sum, as some textbooks write the "
                "L2 penalty. Hint: check section 4 for the formula Keras uses."
            ),
            lambda l2_penalty, models: _near(l2_penalty, _l2_term(models) / 2, models),
        ),
        Mistake(
            "biases-included",
            N_(
                "l2_penalty also penalizes the biases. Hint: kernel_regularizer applies to the "
                "layer's weight matrix (its kernel) only."
            ),
            lambda l2_penalty, models: _near(
                l2_penalty,
                _l2_term(models)
                + _STRENGTH * sum(_squares(layer.bias) for layer in _penalized(models["L2 0.01"])),
                models,
            ),
        ),
        Mistake(
            "output-layer-included",
            N_(
                "l2_penalty also counts the output layer, which make_model builds without a "
                "penalty. Hint: {how}"
            ),
            lambda l2_penalty, models: (
                {"how": _(_L2_HOW)}
                if any(
                    _near(l2_penalty, _STRENGTH * sum(_squares(x) for x in arrays), models)
                    for arrays in (
                        [layer.kernel for layer in _kernels(models["L2 0.01"])],
                        [
                            v
                            for layer in _kernels(models["L2 0.01"])
                            for v in (layer.kernel, layer.bias)
                        ],
                    )
                )
                else None
            ),
        ),
        Mistake(
            "one-layer-only",
            N_("l2_penalty counts one of the penalized layers only. Hint: {how}"),
            lambda l2_penalty, models: (
                {"how": _(_L2_HOW)}
                if any(
                    _near(l2_penalty, _STRENGTH * _squares(layer.kernel), models)
                    for layer in _penalized(models["L2 0.01"])
                )
                else None
            ),
        ),
        Mistake(
            "no-strength",
            N_(
                "l2_penalty is the sum of the squared weights without the strength λ of "
                "regularizers.L2(0.01). Hint: {how}"
            ),
            lambda l2_penalty, models: (
                {"how": _(_L2_HOW)}
                if _near(l2_penalty, _l2_term(models) / _STRENGTH, models)
                else None
            ),
        ),
        Mistake(
            "mean-not-sum",
            N_(
                "l2_penalty averages the squared weights, but Keras adds them up: the penalty "
                "is λ times the sum over every weight of the kernel, with no mean. Hint: "
                "np.sum, not np.mean."
            ),
            lambda l2_penalty, models: _near(
                l2_penalty,
                _STRENGTH
                * sum(
                    _squares(layer.kernel) / np.size(layer.kernel)
                    for layer in _penalized(models["L2 0.01"])
                ),
                models,
            ),
        ),
        Mistake(
            "norm-not-squared",
            N_(
                "l2_penalty takes the square root of the sum of squares (the length of the "
                "weights, np.linalg.norm); the L2 penalty leaves the squares summed, without "
                "the root. Hint: {how}"
            ),
            lambda l2_penalty, models: (
                {"how": _(_L2_HOW)}
                if _near(
                    l2_penalty,
                    _STRENGTH
                    * sum(
                        math.sqrt(_squares(layer.kernel)) for layer in _penalized(models["L2 0.01"])
                    ),
                    models,
                )
                else None
            ),
        ),
        Mistake(
            "absolute-values",
            N_(
                "l2_penalty adds up absolute values of the weights, which is the L1 penalty. "
                "Hint: {how}"
            ),
            lambda l2_penalty, models: (
                {"how": _(_L2_HOW)}
                if _near(
                    l2_penalty,
                    _STRENGTH
                    * sum(
                        float(np.abs(np.asarray(layer.kernel, dtype=np.float64)).sum())
                        for layer in _penalized(models["L2 0.01"])
                    ),
                    models,
                )
                else None
            ),
        ),
        Mistake(
            "logged-gap",
            N_(
                "l2_penalty is the gap between loss and cross_entropy that fit(...) logged in the "
                "last epoch: an average over the epoch's batches, while the weights were still "
                "changing. Hint: compute the term from the trained weights; {how}"
            ),
            lambda l2_penalty, models, histories: (
                {"how": _(_L2_HOW)}
                if _near(
                    l2_penalty,
                    histories["L2 0.01"].history["loss"][-1]
                    - histories["L2 0.01"].history["cross_entropy"][-1],
                    models,
                    rtol=1e-2,
                )
                else None
            ),
        ),
        Mistake(
            "untrained-weights",
            N_(
                "l2_penalty is the penalty of the weights a new make_model(...) starts with, "
                "not of the trained model. Hint: compute it from the weights of "
                "models['L2 0.01'] itself, which fit(...) has trained."
            ),
            lambda l2_penalty, models: (
                _untrained_term(models) is not None
                and _near(l2_penalty, _untrained_term(models), models)
            ),
        ),
        Mistake(
            "other-model",
            N_(
                "l2_penalty was computed from the weights of models['{name}']; the exercise "
                "asks about models['L2 0.01']."
            ),
            _other_model,
        ),
    ],
)
def check_l2_by_hand(l2_penalty, models, histories):
    """l2_penalty is the L2 term that models["L2 0.01"]'s loss contains, from its weights."""
    checks.check_number(
        l2_penalty, _l2_term(models), rtol=_L2_RTOL, name="l2_penalty", hint=_L2_HOW
    )


# --- ex-reg-dropout-inference ---------------------------------------------------------

_DIFFERENCES = ("predict_difference", "training_difference")
_LARGEST_HOW = N_("the largest absolute difference between two outputs, np.abs(a - b).max().")


def _training_outputs(model: Any, x: Any, rng: np.random.Generator) -> np.ndarray:
    """One training-mode output of a Sequential model of Dense and Dropout layers, with
    the dropout masks drawn from ``rng`` (so that the check itself is repeatable)."""
    values = np.asarray(x, dtype=np.float32)
    for layer in model.layers:
        if type(layer).__name__ == "Dropout":
            rate = float(layer.rate)
            values = values * (rng.random(values.shape) >= rate) / (1.0 - rate)
        else:
            values = np.asarray(layer(values.astype(np.float32)))
    return values


def _smallest_largest_difference(models: Mapping[str, Any], x_val: Any) -> float:
    """The smallest, over a few pairs of training-mode outputs of the dropout model, of
    the largest absolute difference between the two outputs of a pair."""
    rng = np.random.default_rng(0)
    model = models["dropout 0.5"]
    largest = []
    for _pair in range(6):
        first, second = (_training_outputs(model, x_val, rng) for _call in range(2))
        largest.append(float(np.abs(first - second).max()))
    return min(largest)


def _found(values: Mapping[str, Any], test) -> dict[str, Any] | None:
    """{"name": ...} for the first of the two differences for which ``test`` holds."""
    for name in _DIFFERENCES:
        found = test(values[name])
        if found:
            return {"name": name, **(found if isinstance(found, dict) else {})}
    return None


@exercise(
    "ex-reg-dropout-inference",
    answers=["same_predictions", "predict_difference", "training_difference"],
    mistakes=[
        Mistake(
            "compared-not-measured",
            N_(
                "{name} is {value}, the result of a comparison; the exercise asks for a number, "
                "how far apart the two outputs are. Hint: {how}"
            ),
            lambda predict_difference, training_difference: _found(
                {
                    "predict_difference": predict_difference,
                    "training_difference": training_difference,
                },
                lambda value: (
                    {"value": repr(bool(value)), "how": _(_LARGEST_HOW)}
                    if isinstance(value, (bool, np.bool_))
                    else None
                ),
            ),
        ),
        Mistake(
            "not-reduced",
            N_(
                "{name} holds {size} values, one difference per output; the exercise asks for "
                "the largest of them, one number. Hint: {how}"
            ),
            lambda predict_difference, training_difference: _found(
                {
                    "predict_difference": predict_difference,
                    "training_difference": training_difference,
                },
                lambda value: (
                    {"size": np.size(value), "how": _(_LARGEST_HOW)}
                    if isinstance(value, (np.ndarray, list, tuple)) and np.size(value) > 1
                    else None
                ),
            ),
        ),
        Mistake(
            "negative-difference",
            N_(
                "{name} is negative, but an absolute difference cannot be. Hint: take "
                "np.abs(a - b) before .max()."
            ),
            lambda predict_difference, training_difference: _found(
                {
                    "predict_difference": predict_difference,
                    "training_difference": training_difference,
                },
                lambda value: as_number(value) is not None and as_number(value) < 0,
            ),
        ),
        Mistake(
            "above-one",
            N_(
                "{name} is larger than 1, but two predicted probabilities differ by at most 1: "
                "it looks like a sum of the differences. Hint: {how}"
            ),
            lambda predict_difference, training_difference: _found(
                {
                    "predict_difference": predict_difference,
                    "training_difference": training_difference,
                },
                lambda value: (
                    {"how": _(_LARGEST_HOW)}
                    if as_number(value) is not None and as_number(value) > 1
                    else None
                ),
            ),
        ),
        Mistake(
            "predict-differs",
            N_(
                "predict_difference is not what two calls of predict on one model give. Hint: "
                "call models['dropout 0.5'].predict(x_val, verbose=0) twice, without "
                "training=..., and compare the two outputs."
            ),
            lambda predict_difference: (
                as_number(predict_difference) is not None and as_number(predict_difference) > 1e-6
            ),
        ),
        Mistake(
            "no-training-difference",
            N_(
                "training_difference shows no difference between your two calls in training "
                "mode. Hint: call the dropout model itself, models['dropout 0.5'](x_val, "
                "training=True), twice; a model without Dropout layers, or a call without "
                "training=True, gives the same output twice."
            ),
            lambda training_difference: (
                as_number(training_difference) is not None and as_number(training_difference) < 1e-3
            ),
        ),
        Mistake(
            "mean-not-largest",
            N_(
                "training_difference is far smaller than what the largest difference between "
                "two training-mode outputs of the dropout model comes to: it looks like a mean "
                "of the differences (or the largest over a few patients only). Hint: {how}"
            ),
            lambda training_difference, models, x_val: (
                {"how": _(_LARGEST_HOW)}
                if as_number(training_difference) is not None
                and as_number(training_difference)
                < 0.4 * _smallest_largest_difference(models, x_val)
                else None
            ),
        ),
        Mistake(
            "answered-no",
            N_(
                "same_predictions does not agree with your own measurement. Hint: look at "
                "predict_difference, and ask in which mode predict runs the model."
            ),
            lambda same_predictions: (
                isinstance(same_predictions, str) and same_predictions.strip().lower() == "no"
            ),
        ),
    ],
)
def check_dropout_inference(
    same_predictions, predict_difference, training_difference, models, x_val
):
    """The two differences were measured on the dropout model; same_predictions agrees."""
    checks.check_number(
        predict_difference, 0.0, atol=1e-6, name="predict_difference", hint=_LARGEST_HOW
    )
    if as_number(training_difference) is None:  # a number of any size passed the tests above
        checks.check_number(training_difference, 0.5, name="training_difference", hint=_LARGEST_HOW)
    checks.check_choice(same_predictions, "yes", options=["yes", "no"], name="same_predictions")


# --- ex-reg-sparse-penalty ------------------------------------------------------------

_THRESHOLD = 1e-3
_SPARSE_HOW = N_(
    "for each model, take the first layer's kernel (one row per input column), mark the "
    "weights with |w| < 0.001 and average each row: np.mean(..., axis=1)."
)
_SOURCES = {"L1": "L1 0.001", "L2": "L2 0.01"}


def _kernel(model: Any, index: int = 0) -> np.ndarray:
    return np.asarray(_kernels(model)[index].kernel)


def _row_shares(model: Any) -> np.ndarray:
    """The share of practically zero weights in each row of the first layer's kernel."""
    return np.mean(np.abs(_kernel(model)) < _THRESHOLD, axis=1)


def _as_floats(value: Any) -> np.ndarray | None:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return array


def _same(value: Any, expected: np.ndarray) -> bool:
    array = _as_floats(value)
    return (
        array is not None
        and array.shape == expected.shape
        and bool(np.allclose(array, expected, atol=1e-9))
    )


def _keys_right(near_zero_by_input: Any) -> bool:
    return isinstance(near_zero_by_input, dict) and sorted(near_zero_by_input, key=str) == [
        "L1",
        "L2",
    ]


def _per_key(
    near_zero_by_input: Any, models: Mapping[str, Any], candidate
) -> dict[str, Any] | None:
    """{"key": ...} for the first key whose array is ``candidate(key, model)`` and not the
    right one; None if the keys are not the exercise's."""
    if not _keys_right(near_zero_by_input):
        return None
    for key, variant in _SOURCES.items():
        model = models[variant]
        value = near_zero_by_input[key]
        if _same(value, _row_shares(model)):
            continue
        found = candidate(key, model, value)
        if found:
            return {"key": key, **(found if isinstance(found, dict) else {})}
    return None


def _other_lesson_model(key: str, value: Any, models: Mapping[str, Any]) -> dict | None:
    for name, model in models.items():
        if name == _SOURCES[key]:
            continue
        if _kernel(model).shape[0] == _kernel(models[_SOURCES[key]]).shape[0] and _same(
            value, _row_shares(model)
        ):
            return {"name": name}
    return None


@exercise(
    "ex-reg-sparse-penalty",
    answers=["near_zero_by_input", "sparse_penalty"],
    mistakes=[
        Mistake(
            "wrong-keys",
            N_(
                "near_zero_by_input should be a dict with the keys 'L1' and 'L2', one array "
                "per model; it is {what}. Hint: {how}"
            ),
            lambda near_zero_by_input: (
                None
                if _keys_right(near_zero_by_input)
                else {
                    "what": (
                        _("a dict with the keys {keys}").format(
                            keys=", ".join(repr(k) for k in near_zero_by_input)
                        )
                        if isinstance(near_zero_by_input, dict)
                        else _("a {type}").format(type=type(near_zero_by_input).__name__)
                    ),
                    "how": _(_SPARSE_HOW),
                }
            ),
        ),
        Mistake(
            "overall-share",
            N_(
                "near_zero_by_input['{key}'] is one number, the share over the whole kernel "
                "(what share_near_zero of section 4 computes); the exercise asks for one share "
                "per input, a row of the kernel each. Hint: {how}"
            ),
            lambda near_zero_by_input, models: _per_key(
                near_zero_by_input,
                models,
                lambda key, model, value: (
                    {"how": _(_SPARSE_HOW)}
                    if _as_floats(value) is not None and np.size(value) == 1
                    else None
                ),
            ),
        ),
        Mistake(
            "second-layer",
            N_(
                "near_zero_by_input['{key}'] was measured on the kernel of the second hidden "
                "layer. Hint: model.layers[0] is the first Dense layer (keras.Input is not a "
                "layer of the model), and its kernel has one row per input column."
            ),
            lambda near_zero_by_input, models: _per_key(
                near_zero_by_input,
                models,
                lambda key, model, value: _same(
                    value, np.mean(np.abs(_kernel(model, 1)) < _THRESHOLD, axis=1)
                ),
            ),
        ),
        Mistake(
            "per-unit",
            N_(
                "near_zero_by_input['{key}'] has one value per unit ({units}), not one per "
                "input column ({inputs}). Hint: the kernel's rows are the inputs; average "
                "along axis=1."
            ),
            lambda near_zero_by_input, models: _per_key(
                near_zero_by_input,
                models,
                lambda key, model, value: (
                    {"units": _kernel(model).shape[1], "inputs": _kernel(model).shape[0]}
                    if _as_floats(value) is not None
                    and np.shape(_as_floats(value)) == (_kernel(model).shape[1],)
                    else None
                ),
            ),
        ),
        Mistake(
            "counts-not-shares",
            N_(
                "near_zero_by_input['{key}'] counts the practically zero weights of each row; "
                "the exercise asks for their share. Hint: np.mean instead of np.sum (or divide "
                "by the row's length)."
            ),
            lambda near_zero_by_input, models: _per_key(
                near_zero_by_input,
                models,
                lambda key, model, value: _same(
                    value, np.sum(np.abs(_kernel(model)) < _THRESHOLD, axis=1).astype(float)
                ),
            ),
        ),
        Mistake(
            "no-absolute-value",
            N_(
                "near_zero_by_input['{key}'] counts every negative weight as near zero. Hint: "
                "compare the absolute value |w| with 0.001."
            ),
            lambda near_zero_by_input, models: _per_key(
                near_zero_by_input,
                models,
                lambda key, model, value: _same(
                    value, np.mean(_kernel(model) < _THRESHOLD, axis=1)
                ),
            ),
        ),
        Mistake(
            "exactly-zero",
            N_(
                "near_zero_by_input['{key}'] counts only the weights that are exactly 0. Hint: "
                "the exercise counts the practically zero ones, |w| < 0.001; L1 pushes weights "
                "close to zero, rarely onto it."
            ),
            lambda near_zero_by_input, models: _per_key(
                near_zero_by_input,
                models,
                lambda key, model, value: _same(value, np.mean(_kernel(model) == 0, axis=1)),
            ),
        ),
        Mistake(
            "not-near-zero",
            N_(
                "near_zero_by_input['{key}'] holds the share of weights that are not "
                "practically zero. Hint: mark the weights with |w| < 0.001."
            ),
            lambda near_zero_by_input, models: _per_key(
                near_zero_by_input,
                models,
                lambda key, model, value: _same(value, 1.0 - _row_shares(model)),
            ),
        ),
        Mistake(
            "swapped-models",
            N_(
                "near_zero_by_input['{key}'] was measured on the other model. Hint: 'L1' is "
                "models['L1 0.001'], 'L2' is models['L2 0.01']."
            ),
            lambda near_zero_by_input, models: _per_key(
                near_zero_by_input,
                models,
                lambda key, model, value: _same(
                    value, _row_shares(models[_SOURCES["L2" if key == "L1" else "L1"]])
                ),
            ),
        ),
        Mistake(
            "other-model",
            N_(
                "near_zero_by_input['{key}'] was measured on models['{name}']. Hint: 'L1' is "
                "models['L1 0.001'], 'L2' is models['L2 0.01']."
            ),
            lambda near_zero_by_input, models: _per_key(
                near_zero_by_input,
                models,
                lambda key, model, value: _other_lesson_model(key, value, models),
            ),
        ),
        Mistake(
            "answered-l2",
            N_(
                "sparse_penalty does not agree with your measurement. Hint: compare your two "
                "arrays row by row; in which model is the share of practically zero weights "
                "higher for (nearly) every input?"
            ),
            lambda sparse_penalty: (
                isinstance(sparse_penalty, str) and sparse_penalty.strip().upper() == "L2"
            ),
        ),
    ],
)
def check_sparse_penalty(near_zero_by_input, sparse_penalty, models):
    """near_zero_by_input: per-input zero shares of both models; sparse_penalty agrees."""
    for key, variant in _SOURCES.items():
        checks.check_array(
            near_zero_by_input[key],
            _row_shares(models[variant]),
            atol=1e-9,
            name=f"near_zero_by_input['{key}']",
            hint=_SPARSE_HOW,
        )
    checks.check_choice(sparse_penalty, "L1", options=["L1", "L2"], name="sparse_penalty")


# --- ex-reg-your-model ----------------------------------------------------------------

_YOUR_HOW = N_(
    "build it with make_model(...), passing a kernel_regularizer or a dropout rate, and "
    "train it with regularized_history = train(regularized_model, ...)."
)
# Keras sums the penalty over every weight, so the strengths worth searching are small.
_USUAL = {"L2": (0.0001, 0.01), "L1": (0.0001, 0.01)}
_RATES = (0.2, 0.5)


def _penalties(model: Any) -> list[tuple[str, float]]:
    """The (kind, strength) of every kernel penalty in the model, for example ("L2", 0.01)."""
    found = []
    for layer in _kernels(model):
        regularizer = layer.kernel_regularizer
        if regularizer is None:
            continue
        for kind in ("l1", "l2"):
            strength = float(getattr(regularizer, kind, 0.0) or 0.0)
            if strength > 0:
                found.append((kind.upper(), strength))
    return found


def _dropout_rates(model: Any) -> list[float]:
    return [float(layer.rate) for layer in model.layers if type(layer).__name__ == "Dropout"]


def _is_history(value: Any) -> bool:
    import keras

    return isinstance(value, keras.callbacks.History) and history_of(value) is not None


def _both(regularized_model: Any, regularized_history: Any) -> bool:
    """A Keras model with weights and a History: what the tests below can look into."""
    return (
        is_keras_model(regularized_model)
        and regularized_model.built
        and _is_history(regularized_history)
    )


def _steps_per_epoch(history: Any) -> int | None:
    steps = (getattr(history, "params", None) or {}).get("steps")
    return int(steps) if isinstance(steps, (int, np.integer)) else None


def _epochs_run(history: Any) -> int:
    return len(history_of(history).get("loss", []))


_NO_VALIDATION = N_(
    "it was trained without validation data, so neither you nor a callback could see whether "
    "it overfits"
)
_OTHER_BATCHES = N_(
    "it made {steps} weight updates per epoch, where train makes {expected}, one per batch of "
    "32 of the {rows} training patients"
)


def _not_like_train(regularized_model, regularized_history, x_train) -> dict[str, str] | None:
    """What differs from a run of train: validation data, and batches of 32 of x_train."""
    if not _both(regularized_model, regularized_history):
        return None
    if not any(key.startswith("val_") for key in history_of(regularized_history)):
        return {"problem": _(_NO_VALIDATION)}
    steps, expected = _steps_per_epoch(regularized_history), math.ceil(len(x_train) / BATCH)
    if steps != expected:
        return {
            "problem": _(_OTHER_BATCHES).format(steps=steps, expected=expected, rows=len(x_train))
        }
    return None


def _lesson_model(regularized_model: Any, models: Mapping[str, Any], baseline_model: Any):
    if not is_keras_model(regularized_model):
        return None
    lesson = {"no regularization": baseline_model, **models}
    for name, model in lesson.items():
        if same_keras_model(regularized_model, model):
            return {"name": name, "how": _(_YOUR_HOW)}
    return None


def _out_of_range_penalty(regularized_model: Any) -> dict[str, Any] | None:
    if not is_keras_model(regularized_model):
        return None
    for kind, strength in _penalties(regularized_model):
        low, high = _USUAL[kind]
        if not low <= strength <= high:
            return {
                "kind": kind,
                "strength": f"{strength:g}",
                "low": f"{low:g}",
                "high": f"{high:g}",
            }
    return None


def _out_of_range_rate(regularized_model: Any) -> dict[str, Any] | None:
    if not is_keras_model(regularized_model):
        return None
    for rate in _dropout_rates(regularized_model):
        if not _RATES[0] <= rate <= _RATES[1]:
            return {"rate": f"{rate:g}"}
    return None


def _kept_last_weights(regularized_model, regularized_history, x_val, y_val) -> bool:
    """True if training stopped early and the model has the weights of its last epoch
    (patience epochs past the best), which restore_best_weights=True would have replaced."""
    logs = history_of(regularized_history)
    epochs_run = _epochs_run(regularized_history)
    stopped_early = epochs_run < regularized_history.params.get("epochs", epochs_run)
    if not stopped_early or "val_loss" not in logs:
        return False
    val_loss = regularized_model.evaluate(x_val, y_val, verbose=0, return_dict=True)["loss"]
    last, best = logs["val_loss"][-1], min(logs["val_loss"])
    return math.isclose(val_loss, last, rel_tol=1e-5) and not math.isclose(
        val_loss, best, rel_tol=1e-5
    )


@exercise(
    "ex-reg-your-model",
    answers=["regularized_model", "regularized_history"],
    mistakes=[
        Mistake(
            "not-a-history",
            N_(
                "regularized_history is a {type}; it should be what train returns, the History "
                "of fit(...) (regularized_history = train(regularized_model, ...))."
            ),
            lambda regularized_history: (
                None
                if _is_history(regularized_history)
                else {"type": type(regularized_history).__name__}
            ),
        ),
        Mistake(
            "lesson-model",
            N_(
                "regularized_model is the lesson's model '{name}' (the same settings and "
                "weights: that model, or its recipe trained again the same way); the exercise "
                "asks for a mix of your own. Hint: {how}"
            ),
            _lesson_model,
        ),
        Mistake(
            "penalty-out-of-range",
            N_(
                "regularized_model has an {kind} penalty of strength {strength}, outside the "
                "usual range of {kind} ({low} to {high}). Hint: choose a strength within it."
            ),
            _out_of_range_penalty,
        ),
        Mistake(
            "dropout-out-of-range",
            N_(
                "regularized_model has a Dropout rate of {rate}, outside the usual 0.2 to 0.5; "
                "the rate is the share of units dropped, not kept. Hint: choose a rate within "
                "it."
            ),
            _out_of_range_rate,
        ),
        Mistake(
            "not-trained",
            N_(
                "regularized_model has not been trained, so its weights are still random. "
                "Hint: {how}"
            ),
            lambda regularized_model: (
                {"how": _(_YOUR_HOW)}
                if is_keras_model(regularized_model)
                and regularized_model.built
                and training_steps(regularized_model) == 0
                else None
            ),
        ),
        Mistake(
            "other-history",
            N_(
                "regularized_history belongs to another model than regularized_model: the "
                "model it trained has other weights. Hint: keep what "
                "train(regularized_model, ...) returns, and do not build or train the model "
                "again afterwards."
            ),
            lambda regularized_model, regularized_history: (
                _both(regularized_model, regularized_history)
                and not same_keras_model(regularized_model, regularized_history.model)
            ),
        ),
        Mistake(
            "trained-on-validation-rows",
            N_(
                "regularized_model made {steps} weight updates per epoch, as many as batches "
                "of 32 of the training and validation patients together: the validation rows "
                "leaked into the training, and the validation loss no longer measures "
                "overfitting. Hint: train it on x_train only, with train(regularized_model, "
                "...)."
            ),
            lambda regularized_model, regularized_history, x_train, x_val: (
                {"steps": _steps_per_epoch(regularized_history)}
                if _both(regularized_model, regularized_history)
                and _steps_per_epoch(regularized_history)
                == math.ceil((len(x_train) + len(x_val)) / BATCH)
                else None
            ),
        ),
        Mistake(
            "not-trained-like-train",
            N_(
                "regularized_model was not trained the way the lesson's train function trains: "
                "{problem}. Hint: train it with regularized_history = "
                "train(regularized_model, ...), which feeds x_train in batches of 32 and "
                "passes the validation data."
            ),
            _not_like_train,
        ),
        Mistake(
            "trained-before",
            N_(
                "regularized_model made {steps} weight updates, more than the {expected} of "
                "the run regularized_history records: it had been trained before that run "
                "(a training cell run twice, or another fit(...) first). Hint: build the model "
                "anew with make_model(...) and train it once."
            ),
            lambda regularized_model, regularized_history, x_train: (
                {
                    "steps": training_steps(regularized_model),
                    "expected": math.ceil(len(x_train) / BATCH) * _epochs_run(regularized_history),
                }
                if _both(regularized_model, regularized_history)
                and training_steps(regularized_model)
                > math.ceil(len(x_train) / BATCH) * _epochs_run(regularized_history)
                else None
            ),
        ),
        Mistake(
            "not-regularized",
            N_(
                "regularized_model has no weight penalty and no Dropout layer, and its "
                "training ran every epoch, so nothing regularized it. Hint: pass "
                "kernel_regularizer=... or dropout=... to make_model, or train it with "
                "EarlyStopping(..., restore_best_weights=True)."
            ),
            lambda regularized_model, regularized_history: (
                _both(regularized_model, regularized_history)
                and not _penalties(regularized_model)
                and not _dropout_rates(regularized_model)
                and _epochs_run(regularized_history)
                >= regularized_history.params.get("epochs", _epochs_run(regularized_history))
            ),
        ),
        Mistake(
            "last-weights-kept",
            N_(
                "regularized_model stopped early but kept the weights of its last epoch, "
                "patience epochs past the best. Hint: EarlyStopping(..., "
                "restore_best_weights=True)."
            ),
            lambda regularized_model, regularized_history, x_val, y_val: (
                _both(regularized_model, regularized_history)
                and _kept_last_weights(regularized_model, regularized_history, x_val, y_val)
            ),
        ),
    ],
)
def check_your_model(
    regularized_model, regularized_history, models, baseline_model, x_train, x_val, y_val
):
    """regularized_model: own, trained on the training rows with validation data,
    regularized, best weights kept, 0.8 validation accuracy."""
    checks.keras_model(regularized_model, "regularized_model", hint=_YOUR_HOW)
    checks.check_score(
        regularized_model,
        x_val,
        y_val,
        minimum=0.8,
        name="regularized_model",
        hint=N_("try another mix or strength; compare the validation losses of sections 4 to 6."),
    )
