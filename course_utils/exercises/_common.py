"""Small pieces the lessons' check modules share: one of each.

Numbers (:func:`is_number`, :func:`as_number`), Keras models (:func:`keras_model`,
:func:`is_trained`, :func:`training_steps`, :func:`same_keras_model`, the names of a
layer's activation and initializer), training provenance (:func:`expected_steps`,
:func:`fitted_rows`, :func:`history_of`) and scikit-learn estimators
(:func:`same_estimator`). Checks compare values, never object identity: the grader runs
them on answers loaded from files, where identity means nothing.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NoReturn

import numpy as np

from course_utils import checks
from course_utils.checks import is_trained, keras_model, training_steps

__all__ = [
    "activation_name",
    "as_number",
    "built_keras_model",
    "compiled_keras_model",
    "expected_steps",
    "fitted_epochs",
    "fitted_keras_model",
    "fitted_rows",
    "history_of",
    "initializer_name",
    "is_keras_model",
    "is_number",
    "is_trained",
    "keras_model",
    "leaked_rows",
    "learning_rate",
    "loss_name",
    "model_layers",
    "never_fitted",
    "reject_known_mistake",
    "same_estimator",
    "same_keras_model",
    "steps_per_epoch",
    "training_steps",
    "validated_on",
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


def built_keras_model(value: Any) -> Any:
    """``value`` if it is a Keras model with weights, else None.

    For the tests of known mistakes, which look inside a model: they skip what is not one,
    and the check's body then says what the answer is (with :func:`keras_model`).
    """
    return value if is_keras_model(value) and getattr(value, "built", False) else None


def compiled_keras_model(value: Any) -> Any:
    """``value`` if it is a Keras model with weights that has been compiled, else None."""
    model = built_keras_model(value)
    return model if model is not None and getattr(model, "compiled", False) else None


def fitted_keras_model(value: Any) -> Any:
    """``value`` if it is a Keras model whose optimizer has made weight updates (it was
    fitted), else None. The count of updates is kept when a model is saved and loaded."""
    model = built_keras_model(value)
    return model if model is not None and training_steps(model) > 0 else None


def never_fitted(value: Any) -> bool:
    """True for a Keras model with weights whose optimizer has made no weight update:
    ``fit`` never trained it (its weights may have been restored; :func:`is_trained`
    counts those as trained). For the exercises that ask for a model trained with ``fit``.
    """
    model = built_keras_model(value)
    return model is not None and training_steps(model) == 0


def loss_name(model: Any) -> str:
    """The name of a compiled model's loss: ``"mse"``, ``"binary_crossentropy"``, or the
    ``name`` of a loss object (``"mean_squared_error"``)."""
    loss = getattr(model, "loss", None)
    if isinstance(loss, str):
        return loss
    return str(getattr(loss, "name", None) or getattr(loss, "__name__", None) or loss)


def learning_rate(model: Any) -> float | None:
    """The learning rate of a compiled model's optimizer, or None (no optimizer, or a
    schedule rather than one rate)."""
    rate = getattr(getattr(model, "optimizer", None), "learning_rate", None)
    if rate is None:
        return None
    try:
        import keras

        return as_number(np.asarray(keras.ops.convert_to_numpy(rate)))
    except Exception:  # a schedule: not a single rate
        return None


def model_layers(model: Any) -> list[Any]:
    """The layers of a Keras model, without its ``InputLayer``."""
    return [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]


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


def fitted_epochs(model: Any) -> int | None:
    """The epochs a model's last ``fit`` ran (the length of its logs), or None when there
    is no record of one."""
    logs = history_of(getattr(model, "history", None))
    loss = logs.get("loss") if logs else None
    return len(loss) if isinstance(loss, list) else None


def steps_per_epoch(model: Any) -> int | None:
    """The weight updates per epoch of a model's last ``fit`` (``model.history.params``),
    or None when there is no record of one: ``ceil(rows / batch_size)``, so a model fitted
    on more rows than asked, or in smaller batches, made more."""
    params = getattr(getattr(model, "history", None), "params", None)
    steps = params.get("steps") if isinstance(params, Mapping) else None
    if isinstance(steps, (bool, np.bool_)) or not isinstance(steps, (int, np.integer)):
        return None
    return int(steps)


def leaked_rows(
    model: Any, rows: int, batch_size: int | Sequence[int], others: Sequence[int]
) -> int:
    """How many rows beyond its ``rows`` training rows a model's last ``fit`` went over
    each epoch, when its steps per epoch are those of batches of ``batch_size`` over the
    training rows and some of the ``others`` (the sizes of the validation and test sets):
    the leak of fitting on them too. 0 when its steps per epoch say no such thing.

    ``batch_size`` may list several sizes, for a task that does not fix one: a count of
    steps that the training rows alone give with one of them is no leak.

    >>> import types
    >>> model = types.SimpleNamespace(history=types.SimpleNamespace(params={"steps": 8}))
    >>> leaked_rows(model, 90, 16, [30, 30]), leaked_rows(model, 120, 16, [30])
    (30, 0)
    >>> leaked_rows(model, 90, [16, 32, 64], [30, 30])
    30
    """
    steps = steps_per_epoch(model)
    sizes = [batch_size] if isinstance(batch_size, int) else list(batch_size)
    if steps is None or any(steps == expected_steps(rows, size, 1) for size in sizes):
        return 0
    for count in range(1, len(others) + 1):
        for extra in itertools.combinations(others, count):
            if any(steps == expected_steps(rows + sum(extra), size, 1) for size in sizes):
                return int(sum(extra))
    return 0


def validated_on(model: Any, x: Any, y: Any, rtol: float = 1e-4) -> bool | None:
    """Whether the validation losses of a model's last ``fit`` were measured on ``(x, y)``:
    its loss on them now is one of the logged ``val_loss`` values (the last epoch's, or the
    best one's where early stopping restored the best weights). None when the model has no
    validation logs or is not compiled."""
    logged = [float(v) for v in (history_of(model) or {}).get("val_loss", [])]
    if not logged or not getattr(model, "compiled", False):
        return None
    loss = getattr(model, "loss", None)
    loss = loss if isinstance(loss, str) else str(getattr(loss, "name", None) or loss)
    classes = (getattr(model, "output_shape", None) or (None,))[-1]
    if np.ndim(y) == 1 and isinstance(classes, int) and classes > 1 and "sparse" not in loss:
        y = np.eye(classes)[np.asarray(y, dtype=int)]  # one-hot rows, for a categorical loss
    now = _loss_on(model, x, y)
    if now is None:
        return None
    return any(math.isclose(now, value, rel_tol=rtol, abs_tol=1e-7) for value in logged)


def _loss_on(model: Any, x: Any, y: Any) -> float | None:
    """The model's compiled loss on ``(x, y)``, as ``evaluate`` reports it; computed eagerly
    (no graph to trace for one call), with ``evaluate`` as the fallback. None when the
    labels do not suit the loss."""
    try:
        import keras

        predictions = model(np.asarray(x), training=False)
        try:
            loss = model.compute_loss(x=x, y=y, y_pred=predictions, training=False)
        except TypeError:  # Keras versions without compute_loss(training=...)
            loss = model.compute_loss(x=x, y=y, y_pred=predictions)
        return float(keras.ops.convert_to_numpy(loss))
    except Exception:
        pass
    try:
        return float(model.evaluate(x, y, verbose=0, return_dict=True)["loss"])
    except Exception:
        return None
