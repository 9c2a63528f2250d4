from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_rgba
from sklearn.metrics import ConfusionMatrixDisplay

from course_utils.plotting import plot_confusion_matrix, plot_history, show_images

HISTORY = {
    "loss": [1.0, 0.6, 0.4],
    "accuracy": [0.5, 0.7, 0.8],
    "val_loss": [1.1, 0.8, 0.7],
    "val_accuracy": [0.4, 0.6, 0.7],
    "learning_rate": [0.01, 0.01, 0.005],
}

# What keras.metrics.F1Score(average=None) puts in History.history: one float32 array of
# per-class values each epoch (three classes, three epochs).
F1_TRAIN = [
    np.array(v, dtype="float32") for v in ([0.2, 0.5, 0.0], [0.4, 0.6, 0.1], [0.6, 0.7, 0.3])
]
F1_VAL = [np.array(v, dtype="float32") for v in ([0.1, 0.4, 0.0], [0.3, 0.5, 0.2], [0.5, 0.5, 0.2])]
PER_CLASS_HISTORY = {
    "loss": [1.0, 0.6, 0.4],
    "f1_score": F1_TRAIN,
    "val_loss": [1.1, 0.8, 0.7],
    "val_f1_score": F1_VAL,
}


class FakeHistory:
    def __init__(self, history):
        self.history = history


def _titles(axes):
    return [axis.get_title() for axis in axes]


def _line_labels(axis):
    return [line.get_label() for line in axis.get_lines()]


# --- plot_history ---------------------------------------------------------------------------


@pytest.mark.parametrize("history", [HISTORY, FakeHistory(HISTORY)])
def test_plot_history_draws_each_training_metric_with_validation(history):
    axes = plot_history(history)
    assert _titles(axes) == ["loss", "accuracy"]
    for axis, name in zip(axes, ["loss", "accuracy"], strict=True):
        lines = axis.get_lines()
        assert _line_labels(axis) == ["training", "validation"]
        np.testing.assert_allclose(lines[0].get_ydata(), HISTORY[name])
        np.testing.assert_allclose(lines[1].get_ydata(), HISTORY[f"val_{name}"])
        np.testing.assert_array_equal(lines[0].get_xdata(), [1, 2, 3])


def test_plot_history_new_figure_has_one_panel_per_metric_left_to_right():
    axes = plot_history(HISTORY, ["accuracy", "loss"])
    figure = axes[0].figure
    assert plt.get_fignums() == [figure.number]
    assert figure.axes == axes
    assert _titles(axes) == ["accuracy", "loss"]
    assert axes[0].get_position().x1 <= axes[1].get_position().x0


def test_plot_history_single_metric_into_given_axes():
    fig, ax = plt.subplots()
    axes = plot_history(HISTORY, "loss", ax=ax)
    assert len(axes) == 1
    assert axes[0] is ax
    assert plt.get_fignums() == [fig.number]  # no new figure
    assert ax.get_xlabel() == "epoch"
    assert ax.get_ylabel() == "loss"
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), HISTORY["loss"])


@pytest.mark.parametrize("metrics", [["loss"], ["loss", "accuracy"], None])
def test_plot_history_lays_out_after_drawing(metrics):
    """Titles, axis labels and tick labels fit in the figure and do not overlap."""
    axes = plot_history(HISTORY, metrics)
    figure = axes[0].figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    boxes = [axis.get_tightbbox(renderer) for axis in axes]
    page = figure.bbox
    for box in boxes:
        assert box.x0 >= page.x0 - 1, (box, page)
        assert box.y0 >= page.y0 - 1, (box, page)
        assert box.x1 <= page.x1 + 1, (box, page)
        assert box.y1 <= page.y1 + 1, (box, page)
    for left, right in itertools.pairwise(boxes):
        assert left.x1 <= right.x0 + 1, (left, right)


def test_plot_history_validation_true_draws_both():
    axes = plot_history(HISTORY, ["accuracy"], validation=True)
    assert _line_labels(axes[0]) == ["training", "validation"]
    np.testing.assert_allclose(axes[0].get_lines()[1].get_ydata(), HISTORY["val_accuracy"])


def test_plot_history_single_number_is_one_epoch():
    axes = plot_history({"loss": 0.5, "val_loss": np.float32(0.75)})
    lines = axes[0].get_lines()
    assert [line.get_xydata().tolist() for line in lines] == [[[1.0, 0.5]], [[1.0, 0.75]]]


def test_plot_history_validation_false_draws_training_only():
    axes = plot_history(HISTORY, ["loss"], validation=False)
    assert _line_labels(axes[0]) == ["training"]


def test_plot_history_learning_rate_on_request():
    axes = plot_history(HISTORY, "learning_rate")
    np.testing.assert_allclose(axes[0].get_lines()[0].get_ydata(), [0.01, 0.01, 0.005])


def test_plot_history_without_validation_data_when_required():
    with pytest.raises(ValueError, match=r"validation curves were requested.*val_loss"):
        plot_history({"loss": [1.0, 0.5]}, "loss", validation=True)


def test_plot_history_without_validation_data_by_default_draws_training():
    axes = plot_history({"loss": [1.0, 0.5]})
    assert _line_labels(axes[0]) == ["training"]


@pytest.mark.parametrize("history", [PER_CLASS_HISTORY, FakeHistory(PER_CLASS_HISTORY)])
def test_plot_history_per_class_metric_draws_one_line_per_class(history):
    loss_axis, f1_axis = plot_history(history)
    assert _line_labels(loss_axis) == ["training", "validation"]
    assert _line_labels(f1_axis) == [
        "training, class 0",
        "training, class 1",
        "training, class 2",
        "validation, class 0",
        "validation, class 1",
        "validation, class 2",
    ]
    lines = f1_axis.get_lines()
    for index in range(3):
        train, val = lines[index], lines[3 + index]
        np.testing.assert_allclose(train.get_ydata(), [epoch[index] for epoch in F1_TRAIN])
        np.testing.assert_allclose(val.get_ydata(), [epoch[index] for epoch in F1_VAL])
        np.testing.assert_array_equal(train.get_xdata(), [1, 2, 3])
        assert to_rgba(val.get_color()) == to_rgba(train.get_color())
        assert (train.get_linestyle(), val.get_linestyle()) == ("-", "--")
    assert len({to_rgba(line.get_color()) for line in lines[:3]}) == 3
    legend = [text.get_text() for text in f1_axis.get_legend().get_texts()]
    assert legend == _line_labels(f1_axis)


def test_plot_history_per_class_metric_without_validation():
    axes = plot_history(PER_CLASS_HISTORY, "f1_score", validation=False)
    assert _line_labels(axes[0]) == ["training, class 0", "training, class 1", "training, class 2"]


def test_plot_history_one_element_arrays_per_epoch_are_one_curve():
    history = {"f1_score": [np.array([0.5]), np.array([0.7])]}
    axes = plot_history(history)
    assert _line_labels(axes[0]) == ["training"]
    np.testing.assert_allclose(axes[0].get_lines()[0].get_ydata(), [0.5, 0.7])


@pytest.mark.parametrize(
    "make_axes",
    [
        pytest.param(lambda: plt.subplots(2, 2)[1], id="2-D array"),
        pytest.param(lambda: plt.subplots(1, 4)[1], id="1-D array"),
        pytest.param(lambda: list(plt.subplots(4, 1)[1]), id="list"),
        pytest.param(lambda: tuple(plt.subplots(1, 4)[1]), id="tuple"),
    ],
)
def test_plot_history_into_array_or_sequence_of_axes(make_axes):
    names = ["loss", "accuracy", "val_loss", "learning_rate"]
    given = make_axes()
    expected = list(np.ravel(np.asarray(given, dtype=object)))
    axes = plot_history(HISTORY, names, validation=False, ax=given)
    assert len(axes) == 4
    assert all(a is b for a, b in zip(axes, expected, strict=True))
    assert _titles(expected) == names  # filled row by row
    for axis, name in zip(expected, names, strict=True):
        np.testing.assert_allclose(axis.get_lines()[0].get_ydata(), HISTORY[name])


@pytest.mark.parametrize(
    ("history", "metrics", "error", "match"),
    [
        ([1, 2, 3], None, TypeError, r"History .* Received: list"),
        (None, None, TypeError, r"Received: NoneType"),
        ({}, None, ValueError, r"history is empty"),
        (HISTORY, "mae", ValueError, r"'mae' is not in the history. Available"),
        (HISTORY, [], TypeError, r"non-empty list"),
        (HISTORY, [3], TypeError, r"metrics must be"),
        ({"val_loss": [1.0]}, None, ValueError, r"no training metric"),
        (
            {"f1": [[0.1, 0.2], [0.3]]},
            None,
            ValueError,
            r"history\['f1'\] must hold one number, or one array of numbers of the same length",
        ),
        (
            {"loss": ["low", "high"]},
            None,
            ValueError,
            r"history\['loss'\] must hold .* Received: list of length 2",
        ),
        (
            {"f1": np.zeros((2, 3, 4))},
            None,
            ValueError,
            r"history\['f1'\] must hold one number or one 1-D array .* shape \(2, 3, 4\)",
        ),
        (
            {"f1": [[0.1, 0.2]] * 2, "val_f1": [[0.1, 0.2, 0.3]] * 2},
            None,
            ValueError,
            r"'f1' and 'val_f1' must have the same number of values per epoch. Received 2 and 3",
        ),
    ],
)
def test_plot_history_bad_input(history, metrics, error, match):
    with pytest.raises(error, match=match):
        plot_history(history, metrics)


def test_plot_history_ignores_odd_entries_it_does_not_plot():
    axes = plot_history({"loss": [1.0, 0.5], "notes": ["a", "b"]}, "loss")
    np.testing.assert_allclose(axes[0].get_lines()[0].get_ydata(), [1.0, 0.5])


@pytest.mark.parametrize(
    ("make_ax", "match"),
    [
        (lambda: plt.subplots()[1], r"expected 2 matplotlib Axes .* Received: Axes"),
        (
            lambda: plt.subplots(2, 2)[1],
            r"expected 2 matplotlib Axes .* Received: ndarray of shape \(2, 2\)",
        ),
        (lambda: 3, r"expected 2 matplotlib Axes .* Received: int 3"),
        (lambda: ["left", "right"], r"expected 2 matplotlib Axes .* Received: list of length 2"),
    ],
)
def test_plot_history_wrong_axes(make_ax, match):
    with pytest.raises(ValueError, match=match):
        plot_history(HISTORY, ["loss", "accuracy"], ax=make_ax())


# --- plot_confusion_matrix ------------------------------------------------------------------


def test_confusion_matrix_from_labels():
    display = plot_confusion_matrix([0, 1, 2, 2], [0, 2, 2, 2], display_labels=["a", "b", "c"])
    assert isinstance(display, ConfusionMatrixDisplay)
    np.testing.assert_array_equal(display.confusion_matrix, [[1, 0, 0], [0, 0, 1], [0, 0, 2]])
    assert [t.get_text() for t in display.ax_.get_xticklabels()] == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("y_true", "y_pred", "expected"),
    [
        pytest.param(["cat", "dog", "dog"], ["dog", "dog", "cat"], [[0, 1], [1, 1]], id="strings"),
        pytest.param([1, 3, 3], [3, 3, 1], [[0, 1], [1, 1]], id="integers 1 and 3"),
        pytest.param([0.0, 2.0, 2.0], [2, 2, 0], [[0, 1], [1, 1]], id="whole floats"),
    ],
)
def test_confusion_matrix_from_labels_indexes_by_the_labels_that_occur(y_true, y_pred, expected):
    display = plot_confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(display.confusion_matrix, expected)


def test_confusion_matrix_from_probabilities_and_one_hot():
    y_true = np.eye(3)[[0, 1, 2, 1]]
    probabilities = np.array([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.3, 0.3, 0.4], [0.6, 0.3, 0.1]])
    display = plot_confusion_matrix(y_true, probabilities)
    np.testing.assert_array_equal(display.confusion_matrix, [[1, 0, 0], [1, 1, 0], [0, 0, 1]])


# Class 2 never occurs: neither as a true label nor as the argmax of a prediction.
ABSENT_TRUE = [0, 1, 1, 0]
ABSENT_PROBABILITIES = np.array(
    [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.6, 0.3, 0.1], [0.2, 0.5, 0.3]], dtype="float32"
)
ABSENT_EXPECTED = [[1, 1, 0], [1, 1, 0], [0, 0, 0]]


@pytest.mark.parametrize(
    ("y_true", "y_pred"),
    [
        pytest.param(ABSENT_TRUE, ABSENT_PROBABILITIES, id="labels, probabilities"),
        pytest.param(np.eye(3)[ABSENT_TRUE], ABSENT_PROBABILITIES.argmax(1), id="one-hot, labels"),
        pytest.param(np.eye(3)[ABSENT_TRUE], ABSENT_PROBABILITIES, id="one-hot, probabilities"),
    ],
)
@pytest.mark.parametrize("display_labels", [None, ["setosa", "versicolor", "virginica"]])
def test_confusion_matrix_keeps_every_class_of_probabilities(y_true, y_pred, display_labels):
    display = plot_confusion_matrix(y_true, y_pred, display_labels=display_labels)
    np.testing.assert_array_equal(display.confusion_matrix, ABSENT_EXPECTED)
    ticks = [t.get_text() for t in display.ax_.get_yticklabels()]
    assert ticks == (display_labels or ["0", "1", "2"])


def test_confusion_matrix_integer_labels_with_display_labels_keep_absent_class():
    display = plot_confusion_matrix([0, 1, 1], [1, 1, 0], display_labels=["a", "b", "c"])
    np.testing.assert_array_equal(display.confusion_matrix, [[0, 1, 0], [1, 1, 0], [0, 0, 0]])
    assert [t.get_text() for t in display.ax_.get_xticklabels()] == ["a", "b", "c"]


def test_confusion_matrix_explicit_labels_win():
    display = plot_confusion_matrix([0, 1, 1], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], labels=[1, 0])
    np.testing.assert_array_equal(display.confusion_matrix, [[1, 1], [0, 1]])


SIGMOID = [0.1, 0.5, 0.49, 0.93, 0.2, 0.7]  # 0.5 or more is class 1
SIGMOID_TRUE = [0, 1, 1, 1, 0, 0]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(-1,), (-1, 1)], ids=["1-D", "column"])
def test_confusion_matrix_thresholds_sigmoid_outputs(shape, dtype):
    y_pred = np.array(SIGMOID, dtype=dtype).reshape(shape)
    display = plot_confusion_matrix(SIGMOID_TRUE, y_pred, display_labels=["healthy", "ill"])
    np.testing.assert_array_equal(display.confusion_matrix, [[2, 1], [1, 2]])
    assert [t.get_text() for t in display.ax_.get_xticklabels()] == ["healthy", "ill"]


@pytest.mark.parametrize("shape", [(-1,), (-1, 1)], ids=["1-D", "column"])
def test_confusion_matrix_sigmoid_keeps_both_classes(shape):
    # Every prediction is positive and every sample positive: still a 2 x 2 matrix.
    y_true = np.ones(3, dtype="float32").reshape(shape)  # float labels as in lesson 4
    display = plot_confusion_matrix(y_true, np.array([0.6, 0.8, 0.9]).reshape(shape))
    np.testing.assert_array_equal(display.confusion_matrix, [[0, 0], [0, 3]])


def test_confusion_matrix_from_sigmoid_column_and_into_axes():
    _fig, ax = plt.subplots()
    display = plot_confusion_matrix([0, 1, 1, 0], np.array([[0.2], [0.9], [0.4], [0.6]]), ax=ax)
    assert display.ax_ is ax
    np.testing.assert_array_equal(display.confusion_matrix, [[1, 1], [1, 1]])


def test_confusion_matrix_normalized():
    display = plot_confusion_matrix([0, 0, 1, 1], [0, 1, 1, 1], normalize="true")
    np.testing.assert_allclose(display.confusion_matrix, [[0.5, 0.5], [0.0, 1.0]])


@pytest.mark.parametrize(
    ("y_true", "y_pred", "kwargs", "error", "match"),
    [
        ([0, 1], [0, 1, 1], {}, ValueError, r"same samples. Received 2 true labels and 3"),
        ("abc", [0, 1, 1], {}, TypeError, r"y_true must be array-like"),
        (
            [0, 1],
            np.zeros((2, 2, 2)),
            {},
            ValueError,
            r"y_pred must be 1-D labels, 1-D sigmoid outputs, or 2-D .* shape \(2, 2, 2\)",
        ),
        (
            np.int64(1),
            [1],
            {},
            ValueError,
            r"y_true must be 1-D .* Received: ndarray of shape \(\)",
        ),
        ([], [], {}, ValueError, r"y_true and y_pred are empty: expected at least one sample"),
        (
            [0, 1],
            [0.2, 1.7],
            {},
            ValueError,
            r"y_pred holds floats that are neither probabilities in \[0, 1\] .* nor whole numbers"
            r".* Received values from 0.2 to 1.7",
        ),
        ([0.5, -1.5], [0, 1], {}, ValueError, r"y_true holds floats .* from -1.5 to 0.5"),
        ([0, 1], [[0.5, 0.5], ["a", "b"]], {}, TypeError, r"y_pred .* must hold numbers"),
        (
            [0, 1, 3],
            np.eye(3),
            {},
            ValueError,
            r"expected class indices 0 to 2, as y_pred has 3 classes. "
            r"Received labels \[0, 1, 2, 3\]",
        ),
        (["a", "b", "c"], np.eye(3), {}, ValueError, r"expected class indices 0 to 2"),
        (
            [0, 2],
            [0.1, 0.9],
            {},
            ValueError,
            r"expected class indices 0 to 1, as y_pred has 2 classes. Received labels \[0, 1, 2\]",
        ),
        (
            np.eye(3),
            np.eye(2)[[0, 1, 1]],
            {},
            ValueError,
            r"same classes. Received y_true with 3 classes and y_pred with 2 classes",
        ),
        (
            [0, 1, 2],
            np.eye(3),
            {"display_labels": ["a", "b"]},
            ValueError,
            r"display_labels must have one name per class: expected 3 \(classes \[0, 1, 2\]\). "
            r"Received 2: \['a', 'b'\]",
        ),
        (
            [0, 1, 2],
            [0, 1, 2],
            {"display_labels": ["a", "b"]},
            ValueError,
            r"display_labels must have one name per class: expected 3 \(classes \[0, 1, 2\]\)",
        ),
        (
            ["x", "y"],
            ["x", "y"],
            {"display_labels": ["a", "b", "c"]},
            ValueError,
            r"expected 2 \(classes \['x', 'y'\]\). Received 3",
        ),
        (
            [0, 1],
            [0, 1],
            {"labels": [0, 1], "display_labels": ["a"]},
            ValueError,
            r"expected 2 \(classes \[0, 1\]\). Received 1",
        ),
        (
            [0, 1],
            [0, 1],
            {"display_labels": "ab"},
            TypeError,
            r"display_labels must be a list of names.* Received the string 'ab'",
        ),
    ],
)
def test_confusion_matrix_bad_input(y_true, y_pred, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_confusion_matrix(y_true, y_pred, **kwargs)


def test_confusion_matrix_bad_normalize():
    with pytest.raises(ValueError, match=r"normalize must be .* Received: normalize='rows'"):
        plot_confusion_matrix([0, 1], [0, 1], normalize="rows")


@settings(max_examples=40, deadline=None)
@given(
    n_true=st.integers(min_value=1, max_value=6),
    n_pred=st.integers(min_value=1, max_value=6),
    classes=st.integers(min_value=2, max_value=4),
    seed=st.integers(min_value=0, max_value=2**16),
)
def test_confusion_matrix_counts_every_sample_into_every_class(n_true, n_pred, classes, seed):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, classes, n_true)
    y_pred = rng.random((n_pred, classes))
    if n_true != n_pred:
        with pytest.raises(ValueError, match="same samples"):
            plot_confusion_matrix(y_true, y_pred)
    else:
        expected = np.zeros((classes, classes), dtype=int)
        np.add.at(expected, (y_true, y_pred.argmax(axis=1)), 1)
        display = plot_confusion_matrix(y_true, y_pred)
        np.testing.assert_array_equal(display.confusion_matrix, expected)
    plt.close("all")


# --- show_images ----------------------------------------------------------------------------


def test_show_images_titles_and_wrong_predictions_in_red():
    images = np.random.default_rng(0).random((5, 8, 8, 1))
    probabilities = np.array([[0.9, 0.1], [0.3, 0.7], [0.6, 0.4], [0.2, 0.8], [0.5, 0.5]])
    axes = show_images(
        images,
        labels=[0, 1, 1, 1, 0],
        predictions=probabilities,
        class_names=["cat", "dog"],
        ncols=3,
    )
    assert len(axes) == 6
    assert axes[0].get_title() == "true cat | pred cat (0.90)"
    assert axes[2].get_title() == "true dog | pred cat (0.60)"
    assert axes[2].title.get_color() == "tab:red"
    assert axes[0].title.get_color() == "black"
    assert not axes[5].axison


def test_show_images_rgb_without_labels():
    axes = show_images(np.zeros((2, 4, 4, 3), dtype="uint8"))
    assert [axis.get_title() for axis in axes] == ["", ""]
    assert axes[0].get_images()[0].get_array().shape == (4, 4, 3)


def _colors(axes):
    return [axis.title.get_color() for axis in axes]


STRING_CONTAINERS = [
    pytest.param(list, id="list"),
    pytest.param(np.array, id="array"),
    pytest.param(lambda names: pd.Series(names, dtype=object), id="pandas object column"),
]


@pytest.mark.parametrize("container", STRING_CONTAINERS)
def test_show_images_string_labels_with_class_names_and_probabilities(container):
    axes = show_images(
        np.zeros((3, 4, 4)),
        labels=container(["cat", "dog", "dog"]),
        predictions=[[0.9, 0.1], [0.3, 0.7], [0.8, 0.2]],
        class_names=["cat", "dog"],
    )
    assert _titles(axes) == [
        "true cat | pred cat (0.90)",
        "true dog | pred dog (0.70)",
        "true dog | pred cat (0.80)",
    ]
    assert _colors(axes) == ["black", "black", "tab:red"]


def test_show_images_string_labels_and_string_predictions():
    axes = show_images(np.zeros((2, 4, 4)), labels=["cat", "dog"], predictions=["cat", "cat"])
    assert _titles(axes) == ["true cat | pred cat", "true dog | pred cat"]
    assert _colors(axes) == ["black", "tab:red"]


@pytest.mark.parametrize("container", STRING_CONTAINERS)
def test_show_images_string_labels_and_index_predictions_need_class_names(container):
    with pytest.raises(ValueError, match=r"both be class names or both class indices"):
        show_images(np.zeros((2, 4, 4)), labels=container(["cat", "dog"]), predictions=[0, 1])


def test_show_images_string_labels_only():
    axes = show_images(np.zeros((2, 4, 4)), labels=["cat", "dog"], class_names=["dog", "cat"])
    assert _titles(axes) == ["true cat", "true dog"]


def test_show_images_sigmoid_predictions_are_thresholded():
    axes = show_images(
        np.zeros((3, 4, 4)),
        labels=[0, 1, 1],
        predictions=[0.2, 0.5, 0.3],
        class_names=["no", "yes"],
    )
    assert _titles(axes) == ["true no | pred no", "true yes | pred yes", "true yes | pred no"]
    assert _colors(axes) == ["black", "black", "tab:red"]


@pytest.mark.parametrize("ncols", [0, -2, 2.5, "3", True, None])
def test_show_images_bad_ncols(ncols):
    with pytest.raises(ValueError, match=rf"ncols .* positive integer. Received: ncols={ncols!r}$"):
        show_images(np.zeros((2, 4, 4)), ncols=ncols)


@pytest.mark.parametrize(("ncols", "shape"), [(1, (3, 1)), (np.int64(2), (2, 2)), (8, (1, 3))])
def test_show_images_good_ncols(ncols, shape):
    axes = show_images(np.zeros((3, 4, 4)), ncols=ncols)
    assert axes[0].get_subplotspec().get_gridspec().get_geometry() == shape


@pytest.mark.parametrize(
    ("images", "kwargs", "error", "match"),
    [
        (
            np.zeros((2, 4)),
            {},
            ValueError,
            r"images must have shape .* Received: ndarray of shape \(2, 4\)",
        ),
        (
            np.zeros((2, 4, 4, 2)),
            {},
            ValueError,
            r"\(n, height, width, 3\). Received: ndarray of shape \(2, 4, 4, 2\)",
        ),
        (np.zeros((0, 4, 4)), {}, ValueError, r"images is empty: expected at least one image"),
        (
            np.zeros((2, 4, 4)),
            {"labels": [1]},
            ValueError,
            r"labels must have one entry per image: expected 2. Received: 1",
        ),
        (
            np.zeros((2, 4, 4)),
            {"predictions": [1, 2, 3]},
            ValueError,
            r"predictions must have one entry per image: expected 2. Received: 3",
        ),
        ("images", {}, TypeError, r"images must be array-like"),
        (
            np.zeros((2, 4, 4)),
            {"labels": [0, 2], "class_names": ["a", "b"]},
            ValueError,
            r"labels must be class indices 0 to 1, one per name in class_names. Received: 2",
        ),
        (
            np.zeros((2, 4, 4)),
            {"predictions": np.eye(3)[[0, 2]], "class_names": ["a", "b"]},
            ValueError,
            r"predictions must be class indices 0 to 1.* Received: 2",
        ),
        (
            np.zeros((2, 4, 4)),
            {"labels": ["cat", "dog"], "predictions": [0, 1]},
            ValueError,
            r"both be class names or both class indices, or pass class_names",
        ),
    ],
)
def test_show_images_bad_input(images, kwargs, error, match):
    with pytest.raises(error, match=match):
        show_images(images, **kwargs)


# ----- plot_decision_boundary -----------------------------------------------------------------


class Threshold:
    """A model whose outputs are the probability that x1 > 0.5, shaped as Keras gives them."""

    def __init__(self, shape="column"):
        self.shape = shape

    def predict(self, points, verbose=0, batch_size=None):
        probability = 1 / (1 + np.exp(-4 * (points[:, 0] - 0.5)))
        if self.shape == "column":
            return probability[:, None]
        if self.shape == "flat":
            return probability
        return np.column_stack([1 - probability, probability, np.zeros_like(probability)])

    get_weights = compile = None  # looks like a Keras model


@pytest.mark.parametrize("shape", ["column", "flat", "softmax"])
def test_plot_decision_boundary_splits_the_plane_where_the_model_does(shape):
    from course_utils.plotting import plot_decision_boundary

    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.2, 0.8], [0.9, 0.1]])
    display = plot_decision_boundary(
        Threshold(shape), X, [0, 1, 0, 1], margin=0, grid_resolution=10
    )
    np.testing.assert_array_equal(display.response, (display.xx0 >= 0.5).astype(int))
    assert display.ax_.get_xlim() == (0.0, 1.0)
    assert len(display.ax_.collections) >= 2  # regions and points


def test_plot_decision_boundary_with_a_scikit_learn_classifier_and_limits():
    from sklearn.neighbors import KNeighborsClassifier

    from course_utils.plotting import plot_decision_boundary

    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([0, 1, 2, 2])
    model = KNeighborsClassifier(n_neighbors=1).fit(X, y)
    _, ax = plt.subplots()
    display = plot_decision_boundary(model, X, y, ax=ax, xlim=(-1, 2), ylim=(-1, 2), title="kNN")
    assert display.ax_ is ax and ax.get_title() == "kNN"
    assert sorted(np.unique(display.response).tolist()) == [0, 1, 2]
    assert display.xx0.min() == -1 and display.xx1.max() == 2
    assert display.response[0, 0] == 0 and display.response[-1, -1] == 2


@pytest.mark.parametrize(
    ("model", "X", "y", "kwargs", "error", "match"),
    [
        (object(), np.zeros((3, 2)), None, {}, TypeError, "predict method"),
        (Threshold(), np.zeros((3, 3)), None, {}, ValueError, r"\(samples, 2\).*\(3, 3\)"),
        (Threshold(), np.zeros((3, 2)), [0, 1], {}, ValueError, "expected 3, received 2"),
        (Threshold(), np.zeros((3, 2)), None, {"grid_resolution": 1}, ValueError, "at least 2"),
        (Threshold(), np.zeros((3, 2)), None, {"grid_resolution": 2.5}, TypeError, "an int"),
        (Threshold(), "points", None, {}, TypeError, "X must be array-like"),
    ],
)
def test_plot_decision_boundary_bad_input(model, X, y, kwargs, error, match):
    from course_utils.plotting import plot_decision_boundary

    with pytest.raises(error, match=match):
        plot_decision_boundary(model, X, y, **kwargs)
