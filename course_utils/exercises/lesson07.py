"""Checks of the exercises of lesson 07, "The Functional API".

Each check takes the student's answer and, where it must tell a right answer from a
plausible wrong one, the lesson's own objects: the lesson's models, to reject them when
they are handed back unchanged, and the penguins' validation data, to score a trained model.
"""

from __future__ import annotations

import re
from typing import Any

from course_utils import checks
from course_utils.checks import WrongAnswer
from course_utils.exercises import exercise
from course_utils.exercises._common import reject_known_mistake

# The two-input model of section 3 with 8 context units: measurements Dense(16) 4*16+16,
# context Dense(8) 6*8+8, Dense(16) after concatenate (16+8)*16+16, output 16*1+1.
_WIDER_PARAMS = 80 + 56 + 400 + 17
_LESSON_PARAMS = 461  # the lesson's model, context_units=4
_WIDER_NO_BIASES = 4 * 16 + 6 * 8 + (16 + 8) * 16 + 16 * 1
_WIDER_OLD_CONCATENATE = 80 + 56 + (16 + 4) * 16 + 16 + 17
_WIDER_NO_OUTPUT = _WIDER_PARAMS - 17

_GENERATED_NAME = re.compile(r"^(dense|activation)(_\d+)?$")


def _layers(model: Any) -> list[Any]:
    """The model's layers without its InputLayer (a Functional model lists it)."""
    return [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]


def _activation(layer: Any) -> str | None:
    return getattr(getattr(layer, "activation", None), "__name__", None)


def _keras_model(model: Any, name: str) -> Any:
    import keras

    if not isinstance(model, keras.Model):
        raise WrongAnswer(
            f"{name} should be a Keras model, but it is a {type(model).__name__}. "
            "Hint: end with keras.Model(inputs=..., outputs=...)."
        )
    return model


def _inputs(model: Any, name: str) -> list[Any]:
    """The model's input tensors; a model without any (subclassed, not built) is wrong."""
    try:
        return list(model.inputs)
    except (AttributeError, ValueError):
        raise WrongAnswer(
            f"{name} has no inputs that Keras can see. Hint: build it with the Functional "
            "API, from keras.Input(shape=...) to keras.Model(inputs, outputs)."
        ) from None


def _is_trained(model: Any) -> bool:
    optimizer = getattr(model, "optimizer", None)
    return bool(
        getattr(model, "compiled", False)
        and optimizer is not None
        and int(optimizer.iterations.numpy()) > 0
    )


def _loss_name(loss: Any) -> str:
    if isinstance(loss, str):
        return loss
    return str(getattr(loss, "name", None) or getattr(loss, "__name__", None) or loss)


@exercise("ex-func-params", answers=["wider_params"])
def check_wider_params(wider_params: Any) -> None:
    """wider_params is the parameter count of the two-input model with 8 context units."""
    mistakes = {
        _LESSON_PARAMS: "that is the parameter count of the lesson's model, with 4 context "
        "units. Widen the context branch to 8 units: that changes its own Dense layer and "
        "the Dense layer after concatenate.",
        _WIDER_NO_BIASES: "that count leaves out the biases: every Dense layer has one bias "
        "per unit on top of its inputs x units weights.",
        _WIDER_OLD_CONCATENATE: "the Dense layer after concatenate now reads 16 + 8 values, "
        "not 16 + 4.",
        _WIDER_NO_OUTPUT: "that count leaves out the output layer, Dense(1).",
    }
    reject_known_mistake(wider_params, "wider_params", mistakes)
    checks.check_number(
        wider_params,
        _WIDER_PARAMS,
        name="wider_params",
        hint="add up inputs x units + units for each of the four Dense layers; "
        "concatenate has no parameters of its own.",
    )


@exercise("ex-func-which-api", answers=["graph_model"])
def check_graph_model(graph_model: Any, two_input_model: Any, two_output_model: Any) -> None:
    """graph_model is the list's non-chain model: one measurement input, two named heads."""
    model = _keras_model(graph_model, "graph_model")
    for lesson_model, where in [(two_input_model, "section 3"), (two_output_model, "section 4")]:
        if model is lesson_model:
            raise WrongAnswer(
                f"graph_model is the lesson's {lesson_model.name} model from {where}. "
                "Hint: build your own model, for the four measurements of section 2."
            )
    inputs = _inputs(model, "graph_model")
    if len(inputs) != 1 or tuple(inputs[0].shape) != (None, 4):
        raise WrongAnswer(
            "graph_model should read a single input, the four standardised measurements. "
            "Hint: start it with keras.Input(shape=(4,))."
        )
    if len(model.outputs) == 1:
        raise WrongAnswer(
            "graph_model has one input and one output: it is a chain, and keras.Sequential "
            "could write it too, whatever its layers (LSTM, Conv1D, Dropout, ...). Hint: look "
            "for the model in the list that is not a chain."
        )
    shapes = sorted(tuple(output.shape) for output in model.outputs)
    if shapes != [(None, 1), (None, 3)]:
        raise WrongAnswer(
            f"graph_model's outputs have the shapes {shapes}. Hint: one head gives the "
            "probabilities of the 3 species, the other one probability, that the penguin is "
            "male."
        )
    for name in model.output_names:
        head = model.get_layer(name)
        units = head.output.shape[-1]
        wanted = "softmax" if units == 3 else "sigmoid"
        if _activation(head) != wanted:
            raise WrongAnswer(
                f"graph_model's head {name!r} ends with the activation {_activation(head)}. "
                "Hint: the species head must give probabilities that sum to 1 over the 3 "
                "classes, the sex head a single probability between 0 and 1."
            )
    unnamed = [name for name in model.output_names if _GENERATED_NAME.match(name)]
    if unnamed:
        raise WrongAnswer(
            f"graph_model's output layers {unnamed} have the names Keras made up. Hint: give "
            "each head a name (name=...); the losses, loss weights and targets of a "
            "multi-output model are matched to the heads by these names."
        )


@exercise("ex-func-wide-deep", answers=["wide_deep_model"])
def check_wide_deep(
    wide_deep_model: Any, val_measurements: Any, val_sex: Any, skip_model: Any
) -> None:
    """wide_deep_model: a trained Functional Dense-Dropout-Dense branch concatenated with its Input."""
    import keras

    model = _keras_model(wide_deep_model, "wide_deep_model")
    if model is skip_model:
        raise WrongAnswer(
            "wide_deep_model is the lesson's skip-connection model from section 5, which "
            "adds the block's output to the measurements. Hint: build a new model that "
            "concatenates them instead."
        )
    if isinstance(model, keras.Sequential):
        raise WrongAnswer(
            "wide_deep_model is a keras.Sequential model: a chain, in which each layer sees "
            "only the layer before it, so it cannot have a skip connection. Hint: create a "
            "keras.Input, call each layer on a tensor, and finish with keras.Model(inputs, "
            "outputs)."
        )
    inputs = _inputs(model, "wide_deep_model")
    if len(inputs) != 1 or tuple(inputs[0].shape) != (None, 4):
        raise WrongAnswer(
            "wide_deep_model should read a single input, the four standardised measurements. "
            "Hint: start it with keras.Input(shape=(4,))."
        )
    if len(model.outputs) != 1 or tuple(model.outputs[0].shape) != (None, 1):
        raise WrongAnswer(
            "wide_deep_model should have one output, the probability that a penguin is male. "
            "Hint: end with Dense(1, activation='sigmoid')."
        )
    joins = [layer for layer in _layers(model) if type(layer).__name__ == "Concatenate"]
    if not joins:
        raise WrongAnswer(
            "wide_deep_model has no concatenate layer, so the measurements reach the output "
            "only through the branch: a chain, with no skip connection. Hint: "
            "layers.concatenate([inputs, branch_output])."
        )
    if not any(any(tensor is inputs[0] for tensor in join.input) for join in joins):
        raise WrongAnswer(
            "wide_deep_model's concatenate layer does not take the measurements themselves: "
            "the skip connection must start at the Input. Hint: pass the keras.Input tensor "
            "to layers.concatenate, next to the branch's last Dense output."
        )
    types = [type(layer).__name__ for layer in _layers(model)]
    dense_units = [layer.units for layer in _layers(model) if type(layer).__name__ == "Dense"]
    if types != ["Dense", "Dropout", "Dense", "Concatenate", "Dense"] or dense_units != [16, 8, 1]:
        raise WrongAnswer(
            f"wide_deep_model's layers are {types}, with Dense layers of {dense_units} units. "
            "Hint: the exercise asks for Dense(16), Dropout(0.2) and Dense(8) in the branch, "
            "then concatenate and Dense(1)."
        )
    output = _layers(model)[-1]
    if _activation(output) != "sigmoid":
        raise WrongAnswer(
            f"wide_deep_model's output layer has the activation {_activation(output)}. Hint: "
            "one probability between 0 and 1, from a sigmoid."
        )
    if not _is_trained(model):
        raise WrongAnswer(
            "wide_deep_model has not been trained yet. Hint: train_sex_model(wide_deep_model) "
            "compiles it and fits it on the training set."
        )
    if "binary_crossentropy" not in _loss_name(model.loss):
        raise WrongAnswer(
            f"wide_deep_model was compiled with the loss {_loss_name(model.loss)!r}. Hint: a "
            "yes-or-no question with a sigmoid output is trained with the binary "
            "cross-entropy (loss='binary_crossentropy')."
        )
    checks.check_score(
        model,
        val_measurements,
        val_sex,
        minimum=0.8,
        name="wide_deep_model",
        hint="train it as section 2 did, with train_sex_model (Adam at 0.01, 40 epochs).",
    )
