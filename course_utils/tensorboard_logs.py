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

from course_utils.i18n import _

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

    Each (run, tag, step) appears once. When a ``fit`` cell is run again with the same
    ``log_dir``, the callback adds a second event file next to the first, with the same
    steps (epochs 0, 1, ...) again; then the newest value wins: for each run, tag and step
    the event with the latest wall time is kept (of equal wall times, the one read last).
    Steps that only an earlier run reached (say epochs 20 to 29 of a first fit of 30
    epochs, followed by a fit of 20) keep the earlier run's values; delete the folder, or
    give each run its own, to start afresh.

    Args:
        log_dir: the folder given to the ``TensorBoard`` callback (or to a
            ``tf.summary`` writer).

    Returns:
        A DataFrame with columns ``run`` (the sub-folder's path relative to ``log_dir``,
        ``"."`` for ``log_dir`` itself), ``tag``, ``step`` (int) and ``value`` (float),
        sorted by run, tag and step, one row per (run, tag, step). With ``pivot`` you get
        one column per run, for example
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
        >>> frame.values.tolist()  # doctest: +NORMALIZE_WHITESPACE
        [['train', 'epoch_loss', 0, 0.75], ['train', 'epoch_loss', 1, 0.5],
         ['train', 'epoch_loss', 2, 0.25]]
        >>> writer = Writer(f"{log_dir}/train")  # the same steps again, as a second fit writes
        >>> for epoch, loss in enumerate([0.7, 0.4]):
        ...     writer.add_scalar("epoch_loss", loss, step=epoch)
        >>> writer.close()
        >>> read_scalars(log_dir)["value"].round(2).tolist()  # newest values of steps 0 and 1
        [0.7, 0.4, 0.25]
    """
    if not isinstance(log_dir, (str, os.PathLike)):
        raise TypeError(
            _(
                "log_dir must be a folder path (str or pathlib.Path). "
                "Received: log_dir={log_dir} of type {type}"
            ).format(log_dir=repr(log_dir), type=type(log_dir).__name__)
        )
    folder = Path(log_dir)
    if not folder.is_dir():
        raise FileNotFoundError(
            _(
                "log_dir must be an existing folder of TensorBoard logs. "
                "Received: log_dir={log_dir}, which does not exist or is not a folder"
            ).format(log_dir=repr(str(folder)))
        )
    runs = _runs(folder)
    if not runs:
        raise ValueError(
            _(
                "Expected TensorBoard event files (events.out.tfevents.*) under {folder}, "
                "but found none. Was the TensorBoard callback given this log_dir, and has "
                "fit() run?"
            ).format(folder=repr(str(folder)))
        )

    from tensorboard.backend.event_processing import event_accumulator
    from tensorboard.util import tensor_util

    keep_everything = {event_accumulator.TENSORS: 0, event_accumulator.SCALARS: 0}
    rows: list[tuple[str, str, int, float, float]] = []
    for run in runs:
        name = run.relative_to(folder).as_posix()
        # Keep every event, also those TensorBoard would discard as "orphaned" after a
        # restart: which value of a repeated step wins is decided by wall time below.
        accumulator = event_accumulator.EventAccumulator(
            str(run), size_guidance=keep_everything, purge_orphaned_data=False
        )
        accumulator.Reload()
        tags = accumulator.Tags()
        for tag in tags.get(event_accumulator.SCALARS, []):
            rows.extend(
                (name, tag, int(e.step), float(e.value), float(e.wall_time))
                for e in accumulator.Scalars(tag)
            )
        for tag in tags.get(event_accumulator.TENSORS, []):
            if accumulator.SummaryMetadata(tag).plugin_data.plugin_name != "scalars":
                continue
            for event in accumulator.Tensors(tag):
                value = tensor_util.make_ndarray(event.tensor_proto)
                if value.size == 1:
                    rows.append(
                        (
                            name,
                            tag,
                            int(event.step),
                            float(value.reshape(())),
                            float(event.wall_time),
                        )
                    )
    frame = pd.DataFrame(rows, columns=[*_COLUMNS, "wall_time"])
    frame = frame.astype({"run": str, "tag": str, "step": "int64", "value": "float64"})
    # One value per (run, tag, step): the newest event wins (a fit run twice into one folder).
    newest = frame.sort_values("wall_time", kind="stable").drop_duplicates(
        ["run", "tag", "step"], keep="last"
    )
    newest = newest.sort_values(["run", "tag", "step"], kind="stable")
    return newest[_COLUMNS].reset_index(drop=True)
