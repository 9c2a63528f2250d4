"""Small input checks shared by the helpers; every message says what was expected and
what was received, in the student's language (:mod:`course_utils.i18n`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from course_utils.i18n import _

__all__ = ["as_array", "describe"]


def describe(value: Any) -> str:
    """Return a short description of ``value`` for error messages: type and shape (in
    the current language: the words around the type's name are translated).

    Example:
        >>> describe(np.zeros((2, 3))), describe([1, 2]), describe("abc")
        ('ndarray of shape (2, 3)', 'list of length 2', "str 'abc'")
    """
    kind = type(value).__name__
    shape = getattr(value, "shape", None)
    if shape is not None:
        return _("{type} of shape {shape}").format(type=kind, shape=tuple(shape))
    if isinstance(value, (list, tuple)):
        return _("{type} of length {length}").format(type=kind, length=len(value))
    return f"{kind} {value!r}"


def as_array(value: Any, name: str, *, numeric: bool = True) -> np.ndarray:
    """Convert ``value`` to a NumPy array or raise a TypeError naming ``name``."""
    if value is None or isinstance(value, (str, bytes, dict, set)):
        raise TypeError(
            _(
                "{name} must be array-like (a NumPy array, list or pandas object). "
                "Received: {received}"
            ).format(name=name, received=describe(value))
        )
    try:
        array = np.asarray(value)
    except Exception as error:  # pragma: no cover - numpy accepts almost anything
        raise TypeError(
            _("{name} must be array-like. Received: {received}").format(
                name=name, received=describe(value)
            )
        ) from error
    if numeric and not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(
            _("{name} must hold numbers. Received an array of dtype {dtype}").format(
                name=name, dtype=array.dtype
            )
        )
    return array
