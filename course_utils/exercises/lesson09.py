"""Checks of the exercises of lesson 09, "RNN and LSTM for time series".

The window count, the output shapes and the LSTM's parameter count are fixed numbers. The
GRU's check reads the model's layers and compile settings, makes sure it was trained, and
compares its validation forecasts with the persistence forecast, using the lesson's
validation windows and its ``mae`` in sunspots.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from course_utils import checks
from course_utils.checks import WrongAnswer
from course_utils.exercises import exercise
from course_utils.exercises._common import reject_known_mistake

_N_WINDOWS = 100 - 10 - 1 + 1  # T - window - horizon + 1
_SHAPE_WITH_SEQUENCES = (32, 24, 8)
_SHAPE_LAST_ONLY = (32, 8)
_LSTM_PARAMS = 4 * 8 * (3 + 8 + 1)
_GRU_LEARNING_RATE = 0.01


def _shape(value: Any, name: str) -> tuple[float, ...]:
    try:
        shape = np.asarray(value, dtype="float64")
    except (TypeError, ValueError):
        shape = None
    if shape is None or shape.ndim != 1:
        raise WrongAnswer(
            f"{name} should be a list of whole numbers, one per axis, like [2, 5], but it is "
            f"{value!r}."
        )
    return tuple(shape.tolist())


@exercise("ex-rnn-window-count", answers=["n_windows"])
def check_window_count(n_windows: Any) -> None:
    """n_windows is the count of 10-step windows, each with a next value, in 100 values."""
    mistakes = {
        _N_WINDOWS + 1: "with that many windows, the last one would end at the series' last "
        "value and have no value after it to predict.",
        _N_WINDOWS - 1: "the last window may end right before the series' last value, "
        "which is then its target; count again.",
        10: "sliding windows overlap: each starts one step after the previous one, not where "
        "the previous one ended.",
        9: "sliding windows overlap: each starts one step after the previous one, not where "
        "the previous one ended.",
    }
    reject_known_mistake(n_windows, "n_windows", mistakes)
    checks.check_number(
        n_windows,
        _N_WINDOWS,
        name="n_windows",
        hint="count the positions where a window of 10 values can start and still leave one "
        "value after it; len(temporalize(np.arange(100), window=10)[0]) confirms your number.",
    )


@exercise("ex-rnn-sequence-shapes", answers=["shape_with_sequences", "shape_last_only"])
def check_sequence_shapes(shape_with_sequences: Any, shape_last_only: Any) -> None:
    """The output shapes of LSTM(8) with and without return_sequences on a (32, 24, 3) batch."""
    run_it = (
        "Hint: run both layers on np.zeros((32, 24, 3), dtype='float32') and look at the shapes."
    )
    with_sequences = _shape(shape_with_sequences, "shape_with_sequences")
    last_only = _shape(shape_last_only, "shape_last_only")
    for name, shape in [("shape_with_sequences", with_sequences), ("shape_last_only", last_only)]:
        if shape and shape[0] != 32:
            raise WrongAnswer(
                f"{name} does not start with the batch dimension: a recurrent layer's output "
                f"keeps one row per window of the batch. {run_it}"
            )
        if shape and shape[-1] == 3:
            raise WrongAnswer(
                f"{name} ends with the input's 3 features; the last axis of a recurrent "
                f"layer's output is its number of units. {run_it}"
            )
    if with_sequences == _SHAPE_LAST_ONLY:
        raise WrongAnswer(
            "shape_with_sequences has no time axis: return_sequences=True makes the layer "
            f"return its state after every step, not only the last. {run_it}"
        )
    if last_only == _SHAPE_WITH_SEQUENCES:
        raise WrongAnswer(
            "shape_last_only keeps the time axis, but without return_sequences the layer "
            f"returns only its state after the last step. {run_it}"
        )
    for name, shape, expected in [
        ("shape_with_sequences", with_sequences, _SHAPE_WITH_SEQUENCES),
        ("shape_last_only", last_only, _SHAPE_LAST_ONLY),
    ]:
        if shape != expected and sorted(shape) == sorted(expected):
            raise WrongAnswer(f"{name} has its axes in the wrong order. {run_it}")
    if with_sequences != _SHAPE_WITH_SEQUENCES:
        raise WrongAnswer(
            "shape_with_sequences is not the output shape of LSTM(8, return_sequences=True) "
            f"on that batch. {run_it}"
        )
    if last_only != _SHAPE_LAST_ONLY:
        raise WrongAnswer(
            f"shape_last_only is not the output shape of LSTM(8) on that batch. {run_it}"
        )


@exercise("ex-rnn-lstm-params", answers=["lstm_params"])
def check_lstm_params(lstm_params: Any) -> None:
    """lstm_params is the parameter count of LSTM(8) on 3 features per step."""
    mistakes = {
        8 * (3 + 8 + 1): "that is the count of a SimpleRNN(8); an LSTM computes three gates "
        "and a candidate, each with weights of its own.",
        4 * 8 * (3 + 8): "that count leaves out the biases: each of the LSTM's blocks has one "
        "bias per unit.",
        4 * 8 * (3 + 1): "that count leaves out the recurrent weights: each block also reads "
        "the previous hidden state, with units x units weights.",
        3 * 8 * (3 + 8 + 1): "that counts the three gates only; the candidate has weights "
        "of its own too.",
        4 * 16 * (1 + 16 + 1): "that is the lesson's first LSTM layer, with 16 units and 1 "
        "feature.",
    }
    reject_known_mistake(lstm_params, "lstm_params", mistakes)
    checks.check_number(
        lstm_params,
        _LSTM_PARAMS,
        name="lstm_params",
        hint="count the LSTM's weight blocks, and units x (features + units + 1) in each; "
        "layers.LSTM(8) on keras.Input(shape=(24, 3)) and count_params() confirm it.",
    )


def _loss_name(loss: Any) -> str:
    if isinstance(loss, str):
        return loss
    return str(getattr(loss, "name", None) or getattr(loss, "__name__", None) or loss)


@exercise("ex-rnn-gru", answers=["gru_model"])
def check_gru(gru_model: Any, x_val: Any, y_val: Any, mae: Any, lstm: Any, rnn: Any) -> None:
    """gru_model: one GRU(16) + Dense(1), MSE, rate 0.01, trained, beats persistence."""
    import keras

    if not isinstance(gru_model, keras.Model):
        raise WrongAnswer(
            f"gru_model should be a Keras model, but it is a {type(gru_model).__name__}."
        )
    for lesson_model, name in [(lstm, "stacked LSTM"), (rnn, "stacked SimpleRNN")]:
        if gru_model is lesson_model:
            raise WrongAnswer(
                f"gru_model is the lesson's {name}. Hint: build a new model with one "
                "layers.GRU(16) layer."
            )
    model_layers = [layer for layer in gru_model.layers if type(layer).__name__ != "InputLayer"]
    recurrent = [layer for layer in model_layers if isinstance(layer, keras.layers.RNN)]
    types = [type(layer).__name__ for layer in model_layers]
    if not any(type(layer).__name__ == "GRU" for layer in recurrent):
        raise WrongAnswer(
            f"gru_model has no GRU layer (its layers are {types}). Hint: use layers.GRU."
        )
    if len(recurrent) > 1:
        raise WrongAnswer(
            f"gru_model stacks {len(recurrent)} recurrent layers; the exercise asks for a "
            "single GRU layer."
        )
    (gru,) = recurrent
    if gru.units != 16:
        raise WrongAnswer(f"gru_model's GRU has {gru.units} units; the exercise asks for 16.")
    if gru.return_sequences:
        raise WrongAnswer(
            "gru_model's GRU returns a sequence (return_sequences=True), so the Dense layer "
            "makes one forecast per time step. Hint: the last recurrent layer of a model, "
            "here the only one, should return only its last state."
        )
    if types != ["GRU", "Dense"] or model_layers[-1].units != 1:
        raise WrongAnswer(
            f"gru_model's layers are {types}. Hint: the exercise asks for the GRU and a "
            "Dense(1) output, nothing else."
        )
    try:
        input_shape = tuple(gru_model.inputs[0].shape)
    except (AttributeError, ValueError, IndexError):
        input_shape = None
    if input_shape is None or input_shape[1:] != tuple(np.shape(x_val)[1:]):
        raise WrongAnswer(
            "gru_model should read the lesson's windows. Hint: start it with "
            "keras.Input(shape=(WINDOW, 1))."
        )
    optimizer = getattr(gru_model, "optimizer", None)
    if not getattr(gru_model, "compiled", False) or optimizer is None:
        raise WrongAnswer(
            "gru_model has not been compiled and trained yet. Hint: compile it, then call "
            "train(gru_model, patience=10)."
        )
    if _loss_name(gru_model.loss) not in ("mse", "mean_squared_error"):
        raise WrongAnswer(
            f"gru_model was compiled with the loss {_loss_name(gru_model.loss)!r}. Hint: "
            "compile it as make_recurrent_model does, with the mean squared error."
        )
    learning_rate = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
    if not np.isclose(learning_rate, _GRU_LEARNING_RATE, rtol=1e-6):
        raise WrongAnswer(
            f"gru_model was compiled with a learning rate of {learning_rate:g}, but the "
            f"exercise asks for {_GRU_LEARNING_RATE:g}. Hint: "
            "keras.optimizers.Adam(learning_rate=...)."
        )
    if int(optimizer.iterations.numpy()) == 0:
        raise WrongAnswer(
            "gru_model has not been trained yet. Hint: call train(gru_model, patience=10)."
        )
    forecast = np.asarray(gru_model.predict(x_val, verbose=0)).reshape(-1)
    gru_mae = mae(forecast, y_val)
    persistence_mae = mae(np.asarray(x_val)[:, -1, 0], y_val)
    if not gru_mae < persistence_mae:
        raise WrongAnswer(
            f"gru_model's validation MAE is {gru_mae:.1f} sunspots, no better than the "
            f"persistence forecast's {persistence_mae:.1f}. Hint: train it with "
            "train(gru_model, patience=10), which runs until the validation loss stops "
            "improving and keeps the best epoch's weights."
        )
