"""Per-layer diagnostics of a Keras model: how big the activations and the gradients are.

Introduced in the lesson "Weight initialization and vanishing gradients". The function
:func:`layer_statistics` runs one batch forward and backward through a model (with
``tf.GradientTape``) and reports, for every layer that has a kernel (``Dense``,
``Conv2D``, ...), the spread of that layer's outputs (over the whole batch, and per unit
across the samples) and the size of the loss gradient with respect to its kernel. :func:`plot_layer_statistics` draws one of those columns
against the layer's depth, so that shrinking (vanishing) or growing (exploding) signals
show up as a slope.

Nothing here trains the model or changes its weights, and no function calls
``plt.show()`` or changes matplotlib's global settings.

The error messages follow the student's language (:mod:`course_utils.i18n`); the axis
labels and titles of :func:`plot_layer_statistics` (``COLUMNS``) stay English in every
edition: Colab has no Korean font, and matplotlib would draw Korean text as empty boxes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from course_utils._validation import as_array, describe
from course_utils.i18n import _

__all__ = ["layer_statistics", "plot_layer_statistics"]

#: The columns of the table that :func:`layer_statistics` returns, with axis labels.
COLUMNS = {
    "activation_mean": "mean of the layer's outputs",
    "activation_std": "std of the layer's outputs, over units and samples",
    "unit_std": "std of each unit's output across samples (RMS)",
    "gradient_norm": "norm of the loss gradient w.r.t. the kernel",
    "weight_std": "standard deviation of the kernel",
}


def _resolve_loss(model: Any, loss: str | Callable[..., Any] | None) -> Callable[..., Any]:
    """Return a callable loss(y_true, y_pred) from ``loss`` or the model's compiled loss."""
    import keras

    if loss is None:
        loss = getattr(model, "loss", None)
        if loss is None:
            raise ValueError(
                _(
                    "layer_statistics needs a loss: pass loss=... (for example "
                    "'binary_crossentropy') or compile the model first. "
                    "Received: loss=None and a model that was not compiled"
                )
            )
    if isinstance(loss, str):
        try:
            return keras.losses.get(loss)
        except ValueError as error:
            raise ValueError(
                _(
                    "loss must name a Keras loss such as 'mse' or "
                    "'sparse_categorical_crossentropy'. Received: loss={loss}"
                ).format(loss=repr(loss))
            ) from error
    if callable(loss):
        return loss
    raise TypeError(
        _(
            "loss must be a Keras loss name, a keras.losses.Loss or a function "
            "loss(y_true, y_pred). Received: {received}"
        ).format(received=describe(loss))
    )


def layer_statistics(
    model: Any,
    x: Any,
    y: Any,
    *,
    loss: str | Callable[..., Any] | None = None,
) -> pd.DataFrame:
    """Measure every kernel layer's activations and gradient on one batch.

    The batch goes forward through the model in inference mode (``training=False``);
    the loss of its predictions is averaged over the batch and differentiated with
    ``tf.GradientTape`` with respect to each layer's kernel. The model's weights are not
    changed.

    Args:
        model: a built Sequential or Functional ``keras.Model`` (one that starts with
            ``keras.Input``) with a single input and a single output, on the TensorFlow
            backend.
        x: one batch of inputs, shape (batch, ...) as the model expects.
        y: the batch's targets, in the form the loss expects (for example integer
            labels for ``sparse_categorical_crossentropy``).
        loss: a Keras loss name, a ``keras.losses.Loss`` or a function
            ``loss(y_true, y_pred)``. Default: the loss the model was compiled with.

    Returns:
        A DataFrame with one row per layer of ``model.layers`` that has a kernel (layers
        inside a nested model are not listed), in order from the input (``depth`` 1) to
        the output, and the columns ``layer`` (its name), ``depth``,
        ``activation_mean`` and ``activation_std`` (of the layer's outputs, after its
        activation function, over all units and samples of the batch together),
        ``unit_std``, ``gradient_norm`` (the Euclidean norm of d loss / d kernel) and
        ``weight_std`` (of the kernel's values).

        ``unit_std`` is how much the layer's outputs change from one sample to another:
        the standard deviation of each unit's output across the batch's samples (for a
        convolution, of each output value at each position and channel), combined over
        the units as a root mean square. It is 0 when every sample gives the layer the
        same outputs, whatever those are. ``activation_std`` also counts the differences
        between units: ``activation_std ** 2 == unit_std ** 2 + (variance of the units'
        mean outputs)``. So a layer whose units sit at different but fixed levels has a
        large ``activation_std`` and a tiny ``unit_std``: its outputs no longer depend on
        the input.

    Raises:
        TypeError: if ``model`` is not a Keras model, or ``x``, ``y`` or ``loss`` have
            the wrong type.
        ValueError: if the model is not built, has several inputs or outputs, has no
            layer with a kernel, has no symbolic layer outputs (a subclassed model), if
            ``x`` and ``y`` hold different numbers of samples, or if no loss is known.

    Example:
        >>> import keras
        >>> model = keras.Sequential([
        ...     keras.Input(shape=(3,)),
        ...     keras.layers.Dense(4, activation="relu", name="hidden"),
        ...     keras.layers.Dense(1, name="output"),
        ... ])
        >>> table = layer_statistics(model, np.ones((8, 3)), np.zeros(8), loss="mse")
        >>> table[["layer", "depth"]].values.tolist()
        [['hidden', 1], ['output', 2]]
        >>> bool((table["gradient_norm"] >= 0).all())
        True

        Every sample gives the same outputs (the input is ignored), but the four units
        differ from each other: ``activation_std`` is large, ``unit_std`` is 0.

        >>> blind = keras.Sequential([
        ...     keras.Input(shape=(3,)),
        ...     keras.layers.Dense(4, kernel_initializer="zeros",
        ...                        bias_initializer=keras.initializers.Constant([0, 1, 2, 3])),
        ... ])
        >>> x = np.random.default_rng(0).normal(size=(8, 3))
        >>> row = layer_statistics(blind, x, np.zeros((8, 4)), loss="mse").iloc[0]
        >>> round(float(row["activation_std"]), 3), float(row["unit_std"])
        (1.118, 0.0)
    """
    import keras
    import tensorflow as tf

    if not isinstance(model, keras.Model):
        raise TypeError(
            _(
                "model must be a keras.Model (Sequential or Functional). Received: {received}"
            ).format(received=describe(model))
        )
    if not model.built:
        raise ValueError(
            _(
                "model has no weights yet: start it with keras.Input(shape=...) so that "
                "Keras knows the input shape"
            )
        )
    try:
        inputs = model.inputs
        outputs = model.outputs
    except (AttributeError, ValueError):
        inputs = outputs = None
    if not inputs or not outputs:
        raise ValueError(
            _(
                "model must be a Sequential or Functional model that starts with "
                "keras.Input(shape=...), so that every layer has a symbolic output. "
                "Received: a {type} without symbolic inputs"
            ).format(type=type(model).__name__)
        )
    if len(inputs) != 1 or len(outputs) != 1:
        raise ValueError(
            _(
                "layer_statistics supports models with one input and one output. "
                "Received: a model with {inputs} inputs and {outputs} outputs"
            ).format(inputs=len(inputs), outputs=len(outputs))
        )
    kernel_layers = [layer for layer in model.layers if getattr(layer, "kernel", None) is not None]
    if not kernel_layers:
        raise ValueError(
            _(
                "model has no layer with a kernel (Dense, Conv2D, ...): nothing to measure. "
                "Received layers: {layers}"
            ).format(layers=[type(layer).__name__ for layer in model.layers])
        )
    loss_function = _resolve_loss(model, loss)

    x_array = as_array(x, "x").astype("float32")
    y_array = as_array(y, "y")
    if x_array.ndim == 0 or y_array.ndim == 0:
        raise ValueError(
            _(
                "x and y must be batches with a first (sample) dimension. Received: x {x}, y {y}"
            ).format(x=describe(x_array), y=describe(y_array))
        )
    if len(x_array) != len(y_array):
        raise ValueError(
            _(
                "x and y must hold the same number of samples. "
                "Received: {inputs} inputs and {targets} targets"
            ).format(inputs=len(x_array), targets=len(y_array))
        )
    if len(x_array) == 0:
        raise ValueError(_("x and y are empty: expected a batch of at least one sample"))

    extractor = keras.Model(
        inputs=inputs[0], outputs=[layer.output for layer in kernel_layers] + [outputs[0]]
    )
    kernels = [layer.kernel for layer in kernel_layers]
    with tf.GradientTape() as tape:
        results = extractor(x_array, training=False)
        activations, predictions = results[:-1], results[-1]
        targets = tf.convert_to_tensor(y_array)
        if targets.shape.rank == predictions.shape.rank - 1 and predictions.shape[-1] == 1:
            targets = tf.expand_dims(targets, -1)  # labels (n,) against outputs (n, 1)
        targets = tf.cast(targets, predictions.dtype)
        loss_value = tf.reduce_mean(loss_function(targets, predictions))
    gradients = tape.gradient(loss_value, kernels)

    rows = []
    for depth, (layer, activation, gradient) in enumerate(
        zip(kernel_layers, activations, gradients, strict=True), start=1
    ):
        values = np.asarray(activation.numpy(), dtype="float64")
        per_sample = values.reshape(len(values), -1)  # (samples, units)
        gradient_norm = 0.0 if gradient is None else float(tf.norm(gradient))
        rows.append(
            {
                "layer": layer.name,
                "depth": depth,
                "activation_mean": float(values.mean()),
                "activation_std": float(values.std()),
                "unit_std": float(np.sqrt(per_sample.var(axis=0).mean())),
                "gradient_norm": gradient_norm,
                "weight_std": float(np.std(layer.kernel.numpy())),
            }
        )
    return pd.DataFrame(rows)


def plot_layer_statistics(
    statistics: pd.DataFrame | Mapping[str, pd.DataFrame],
    column: str = "gradient_norm",
    *,
    logy: bool | None = None,
    label: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Plot one column of :func:`layer_statistics` against the layer's depth.

    Args:
        statistics: the table that :func:`layer_statistics` returns, or a mapping from
            a label (for example an initializer's name) to such a table, drawn as one
            line each.
        column: which column to draw: ``"gradient_norm"``, ``"activation_std"``,
            ``"unit_std"``, ``"activation_mean"`` or ``"weight_std"``.
        logy: use a logarithmic y axis. Default: True for ``"gradient_norm"`` (which
            often spans orders of magnitude), else False. On a log axis, zeros are not
            drawn.
        label: the legend entry when ``statistics`` is a single table.
        ax: the Axes to draw into; default a new figure.

    Returns:
        The Axes drawn on.

    Raises:
        TypeError: if ``statistics`` is not a DataFrame or a mapping of DataFrames.
        ValueError: if ``column`` is unknown, a table lacks it or ``depth``, or the
            mapping is empty.

    Example:
        >>> table = pd.DataFrame({"depth": [1, 2, 3], "gradient_norm": [1e-4, 1e-2, 1.0]})
        >>> ax = plot_layer_statistics({"sigmoid": table})
        >>> ax.get_yscale(), [line.get_label() for line in ax.get_lines()]
        ('log', ['sigmoid'])
    """
    if isinstance(statistics, pd.DataFrame):
        tables = {label: statistics}
    elif isinstance(statistics, Mapping):
        tables = dict(statistics)
        if not tables:
            raise ValueError(_("statistics is an empty mapping: expected at least one table"))
    else:
        raise TypeError(
            _(
                "statistics must be the DataFrame that layer_statistics returns, or a dict "
                "of such DataFrames. Received: {received}"
            ).format(received=describe(statistics))
        )
    if column not in COLUMNS:
        raise ValueError(
            _("column must be one of {columns}. Received: column={column}").format(
                columns=list(COLUMNS), column=repr(column)
            )
        )
    for name, table in tables.items():
        if not isinstance(table, pd.DataFrame):
            raise TypeError(
                _(
                    "statistics[{name}] must be a DataFrame from layer_statistics. "
                    "Received: {received}"
                ).format(name=repr(name), received=describe(table))
            )
        missing = [key for key in ("depth", column) if key not in table.columns]
        if missing:
            raise ValueError(
                _("the table {name} has no column {missing}. Received columns: {columns}").format(
                    name=repr(name), missing=missing, columns=list(table.columns)
                )
            )
    if logy is None:
        logy = column == "gradient_norm"
    if ax is None:
        _figure, ax = plt.subplots(figsize=(5, 3.5))
    elif not isinstance(ax, Axes):
        raise TypeError(
            _("ax must be a matplotlib Axes or None. Received: {received}").format(
                received=describe(ax)
            )
        )

    for name, table in tables.items():
        ax.plot(table["depth"], table[column], marker="o", label=name)
    if logy:
        ax.set_yscale("log", nonpositive="mask")
    depths = np.unique(np.concatenate([table["depth"].to_numpy() for table in tables.values()]))
    ax.set_xticks(depths)
    ax.set_xlabel("layer (1 = next to the input)")
    ax.set_ylabel(column.replace("_", " "))
    ax.set_title(COLUMNS[column])
    ax.grid(True, alpha=0.3)
    if any(name is not None for name in tables):
        ax.legend(fontsize=8)
    return ax
