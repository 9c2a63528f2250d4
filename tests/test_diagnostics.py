"""Tests of course_utils.diagnostics: per-layer activation and gradient statistics."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import course_utils

course_utils.quiet_tensorflow()

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from course_utils.diagnostics import layer_statistics, plot_layer_statistics  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    plt.close("all")
    yield
    plt.close("all")


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 5)).astype("float32")
    y = rng.integers(0, 3, size=16)
    return x, y


def make_model(activation="relu", seed=0):
    keras.utils.set_random_seed(seed)
    return keras.Sequential(
        [
            keras.Input(shape=(5,)),
            keras.layers.Dense(6, activation=activation, name="first"),
            keras.layers.Dropout(0.5, name="dropout"),
            keras.layers.Dense(4, activation=activation, name="second"),
            keras.layers.Dense(3, activation="softmax", name="output"),
        ]
    )


def test_one_row_per_kernel_layer(data):
    x, y = data
    table = layer_statistics(make_model(), x, y, loss="sparse_categorical_crossentropy")
    assert isinstance(table, pd.DataFrame)
    assert table["layer"].tolist() == ["first", "second", "output"]
    assert table["depth"].tolist() == [1, 2, 3]
    assert list(table.columns) == [
        "layer",
        "depth",
        "activation_mean",
        "activation_std",
        "unit_std",
        "gradient_norm",
        "weight_std",
    ]


def test_values_match_a_manual_computation(data):
    x, y = data
    model = make_model()
    table = layer_statistics(model, x, y, loss="sparse_categorical_crossentropy")

    kernels = [model.get_layer(name).kernel for name in ("first", "second", "output")]
    with tf.GradientTape() as tape:
        predictions = model(x, training=False)
        loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, predictions))
    expected_norms = [float(tf.norm(g)) for g in tape.gradient(loss, kernels)]
    np.testing.assert_allclose(table["gradient_norm"], expected_norms, rtol=1e-5)

    # the layers' outputs, computed step by step with NumPy from the weights
    (w1, b1), (w2, b2), (w3, b3) = (
        model.get_layer(name).get_weights() for name in ("first", "second", "output")
    )
    first = np.maximum(x @ w1 + b1, 0)  # Dropout does nothing at inference
    second = np.maximum(first @ w2 + b2, 0)
    logits = second @ w3 + b3
    output = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    outputs = [first, second, output]
    np.testing.assert_allclose(table["activation_mean"], [o.mean() for o in outputs], rtol=1e-5)
    np.testing.assert_allclose(table["activation_std"], [o.std() for o in outputs], rtol=1e-5)
    np.testing.assert_allclose(
        table["unit_std"], [np.sqrt(o.var(axis=0).mean()) for o in outputs], rtol=1e-5
    )
    np.testing.assert_allclose(table["weight_std"], [w.std() for w in (w1, w2, w3)], rtol=1e-6)
    assert len(set(table["activation_std"])) == 3  # the layers are told apart


def test_compiled_loss_is_the_default_and_weights_do_not_change(data):
    x, y = data
    model = make_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    before = [w.copy() for w in model.get_weights()]
    from_compile = layer_statistics(model, x, y)
    explicit = layer_statistics(model, x, y, loss=keras.losses.SparseCategoricalCrossentropy())
    pd.testing.assert_frame_equal(from_compile, explicit)
    for old, new in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)


def test_single_sigmoid_output_accepts_flat_labels():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(10, 3)).astype("float32")
    y = rng.integers(0, 2, size=10)
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input(shape=(3,)),
            keras.layers.Dense(4, activation="tanh"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    flat = layer_statistics(model, x, y, loss="binary_crossentropy")
    column = layer_statistics(model, x, y.reshape(-1, 1), loss="binary_crossentropy")
    pd.testing.assert_frame_equal(flat, column)


def test_zero_weights_give_zero_gradients_and_spread(data):
    x, y = data
    model = keras.Sequential(
        [
            keras.Input(shape=(5,)),
            keras.layers.Dense(4, activation="tanh", kernel_initializer="zeros"),
            keras.layers.Dense(3, activation="softmax", kernel_initializer="zeros"),
        ]
    )
    table = layer_statistics(model, x, y, loss="sparse_categorical_crossentropy")
    assert table["gradient_norm"].tolist() == [0.0, 0.0]
    assert table.loc[0, "activation_std"] == 0.0


def _fixed_model(kernel, bias):
    """One linear Dense layer with the given weights: outputs = x @ kernel + bias."""
    kernel, bias = np.asarray(kernel, "float32"), np.asarray(bias, "float32")
    model = keras.Sequential([keras.Input(shape=(kernel.shape[0],)), keras.layers.Dense(len(bias))])
    model.set_weights([kernel, bias])
    return model


def test_unit_std_ignores_differences_between_units():
    # The output does not depend on the input at all; the units sit at 0, 1, 2, 3.
    x = np.random.default_rng(3).normal(size=(32, 2)).astype("float32")
    blind = _fixed_model(np.zeros((2, 4)), [0.0, 1.0, 2.0, 3.0])
    row = layer_statistics(blind, x, np.zeros((32, 4)), loss="mse").iloc[0]
    assert row["unit_std"] == 0.0
    assert row["activation_std"] == pytest.approx(np.std([0, 1, 2, 3]))


def test_unit_std_is_the_rms_of_each_units_std_across_samples():
    # Unit k's output is scale_k * x0 + offset_k: across samples its std is scale_k * std(x0).
    x = np.random.default_rng(4).normal(size=(64, 2)).astype("float32")
    scales, offsets = np.array([0.5, 1.0, 4.0]), np.array([-10.0, 0.0, 10.0])
    model = _fixed_model(np.vstack([scales, np.zeros(3)]), offsets)
    row = layer_statistics(model, x, np.zeros((64, 3)), loss="mse").iloc[0]
    per_unit = scales * x[:, 0].astype("float64").std()
    assert row["unit_std"] == pytest.approx(np.sqrt(np.mean(per_unit**2)), rel=1e-5)
    # not the plain mean of the units' stds, and not the spread over everything
    assert row["unit_std"] != pytest.approx(per_unit.mean(), rel=1e-2)
    assert row["activation_std"] > 3 * row["unit_std"]
    # the decomposition stated in the docstring
    outputs = x.astype("float64") @ np.vstack([scales, np.zeros(3)]) + offsets
    assert row["activation_std"] ** 2 == pytest.approx(
        row["unit_std"] ** 2 + outputs.mean(axis=0).var(), rel=1e-5
    )


def test_unit_std_of_a_convolution_is_per_position_and_channel():
    images = np.random.default_rng(5).random(size=(6, 5, 5, 1)).astype("float32")
    inputs = keras.Input(shape=(5, 5, 1))
    conv = keras.layers.Conv2D(2, 3, activation="relu", name="conv")(inputs)
    outputs = keras.layers.Dense(1)(keras.layers.Flatten()(conv))
    model = keras.Model(inputs, outputs)
    table = layer_statistics(model, images, np.zeros(6), loss="mse")
    feature_maps = keras.Model(inputs, conv)(images).numpy().astype("float64")  # (6, 3, 3, 2)
    expected = np.sqrt(feature_maps.reshape(6, -1).var(axis=0).mean())
    assert table.loc[0, "unit_std"] == pytest.approx(expected, rel=1e-5)


def test_functional_cnn(data):
    rng = np.random.default_rng(2)
    images = rng.random(size=(4, 8, 8, 1)).astype("float32")
    inputs = keras.Input(shape=(8, 8, 1))
    hidden = keras.layers.Conv2D(2, 3, activation="relu", name="conv")(inputs)
    hidden = keras.layers.Flatten()(hidden)
    outputs = keras.layers.Dense(3, activation="softmax", name="dense")(hidden)
    model = keras.Model(inputs, outputs)
    table = layer_statistics(
        model, images, np.array([0, 1, 2, 0]), loss="sparse_categorical_crossentropy"
    )
    assert table["layer"].tolist() == ["conv", "dense"]
    assert (table["gradient_norm"] > 0).all()


@pytest.mark.parametrize(
    ("bad_model", "received"),
    [(None, "NoneType None"), ("model", "str 'model'"), (np.zeros(3), r"ndarray of shape \(3,\)")],
)
def test_not_a_model_is_a_type_error(bad_model, received, data):
    x, y = data
    with pytest.raises(
        TypeError,
        match=rf"^model must be a keras\.Model \(Sequential or Functional\)\. Received: {received}$",
    ):
        layer_statistics(bad_model, x, y, loss="mse")


@pytest.mark.parametrize(
    ("bad_x", "received"),
    [({"a": 1}, r"dict \{'a': 1\}"), ("images", "str 'images'"), (None, "NoneType None")],
)
def test_inputs_of_wrong_type_are_a_type_error(bad_x, received, data):
    _, y = data
    with pytest.raises(TypeError, match=rf"^x must be array-like .* Received: {received}$"):
        layer_statistics(make_model(), bad_x, y, loss="sparse_categorical_crossentropy")


def test_targets_of_wrong_type_are_a_type_error(data):
    x, _ = data
    with pytest.raises(TypeError, match=r"^y must be array-like .* Received: str 'labels'$"):
        layer_statistics(make_model(), x, "labels", loss="sparse_categorical_crossentropy")


def test_mismatched_batch_is_a_value_error(data):
    x, y = data
    with pytest.raises(
        ValueError,
        match=r"^x and y must hold the same number of samples\. Received: 16 inputs and 15 targets$",
    ):
        layer_statistics(make_model(), x, y[:15], loss="sparse_categorical_crossentropy")


def test_empty_batch_is_a_value_error():
    with pytest.raises(
        ValueError, match=r"^x and y are empty: expected a batch of at least one sample$"
    ):
        layer_statistics(
            make_model(), np.zeros((0, 5)), np.zeros(0), loss="sparse_categorical_crossentropy"
        )


def test_missing_loss_is_a_value_error(data):
    x, y = data
    with pytest.raises(
        ValueError,
        match=r"^layer_statistics needs a loss: .* Received: loss=None and a model that was not "
        r"compiled$",
    ):
        layer_statistics(make_model(), x, y)


def test_unknown_loss_name_is_a_value_error(data):
    x, y = data
    with pytest.raises(
        ValueError, match=r"^loss must name a Keras loss such as .* Received: loss='no_such_loss'$"
    ):
        layer_statistics(make_model(), x, y, loss="no_such_loss")


def test_loss_of_wrong_type_is_a_type_error(data):
    x, y = data
    with pytest.raises(TypeError, match=r"^loss must be a Keras loss name, .* Received: int 3$"):
        layer_statistics(make_model(), x, y, loss=3)


def test_model_without_kernels_is_a_value_error(data):
    x, y = data
    model = keras.Sequential([keras.Input(shape=(5,)), keras.layers.Activation("relu")])
    with pytest.raises(
        ValueError,
        match=r"^model has no layer with a kernel .* Received layers: \['Activation'\]$",
    ):
        layer_statistics(model, x, y, loss="mse")


def test_unbuilt_model_is_a_value_error(data):
    x, y = data
    model = keras.Sequential([keras.layers.Dense(3)])
    with pytest.raises(ValueError, match=r"^model has no weights yet: start it with keras\.Input"):
        layer_statistics(model, x, y, loss="mse")


def test_several_inputs_is_a_value_error(data):
    x, y = data
    first, second = keras.Input(shape=(5,)), keras.Input(shape=(2,))
    joined = keras.layers.concatenate([first, second])
    model = keras.Model([first, second], keras.layers.Dense(1)(joined))
    with pytest.raises(
        ValueError,
        match=r"^layer_statistics supports models with one input and one output\. "
        r"Received: a model with 2 inputs and 1 outputs$",
    ):
        layer_statistics(model, x, y, loss="mse")


def test_subclassed_model_is_a_value_error(data):
    x, y = data

    class Tiny(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(3)

        def call(self, inputs):
            return self.dense(inputs)

    model = Tiny()
    model(x)
    with pytest.raises(
        ValueError, match=r"^model must be a Sequential or Functional .* Received: a Tiny without"
    ):
        layer_statistics(model, x, y, loss="mse")


@pytest.fixture
def tables():
    first = pd.DataFrame(
        {"depth": [1, 2, 3], "gradient_norm": [1e-4, 1e-2, 1.0], "activation_std": [0.5, 0.4, 0.3]}
    )
    second = pd.DataFrame(
        {"depth": [1, 2, 3], "gradient_norm": [0.5, 0.6, 0.7], "activation_std": [0.8, 0.8, 0.8]}
    )
    return {"sigmoid": first, "relu": second}


def test_plot_mapping_draws_one_line_per_table(tables):
    ax = plot_layer_statistics(tables)
    assert [line.get_label() for line in ax.get_lines()] == ["sigmoid", "relu"]
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "layer (1 = next to the input)"
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), [1e-4, 1e-2, 1.0])
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["sigmoid", "relu"]


def test_plot_single_table_into_given_axes(tables):
    _, ax = plt.subplots()
    returned = plot_layer_statistics(tables["relu"], "activation_std", label="relu", ax=ax)
    assert returned is ax
    assert ax.get_yscale() == "linear"
    assert [line.get_label() for line in ax.get_lines()] == ["relu"]
    np.testing.assert_allclose(ax.get_lines()[0].get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), [0.8, 0.8, 0.8])
    assert ax.get_ylabel() == "activation std"
    assert ax.get_title() == "std of the layer's outputs, over units and samples"


def test_plot_single_table_without_label_has_no_legend(tables):
    ax = plot_layer_statistics(tables["relu"], logy=False)
    assert ax.get_legend() is None
    assert ax.get_yscale() == "linear"


def test_plot_real_statistics(data):
    x, y = data
    table = layer_statistics(make_model(), x, y, loss="sparse_categorical_crossentropy")
    ax = plot_layer_statistics({"relu": table}, "activation_std", logy=True)
    assert ax.get_yscale() == "log"
    assert list(ax.get_xticks()) == [1, 2, 3]
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), table["activation_std"])


def test_plot_unknown_column_is_a_value_error(tables):
    with pytest.raises(
        ValueError,
        match=r"^column must be one of \['activation_mean', 'activation_std', 'unit_std', "
        r"'gradient_norm', 'weight_std'\]\. Received: column='loss'$",
    ):
        plot_layer_statistics(tables, "loss")


def test_plot_missing_column_is_a_value_error(tables):
    with pytest.raises(
        ValueError,
        match=r"^the table 'sigmoid' has no column \['weight_std'\]\. Received columns: "
        r"\['depth', 'gradient_norm', 'activation_std'\]$",
    ):
        plot_layer_statistics(tables, "weight_std")


def test_plot_empty_mapping_is_a_value_error():
    with pytest.raises(
        ValueError, match=r"^statistics is an empty mapping: expected at least one table$"
    ):
        plot_layer_statistics({})


@pytest.mark.parametrize(
    ("bad", "received"),
    [
        ([1, 2, 3], "list of length 3"),
        (np.zeros(3), r"ndarray of shape \(3,\)"),
        (None, "NoneType None"),
    ],
)
def test_plot_wrong_type_is_a_type_error(bad, received):
    with pytest.raises(
        TypeError, match=rf"^statistics must be the DataFrame .* Received: {received}$"
    ):
        plot_layer_statistics(bad)


def test_plot_mapping_of_wrong_values_is_a_type_error():
    with pytest.raises(
        TypeError,
        match=r"^statistics\['a'\] must be a DataFrame from layer_statistics\. "
        r"Received: list of length 2$",
    ):
        plot_layer_statistics({"a": [1, 2]})


def test_plot_bad_axes_is_a_type_error(tables):
    with pytest.raises(
        TypeError, match=r"^ax must be a matplotlib Axes or None\. Received: str 'left'$"
    ):
        plot_layer_statistics(tables, ax="left")
