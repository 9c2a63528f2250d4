"""Tests of course_utils.tensorboard_logs.read_scalars."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from tensorboard.backend.event_processing import event_accumulator
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


def _write_tf(folder: Path, series: dict[str, list[float]]) -> None:
    """Scalars written with tf.summary, as Keras's TensorBoard callback writes them."""
    import tensorflow as tf

    writer = tf.summary.create_file_writer(str(folder))
    with writer.as_default():
        for tag, values in series.items():
            for step, value in enumerate(values):
                tf.summary.scalar(tag, value, step=step)
    writer.close()


LOSSES = np.linspace(1.0, 0.1, 25).tolist()


@pytest.fixture
def keras_like_logs(tmp_path: Path) -> Path:
    """Two runs as Keras's TensorBoard callback writes them, plus a text summary."""
    _write(
        tmp_path / "train", {"epoch_loss": LOSSES, "epoch_learning_rate": [0.01] * 25}, text=True
    )
    _write(tmp_path / "validation", {"epoch_loss": [v + 0.1 for v in LOSSES]})
    return tmp_path


def test_reads_every_run_and_tag_sorted(keras_like_logs):
    frame = read_scalars(keras_like_logs)
    assert frame.columns.tolist() == ["run", "tag", "step", "value"]
    # Row order: by run, then tag, then step.
    blocks = frame[["run", "tag"]].drop_duplicates().values.tolist()
    assert blocks == [
        ["train", "epoch_learning_rate"],
        ["train", "epoch_loss"],
        ["validation", "epoch_loss"],
    ]
    assert frame["step"].tolist() == list(range(25)) * 3
    assert frame.index.tolist() == list(range(75))


def test_keeps_all_points_and_values(keras_like_logs):
    # TensorBoard's reader samples 10 tensor events per tag unless told otherwise.
    frame = read_scalars(keras_like_logs)
    validation = frame[(frame.run == "validation") & (frame.tag == "epoch_loss")]
    np.testing.assert_allclose(validation["value"], np.linspace(1.0, 0.1, 25) + 0.1, rtol=1e-6)
    rate = frame[(frame.run == "train") & (frame.tag == "epoch_learning_rate")]
    np.testing.assert_allclose(rate["value"], 0.01, rtol=1e-6)


def test_skips_non_scalar_summaries(keras_like_logs):
    # The fixture did write a text summary ...
    accumulator = event_accumulator.EventAccumulator(str(keras_like_logs / "train"))
    accumulator.Reload()
    assert "notes" in accumulator.Tags()[event_accumulator.TENSORS]
    # ... and only the scalars come back.
    frame = read_scalars(keras_like_logs)
    assert sorted(set(frame["tag"])) == ["epoch_learning_rate", "epoch_loss"]


@pytest.mark.parametrize("scalars", [True, False], ids=["scalars", "text summary only"])
def test_dtypes(tmp_path, scalars):
    _write(tmp_path / "train", {"epoch_loss": [0.5, 0.25]} if scalars else {}, text=True)
    frame = read_scalars(tmp_path)
    assert len(frame) == (2 if scalars else 0)
    assert frame.columns.tolist() == ["run", "tag", "step", "value"]
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
    assert table.columns.tolist() == ["train", "validation"]
    assert table.index.tolist() == list(range(25))
    np.testing.assert_allclose(table["train"], LOSSES, rtol=1e-6)
    np.testing.assert_allclose(table["validation"], np.add(LOSSES, 0.1), rtol=1e-6)


def test_reads_legacy_simple_value_scalars(tmp_path):
    """TensorFlow 1 style scalars (Summary.Value.simple_value), newest value per step."""
    from tensorboard.compat.proto import event_pb2, summary_pb2
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    writer = EventFileWriter(str(tmp_path / "train"))
    for step, value, wall_time in [(0, 1.0, 10.0), (1, 0.5, 11.0), (0, 0.75, 12.0)]:
        summary = summary_pb2.Summary(
            value=[summary_pb2.Summary.Value(tag="loss", simple_value=value)]
        )
        writer.add_event(event_pb2.Event(step=step, wall_time=wall_time, summary=summary))
    writer.close()
    frame = read_scalars(tmp_path)
    assert frame.values.tolist() == [["train", "loss", 0, 0.75], ["train", "loss", 1, 0.5]]


# --- a log folder written twice (a fit cell run again) ---------------------------------------


@pytest.mark.parametrize("write", [_write, _write_tf], ids=["tensorboard Writer", "tf.summary"])
def test_written_twice_keeps_one_value_per_step_the_newest(tmp_path, write):
    write(tmp_path / "train", {"epoch_loss": [0.9, 0.8, 0.7]})
    write(tmp_path / "train", {"epoch_loss": [0.5, 0.4]})  # the second run stopped earlier
    assert len(list((tmp_path / "train").glob("events.out.tfevents.*"))) == 2
    frame = read_scalars(tmp_path)
    assert frame["step"].tolist() == [0, 1, 2]
    # Steps 0 and 1 from the second run; step 2 only the first run reached.
    np.testing.assert_allclose(frame["value"], [0.5, 0.4, 0.7], rtol=1e-6)
    table = frame.pivot(index="step", columns="run", values="value")  # no duplicate steps
    assert table.shape == (3, 1)


def test_newest_wall_time_wins_not_the_file_read_last(tmp_path):
    late = time.time() + 3600
    first = Writer(str(tmp_path))  # read first: its file name sorts first
    first.add_scalar("loss", 1.0, step=0, wall_time=late)
    first.add_scalar("loss", 1.5, step=1, wall_time=late - 7200)
    first.close()
    second = Writer(str(tmp_path))
    second.add_scalar("loss", 2.0, step=0, wall_time=late - 3600)
    second.add_scalar("loss", 2.5, step=1, wall_time=late - 3600)
    second.close()
    files = sorted(tmp_path.glob("events.out.tfevents.*"))
    assert len(files) == 2
    frame = read_scalars(tmp_path)
    assert frame.values.tolist() == [[".", "loss", 0, 1.0], [".", "loss", 1, 2.5]]


def test_repeated_step_in_one_file_newest_wins(tmp_path):
    writer = Writer(str(tmp_path / "train"))
    writer.add_scalar("loss", 1.0, step=0, wall_time=200.0)
    writer.add_scalar("loss", 2.0, step=0, wall_time=100.0)  # older, though written later
    writer.add_scalar("loss", 3.0, step=1, wall_time=100.0)
    writer.add_scalar("loss", 4.0, step=1, wall_time=300.0)
    writer.add_scalar("accuracy", 0.5, step=0, wall_time=400.0)  # other tags: no effect
    writer.close()
    frame = read_scalars(tmp_path)
    assert frame.values.tolist() == [
        ["train", "accuracy", 0, 0.5],
        ["train", "loss", 0, 1.0],
        ["train", "loss", 1, 4.0],
    ]


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
def test_keras_fit_run_twice_into_one_log_dir(tmp_path):
    import keras

    keras.utils.set_random_seed(0)
    x = np.random.default_rng(0).random((16, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    histories = []
    for epochs in (3, 2):  # the same fit cell run twice, the second time shorter
        callback = keras.callbacks.TensorBoard(str(tmp_path), write_graph=False)
        histories.append(
            model.fit(
                x, y, validation_data=(x, y), epochs=epochs, verbose=0, callbacks=[callback]
            ).history
        )
    first, second = histories
    assert len(list((tmp_path / "train").glob("events.out.tfevents.*"))) == 2
    frame = read_scalars(tmp_path)
    losses = frame[frame.tag == "epoch_loss"]
    table = losses.pivot(index="step", columns="run", values="value")
    assert table.index.tolist() == [0, 1, 2]
    np.testing.assert_allclose(table["train"], second["loss"] + first["loss"][2:], rtol=1e-6)
    np.testing.assert_allclose(
        table["validation"], second["val_loss"] + first["val_loss"][2:], rtol=1e-6
    )


# --- bad input ------------------------------------------------------------------------------


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
