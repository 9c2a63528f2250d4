"""Training, validation and test sets in one call, split the same way in every lesson.

The lessons that train on rows that are not ordered in time (iris, penguins, heart,
digits) split them three ways with :func:`train_val_test_split`: the test rows are split
off first and never touched until the end, then the validation rows are split from the
rest. Time series are split in time order instead, with
:func:`course_utils.sequences.time_split`.

Introduced in the lesson "Perceptron to MLP".
"""

from __future__ import annotations

import numbers
from typing import Any

from sklearn.model_selection import train_test_split

from course_utils._validation import describe
from course_utils.i18n import _

__all__ = ["train_val_test_split"]


def _fraction(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            _(
                "{name} must be a fraction of the rows, a float in (0, 1). Received: {received}"
            ).format(name=name, received=describe(value))
        )
    if not 0 < float(value) < 1:
        raise ValueError(
            _("{name} must be a fraction of the rows in (0, 1). Received: {value}").format(
                name=name, value=value
            )
        )
    return float(value)


def train_val_test_split(
    *arrays: Any,
    val_size: float = 0.2,
    test_size: float = 0.2,
    stratify: Any = None,
    random_state: int | None = 42,
) -> list[Any]:
    """Split arrays into training, validation and test parts, stratified if asked.

    ``test_size`` of all rows go to the test part, split off first; then ``val_size`` of
    all rows go to the validation part, split from what remains; the rest is for training.
    With ``stratify`` (usually the labels) each part keeps the class proportions. Each
    part keeps its input's type (NumPy array, pandas DataFrame or Series, list), as with
    scikit-learn's :func:`~sklearn.model_selection.train_test_split`, which this calls
    twice.

    Args:
        *arrays: one or more sequences of the same length (features, labels, ...).
        val_size: fraction of all rows in the validation part, in (0, 1).
        test_size: fraction of all rows in the test part, in (0, 1); with ``val_size``
            below 1.
        stratify: class labels, one per row, whose proportions every part keeps; or None.
        random_state: the seed of the shuffle before splitting (None: a new one each call).

    Returns:
        For each array, its training, validation and test parts, in that order:
        ``X_train, X_val, X_test, y_train, y_val, y_test`` for ``(X, y)``.

    Raises:
        TypeError: if no array is given or a size is not a number.
        ValueError: if a size is out of range, the two leave no training rows, or the
            arrays (and ``stratify``) differ in length.

    Example:
        >>> import numpy as np
        >>> X, y = np.arange(20).reshape(10, 2), np.array([0, 1] * 5)
        >>> X_train, X_val, X_test, y_train, y_val, y_test = train_val_test_split(
        ...     X, y, val_size=0.2, test_size=0.2, stratify=y)
        >>> len(y_train), len(y_val), len(y_test), sorted(y_test.tolist())
        (6, 2, 2, [0, 1])
    """
    if not arrays:
        raise TypeError(_("train_val_test_split needs at least one array to split. Received none"))
    val = _fraction(val_size, "val_size")
    test = _fraction(test_size, "test_size")
    if val + test >= 1:
        raise ValueError(
            _(
                "val_size + test_size must leave rows for training (a sum below 1). "
                "Received: val_size={val_size}, test_size={test_size}"
            ).format(val_size=val_size, test_size=test_size)
        )
    lengths = {len(array) for array in arrays}
    if stratify is not None:
        lengths.add(len(stratify))
    if len(lengths) != 1:
        message = (
            _(
                "every array (and stratify) must have one row per example, the same length. "
                "Received lengths {lengths}"
            )
            if stratify is None
            else _(
                "every array (and stratify) must have one row per example, the same length. "
                "Received lengths {lengths}, stratify {stratify}"
            )
        )
        raise ValueError(
            message.format(
                lengths=[len(array) for array in arrays],
                stratify=None if stratify is None else len(stratify),
            )
        )
    first = train_test_split(
        *arrays,
        *([] if stratify is None else [stratify]),
        test_size=test,
        stratify=stratify,
        random_state=random_state,
    )
    rest, tests = first[0::2], first[1::2]
    rest_stratify = None
    if stratify is not None:
        rest_stratify, rest = rest[-1], rest[:-1]
        tests = tests[:-1]
    second = train_test_split(
        *rest, test_size=val / (1 - test), stratify=rest_stratify, random_state=random_state
    )
    parts: list[Any] = []
    for index, test_part in enumerate(tests):
        parts += [second[2 * index], second[2 * index + 1], test_part]
    return parts
