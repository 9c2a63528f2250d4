"""Checks of the exercises of lesson 4, "Overfitting and regularization"."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from course_utils import checks
from course_utils.exercises import exercise
from course_utils.exercises._common import wrong as _wrong


def _number(value: Any, name: str, hint: str) -> float:
    """Return ``value`` as a float if it is one number (a tensor too); reject it otherwise."""
    if isinstance(value, (bool, np.bool_, str)):
        _wrong(f"{name} should be a number, but it is {value!r}. Hint: {hint}")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        _wrong(f"{name} should be a number, but it is a {type(value).__name__}. Hint: {hint}")
    if array.size != 1:
        _wrong(f"{name} should be one number, but it holds {array.size} values. Hint: {hint}")
    return float(array.reshape(()))


def _close(value: float, number: float, rtol: float = 1e-4) -> bool:
    return math.isclose(value, number, rel_tol=rtol)


def _kernels(model: Any) -> list[Any]:
    """The layers of ``model`` that have a kernel (Dense layers), in order."""
    return [layer for layer in model.layers if hasattr(layer, "kernel")]


def _squares(array: Any) -> float:
    return float(np.square(np.asarray(array, dtype=np.float64)).sum())


@exercise("ex-reg-l2-by-hand", answers=["l2_penalty"])
def check_l2_by_hand(l2_penalty, models, histories):
    """l2_penalty is the L2 term that models["L2 0.01"]'s loss contains, from its weights."""
    hint = (
        "apply the formula of section 4 to the kernel of every layer that make_model gives a "
        "kernel_regularizer, and add the results."
    )
    answer = _number(l2_penalty, "l2_penalty", hint)
    model = models["L2 0.01"]
    dense = _kernels(model)
    penalized = [layer for layer in dense if layer.kernel_regularizer is not None]
    strength = 0.01
    kernels = [_squares(layer.kernel.numpy()) for layer in penalized]
    expected = strength * sum(kernels)
    if _close(answer, expected):
        return
    biases = strength * sum(_squares(layer.bias.numpy()) for layer in penalized)
    output = strength * _squares(dense[-1].kernel.numpy())
    if _close(answer, expected / 2):
        _wrong(
            "l2_penalty has a factor 1/2 in front of the sum, as some textbooks write the L2 "
            "penalty. Hint: check section 4 for the formula Keras uses."
        )
    if _close(answer, expected + biases):
        _wrong(
            "l2_penalty also penalizes the biases. Hint: kernel_regularizer applies to the "
            "layer's weight matrix (its kernel) only."
        )
    if _close(answer, expected + output) or _close(answer, expected + output + biases):
        _wrong(
            "l2_penalty also counts the output layer, which make_model builds without a "
            f"penalty. Hint: {hint}"
        )
    if any(_close(answer, strength * part) for part in kernels):
        _wrong(f"l2_penalty counts one of the penalized layers only. Hint: {hint}")
    if _close(answer, sum(kernels)):
        _wrong(
            "l2_penalty is the sum of the squared weights without the strength λ of "
            f"regularizers.L2(0.01). Hint: {hint}"
        )
    logged = histories["L2 0.01"].history
    if _close(answer, logged["loss"][-1] - logged["cross_entropy"][-1], rtol=1e-2):
        _wrong(
            "l2_penalty is the gap between loss and cross_entropy that fit logged in the last "
            "epoch: an average over the epoch's batches, while the weights were still changing. "
            f"Hint: compute the term from the trained weights; {hint}"
        )
    absolute = strength * sum(
        float(np.abs(layer.kernel.numpy().astype(np.float64)).sum()) for layer in penalized
    )
    if _close(answer, absolute):
        _wrong(
            "l2_penalty adds up absolute values of the weights, which is the L1 penalty. "
            f"Hint: {hint}"
        )
    _wrong(f"l2_penalty is not the penalty term of models['L2 0.01']. Hint: {hint}")


@exercise(
    "ex-reg-dropout-inference",
    answers=["same_predictions", "predict_difference", "training_difference"],
)
def check_dropout_inference(same_predictions, predict_difference, training_difference):
    """The two differences were measured on the dropout model; same_predictions agrees."""
    predict_gap = _number(
        predict_difference,
        "predict_difference",
        "the largest absolute difference between two outputs, np.abs(a - b).max().",
    )
    training_gap = _number(
        training_difference,
        "training_difference",
        "the largest absolute difference between two outputs, np.abs(a - b).max().",
    )
    if not (0 <= predict_gap <= 1 and 0 <= training_gap <= 1):
        _wrong(
            "the two differences should lie between 0 and 1: they are the largest absolute "
            "differences between two predicted probabilities."
        )
    if predict_gap > 1e-6:
        _wrong(
            "predict_difference is not what two calls of predict on one model give. Hint: "
            "call models['dropout 0.5'].predict(x_val, verbose=0) twice, without training=..., "
            "and compare the two outputs."
        )
    if training_gap < 1e-3:
        _wrong(
            "training_difference shows no difference between your two calls in training mode. "
            "Hint: call the dropout model itself, models['dropout 0.5'](x_val, training=True), "
            "twice; a model without Dropout layers, or a call without training=True, gives the "
            "same output twice."
        )
    options = ["yes", "no"]
    if not isinstance(same_predictions, str) or same_predictions.strip().lower() not in options:
        _wrong(f"same_predictions is {same_predictions!r}; answer 'yes' or 'no'.")
    if same_predictions.strip().lower() != "yes":
        _wrong(
            "same_predictions does not agree with your own measurement. Hint: look at "
            "predict_difference, and ask in which mode predict runs the model."
        )


@exercise("ex-reg-sparse-penalty", answers=["near_zero_by_input", "sparse_penalty"])
def check_sparse_penalty(near_zero_by_input, sparse_penalty, models, n_features):
    """near_zero_by_input: per-input zero shares of both models; sparse_penalty agrees."""
    how = (
        "for each model, take the first layer's kernel (one row per input column), mark the "
        "weights with |w| < 0.001 and average each row: np.mean(..., axis=1)."
    )
    if not isinstance(near_zero_by_input, dict) or sorted(near_zero_by_input) != ["L1", "L2"]:
        _wrong(
            "near_zero_by_input should be a dict with the keys 'L1' and 'L2', one array per "
            f"model. Hint: {how}"
        )
    sources = {"L1": models["L1 0.001"], "L2": models["L2 0.01"]}
    expected = {}
    for key, model in sources.items():
        kernel = np.asarray(model.layers[0].kernel.numpy())
        expected[key] = np.mean(np.abs(kernel) < 1e-3, axis=1)
        try:
            shares = np.asarray(near_zero_by_input[key], dtype=float)
        except (TypeError, ValueError):
            _wrong(f"near_zero_by_input[{key!r}] is not an array of numbers. Hint: {how}")
        if shares.shape == (kernel.shape[1],):
            _wrong(
                f"near_zero_by_input[{key!r}] has one value per unit ({kernel.shape[1]}), not "
                f"one per input column ({n_features}). Hint: the kernel's rows are the inputs; "
                "average along axis=1."
            )
        if shares.shape != (n_features,):
            _wrong(
                f"near_zero_by_input[{key!r}] has the shape {shares.shape}; it should hold one "
                f"share per input column. Hint: {how}"
            )
        if np.allclose(shares, expected[key], atol=1e-9):
            continue
        signed = np.mean(kernel < 1e-3, axis=1)
        if np.allclose(shares, signed, atol=1e-9):
            _wrong(
                f"near_zero_by_input[{key!r}] counts every negative weight as near zero. Hint: "
                "compare the absolute value |w| with 0.001."
            )
        other = "L2" if key == "L1" else "L1"
        other_kernel = np.asarray(sources[other].layers[0].kernel.numpy())
        if np.allclose(shares, np.mean(np.abs(other_kernel) < 1e-3, axis=1), atol=1e-9):
            _wrong(
                f"near_zero_by_input[{key!r}] was measured on the other model. Hint: 'L1' is "
                "models['L1 0.001'], 'L2' is models['L2 0.01']."
            )
        _wrong(f"near_zero_by_input[{key!r}] does not match the model's weights. Hint: {how}")
    options = ["L1", "L2"]
    if not isinstance(sparse_penalty, str) or sparse_penalty.strip().upper() not in options:
        _wrong(f"sparse_penalty is {sparse_penalty!r}; answer 'L1' or 'L2'.")
    if sparse_penalty.strip().upper() != "L1":
        _wrong(
            "sparse_penalty does not agree with your measurement. Hint: compare your two "
            "arrays row by row; in which model is the share of practically zero weights "
            "higher for (nearly) every input?"
        )


def _updates(model: Any) -> int:
    """How many weight updates the model's optimizer has made (0 if never trained)."""
    import keras

    optimizer = getattr(model, "optimizer", None)
    if not getattr(model, "compiled", False) or optimizer is None:
        return 0
    return int(keras.ops.convert_to_numpy(optimizer.iterations))


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


# Keras sums the penalty over every weight, so the strengths worth searching are small.
_USUAL = {"L2": (0.0001, 0.01), "L1": (0.0001, 0.01)}


@exercise("ex-reg-your-model", answers=["regularized_model", "regularized_history"])
def check_your_model(
    regularized_model, regularized_history, models, baseline_model, x_train, x_val, y_val
):
    """regularized_model: own, trained, regularized, best weights kept, 0.8 val accuracy."""
    import keras

    how = (
        "build it with make_model(...), passing a kernel_regularizer or a dropout rate, and "
        "train it with regularized_history = train(regularized_model, ...)."
    )
    if not isinstance(regularized_model, keras.Model):
        _wrong(
            f"regularized_model is a {type(regularized_model).__name__}, not a Keras model. "
            f"Hint: {how}"
        )
    for name, model in {"no regularization": baseline_model, **models}.items():
        if regularized_model is model:
            _wrong(
                f"regularized_model is the lesson's model {name!r}; the exercise asks for a "
                f"model of your own. Hint: {how}"
            )
    if not isinstance(regularized_history, keras.callbacks.History):
        _wrong(
            f"regularized_history is a {type(regularized_history).__name__}; it should be what "
            "train returns (the History of fit)."
        )
    penalties = _penalties(regularized_model)
    for kind, strength in penalties:
        low, high = _USUAL[kind]
        if not low <= strength <= high:
            _wrong(
                f"regularized_model has an {kind} penalty of strength {strength:g}, outside the "
                f"usual range of {kind} ({low:g} to {high:g}). Hint: choose a strength within it."
            )
    rates = [
        float(layer.rate) for layer in regularized_model.layers if type(layer).__name__ == "Dropout"
    ]
    for rate in rates:
        if not 0.2 <= rate <= 0.5:
            _wrong(
                f"regularized_model has a Dropout rate of {rate:g}, outside the usual 0.2 to 0.5. "
                "Hint: choose a rate within it."
            )
    if _updates(regularized_model) == 0:
        _wrong(
            f"regularized_model has not been trained, so its weights are still random. Hint: {how}"
        )
    if regularized_history.model is not regularized_model:
        _wrong(
            "regularized_history belongs to another model than regularized_model. Hint: keep "
            "what train(regularized_model, ...) returns."
        )
    if regularized_history.params.get("steps") != math.ceil(len(x_train) / 32):
        _wrong(
            "regularized_model was not trained on the training set in batches of 32. Hint: "
            "train it with the lesson's train function, which feeds x_train."
        )
    logs = regularized_history.history
    epochs_run = len(logs.get("loss", []))
    stopped_early = epochs_run < regularized_history.params.get("epochs", epochs_run)
    if not penalties and not rates and not stopped_early:
        _wrong(
            "regularized_model has no weight penalty and no Dropout layer, and its training "
            "ran every epoch, so nothing regularized it. Hint: pass kernel_regularizer=... or "
            "dropout=... to make_model, or train it with EarlyStopping(..., "
            "restore_best_weights=True)."
        )
    if stopped_early and "val_loss" in logs:
        val_loss = regularized_model.evaluate(x_val, y_val, verbose=0, return_dict=True)["loss"]
        last, best = logs["val_loss"][-1], min(logs["val_loss"])
        if math.isclose(val_loss, last, rel_tol=1e-5) and not math.isclose(
            val_loss, best, rel_tol=1e-5
        ):
            _wrong(
                "regularized_model stopped early but kept the weights of its last epoch, "
                "patience epochs past the best. Hint: EarlyStopping(..., "
                "restore_best_weights=True)."
            )
    checks.check_score(
        regularized_model,
        x_val,
        y_val,
        minimum=0.8,
        name="regularized_model",
        hint="try another mix or strength; compare the validation losses of sections 4 to 6.",
    )
