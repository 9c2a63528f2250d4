"""Read the scalars that Keras's ``TensorBoard`` callback writes, for plots without TensorBoard.

TensorBoard itself is an interactive web page: it works in Colab and locally, but not on a
static website. :func:`read_scalars` reads the same event files into a pandas DataFrame, so
that a lesson can draw TensorBoard's curves with matplotlib.

Introduced in the lesson "Callbacks, checkpoints and learning-rate schedules".
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

__all__ = ["read_scalars"]

_COLUMNS = ["run", "tag", "step", "value"]


def _runs(log_dir: Path) -> list[Path]:
    """Folders under ``log_dir`` (itself included) that hold event files, sorted."""
    folders = {path.parent for path in log_dir.rglob("events.out.tfevents.*") if path.is_file()}
    return sorted(folders)


def read_scalars(log_dir: str | os.PathLike[str]) -> pd.DataFrame:
    """Return every scalar series logged under ``log_dir`` as a long DataFrame.

    Keras's ``keras.callbacks.TensorBoard(log_dir)`` writes one *run* per sub-folder
    (``train`` and ``validation``), each with tags such as ``epoch_loss``,
    ``epoch_accuracy`` and ``epoch_learning_rate``. Scalars are stored as tensor summaries,
    which this function decodes; non-scalar summaries (the model's configuration,
    histograms, images) are skipped. All points are kept (TensorBoard's reader keeps only
    a sample of them by default).

    Args:
        log_dir: the folder given to the ``TensorBoard`` callback (or to a
            ``tf.summary`` writer).

    Returns:
        A DataFrame with columns ``run`` (the sub-folder's path relative to ``log_dir``,
        ``"."`` for ``log_dir`` itself), ``tag``, ``step`` (int) and ``value`` (float),
        sorted by run, tag and step. With ``pivot`` you get one column per run, for example
        ``frame[frame.tag == "epoch_loss"].pivot(index="step", columns="run",
        values="value")``.

    Raises:
        TypeError: if ``log_dir`` is not a string or path.
        FileNotFoundError: if ``log_dir`` does not exist or is not a folder.
        ValueError: if no event files are found under ``log_dir``.

    Example:
        >>> import tempfile
        >>> from tensorboard.summary import Writer
        >>> log_dir = tempfile.mkdtemp()
        >>> writer = Writer(f"{log_dir}/train")
        >>> for epoch, loss in enumerate([0.75, 0.5, 0.25]):
        ...     writer.add_scalar("epoch_loss", loss, step=epoch)
        >>> writer.close()
        >>> frame = read_scalars(log_dir)
        >>> frame.columns.tolist()
        ['run', 'tag', 'step', 'value']
        >>> frame.values.tolist()
        [['train', 'epoch_loss', 0, 0.75], ['train', 'epoch_loss', 1, 0.5], ['train', 'epoch_loss', 2, 0.25]]
    """
    if not isinstance(log_dir, (str, os.PathLike)):
        raise TypeError(
            "log_dir must be a folder path (str or pathlib.Path). "
            f"Received: log_dir={log_dir!r} of type {type(log_dir).__name__}"
        )
    folder = Path(log_dir)
    if not folder.is_dir():
        raise FileNotFoundError(
            f"log_dir must be an existing folder of TensorBoard logs. Received: log_dir={str(folder)!r}, "
            "which does not exist or is not a folder"
        )
    runs = _runs(folder)
    if not runs:
        raise ValueError(
            f"Expected TensorBoard event files (events.out.tfevents.*) under {str(folder)!r}, "
            "but found none. Was the TensorBoard callback given this log_dir, and has fit() run?"
        )

    from tensorboard.backend.event_processing import event_accumulator
    from tensorboard.util import tensor_util

    keep_everything = {event_accumulator.TENSORS: 0, event_accumulator.SCALARS: 0}
    rows: list[tuple[str, str, int, float]] = []
    for run in runs:
        name = run.relative_to(folder).as_posix()
        accumulator = event_accumulator.EventAccumulator(str(run), size_guidance=keep_everything)
        accumulator.Reload()
        tags = accumulator.Tags()
        for tag in tags.get(event_accumulator.SCALARS, []):
            rows.extend((name, tag, int(e.step), float(e.value)) for e in accumulator.Scalars(tag))
        for tag in tags.get(event_accumulator.TENSORS, []):
            if accumulator.SummaryMetadata(tag).plugin_data.plugin_name != "scalars":
                continue
            for event in accumulator.Tensors(tag):
                value = tensor_util.make_ndarray(event.tensor_proto)
                if value.size == 1:
                    rows.append((name, tag, int(event.step), float(value.reshape(()))))
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    frame = frame.astype({"run": str, "tag": str, "step": "int64", "value": "float64"})
    return frame.sort_values(["run", "tag", "step"], kind="stable").reset_index(drop=True)
