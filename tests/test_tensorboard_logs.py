"""Tests of course_utils.tensorboard_logs.read_scalars."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tensorboard.summary import Writer

from course_utils.tensorboard_logs import read_scalars


def _write(folder: Path, series: dict[str, list[float]], *, text: bool = False) -> None:
    writer = Writer(str(folder))
    for tag, values in series.items():
        for step, value in enumerate(values):
            writer.add_scalar(tag, value, step=step)
    writer.close()
    if text:
        # A text summary, as Keras's callback writes for the model's configuration.
        import tensorflow as tf

        with tf.summary.create_file_writer(str(folder)).as_default():
            tf.summary.text("notes", "a text summary, not a scalar", step=0)


@pytest.fixture
def keras_like_logs(tmp_path: Path) -> Path:
    """Two runs as Keras's TensorBoard callback writes them, plus a text summary."""
    losses = np.linspace(1.0, 0.1, 25).tolist()
    _write(tmp_path / "train", {"epoch_loss": losses, "epoch_learning_rate": [0.01] * 25},
           text=True)
    _write(tmp_path / "validation", {"epoch_loss": [v + 0.1 for v in losses]})
    return tmp_path


def test_reads_every_run_and_tag_sorted(keras_like_logs):
    frame = read_scalars(keras_like_logs)
    assert frame.columns.tolist() == ["run", "tag", "step", "value"]
    counts = frame.groupby(["run", "tag"]).size().to_dict()
    assert counts == {
        ("train", "epoch_learning_rate"): 25,
        ("train", "epoch_loss"): 25,
        ("validation", "epoch_loss"): 25,
    }
    for _, group in frame.groupby(["run", "tag"]):
        assert group["step"].tolist() == list(range(25))


def test_keeps_all_points_and_values(keras_like_logs):
    # TensorBoard's reader samples 10 tensor events per tag unless told otherwise.
    frame = read_scalars(keras_like_logs)
    validation = frame[(frame.run == "validation") & (frame.tag == "epoch_loss")]
    np.testing.assert_allclose(validation["value"], np.linspace(1.0, 0.1, 25) + 0.1, rtol=1e-6)


def test_skips_non_scalar_summaries(keras_like_logs):
    assert "notes" not in set(read_scalars(keras_like_logs)["tag"])


def test_dtypes(keras_like_logs):
    frame = read_scalars(keras_like_logs)
    assert frame["step"].dtype == np.int64
    assert frame["value"].dtype == np.float64


@pytest.mark.parametrize("as_string", [True, False])
def test_events_directly_in_log_dir_form_run_dot(tmp_path, as_string):
    _write(tmp_path, {"loss": [3.0, 2.0]})
    frame = read_scalars(str(tmp_path) if as_string else tmp_path)
    assert frame.values.tolist() == [[".", "loss", 0, 3.0], [".", "loss", 1, 2.0]]


def test_nested_runs_are_named_by_relative_path(tmp_path):
    _write(tmp_path / "experiment_a" / "train", {"loss": [1.0]})
    frame = read_scalars(tmp_path)
    assert frame["run"].tolist() == ["experiment_a/train"]


def test_pivot_gives_one_column_per_run(keras_like_logs):
    frame = read_scalars(keras_like_logs)
    table = frame[frame.tag == "epoch_loss"].pivot(index="step", columns="run", values="value")
    assert isinstance(table, pd.DataFrame)
    assert table.columns.tolist() == ["train", "validation"]
    assert table.shape == (25, 2)


@pytest.mark.parametrize("bad", [None, 3, ["logs"]])
def test_rejects_non_paths(bad):
    with pytest.raises(TypeError, match=r"log_dir must be a folder path .* Received: log_dir="):
        read_scalars(bad)


def test_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"does not exist or is not a folder"):
        read_scalars(tmp_path / "nowhere")


def test_file_instead_of_folder(tmp_path):
    path = tmp_path / "file.txt"
    path.write_text("x")
    with pytest.raises(FileNotFoundError, match=r"Received: log_dir=.*file\.txt"):
        read_scalars(path)


def test_folder_without_event_files(tmp_path):
    (tmp_path / "train").mkdir()
    with pytest.raises(ValueError, match=r"Expected TensorBoard event files .* but found none"):
        read_scalars(tmp_path)
