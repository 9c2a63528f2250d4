"""Sliding windows over a time series and chronological splits.

Introduced in the lesson "RNN and LSTM for time series".
"""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np

from course_utils._validation import as_array, describe
from course_utils.i18n import _

__all__ = ["temporalize", "time_split"]

T = TypeVar("T")


def _positive_int(value: Any, name: str, *, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(
            _("`{name}` must be an integer. Received: {name}={value}").format(
                name=name, value=repr(value)
            )
        )
    if value < minimum:
        message = (
            _("`{name}` must be higher than 0. Received: {name}={value}")
            if minimum == 1
            else _("`{name}` must be at least {minimum}. Received: {name}={value}")
        )
        raise ValueError(message.format(name=name, minimum=minimum, value=value))
    return int(value)


def temporalize(
    series: Any,
    *,
    window: int,
    horizon: int = 1,
    target: Any = None,
    stride: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into overlapping windows, each paired with a value ``horizon`` steps
    after the window's last step.

    Window ``i`` covers time steps ``start, ..., start + window - 1`` with
    ``start = i * stride``; its target is ``target[start + window - 1 + horizon]``. With
    the default ``horizon=1`` each window is paired with the *next* value, which is what a
    one-step forecast needs. ``horizon=0`` pairs a window with its own last value: the
    model then only has to copy its input, which is a common mistake.

    Args:
        series: the inputs, shape (time,) for one feature or (time, features).
        window: time steps per window (``timesteps`` of the RNN input).
        horizon: how many steps after the window's last step the target lies (>= 0).
        target: the values to forecast, shape (time,). Default: the series itself, which
            then must have a single feature.
        stride: steps between the starts of consecutive windows.

    Returns:
        ``(windows, targets)`` with shapes (samples, window, features) and (samples,),
        where ``samples = (time - window - horizon) // stride + 1``.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if the series has the wrong shape, ``target`` has another length
            than the series, or the window and horizon do not fit in the series.

    Example:
        >>> windows, targets = temporalize(np.arange(6), window=3)
        >>> windows[..., 0].tolist()
        [[0, 1, 2], [1, 2, 3], [2, 3, 4]]
        >>> targets.tolist()
        [3, 4, 5]
    """
    values = as_array(series, "series")
    if values.ndim == 1:
        values = values[:, None]
    if values.ndim != 2:
        raise ValueError(
            _("series must have shape (time,) or (time, features). Received: {received}").format(
                received=describe(values)
            )
        )
    window = _positive_int(window, "window")
    horizon = _positive_int(horizon, "horizon", minimum=0)
    stride = _positive_int(stride, "stride")
    length = len(values)

    if target is None:
        if values.shape[1] != 1:
            raise ValueError(
                _(
                    "target is required when the series has several features: pass the "
                    "column to forecast. Received a series of shape {shape}"
                ).format(shape=values.shape)
            )
        target_values = values[:, 0]
    else:
        target_values = as_array(target, "target")
        if target_values.ndim != 1 or len(target_values) != length:
            raise ValueError(
                _(
                    "target must have shape ({length},), one value per time step of the "
                    "series. Received: {received}"
                ).format(length=length, received=describe(target_values))
            )

    if window + horizon > length:
        raise ValueError(
            _(
                "the series has {length} time steps, too few for a window of {window} "
                "plus a horizon of {horizon}: need at least {needed}. "
                "Received: window={window}, horizon={horizon}, series length={length}"
            ).format(length=length, window=window, horizon=horizon, needed=window + horizon)
        )
    starts = np.arange(0, length - window - horizon + 1, stride)
    offsets = np.arange(window)
    windows = values[starts[:, None] + offsets[None, :]]
    targets = target_values[starts + window - 1 + horizon]
    return windows, targets


def time_split(data: T, *, train: float = 0.7, validation: float = 0.15) -> tuple[T, T, T]:
    """Split a sequence in time order into training, validation and test spans.

    No shuffling: the validation span follows the training span and the test span comes
    last, so a model is always evaluated on a future it has not seen.

    Args:
        data: an array, list, or pandas Series / DataFrame (split by position).
        train: fraction of the items in the training span, in (0, 1).
        validation: fraction in the validation span, in [0, 1); the rest is test.

    Returns:
        ``(train_part, validation_part, test_part)``, each of the input's type.

    Raises:
        TypeError: if ``data`` has no length or a fraction is not a number.
        ValueError: if the fractions are out of range or leave a span empty.

    Example:
        >>> time_split(list(range(10)), train=0.6, validation=0.2)
        ([0, 1, 2, 3, 4, 5], [6, 7], [8, 9])
    """
    if not hasattr(data, "__len__") or isinstance(data, (str, bytes, dict)):
        raise TypeError(
            _("data must be a sequence, array or pandas object. Received: {received}").format(
                received=describe(data)
            )
        )
    for name, value in (("train", train), ("validation", validation)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
            raise TypeError(
                _("{name} must be a fraction. Received: {name}={value}").format(
                    name=name, value=repr(value)
                )
            )
    if not 0 < train < 1 or not 0 <= validation < 1 or train + validation >= 1:
        raise ValueError(
            _(
                "train must be in (0, 1), validation in [0, 1), and their sum below 1 so "
                "that a test span remains. Received: train={train}, validation={validation}"
            ).format(train=train, validation=validation)
        )
    length = len(data)
    n_train = round(length * train)
    n_validation = round(length * validation)
    if (
        n_train == 0
        or length - n_train - n_validation <= 0
        or (validation > 0 and n_validation == 0)
    ):
        raise ValueError(
            _(
                "{length} items are too few for train={train}, validation={validation}: "
                "a span would be empty"
            ).format(length=length, train=train, validation=validation)
        )
    taker = data.iloc if hasattr(data, "iloc") else data
    first = taker[:n_train]
    second = taker[n_train : n_train + n_validation]
    third = taker[n_train + n_validation :]
    return first, second, third  # type: ignore[return-value]
