from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.axes import Axes
from sklearn.metrics import ConfusionMatrixDisplay

from course_utils.plotting import plot_confusion_matrix, plot_history, show_images

HISTORY = {
    "loss": [1.0, 0.6, 0.4],
    "accuracy": [0.5, 0.7, 0.8],
    "val_loss": [1.1, 0.8, 0.7],
    "val_accuracy": [0.4, 0.6, 0.7],
    "learning_rate": [0.01, 0.01, 0.005],
}


class FakeHistory:
    def __init__(self, history):
        self.history = history


@pytest.mark.parametrize("history", [HISTORY, FakeHistory(HISTORY)])
def test_plot_history_draws_each_training_metric_with_validation(history):
    axes = plot_history(history)
    assert [axis.get_title() for axis in axes] == ["loss", "accuracy"]
    for axis, name in zip(axes, ["loss", "accuracy"]):
        lines = axis.get_lines()
        assert [line.get_label() for line in lines] == ["training", "validation"]
        np.testing.assert_allclose(lines[0].get_ydata(), HISTORY[name])
        np.testing.assert_allclose(lines[1].get_ydata(), HISTORY[f"val_{name}"])
        np.testing.assert_array_equal(lines[0].get_xdata(), [1, 2, 3])


def test_plot_history_single_metric_into_given_axes():
    fig, ax = plt.subplots()
    axes = plot_history(HISTORY, "loss", ax=ax)
    assert axes == [ax]
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"


def test_plot_history_validation_false_draws_training_only():
    axes = plot_history(HISTORY, ["loss"], validation=False)
    assert [line.get_label() for line in axes[0].get_lines()] == ["training"]


def test_plot_history_learning_rate_on_request():
    axes = plot_history(HISTORY, "learning_rate")
    np.testing.assert_allclose(axes[0].get_lines()[0].get_ydata(), [0.01, 0.01, 0.005])


def test_plot_history_without_validation_data_when_required():
    with pytest.raises(ValueError, match=r"validation curves were requested.*val_loss"):
        plot_history({"loss": [1.0, 0.5]}, "loss", validation=True)


def test_plot_history_without_validation_data_by_default_draws_training():
    axes = plot_history({"loss": [1.0, 0.5]})
    assert len(axes[0].get_lines()) == 1


@pytest.mark.parametrize(
    "history, metrics, error, match",
    [
        ([1, 2, 3], None, TypeError, r"History .* Received: list"),
        (None, None, TypeError, r"Received: NoneType"),
        ({}, None, ValueError, r"history is empty"),
        (HISTORY, "mae", ValueError, r"'mae' is not in the history. Available"),
        (HISTORY, [], TypeError, r"non-empty list"),
        (HISTORY, [3], TypeError, r"metrics must be"),
        ({"val_loss": [1.0]}, None, ValueError, r"no training metric"),
    ],
)
def test_plot_history_bad_input(history, metrics, error, match):
    with pytest.raises(error, match=match):
        plot_history(history, metrics)


def test_plot_history_wrong_number_of_axes():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"expected 2 matplotlib Axes"):
        plot_history(HISTORY, ["loss", "accuracy"], ax=ax)


def test_confusion_matrix_from_labels():
    display = plot_confusion_matrix([0, 1, 2, 2], [0, 2, 2, 2], display_labels=["a", "b", "c"])
    assert isinstance(display, ConfusionMatrixDisplay)
    np.testing.assert_array_equal(display.confusion_matrix, [[1, 0, 0], [0, 0, 1], [0, 0, 2]])
    assert [t.get_text() for t in display.ax_.get_xticklabels()] == ["a", "b", "c"]


def test_confusion_matrix_from_probabilities_and_one_hot():
    y_true = np.eye(3)[[0, 1, 2, 1]]
    probabilities = np.array([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.3, 0.3, 0.4], [0.6, 0.3, 0.1]])
    display = plot_confusion_matrix(y_true, probabilities)
    np.testing.assert_array_equal(display.confusion_matrix, [[1, 0, 0], [1, 1, 0], [0, 0, 1]])


def test_confusion_matrix_from_sigmoid_column_and_into_axes():
    fig, ax = plt.subplots()
    display = plot_confusion_matrix([0, 1, 1, 0], np.array([[0.2], [0.9], [0.4], [0.6]]), ax=ax)
    assert display.ax_ is ax
    np.testing.assert_array_equal(display.confusion_matrix, [[1, 1], [1, 1]])


def test_confusion_matrix_normalized():
    display = plot_confusion_matrix([0, 0, 1, 1], [0, 1, 1, 1], normalize="true")
    np.testing.assert_allclose(display.confusion_matrix, [[0.5, 0.5], [0.0, 1.0]])


@pytest.mark.parametrize(
    "y_true, y_pred, error, match",
    [
        ([0, 1], [0, 1, 1], ValueError, r"same samples. Received 2 true labels and 3"),
        ("abc", [0, 1, 1], TypeError, r"y_true must be array-like"),
        ([0, 1], np.zeros((2, 2, 2)), ValueError, r"1-D labels or 2-D .* shape \(2, 2, 2\)"),
        ([], [], ValueError, r"empty"),
    ],
)
def test_confusion_matrix_bad_input(y_true, y_pred, error, match):
    with pytest.raises(error, match=match):
        plot_confusion_matrix(y_true, y_pred)


def test_confusion_matrix_bad_normalize():
    with pytest.raises(ValueError, match=r"normalize must be .* Received: normalize='rows'"):
        plot_confusion_matrix([0, 1], [0, 1], normalize="rows")


def test_show_images_titles_and_wrong_predictions_in_red():
    images = np.random.default_rng(0).random((5, 8, 8, 1))
    probabilities = np.array([[0.9, 0.1], [0.3, 0.7], [0.6, 0.4], [0.2, 0.8], [0.5, 0.5]])
    axes = show_images(images, labels=[0, 1, 1, 1, 0], predictions=probabilities,
                       class_names=["cat", "dog"], ncols=3)
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


@pytest.mark.parametrize(
    "images, kwargs, error, match",
    [
        (np.zeros((2, 4)), {}, ValueError, r"images must have shape .* Received: ndarray of shape \(2, 4\)"),
        (np.zeros((2, 4, 4, 2)), {}, ValueError, r"\(n, height, width, 3\)"),
        (np.zeros((0, 4, 4)), {}, ValueError, r"images is empty"),
        (np.zeros((2, 4, 4)), {"labels": [1]}, ValueError, r"labels must have one entry per image: expected 2. Received: 1"),
        (np.zeros((2, 4, 4)), {"predictions": [1, 2, 3]}, ValueError, r"predictions must have one entry per image"),
        (np.zeros((2, 4, 4)), {"ncols": 0}, TypeError, r"ncols must be a positive integer"),
        ("images", {}, TypeError, r"images must be array-like"),
    ],
)
def test_show_images_bad_input(images, kwargs, error, match):
    with pytest.raises(error, match=match):
        show_images(images, **kwargs)


@settings(max_examples=40, deadline=None)
@given(
    n_true=st.integers(min_value=1, max_value=6),
    n_pred=st.integers(min_value=1, max_value=6),
    classes=st.integers(min_value=2, max_value=4),
)
def test_confusion_matrix_counts_every_sample_or_says_why(n_true, n_pred, classes):
    rng = np.random.default_rng(n_true * 10 + n_pred)
    y_true = rng.integers(0, classes, n_true)
    y_pred = rng.random((n_pred, classes))
    if n_true != n_pred:
        with pytest.raises(ValueError, match="same samples"):
            plot_confusion_matrix(y_true, y_pred)
    else:
        display = plot_confusion_matrix(y_true, y_pred, labels=list(range(classes)))
        assert display.confusion_matrix.sum() == n_true
    plt.close("all")


def test_returns_axes_objects():
    axes = plot_history(HISTORY, "loss")
    assert all(isinstance(axis, Axes) for axis in axes)
