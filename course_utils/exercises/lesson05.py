"""Checks of the exercises of lesson 5, "Callbacks, checkpoints and learning-rate schedules".

Each exercise lists the mistakes its check recognises (:class:`Mistake`), in the order it
tests them; the lesson's wrong-answer cells name the one each must get.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from course_utils import checks
from course_utils.exercises import Mistake, exercise, reject
from course_utils.exercises._common import (
    as_number,
    history_of,
    is_keras_model,
    is_number,
    same_keras_model,
    training_steps,
)
from course_utils.i18n import N_, _

# --- ex-callbacks-step-rate -----------------------------------------------------------

# The exercise's schedule: 0.02, multiplied by 0.6 every 8 epochs (epochs counted from 0).
_START, _DROP, _EVERY = 0.02, 0.6, 8
_EPOCHS = 40
_INITIAL = float(np.float32(1e-3))  # the optimizer's rate before the first epoch (make_model's)
_RATE_RTOL = 1e-5


def _f32(rate: float) -> float:
    """A rate as the optimizer stores it (a float32) and LearningRateScheduler reads it."""
    return float(np.float32(rate))


def _step_rate(epoch: float, start: float = _START, drop: float = _DROP, every: int = _EVERY):
    return start * drop ** (epoch // every)


def _previous(epoch: int) -> float:
    """The optimizer's rate when epoch ``epoch`` starts, if the schedule was right so far."""
    return _INITIAL if epoch == 0 else _f32(_step_rate(epoch - 1))


#: Every call the check makes of my_step_decay: as LearningRateScheduler calls it (the
#: epoch and the optimizer's current rate; the epoch alone when that raises), with the
#: rates of a right schedule so far, and the epoch alone.
_STEP_PROBES = [(epoch,) for epoch in range(_EPOCHS)] + [
    (epoch, _previous(epoch)) for epoch in range(_EPOCHS)
]
_STEP_HOW = N_(
    "follow section 4's step_decay, with this exercise's starting rate, factor and number of "
    "epochs per step."
)


def _error_text(error: Exception) -> str:
    text = " ".join(str(error).split())[:160]
    if isinstance(error, RuntimeError) and re.match(r"^\w+(Error|Exception|Warning)\b", text):
        return text  # the grader's copy of the function repeats the error it raised
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@dataclass
class _Run:
    """What LearningRateScheduler makes of a schedule function, epoch by epoch."""

    rates: list[Any]  # the rate it sets in each epoch, the epochs before having been right
    alone: list[Any] | None  # schedule(epoch) for each epoch; None if a call raised
    error: tuple[int, str] | None  # the first epoch whose call raised, and the error


def _call(function: Callable[..., Any], *args: Any) -> tuple[Any, Exception | None]:
    try:
        return function(*args), None
    except Exception as error:  # the student's function may raise anything
        return None, error


def _call_all(schedule: Any) -> _Run:
    rates, alone, error = [], [], None
    for epoch in range(_EPOCHS):
        one, one_error = _call(schedule, epoch)
        two, two_error = _call(schedule, epoch, _previous(epoch))
        rate, rate_error = (one, one_error) if two_error is not None else (two, None)
        for value in (one, rate):
            if value is Ellipsis:
                raise checks.NotAnswered(
                    _("Not answered yet: my_step_decay still returns ...; write its body.")
                )
        if rate_error is not None and error is None:
            error = (epoch, _error_text(rate_error))
        rates.append(rate)
        alone.append(None if one_error is not None else one)
    if any(value is None for value in alone):
        alone = None
    return _Run(rates, alone, error)


# The run of the function being checked: the tests of one check share it (the first test
# of the exercise starts afresh), so that the student's function is called 80 times per
# check, not once per known mistake.
_current: list[tuple[Any, _Run]] = []


def _forget_run() -> None:
    _current.clear()


def _run(schedule: Any) -> _Run:
    """Call ``schedule`` as LearningRateScheduler does, for the exercise's 40 epochs.

    Like Keras, it first calls ``schedule(epoch, current_rate)`` and falls back on
    ``schedule(epoch)`` when that fails; the current rate is the one a right schedule
    would have set in the epoch before (so a wrong rate shows in the first epoch it
    occurs). Raises NotAnswered while the function still returns ``...``.
    """
    if _current and _current[0][0] is schedule:
        return _current[0][1]
    run = _call_all(schedule)
    _current[:] = [(schedule, run)]
    return run


def _is_float(rate: Any) -> bool:
    """What LearningRateScheduler accepts as a rate."""
    return isinstance(rate, (float, np.float32, np.float64))


def _valid(run: _Run) -> bool:
    return run.error is None and all(_is_float(rate) for rate in run.rates)


def _close(rates: list[Any], expected: list[float], skip_first: bool = False) -> bool:
    start = 1 if skip_first else 0
    return bool(
        np.allclose(
            [_f32(r) for r in rates[start:]], [_f32(e) for e in expected[start:]], rtol=_RATE_RTOL
        )
    )


def _expected_rates() -> list[float]:
    return [_step_rate(epoch) for epoch in range(_EPOCHS)]


def _right(run: _Run) -> bool:
    return _valid(run) and _close(run.rates, _expected_rates())


def _wrong_run(my_step_decay: Any) -> _Run | None:
    """The run of a callable my_step_decay whose rates are floats but not the right ones."""
    if not callable(my_step_decay):
        return None
    run = _run(my_step_decay)
    return run if _valid(run) and not _close(run.rates, _expected_rates()) else None


def _matches(my_step_decay: Any, expected: list[float], skip_first: bool = False) -> bool:
    run = _wrong_run(my_step_decay)
    return run is not None and _close(run.rates, expected, skip_first)


def _steps_of(rates: list[float]) -> list[int]:
    """The epochs in which a schedule's rate changes."""
    return [
        e for e in range(1, len(rates)) if not math.isclose(rates[e], rates[e - 1], rel_tol=1e-5)
    ]


def _other_factor(my_step_decay: Any) -> dict[str, str] | None:
    """Steps at the right epochs from the right start, by another factor."""
    run = _wrong_run(my_step_decay)
    if run is None:
        return None
    rates = [float(r) for r in run.rates]
    steps = _steps_of(rates)
    if (
        not math.isclose(rates[0], _START, rel_tol=_RATE_RTOL)
        or steps != list(range(_EVERY, _EPOCHS, _EVERY))
        or rates[_EVERY] <= 0
    ):
        return None
    factor = rates[_EVERY] / rates[0]
    if _close(rates, [_step_rate(e, drop=factor) for e in range(_EPOCHS)]):
        return {"factor": f"{factor:.3g}"}
    return None


def _other_interval(my_step_decay: Any) -> dict[str, int] | None:
    """The right start and factor, stepping every ``every`` epochs for another ``every``."""
    for every in range(1, _EPOCHS):
        if every != _EVERY and _matches(
            my_step_decay, [_step_rate(e, every=every) for e in range(_EPOCHS)]
        ):
            return {"every": every}
    return None


def _other_start(my_step_decay: Any) -> dict[str, str] | None:
    """The right factor and steps from another starting rate."""
    run = _wrong_run(my_step_decay)
    if run is None:
        return None
    start = float(run.rates[0])
    if start <= 0 or math.isclose(start, _START, rel_tol=_RATE_RTOL):
        return None
    if _close(run.rates, [_step_rate(e, start=start) for e in range(_EPOCHS)]):
        return {"start": f"{start:.4g}"}
    return None


@exercise(
    "ex-callbacks-step-rate",
    answers=["my_step_decay"],
    probes={"my_step_decay": _STEP_PROBES},
    mistakes=[
        Mistake(
            "not-a-function",
            N_("my_step_decay is a {type}, not a function of the epoch. Hint: {how}"),
            lambda my_step_decay: (
                _forget_run()  # the first test of a check: a new run of the function
                or (
                    None
                    if callable(my_step_decay)
                    else {"type": type(my_step_decay).__name__, "how": _(_STEP_HOW)}
                )
            ),
        ),
        Mistake(
            "raises",
            N_(
                "calling my_step_decay for epoch {epoch} (counted from 0) raised {error}. "
                "Hint: it receives the epoch number (an int from 0) and returns the rate; the "
                "check calls it for 40 epochs."
            ),
            lambda my_step_decay: (
                {"epoch": _run(my_step_decay).error[0], "error": _run(my_step_decay).error[1]}
                if callable(my_step_decay) and _run(my_step_decay).error is not None
                else None
            ),
        ),
        Mistake(
            "returns-none",
            N_(
                "my_step_decay({epoch}) returned None: the function has no return statement "
                "(or a path through it without one). Hint: end it with return and the rate."
            ),
            lambda my_step_decay: (
                next(
                    (
                        {"epoch": epoch}
                        for epoch, rate in enumerate(_run(my_step_decay).rates)
                        if rate is None
                    ),
                    None,
                )
                if callable(my_step_decay)
                else None
            ),
        ),
        Mistake(
            "not-a-float",
            N_(
                "my_step_decay({epoch}) returned {value} (of type {type}); "
                "LearningRateScheduler refuses anything but a float. Hint: compute the rate from float constants, "
                "without rounding it."
            ),
            lambda my_step_decay: (
                next(
                    (
                        {"epoch": epoch, "value": repr(rate)[:40], "type": type(rate).__name__}
                        for epoch, rate in enumerate(_run(my_step_decay).rates)
                        if not _is_float(rate)
                    ),
                    None,
                )
                if callable(my_step_decay)
                else None
            ),
        ),
        Mistake(
            "lesson-schedule",
            N_(
                "my_step_decay gives the rates of the lesson's step_decay (0.01, halved every "
                "10 epochs). Hint: this exercise's schedule starts elsewhere, drops by another "
                "factor and steps at another interval."
            ),
            lambda my_step_decay, step_decay: _matches(
                my_step_decay, [step_decay(epoch) for epoch in range(_EPOCHS)]
            ),
        ),
        Mistake(
            "rate-from-optimizer",
            N_(
                "my_step_decay gives the right rates when it is called with the epoch alone, "
                "but it has a second parameter, and LearningRateScheduler passes the "
                "optimizer's current rate in it, so the rates go wrong in training. Hint: "
                "section 4 explains the trap; keep the constants outside the function."
            ),
            lambda my_step_decay: (
                _wrong_run(my_step_decay) is not None
                and _run(my_step_decay).alone is not None
                and all(_is_float(rate) for rate in _run(my_step_decay).alone)
                and _close(_run(my_step_decay).alone, _expected_rates())
            ),
        ),
        Mistake(
            "one-epoch-early",
            N_(
                "my_step_decay drops the rate one epoch too early. Hint: Keras numbers the "
                "epochs from 0, and the first 8 of them (0 to 7) share the starting rate."
            ),
            lambda my_step_decay: _matches(
                my_step_decay, [_step_rate(epoch + 1) for epoch in range(_EPOCHS)]
            ),
        ),
        Mistake(
            "one-epoch-late",
            N_(
                "my_step_decay drops the rate one epoch too late. Hint: Keras numbers the "
                "epochs from 0, and the first 8 of them (0 to 7) share the starting rate."
            ),
            lambda my_step_decay: _matches(
                my_step_decay,
                [_step_rate(max(epoch - 1, 0)) for epoch in range(_EPOCHS)],
                skip_first=True,
            ),
        ),
        Mistake(
            "no-rounding",
            N_(
                "my_step_decay lowers the rate a little every epoch instead of in steps. Hint: "
                "the formula of section 4 rounds epoch / epochs_drop down to a whole number."
            ),
            lambda my_step_decay: _matches(
                my_step_decay, [_START * _DROP ** (epoch / _EVERY) for epoch in range(_EPOCHS)]
            ),
        ),
        Mistake(
            "other-factor",
            N_(
                "my_step_decay steps at the right epochs but multiplies the rate by {factor} "
                "each time. Hint: the exercise multiplies it by 0.6 (it keeps 60 % of the rate)."
            ),
            _other_factor,
        ),
        Mistake(
            "other-interval",
            N_(
                "my_step_decay starts and drops by the right amounts, but every {every} "
                "epochs. Hint: the exercise drops the rate every 8 epochs."
            ),
            _other_interval,
        ),
        Mistake(
            "other-start",
            N_(
                "my_step_decay steps as the exercise asks, but from a starting rate of "
                "{start}. Hint: the exercise's schedule starts at 0.02."
            ),
            _other_start,
        ),
        Mistake(
            "wrong-rate",
            N_(
                "my_step_decay sets a wrong rate in epoch {epoch} (counted from 0). Hint: the "
                "rate starts at 0.02 and is multiplied by 0.6 once per 8 epochs; evaluate your "
                "function for the epochs 0 to 20 and compare."
            ),
        ),
    ],
)
def check_step_rate(my_step_decay, step_decay):
    """my_step_decay, used by LearningRateScheduler, sets 0.02 times 0.6 per 8 epochs."""
    run = _run(my_step_decay)
    if _right(run):
        return
    expected = _expected_rates()
    first_wrong = next(
        epoch
        for epoch in range(_EPOCHS)
        if not math.isclose(_f32(run.rates[epoch]), _f32(expected[epoch]), rel_tol=_RATE_RTOL)
    )
    reject("wrong-rate", epoch=first_wrong)


# --- ex-callbacks-patience ------------------------------------------------------------

# The task gives the best epoch (12), which is also the epoch restore_best_weights puts back.
_BEST, _PATIENCE = 12, 5
_PATIENCE_HOW = N_(
    "EarlyStopping counts, after every epoch, how many epochs in a row brought no "
    "improvement, and stops once that count reaches patience."
)


@exercise(
    "ex-callbacks-patience",
    answers=["epochs_trained", "restored_epoch"],
    stated=[_BEST],
    mistakes=[
        Mistake(
            "counted-from-zero",
            N_(
                "your epochs are counted from 0, as Keras numbers them inside fit(...); the "
                "exercise counts them from 1, as the text does (the best epoch is epoch 12)."
            ),
            lambda epochs_trained, restored_epoch: (
                is_number(restored_epoch, _BEST - 1)
                and any(
                    is_number(epochs_trained, n) for n in (_BEST + _PATIENCE - 1, _BEST + _PATIENCE)
                )
            ),
        ),
        Mistake(
            "stops-at-best",
            N_(
                "epochs_trained stops at the best epoch, but the callback cannot know that an "
                "epoch is the best until the following epochs fail to beat it. Hint: {how}"
            ),
            lambda epochs_trained: (
                {"how": _(_PATIENCE_HOW)} if is_number(epochs_trained, _BEST) else None
            ),
        ),
        Mistake(
            "patience-only",
            N_(
                "epochs_trained counts only the epochs without improvement; fit(...) also ran the "
                "epochs up to the best one. Hint: {how}"
            ),
            lambda epochs_trained: (
                {"how": _(_PATIENCE_HOW)} if is_number(epochs_trained, _PATIENCE) else None
            ),
        ),
        Mistake(
            "off-by-one",
            N_("epochs_trained is off by one epoch. Hint: {how}"),
            lambda epochs_trained: (
                {"how": _(_PATIENCE_HOW)}
                if any(
                    is_number(epochs_trained, n)
                    for n in (_BEST + _PATIENCE - 1, _BEST + _PATIENCE + 1)
                )
                else None
            ),
        ),
        Mistake(
            "restored-last-epoch",
            N_(
                "restored_epoch is the last epoch trained; that is what the model keeps "
                "without restore_best_weights. Hint: read what restore_best_weights=True puts "
                "back."
            ),
            lambda epochs_trained, restored_epoch: (
                not is_number(restored_epoch, _BEST)
                and (
                    is_number(restored_epoch, _BEST + _PATIENCE)
                    or (
                        as_number(epochs_trained) is not None
                        and is_number(restored_epoch, as_number(epochs_trained))
                    )
                )
            ),
        ),
    ],
)
def check_patience(epochs_trained, restored_epoch):
    """epochs_trained and restored_epoch follow EarlyStopping(patience=5) with the best at 12."""
    checks.check_number(
        epochs_trained, _BEST + _PATIENCE, name="epochs_trained", hint=_PATIENCE_HOW
    )
    checks.check_number(
        restored_epoch,
        _BEST,
        name="restored_epoch",
        hint=N_("which epoch's weights does restore_best_weights=True put back?"),
    )


# --- ex-callbacks-mode ----------------------------------------------------------------

_MODE_HOW = N_(
    "go through the val_accuracy of the run epoch by epoch, as the callback does: it saves "
    "when the value is better than the best so far, and mode says which direction is better."
)


def _accuracies(cosine_history: Any) -> np.ndarray:
    return np.asarray(history_of(cosine_history)["val_accuracy"], dtype=float)


def _kept(cosine_history: Any) -> int:
    """The epoch (from 1) a mode="min" val_accuracy checkpoint holds: the first lowest."""
    accuracies = _accuracies(cosine_history)
    return int(np.flatnonzero(accuracies == accuracies.min())[0]) + 1


def _an_epoch(kept_epoch: Any, cosine_history: Any, epochs: Any) -> bool:
    """True if kept_epoch is one of ``epochs`` (from 1) and not the right answer."""
    return (
        as_number(kept_epoch) is not None
        and not is_number(kept_epoch, _kept(cosine_history))
        and any(is_number(kept_epoch, int(epoch)) for epoch in epochs)
    )


@exercise(
    "ex-callbacks-mode",
    answers=["kept_epoch"],
    mistakes=[
        Mistake(
            "accuracy-not-epoch",
            N_(
                "kept_epoch is {value}, a validation accuracy of the run, not an epoch. Hint: "
                "store the number of the epoch (counted from 1) whose model the file holds."
            ),
            lambda kept_epoch, cosine_history: (
                {"value": f"{as_number(kept_epoch):.4g}"}
                if as_number(kept_epoch) is not None
                and 0 < as_number(kept_epoch) < 1
                and np.isclose(_accuracies(cosine_history), as_number(kept_epoch), rtol=1e-4).any()
                else None
            ),
        ),
        Mistake(
            "highest-accuracy",
            N_(
                "kept_epoch is an epoch with the highest validation accuracy, what mode='max' "
                "or mode='auto' would keep. Hint: an explicit mode overrides the direction "
                "that mode='auto' takes from the compiled accuracy metric."
            ),
            lambda kept_epoch, cosine_history: _an_epoch(
                kept_epoch,
                cosine_history,
                np.flatnonzero(_accuracies(cosine_history) == _accuracies(cosine_history).max())
                + 1,
            ),
        ),
        Mistake(
            "last-epoch",
            N_(
                "kept_epoch is the last epoch, but with save_best_only=True the file is "
                "written only when the monitored value improves. Hint: {how}"
            ),
            lambda kept_epoch, cosine_history: (
                {"how": _(_MODE_HOW)}
                if _an_epoch(kept_epoch, cosine_history, [len(_accuracies(cosine_history))])
                else None
            ),
        ),
        Mistake(
            "counted-from-zero",
            N_("kept_epoch counts the epochs from 0; count them from 1, as the text does."),
            lambda kept_epoch, cosine_history: _an_epoch(
                kept_epoch, cosine_history, [_kept(cosine_history) - 1]
            ),
        ),
        Mistake(
            "later-tie",
            N_(
                "kept_epoch has the right validation accuracy, but several epochs share it "
                "and the callback keeps only one of them. Hint: an epoch that only equals the "
                "best so far is no improvement, so the file is not overwritten."
            ),
            lambda kept_epoch, cosine_history: _an_epoch(
                kept_epoch,
                cosine_history,
                np.flatnonzero(_accuracies(cosine_history) == _accuracies(cosine_history).min())
                + 1,
            ),
        ),
        Mistake(
            "lowest-val-loss",
            N_(
                "kept_epoch is the epoch with the lowest validation loss, what a checkpoint "
                "that monitors val_loss keeps; this one monitors val_accuracy. Hint: {how}"
            ),
            lambda kept_epoch, cosine_history: (
                {"how": _(_MODE_HOW)}
                if _an_epoch(
                    kept_epoch,
                    cosine_history,
                    [int(np.argmin(history_of(cosine_history)["val_loss"])) + 1],
                )
                else None
            ),
        ),
    ],
)
def check_mode(kept_epoch, cosine_history):
    """kept_epoch is the epoch a mode="min" val_accuracy checkpoint keeps in cosine_history."""
    checks.check_number(kept_epoch, _kept(cosine_history), name="kept_epoch", hint=_MODE_HOW)


# --- ex-callbacks-save-reload ---------------------------------------------------------

_LESSON_FILES = {"best.keras", "best_accuracy.keras", "heart_model.keras", "stopped_best.keras"}
_RATE, _FACTOR, _PLATEAU_PATIENCE, _STOP_PATIENCE, _BATCH, _MAX_EPOCHS = 0.003, 0.5, 3, 8, 16, 100
_SAVE_HOW = N_(
    "train a fresh make_model(learning_rate=0.003) with the two callbacks, save it to a "
    ".keras file in work_dir and load that file with keras.models.load_model."
)


def _is_history(value: Any) -> bool:
    import keras

    return isinstance(value, keras.callbacks.History) and history_of(value) is not None


def _answered(exercise_model: Any, exercise_history: Any) -> bool:
    """A Keras model with weights and a History with its model: what the tests look into."""
    return (
        is_keras_model(exercise_model)
        and exercise_model.built
        and _is_history(exercise_history)
        and is_keras_model(getattr(exercise_history, "model", None))
    )


def _logs(exercise_history: Any) -> Mapping[str, list[float]]:
    return history_of(exercise_history)


def _epochs_run(exercise_history: Any) -> int:
    return len(_logs(exercise_history).get("loss", []))


def _steps_per_epoch(exercise_history: Any) -> int | None:
    steps = (getattr(exercise_history, "params", None) or {}).get("steps")
    return int(steps) if isinstance(steps, (int, np.integer)) else None


def _lesson_model(
    exercise_model, exercise_history, model, best_model, reloaded, stopped_model, plateau_model
) -> dict[str, Any] | None:
    """The lesson's model that exercise_model, or the model exercise_history trained, is."""
    lesson_models = {
        "model": model,
        "best_model": best_model,
        "reloaded": reloaded,
        "stopped_model": stopped_model,
        "plateau_model": plateau_model,
    }
    trained = getattr(exercise_history, "model", None)
    for name, lesson_model in lesson_models.items():
        if same_keras_model(exercise_model, lesson_model) or (
            trained is not None and same_keras_model(trained, lesson_model)
        ):
            return {"name": name, "how": _(_SAVE_HOW)}
    return None


_NO_VALIDATION = N_(
    "it was trained without validation data, so neither callback could watch val_loss"
)
_OTHER_BATCHES = N_(
    "it made {steps} weight updates per epoch, where the {rows} training patients in batches "
    "of 16 make {expected}"
)


def _not_fit_as_asked(exercise_model, exercise_history, x_train) -> dict[str, str] | None:
    """What differs from a fit on x_train, y_train with **fit_options (validation data,
    batches of 16)."""
    if not _answered(exercise_model, exercise_history):
        return None
    if "val_loss" not in _logs(exercise_history):
        return {"problem": _(_NO_VALIDATION)}
    steps, expected = _steps_per_epoch(exercise_history), math.ceil(len(x_train) / _BATCH)
    if steps != expected:
        return {
            "problem": _(_OTHER_BATCHES).format(steps=steps, rows=len(x_train), expected=expected)
        }
    return None


def _rates(exercise_history: Any) -> np.ndarray:
    return np.asarray(_logs(exercise_history).get("learning_rate", []), dtype=float)


def _plateau_rates(val_losses: list[float], start: float) -> list[float]:
    """The rates ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=3) logs in each
    epoch of a run with these validation losses (it logs the rate of the epoch, then cuts
    it after patience epochs without an improvement of more than min_delta=1e-4)."""
    rates, rate, best, wait = [], _f32(start), math.inf, 0
    for loss in val_losses:
        rates.append(rate)
        if loss < best - 1e-4:
            best, wait = loss, 0
        else:
            wait += 1
            if wait >= _PLATEAU_PATIENCE:
                rate, wait = _f32(rate * _FACTOR), 0
    return rates


_NEVER_LOGGED = N_(
    "it was never logged, so ReduceLROnPlateau was not among the callbacks (pass both "
    "callbacks in one list: callbacks=[..., ...])"
)
_OTHER_START = N_("it started at {rate}, not at 0.003 (make_model(learning_rate=0.003))")
_CUT_TOO_EARLY = N_(
    "it was cut after epoch {epoch}, before 3 epochs in a row had passed without an "
    "improvement of val_loss"
)
_NOT_CUT = N_(
    "it was not cut after epoch {epoch}, although 3 epochs in a row had passed without an "
    "improvement of val_loss"
)
_CUT_BY = N_("it was multiplied by {factor} after epoch {epoch}, not by 0.5")


def _rate_problem(exercise_model, exercise_history) -> dict[str, str] | None:
    """Where the logged learning rates leave what the exercise's settings would set: a
    start at 0.003 and the cuts of ReduceLROnPlateau(factor=0.5, patience=3) on val_loss."""
    if not _answered(exercise_model, exercise_history) or "val_loss" not in _logs(exercise_history):
        return None
    rates = _rates(exercise_history)
    if rates.size == 0:
        return {"problem": _(_NEVER_LOGGED)}
    if not math.isclose(rates[0], _RATE, rel_tol=1e-5):
        return {"problem": _(_OTHER_START).format(rate=f"{rates[0]:.4g}")}
    expected = _plateau_rates(list(_logs(exercise_history)["val_loss"]), rates[0])
    for epoch in range(1, rates.size):  # a change in index epoch: a cut after epoch `epoch`
        cut = not math.isclose(rates[epoch], rates[epoch - 1], rel_tol=1e-5)
        expected_cut = not math.isclose(expected[epoch], expected[epoch - 1], rel_tol=1e-5)
        if cut and not expected_cut:
            return {"problem": _(_CUT_TOO_EARLY).format(epoch=epoch)}
        if expected_cut and not cut:
            return {"problem": _(_NOT_CUT).format(epoch=epoch)}
        factor = rates[epoch] / rates[epoch - 1]
        if cut and not math.isclose(factor, _FACTOR, rel_tol=1e-4):
            return {"problem": _(_CUT_BY).format(factor=f"{factor:.3g}", epoch=epoch)}
    return None


_TOO_MANY = N_("it allowed {epochs} epochs, more than the 100 the exercise allows")
_RAN_ALL = N_("it ran all {epochs} epochs it was given")
_STOPPED_AFTER = N_("it stopped {after} epochs after its best epoch")


def _stop_problem(exercise_model, exercise_history) -> dict[str, str] | None:
    """How the run's end differs from EarlyStopping(monitor="val_loss", patience=8)'s: 8
    epochs after the epoch with the lowest val_loss (the first one of equals)."""
    if not _answered(exercise_model, exercise_history) or "val_loss" not in _logs(exercise_history):
        return None
    epochs_run = _epochs_run(exercise_history)
    losses = np.asarray(_logs(exercise_history)["val_loss"], dtype=float)
    best = int(np.flatnonzero(losses == losses.min())[0]) + 1
    allowed = exercise_history.params.get("epochs") or epochs_run
    if allowed > _MAX_EPOCHS:
        return {"problem": _(_TOO_MANY).format(epochs=allowed)}
    ran_all = epochs_run >= allowed
    if ran_all and epochs_run - best != _STOP_PATIENCE:  # (it may stop in the last epoch)
        return {"problem": _(_RAN_ALL).format(epochs=epochs_run)}
    if epochs_run - best != _STOP_PATIENCE:
        return {"problem": _(_STOPPED_AFTER).format(after=epochs_run - best)}
    return None


@exercise(
    "ex-callbacks-save-reload",
    answers=["exercise_model", "exercise_history"],
    mistakes=[
        Mistake(
            "not-a-history",
            N_(
                "exercise_history is a {type}; it should be the History object that fit(...) "
                "returns (exercise_history = ....fit(...))."
            ),
            lambda exercise_history: (
                None if _is_history(exercise_history) else {"type": type(exercise_history).__name__}
            ),
        ),
        Mistake(
            "lesson-model",
            N_(
                "exercise_model is the lesson's model {name} (or exercise_history is the "
                "History of that model), trained without the exercise's settings. Hint: {how}"
            ),
            _lesson_model,
        ),
        Mistake(
            "not-reloaded",
            N_(
                "exercise_model is the model that fit(...) trained (it still carries the logs "
                "of that training), not a copy loaded back from the file. Hint: save it with "
                ".save(...) and make exercise_model the result of keras.models.load_model(...)."
            ),
            lambda exercise_model: (
                is_keras_model(exercise_model) and history_of(exercise_model) is not None
            ),
        ),
        Mistake(
            "not-the-trained-model",
            N_(
                "exercise_model is not the model exercise_history trained: its layers or "
                "weights differ. Hint: save the model after training and load that file, and "
                "keep the History of that very training."
            ),
            lambda exercise_model, exercise_history: (
                _answered(exercise_model, exercise_history)
                and not same_keras_model(exercise_model, exercise_history.model)
            ),
        ),
        Mistake(
            "no-file-in-work-dir",
            N_(
                "there is no .keras file of yours in work_dir. Hint: save the trained model "
                "with model.save(os.path.join(work_dir, 'some_name.keras'))."
            ),
            lambda work_dir: (
                not [
                    name
                    for name in os.listdir(work_dir)
                    if name.endswith(".keras") and name not in _LESSON_FILES
                ]
            ),
        ),
        Mistake(
            "trained-on-validation-rows",
            N_(
                "the model made {steps} weight updates per epoch, as many as batches of 16 of "
                "the training and validation patients together: the validation rows leaked "
                "into the training, and the callbacks watched patients the model had learned. "
                "Hint: fit it on x_train, y_train only, with **fit_options."
            ),
            lambda exercise_model, exercise_history, x_train, x_val: (
                {"steps": _steps_per_epoch(exercise_history)}
                if _answered(exercise_model, exercise_history)
                and _steps_per_epoch(exercise_history)
                == math.ceil((len(x_train) + len(x_val)) / _BATCH)
                else None
            ),
        ),
        Mistake(
            "not-fit-as-asked",
            N_(
                "the model was not trained on x_train, y_train with **fit_options: {problem}. "
                "Hint: **fit_options holds validation_data=(x_val, y_val) and batch_size=16; "
                "pass it to fit(...)."
            ),
            _not_fit_as_asked,
        ),
        Mistake(
            "trained-before",
            N_(
                "exercise_model made {steps} weight updates, more than the {expected} of the "
                "run exercise_history records: the model had been trained before that run "
                "(a training cell run twice, or a model that was not fresh). Hint: build it "
                "anew with make_model(learning_rate=0.003) in the cell that trains it."
            ),
            lambda exercise_model, exercise_history, x_train: (
                {
                    "steps": training_steps(exercise_model),
                    "expected": math.ceil(len(x_train) / _BATCH) * _epochs_run(exercise_history),
                }
                if _answered(exercise_model, exercise_history)
                and training_steps(exercise_model)
                > math.ceil(len(x_train) / _BATCH) * _epochs_run(exercise_history)
                else None
            ),
        ),
        Mistake(
            "learning-rate-not-as-asked",
            N_(
                "the learning rate did not follow the exercise's settings, "
                "make_model(learning_rate=0.003) and ReduceLROnPlateau(monitor='val_loss', "
                "factor=0.5, patience=3): {problem}. Hint: check both, and pass both "
                "callbacks to fit(...)."
            ),
            _rate_problem,
        ),
        Mistake(
            "stopping-not-as-asked",
            N_(
                "training did not end the way EarlyStopping(monitor='val_loss', patience=8) "
                "ends it, 8 epochs after the epoch with the lowest val_loss: {problem}. Hint: "
                "pass it among the callbacks, with patience=8 (longer than the 3 of "
                "ReduceLROnPlateau), and allow up to 100 epochs."
            ),
            _stop_problem,
        ),
        Mistake(
            "last-weights-kept",
            N_(
                "exercise_model has the weights of the last epoch, not those of the best one. "
                "Hint: EarlyStopping needs restore_best_weights=True."
            ),
            lambda exercise_model, exercise_history, x_val, y_val: (
                _answered(exercise_model, exercise_history)
                and "val_loss" in _logs(exercise_history)
                and not math.isclose(
                    float(exercise_model.evaluate(x_val, y_val, verbose=0)[0]),
                    min(_logs(exercise_history)["val_loss"]),
                    rel_tol=1e-4,
                )
            ),
        ),
    ],
)
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
    plateau_model,
):
    """exercise_model: reloaded, trained on the training rows with the exercise's settings
    and callbacks, best weights restored, 0.8 validation accuracy."""
    checks.keras_model(exercise_model, "exercise_model", hint=_SAVE_HOW)
    checks.check_score(
        exercise_model,
        x_val,
        y_val,
        minimum=0.8,
        name="exercise_model",
        hint=N_("train it as the exercise says; the restored best epoch should get there."),
    )
