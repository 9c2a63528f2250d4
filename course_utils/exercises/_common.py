"""Small pieces the lessons' check modules share: one of each.

Numbers (:func:`is_number`, :func:`as_number`), Keras models (:func:`keras_model`,
:func:`is_trained`, :func:`training_steps`, :func:`same_keras_model`, the names of a
layer's activation and initializer), training provenance (:func:`expected_steps`,
:func:`fitted_rows`, :func:`history_of`) and scikit-learn estimators
(:func:`same_estimator`). Checks compare values, never object identity: the grader runs
them on answers loaded from files, where identity means nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any, NoReturn

import numpy as np

from course_utils import checks
from course_utils.checks import is_trained, keras_model, training_steps

__all__ = [
    "activation_name",
    "as_number",
    "expected_steps",
    "fitted_rows",
    "history_of",
    "initializer_name",
    "is_keras_model",
    "is_number",
    "is_trained",
    "keras_model",
    "last_fit",
    "reject_known_mistake",
    "same_estimator",
    "same_keras_model",
    "training_steps",
    "validated_elsewhere",
    "wrong",
]


def wrong(message: str) -> NoReturn:
    """Reject an answer with ``message`` (prefer a known mistake and ``reject``)."""
    raise checks.WrongAnswer(message)


def is_number(value: Any, number: float, rtol: float = 1e-9) -> bool:
    """True if ``value`` is a plain number (not a bool) within ``rtol`` of ``number``.

    >>> is_number(13, 13.0), is_number(True, 1), is_number("13", 13), is_number(12.99, 13)
    (True, False, False, False)
    """
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(()).item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        return False
    return bool(np.isclose(float(value), float(number), rtol=rtol, atol=0.0))


def as_number(value: Any) -> float | None:
    """``value`` as a float if it is a plain number (not a bool), else None.

    >>> as_number(13), as_number(True), as_number("13")
    (13.0, None, None)
    """
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.reshape(()).item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        return None
    return float(value)


def is_keras_model(value: Any) -> bool:
    """True for a Keras model (whether or not it has weights yet)."""
    try:
        import keras
    except ImportError:  # pragma: no cover - keras is a dependency
        return False
    return isinstance(value, keras.Model)


def activation_name(layer: Any) -> str:
    """The name of a layer's activation function: ``"relu"``, ``"tanh"``, ``"linear"``."""
    function = getattr(layer, "activation", None)
    return getattr(function, "__name__", None) or type(function).__name__


def initializer_name(layer: Any, attribute: str = "kernel_initializer") -> str:
    """The class name of a layer's initializer: ``"GlorotUniform"``, ``"HeNormal"``."""
    return type(getattr(layer, attribute, None)).__name__


def expected_steps(rows: int, batch_size: int, epochs: int) -> int:
    """The weight updates of ``epochs`` epochs over ``rows`` rows in batches of
    ``batch_size`` (the last batch may be smaller; it is an update too).

    >>> expected_steps(206, 16, 10)
    130
    """
    return math.ceil(rows / batch_size) * epochs


def _layers_config(model: Any) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for layer in model.layers:
        config = {k: v for k, v in layer.get_config().items() if k != "name"}
        found.append((type(layer).__name__, repr(sorted(config.items(), key=lambda kv: kv[0]))))
    return found


def same_keras_model(a: Any, b: Any) -> bool:
    """True if two Keras models are the same model: the same layers with the same settings
    and the same weights (the same object, or a copy of it, such as one saved and loaded).

    A model rebuilt with the same recipe but trained on its own has other weights, so it is
    not the same model.
    """
    if a is b:
        return True
    if not (is_keras_model(a) and is_keras_model(b)):
        return False
    try:
        if _layers_config(a) != _layers_config(b):
            return False
        weights_a, weights_b = a.get_weights(), b.get_weights()
    except Exception:
        return False
    return len(weights_a) == len(weights_b) and all(
        np.shape(x) == np.shape(y) and np.array_equal(x, y)
        for x, y in zip(weights_a, weights_b, strict=True)
    )


def _fitted_arrays(estimator: Any) -> dict[str, Any]:
    return {
        name: value
        for name, value in vars(estimator).items()
        if name.endswith("_") and not name.startswith("_") and isinstance(value, np.ndarray)
    }


def _parts(estimator: Any) -> Iterator[Any]:
    """The estimator and every estimator inside it (pipeline steps, column transformers'
    fitted transformers, a search's best estimator)."""
    yield estimator
    children: list[Any] = []
    steps = getattr(estimator, "steps", None)
    if isinstance(steps, list):
        children += [step for _, step in steps]
    transformers = getattr(estimator, "transformers_", None)
    if isinstance(transformers, list):
        children += [item[1] for item in transformers if len(item) >= 2]
    best = getattr(estimator, "best_estimator_", None)
    if best is not None:
        children.append(best)
    for child in children:
        if child is not None and not isinstance(child, str):
            yield from _parts(child)


def same_estimator(a: Any, b: Any) -> bool:
    """True if two scikit-learn estimators are the same fitted model: the same class and
    settings and the same learned values (the same object, or a copy of it).

    >>> from sklearn.linear_model import LinearRegression
    >>> x, y = [[0.0], [1.0], [2.0]], [0.0, 1.0, 2.1]
    >>> first, second = LinearRegression().fit(x, y), LinearRegression().fit(x, y)
    >>> same_estimator(first, second), same_estimator(first, LinearRegression().fit(x, y[::-1]))
    (True, False)
    """
    if a is b:
        return True
    if type(a) is not type(b) or repr(a) != repr(b):
        return False
    parts_a, parts_b = list(_parts(a)), list(_parts(b))
    if [type(p) for p in parts_a] != [type(p) for p in parts_b]:
        return False
    for x, y in zip(parts_a, parts_b, strict=True):
        arrays_x, arrays_y = _fitted_arrays(x), _fitted_arrays(y)
        if arrays_x.keys() != arrays_y.keys():
            return False
        for name, value in arrays_x.items():
            other = arrays_y[name]
            try:
                if value.shape != other.shape or not np.array_equal(value, other, equal_nan=True):
                    return False
            except TypeError:  # arrays of objects (categories): compare as lists
                if value.tolist() != other.tolist():
                    return False
    return True


def fitted_rows(estimator: Any) -> int | None:
    """The largest number of rows a step of ``estimator`` learned its statistics from
    (the ``n_samples_seen_`` of its scalers), or None when no step records it.

    A pipeline fitted on the training rows alone reports their number; one whose scaler
    also saw validation or test rows reports more, which is how a check finds that leak.

    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import MinMaxScaler
    >>> from sklearn.linear_model import LogisticRegression
    >>> pipeline = make_pipeline(MinMaxScaler(), LogisticRegression())
    >>> fitted_rows(pipeline.fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]))
    4
    """
    counts = []
    for part in _parts(estimator):
        seen = getattr(part, "n_samples_seen_", None)
        if seen is not None:
            counts.append(int(np.max(np.asarray(seen))))
    return max(counts) if counts else None


def history_of(value: Any) -> Mapping[str, list[float]] | None:
    """The per-epoch logs of a ``History``, of a model's last ``fit`` (``model.history``),
    or a dict of them; None when there are none."""
    history = getattr(value, "history", value)
    if history is not None and not isinstance(history, Mapping):
        history = getattr(history, "history", None)
    if isinstance(history, Mapping) and all(isinstance(k, str) for k in history):
        return history
    return None


def reject_known_mistake(answer: Any, name: str, mistakes: Mapping[float, str]) -> None:
    """Reject ``answer`` with the message of the known wrong number it equals, if any
    (prefer :class:`course_utils.exercises.Mistake`)."""
    number = as_number(answer)
    if number in mistakes:
        wrong(f"{name} is not right: {mistakes[number]}")


def last_fit(model: Any) -> tuple[int | None, int | None]:
    """The epochs of a Keras model's last ``fit`` and its weight updates per epoch (from
    ``model.history``: its logs and ``params``), each None when unknown.

    The updates per epoch are ``ceil(rows / batch_size)`` of the rows that ``fit`` was
    given, whatever earlier fits did: a model trained on the training and validation rows
    makes more of them than one trained on the training rows alone.
    """
    history = getattr(model, "history", None)
    logs = history_of(history)
    epochs = len(logs["loss"]) if logs and isinstance(logs.get("loss"), list) else None
    steps = (getattr(history, "params", None) or {}).get("steps") if logs else None
    if isinstance(steps, bool) or not isinstance(steps, (int, float)):
        steps = None
    return epochs, None if steps is None else int(steps)


_EVALUATED: dict[str, dict[str, float]] = {}


def _digest(*arrays: Any) -> str:
    import hashlib

    digest = hashlib.sha256()
    for array in arrays:
        contiguous = np.ascontiguousarray(np.asarray(array))
        digest.update(f"{contiguous.dtype}{contiguous.shape}".encode())
        digest.update(contiguous.tobytes())
    return digest.hexdigest()


def validated_elsewhere(model: Any, x: Any, y: Any) -> bool:
    """True if the validation scores of a Keras model's last ``fit`` (``val_loss``,
    ``val_accuracy``, ... of its last epoch) were not measured on ``(x, y)``: its
    ``validation_data`` was other rows, the test rows, say. False when it logged none.

    Evaluates the model on ``(x, y)`` as ``fit`` validates (remembered by the model's
    weights and the data, so that checking the same model again costs nothing).
    """
    logs = history_of(getattr(model, "history", None))
    if not logs or not any(str(key).startswith("val_") for key in logs):
        return False
    key = model.to_json() + _digest(x, y, *model.get_weights())
    if key not in _EVALUATED:
        _EVALUATED.clear()
        _EVALUATED[key] = {
            str(name): float(value)
            for name, value in model.evaluate(
                x, y, batch_size=1000, verbose=0, return_dict=True
            ).items()
        }
    measured = _EVALUATED[key]
    for name, values in logs.items():
        if not str(name).startswith("val_") or str(name)[4:] not in measured or not values:
            continue
        if not math.isclose(float(values[-1]), measured[str(name)[4:]], rel_tol=1e-3, abs_tol=1e-4):
            return True
    return False
