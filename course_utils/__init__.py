"""Helpers for the deep-learning course.

The lessons import this package for the plumbing that is not the point of a lesson:
training-history plots, confusion matrices, image grids, sliding windows over a time
series, data loaders with checksums and an offline mirror, seeding, and exercise checks.

``import course_utils`` is cheap: it does not import TensorFlow or Keras. Functions that
need them import them when called.

Example:
    >>> import course_utils
    >>> course_utils.in_colab()
    False
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# The package's one version statement (pyproject.toml reads it from here).
__version__ = "0.5.0"

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time the names load lazily
    from course_utils.datasets import (
        HEART_BINARY,
        HEART_NOMINAL,
        HEART_NUMERIC,
        data_home,
        heart_preprocessor,
        load_heart,
        load_heart_split,
        load_mnist,
    )
    from course_utils.diagnostics import layer_statistics, plot_layer_statistics
    from course_utils.environment import in_colab, quiet_tensorflow, seed_everything, setup
    from course_utils.plotting import (
        plot_confusion_matrix,
        plot_decision_boundary,
        plot_history,
        show_images,
    )
    from course_utils.sequences import temporalize, time_split
    from course_utils.splits import train_val_test_split
    from course_utils.tensorboard_logs import read_scalars

# Public name -> submodule that defines it. Submodules are imported on first use so that
# ``import course_utils`` stays fast and never pulls in TensorFlow.
_EXPORTS = {
    "in_colab": "environment",
    "setup": "environment",
    "seed_everything": "environment",
    "quiet_tensorflow": "environment",
    "plot_history": "plotting",
    "plot_confusion_matrix": "plotting",
    "plot_decision_boundary": "plotting",
    "show_images": "plotting",
    "temporalize": "sequences",
    "time_split": "sequences",
    "train_val_test_split": "splits",
    "load_heart": "datasets",
    "load_heart_split": "datasets",
    "heart_preprocessor": "datasets",
    "HEART_NUMERIC": "datasets",
    "HEART_BINARY": "datasets",
    "HEART_NOMINAL": "datasets",
    "load_mnist": "datasets",
    "data_home": "datasets",
    "layer_statistics": "diagnostics",
    "plot_layer_statistics": "diagnostics",
    "read_scalars": "tensorboard_logs",
}

__all__ = [  # the names in _EXPORTS (a test checks that they agree), and the version
    "HEART_BINARY",
    "HEART_NOMINAL",
    "HEART_NUMERIC",
    "__version__",
    "data_home",
    "heart_preprocessor",
    "in_colab",
    "layer_statistics",
    "load_heart",
    "load_heart_split",
    "load_mnist",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_history",
    "plot_layer_statistics",
    "quiet_tensorflow",
    "read_scalars",
    "seed_everything",
    "setup",
    "show_images",
    "temporalize",
    "time_split",
    "train_val_test_split",
]


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'course_utils' has no attribute {name!r}")
    value = getattr(import_module(f"course_utils.{module_name}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
