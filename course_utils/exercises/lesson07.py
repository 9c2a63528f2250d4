"""Checks of the exercises of lesson 07, "The Functional API".

Each exercise lists the mistakes its check recognises (:class:`Mistake`), in the order it
tests them; the lesson's wrong-answer cells name the one each must get. A model handed in
is compared with the lesson's own models by value (:func:`same_keras_model`), its layers
are read from the model, and a trained one is checked for how it was trained: the steps of
its last training per epoch and its epochs (from ``model.history``), and whether its
validation scores were measured on the validation penguins, before it is scored on them.
"""

from __future__ import annotations

import math
import re
from typing import Any

from course_utils import checks
from course_utils.exercises import Mistake, exercise
from course_utils.exercises._common import (
    activation_name,
    fitted_epochs,
    is_keras_model,
    is_number,
    same_keras_model,
    steps_per_epoch,
    training_steps,
    validated_on,
)
from course_utils.i18n import N_, _

# --- ex-func-params -----------------------------------------------------------------------

# The two-input model of section 3 with 8 context units: measurements Dense(16) 4*16+16,
# context Dense(8) 6*8+8, Dense(16) after concatenate (16+8)*16+16, output 16*1+1.
_MEASUREMENTS, _CONTEXT, _JOIN, _OUTPUT = 4 * 16 + 16, 6 * 8 + 8, (16 + 8) * 16 + 16, 16 + 1
_WIDER_PARAMS = _MEASUREMENTS + _CONTEXT + _JOIN + _OUTPUT
_LESSON_PARAMS = 461  # the lesson's model, context_units=4


@exercise(
    "ex-func-params",
    answers=["wider_params"],
    mistakes=[
        Mistake(
            "lesson-model",
            N_(
                "wider_params is the parameter count of the lesson's model, with 4 context "
                "units. Hint: widening the context branch to 8 units changes its own Dense "
                "layer and the Dense layer after concatenate."
            ),
            lambda wider_params: is_number(wider_params, _LESSON_PARAMS),
        ),
        Mistake(
            "difference-only",
            N_(
                "wider_params is how many parameters the wider branch adds to the lesson's "
                "461; the exercise asks for the whole model's count."
            ),
            lambda wider_params: is_number(wider_params, _WIDER_PARAMS - _LESSON_PARAMS),
        ),
        Mistake(
            "no-biases",
            N_(
                "wider_params leaves out the biases: every Dense layer has one bias per unit "
                "on top of its inputs x units weights."
            ),
            lambda wider_params: is_number(wider_params, 4 * 16 + 6 * 8 + (16 + 8) * 16 + 16),
        ),
        Mistake(
            "old-concatenate",
            N_(
                "wider_params counts the Dense layer after concatenate with 16 + 4 inputs, "
                "but concatenate now passes on 16 + 8 values."
            ),
            lambda wider_params: is_number(
                wider_params, _MEASUREMENTS + _CONTEXT + (16 + 4) * 16 + 16 + _OUTPUT
            ),
        ),
        Mistake(
            "join-reads-context-only",
            N_(
                "wider_params counts the Dense layer after concatenate with the 8 context "
                "values as its only inputs, but concatenate lays the 16 values of the "
                "measurement branch and the 8 of the context branch side by side."
            ),
            lambda wider_params: is_number(
                wider_params, _MEASUREMENTS + _CONTEXT + 8 * 16 + 16 + _OUTPUT
            ),
        ),
        Mistake(
            "no-output-layer",
            N_("wider_params leaves out the output layer, Dense(1), with its weights and bias."),
            lambda wider_params: is_number(wider_params, _WIDER_PARAMS - _OUTPUT),
        ),
    ],
)
def check_wider_params(wider_params: Any) -> None:
    """wider_params is the parameter count of the two-input model with 8 context units."""
    checks.check_number(
        wider_params,
        _WIDER_PARAMS,
        name="wider_params",
        hint=N_(
            "add up inputs x units + units for each of the four Dense layers; concatenate has "
            "no parameters of its own."
        ),
    )


# --- helpers for the models ----------------------------------------------------------------

_GENERATED_NAME = re.compile(r"^(dense|activation)(_\d+)?$")


def _model(value: Any) -> Any:
    """``value`` if it is a Keras model with weights, else None (the body rejects it)."""
    return value if is_keras_model(value) and getattr(value, "built", False) else None


def _layers(model: Any) -> list[Any]:
    """The model's layers without its InputLayer (a Functional model lists it)."""
    return [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]


def _input_shapes(model: Any) -> list[tuple] | None:
    """The shapes of the model's inputs; None for a model without inputs Keras can see."""
    try:
        return [tuple(tensor.shape) for tensor in model.inputs]
    except (AttributeError, ValueError, TypeError):
        return None


def _one_measurement_input(model: Any) -> bool:
    return _input_shapes(model) == [(None, 4)]


def _output_shapes(model: Any) -> list[tuple]:
    return [tuple(output.shape) for output in model.outputs]


def _heads(model: Any) -> list[Any]:
    """The layers that make the model's outputs."""
    return [model.get_layer(name) for name in model.output_names]


def _units(layer: Any) -> int:
    return int(layer.output.shape[-1])


# --- ex-func-which-api --------------------------------------------------------------------

_GRAPH_HOW = N_(
    "start from keras.Input(shape=(4,)), call the layers on tensors, and end with "
    "keras.Model(inputs=..., outputs=[...])."
)


_SECTION_3, _SECTION_4 = N_("section 3"), N_("section 4")


def _lesson_model(graph_model: Any, two_input_model: Any, two_output_model: Any) -> Any:
    model = _model(graph_model)
    if model is None:
        return None
    for lesson_model, where in [(two_input_model, _SECTION_3), (two_output_model, _SECTION_4)]:
        if same_keras_model(model, lesson_model):
            return {"name": lesson_model.name, "where": _(where)}
    return None


def _is_body_mass_head(model: Any) -> bool:
    """One head predicts a number with no activation, like section 4's body-mass head."""
    return any(_units(head) == 1 and activation_name(head) == "linear" for head in _heads(model))


def _head_shapes_wrong(model: Any) -> dict[str, str] | None:
    shapes = sorted(_output_shapes(model))
    if shapes in ([(None, 1), (None, 3)], [(None, 2), (None, 3)]):
        return None
    return {"shapes": ", ".join(str(shape) for shape in shapes)}


def _wrong_activation(model: Any) -> dict[str, str] | None:
    for head in _heads(model):
        wanted = "sigmoid" if _units(head) == 1 else "softmax"
        if activation_name(head) != wanted:
            return {"name": head.name, "activation": activation_name(head)}
    return None


@exercise(
    "ex-func-which-api",
    answers=["graph_model"],
    mistakes=[
        Mistake(
            "answered-in-words",
            N_(
                "graph_model is text, but the exercise asks you to build the model you chose "
                "and store the model itself in graph_model. Hint: {how}"
            ),
            lambda graph_model: {"how": _(_GRAPH_HOW)} if isinstance(graph_model, str) else None,
        ),
        Mistake(
            "lesson-model",
            N_(
                "graph_model is the lesson's {name} model from {where}. Hint: build your own "
                "model, for the four measurements of section 2."
            ),
            lambda graph_model, two_input_model, two_output_model: _lesson_model(
                graph_model, two_input_model, two_output_model
            ),
        ),
        Mistake(
            "wrong-input",
            N_(
                "graph_model should read a single input, the four standardised measurements, "
                "through the Functional API. Hint: start it with keras.Input(shape=(4,))."
            ),
            lambda graph_model: (
                _model(graph_model) is not None and not _one_measurement_input(graph_model)
            ),
        ),
        Mistake(
            "chain",
            N_(
                "graph_model has one input and one output: it is a chain, and keras.Sequential "
                "could write it too, whatever its layers (LSTM, Conv1D, Dropout, ...). Hint: "
                "look for the model in the list that is not a chain."
            ),
            lambda graph_model: _model(graph_model) is not None and len(graph_model.outputs) == 1,
        ),
        Mistake(
            "body-mass-head",
            N_(
                "graph_model has a head of one value without an activation, a regression "
                "head like section 4's body mass. Hint: the exercise's model predicts the "
                "species and the sex; the sex head gives the probability that the penguin is "
                "male."
            ),
            lambda graph_model: _model(graph_model) is not None and _is_body_mass_head(graph_model),
        ),
        Mistake(
            "wrong-head-shapes",
            N_(
                "graph_model's outputs have the shapes {shapes}. Hint: one head gives the "
                "probabilities of the 3 species, the other the probability that the penguin "
                "is male."
            ),
            lambda graph_model: (
                _head_shapes_wrong(graph_model) if _model(graph_model) is not None else None
            ),
        ),
        Mistake(
            "wrong-head-activation",
            N_(
                "graph_model's head {name} ends with the activation {activation}. Hint: the "
                "species head must give probabilities that sum to 1 over the 3 classes "
                "(softmax), the sex head a single probability between 0 and 1 (sigmoid)."
            ),
            lambda graph_model: (
                _wrong_activation(graph_model) if _model(graph_model) is not None else None
            ),
        ),
        Mistake(
            "unnamed-heads",
            N_(
                "graph_model's output layers {names} have the names Keras made up. Hint: give "
                "each head a name (name=...); the losses, loss weights and targets of a "
                "multi-output model are matched to the heads by these names."
            ),
            lambda graph_model: (
                {"names": ", ".join(unnamed)}
                if _model(graph_model) is not None
                and (
                    unnamed := [
                        name for name in graph_model.output_names if _GENERATED_NAME.match(name)
                    ]
                )
                else None
            ),
        ),
    ],
)
def check_graph_model(graph_model: Any, two_input_model: Any, two_output_model: Any) -> None:
    """graph_model is the list's non-chain model: one measurement input, two named heads."""
    checks.keras_model(graph_model, "graph_model", hint=_GRAPH_HOW)


# --- ex-func-wide-deep --------------------------------------------------------------------

_N_TRAIN, _N_VAL, _N_TEST, _BATCH, _EPOCHS = 199, 67, 67, 32, 40
_TRAIN_HOW = N_(
    "train it with train_sex_model(wide_deep_model): Adam at 0.01, 40 epochs of batches of "
    "32 on train_measurements and train_sex, with the validation penguins as validation data."
)


def _built(wide_deep_model: Any) -> Any:
    return _model(wide_deep_model)


def _joins(model: Any) -> list[Any]:
    return [layer for layer in _layers(model) if type(layer).__name__ == "Concatenate"]


def _skips_from_input(model: Any) -> bool:
    inputs = model.inputs[0]
    return any(
        any(tensor is inputs for tensor in getattr(join, "input", []) or [])
        for join in _joins(model)
    )


def _layer_problem(model: Any) -> dict[str, str] | None:
    types = [type(layer).__name__ for layer in _layers(model)]
    units = [layer.units for layer in _layers(model) if type(layer).__name__ == "Dense"]
    if types == ["Dense", "Dropout", "Dense", "Concatenate", "Dense"] and units == [16, 8, 1]:
        return None
    return {"types": ", ".join(types), "units": ", ".join(str(u) for u in units)}


def _branch(model: Any) -> list[Any]:
    return [layer for layer in _layers(model) if type(layer).__name__ == "Dense"][:2]


def _branch_activation(model: Any) -> dict[str, str] | None:
    found = [activation_name(layer) for layer in _branch(model)]
    return None if found == ["relu", "relu"] else {"activations": ", ".join(found)}


def _dropout_rate(model: Any) -> dict[str, str] | None:
    rates = [float(layer.rate) for layer in _layers(model) if type(layer).__name__ == "Dropout"]
    return None if rates == [0.2] else {"rate": ", ".join(f"{rate:g}" for rate in rates)}


def _loss_name(loss: Any) -> str:
    if isinstance(loss, str):
        return loss
    return str(getattr(loss, "name", None) or getattr(loss, "__name__", None) or loss)


def _leak_rows(model: Any) -> dict[str, int] | None:
    """The last fit's steps per epoch are those of more penguins than the training set
    (with fit's and train_sex_model's batch size, 32)."""
    steps = steps_per_epoch(model)
    if steps is None or steps == math.ceil(_N_TRAIN / _BATCH):
        return None
    for rows in (_N_TRAIN + _N_VAL, _N_TRAIN + _N_VAL + _N_TEST):
        if steps == math.ceil(rows / _BATCH):
            return {"steps": steps, "rows": rows, "expected": math.ceil(_N_TRAIN / _BATCH)}
    return None


@exercise(
    "ex-func-wide-deep",
    answers=["wide_deep_model"],
    mistakes=[
        Mistake(
            "lesson-skip-model",
            N_(
                "wide_deep_model is the lesson's skip-connection model from section 5, which "
                "adds the block's output to the measurements. Hint: build a new model that "
                "concatenates them instead."
            ),
            lambda wide_deep_model, skip_model: (
                _built(wide_deep_model) is not None
                and same_keras_model(wide_deep_model, skip_model)
            ),
        ),
        Mistake(
            "sequential-chain",
            N_(
                "wide_deep_model is a keras.Sequential model: a chain, in which each layer sees "
                "only the layer before it, so it cannot have a skip connection. Hint: create a "
                "keras.Input, call each layer on a tensor, and finish with keras.Model(inputs, "
                "outputs)."
            ),
            lambda wide_deep_model: (
                _built(wide_deep_model) is not None
                and type(wide_deep_model).__name__ == "Sequential"
            ),
        ),
        Mistake(
            "wrong-input",
            N_(
                "wide_deep_model should read a single input, the four standardised "
                "measurements. Hint: start it with keras.Input(shape=(4,))."
            ),
            lambda wide_deep_model: (
                _built(wide_deep_model) is not None and not _one_measurement_input(wide_deep_model)
            ),
        ),
        Mistake(
            "wrong-output",
            N_(
                "wide_deep_model should have one output, the probability that a penguin is "
                "male, but its outputs have the shapes {shapes}. Hint: end with Dense(1, "
                "activation='sigmoid')."
            ),
            lambda wide_deep_model: (
                {"shapes": ", ".join(str(s) for s in _output_shapes(wide_deep_model))}
                if _built(wide_deep_model) is not None
                and _output_shapes(wide_deep_model) != [(None, 1)]
                else None
            ),
        ),
        Mistake(
            "no-concatenate",
            N_(
                "wide_deep_model has no concatenate layer, so the measurements reach the output "
                "only through the branch: a chain, with no skip connection. Hint: "
                "layers.concatenate([inputs, branch_output])."
            ),
            lambda wide_deep_model: (
                _built(wide_deep_model) is not None and not _joins(wide_deep_model)
            ),
        ),
        Mistake(
            "skip-not-from-input",
            N_(
                "wide_deep_model's concatenate layer does not take the measurements "
                "themselves: the skip connection must start at the Input. Hint: pass the "
                "keras.Input tensor to layers.concatenate, next to the branch's last Dense "
                "output."
            ),
            lambda wide_deep_model: (
                _built(wide_deep_model) is not None and not _skips_from_input(wide_deep_model)
            ),
        ),
        Mistake(
            "wrong-branch-layers",
            N_(
                "wide_deep_model's layers are {types}, with Dense layers of {units} units. "
                "Hint: the exercise asks for Dense(16), Dropout(0.2) and Dense(8) in the "
                "branch, then concatenate and Dense(1)."
            ),
            lambda wide_deep_model: (
                _layer_problem(wide_deep_model) if _built(wide_deep_model) is not None else None
            ),
        ),
        Mistake(
            "branch-not-relu",
            N_(
                "the two Dense layers of wide_deep_model's branch have the activations "
                "{activations}. Hint: the exercise asks for activation='relu' in both; without "
                "an activation the branch is one linear map and learns nothing a single layer "
                "could not."
            ),
            lambda wide_deep_model: (
                _branch_activation(wide_deep_model) if _built(wide_deep_model) is not None else None
            ),
        ),
        Mistake(
            "wrong-dropout-rate",
            N_(
                "wide_deep_model's Dropout layer drops a share of {rate} of the values; the "
                "exercise asks for Dropout(0.2)."
            ),
            lambda wide_deep_model: (
                _dropout_rate(wide_deep_model) if _built(wide_deep_model) is not None else None
            ),
        ),
        Mistake(
            "output-not-sigmoid",
            N_(
                "wide_deep_model's output layer has the activation {activation}. Hint: one "
                "probability between 0 and 1 comes from a sigmoid."
            ),
            lambda wide_deep_model: (
                {"activation": activation_name(_layers(wide_deep_model)[-1])}
                if _built(wide_deep_model) is not None
                and activation_name(_layers(wide_deep_model)[-1]) != "sigmoid"
                else None
            ),
        ),
        Mistake(
            "not-trained",
            N_("wide_deep_model has not been trained yet. Hint: {how}"),
            lambda wide_deep_model: (
                {"how": _(_TRAIN_HOW)}
                if _built(wide_deep_model) is not None and training_steps(wide_deep_model) == 0
                else None
            ),
        ),
        Mistake(
            "wrong-loss",
            N_(
                "wide_deep_model was compiled with the loss {loss}. Hint: a yes-or-no question "
                "with a sigmoid output is trained with the binary cross-entropy "
                "(loss='binary_crossentropy')."
            ),
            lambda wide_deep_model: (
                {"loss": _loss_name(wide_deep_model.loss)}
                if _built(wide_deep_model) is not None
                and getattr(wide_deep_model, "compiled", False)
                and "binary_crossentropy" not in _loss_name(getattr(wide_deep_model, "loss", ""))
                else None
            ),
        ),
        Mistake(
            "validated-on-other-rows",
            N_(
                "wide_deep_model's history holds validation scores that were not measured on "
                "the validation penguins (val_measurements, val_sex): its validation data was "
                "other penguins, the test penguins perhaps, which are kept for the end. Hint: "
                "{how}"
            ),
            lambda wide_deep_model, val_measurements, val_sex: (
                {"how": _(_TRAIN_HOW)}
                if _built(wide_deep_model) is not None
                and validated_on(wide_deep_model, val_measurements, val_sex) is False
                else None
            ),
        ),
        Mistake(
            "trained-on-more-rows",
            N_(
                "wide_deep_model made {steps} weight updates per epoch, as many as batches of "
                "32 of {rows} penguins take; the 199 training penguins take {expected}. The "
                "validation penguins the check scores it on were among its training data: a "
                "leak. Hint: {how}"
            ),
            lambda wide_deep_model: (
                {**_leak_rows(wide_deep_model), "how": _(_TRAIN_HOW)}
                if _built(wide_deep_model) is not None and _leak_rows(wide_deep_model)
                else None
            ),
        ),
        Mistake(
            "too-few-epochs",
            N_(
                "wide_deep_model's training ran {epochs} epochs; the exercise trains it for 40, "
                "as train_sex_model does. Hint: {how}"
            ),
            lambda wide_deep_model: (
                {"epochs": fitted_epochs(wide_deep_model), "how": _(_TRAIN_HOW)}
                if _built(wide_deep_model) is not None
                and (fitted_epochs(wide_deep_model) or _EPOCHS) < _EPOCHS
                else None
            ),
        ),
    ],
)
def check_wide_deep(
    wide_deep_model: Any, val_measurements: Any, val_sex: Any, skip_model: Any
) -> None:
    """wide_deep_model: a Functional Dense-Dropout-Dense branch concatenated with its Input,
    trained 40 epochs on the training penguins, at least 0.8 validation accuracy."""
    checks.keras_model(wide_deep_model, "wide_deep_model", hint=_GRAPH_HOW)
    checks.check_score(
        wide_deep_model,
        val_measurements,
        val_sex,
        minimum=0.8,
        name="wide_deep_model",
        hint=_TRAIN_HOW,
    )
