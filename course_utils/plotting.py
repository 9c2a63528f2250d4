"""Plots the lessons use again and again: training histories, confusion matrices and
image grids with true and predicted labels.

Introduced in the lesson "Perceptron to MLP". No function here calls ``plt.show()`` or
changes matplotlib's global settings: each draws into the axes it is given, or makes a
new figure, and returns what it drew.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from sklearn.metrics import ConfusionMatrixDisplay

from course_utils._validation import as_array, describe

__all__ = ["plot_history", "plot_confusion_matrix", "show_images"]


def _history_dict(history: Any) -> dict[str, list[float]]:
    """Return the metrics dict of a Keras ``History`` or of a plain mapping."""
    if isinstance(history, Mapping):
        data = history
    elif isinstance(getattr(history, "history", None), Mapping):
        data = history.history
    else:
        raise TypeError(
            "history must be a keras.callbacks.History (what model.fit returns) or its "
            f"dict of metric lists. Received: {describe(history)}"
        )
    if not data:
        raise ValueError(
            "history is empty: expected at least one metric such as 'loss'. "
            "Was model.fit run with epochs >= 1?"
        )
    result: dict[str, list[float]] = {}
    for key, values in data.items():
        values = np.asarray(values, dtype=float).ravel()
        result[str(key)] = values.tolist()
    return result


def plot_history(
    history: Any,
    metrics: str | Sequence[str] | None = None,
    *,
    validation: bool | None = None,
    ax: Axes | Sequence[Axes] | None = None,
) -> list[Axes]:
    """Plot training (and validation) curves of a Keras training run, one panel a metric.

    Args:
        history: the ``History`` returned by ``model.fit``, or its ``.history`` dict.
        metrics: a metric name or names to plot, such as ``"loss"`` or
            ``["loss", "accuracy"]``. Default: every training metric in the history
            (keys without the ``val_`` prefix, except ``learning_rate``).
        validation: ``None`` draws validation curves where the history has them;
            ``True`` requires them (an error if the run had no validation data);
            ``False`` draws training curves only.
        ax: one Axes (for one metric) or one Axes per metric. Default: a new figure
            with a panel per metric, side by side.

    Returns:
        The list of Axes drawn on, one per metric.

    Raises:
        TypeError: if ``history`` is neither a History nor a dict.
        ValueError: if a metric is missing, the history is empty, validation curves are
            required but absent, or the number of axes does not match.

    Example:
        >>> axes = plot_history({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]})
        >>> [line.get_label() for line in axes[0].get_lines()]
        ['training', 'validation']
    """
    data = _history_dict(history)
    if metrics is None:
        names = [k for k in data if not k.startswith("val_") and k != "learning_rate"]
        if not names:
            raise ValueError(
                "history has no training metric to plot. "
                f"Received keys: {sorted(data)}"
            )
    elif isinstance(metrics, str):
        names = [metrics]
    else:
        names = list(metrics)
        if not names or not all(isinstance(n, str) for n in names):
            raise TypeError(
                "metrics must be a metric name or a non-empty list of names. "
                f"Received: {metrics!r}"
            )
    for name in names:
        if name not in data:
            raise ValueError(
                f"metric {name!r} is not in the history. Available: {sorted(data)}"
            )
    if validation:
        missing = [f"val_{n}" for n in names if f"val_{n}" not in data]
        if missing:
            raise ValueError(
                f"validation curves were requested but the history has no {missing}: "
                "pass validation_data (or validation_split) to model.fit, or call "
                "plot_history with validation=False. "
                f"Received keys: {sorted(data)}"
            )

    if ax is None:
        fig, new_axes = plt.subplots(
            1, len(names), figsize=(4.5 * len(names), 3.5), squeeze=False
        )
        axes = list(new_axes[0])
        fig.tight_layout()
    elif isinstance(ax, Axes):
        axes = [ax]
    else:
        axes = list(ax)
    if len(axes) != len(names) or not all(isinstance(a, Axes) for a in axes):
        raise ValueError(
            f"expected {len(names)} matplotlib Axes (one per metric {names}). "
            f"Received: {describe(ax)}"
        )

    for axis, name in zip(axes, names):
        values = data[name]
        epochs = np.arange(1, len(values) + 1)
        axis.plot(epochs, values, marker=".", label="training")
        val_name = f"val_{name}"
        if validation is not False and val_name in data:
            val_values = data[val_name]
            axis.plot(
                np.arange(1, len(val_values) + 1), val_values, marker=".",
                label="validation",
            )
        axis.set_xlabel("epoch")
        axis.set_ylabel(name)
        axis.set_title(name)
        axis.grid(True, alpha=0.3)
        axis.legend()
    return axes


def _to_labels(values: Any, name: str) -> np.ndarray:
    """Turn labels, one-hot rows or probability rows into a 1-D array of labels."""
    array = as_array(values, name, numeric=False)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
        if np.issubdtype(array.dtype, np.floating) and np.all((array >= 0) & (array <= 1)):
            # One sigmoid output per sample: threshold at 0.5.
            return (array >= 0.5).astype(int)
        return array
    if array.ndim == 2:
        if not np.issubdtype(array.dtype, np.number):
            raise TypeError(
                f"{name} with one row per sample must hold numbers (probabilities or "
                f"one-hot). Received an array of dtype {array.dtype}"
            )
        return np.argmax(array, axis=1)
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be 1-D labels or 2-D (samples, classes) probabilities. "
            f"Received: {describe(array)}"
        )
    return array


def plot_confusion_matrix(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Sequence[Any] | None = None,
    display_labels: Sequence[str] | None = None,
    normalize: str | None = None,
    ax: Axes | None = None,
    cmap: str = "Blues",
    colorbar: bool = False,
) -> ConfusionMatrixDisplay:
    """Draw a confusion matrix from labels or from predicted probabilities.

    A thin layer over scikit-learn's ``ConfusionMatrixDisplay.from_predictions`` that
    also accepts what a Keras classifier returns: ``y_pred`` may be class labels, a
    (samples, classes) array of probabilities (the argmax is taken) or a (samples, 1)
    sigmoid output (thresholded at 0.5); ``y_true`` may be labels or one-hot rows.

    Args:
        y_true: true labels, shape (n,), or one-hot, shape (n, classes).
        y_pred: predicted labels, shape (n,), or probabilities, shape (n, classes) or (n, 1).
        labels: the label values to index the matrix by (scikit-learn's ``labels``).
        display_labels: names to show on the axes, for example class names.
        normalize: ``None``, ``"true"``, ``"pred"`` or ``"all"``, as in scikit-learn.
        ax: the Axes to draw into; default a new figure.
        cmap: a matplotlib colormap name.
        colorbar: whether to draw a colour bar.

    Returns:
        scikit-learn's ``ConfusionMatrixDisplay`` (``.confusion_matrix``, ``.ax_``,
        ``.figure_``).

    Raises:
        TypeError: if an input is not array-like.
        ValueError: if the two inputs hold different numbers of samples or have more
            than two dimensions.

    Example:
        >>> display = plot_confusion_matrix([0, 1, 1], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
        >>> display.confusion_matrix.tolist()
        [[1, 0], [1, 1]]
    """
    true_labels = _to_labels(y_true, "y_true")
    pred_labels = _to_labels(y_pred, "y_pred")
    if len(true_labels) != len(pred_labels):
        raise ValueError(
            "y_true and y_pred must describe the same samples. "
            f"Received {len(true_labels)} true labels and {len(pred_labels)} predictions"
        )
    if len(true_labels) == 0:
        raise ValueError("y_true and y_pred are empty: expected at least one sample")
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError(
            "normalize must be None, 'true', 'pred' or 'all'. "
            f"Received: normalize={normalize!r}"
        )
    return ConfusionMatrixDisplay.from_predictions(
        true_labels,
        pred_labels,
        labels=labels,
        display_labels=display_labels,
        normalize=normalize,
        ax=ax,
        cmap=cmap,
        colorbar=colorbar,
    )


def show_images(
    images: Any,
    *,
    labels: Any = None,
    predictions: Any = None,
    class_names: Sequence[str] | None = None,
    ncols: int = 8,
    cmap: str = "gray",
    size: float = 1.6,
) -> np.ndarray:
    """Show images in a grid, titled with the true label and the prediction.

    Args:
        images: array of shape (n, height, width), (n, height, width, 1) or
            (n, height, width, 3); floats in [0, 1] or integers in [0, 255].
        labels: optional true labels, shape (n,).
        predictions: optional predicted labels, shape (n,), or class probabilities,
            shape (n, classes). With probabilities the title also shows the predicted
            class's probability, and a wrong prediction is titled in red.
        class_names: optional names for the class indices.
        ncols: images per row.
        cmap: colormap for single-channel images.
        size: width and height of each panel in inches.

    Returns:
        The grid's Axes as a flat array (unused panels are switched off).

    Raises:
        TypeError: if ``images`` is not array-like or ``ncols`` is not a positive integer.
        ValueError: if ``images`` has the wrong number of dimensions or channels, or
            the labels or predictions do not match the number of images.

    Example:
        >>> import numpy as np
        >>> axes = show_images(np.zeros((2, 8, 8)), labels=[3, 5], predictions=[3, 1])
        >>> [axis.get_title() for axis in axes[:2]]
        ['true 3 | pred 3', 'true 5 | pred 1']
    """
    array = as_array(images, "images")
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim not in (3, 4) or (array.ndim == 4 and array.shape[-1] != 3):
        raise ValueError(
            "images must have shape (n, height, width), (n, height, width, 1) or "
            f"(n, height, width, 3). Received: {describe(array)}"
        )
    if isinstance(ncols, bool) or not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise TypeError(f"ncols must be a positive integer. Received: ncols={ncols!r}")
    count = len(array)
    if count == 0:
        raise ValueError("images is empty: expected at least one image")

    true = None if labels is None else _to_labels(labels, "labels")
    probabilities = None
    predicted = None
    if predictions is not None:
        pred_array = as_array(predictions, "predictions")
        if pred_array.ndim == 2 and pred_array.shape[1] > 1:
            probabilities = pred_array
        predicted = _to_labels(pred_array, "predictions")
    for name, values in (("labels", true), ("predictions", predicted)):
        if values is not None and len(values) != count:
            raise ValueError(
                f"{name} must have one entry per image: expected {count}. "
                f"Received: {len(values)}"
            )

    def name_of(index: Any) -> str:
        if class_names is not None:
            return str(class_names[int(index)])
        return str(index)

    ncols = min(int(ncols), count)
    nrows = int(np.ceil(count / ncols))
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(size * ncols, size * nrows + 0.3 * nrows), squeeze=False
    )
    flat = axes.ravel()
    for index, axis in enumerate(flat):
        axis.set_axis_off()
        if index >= count:
            continue
        image = array[index]
        axis.imshow(image, cmap=cmap if image.ndim == 2 else None)
        parts = []
        if true is not None:
            parts.append(f"true {name_of(true[index])}")
        if predicted is not None:
            text = f"pred {name_of(predicted[index])}"
            if probabilities is not None:
                text += f" ({probabilities[index, int(predicted[index])]:.2f})"
            parts.append(text)
        wrong = true is not None and predicted is not None and true[index] != predicted[index]
        axis.set_title(" | ".join(parts), fontsize=8, color="tab:red" if wrong else "black")
    fig.tight_layout()
    return flat
