"""Checks of the exercises of lesson 1, "Perceptron to MLP".

Each exercise lists the mistakes its check recognises (:class:`Mistake`), in the order it
tests them; the lesson's wrong-answer cells name the one each must get. The checks of the
two trained networks also read how they were trained: the weight updates their optimizer
made, the steps per epoch and the validation logs of their last ``fit``.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from course_utils import checks
from course_utils.exercises import Mistake, exercise, reject
from course_utils.exercises._common import (
    activation_name,
    built_keras_model,
    expected_steps,
    fitted_keras_model,
    history_of,
    is_number,
    leaked_rows,
    model_layers,
    never_fitted,
    same_keras_model,
    steps_per_epoch,
    training_steps,
    validated_on,
)
from course_utils.i18n import N_, _

_SIZES = [10, 32, 16, 3]


def _dense_count(sizes: list[int], *, biases: bool = True) -> int:
    """Parameters of a stack of Dense layers whose widths (input first) are ``sizes``."""
    return sum(a * b + (b if biases else 0) for a, b in itertools.pairwise(sizes))


@exercise(
    "ex-mlp-params",
    answers=["n_params"],
    mistakes=[
        Mistake(
            "lesson-model",
            N_(
                "n_params is the parameter count of the lesson's iris model (4 inputs, one "
                "hidden layer of 16 units). Hint: the exercise's network is a different one: "
                "10 inputs, hidden layers of 32 and 16 units, 3 outputs."
            ),
            lambda n_params, model: is_number(n_params, model.count_params()),
        ),
        Mistake(
            "parameters-left-out",
            N_(
                "n_params leaves some parameters out: it counts the weights without the "
                "biases, or the hidden layers without the output layer. Hint: every Dense "
                "layer, the output layer too, has a weight per input and unit plus one bias "
                "per unit."
            ),
            lambda n_params: (
                is_number(n_params, _dense_count(_SIZES, biases=False))
                or is_number(n_params, _dense_count(_SIZES[:-1]))
            ),
        ),
        Mistake(
            "one-bias-per-layer",
            N_(
                "n_params counts three biases, one per layer (or the output layer's only). "
                "Hint: every unit of every Dense layer, the hidden ones too, has a bias of "
                "its own."
            ),
            lambda n_params: is_number(n_params, _dense_count(_SIZES, biases=False) + 3),
        ),
        Mistake(
            "multiplied-widths",
            N_(
                "n_params multiplies all the layer widths together, but a weight connects one "
                "unit to a unit of the next layer only. Hint: count layer by layer, inputs "
                "times units plus the biases, and add the layers up."
            ),
            lambda n_params: is_number(n_params, math.prod(_SIZES)),
        ),
        Mistake(
            "units-not-parameters",
            N_(
                "n_params counts units, not parameters. Hint: every unit has a weight per "
                "input and one bias."
            ),
            lambda n_params: any(is_number(n_params, sum(_SIZES[start:])) for start in (0, 1)),
        ),
    ],
)
def check_mlp_params(n_params, model):
    """n_params is the parameter count of a 10-32-16-3 Dense network, biases included."""
    checks.check_number(
        n_params,
        _dense_count(_SIZES),
        name="n_params",
        hint=N_("add up, layer by layer, a weight per input and unit plus one bias per unit."),
    )


_built = built_keras_model
_ACTIVATION_LAYERS = {"Activation", "ReLU", "Softmax"}


def _dense_stack(value: Any) -> list[tuple[str, int | None, str]] | None:
    """The model's layers as (kind, units, activation), an activation layer (Activation,
    ReLU, Softmax) folded into the Dense layer before it, as Dense(..., activation=...)
    would be; None for what is not a Keras model with weights."""
    model = _built(value)
    if model is None:
        return None
    stack: list[tuple[str, int | None, str]] = []
    for layer in model_layers(model):
        kind = type(layer).__name__
        if kind in _ACTIVATION_LAYERS and stack and stack[-1][0] == "Dense":
            folded = "relu" if kind == "ReLU" else "softmax" if kind == "Softmax" else None
            if stack[-1][2] == "linear":
                stack[-1] = ("Dense", stack[-1][1], folded or activation_name(layer))
                continue
        stack.append((kind, getattr(layer, "units", None), activation_name(layer)))
    return stack


def _not_dense_only(value: Any) -> dict[str, Any] | None:
    stack = _dense_stack(value)
    if stack is None or all(kind == "Dense" for kind, _units, _activation in stack):
        return None
    return {"kinds": ", ".join(kind for kind, _units, _activation in stack)}


def _shape_is(value: Any, inputs: int, units: list[int]) -> bool:
    stack = _dense_stack(value)
    return stack is None or (
        tuple(_built(value).input_shape) == (None, inputs)
        and all(kind == "Dense" for kind, _units, _activation in stack)
        and [size for _kind, size, _activation in stack] == units
    )


def _units(value: Any) -> list[int | None]:
    return [size for _kind, size, _activation in _dense_stack(value) or []]


def _activations(value: Any) -> list[str]:
    return [activation for _kind, _units, activation in _dense_stack(value) or []]


def _choice(value: Any) -> Any:
    return value.strip().strip(".!").strip().lower() if isinstance(value, str) else value


# --- ex-mlp-xor-choice ----------------------------------------------------------------------

_XOR_HOW = N_("build it like mlp in section 2, with Dense(8) (no activation) as its hidden layer.")
_XOR_EPOCHS = 150
_XOR_STEPS = expected_steps(4, 4, _XOR_EPOCHS)


def _last_loss(value: Any) -> float | None:
    logs = history_of(_built(value)) if _built(value) is not None else None
    losses = list(logs.get("loss", [])) if logs else []
    return float(losses[-1]) if losses else None


def _fits_another_gate(linear_mlp: Any) -> bool:
    """Its last training loss is below what a network without a hidden activation can reach
    on XOR (log 2, at all-zero weights: the best straight line is no line), so it was trained
    on other targets."""
    loss = _last_loss(linear_mlp)
    return loss is not None and loss < 0.6


def _learned(linear_mlp: Any, gate_inputs: Any, xor_targets: Any) -> bool:
    predicted = np.asarray(linear_mlp.predict(gate_inputs, verbose=0)).reshape(-1) > 0.5
    return bool(np.all(predicted == (np.asarray(xor_targets).reshape(-1) > 0.5)))


@exercise(
    "ex-mlp-xor-choice",
    answers=["xor_answer", "linear_mlp"],
    mistakes=[
        Mistake(
            "not-yes-or-no",
            N_('xor_answer is {answer}; answer "yes" or "no".'),
            lambda xor_answer: (
                None if _choice(xor_answer) in ("yes", "no") else {"answer": repr(xor_answer)}
            ),
        ),
        Mistake(
            "lesson-mlp",
            N_(
                "linear_mlp is the lesson's mlp, whose hidden layer has a ReLU activation. "
                "Hint: {how}"
            ),
            lambda linear_mlp, mlp: (
                {"how": _(_XOR_HOW)} if same_keras_model(linear_mlp, mlp) else None
            ),
        ),
        Mistake(
            "wrong-architecture",
            N_(
                "linear_mlp should take the two XOR inputs and have a hidden Dense layer of 8 "
                "units and an output Dense layer of 1 unit, and no other layers. Hint: {how}"
            ),
            lambda linear_mlp: None if _shape_is(linear_mlp, 2, [8, 1]) else {"how": _(_XOR_HOW)},
        ),
        Mistake(
            "hidden-activation-kept",
            N_(
                "linear_mlp's hidden layer still applies the {activation} activation; the "
                "exercise removes it. Hint: leave out activation=... in the hidden Dense(8)."
            ),
            lambda linear_mlp: (
                {"activation": repr(_activations(linear_mlp)[0])}
                if _activations(linear_mlp) and _activations(linear_mlp)[0] != "linear"
                else None
            ),
        ),
        Mistake(
            "output-not-sigmoid",
            N_(
                'linear_mlp\'s output layer should be Dense(1, activation="sigmoid"), as in '
                "mlp, so that its outputs are probabilities and 0.5 separates the classes."
            ),
            lambda linear_mlp: (
                bool(_activations(linear_mlp)) and _activations(linear_mlp)[-1] != "sigmoid"
            ),
        ),
        Mistake(
            "not-trained",
            N_(
                "linear_mlp has not been trained, so it cannot tell you anything yet. Hint: "
                "compile it like mlp and fit it on gate_inputs and xor_targets for 150 epochs."
            ),
            lambda linear_mlp: never_fitted(linear_mlp),
        ),
        Mistake(
            "trained-on-other-targets",
            N_(
                "linear_mlp's training loss ended at {loss}, lower than a network without "
                "a hidden activation can get on XOR, so it was trained on other targets. Hint: "
                "fit it on gate_inputs and xor_targets, not on another gate's targets."
            ),
            lambda linear_mlp: (
                {"loss": f"{_last_loss(linear_mlp):.2f}"}
                if _fits_another_gate(linear_mlp)
                else None
            ),
        ),
        Mistake(
            "too-few-updates",
            N_(
                "linear_mlp made only {steps} weight updates, too few to show what it can "
                "learn. Hint: train it like mlp, 150 epochs on the four points in one batch "
                "each."
            ),
            lambda linear_mlp: (
                {"steps": training_steps(linear_mlp)}
                if _built(linear_mlp) is not None and training_steps(linear_mlp) < _XOR_STEPS
                else None
            ),
        ),
        Mistake(
            "contradicts-experiment",
            N_(
                "xor_answer does not agree with your own experiment. Hint: look at how many of "
                "the four XOR points linear_mlp classifies correctly, then ask what a linear "
                "function of a linear function is."
            ),
        ),
    ],
)
def check_mlp_xor_choice(xor_answer, linear_mlp, mlp, gate_inputs, xor_targets):
    """linear_mlp is mlp without its hidden activation, trained on XOR as long as mlp was;
    xor_answer agrees with what it learned."""
    checks.keras_model(linear_mlp, "linear_mlp", _XOR_HOW)
    learned = _learned(linear_mlp, gate_inputs, xor_targets)
    if (_choice(xor_answer) == "yes") != learned:
        reject("contradicts-experiment")


# --- ex-mlp-iris-deeper -------------------------------------------------------------------

_DEEPER_HOW = N_(
    "build a Sequential model: keras.Input(shape=(4,)), Dense(16, relu), Dense(8, relu), "
    "Dense(3, softmax)."
)
_IRIS_EPOCHS, _IRIS_BATCH = 60, 16


def _val_losses(value: Any) -> list[float]:
    model = _built(value)
    logs = history_of(model) if model is not None else None
    return [float(v) for v in (logs or {}).get("val_loss", [])]


def _iris_leak(deeper_model: Any, x_train: Any, x_val: Any, x_test: Any) -> int:
    if fitted_keras_model(deeper_model) is None:
        return 0
    return leaked_rows(deeper_model, len(x_train), _IRIS_BATCH, (len(x_val), len(x_test)))


@exercise(
    "ex-mlp-iris-deeper",
    answers=["deeper_model"],
    mistakes=[
        Mistake(
            "lesson-model",
            N_(
                "deeper_model is the lesson's model, which has a single hidden layer. Hint: "
                "build a new one with two hidden layers (16 and 8 ReLU units)."
            ),
            lambda deeper_model, model: same_keras_model(deeper_model, model),
        ),
        Mistake(
            "not-only-dense",
            N_(
                "deeper_model has layers of the kinds {kinds}; the exercise's network has Dense "
                "layers only, each with its activation. Hint: leave out the other layers."
            ),
            lambda deeper_model: _not_dense_only(deeper_model),
        ),
        Mistake(
            "wrong-architecture",
            N_(
                "deeper_model's Dense layers have {units} units; the exercise asks for two "
                "hidden layers of 16 and 8 units and an output layer of one unit per species, "
                "on the four iris measurements."
            ),
            lambda deeper_model: (
                None if _shape_is(deeper_model, 4, [16, 8, 3]) else {"units": _units(deeper_model)}
            ),
        ),
        Mistake(
            "hidden-not-relu",
            N_(
                "deeper_model's hidden layers use the activations {activations}; the exercise "
                'asks for ReLU in both. Hint: Dense(16, activation="relu") and '
                'Dense(8, activation="relu").'
            ),
            lambda deeper_model: (
                {"activations": ", ".join(_activations(deeper_model)[:-1])}
                if _activations(deeper_model)[:-1] not in ([], ["relu", "relu"])
                else None
            ),
        ),
        Mistake(
            "output-not-softmax",
            N_(
                "deeper_model's output layer uses the {activation} activation; it should use "
                "softmax, which turns the three scores into probabilities that add up to 1."
            ),
            lambda deeper_model: (
                {"activation": repr(_activations(deeper_model)[-1])}
                if _activations(deeper_model) and _activations(deeper_model)[-1] != "softmax"
                else None
            ),
        ),
        Mistake(
            "not-trained",
            N_(
                "deeper_model has not been trained. Hint: compile it like the lesson's model "
                "and call deeper_model.fit(x_train, y_train, validation_data=(x_val, y_val), "
                "...)."
            ),
            lambda deeper_model: never_fitted(deeper_model),
        ),
        Mistake(
            "no-validation-data",
            N_(
                "deeper_model was trained without validation data, so its curves cannot guide "
                "you. Hint: pass validation_data=(x_val, y_val) to fit."
            ),
            lambda deeper_model: (
                fitted_keras_model(deeper_model) is not None and not _val_losses(deeper_model)
            ),
        ),
        Mistake(
            "validated-on-other-rows",
            N_(
                "deeper_model's validation losses are not its loss on x_val and y_val: it was "
                "validated on other rows (the test set, or a validation_split of the training "
                "rows). Hint: pass validation_data=(x_val, y_val) to fit, and keep the test "
                "set for the end."
            ),
            lambda deeper_model, x_val, y_val: (
                fitted_keras_model(deeper_model) is not None
                and validated_on(deeper_model, x_val, y_val) is False
            ),
        ),
        Mistake(
            "trained-on-more-rows",
            N_(
                "deeper_model's last fit went over {rows} rows per epoch, but x_train has "
                "{train}: the validation or test rows leaked into its training. Hint: fit on "
                "x_train and y_train only; the validation rows go into validation_data."
            ),
            lambda deeper_model, x_train, x_val, x_test: (
                {
                    "rows": len(x_train) + _iris_leak(deeper_model, x_train, x_val, x_test),
                    "train": len(x_train),
                }
                if _iris_leak(deeper_model, x_train, x_val, x_test)
                else None
            ),
        ),
        Mistake(
            "other-batch-size",
            N_(
                "deeper_model's last fit made {steps} weight updates per epoch, not what "
                "batches of 16 over x_train make. Hint: pass batch_size=16 to fit, as the "
                "lesson's model did."
            ),
            lambda deeper_model, x_train: (
                {"steps": steps_per_epoch(deeper_model)}
                if fitted_keras_model(deeper_model) is not None
                and steps_per_epoch(deeper_model) is not None
                and steps_per_epoch(deeper_model) != expected_steps(len(x_train), _IRIS_BATCH, 1)
                else None
            ),
        ),
        Mistake(
            "too-few-epochs",
            N_(
                "deeper_model made {steps} weight updates, fewer than 60 epochs of batches of "
                "16 over x_train make. Hint: train it for 60 epochs, like the lesson's model."
            ),
            lambda deeper_model, x_train: (
                {"steps": training_steps(deeper_model)}
                if fitted_keras_model(deeper_model) is not None
                and training_steps(deeper_model)
                < expected_steps(len(x_train), _IRIS_BATCH, _IRIS_EPOCHS)
                else None
            ),
        ),
    ],
)
def check_mlp_iris_deeper(deeper_model, model, x_train, x_val, y_val, x_test):
    """deeper_model: a 16-8-3 ReLU/softmax iris MLP trained on x_train for 60 epochs of
    batches of 16, validated on x_val, at 0.9 validation accuracy."""
    checks.keras_model(deeper_model, "deeper_model", _DEEPER_HOW)
    checks.check_score(
        deeper_model,
        x_val,
        y_val,
        minimum=0.9,
        name="deeper_model",
        hint=N_(
            "compare your training with the lesson's model: its optimizer, learning rate and epochs."
        ),
    )
