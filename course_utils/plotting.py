"""Plots the lessons use again and again: training histories, confusion matrices,
decision regions of two-feature classifiers and image grids with true and predicted labels.

Introduced in the lesson "Perceptron to MLP". No function here calls ``plt.show()`` or
changes matplotlib's global settings: each draws into the axes it is given, or makes a
new figure, and returns what it drew.

The error messages follow the student's language (:mod:`course_utils.i18n`); what the
functions write into a figure (axis labels, titles, legends such as ``"training"`` and
``"validation"``, image titles such as ``"true 3 | pred 5"``) stays English in every
edition: Colab has no Korean font, and matplotlib would draw Korean text as empty boxes.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.metrics import ConfusionMatrixDisplay
from sklearn.utils.multiclass import unique_labels

from course_utils._validation import as_array, describe
from course_utils.i18n import _

__all__ = ["plot_confusion_matrix", "plot_decision_boundary", "plot_history", "show_images"]

REGION_COLORS = ["#dbe9f6", "#fbd9c9", "#dff2d8", "#efe2f7", "#fff3c4", "#e3e3e3"]
POINT_CMAP = "coolwarm"


def _history_dict(history: Any) -> Mapping[str, Any]:
    """Return the metrics mapping of a Keras ``History`` or of a plain mapping."""
    if isinstance(history, Mapping):
        data = history
    elif isinstance(getattr(history, "history", None), Mapping):
        data = history.history
    else:
        raise TypeError(
            _(
                "history must be a keras.callbacks.History (what model.fit returns) or its "
                "dict of metric lists. Received: {received}"
            ).format(received=describe(history))
        )
    if not data:
        raise ValueError(
            _(
                "history is empty: expected at least one metric such as 'loss'. "
                "Was model.fit run with epochs >= 1?"
            )
        )
    return {str(key): values for key, values in data.items()}


def _metric_values(data: Mapping[str, Any], name: str) -> np.ndarray:
    """One metric's values as an array of shape (epochs,) or (epochs, classes).

    A metric with one number per epoch gives shape (epochs,); a per-class metric (such as
    ``keras.metrics.F1Score(average=None)``, which logs an array every epoch) gives
    (epochs, classes).
    """
    values = data[name]
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(
            _(
                "history[{name}] must hold one number, or one array of numbers of the same "
                "length, per epoch. Received: {received}"
            ).format(name=repr(name), received=describe(values))
        ) from error
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim > 2:
        raise ValueError(
            _(
                "history[{name}] must hold one number or one 1-D array (one value per class) "
                "per epoch. Received values of shape {shape}"
            ).format(name=repr(name), shape=array.shape)
        )
    return array


def _plot_curves(
    axis: Axes, values: np.ndarray, label: str, colors: Sequence[Any] | None = None
) -> list[Any]:
    """Draw one metric's curve, or one curve per class for a per-class metric."""
    epochs = np.arange(1, len(values) + 1)
    if values.ndim == 1:
        return axis.plot(epochs, values, marker=".", label=label)
    lines = []
    for index in range(values.shape[1]):
        style: dict[str, Any] = {"marker": ".", "label": f"{label}, class {index}"}
        if colors is not None:
            # Validation curves: the training curve's colour, dashed.
            style.update(color=colors[index], linestyle="--")
        lines.extend(axis.plot(epochs, values[:, index], **style))
    return lines


def _axes_list(ax: Any, count: int, names: list[str]) -> list[Axes]:
    """Turn one Axes, a sequence of Axes or an array of Axes into a flat list of Axes."""
    axes = [ax] if isinstance(ax, Axes) else list(np.ravel(np.asarray(ax, dtype=object)))
    if len(axes) != count or not all(isinstance(a, Axes) for a in axes):
        raise ValueError(
            _(
                "expected {count} matplotlib Axes (one per metric {names}) as one Axes, a "
                "list of Axes or an array of Axes such as plt.subplots(2, 2) returns. "
                "Received: {received}"
            ).format(count=count, names=names, received=describe(ax))
        )
    return axes


def plot_history(
    history: Any,
    metrics: str | Sequence[str] | None = None,
    *,
    validation: bool | None = None,
    ax: Axes | Sequence[Axes] | np.ndarray | None = None,
) -> list[Axes]:
    """Plot training (and validation) curves of a Keras training run, one panel a metric.

    A metric with one value per class each epoch (for example
    ``keras.metrics.F1Score(average=None)``) is drawn as one curve per class, labelled
    ``"training, class 0"``, ``"training, class 1"``, ...; its validation curves are dashed,
    in the colour of the same class's training curve.

    Args:
        history: the ``History`` returned by ``model.fit``, or its ``.history`` dict.
        metrics: a metric name or names to plot, such as ``"loss"`` or
            ``["loss", "accuracy"]``. Default: every training metric in the history
            (keys without the ``val_`` prefix, except ``learning_rate``).
        validation: ``None`` draws validation curves where the history has them;
            ``True`` requires them (an error if the run had no validation data);
            ``False`` draws training curves only.
        ax: one Axes (for one metric), or one Axes per metric as a list or as an array
            (such as ``plt.subplots(2, 2)`` returns; panels are filled row by row).
            Default: a new figure with a panel per metric, side by side, laid out with
            matplotlib's tight layout when it is drawn.

    Returns:
        The list of Axes drawn on, one per metric.

    Raises:
        TypeError: if ``history`` is neither a History nor a dict, or ``metrics`` is not a
            name or a list of names.
        ValueError: if a metric is missing or not numeric, the history is empty,
            validation curves are required but absent, or the number of axes does not
            match.

    Example:
        >>> axes = plot_history({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]})
        >>> [line.get_label() for line in axes[0].get_lines()]
        ['training', 'validation']
        >>> f1 = {"f1_score": [[0.5, 0.25], [0.75, 0.5]]}  # two classes, two epochs
        >>> [line.get_label() for line in plot_history(f1)[0].get_lines()]
        ['training, class 0', 'training, class 1']
    """
    data = _history_dict(history)
    if metrics is None:
        names = [k for k in data if not k.startswith("val_") and k != "learning_rate"]
        if not names:
            raise ValueError(
                _("history has no training metric to plot. Received keys: {keys}").format(
                    keys=sorted(data)
                )
            )
    elif isinstance(metrics, str):
        names = [metrics]
    else:
        names = list(metrics)
        if not names or not all(isinstance(n, str) for n in names):
            raise TypeError(
                _(
                    "metrics must be a metric name or a non-empty list of names. "
                    "Received: {metrics}"
                ).format(metrics=repr(metrics))
            )
    for name in names:
        if name not in data:
            raise ValueError(
                _("metric {name} is not in the history. Available: {keys}").format(
                    name=repr(name), keys=sorted(data)
                )
            )
    if validation:
        missing = [f"val_{n}" for n in names if f"val_{n}" not in data]
        if missing:
            raise ValueError(
                _(
                    "validation curves were requested but the history has no {missing}: "
                    "pass validation_data (or validation_split) to model.fit, or call "
                    "plot_history with validation=False. "
                    "Received keys: {keys}"
                ).format(missing=missing, keys=sorted(data))
            )
    curves = {}
    for name in names:
        curves[name] = _metric_values(data, name)
        val_name = f"val_{name}"
        if validation is not False and val_name in data:
            curves[val_name] = _metric_values(data, val_name)
            if curves[name].shape[1:] != curves[val_name].shape[1:]:
                per_epoch = [
                    a.shape[1] if a.ndim == 2 else 1 for a in (curves[name], curves[val_name])
                ]
                raise ValueError(
                    _(
                        "{name} and {val_name} must have the same number of values per "
                        "epoch. Received {count} and {val_count} values per epoch"
                    ).format(
                        name=repr(name),
                        val_name=repr(val_name),
                        count=per_epoch[0],
                        val_count=per_epoch[1],
                    )
                )

    if ax is None:
        _figure, new_axes = plt.subplots(
            1, len(names), figsize=(4.5 * len(names), 3.5), squeeze=False, layout="tight"
        )
        axes = list(new_axes[0])
    else:
        axes = _axes_list(ax, len(names), names)

    for axis, name in zip(axes, names, strict=True):
        lines = _plot_curves(axis, curves[name], "training")
        val_name = f"val_{name}"
        if val_name in curves:
            colors = [line.get_color() for line in lines] if curves[name].ndim == 2 else None
            _plot_curves(axis, curves[val_name], "validation", colors)
        axis.set_xlabel("epoch")
        axis.set_ylabel(name)
        axis.set_title(name)
        axis.grid(True, alpha=0.3)
        axis.legend(fontsize="small" if curves[name].ndim == 2 else None)
    return axes


def _to_labels(values: Any, name: str) -> tuple[np.ndarray, int | None]:
    """Turn labels, one-hot rows, probability rows or sigmoid outputs into 1-D labels.

    Returns the labels and the number of classes the input's shape implies: the number of
    columns of one-hot or probability rows, 2 for sigmoid outputs (floats in [0, 1],
    thresholded at 0.5), ``None`` for plain labels.
    """
    array = as_array(values, name, numeric=False)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]  # one sigmoid output (or one label) per sample
    if array.ndim == 2:
        if not np.issubdtype(array.dtype, np.number) or array.shape[1] == 0:
            raise TypeError(
                _(
                    "{name} with one row per sample must hold numbers (probabilities or "
                    "one-hot), one column per class. Received: {received} of dtype {dtype}"
                ).format(name=name, received=describe(array), dtype=array.dtype)
            )
        return np.argmax(array, axis=1), array.shape[1]
    if array.ndim != 1:
        raise ValueError(
            _(
                "{name} must be 1-D labels, 1-D sigmoid outputs, or 2-D (samples, classes) "
                "probabilities or one-hot rows. Received: {received}"
            ).format(name=name, received=describe(array))
        )
    if array.dtype == object and all(isinstance(value, str) for value in array):
        array = array.astype(str)  # class names, for example from a pandas column
    if not np.issubdtype(array.dtype, np.floating) or array.size == 0:
        return array, None
    if np.all((array >= 0) & (array <= 1)):
        # Sigmoid outputs, such as model.predict(x).ravel(): 0.5 or more is class 1.
        return (array >= 0.5).astype(int), 2
    if np.all(np.isfinite(array)) and np.all(array == np.round(array)):
        return array.astype(int), None  # whole numbers stored as floats: class labels
    raise ValueError(
        _(
            "{name} holds floats that are neither probabilities in [0, 1] (sigmoid outputs) "
            "nor whole numbers (class labels). "
            "Received values from {low:g} to {high:g}"
        ).format(name=name, low=np.nanmin(array), high=np.nanmax(array))
    )


def _class_labels(
    true_labels: np.ndarray,
    pred_labels: np.ndarray,
    classes: dict[str, int | None],
    display_labels: Sequence[str] | None,
) -> list[Any] | None:
    """The label values to index the confusion matrix by when the caller gave none.

    Probabilities, one-hot rows and sigmoid outputs fix the number of classes, so that a
    class that never occurs still has its row and column; so do ``display_labels`` for
    integer labels 0, 1, ... Otherwise ``None``: scikit-learn takes the labels that occur.
    """
    counts = {name: count for name, count in classes.items() if count is not None}
    if len(set(counts.values())) > 1:
        raise ValueError(
            _(
                "y_true and y_pred must describe the same classes. Received y_true with "
                "{true} classes and y_pred with {pred} classes"
            ).format(true=counts["y_true"], pred=counts["y_pred"])
        )
    observed = np.concatenate([true_labels, pred_labels])
    integral = np.issubdtype(observed.dtype, np.integer)
    if counts:
        count = next(iter(counts.values()))
        if not integral or observed.min() < 0 or observed.max() >= count:
            received = np.unique(observed).tolist()
            shown = str(received[:10]) + (" ..." if len(received) > 10 else "")
            message = (
                _(
                    "expected class indices 0 to {last}, as y_true and y_pred have {count} "
                    "classes. Received labels {labels}"
                )
                if len(counts) > 1
                else _(
                    "expected class indices 0 to {last}, as {name} has {count} classes. "
                    "Received labels {labels}"
                )
            )
            raise ValueError(
                message.format(last=count - 1, name=next(iter(counts)), count=count, labels=shown)
            )
        return list(range(count))
    if (
        display_labels is not None
        and integral
        and observed.min() >= 0
        and observed.max() < len(display_labels)
    ):
        return list(range(len(display_labels)))
    return None


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
    (samples, classes) array of probabilities (the argmax is taken) or sigmoid outputs
    of shape (samples,) or (samples, 1), floats in [0, 1] (0.5 or more is class 1);
    ``y_true`` may be labels or one-hot rows. With probabilities, one-hot rows or
    sigmoid outputs the matrix has a row and a column for every class (0, 1, ...), also
    for a class that never occurs; the same holds for integer labels 0, 1, ... given with
    ``display_labels``: one class per name.

    Args:
        y_true: true labels, shape (n,), or one-hot, shape (n, classes).
        y_pred: predicted labels, shape (n,), probabilities, shape (n, classes), or
            sigmoid outputs, shape (n,) or (n, 1).
        labels: the label values to index the matrix by (scikit-learn's ``labels``).
            Default: the classes 0, 1, ... that probabilities, one-hot rows, sigmoid
            outputs or ``display_labels`` imply, else the labels that occur.
        display_labels: names to show on the axes, for example class names, one per class.
        normalize: ``None``, ``"true"``, ``"pred"`` or ``"all"``, as in scikit-learn.
        ax: the Axes to draw into; default a new figure.
        cmap: a matplotlib colormap name.
        colorbar: whether to draw a colour bar.

    Returns:
        scikit-learn's ``ConfusionMatrixDisplay`` (``.confusion_matrix``, ``.ax_``,
        ``.figure_``).

    Raises:
        TypeError: if an input is not array-like, or ``display_labels`` is a string.
        ValueError: if the two inputs hold different numbers of samples or classes, have
            more than two dimensions, hold floats that are neither probabilities nor
            whole numbers, or labels outside the classes that probabilities imply, or if
            ``display_labels`` does not have one name per class.

    Example:
        >>> display = plot_confusion_matrix([0, 1, 1], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
        >>> display.confusion_matrix.tolist()
        [[1, 0], [1, 1]]
        >>> plot_confusion_matrix([0, 1, 1], [0.2, 0.9, 0.4]).confusion_matrix.tolist()
        [[1, 0], [1, 1]]
        >>> plot_confusion_matrix([0, 0], [[0.9, 0.1, 0.0], [0.6, 0.3, 0.1]]).confusion_matrix
        array([[2, 0, 0],
               [0, 0, 0],
               [0, 0, 0]])
    """
    true_labels, true_classes = _to_labels(y_true, "y_true")
    pred_labels, pred_classes = _to_labels(y_pred, "y_pred")
    if len(true_labels) != len(pred_labels):
        raise ValueError(
            _(
                "y_true and y_pred must describe the same samples. "
                "Received {true} true labels and {pred} predictions"
            ).format(true=len(true_labels), pred=len(pred_labels))
        )
    if len(true_labels) == 0:
        raise ValueError(_("y_true and y_pred are empty: expected at least one sample"))
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError(
            _(
                "normalize must be None, 'true', 'pred' or 'all'. Received: normalize={normalize}"
            ).format(normalize=repr(normalize))
        )
    if isinstance(display_labels, str):
        raise TypeError(
            _(
                "display_labels must be a list of names, one per class. Received the string {value}"
            ).format(value=repr(display_labels))
        )
    if labels is None:
        classes = {"y_true": true_classes, "y_pred": pred_classes}
        labels = _class_labels(true_labels, pred_labels, classes, display_labels)
    if display_labels is not None:
        matrix_labels = unique_labels(true_labels, pred_labels) if labels is None else labels
        if len(display_labels) != len(matrix_labels):
            raise ValueError(
                _(
                    "display_labels must have one name per class: expected {expected} "
                    "(classes {classes}). Received {count}: {names}"
                ).format(
                    expected=len(matrix_labels),
                    classes=np.asarray(matrix_labels).tolist(),
                    count=len(display_labels),
                    names=list(display_labels),
                )
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
        labels: optional true labels, shape (n,): class indices, or class names as
            strings.
        predictions: optional predicted labels, shape (n,) (class indices or names, or
            sigmoid outputs, thresholded at 0.5), or class probabilities, shape
            (n, classes). With probabilities the title also shows the predicted class's
            probability. A wrong prediction is titled in red.
        class_names: optional names for the class indices; needed to compare string
            labels with predicted class indices.
        ncols: images per row, a positive integer.
        cmap: colormap for single-channel images.
        size: width and height of each panel in inches.

    Returns:
        The grid's Axes as a flat array (unused panels are switched off).

    Raises:
        TypeError: if ``images`` is not array-like.
        ValueError: if ``ncols`` is not a positive integer, ``images`` has the wrong number
            of dimensions or channels, the labels or predictions do not match the number
            of images, a class index has no name in ``class_names``, or string labels are
            to be compared with class indices without ``class_names``.

    Example:
        >>> import numpy as np
        >>> axes = show_images(np.zeros((2, 8, 8)), labels=[3, 5], predictions=[3, 1])
        >>> [axis.get_title() for axis in axes[:2]]
        ['true 3 | pred 3', 'true 5 | pred 1']
        >>> axes = show_images(np.zeros((2, 8, 8)), labels=["cat", "dog"],
        ...                    predictions=[[0.9, 0.1], [0.8, 0.2]], class_names=["cat", "dog"])
        >>> [axis.get_title() for axis in axes]
        ['true cat | pred cat (0.90)', 'true dog | pred cat (0.80)']
    """
    if isinstance(ncols, bool) or not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise ValueError(
            _("ncols (images per row) must be a positive integer. Received: ncols={ncols}").format(
                ncols=repr(ncols)
            )
        )
    array = as_array(images, "images")
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim not in (3, 4) or (array.ndim == 4 and array.shape[-1] != 3):
        raise ValueError(
            _(
                "images must have shape (n, height, width), (n, height, width, 1) or "
                "(n, height, width, 3). Received: {received}"
            ).format(received=describe(array))
        )
    count = len(array)
    if count == 0:
        raise ValueError(_("images is empty: expected at least one image"))

    true = None if labels is None else _to_labels(labels, "labels")[0]
    probabilities = None
    predicted = None
    if predictions is not None:
        pred_array = as_array(predictions, "predictions", numeric=False)
        if pred_array.ndim == 2 and pred_array.shape[1] > 1:
            probabilities = pred_array
        predicted = _to_labels(pred_array, "predictions")[0]
    for name, values in (("labels", true), ("predictions", predicted)):
        if values is None:
            continue
        if len(values) != count:
            raise ValueError(
                _(
                    "{name} must have one entry per image: expected {count}. Received: {received}"
                ).format(name=name, count=count, received=len(values))
            )
        if class_names is not None and np.issubdtype(values.dtype, np.integer):
            outside = values[(values < 0) | (values >= len(class_names))]
            if outside.size:
                raise ValueError(
                    _(
                        "{name} must be class indices 0 to {last}, one per name in "
                        "class_names. Received: {received}"
                    ).format(name=name, last=len(class_names) - 1, received=outside[0])
                )
    if class_names is None and true is not None and predicted is not None:
        kinds = {np.issubdtype(values.dtype, np.str_) for values in (true, predicted)}
        if len(kinds) > 1:
            raise ValueError(
                _(
                    "labels and predictions must both be class names or both class indices, "
                    "or pass class_names to name the indices. Received labels of dtype "
                    "{labels} and predictions of dtype {predictions}"
                ).format(labels=true.dtype, predictions=predicted.dtype)
            )

    def name_of(value: Any) -> str:
        if class_names is not None and not isinstance(value, str):
            return str(class_names[int(value)])
        return str(value)

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
        wrong = (
            true is not None
            and predicted is not None
            and name_of(true[index]) != name_of(predicted[index])
        )
        axis.set_title(" | ".join(parts), fontsize=8, color="tab:red" if wrong else "black")
    fig.tight_layout()
    return flat


def _predicted_classes(model: Any, points: np.ndarray) -> np.ndarray:
    """Class indices a Keras model or scikit-learn estimator predicts for ``points``."""
    predict = getattr(model, "predict", None)
    if predict is None:
        raise TypeError(
            _(
                "model must have a predict method (a Keras model or a fitted scikit-learn "
                "estimator). Received: {received}"
            ).format(received=describe(model))
        )
    if hasattr(model, "get_weights") and hasattr(model, "compile"):  # Keras
        outputs = np.asarray(predict(points, verbose=0, batch_size=4096))
    else:
        outputs = np.asarray(predict(points))
    if outputs.ndim == 2 and outputs.shape[1] > 1:
        return outputs.argmax(axis=1)
    outputs = outputs.reshape(len(points))
    if np.issubdtype(outputs.dtype, np.floating) and not np.all(outputs == np.round(outputs)):
        return (outputs >= 0.5).astype(int)  # probabilities of class 1
    return outputs.astype(int)


def plot_decision_boundary(
    model: Any,
    X: Any,
    y: Any = None,
    *,
    ax: Axes | None = None,
    grid_resolution: int = 200,
    margin: float = 0.5,
    xlim: tuple[float, float] | None = None,
    ylim: tuple[float, float] | None = None,
    title: str | None = None,
) -> DecisionBoundaryDisplay:
    """Fill the regions where a two-feature classifier predicts each class, with the data.

    The model predicts on a ``grid_resolution`` x ``grid_resolution`` grid that covers
    ``X`` (plus ``margin`` on each side) or the given limits. A Keras model's outputs of
    shape (n, 1) or (n,) are read as probabilities of class 1 (0.5 or more is class 1);
    outputs of shape (n, classes) as class probabilities (the argmax is taken); a
    scikit-learn estimator's ``predict`` gives class labels 0, 1, ... directly. Each
    class's region gets its own pale colour; the points of ``X`` are drawn on top,
    coloured by ``y`` when it is given.

    Args:
        model: a Keras model or fitted scikit-learn classifier taking two features.
        X: the points to draw, shape (n, 2); they also set the grid's extent.
        y: their labels, shape (n,), or None to draw them in one colour.
        ax: the Axes to draw into; default a new figure.
        grid_resolution: grid points along each axis (at least 2).
        margin: how far the grid reaches beyond the points, in the features' units.
        xlim, ylim: the grid's extent instead of the points' range plus the margin.
        title: the Axes title.

    Returns:
        scikit-learn's ``DecisionBoundaryDisplay``: ``.response`` holds the predicted class
        of each grid point, ``.ax_`` the Axes.

    Raises:
        TypeError: if ``model`` has no ``predict`` or ``X`` is not numeric.
        ValueError: if ``X`` is not of shape (n, 2), ``y`` has another length, or the
            grid would have fewer than 2 points along an axis.

    Example:
        >>> from sklearn.linear_model import LogisticRegression
        >>> X, y = np.array([[0, 0], [0, 1], [1, 0], [1, 1]]), np.array([0, 0, 1, 1])
        >>> display = plot_decision_boundary(LogisticRegression().fit(X, y), X, y)
        >>> sorted(np.unique(display.response).tolist())
        [0, 1]
    """
    points = as_array(X, "X").astype("float32")
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(
            _(
                "X must have shape (samples, 2): two features to plot. Received shape {shape}"
            ).format(shape=points.shape)
        )
    labels = None if y is None else as_array(y, "y").reshape(-1)
    if labels is not None and len(labels) != len(points):
        raise ValueError(
            _(
                "y must have one label per point of X: expected {expected}, received {received}"
            ).format(expected=len(points), received=len(labels))
        )
    if isinstance(grid_resolution, bool) or not isinstance(grid_resolution, int):
        raise TypeError(
            _("grid_resolution must be an int. Received: {received}").format(
                received=describe(grid_resolution)
            )
        )
    if grid_resolution < 2:
        raise ValueError(
            _("grid_resolution must be at least 2. Received: {value}").format(value=grid_resolution)
        )
    low, high = points.min(axis=0) - margin, points.max(axis=0) + margin
    xlim = (float(low[0]), float(high[0])) if xlim is None else xlim
    ylim = (float(low[1]), float(high[1])) if ylim is None else ylim
    xx0, xx1 = np.meshgrid(np.linspace(*xlim, grid_resolution), np.linspace(*ylim, grid_resolution))
    grid = np.column_stack([xx0.ravel(), xx1.ravel()]).astype("float32")
    response = _predicted_classes(model, grid).reshape(xx0.shape)
    classes = int(max(response.max(), 0 if labels is None else labels.max())) + 1
    arguments: dict[str, Any] = {"xx0": xx0, "xx1": xx1, "response": response}
    if "n_classes" in inspect.signature(DecisionBoundaryDisplay).parameters:
        # scikit-learn 1.9 or newer: its two-class path hands our levels and colours to
        # contourf unchanged (its many-class path would replace them with its own).
        arguments["n_classes"] = 2
    display = DecisionBoundaryDisplay(**arguments)
    display.plot(
        ax=ax,
        plot_method="contourf",
        levels=np.arange(classes + 1) - 0.5,
        colors=[REGION_COLORS[i % len(REGION_COLORS)] for i in range(classes)],
        zorder=-1,
    )
    axes = display.ax_
    if labels is None:
        axes.scatter(points[:, 0], points[:, 1], c="black", s=14)
    else:
        axes.scatter(
            points[:, 0],
            points[:, 1],
            c=labels,
            cmap=POINT_CMAP,
            vmin=0,
            vmax=max(classes - 1, 1),
            s=30,
            edgecolor="black",
            linewidth=0.4,
        )
    axes.set(xlim=xlim, ylim=ylim)
    if title is not None:
        axes.set_title(title)
    return display
