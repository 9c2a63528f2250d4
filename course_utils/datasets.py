"""Loaders for the two data sets the course downloads: UCI heart (Cleveland) and MNIST.

Data that ships inside a package (iris, penguins, statsmodels series) is loaded with that
package's own loader in the lessons; only these two need a download.

Each loader looks, in order:

1. in the cache folder (``COURSE_DATA_HOME``, default ``~/.cache/course_utils``), using a
   cached file only if its checksum matches, and deleting it with a warning if not;
2. in the offline mirror folder named by ``COURSE_DATA_MIRROR``, if set (a corrupted
   mirror file is an error, never used);
3. at the original source URL, downloading to a temporary file that is checked before it
   is moved into the cache, so an interrupted download leaves nothing behind.

If none of these works, the error names the URL and the two environment variables.
Introduced in the lessons "Overfitting and regularization" (heart) and "Convolutional
networks" (MNIST).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.request
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

__all__ = ["data_home", "load_heart", "load_mnist", "HEART_COLUMNS", "DataError"]

HOME_VARIABLE = "COURSE_DATA_HOME"
MIRROR_VARIABLE = "COURSE_DATA_MIRROR"

HEART_COLUMNS = [
    "age", "sex", "cp", "trestbps", "chol", "fbs", "restecg",
    "thalach", "exang", "oldpeak", "slope", "ca", "thal", "num",
]


class DataError(RuntimeError):
    """A data set could be neither found nor downloaded, or failed its checksum."""


@dataclass(frozen=True)
class _Source:
    filename: str
    url: str
    verify: Callable[[Path], str | None]  # None when the file is good, else the reason


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_checksum(expected: str) -> Callable[[Path], str | None]:
    def verify(path: Path) -> str | None:
        actual = _sha256(path)
        if actual != expected:
            return f"sha256 {actual} does not match the expected {expected}"
        return None

    return verify


def _array_checksums(expected: dict[str, str]) -> Callable[[Path], str | None]:
    """Check each array of an .npz file by the sha256 of its bytes.

    Array checksums (rather than a file checksum) accept any faithful copy of the data,
    whatever compression its .npz file uses.
    """

    def verify(path: Path) -> str | None:
        try:
            with np.load(path, allow_pickle=False) as archive:
                for key, checksum in expected.items():
                    if key not in archive.files:
                        return f"array {key!r} is missing (found {sorted(archive.files)})"
                    actual = hashlib.sha256(archive[key].tobytes()).hexdigest()
                    if actual != checksum:
                        return f"array {key!r} has sha256 {actual}, expected {checksum}"
        except Exception as error:  # a truncated or non-npz file
            return f"it cannot be read as an .npz archive ({error})"
        return None

    return verify


HEART = _Source(
    filename="processed.cleveland.data",
    url=(
        "https://archive.ics.uci.edu/ml/machine-learning-databases/heart-disease/"
        "processed.cleveland.data"
    ),
    verify=_file_checksum(
        "a74b7efa387bc9d108d7d0115d831fe9b414b29ae7124f331b622b4efa0427c8"
    ),
)

MNIST = _Source(
    filename="mnist.npz",
    url="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
    verify=_array_checksums(
        {
            "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
            "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
            "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
            "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
        }
    ),
)


def data_home() -> Path:
    """Return the cache folder: ``$COURSE_DATA_HOME`` or ``~/.cache/course_utils``.

    Example:
        >>> isinstance(data_home(), Path)
        True
    """
    configured = os.environ.get(HOME_VARIABLE, "").strip()
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "course_utils"


def _download(url: str, destination: Path, timeout: float) -> None:
    """Download ``url`` to ``destination`` through a temporary file in the same folder."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=".part", dir=destination.parent
    )
    try:
        with os.fdopen(handle, "wb") as output:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                shutil.copyfileobj(response, output)
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _fetch(source: _Source, *, download: bool = True, timeout: float = 30.0) -> Path:
    """Return the path of a verified copy of ``source``: cache, then mirror, then URL."""
    cached = data_home() / source.filename
    if cached.exists():
        problem = source.verify(cached)
        if problem is None:
            return cached
        warnings.warn(
            f"Deleted the cached {cached} because {problem}; fetching a fresh copy.",
            stacklevel=3,
        )
        cached.unlink()

    mirror = os.environ.get(MIRROR_VARIABLE, "").strip()
    mirror_note = f"{MIRROR_VARIABLE} is not set"
    if mirror:
        mirrored = Path(mirror).expanduser() / source.filename
        if mirrored.exists():
            problem = source.verify(mirrored)
            if problem is None:
                return mirrored
            raise DataError(
                f"The offline mirror's copy {mirrored} is corrupted: {problem}. "
                f"Replace it with the file from {source.url}, or unset {MIRROR_VARIABLE}."
            )
        mirror_note = f"{MIRROR_VARIABLE}={mirror} has no file {source.filename}"

    if not download:
        raise DataError(
            f"{source.filename} is not cached in {cached.parent} and {mirror_note}; "
            f"downloading from {source.url} was switched off (download=False)."
        )
    partial = cached.with_name(cached.name + ".download")
    try:
        _download(source.url, partial, timeout)
    except Exception as error:
        raise DataError(
            f"Could not download {source.filename} from {source.url} ({error}). "
            f"It is not cached in {cached.parent} ({HOME_VARIABLE}) and {mirror_note}. "
            f"Without internet access, put a copy of the file in a folder and set "
            f"{MIRROR_VARIABLE} to that folder."
        ) from error
    problem = source.verify(partial)
    if problem is not None:
        partial.unlink(missing_ok=True)
        raise DataError(
            f"The file downloaded from {source.url} failed its check: {problem}. "
            "Nothing was kept; try again later or use a mirror."
        )
    os.replace(partial, cached)
    return cached


def load_heart(*, download: bool = True) -> pd.DataFrame:
    """Load the UCI Heart Disease data, Cleveland subset (303 patients).

    Columns are named as in the data set's documentation (``age``, ``sex``, ``cp``, ...,
    ``thal``, ``num``) plus ``target``: 1 where ``num`` is 1 to 4 (heart disease
    present), 0 where it is 0. The six ``?`` entries (four in ``ca``, two in ``thal``)
    become NaN; every column is numeric.

    Args:
        download: whether to download when neither the cache nor a mirror has the file.

    Returns:
        A DataFrame of 303 rows and 15 columns.

    Raises:
        DataError: if the file is not cached, not in the mirror and cannot be downloaded,
            or if the mirror's copy fails its checksum.

    Example:
        >>> heart = load_heart()  # doctest: +SKIP
        >>> heart.shape, int(heart["target"].sum())  # doctest: +SKIP
        ((303, 15), 139)
    """
    path = _fetch(HEART, download=download)
    frame = pd.read_csv(path, header=None, names=HEART_COLUMNS, na_values="?")
    frame = frame.astype(float)
    for column in ("age", "sex", "cp", "fbs", "restecg", "exang", "slope", "num"):
        frame[column] = frame[column].astype(int)
    frame["target"] = (frame["num"] > 0).astype(int)
    return frame


def load_mnist(
    *, download: bool = True
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load MNIST as ``keras.datasets.mnist.load_data()`` returns it.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes (60000, 28, 28),
        (60000,), (10000, 28, 28) and (10000,), in the original order.

    Raises:
        DataError: as for :func:`load_heart`.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_mnist()  # doctest: +SKIP
        >>> x_train.shape, x_test.dtype  # doctest: +SKIP
        ((60000, 28, 28), dtype('uint8'))
    """
    path = _fetch(MNIST, download=download)
    with np.load(path, allow_pickle=False) as archive:
        return (archive["x_train"], archive["y_train"]), (archive["x_test"], archive["y_test"])
