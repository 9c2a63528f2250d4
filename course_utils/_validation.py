"""Small input checks shared by the helpers; every message says what was expected and
what was received."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["as_array", "describe"]


def describe(value: Any) -> str:
    """Return a short description of ``value`` for error messages: type and shape."""
    shape = getattr(value, "shape", None)
    if shape is not None:
        return f"{type(value).__name__} of shape {tuple(shape)}"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__} of length {len(value)}"
    return f"{type(value).__name__} {value!r}"


def as_array(value: Any, name: str, *, numeric: bool = True) -> np.ndarray:
    """Convert ``value`` to a NumPy array or raise a TypeError naming ``name``."""
    if value is None or isinstance(value, (str, bytes, dict, set)):
        raise TypeError(
            f"{name} must be array-like (a NumPy array, list or pandas object). "
            f"Received: {describe(value)}"
        )
    try:
        array = np.asarray(value)
    except Exception as error:  # pragma: no cover - numpy accepts almost anything
        raise TypeError(f"{name} must be array-like. Received: {describe(value)}") from error
    if numeric and not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"{name} must hold numbers. Received an array of dtype {array.dtype}")
    return array
