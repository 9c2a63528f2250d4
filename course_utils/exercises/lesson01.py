"""Checks of the exercises of lesson 1, "Perceptron to MLP"."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from course_utils import checks
from course_utils.exercises import exercise
from course_utils.exercises._common import is_number as _is
from course_utils.exercises._common import wrong as _wrong


def _keras_model(value: Any, name: str, how: str) -> Any:
    """Return ``value`` if it is a Keras model with weights; reject it otherwise."""
    import keras

    if not isinstance(value, keras.Model):
        _wrong(f"{name} is a {type(value).__name__}, not a Keras model. Hint: {how}")
    if not value.built:
        _wrong(
            f"{name} has no weights yet. Hint: start it with keras.Input(...) so that Keras "
            "knows the input shape."
        )
    return value


def _dense_layers(model: Any, name: str) -> list[Any]:
    """The model's layers, which must all be Dense."""
    found = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    kinds = [type(layer).__name__ for layer in found]
    if any(kind != "Dense" for kind in kinds):
        _wrong(
            f"{name} has layers of the kinds {kinds}; the exercise uses Dense layers only. "
            "Hint: give each Dense layer its activation with activation=..., not a separate layer."
        )
    return found


def _activation(layer: Any) -> str:
    function = getattr(layer, "activation", None)
    return getattr(function, "__name__", None) or type(function).__name__


def _updates(model: Any) -> int:
    """How many weight updates the model's optimizer has made (0 if never trained)."""
    import keras

    optimizer = getattr(model, "optimizer", None)
    if not getattr(model, "compiled", False) or optimizer is None:
        return 0
    return int(keras.ops.convert_to_numpy(optimizer.iterations))


@exercise("ex-mlp-params", answers=["n_params"])
def check_mlp_params(n_params, model):
    """n_params is the parameter count of a 10-32-16-3 Dense network, biases included."""
    sizes = [10, 32, 16, 3]
    pairs = list(itertools.pairwise(sizes))
    expected = sum(n_in * n_out + n_out for n_in, n_out in pairs)
    weights_only = sum(n_in * n_out for n_in, n_out in pairs)
    without_output = sum(n_in * n_out + n_out for n_in, n_out in pairs[:-1])
    if _is(n_params, model.count_params()):
        _wrong(
            "n_params is the parameter count of the lesson's iris model (4 inputs, one hidden "
            "layer of 16 units). Hint: the exercise's network is a different one: 10 inputs, "
            "hidden layers of 32 and 16 units, 3 outputs."
        )
    if _is(n_params, weights_only) or _is(n_params, without_output):
        _wrong(
            "n_params leaves some parameters out: it counts the weights without the biases, or "
            "the hidden layers without the output layer. Hint: every Dense layer, the output "
            "layer too, has a weight per input and unit plus one bias per unit."
        )
    checks.check_number(
        n_params,
        expected,
        name="n_params",
        hint="add up, layer by layer, a weight per input and unit plus one bias per unit.",
    )


@exercise("ex-mlp-xor-choice", answers=["xor_answer", "linear_mlp"])
def check_mlp_xor_choice(xor_answer, linear_mlp, mlp, gate_inputs, xor_targets):
    """linear_mlp is mlp without its hidden activation, trained; xor_answer agrees with it."""
    how = "build it like mlp in section 2, with Dense(8) (no activation) as its hidden layer."
    linear_mlp = _keras_model(linear_mlp, "linear_mlp", how)
    if linear_mlp is mlp:
        _wrong(
            f"linear_mlp is the lesson's mlp, whose hidden layer has a ReLU activation. Hint: {how}"
        )
    dense = _dense_layers(linear_mlp, "linear_mlp")
    if tuple(linear_mlp.input_shape) != (None, 2) or [layer.units for layer in dense] != [8, 1]:
        _wrong(
            "linear_mlp should take the two XOR inputs and have a hidden Dense layer of 8 units "
            f"and an output Dense layer of 1 unit. Hint: {how}"
        )
    hidden, output = dense
    if _activation(hidden) != "linear":
        _wrong(
            f"linear_mlp's hidden layer still applies the {_activation(hidden)!r} activation; "
            "the exercise removes it. Hint: leave out activation=... in the hidden Dense(8)."
        )
    if _activation(output) != "sigmoid":
        _wrong(
            "linear_mlp's output layer should be Dense(1, activation='sigmoid'), as in mlp, so "
            "that its outputs are probabilities."
        )
    updates = _updates(linear_mlp)
    if updates == 0:
        _wrong(
            "linear_mlp has not been trained, so it cannot tell you anything yet. Hint: compile "
            "it like mlp and fit it on gate_inputs and xor_targets for 150 epochs."
        )
    if updates < 100:
        _wrong(
            f"linear_mlp made only {updates} weight updates, too few to show what it can learn. "
            "Hint: train it like mlp, 150 epochs on the four points."
        )
    options = ["yes", "no"]
    if not isinstance(xor_answer, str) or xor_answer.strip().lower() not in options:
        _wrong(f"xor_answer is {xor_answer!r}; answer 'yes' or 'no'.")
    predicted = np.asarray(linear_mlp.predict(gate_inputs, verbose=0)).reshape(-1) > 0.5
    learned = bool(np.all(predicted == (np.asarray(xor_targets).reshape(-1) > 0.5)))
    if (xor_answer.strip().lower() == "yes") != learned:
        _wrong(
            "xor_answer does not agree with your own experiment. Hint: look at how many of the "
            "four XOR points linear_mlp classifies correctly, then ask what a linear function "
            "of a linear function is."
        )


@exercise("ex-mlp-iris-deeper", answers=["deeper_model"])
def check_mlp_iris_deeper(deeper_model, model, x_val, y_val):
    """deeper_model is a 16-8-3 iris MLP, trained with validation data, at 0.9 accuracy."""
    how = (
        "build a Sequential model: keras.Input(shape=(4,)), Dense(16, relu), Dense(8, relu), "
        "Dense(3, softmax)."
    )
    deeper_model = _keras_model(deeper_model, "deeper_model", how)
    if deeper_model is model:
        _wrong(
            "deeper_model is the lesson's model, which has a single hidden layer. Hint: build a "
            "new one with two hidden layers (16 and 8 ReLU units)."
        )
    dense = _dense_layers(deeper_model, "deeper_model")
    units = [layer.units for layer in dense]
    if tuple(deeper_model.input_shape) != (None, 4) or units != [16, 8, 3]:
        _wrong(
            f"deeper_model's Dense layers have {units} units; the exercise asks for two hidden "
            "layers of 16 and 8 units and an output layer of one unit per species, on the four "
            "iris measurements."
        )
    activations = [_activation(layer) for layer in dense]
    if activations != ["relu", "relu", "softmax"]:
        _wrong(
            f"deeper_model's activations are {activations}; the hidden layers should use ReLU "
            "and the output layer softmax, which turns the three scores into probabilities."
        )
    if _updates(deeper_model) == 0:
        _wrong(
            "deeper_model has not been trained. Hint: compile it like the lesson's model and "
            "call deeper_model.fit(x_train, y_train, validation_data=(x_val, y_val), ...)."
        )
    history = getattr(deeper_model, "history", None)
    if history is None or "val_loss" not in getattr(history, "history", {}):
        _wrong(
            "deeper_model was trained without validation data, so its curves cannot guide you. "
            "Hint: pass validation_data=(x_val, y_val) to fit."
        )
    checks.check_score(
        deeper_model,
        x_val,
        y_val,
        minimum=0.9,
        name="deeper_model",
        hint="train longer (the lesson's model used 60 epochs) or check the learning rate.",
    )
