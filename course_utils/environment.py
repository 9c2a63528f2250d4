"""Environment helpers: Colab detection, quiet TensorFlow start-up, seeding.

Introduced in the lesson "Perceptron to MLP" and used by every lesson's setup cell.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
from collections.abc import Iterator

import numpy as np

from course_utils.i18n import _

__all__ = ["in_colab", "quiet_tensorflow", "seed_everything", "setup"]

_FORCE_COLAB_VARIABLE = "COURSE_FORCE_COLAB"


def in_colab() -> bool:
    """Return True when the code runs in Google Colab.

    Colab is recognised by its ``google.colab`` module. Setting the environment variable
    ``COURSE_FORCE_COLAB=1`` forces True, so that the Colab-only install cell of a lesson
    can be tested outside Colab.

    Example:
        >>> in_colab()
        False
    """
    if os.environ.get(_FORCE_COLAB_VARIABLE, "").strip() == "1":
        return True
    return "google.colab" in sys.modules


@contextlib.contextmanager
def _stderr_silenced() -> Iterator[None]:
    """Send the process's file descriptor 2 to /dev/null for the duration of the block.

    TensorFlow's C++ start-up notices (CPU features, oneDNN) are written straight to the
    file descriptor, below Python's ``sys.stderr``, so only a descriptor swap hides them.
    """
    with contextlib.suppress(AttributeError, ValueError):  # exotic stderr objects
        sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # pragma: no cover - no descriptor 2 at all
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def quiet_tensorflow() -> None:
    """Import TensorFlow and Keras without their start-up log lines.

    Sets ``TF_CPP_MIN_LOG_LEVEL=3`` unless the user set it already. That hides TensorFlow's
    C++ log lines, including a harmless ERROR-level line about an unknown
    ``use_unbounded_threadpool`` attribute that deterministic input pipelines print during
    ``fit``; Python exceptions are not affected. It then imports TensorFlow while the process's standard error is
    silenced, so that notices printed during import (CPU instruction sets, oneDNN custom
    operations) stay out of notebook outputs. oneDNN itself stays switched on: turning it
    off makes CPU training markedly slower. Errors raised by the import still propagate.
    Calling it again is harmless.

    Example:
        >>> quiet_tensorflow()
        >>> import keras  # already imported, prints nothing
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "tensorflow" in sys.modules and "keras" in sys.modules:
        return
    with _stderr_silenced():
        import keras  # noqa: F401
        import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    try:
        from absl import logging as absl_logging

        absl_logging.set_verbosity(absl_logging.ERROR)
    except ImportError:  # pragma: no cover - absl ships with TensorFlow
        pass


_seed_in_use: int | None = None


def current_seed() -> int | None:
    """The seed of the last :func:`seed_everything` (or :func:`setup`) call, ``None`` before one.

    A lesson states some figures as those of its own seed (42). Its hidden checks of such a
    figure run only when ``current_seed() == 42``; ``tools/seeds.py`` runs the lesson with
    other seeds, under which every general claim is still checked.

    Example:
        >>> seed_everything(7)
        >>> current_seed()
        7
    """
    return _seed_in_use


def seed_everything(seed: int = 42, *, deterministic: bool = True) -> None:
    """Seed Python, NumPy, TensorFlow and Keras, and optionally make TF ops deterministic.

    ``random.seed`` alone is not enough. In Keras 3 it does fix the initial weights and
    dropout masks of a fresh process (unseeded initializers and ``Dropout`` layers take
    their seeds from Python's ``random``), but not NumPy, not TensorFlow's generator
    (which ``fit`` uses to shuffle the batches), and not a cell run a second time.
    ``keras.utils.set_random_seed`` seeds Python, NumPy and TensorFlow together and
    resets Keras's global seed generator.

    Args:
        seed: a non-negative integer.
        deterministic: also call ``tf.config.experimental.enable_op_determinism()`` so
            that the same seed gives the same numbers run to run.

    Raises:
        TypeError: if ``seed`` is not an integer.
        ValueError: if ``seed`` is negative.

    Example:
        >>> seed_everything(0)
        >>> import numpy as np
        >>> a = np.random.rand()
        >>> seed_everything(0)
        >>> a == np.random.rand()
        True
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(
            _("seed must be an integer. Received: seed={seed} of type {type}").format(
                seed=repr(seed), type=type(seed).__name__
            )
        )
    if seed < 0:
        raise ValueError(_("seed must be 0 or greater. Received: seed={seed}").format(seed=seed))
    seed = int(seed)
    global _seed_in_use
    _seed_in_use = seed
    quiet_tensorflow()
    import keras
    import tensorflow as tf

    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)
    if deterministic:
        tf.config.experimental.enable_op_determinism()


def setup(seed: int = 42, *, deterministic: bool = True, language: str | None = None) -> None:
    """Prepare a lesson: quiet TensorFlow start-up, seed everything, and choose the
    language of the course's messages.

    The one call a lesson's setup cell makes before ``import keras``. ``language``
    (``"en"`` or ``"ko"``; the Korean notebooks pass ``"ko"``) is the language of the
    exercise checks' verdicts and the helpers' messages, see :mod:`course_utils.i18n`; by
    default it stays as it is (English, unless the ``COURSE_LANGUAGE`` environment variable
    says otherwise). In a notebook, a check's error then shows as its one-line verdict
    (:func:`course_utils.exercises.show_verdicts_briefly`).

    Raises:
        ValueError: for a language the course does not have.

    Example:
        >>> setup(seed=42)
        >>> import keras
        >>> keras.__version__ >= "3"
        True
    """
    from course_utils import exercises, i18n

    if language is not None:
        i18n.set_language(language)
    quiet_tensorflow()
    seed_everything(seed, deterministic=deterministic)
    exercises.show_verdicts_briefly()
