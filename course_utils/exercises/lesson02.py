"""Checks of the exercises of lesson 2, "Weight initialization and vanishing gradients".

Each exercise lists the mistakes its check recognises (:class:`Mistake`), in the order it
tests them; the lesson's wrong-answer cells name the one each must get. The checks of the
trained networks also read how they were trained: the weight updates their optimizer made,
the steps per epoch and the validation logs of their last ``fit``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from course_utils import checks
from course_utils.exercises import Mistake, exercise, reject
from course_utils.exercises._common import (
    activation_name,
    built_keras_model,
    compiled_keras_model,
    expected_steps,
    fitted_keras_model,
    history_of,
    initializer_name,
    is_number,
    leaked_rows,
    learning_rate,
    loss_name,
    model_layers,
    never_fitted,
    same_keras_model,
    steps_per_epoch,
    training_steps,
    validated_on,
)
from course_utils.i18n import N_, _


def _is(value: Any, number: float) -> bool:
    return is_number(value, number, rtol=1e-3)


def _choice(value: Any) -> Any:
    return value.strip().strip("\"'.").strip().lower() if isinstance(value, str) else value


# --- ex-init-glorot-limit -------------------------------------------------------------------

_FAN_IN, _FAN_OUT = 784, 256


@exercise(
    "ex-init-glorot-limit",
    answers=["glorot_limit_784_256"],
    mistakes=[
        Mistake(
            "standard-deviation",
            N_(
                "glorot_limit_784_256 is the standard deviation of Glorot's weights, not the "
                "limit a of the uniform distribution. Hint: a uniform distribution on [-a, a] "
                "has variance a² / 3; set that equal to Glorot's variance."
            ),
            lambda glorot_limit_784_256: _is(
                glorot_limit_784_256, math.sqrt(2 / (_FAN_IN + _FAN_OUT))
            ),
        ),
        Mistake(
            "no-square-root",
            N_(
                "glorot_limit_784_256 looks like a variance or the square of the limit, not "
                "the limit a itself. Hint: the weights lie in [-a, a]; compare your number "
                "with the largest |w| in the table of section 3."
            ),
            lambda glorot_limit_784_256: any(
                _is(glorot_limit_784_256, top / (_FAN_IN + _FAN_OUT)) for top in (2, 6)
            ),
        ),
        Mistake(
            "section-3-layer",
            N_(
                "glorot_limit_784_256 is the limit for section 3's kernel, with fan_in = 400 "
                "and fan_out = 200. Hint: this layer takes 784 inputs and has 256 units; put "
                "those numbers into the formula, not the lesson's fan_in and fan_out."
            ),
            lambda glorot_limit_784_256: _is(glorot_limit_784_256, math.sqrt(6 / (400 + 200))),
        ),
        Mistake(
            "notes-xavier",
            N_(
                "glorot_limit_784_256 is 1 / sqrt(784), the standard deviation of the 'Xavier' "
                "many course notes give, randn(fan_in, fan_out) / sqrt(fan_in): that is "
                "LeCun's initialization, and a standard deviation, not a limit. Hint: section "
                "3 gives Glorot's uniform limit with both the fan-in and the fan-out."
            ),
            lambda glorot_limit_784_256: _is(glorot_limit_784_256, 1 / math.sqrt(_FAN_IN)),
        ),
        Mistake(
            "fan-in-only",
            N_(
                "glorot_limit_784_256 uses only the fan-in, as He's and LeCun's formulas do. "
                "Hint: Glorot's compromise uses both the 784 inputs and the 256 units."
            ),
            lambda glorot_limit_784_256: any(
                _is(glorot_limit_784_256, math.sqrt(top / _FAN_IN)) for top in (2, 3, 6)
            ),
        ),
        Mistake(
            "fan-out-only",
            N_(
                "glorot_limit_784_256 uses only the fan-out, the 256 units. Hint: Glorot's "
                "compromise uses both the 784 inputs and the 256 units."
            ),
            lambda glorot_limit_784_256: any(
                _is(glorot_limit_784_256, math.sqrt(top / _FAN_OUT)) for top in (2, 3, 6)
            ),
        ),
        Mistake(
            "fans-multiplied",
            N_(
                "glorot_limit_784_256 divides by the product of the fan-in and the fan-out. "
                "Hint: Glorot's formula adds them: it averages the forward and the backward "
                "condition."
            ),
            lambda glorot_limit_784_256: any(
                _is(glorot_limit_784_256, math.sqrt(top / (_FAN_IN * _FAN_OUT))) for top in (2, 6)
            ),
        ),
    ],
)
def check_glorot_limit(glorot_limit_784_256):
    """glorot_limit_784_256 is the GlorotUniform limit a for fan-in 784 and fan-out 256."""
    checks.check_number(
        glorot_limit_784_256,
        math.sqrt(6 / (_FAN_IN + _FAN_OUT)),
        rtol=1e-3,
        name="glorot_limit_784_256",
        hint=N_(
            "section 3 gives the limit of Glorot's uniform distribution in terms of the "
            "fan-in and the fan-out."
        ),
    )


# --- ex-init-sigmoid-bound ------------------------------------------------------------------

_DEPTH, _SLOPE = 6, 0.25


@exercise(
    "ex-init-sigmoid-bound",
    answers=["sigmoid_factor_6"],
    mistakes=[
        Mistake(
            "inverted",
            N_(
                "sigmoid_factor_6 is above 1, so it cannot be the factor that shrinks the "
                "gradient. Hint: give the factor the gradient gets multiplied by, not how many "
                "times smaller it gets."
            ),
            lambda sigmoid_factor_6: any(
                _is(sigmoid_factor_6, value) for value in (1 / _SLOPE**_DEPTH, _DEPTH / _SLOPE)
            ),
        ),
        Mistake(
            "slopes-added",
            N_(
                "sigmoid_factor_6 adds up the six slopes (6 x 0.25), but the chain rule "
                "multiplies them, one factor per layer. Hint: six factors of at most 0.25 each."
            ),
            lambda sigmoid_factor_6: _is(sigmoid_factor_6, _SLOPE * _DEPTH),
        ),
        Mistake(
            "quarter-taken-away",
            N_(
                "sigmoid_factor_6 multiplies the gradient by 0.75 per layer, as if each layer "
                "took a quarter of it away. Hint: a slope of at most 0.25 multiplies the "
                "gradient by 0.25: three quarters go, one stays."
            ),
            lambda sigmoid_factor_6: _is(sigmoid_factor_6, (1 - _SLOPE) ** _DEPTH),
        ),
        Mistake(
            "one-layer",
            N_(
                "sigmoid_factor_6 is the largest slope of a single sigmoid layer. Hint: the "
                "gradient passes through 6 of them, and each multiplies it by its slope again."
            ),
            lambda sigmoid_factor_6: _is(sigmoid_factor_6, _SLOPE),
        ),
        Mistake(
            "off-by-one-layer",
            N_(
                "sigmoid_factor_6 is off by one layer. Hint: count the sigmoid layers the "
                "gradient passes through; each contributes one slope."
            ),
            lambda sigmoid_factor_6: any(
                _is(sigmoid_factor_6, _SLOPE**depth) for depth in (_DEPTH - 1, _DEPTH + 1)
            ),
        ),
        Mistake(
            "value-not-slope",
            N_(
                "sigmoid_factor_6 uses the sigmoid's value at 0 (0.5), not its slope. Hint: "
                "the backward pass multiplies by the slope σ'(z); section 1 measured the "
                "largest one."
            ),
            lambda sigmoid_factor_6: _is(sigmoid_factor_6, 0.5**_DEPTH),
        ),
    ],
)
def check_sigmoid_bound(sigmoid_factor_6):
    """sigmoid_factor_6 is the largest factor 6 sigmoid slopes can multiply a gradient by."""
    checks.check_number(
        sigmoid_factor_6,
        _SLOPE**_DEPTH,
        rtol=1e-3,
        name="sigmoid_factor_6",
        hint=N_(
            "each sigmoid layer multiplies the backward signal by its slope; section 1 "
            "measured how large that slope can be."
        ),
    )


# --- ex-init-zeros-tanh ---------------------------------------------------------------------

_RING_HOW = N_('build it with make_ring_model("zeros", activation="tanh") and train it.')
_RING_EPOCHS, _RING_BATCH = 30, 32


def _ring_layers(value: Any) -> tuple[Any, Any] | None:
    """The hidden and the output layer of a ring network (two Dense layers, 2 inputs, 16
    hidden units, 1 output), named as make_ring_model names them or not; None otherwise."""
    model = built_keras_model(value)
    if model is None:
        return None
    found = model_layers(model)
    if [type(layer).__name__ for layer in found] != ["Dense", "Dense"]:
        return None
    if tuple(model.input_shape) != (None, 2) or [layer.units for layer in found] != [16, 1]:
        return None
    return found[0], found[1]


def _ring_leak(tanh_zero_model: Any, ring_train_x: Any, ring_val_x: Any) -> int:
    if _ring_layers(tanh_zero_model) is None:
        return 0
    return leaked_rows(tanh_zero_model, len(ring_train_x), _RING_BATCH, (len(ring_val_x),))


def _epochs_trained(tanh_zero_model: Any, ring_train_x: Any) -> float:
    """The epochs its weight updates make, in batches of the size of its last fit (those of
    section 2, 32, when the model keeps no record of it)."""
    per_epoch = steps_per_epoch(tanh_zero_model) or expected_steps(
        len(ring_train_x), _RING_BATCH, 1
    )
    return round(training_steps(tanh_zero_model) / per_epoch, 1)


def _starts(tanh_zero_model: Any) -> str | None:
    """The initializers of the kernels that do not start at zero, or None."""
    layers = _ring_layers(tanh_zero_model)
    if layers is None:
        return None
    others = sorted({initializer_name(layer) for layer in layers} - {"Zeros"})
    return " + ".join(others) or None


def _observed_letter(tanh_zero_model: Any) -> str:
    hidden, _ = _ring_layers(tanh_zero_model)
    kernel = np.asarray(hidden.get_weights()[0])
    if np.abs(kernel).max() == 0:
        return "a"
    if np.abs(kernel - kernel[:, :1]).max() < 1e-6:
        return "b"
    return "c"


@exercise(
    "ex-init-zeros-tanh",
    answers=["zeros_tanh_answer", "tanh_zero_model"],
    mistakes=[
        Mistake(
            "not-a-letter",
            N_('zeros_tanh_answer is {answer}; answer with one letter: "a", "b" or "c".'),
            lambda zeros_tanh_answer: (
                None
                if _choice(zeros_tanh_answer) in ("a", "b", "c")
                else {"answer": checks._short(zeros_tanh_answer)}
            ),
        ),
        Mistake(
            "lesson-model",
            N_(
                "tanh_zero_model is section 2's zero-started network, whose hidden units use "
                "the sigmoid. Hint: {how}"
            ),
            lambda tanh_zero_model, zero_start_model: (
                {"how": _(_RING_HOW)}
                if same_keras_model(tanh_zero_model, zero_start_model)
                else None
            ),
        ),
        Mistake(
            "not-the-ring-network",
            N_(
                "tanh_zero_model is not section 2's ring network: two inputs, a hidden Dense "
                "layer of 16 units and a Dense output of 1 unit. Hint: {how}"
            ),
            lambda tanh_zero_model: (
                {"how": _(_RING_HOW)}
                if built_keras_model(tanh_zero_model) is not None
                and _ring_layers(tanh_zero_model) is None
                else None
            ),
        ),
        Mistake(
            "hidden-not-tanh",
            N_(
                "tanh_zero_model's hidden layer uses {activation}, but the question is about "
                "tanh units. Hint: {how}"
            ),
            lambda tanh_zero_model: (
                {
                    "activation": repr(activation_name(_ring_layers(tanh_zero_model)[0])),
                    "how": _(_RING_HOW),
                }
                if _ring_layers(tanh_zero_model) is not None
                and activation_name(_ring_layers(tanh_zero_model)[0]) != "tanh"
                else None
            ),
        ),
        Mistake(
            "not-zero-start",
            N_(
                "tanh_zero_model's weights do not all start at zero (some kernels start from "
                "{starts}). Hint: {how}"
            ),
            lambda tanh_zero_model: (
                {"starts": _starts(tanh_zero_model), "how": _(_RING_HOW)}
                if _starts(tanh_zero_model)
                else None
            ),
        ),
        Mistake(
            "not-trained",
            N_(
                "tanh_zero_model has not been trained, so its kernel shows only where it "
                "started. Hint: fit it on ring_train_x and ring_train_y, as section 2 did."
            ),
            lambda tanh_zero_model: never_fitted(tanh_zero_model),
        ),
        Mistake(
            "trained-on-more-rows",
            N_(
                "tanh_zero_model's last fit went over {rows} points per epoch, but "
                "ring_train_x has {train}: the validation points were part of its training. "
                "Hint: fit it on ring_train_x and ring_train_y, as section 2 did."
            ),
            lambda tanh_zero_model, ring_train_x, ring_val_x: (
                {
                    "rows": len(ring_train_x)
                    + _ring_leak(tanh_zero_model, ring_train_x, ring_val_x),
                    "train": len(ring_train_x),
                }
                if _ring_leak(tanh_zero_model, ring_train_x, ring_val_x)
                else None
            ),
        ),
        Mistake(
            "too-few-epochs",
            N_(
                "tanh_zero_model was trained for {epochs} epochs. Hint: train it like "
                "section 2, for 30 epochs."
            ),
            lambda tanh_zero_model, ring_train_x: (
                {"epochs": f"{_epochs_trained(tanh_zero_model, ring_train_x):g}"}
                if _ring_layers(tanh_zero_model) is not None
                and _epochs_trained(tanh_zero_model, ring_train_x) < _RING_EPOCHS
                else None
            ),
        ),
        Mistake(
            "letter-disagrees",
            N_(
                "zeros_tanh_answer does not describe tanh_zero_model's hidden kernel after "
                "training. Hint: print tanh_zero_model.get_layer('hidden').get_weights()[0] "
                "and ask what tanh(0) is and what the output layer's gradient gets multiplied "
                "by."
            ),
        ),
    ],
)
def check_zeros_tanh(
    zeros_tanh_answer, tanh_zero_model, zero_start_model, ring_train_x, ring_val_x
):
    """tanh_zero_model is a zero-start tanh ring network trained like section 2's on
    ring_train_x; the letter describes its hidden kernel."""
    checks.keras_model(tanh_zero_model, "tanh_zero_model", _RING_HOW)
    if _choice(zeros_tanh_answer) != _observed_letter(tanh_zero_model):
        reject("letter-disagrees")


# --- ex-init-deep-fix -----------------------------------------------------------------------

_HE = {"HeNormal", "HeUniform"}
_MATCHING_INITIALIZERS = {
    "elu": _HE,
    "leaky_relu": _HE,
    "relu6": _HE,
    "gelu": _HE,
    "silu": _HE,
    "swish": _HE,
    "selu": {"LecunNormal"},
    "tanh": {"GlorotNormal", "GlorotUniform"},
}
_DEEP_HOW = N_("build it with make_deep_model(activation, initializer).")
_DEEP_EPOCHS, _DEEP_RATE = 10, 1e-3
#: The batch sizes a student may choose (the task does not fix one; section 5 used 64).
_BATCH_SIZES = (16, 32, 64, 128, 256)


def _hidden(value: Any) -> list[Any]:
    model = built_keras_model(value)
    return [] if model is None else model_layers(model)[:-1]


def _hidden_activations(value: Any) -> list[str]:
    return sorted({activation_name(layer) for layer in _hidden(value)})


def _is_deep_network(value: Any) -> bool:
    model = built_keras_model(value)
    if model is None:
        return True  # the check's body says what it is
    found = model_layers(model)
    return (
        [type(layer).__name__ for layer in found] == ["Dense"] * 11
        and [layer.units for layer in found] == [64] * 10 + [1]
        and activation_name(found[-1]) == "sigmoid"
    )


def _deep_leak(fixed_model: Any, x_train: Any, x_val: Any) -> int:
    if fitted_keras_model(fixed_model) is None:
        return 0
    return leaked_rows(fixed_model, len(x_train), _BATCH_SIZES, (len(x_val),))


def _deep_epochs(fixed_model: Any) -> float | None:
    """The epochs its weight updates make, in batches of its last fit's size."""
    per_epoch = steps_per_epoch(fixed_model)
    if fitted_keras_model(fixed_model) is None or not per_epoch:
        return None
    return round(training_steps(fixed_model) / per_epoch, 1)


@exercise(
    "ex-init-deep-fix",
    answers=["fixed_model"],
    mistakes=[
        Mistake(
            "lesson-model",
            N_(
                "fixed_model is section 5's {name} network. Hint: build a new one with "
                "another hidden activation, as the exercise asks."
            ),
            lambda fixed_model, deep_models: next(
                (
                    {"name": repr(name)}
                    for name, lesson_model in deep_models.items()
                    if same_keras_model(fixed_model, lesson_model)
                ),
                None,
            ),
        ),
        Mistake(
            "not-the-deep-network",
            N_(
                "fixed_model should be section 4's deep network: 10 hidden Dense layers of 64 "
                "units and a sigmoid output unit. Hint: {how}"
            ),
            lambda fixed_model: None if _is_deep_network(fixed_model) else {"how": _(_DEEP_HOW)},
        ),
        Mistake(
            "plain-relu",
            N_(
                "fixed_model uses plain ReLU, which section 5 already showed. Hint: pick "
                "another member of the ReLU family from section 6."
            ),
            lambda fixed_model: _hidden_activations(fixed_model) == ["relu"],
        ),
        Mistake(
            "activation-that-does-not-learn",
            N_(
                "fixed_model's hidden layers use {activation}, which does not let a deep "
                "network learn (section 5 showed it for the sigmoid). Hint: pick an "
                "activation from section 6."
            ),
            lambda fixed_model: (
                {"activation": repr(_hidden_activations(fixed_model)[0])}
                if _hidden_activations(fixed_model) in (["sigmoid"], ["linear"])
                else None
            ),
        ),
        Mistake(
            "unmatched-activation",
            N_(
                "fixed_model's hidden layers use {activations}: not one activation that this "
                "lesson matched with an initializer. Hint: give all ten hidden layers one of "
                "section 6's activations; {how}"
            ),
            lambda fixed_model: (
                {"activations": ", ".join(_hidden_activations(fixed_model)), "how": _(_DEEP_HOW)}
                if _hidden(fixed_model)
                and (
                    len(_hidden_activations(fixed_model)) != 1
                    or _hidden_activations(fixed_model)[0] not in _MATCHING_INITIALIZERS
                )
                else None
            ),
        ),
        Mistake(
            "initializer-not-matching",
            N_(
                "fixed_model's hidden layers use {activation} with {initializers}, which is "
                "not the initializer derived for that activation. Hint: section 3 says which "
                "initializer goes with which family of activations."
            ),
            lambda fixed_model: (
                {
                    "activation": repr(_hidden_activations(fixed_model)[0]),
                    "initializers": ", ".join(
                        sorted({initializer_name(layer) for layer in _hidden(fixed_model)})
                    ),
                }
                if _hidden(fixed_model)
                and not {initializer_name(layer) for layer in _hidden(fixed_model)}
                <= _MATCHING_INITIALIZERS[_hidden_activations(fixed_model)[0]]
                else None
            ),
        ),
        Mistake(
            "wrong-loss",
            N_(
                "fixed_model was compiled with the loss {loss}. Hint: compile it like "
                "section 5's models, with the loss for a single sigmoid output."
            ),
            lambda fixed_model: (
                {"loss": repr(loss_name(fixed_model))}
                if compiled_keras_model(fixed_model) is not None
                and loss_name(fixed_model) not in ("binary_crossentropy", "BinaryCrossentropy")
                else None
            ),
        ),
        Mistake(
            "other-learning-rate",
            N_(
                "fixed_model was compiled with a learning rate of {rate}; section 5's models "
                "use Adam with learning rate 1e-3. Hint: compile it like them, "
                "keras.optimizers.Adam(learning_rate=1e-3)."
            ),
            lambda fixed_model: (
                {"rate": f"{learning_rate(fixed_model):g}"}
                if compiled_keras_model(fixed_model) is not None
                and learning_rate(fixed_model) is not None
                and not math.isclose(learning_rate(fixed_model), _DEEP_RATE, rel_tol=1e-6)
                else None
            ),
        ),
        Mistake(
            "not-trained",
            N_(
                "fixed_model has not been trained. Hint: compile it like section 5's models "
                "and fit it on x_train and y_train for 10 epochs."
            ),
            lambda fixed_model: never_fitted(fixed_model),
        ),
        Mistake(
            "not-validated-on-x-val",
            N_(
                "fixed_model's last fit was not validated on x_val and y_val: it had no "
                "validation data, or other validation rows (a validation_split of the "
                "training rows). Hint: pass validation_data=(x_val, y_val) to fit."
            ),
            lambda fixed_model, x_val, y_val: (
                fitted_keras_model(fixed_model) is not None
                and (
                    "val_loss" not in (history_of(fixed_model) or {})
                    or validated_on(fixed_model, x_val, y_val) is False
                )
            ),
        ),
        Mistake(
            "trained-on-more-rows",
            N_(
                "fixed_model's last fit went over {rows} rows per epoch, but x_train has "
                "{train}: the validation rows leaked into its training. Hint: fit on x_train "
                "and y_train only; the validation rows go into validation_data."
            ),
            lambda fixed_model, x_train, x_val: (
                {
                    "rows": len(x_train) + _deep_leak(fixed_model, x_train, x_val),
                    "train": len(x_train),
                }
                if _deep_leak(fixed_model, x_train, x_val)
                else None
            ),
        ),
        Mistake(
            "too-few-epochs",
            N_(
                "fixed_model was trained for {epochs} epochs. Hint: train it for 10 epochs, "
                "as section 5 did."
            ),
            lambda fixed_model: (
                {"epochs": f"{_deep_epochs(fixed_model):g}"}
                if _deep_epochs(fixed_model) is not None
                and _deep_epochs(fixed_model) < _DEEP_EPOCHS
                else None
            ),
        ),
    ],
)
def check_deep_fix(fixed_model, deep_models, x_train, x_val, y_val):
    """fixed_model: a non-ReLU deep net with the matching initializer, compiled like
    section 5's, trained on x_train for 10 epochs with validation on x_val, at 0.7
    validation accuracy."""
    checks.keras_model(fixed_model, "fixed_model", _DEEP_HOW)
    checks.check_score(
        fixed_model,
        x_val,
        y_val,
        minimum=0.7,
        name="fixed_model",
        hint=N_("train for 10 epochs with Adam at learning rate 1e-3, as in section 5."),
    )
