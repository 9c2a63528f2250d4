"""Checks of the exercises of lesson 5, "Callbacks, checkpoints and learning-rate schedules"."""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np

from course_utils import checks
from course_utils.exercises import exercise
from course_utils.exercises._common import is_number
from course_utils.exercises._common import wrong as _wrong


def _is(value: Any, number: float, rtol: float = 1e-6) -> bool:
    return is_number(value, number, rtol)


# The exercise's schedule: 0.02, multiplied by 0.6 every 8 epochs (epochs counted from 0).
_START, _DROP, _EVERY = 0.02, 0.6, 8
_EPOCHS = 40


def _integer(value: Any, name: str, hint: str) -> int:
    """Return ``value`` as an int if it is a whole number; reject it otherwise."""
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(()).item()
    if (
        isinstance(value, (bool, np.bool_))
        or not isinstance(value, (int, float, np.integer, np.floating))
        or float(value) != int(value)
    ):
        _wrong(f"{name} should be a whole number of epochs, but it is {value!r}. Hint: {hint}")
    return int(value)


def _step_rate(epoch: int) -> float:
    return _START * _DROP ** (epoch // _EVERY)


def _scheduled_rates(schedule: Any, initial: float = 1e-3) -> list[float]:
    """The rates LearningRateScheduler would set with ``schedule``, epoch by epoch.

    Like Keras, it first calls ``schedule(epoch, current_rate)`` and falls back on
    ``schedule(epoch)`` when that raises a TypeError.
    """
    rates, rate = [], initial
    for epoch in range(_EPOCHS):
        try:
            rate = schedule(epoch, rate)
        except TypeError:
            rate = schedule(epoch)
        if checks.is_placeholder(rate):
            raise checks.NotAnswered(
                "Not answered yet: my_step_decay still returns ...; write its body."
            )
        if isinstance(rate, np.ndarray) and rate.size == 1:
            rate = rate.reshape(()).item()
        if isinstance(rate, (bool, np.bool_)) or not isinstance(
            rate, (int, float, np.integer, np.floating)
        ):
            _wrong(
                f"my_step_decay({epoch}) returned {rate!r}; LearningRateScheduler needs a "
                "float, the learning rate of that epoch."
            )
        if not isinstance(rate, (float, np.floating)):
            _wrong(
                f"my_step_decay({epoch}) returned the integer {rate!r}; LearningRateScheduler "
                "refuses anything but a float. Hint: compute the rate from float constants."
            )
        rate = float(np.float32(rate))  # the optimizer stores its rate as a float32
        rates.append(rate)
    return rates


@exercise("ex-callbacks-step-rate", answers=["my_step_decay"])
def check_step_rate(my_step_decay, step_decay):
    """my_step_decay, used by LearningRateScheduler, sets 0.02 times 0.6 per 8 epochs."""
    how = (
        "follow section 4's step_decay, with this exercise's starting rate, factor and "
        "number of epochs per step."
    )
    if my_step_decay is step_decay:
        _wrong(f"my_step_decay is the lesson's step_decay itself. Hint: {how}")
    if not callable(my_step_decay):
        _wrong(
            f"my_step_decay is a {type(my_step_decay).__name__}, not a function of the epoch. "
            f"Hint: {how}"
        )
    try:
        rates = _scheduled_rates(my_step_decay)
    except checks.AnswerError:
        raise
    except Exception as error:  # the student's function may raise anything
        _wrong(
            f"calling my_step_decay raised {type(error).__name__}: {error}. Hint: it receives "
            "the epoch number (an int from 0) and returns the rate."
        )
    expected = [_step_rate(epoch) for epoch in range(_EPOCHS)]
    if np.allclose(rates, expected, rtol=1e-5):
        return
    alone = []
    try:
        alone = [float(my_step_decay(epoch)) for epoch in range(_EPOCHS)]
    except Exception:
        alone = []
    if alone and np.allclose(alone, expected, rtol=1e-5):
        _wrong(
            "my_step_decay gives the right rates when it is called with the epoch alone, but "
            "it has a second parameter, and LearningRateScheduler passes the optimizer's current "
            "rate in it, so the rates go wrong in training. Hint: section 4 explains the trap; "
            "keep the constants outside the function."
        )
    if np.allclose(rates, [step_decay(epoch) for epoch in range(_EPOCHS)], rtol=1e-5):
        _wrong(
            "my_step_decay gives the rates of the lesson's step_decay (0.01, halved every 10 "
            "epochs). Hint: this exercise's schedule starts elsewhere, drops by another factor "
            "and steps at another interval."
        )
    for shift, direction in ((1, "early"), (-1, "late")):
        shifted = [_step_rate(max(epoch + shift, 0)) for epoch in range(_EPOCHS)]
        if np.allclose(rates, shifted, rtol=1e-5):
            _wrong(
                f"my_step_decay drops the rate one epoch too {direction}. Hint: Keras numbers "
                "the epochs from 0, and the first 8 of them (0 to 7) share the starting rate."
            )
    smooth = [_START * _DROP ** (epoch / _EVERY) for epoch in range(_EPOCHS)]
    if np.allclose(rates, smooth, rtol=1e-5):
        _wrong(
            "my_step_decay lowers the rate a little every epoch instead of in steps. Hint: the "
            "formula of section 4 rounds epoch / epochs_drop down to a whole number."
        )
    first_wrong = next(
        epoch
        for epoch in range(_EPOCHS)
        if not math.isclose(rates[epoch], expected[epoch], rel_tol=1e-5)
    )
    _wrong(
        f"my_step_decay sets a wrong rate in epoch {first_wrong} (counted from 0). Hint: the "
        "rate starts at 0.02 and is multiplied by 0.6 once per 8 epochs; evaluate your function "
        "for the epochs 0 to 20 and compare."
    )


# The task gives the best epoch (12), which is also the epoch restore_best_weights puts back.
@exercise("ex-callbacks-patience", answers=["epochs_trained", "restored_epoch"], stated=[12])
def check_patience(epochs_trained, restored_epoch):
    """epochs_trained and restored_epoch follow EarlyStopping(patience=5) with the best at 12."""
    best, patience = 12, 5
    hint = (
        "EarlyStopping counts, after every epoch, how many epochs in a row brought no "
        "improvement, and stops once that count reaches patience."
    )
    epochs_trained = _integer(epochs_trained, "epochs_trained", hint)
    restored_epoch = _integer(restored_epoch, "restored_epoch", "count the epochs from 1.")
    if epochs_trained == best:
        _wrong(
            "epochs_trained stops at the best epoch, but the callback cannot know that an epoch "
            f"is the best until the following epochs fail to beat it. Hint: {hint}"
        )
    if epochs_trained == patience:
        _wrong(
            "epochs_trained counts only the epochs without improvement; fit also ran the "
            f"epochs up to the best one. Hint: {hint}"
        )
    if epochs_trained in (best + patience - 1, best + patience + 1):
        _wrong(f"epochs_trained is off by one epoch. Hint: {hint}")
    checks.check_number(epochs_trained, best + patience, name="epochs_trained", hint=hint)
    if restored_epoch == epochs_trained:
        _wrong(
            "restored_epoch is the last epoch trained; that is what the model keeps without "
            "restore_best_weights. Hint: read what restore_best_weights=True puts back."
        )
    if restored_epoch == best - 1:
        _wrong("restored_epoch counts from 0; the exercise counts epochs from 1, as in the text.")
    checks.check_number(
        restored_epoch,
        best,
        name="restored_epoch",
        hint="which epoch's weights does restore_best_weights=True put back?",
    )


@exercise("ex-callbacks-mode", answers=["kept_epoch"])
def check_mode(kept_epoch, cosine_history):
    """kept_epoch is the epoch a mode="min" val_accuracy checkpoint keeps in cosine_history."""
    accuracies = np.asarray(cosine_history.history["val_accuracy"], dtype=float)
    hint = (
        "go through the val_accuracy of the run epoch by epoch, as the callback does: it saves "
        "when the value is better than the best so far, and mode says which direction is "
        "better."
    )
    kept_epoch = _integer(kept_epoch, "kept_epoch", hint)
    lowest = accuracies.min()
    expected = int(np.flatnonzero(accuracies == lowest)[0]) + 1
    if kept_epoch == expected:
        return
    highest = accuracies.max()
    if kept_epoch - 1 in np.flatnonzero(accuracies == highest).tolist():
        _wrong(
            "kept_epoch is an epoch with the highest validation accuracy, what mode='max' or "
            "mode='auto' would keep. Hint: an explicit mode overrides the direction that "
            "mode='auto' takes from the compiled accuracy metric."
        )
    if kept_epoch == len(accuracies):
        _wrong(
            "kept_epoch is the last epoch, but with save_best_only=True the file is written "
            f"only when the monitored value improves. Hint: {hint}"
        )
    if kept_epoch == expected - 1:
        _wrong("kept_epoch counts the epochs from 0; count them from 1, as the text does.")
    if kept_epoch - 1 in np.flatnonzero(accuracies == lowest).tolist():
        _wrong(
            "kept_epoch has the right validation accuracy, but several epochs share it and the "
            "callback keeps only one of them. Hint: an epoch that only equals the best so far is "
            "no improvement, so the file is not overwritten."
        )
    _wrong(f"kept_epoch is not the epoch the checkpoint file would hold. Hint: {hint}")


_LESSON_FILES = {"best.keras", "best_accuracy.keras", "heart_model.keras", "stopped_best.keras"}


@exercise("ex-callbacks-save-reload", answers=["exercise_model", "exercise_history"])
def check_save_reload(
    exercise_model,
    exercise_history,
    x_val,
    y_val,
    x_train,
    work_dir,
    model,
    best_model,
    reloaded,
    stopped_model,
):
    """exercise_model: reloaded, trained with the required callbacks, 0.8 val accuracy."""
    import keras

    how = (
        "train a fresh make_model(learning_rate=0.003) with the two callbacks, save it to a "
        ".keras file in work_dir and load that file with keras.models.load_model."
    )
    if not isinstance(exercise_history, keras.callbacks.History) or not hasattr(
        exercise_history, "history"
    ):
        _wrong(
            f"exercise_history is a {type(exercise_history).__name__}; it should be the History "
            "object that fit returns (exercise_history = ....fit(...))."
        )
    if not isinstance(exercise_model, keras.Model):
        _wrong(
            f"exercise_model is a {type(exercise_model).__name__}, not a Keras model. Hint: {how}"
        )
    lesson_models = {
        "model": model,
        "best_model": best_model,
        "reloaded": reloaded,
        "stopped_model": stopped_model,
    }
    for name, lesson_model in lesson_models.items():
        if exercise_model is lesson_model or exercise_history.model is lesson_model:
            _wrong(
                f"exercise_model is the lesson's {name}, trained without the exercise's "
                f"settings. Hint: {how}"
            )
    trained = exercise_history.model
    if exercise_model is trained:
        _wrong(
            "exercise_model is the model that fit trained, not a copy loaded back from the file. "
            "Hint: save it with .save(...) and make exercise_model the result of "
            "keras.models.load_model(...)."
        )
    if trained is None or len(trained.weights) != len(exercise_model.weights):
        _wrong(f"exercise_model does not have the architecture of make_model. Hint: {how}")
    if not all(
        np.array_equal(np.asarray(a), np.asarray(b))
        for a, b in zip(trained.get_weights(), exercise_model.get_weights(), strict=True)
    ):
        _wrong(
            "exercise_model's weights differ from those of the model exercise_history trained. "
            "Hint: save the model after training and load that file."
        )
    saved = [
        name
        for name in os.listdir(work_dir)
        if name.endswith(".keras") and name not in _LESSON_FILES
    ]
    if not saved:
        _wrong(
            "there is no .keras file of yours in work_dir. Hint: save the trained model with "
            "model.save(os.path.join(work_dir, 'some_name.keras'))."
        )
    logs = exercise_history.history
    if "val_loss" not in logs:
        _wrong(
            "the model was trained without validation data, so neither callback could watch "
            "val_loss. Hint: pass **fit_options, which holds validation_data=(x_val, y_val)."
        )
    if exercise_history.params.get("steps") != math.ceil(len(x_train) / 16):
        _wrong(
            "the model was not trained on the training patients in batches of 16. Hint: "
            "fit it on x_train, y_train with **fit_options."
        )
    rates = np.asarray(logs.get("learning_rate", []), dtype=float)
    if rates.size == 0:
        _wrong(
            "the learning rate was never logged, so ReduceLROnPlateau was not among the "
            "callbacks. Hint: pass both callbacks in one list: callbacks=[..., ...]."
        )
    if not math.isclose(rates[0], 0.003, rel_tol=1e-5):
        _wrong(
            f"training started at the learning rate {rates[0]:.4g}, not at the exercise's. "
            "Hint: build the model with make_model(learning_rate=0.003)."
        )
    cuts = rates[1:][np.diff(rates) != 0] / rates[:-1][np.diff(rates) != 0]
    if cuts.size == 0:
        _wrong(
            "the learning rate never changed during training. Hint: ReduceLROnPlateau with "
            "patience=3 cuts it after 3 epochs without improvement; check that it is among the "
            "callbacks and that the run lasts beyond the best epoch."
        )
    if not np.allclose(cuts, 0.5, rtol=1e-4):
        _wrong(
            "ReduceLROnPlateau multiplied the learning rate by another factor than the "
            "exercise's. Hint: set factor=0.5."
        )
    epochs_run = len(logs["val_loss"])
    if epochs_run >= exercise_history.params.get("epochs", epochs_run):
        _wrong(
            f"training ran all {epochs_run} epochs it was given, so early stopping never "
            "stopped it. Hint: add EarlyStopping(monitor='val_loss', patience=8, ...) to the "
            "callbacks and allow up to 100 epochs."
        )
    if exercise_history.params.get("epochs", 0) > 100:
        _wrong("the run allowed more than 100 epochs; the exercise allows at most 100.")
    val_losses = np.asarray(logs["val_loss"], dtype=float)
    best_epoch = int(np.flatnonzero(val_losses == val_losses.min())[0]) + 1
    if epochs_run - best_epoch != 8:
        _wrong(
            f"training stopped {epochs_run - best_epoch} epochs after its best epoch. Hint: the "
            "exercise asks for EarlyStopping(monitor='val_loss', patience=8)."
        )
    val_loss = float(exercise_model.evaluate(x_val, y_val, verbose=0)[0])
    if not math.isclose(val_loss, val_losses.min(), rel_tol=1e-4):
        _wrong(
            "exercise_model has the weights of the last epoch, not those of the best one. Hint: "
            "EarlyStopping needs restore_best_weights=True."
        )
    checks.check_score(
        exercise_model,
        x_val,
        y_val,
        minimum=0.8,
        name="exercise_model",
        hint="train it as the exercise says; the restored best epoch should get there.",
    )
