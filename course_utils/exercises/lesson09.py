"""Checks of the exercises of lesson 09, "RNN and LSTM for time series".

The window count, the output shapes and the LSTM's parameter count are fixed numbers. The
GRU's check reads the model's layers and compile settings and how it was trained (the steps
per epoch and the validation logs of its last fit, whether early stopping ended it), and
compares its validation forecasts with the persistence forecast, using the lesson's
validation windows and its ``mae`` in sunspots.

Each exercise lists the mistakes its check recognises (:class:`Mistake`), in the order it
tests them; the lesson's wrong-answer cells name the one each must get.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from course_utils import checks
from course_utils.exercises import Mistake, exercise, reject
from course_utils.exercises._common import (
    built_keras_model,
    compiled_keras_model,
    expected_steps,
    fitted_keras_model,
    history_of,
    is_number,
    leaked_rows,
    learning_rate,
    loss_name,
    model_layers,
    same_keras_model,
    steps_per_epoch,
    validated_on,
)
from course_utils.i18n import N_, _

_T, _W, _H = 100, 10, 1
_N_WINDOWS = _T - _W - _H + 1
_BATCH, _STEPS, _FEATURES, _UNITS = 32, 24, 3, 8
_SHAPE_WITH_SEQUENCES = (_BATCH, _STEPS, _UNITS)
_SHAPE_LAST_ONLY = (_BATCH, _UNITS)


def _lstm_count(units: int, features: int, *, blocks: int = 4, biases: int = 1) -> int:
    return blocks * units * (features + units + biases)


_LSTM_PARAMS = _lstm_count(_UNITS, _FEATURES)


# --- ex-rnn-window-count --------------------------------------------------------------------


@exercise(
    "ex-rnn-window-count",
    answers=["n_windows"],
    mistakes=[
        Mistake(
            "no-target-for-last",
            N_(
                "n_windows is one too many: the last window would end at the series' last "
                "value and have no value after it to predict. Hint: each window needs the "
                "value right after it as its target."
            ),
            lambda n_windows: is_number(n_windows, _N_WINDOWS + 1),
        ),
        Mistake(
            "one-too-few",
            N_(
                "n_windows is one short: the last window may end right before the series' "
                "last value, which is then its target. Hint: count the positions where a "
                "window can start, the first one included."
            ),
            lambda n_windows: is_number(n_windows, _N_WINDOWS - 1),
        ),
        Mistake(
            "side-by-side",
            N_(
                "n_windows counts windows side by side, but sliding windows overlap: each "
                "starts one step after the previous one, not where the previous one ended."
            ),
            lambda n_windows: any(is_number(n_windows, n) for n in (_T // _W, _T // _W - 1)),
        ),
        Mistake(
            "one-per-value",
            N_(
                "n_windows counts one window per value of the series, but a window needs 10 "
                "values before its target, and the last value has nothing after it. Hint: "
                "count the positions where a window of 10 values can start and still leave "
                "one value after it."
            ),
            lambda n_windows: is_number(n_windows, _T),
        ),
        Mistake(
            "lesson-window",
            N_(
                "n_windows is the count for windows of 12 steps, the lesson's WINDOW. Hint: "
                "the exercise's windows are 10 steps long."
            ),
            lambda n_windows: any(is_number(n_windows, n) for n in (_T - 12, _T - 12 - 1)),
        ),
        Mistake(
            "lesson-series",
            N_(
                "n_windows is the number of the lesson's training windows, cut from the "
                "sunspot series. Hint: the exercise's series has 100 values; "
                "temporalize(np.arange(100), window=10) cuts it."
            ),
            lambda n_windows, x_train: is_number(n_windows, len(x_train)),
        ),
    ],
)
def check_window_count(n_windows, x_train):
    """n_windows is the count of 10-step windows, each with a next value, in 100 values."""
    checks.check_number(
        n_windows,
        _N_WINDOWS,
        name="n_windows",
        hint=N_(
            "count the positions where a window of 10 values can start and still leave one "
            "value after it; len(temporalize(np.arange(100), window=10)[0]) confirms your "
            "number."
        ),
    )


# --- ex-rnn-sequence-shapes -----------------------------------------------------------------

_RUN_IT = N_("run both layers on np.zeros((32, 24, 3), dtype='float32') and look at the shapes.")
_NAMES = ("shape_with_sequences", "shape_last_only")


def _shape(value: Any) -> tuple[float, ...] | None:
    """A shape as a tuple of numbers (a None axis as nan), or None if it is not a flat list
    or tuple of numbers."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        return None
    try:
        items = [np.nan if v is None else v for v in value]
        shape = np.asarray(items, dtype="float64")
    except (TypeError, ValueError):
        return None
    if shape.ndim != 1 or any(isinstance(v, (bool, np.bool_)) for v in items):
        return None
    return tuple(shape.tolist())


def _hinted(found: Any) -> dict[str, Any] | None:
    """A mistake's fields with the hint to run the layers, or None when it is not made."""
    if not found:
        return None
    return {**(found if isinstance(found, dict) else {}), "run_it": _(_RUN_IT)}


def _first_shape(
    shape_with_sequences: Any, shape_last_only: Any, test: Callable[[tuple], bool]
) -> dict[str, Any] | None:
    """The name (and the run-it hint) of the first of the two shapes that ``test`` finds."""
    for name, value in zip(_NAMES, (shape_with_sequences, shape_last_only), strict=True):
        shape = _shape(value)
        if shape and test(shape):
            return _hinted({"name": name})
    return None


def _axes_shuffled(shape: tuple, expected: tuple) -> bool:
    return shape != expected and sorted(shape) == sorted(expected)


@exercise(
    "ex-rnn-sequence-shapes",
    answers=["shape_with_sequences", "shape_last_only"],
    mistakes=[
        Mistake(
            "not-a-list",
            N_(
                "{name} should be a list of whole numbers, one per axis, like [2, 5], but it "
                "is {value}."
            ),
            lambda shape_with_sequences, shape_last_only: next(
                (
                    {"name": name, "value": checks._short(value)}
                    for name, value in zip(
                        _NAMES, (shape_with_sequences, shape_last_only), strict=True
                    )
                    if _shape(value) is None
                ),
                None,
            ),
        ),
        Mistake(
            "symbolic-batch",
            N_(
                "{name} has None for the batch axis, as model.output_shape writes it for a "
                "batch of any size; the exercise's batch has 32 windows. Hint: {run_it}"
            ),
            lambda shape_with_sequences, shape_last_only: _first_shape(
                shape_with_sequences, shape_last_only, lambda shape: math.isnan(shape[0])
            ),
        ),
        Mistake(
            "no-batch-axis",
            N_(
                "{name} does not start with the batch dimension: a recurrent layer's output "
                "keeps one row per window of the batch. Hint: {run_it}"
            ),
            lambda shape_with_sequences, shape_last_only: _first_shape(
                shape_with_sequences, shape_last_only, lambda shape: shape[0] != _BATCH
            ),
        ),
        Mistake(
            "features-last",
            N_(
                "{name} ends with the input's 3 features; the last axis of a recurrent "
                "layer's output is its number of units. Hint: {run_it}"
            ),
            lambda shape_with_sequences, shape_last_only: _first_shape(
                shape_with_sequences, shape_last_only, lambda shape: shape[-1] == _FEATURES
            ),
        ),
        Mistake(
            "shapes-swapped",
            N_(
                "the two shapes are swapped: return_sequences=True keeps the time axis, the "
                "layer's state after every step; without it the layer returns only its state "
                "after the last step. Hint: {run_it}"
            ),
            lambda shape_with_sequences, shape_last_only: _hinted(
                _shape(shape_with_sequences) == _SHAPE_LAST_ONLY
                and _shape(shape_last_only) == _SHAPE_WITH_SEQUENCES
            ),
        ),
        Mistake(
            "no-time-axis",
            N_(
                "shape_with_sequences has no time axis: return_sequences=True makes the layer "
                "return its state after every step, not only the last. Hint: {run_it}"
            ),
            lambda shape_with_sequences: _hinted(_shape(shape_with_sequences) == _SHAPE_LAST_ONLY),
        ),
        Mistake(
            "time-axis-kept",
            N_(
                "shape_last_only keeps the time axis, but without return_sequences the layer "
                "returns only its state after the last step. Hint: {run_it}"
            ),
            lambda shape_last_only: _hinted(_shape(shape_last_only) == _SHAPE_WITH_SEQUENCES),
        ),
        Mistake(
            "axes-order",
            N_("{name} has its axes in the wrong order. Hint: {run_it}"),
            lambda shape_with_sequences, shape_last_only: next(
                (
                    _hinted({"name": name})
                    for name, value, expected in zip(
                        _NAMES,
                        (shape_with_sequences, shape_last_only),
                        (_SHAPE_WITH_SEQUENCES, _SHAPE_LAST_ONLY),
                        strict=True,
                    )
                    if _axes_shuffled(_shape(value), expected)
                ),
                None,
            ),
        ),
        Mistake(
            "not-the-sequence-output",
            N_(
                "shape_with_sequences is not the output shape of "
                "LSTM(8, return_sequences=True) on that batch. Hint: {run_it}"
            ),
        ),
        Mistake(
            "not-the-last-output",
            N_("shape_last_only is not the output shape of LSTM(8) on that batch. Hint: {run_it}"),
        ),
    ],
)
def check_sequence_shapes(shape_with_sequences, shape_last_only):
    """The output shapes of LSTM(8) with and without return_sequences on a (32, 24, 3) batch."""
    if _shape(shape_with_sequences) != _SHAPE_WITH_SEQUENCES:
        reject("not-the-sequence-output", run_it=_(_RUN_IT))
    if _shape(shape_last_only) != _SHAPE_LAST_ONLY:
        reject("not-the-last-output", run_it=_(_RUN_IT))


# --- ex-rnn-lstm-params ---------------------------------------------------------------------


@exercise(
    "ex-rnn-lstm-params",
    answers=["lstm_params"],
    mistakes=[
        Mistake(
            "simple-rnn-count",
            N_(
                "lstm_params is the count of a SimpleRNN(8); an LSTM computes three gates and "
                "a candidate, each with weights of its own."
            ),
            lambda lstm_params: is_number(lstm_params, _lstm_count(_UNITS, _FEATURES, blocks=1)),
        ),
        Mistake(
            "no-biases",
            N_(
                "lstm_params leaves out the biases: each of the LSTM's blocks has one bias per "
                "unit."
            ),
            lambda lstm_params: is_number(lstm_params, _lstm_count(_UNITS, _FEATURES, biases=0)),
        ),
        Mistake(
            "one-bias-per-block",
            N_(
                "lstm_params counts one bias per block, but each block has one bias per unit, "
                "as it has a row of weights per unit."
            ),
            lambda lstm_params: is_number(
                lstm_params, _lstm_count(_UNITS, _FEATURES, biases=0) + 4
            ),
        ),
        Mistake(
            "no-recurrent-weights",
            N_(
                "lstm_params leaves out the recurrent weights: each block also reads the "
                "previous hidden state, with units x units weights."
            ),
            lambda lstm_params: is_number(lstm_params, 4 * _UNITS * (_FEATURES + 1)),
        ),
        Mistake(
            "three-blocks",
            N_(
                "lstm_params counts the three gates only; the candidate has weights of its own too."
            ),
            lambda lstm_params: is_number(lstm_params, _lstm_count(_UNITS, _FEATURES, blocks=3)),
        ),
        Mistake(
            "units-features-swapped",
            N_(
                "lstm_params swaps the units and the features: it is the count of an LSTM "
                "with 3 units on 8 features. Hint: the recurrent weights connect the 8 units "
                "to each other, units x units of them per block."
            ),
            lambda lstm_params: is_number(lstm_params, _lstm_count(_FEATURES, _UNITS)),
        ),
        Mistake(
            "dense-head-counted",
            N_(
                "lstm_params counts a Dense(1) output layer too: that is the count of a model, "
                "not of the LSTM layer. Hint: call count_params() on the layer, or count only "
                "its weights."
            ),
            lambda lstm_params: is_number(lstm_params, _LSTM_PARAMS + _UNITS + 1),
        ),
        Mistake(
            "lesson-lstm",
            N_(
                "lstm_params is a count of the lesson's LSTM (16 units, 1 feature per step). "
                "Hint: the exercise's layer has 8 units and 3 features per step."
            ),
            lambda lstm_params, lstm: any(
                is_number(lstm_params, count)
                for count in (lstm.count_params(), model_layers(lstm)[0].count_params())
            ),
        ),
    ],
)
def check_lstm_params(lstm_params, lstm):
    """lstm_params is the parameter count of LSTM(8) on 3 features per step."""
    checks.check_number(
        lstm_params,
        _LSTM_PARAMS,
        name="lstm_params",
        hint=N_(
            "count the LSTM's weight blocks, and units x (features + units + 1) in each; "
            "layers.LSTM(8) on keras.Input(shape=(24, 3)) and count_params() confirm it."
        ),
    )


# --- ex-rnn-gru -----------------------------------------------------------------------------

_GRU_RATE, _TRAIN_BATCH, _TRAIN_EPOCHS = 0.01, 32, 200
_TRAIN_HOW = N_("call train(gru_model, patience=10).")
_LEAD = N_(
    "lead over the persistence forecast (its validation MAE minus that of the model, in sunspots)"
)


def _layers_of(value: Any) -> list[Any]:
    model = built_keras_model(value)
    return [] if model is None else model_layers(model)


def _recurrent(value: Any) -> list[Any]:
    import keras

    return [layer for layer in _layers_of(value) if isinstance(layer, keras.layers.RNN)]


def _kinds(value: Any) -> list[str]:
    return [type(layer).__name__ for layer in _layers_of(value)]


def _reads_windows(gru_model: Any, x_val: Any) -> bool:
    """The model's input takes windows of the lesson's shape (any number of steps)."""
    try:
        shape = tuple(gru_model.inputs[0].shape)
    except (AttributeError, ValueError, IndexError, TypeError):
        return False
    expected = tuple(np.shape(x_val)[1:])
    return len(shape) == 3 and shape[1] in (None, expected[0]) and shape[2] == expected[1]


def _fixed_run(value: Any) -> dict[str, Any] | None:
    """The epochs of a last fit that ran all the epochs it was given, fewer than train's 200,
    so early stopping did not end it."""
    model = fitted_keras_model(value)
    logs = history_of(model) if model is not None else None
    params = getattr(getattr(model, "history", None), "params", None) or {}
    epochs = params.get("epochs")
    if not logs or not isinstance(epochs, (int, np.integer)):
        return None
    run = len(next(iter(logs.values()), []))
    return {"epochs": run} if run >= epochs and epochs < _TRAIN_EPOCHS else None


@exercise(
    "ex-rnn-gru",
    answers=["gru_model"],
    mistakes=[
        Mistake(
            "lesson-model",
            N_(
                "gru_model is the lesson's {name}, a stack of two recurrent layers. Hint: "
                "build a new model with one layers.GRU(16) layer."
            ),
            lambda gru_model, lstm, rnn: next(
                (
                    {"name": name}
                    for lesson_model, name in [(lstm, "lstm"), (rnn, "rnn")]
                    if same_keras_model(gru_model, lesson_model)
                ),
                None,
            ),
        ),
        Mistake(
            "no-gru",
            N_("gru_model has no GRU layer (its layers are {kinds}). Hint: use layers.GRU."),
            lambda gru_model: (
                {"kinds": ", ".join(_kinds(gru_model))}
                if _layers_of(gru_model) and "GRU" not in _kinds(gru_model)
                else None
            ),
        ),
        Mistake(
            "several-recurrent-layers",
            N_(
                "gru_model stacks {count} recurrent layers; the exercise asks for a single "
                "GRU layer."
            ),
            lambda gru_model: (
                {"count": len(_recurrent(gru_model))} if len(_recurrent(gru_model)) > 1 else None
            ),
        ),
        Mistake(
            "other-units",
            N_("gru_model's GRU has {units} units; the exercise asks for 16."),
            lambda gru_model: (
                {"units": _recurrent(gru_model)[0].units}
                if _recurrent(gru_model) and _recurrent(gru_model)[0].units != 16
                else None
            ),
        ),
        Mistake(
            "returns-sequences",
            N_(
                "gru_model's GRU returns a sequence (return_sequences=True), so the Dense "
                "layer makes one forecast per time step. Hint: the last recurrent layer of a "
                "model, here the only one, should return only its last state."
            ),
            lambda gru_model: (
                bool(_recurrent(gru_model)) and _recurrent(gru_model)[0].return_sequences
            ),
        ),
        Mistake(
            "other-layers",
            N_(
                "gru_model's layers are {kinds}. Hint: the exercise asks for the GRU and a "
                "Dense(1) output, nothing else."
            ),
            lambda gru_model: (
                {"kinds": ", ".join(_kinds(gru_model))}
                if _layers_of(gru_model)
                and (_kinds(gru_model) != ["GRU", "Dense"] or _layers_of(gru_model)[-1].units != 1)
                else None
            ),
        ),
        Mistake(
            "other-input",
            N_(
                "gru_model does not read the lesson's windows, WINDOW steps of 1 value each. "
                "Hint: start it with keras.Input(shape=(WINDOW, 1))."
            ),
            lambda gru_model, x_val: (
                _layers_of(gru_model) != [] and not _reads_windows(gru_model, x_val)
            ),
        ),
        Mistake(
            "not-compiled",
            N_("gru_model has not been compiled and trained yet. Hint: compile it, then {how}"),
            lambda gru_model: (
                {"how": _(_TRAIN_HOW)}
                if built_keras_model(gru_model) is not None
                and compiled_keras_model(gru_model) is None
                else None
            ),
        ),
        Mistake(
            "other-loss",
            N_(
                "gru_model was compiled with the loss {loss}. Hint: compile it as "
                "make_recurrent_model does, with the mean squared error."
            ),
            lambda gru_model: (
                {"loss": repr(loss_name(gru_model))}
                if compiled_keras_model(gru_model) is not None
                and loss_name(gru_model) not in ("mse", "mean_squared_error")
                else None
            ),
        ),
        Mistake(
            "other-learning-rate",
            N_(
                "gru_model was compiled with a learning rate of {rate}, but the exercise asks "
                "for 0.01. Hint: keras.optimizers.Adam(learning_rate=...)."
            ),
            lambda gru_model: (
                {"rate": f"{learning_rate(gru_model):g}"}
                if compiled_keras_model(gru_model) is not None
                and learning_rate(gru_model) is not None
                and not math.isclose(learning_rate(gru_model), _GRU_RATE, rel_tol=1e-6)
                else None
            ),
        ),
        Mistake(
            "not-trained",
            N_("gru_model has not been trained yet. Hint: {how}"),
            lambda gru_model: (
                {"how": _(_TRAIN_HOW)}
                if compiled_keras_model(gru_model) is not None
                and fitted_keras_model(gru_model) is None
                else None
            ),
        ),
        Mistake(
            "no-validation-data",
            N_(
                "gru_model's last fit had no validation data, so nothing could stop it at the "
                "best epoch. Hint: {how} It validates on x_val and stops early."
            ),
            lambda gru_model: (
                {"how": _(_TRAIN_HOW)}
                if fitted_keras_model(gru_model) is not None
                and "val_loss" not in (history_of(gru_model) or {})
                else None
            ),
        ),
        Mistake(
            "validated-on-other-rows",
            N_(
                "gru_model's validation losses are not its loss on x_val and y_val: it was "
                "validated on other windows (the test windows?), so its early stopping chose "
                "with them. Hint: {how}"
            ),
            lambda gru_model, x_val, y_val: (
                {"how": _(_TRAIN_HOW)}
                if fitted_keras_model(gru_model) is not None
                and validated_on(gru_model, x_val, y_val) is False
                else None
            ),
        ),
        Mistake(
            "trained-on-more-rows",
            N_(
                "gru_model's last fit went over {rows} windows per epoch, but x_train has "
                "{train}: the validation or test windows leaked into its training. Hint: {how}"
            ),
            lambda gru_model, x_train, x_val, x_test: (
                {
                    "rows": len(x_train)
                    + leaked_rows(gru_model, len(x_train), _TRAIN_BATCH, (len(x_val), len(x_test))),
                    "train": len(x_train),
                    "how": _(_TRAIN_HOW),
                }
                if fitted_keras_model(gru_model) is not None
                and leaked_rows(gru_model, len(x_train), _TRAIN_BATCH, (len(x_val), len(x_test)))
                else None
            ),
        ),
        Mistake(
            "other-batch-size",
            N_(
                "gru_model's last fit made {steps} weight updates per epoch, not what batches "
                "of 32 over x_train make. Hint: {how} It trains in batches of 32."
            ),
            lambda gru_model, x_train: (
                {"steps": steps_per_epoch(gru_model), "how": _(_TRAIN_HOW)}
                if fitted_keras_model(gru_model) is not None
                and steps_per_epoch(gru_model) is not None
                and steps_per_epoch(gru_model) != expected_steps(len(x_train), _TRAIN_BATCH, 1)
                else None
            ),
        ),
        Mistake(
            "fixed-epochs",
            N_(
                "gru_model's last fit ran a fixed {epochs} epochs, and no early stopping "
                "ended it at the best epoch. Hint: {how} It trains up to 200 epochs, stops "
                "when the validation loss has not improved for 10, and keeps the best "
                "epoch's weights."
            ),
            lambda gru_model: (
                {**_fixed_run(gru_model), "how": _(_TRAIN_HOW)} if _fixed_run(gru_model) else None
            ),
        ),
    ],
)
def check_gru(gru_model, x_train, x_val, y_val, x_test, mae, lstm, rnn):
    """gru_model: one GRU(16) + Dense(1), MSE, rate 0.01, trained with train() on the
    training windows, validated on x_val, and better than persistence there."""
    checks.keras_model(gru_model, "gru_model", _TRAIN_HOW)
    persistence_mae = float(mae(np.asarray(x_val)[:, -1, 0], y_val))

    def lead(targets: Any, forecast: Any) -> float:
        return persistence_mae - float(mae(np.asarray(forecast).reshape(-1), targets))

    lead.__name__ = _(_LEAD)
    checks.check_score(
        gru_model,
        x_val,
        y_val,
        minimum=0.0,
        metric=lead,
        name="gru_model",
        hint=N_(
            "train it with train(gru_model, patience=10), which runs until the validation "
            "loss stops improving and keeps the best epoch's weights."
        ),
    )
