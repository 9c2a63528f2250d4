"""Small pieces the lessons' check modules share."""

from __future__ import annotations

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
