"""Small pieces the lessons' check modules share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

import numpy as np

from course_utils import checks


def wrong(message: str) -> NoReturn:
    """Reject an answer with ``message`` (a sentence that says what is wrong and hints)."""
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
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        return None
    return float(value)


def reject_known_mistake(answer: Any, name: str, mistakes: Mapping[float, str]) -> None:
    """Reject ``answer`` with the message of the known wrong number it equals, if any.

    >>> reject_known_mistake(30, "n", {12: "that is the best epoch."})
    >>> reject_known_mistake(12, "n", {12: "that is the best epoch."})
    Traceback (most recent call last):
    ...
    course_utils.checks.WrongAnswer: n is not right: that is the best epoch.
    """
    number = as_number(answer)
    if number in mistakes:
        wrong(f"{name} is not right: {mistakes[number]}")
