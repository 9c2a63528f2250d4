"""Checks of the exercises of lesson 2, "Weight initialization and vanishing gradients"."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from course_utils import checks
from course_utils.exercises import exercise
from course_utils.exercises._common import is_number
from course_utils.exercises._common import wrong as _wrong


def _is(value: Any, number: float, rtol: float = 1e-3) -> bool:
    return is_number(value, number, rtol)


def _keras_model(value: Any, name: str, how: str) -> Any:
    """Return ``value`` if it is a Keras model with weights; reject it otherwise."""
    import keras

    if not isinstance(value, keras.Model):
        _wrong(f"{name} is a {type(value).__name__}, not a Keras model. Hint: {how}")
    if not value.built:
        _wrong(f"{name} has no weights yet. Hint: {how}")
    return value


def _activation(layer: Any) -> str:
    function = getattr(layer, "activation", None)
    return getattr(function, "__name__", None) or type(function).__name__


def _initializer(layer: Any) -> str:
    return type(getattr(layer, "kernel_initializer", None)).__name__


def _updates(model: Any) -> int:
    """How many weight updates the model's optimizer has made (0 if never trained)."""
    import keras

    optimizer = getattr(model, "optimizer", None)
    if not getattr(model, "compiled", False) or optimizer is None:
        return 0
    return int(keras.ops.convert_to_numpy(optimizer.iterations))


@exercise("ex-init-glorot-limit", answers=["glorot_limit_784_256"])
def check_glorot_limit(glorot_limit_784_256):
    """glorot_limit_784_256 is the GlorotUniform limit a for fan-in 784 and fan-out 256."""
    fan_in, fan_out = 784, 256
    answer = glorot_limit_784_256
    if _is(answer, math.sqrt(2 / (fan_in + fan_out))):
        _wrong(
            "glorot_limit_784_256 is the standard deviation of Glorot's weights, not the limit "
            "a of the uniform distribution. Hint: a uniform distribution on [-a, a] has "
            "variance a² / 3; set that equal to Glorot's variance."
        )
    if _is(answer, 2 / (fan_in + fan_out)) or _is(answer, 6 / (fan_in + fan_out)):
        _wrong(
            "glorot_limit_784_256 looks like a variance or the square of the limit, not the "
            "limit a itself. Hint: the weights lie in [-a, a]; compare your number with the "
            "largest |w| in the table of section 3."
        )
    if _is(answer, math.sqrt(6 / fan_in)) or _is(answer, math.sqrt(3 / fan_in)):
        _wrong(
            "glorot_limit_784_256 uses only the fan-in, as He's and LeCun's formulas do. Hint: "
            "Glorot's compromise uses both the 784 inputs and the 256 units."
        )
    checks.check_number(
        answer,
        math.sqrt(6 / (fan_in + fan_out)),
        rtol=1e-3,
        name="glorot_limit_784_256",
        hint="section 3 gives the limit of Glorot's uniform distribution in terms of the fan-in "
        "and the fan-out.",
    )


@exercise("ex-init-sigmoid-bound", answers=["sigmoid_factor_6"])
def check_sigmoid_bound(sigmoid_factor_6):
    """sigmoid_factor_6 is the largest factor 6 sigmoid slopes can multiply a gradient by."""
    depth, slope = 6, 0.25
    answer = sigmoid_factor_6
    if _is(answer, 1 / slope**depth) or _is(answer, slope * depth) or _is(answer, depth / slope):
        _wrong(
            "sigmoid_factor_6 is not below 1, so it cannot be the factor that shrinks the "
            "gradient. Hint: a factor below 1 is what the gradient gets multiplied by, not how "
            "many times smaller it gets; and the layers' slopes multiply, they do not add."
        )
    if _is(answer, slope ** (depth - 1)) or _is(answer, slope ** (depth + 1)):
        _wrong(
            "sigmoid_factor_6 is off by one layer. Hint: count the sigmoid layers the gradient "
            "passes through; each contributes one slope."
        )
    if _is(answer, 0.5**depth):
        _wrong(
            "sigmoid_factor_6 uses the sigmoid's value at 0 (0.5), not its slope. Hint: the "
            "backward pass multiplies by the slope σ'(z); section 1 measured the largest one."
        )
    checks.check_number(
        answer,
        slope**depth,
        rtol=1e-3,
        name="sigmoid_factor_6",
        hint="each sigmoid layer multiplies the backward signal by its slope; section 1 "
        "measured how large that slope can be.",
    )


@exercise("ex-init-zeros-tanh", answers=["zeros_tanh_answer", "tanh_zero_model"])
def check_zeros_tanh(zeros_tanh_answer, tanh_zero_model, zero_start_model):
    """tanh_zero_model is a trained zero-start tanh ring network; the letter describes it."""
    how = 'build it with make_ring_model("zeros", activation="tanh") and train it.'
    model = _keras_model(tanh_zero_model, "tanh_zero_model", how)
    if model is zero_start_model:
        _wrong(
            "tanh_zero_model is section 2's zero-started network, whose hidden units use the "
            f"sigmoid. Hint: {how}"
        )
    names = [layer.name for layer in model.layers]
    if "hidden" not in names or "output" not in names:
        _wrong(f"tanh_zero_model has no layers named 'hidden' and 'output'. Hint: {how}")
    hidden, output = model.get_layer("hidden"), model.get_layer("output")
    if _activation(hidden) != "tanh":
        _wrong(
            f"tanh_zero_model's hidden layer uses {_activation(hidden)!r}, but the question is "
            f"about tanh units. Hint: {how}"
        )
    starts = sorted({_initializer(hidden), _initializer(output)} - {"Zeros"})
    if starts:
        _wrong(
            "tanh_zero_model's weights do not all start at zero (some kernels start from "
            f"{' and '.join(starts)}). Hint: {how}"
        )
    if _updates(model) == 0:
        _wrong(
            "tanh_zero_model has not been trained, so its kernel shows only where it started. "
            "Hint: fit it on ring_train_x and ring_train_y, as section 2 did."
        )
    options = ["a", "b", "c"]
    if not isinstance(zeros_tanh_answer, str) or zeros_tanh_answer.strip().lower() not in options:
        _wrong(f"zeros_tanh_answer is {zeros_tanh_answer!r}; answer with one letter: a, b or c.")
    kernel = np.asarray(hidden.get_weights()[0])
    if np.abs(kernel).max() == 0:
        observed = "a"
    elif np.abs(kernel - kernel[:, :1]).max() < 1e-6:
        observed = "b"
    else:
        observed = "c"
    if zeros_tanh_answer.strip().lower() != observed:
        _wrong(
            "zeros_tanh_answer does not describe tanh_zero_model's hidden kernel after "
            "training. Hint: print tanh_zero_model.get_layer('hidden').get_weights()[0] and "
            "ask what tanh(0) is and what the output layer's gradient gets multiplied by."
        )


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


@exercise("ex-init-deep-fix", answers=["fixed_model"])
def check_deep_fix(fixed_model, deep_models, x_val, y_val):
    """fixed_model: a non-ReLU deep net, matching initializer, validated training, 0.7 acc."""
    how = "build it with make_deep_model(activation, initializer)."
    model = _keras_model(fixed_model, "fixed_model", how)
    for name, lesson_model in deep_models.items():
        if model is lesson_model:
            _wrong(
                f"fixed_model is section 5's {name!r} network. Hint: build a new one with "
                "another hidden activation, as the exercise asks."
            )
    found = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    kinds = [type(layer).__name__ for layer in found]
    if kinds != ["Dense"] * 11 or [layer.units for layer in found] != [64] * 10 + [1]:
        _wrong(
            "fixed_model should be section 4's deep network: 10 hidden Dense layers of 64 "
            f"units and a Dense output of 1 unit. Hint: {how}"
        )
    hidden, output = found[:-1], found[-1]
    activations = {_activation(layer) for layer in hidden}
    if len(activations) != 1:
        _wrong(
            f"fixed_model's hidden layers mix the activations {sorted(activations)}. Hint: {how}"
        )
    (activation,) = activations
    if activation not in _MATCHING_INITIALIZERS:
        if activation == "relu":
            _wrong(
                "fixed_model uses plain ReLU, which section 5 already showed. Hint: pick another "
                "member of the ReLU family from section 6."
            )
        elif activation in ("sigmoid", "linear"):
            _wrong(
                f"fixed_model's hidden layers use {activation!r}, which does not let a deep "
                "network learn (section 5 showed it for the sigmoid). Hint: pick an activation "
                "from section 6."
            )
        else:
            _wrong(
                f"fixed_model's hidden activation {activation!r} is not one this lesson matched "
                "with an initializer. Hint: use one of section 6's activations."
            )
    initializers = {_initializer(layer) for layer in hidden}
    if not initializers <= _MATCHING_INITIALIZERS.get(activation, set()):
        _wrong(
            f"fixed_model's hidden layers use {activation!r} with {sorted(initializers)}, "
            "which is not the initializer derived for that activation. Hint: section 3 says "
            "which initializer goes with which family of activations."
        )
    if _activation(output) != "sigmoid":
        _wrong("fixed_model's output layer should be a sigmoid unit, as make_deep_model builds.")
    if _updates(model) == 0:
        _wrong(
            "fixed_model has not been trained. Hint: compile it like section 5's models and "
            "fit it on x_train and y_train for 10 epochs."
        )
    loss = getattr(model, "loss", None)
    loss_name = loss if isinstance(loss, str) else getattr(loss, "name", type(loss).__name__)
    if loss_name not in ("binary_crossentropy", "BinaryCrossentropy"):
        _wrong(
            f"fixed_model was compiled with the loss {loss_name!r}. Hint: compile it like "
            "section 5's models, with the loss for a single sigmoid output."
        )
    history = getattr(model, "history", None)
    if history is None or "val_loss" not in getattr(history, "history", {}):
        _wrong(
            "fixed_model was trained without validation data. Hint: pass "
            "validation_data=(x_val, y_val) to fit."
        )
    checks.check_score(
        model,
        x_val,
        y_val,
        minimum=0.7,
        name="fixed_model",
        hint="train for 10 epochs with Adam at learning rate 1e-3, as in section 5.",
    )
