"""Loaders for the two data sets the course downloads: UCI heart (Cleveland) and MNIST.

Data that ships inside a package (iris, penguins, statsmodels series) is loaded with that
package's own loader in the lessons; only these two need a download.

Each loader looks, in order:

1. in the cache folder (see :func:`data_home`), using a cached file only if it passed its
   check, and deleting it with a warning if it fails;
2. in the offline mirror folder named by ``COURSE_DATA_MIRROR``, if set (a corrupted
   mirror file is an error, never used; the mirror is only read, never written to);
3. at the original source URL, with :func:`pooch.retrieve`: the download goes to a
   temporary file of its own (a unique name in the cache folder, so two kernels
   downloading at once never share one), is checked against the file's known SHA-256 and
   only then renamed into place, so an interrupted or failed download leaves nothing
   behind. A progress bar is shown when ``tqdm`` is installed, nothing otherwise.

If none of these works, the error names the URL and the two environment variables. The
errors and warnings follow the student's language (:mod:`course_utils.i18n`); URLs, paths,
environment variables and the download library's own messages stay as they are.

**Checks.** The heart file is checked by its SHA-256. An MNIST copy in the cache or the
mirror is checked array by array (dtype, shape and the SHA-256 of each array's bytes), so
that a re-compressed copy with different file bytes but the same arrays is accepted; a
download is checked by the SHA-256 of the file the URL serves.

**Checked once.** When a file enters the cache (a download, or a file found there without
a record and checked in full), a small record ``<file name>.verified.json`` is written
beside it: the file's size, modification time (ns), inode and the checksums it passed.
Later calls trust the file while its size, modification time and inode match the record,
so a warm cache costs a ``stat`` and reading the record instead of hashing 55 MB of MNIST
arrays; once any of them changes, the file is checked in full again. (A rewrite that keeps the size and lands
within the file system's timestamp resolution is not noticed.) A mirror file is checked in
full once per Python process, and again if its size, modification time or inode change.

Introduced in the lessons "Overfitting and regularization" (heart) and "Convolutional
networks" (MNIST).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pooch

from course_utils.i18n import _

__all__ = [
    "HEART_BINARY",
    "HEART_COLUMNS",
    "HEART_NOMINAL",
    "HEART_NUMERIC",
    "DataError",
    "HeartSplit",
    "data_home",
    "heart_preprocessor",
    "load_heart",
    "load_heart_split",
    "load_mnist",
]

HOME_VARIABLE = "COURSE_DATA_HOME"
MIRROR_VARIABLE = "COURSE_DATA_MIRROR"
RECORD_SUFFIX = ".verified.json"
TIMEOUT_S = 30.0

HEART_COLUMNS = [
    "age",
    "sex",
    "cp",
    "trestbps",
    "chol",
    "fbs",
    "restecg",
    "thalach",
    "exang",
    "oldpeak",
    "slope",
    "ca",
    "thal",
    "num",
]

#: The heart features that are quantities (``ca`` counts vessels, 0 to 3).
HEART_NUMERIC = ["age", "trestbps", "chol", "thalach", "oldpeak", "ca"]
#: The heart features that are already 0/1.
HEART_BINARY = ["sex", "fbs", "exang"]
#: The heart features that are category codes, to be one-hot encoded.
HEART_NOMINAL = ["cp", "restecg", "slope", "thal"]


class DataError(RuntimeError):
    """A data set could be neither found nor downloaded, or failed its checksum."""


@dataclass(frozen=True)
class _Array:
    """What one array of an ``.npz`` file must be."""

    sha256: str  # of ``array.tobytes()``
    dtype: str
    shape: tuple[int, ...]


@dataclass(frozen=True)
class _Source:
    """A downloadable file and how to check it.

    ``sha256`` is the checksum of the file the URL serves: pooch checks every download
    against it, and a local copy of a plain file is checked by it too. ``arrays``, for an
    ``.npz`` file, checks local copies (cache and mirror) array by array instead.

    Example:
        >>> _Source("a.csv", "https://example.org/a.csv", "0" * 64).local_check()
        {'sha256': '0000000000000000000000000000000000000000000000000000000000000000'}
    """

    filename: str
    url: str
    sha256: str
    arrays: Mapping[str, _Array] | None = None

    def download_check(self) -> dict[str, Any]:
        """The check a download passes, as written in the cache record."""
        return {"sha256": self.sha256}

    def local_check(self) -> dict[str, Any]:
        """The check a copy found in the cache or the mirror must pass, as in a record."""
        if self.arrays is None:
            return self.download_check()
        return {
            "arrays": {
                key: {"sha256": spec.sha256, "dtype": spec.dtype, "shape": list(spec.shape)}
                for key, spec in self.arrays.items()
            }
        }


def _check_file(path: Path, expected: str) -> str | None:
    """None when the file's SHA-256 is ``expected``, else the reason it is not."""
    actual = pooch.file_hash(str(path), alg="sha256")
    if actual != expected:
        return _("sha256 {actual} does not match the expected {expected}").format(
            actual=actual, expected=expected
        )
    return None


def _check_arrays(path: Path, expected: Mapping[str, _Array]) -> str | None:
    """None when each array of the ``.npz`` file has the expected dtype, shape and bytes.

    Array checksums (rather than a file checksum) accept any faithful copy of the data,
    whatever compression its ``.npz`` file uses. The dtype and shape are checked as well,
    since the same bytes read as another dtype or shape are other data.
    """
    try:
        with np.load(path, allow_pickle=False) as archive:
            for key, spec in expected.items():
                if key not in archive.files:
                    return _("array {key} is missing (found {found})").format(
                        key=repr(key), found=sorted(archive.files)
                    )
                array = archive[key]
                if array.dtype != np.dtype(spec.dtype) or array.shape != tuple(spec.shape):
                    return _(
                        "array {key} is {dtype} of shape {shape}, "
                        "expected {expected_dtype} of shape {expected_shape}"
                    ).format(
                        key=repr(key),
                        dtype=array.dtype,
                        shape=array.shape,
                        expected_dtype=spec.dtype,
                        expected_shape=tuple(spec.shape),
                    )
                actual = hashlib.sha256(array.tobytes()).hexdigest()
                if actual != spec.sha256:
                    return _("array {key} has sha256 {actual}, expected {expected}").format(
                        key=repr(key), actual=actual, expected=spec.sha256
                    )
    except Exception as error:  # a truncated or non-npz file
        return _("it cannot be read as an .npz archive ({error})").format(error=error)
    return None


def _check_local(source: _Source, path: Path) -> str | None:
    """Check a copy in the cache or the mirror in full: None if good, else the reason."""
    if source.arrays is None:
        return _check_file(path, source.sha256)
    return _check_arrays(path, source.arrays)


HEART = _Source(
    filename="processed.cleveland.data",
    url=(
        "https://archive.ics.uci.edu/ml/machine-learning-databases/heart-disease/"
        "processed.cleveland.data"
    ),
    sha256="a74b7efa387bc9d108d7d0115d831fe9b414b29ae7124f331b622b4efa0427c8",
)

MNIST = _Source(
    filename="mnist.npz",
    url="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
    # The file hash that keras.datasets.mnist.load_data() checks its download against.
    sha256="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    arrays={
        "x_train": _Array(
            "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
            "uint8",
            (60000, 28, 28),
        ),
        "y_train": _Array(
            "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
            "uint8",
            (60000,),
        ),
        "x_test": _Array(
            "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
            "uint8",
            (10000, 28, 28),
        ),
        "y_test": _Array(
            "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
            "uint8",
            (10000,),
        ),
    },
)


def data_home(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the cache folder, as an absolute path.

    The folder is ``path`` if given, else ``$COURSE_DATA_HOME`` if set, else pooch's
    per-user cache folder for ``course_utils`` (``~/.cache/course_utils`` on Linux and
    Colab, or ``$XDG_CACHE_HOME/course_utils``). A relative folder is resolved once,
    against the current working directory at the time of the call (a loader calls this
    once, at its start); the loader then uses that absolute path for the cache, the
    download and its messages, even if the working directory changes meanwhile.

    Args:
        path: a folder to use instead of the environment variable and the default.

    Returns:
        The absolute cache folder (it may not exist yet).

    Raises:
        TypeError: if ``path`` is neither a string, an ``os.PathLike`` nor None.
        ValueError: if ``path`` is an empty or blank string.
        NotADirectoryError: if the folder exists as a file.

    Example:
        >>> data_home("course-data") == Path.cwd().resolve() / "course-data"
        True
    """
    if path is None:
        configured = os.environ.get(HOME_VARIABLE, "").strip()
        origin = f"{HOME_VARIABLE}={configured}"
        folder = Path(configured) if configured else pooch.os_cache("course_utils")
    elif isinstance(path, (str, os.PathLike)):
        origin = f"data_home={path!r}"
        folder = Path(path)
        if not str(path).strip():
            raise ValueError(
                _("`data_home` must name a folder. Received: data_home={path}").format(
                    path=repr(path)
                )
            )
    else:
        raise TypeError(
            _(
                "`data_home` must be a folder path (a str or os.PathLike) or None. "
                "Received: data_home={path} ({type})"
            ).format(path=repr(path), type=type(path).__name__)
        )
    folder = folder.expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(
            _("The cache folder {folder} ({origin}) is a file, not a folder").format(
                folder=folder, origin=origin
            )
        )
    return folder


_home = data_home  # for the loaders, whose ``data_home`` argument hides the function


def _stamp(path: Path) -> dict[str, int]:
    """What the record compares: size, modification time (ns) and inode."""
    status = path.stat()
    return {"size": status.st_size, "mtime_ns": status.st_mtime_ns, "inode": status.st_ino}


def _record_path(path: Path) -> Path:
    return path.with_name(path.name + RECORD_SUFFIX)


def _is_recorded(path: Path, stamp: dict[str, int], source: _Source) -> bool:
    """Whether the record beside ``path`` vouches for it: the same stamp, a current check."""
    try:
        record = json.loads(_record_path(path).read_text())
    except (OSError, ValueError):  # no record, or an unreadable one
        return False
    if not isinstance(record, dict) or record.get("stamp") != stamp:
        return False
    return record.get("checked") in (source.download_check(), source.local_check())


def _write_record(path: Path, stamp: dict[str, int], checked: dict[str, Any]) -> None:
    """Write the record beside ``path`` through a unique temporary file, renamed into place.

    A cache folder that cannot be written to only costs speed: without a record, the next
    call checks the file in full again.
    """
    record = {"file": path.name, "stamp": stamp, "checked": checked}
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".record", dir=path.parent
        )
    except OSError:
        return
    try:
        with os.fdopen(handle, "w") as output:
            json.dump(record, output, indent=1)
        os.replace(temporary, _record_path(path))
    except OSError:
        Path(temporary).unlink(missing_ok=True)


# Mirror files that passed their check in this process: path -> (stamp, check).
_MIRROR_CHECKED: dict[str, tuple[dict[str, int], dict[str, Any]]] = {}


def _check_mirror(path: Path, source: _Source) -> str | None:
    """Check a mirror file in full, unless it passed already in this process unchanged."""
    stamp, check = _stamp(path), source.local_check()
    if _MIRROR_CHECKED.get(str(path)) == (stamp, check):
        return None
    _MIRROR_CHECKED.pop(str(path), None)
    problem = _check_local(source, path)
    if problem is None:
        _MIRROR_CHECKED[str(path)] = (stamp, check)
    return problem


def _downloader(timeout: float = TIMEOUT_S) -> pooch.HTTPDownloader:
    """pooch's HTTP downloader, with its tqdm progress bar if tqdm is installed."""
    try:
        return pooch.HTTPDownloader(progressbar=True, timeout=timeout, chunk_size=1 << 16)
    except ValueError:  # pooch found no tqdm: download without a progress bar
        return pooch.HTTPDownloader(progressbar=False, timeout=timeout, chunk_size=1 << 16)


def _fetch(source: _Source, home: Path, *, download: bool = True) -> Path:
    """Return the path of a checked copy of ``source``: cache, then mirror, then URL.

    ``home`` is the absolute cache folder from :func:`data_home`.
    """
    cached = home / source.filename
    try:
        stamp = _stamp(cached)  # taken before any check, so a change during it is noticed
    except FileNotFoundError:
        stamp = None
    if stamp is not None:
        if _is_recorded(cached, stamp, source):
            return cached
        problem = _check_local(source, cached)
        if problem is None:
            _write_record(cached, stamp, source.local_check())
            return cached
        warnings.warn(
            _("Deleted the cached {path} because {problem}; fetching a fresh copy.").format(
                path=cached, problem=problem
            ),
            stacklevel=3,
        )
        cached.unlink(missing_ok=True)
        _record_path(cached).unlink(missing_ok=True)

    mirror = os.environ.get(MIRROR_VARIABLE, "").strip()
    if mirror:
        mirrored = Path(mirror).expanduser().resolve() / source.filename
        if mirrored.is_file():
            problem = _check_mirror(mirrored, source)
            if problem is None:
                return mirrored
            raise DataError(
                _(
                    "The offline mirror's copy {path} is corrupted: {problem}. "
                    "Replace it with the file from {url}, or unset {mirror_variable}."
                ).format(
                    path=mirrored, problem=problem, url=source.url, mirror_variable=MIRROR_VARIABLE
                )
            )
    # The fields of the messages below; each message is written whole for both mirror cases.
    where = {
        "file": source.filename,
        "home": home,
        "url": source.url,
        "home_variable": HOME_VARIABLE,
        "mirror_variable": MIRROR_VARIABLE,
        "mirror": mirror,
    }

    if not download:
        message = (
            _(
                "{file} is not cached in {home} and {mirror_variable}={mirror} has no file "
                "{file}; downloading from {url} was switched off (download=False)."
            )
            if mirror
            else _(
                "{file} is not cached in {home} and {mirror_variable} is not set; "
                "downloading from {url} was switched off (download=False)."
            )
        )
        raise DataError(message.format(**where))
    try:
        pooch.retrieve(
            source.url,
            known_hash=f"sha256:{source.sha256}",
            fname=source.filename,
            path=home,
            downloader=_downloader(),
        )
        stamp = _stamp(cached)
    except Exception as error:
        import requests  # pooch's HTTP library; imported here, where it is needed

        if isinstance(error, ValueError) and not isinstance(error, requests.RequestException):
            # pooch's checksum mismatch; it has deleted its temporary file
            raise DataError(
                _(
                    "The file downloaded from {url} failed its check: {error} "
                    "Nothing was kept; try again later or use a mirror."
                ).format(url=source.url, error=error)
            ) from error
        message = (
            _(
                "Could not download {file} from {url} ({error}). "
                "It is not cached in {home} ({home_variable}) and {mirror_variable}={mirror} "
                "has no file {file}. Without internet access, put a copy of the file in a "
                "folder and set {mirror_variable} to that folder."
            )
            if mirror
            else _(
                "Could not download {file} from {url} ({error}). "
                "It is not cached in {home} ({home_variable}) and {mirror_variable} is not "
                "set. Without internet access, put a copy of the file in a folder and set "
                "{mirror_variable} to that folder."
            )
        )
        raise DataError(message.format(error=error, **where)) from error
    _write_record(cached, stamp, source.download_check())
    return cached


def _check_download_argument(download: object) -> None:
    if not isinstance(download, bool):
        raise TypeError(
            _("`download` must be True or False. Received: download={value} ({type})").format(
                value=repr(download), type=type(download).__name__
            )
        )


def load_heart(
    *, download: bool = True, data_home: str | os.PathLike[str] | None = None
) -> pd.DataFrame:
    """Load the UCI Heart Disease data, Cleveland subset (303 patients).

    Columns are named as in the data set's documentation (``age``, ``sex``, ``cp``, ...,
    ``thal``, ``num``) plus ``target``: 1 where ``num`` is 1 to 4 (heart disease
    present), 0 where it is 0. The six ``?`` entries (four in ``ca``, two in ``thal``)
    become NaN; every column is numeric.

    Args:
        download: whether to download when neither the cache nor a mirror has the file.
        data_home: the cache folder, instead of ``$COURSE_DATA_HOME`` or the default (see
            :func:`data_home`; a relative folder is taken from the working directory).

    Returns:
        A DataFrame of 303 rows and 15 columns.

    Raises:
        DataError: if the file is not cached, not in the mirror and cannot be downloaded,
            or if the mirror's copy or the download fails its checksum.
        TypeError: if ``download`` is not a bool, or ``data_home`` not a path.
        ValueError, NotADirectoryError: if ``data_home`` is blank or names a file.

    Example:
        >>> heart = load_heart()  # doctest: +SKIP
        >>> heart.shape, int(heart["target"].sum())  # doctest: +SKIP
        ((303, 15), 139)
    """
    _check_download_argument(download)
    path = _fetch(HEART, _home(data_home), download=download)
    frame = pd.read_csv(path, header=None, names=HEART_COLUMNS, na_values="?")
    frame = frame.astype(float)
    for column in ("age", "sex", "cp", "fbs", "restecg", "exang", "slope", "num"):
        frame[column] = frame[column].astype(int)
    frame["target"] = (frame["num"] > 0).astype(int)
    return frame


class HeartSplit(NamedTuple):
    """The heart patients split three ways (see :func:`load_heart_split`)."""

    X_train: pd.DataFrame
    X_val: pd.DataFrame
    X_test: pd.DataFrame
    y_train: np.ndarray
    y_val: np.ndarray
    y_test: np.ndarray


def load_heart_split(
    *,
    random_state: int = 42,
    download: bool = True,
    data_home: str | os.PathLike[str] | None = None,
) -> HeartSplit:
    """Load the heart data and split it 60/20/20, stratified, as every heart lesson does.

    The lessons on regularization, callbacks and tuning all train on the same patients
    and keep the same 61 patients for their one final test, so their figures can be
    compared. Features are the columns ``HEART_NUMERIC + HEART_BINARY + HEART_NOMINAL``
    (raw, with their missing values: preprocess with :func:`heart_preprocessor`, fitted on
    ``X_train`` only); labels are ``target`` (1: heart disease present), as int arrays.

    Args:
        random_state: the seed of the split (42 in every lesson).
        download, data_home: as for :func:`load_heart`.

    Returns:
        A :class:`HeartSplit` ``(X_train, X_val, X_test, y_train, y_val, y_test)`` of
        181, 61 and 61 patients.

    Example:
        >>> X_train, X_val, X_test, y_train, y_val, y_test = load_heart_split()  # doctest: +SKIP
        >>> len(X_train), len(X_val), len(X_test)  # doctest: +SKIP
        (181, 61, 61)
    """
    from course_utils.splits import train_val_test_split

    heart = load_heart(download=download, data_home=data_home)
    features = heart[HEART_NUMERIC + HEART_BINARY + HEART_NOMINAL]
    labels = heart["target"].to_numpy()
    parts = train_val_test_split(
        features,
        labels,
        val_size=0.2,
        test_size=0.2,
        stratify=labels,
        random_state=random_state,
    )
    return HeartSplit(*parts)


def heart_preprocessor() -> Any:
    """A new, unfitted preprocessing step for the heart features of :func:`load_heart_split`.

    A scikit-learn ``ColumnTransformer`` with three named parts:

    - ``numeric`` (``HEART_NUMERIC``): missing values become the training median, then
      each column is standardized with the training mean and standard deviation;
    - ``binary`` (``HEART_BINARY``, already 0/1): passed through unchanged;
    - ``nominal`` (``HEART_NOMINAL``, category codes): missing values become the most
      frequent training category, then one-hot columns (a category unseen in training
      gets all zeros).

    Fit it on the training rows only; its output is a float NumPy array, in the order
    numeric, binary, nominal (``get_feature_names_out()`` names the columns).

    Example:
        >>> preprocess = heart_preprocessor()
        >>> [name for name, _, _ in preprocess.transformers]
        ['numeric', 'binary', 'nominal']
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    return ColumnTransformer(
        [
            (
                "numeric",
                make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
                list(HEART_NUMERIC),
            ),
            ("binary", "passthrough", list(HEART_BINARY)),
            (
                "nominal",
                make_pipeline(
                    SimpleImputer(strategy="most_frequent"),
                    OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                ),
                list(HEART_NOMINAL),
            ),
        ]
    )


def load_mnist(
    *, download: bool = True, data_home: str | os.PathLike[str] | None = None
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load MNIST as ``keras.datasets.mnist.load_data()`` returns it.

    Args:
        download: whether to download when neither the cache nor a mirror has the file.
        data_home: the cache folder, as for :func:`load_heart`.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes (60000, 28, 28),
        (60000,), (10000, 28, 28) and (10000,), in the original order.

    Raises:
        DataError, TypeError, ValueError, NotADirectoryError: as for :func:`load_heart`.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_mnist()  # doctest: +SKIP
        >>> x_train.shape, x_test.dtype  # doctest: +SKIP
        ((60000, 28, 28), dtype('uint8'))
    """
    _check_download_argument(download)
    path = _fetch(MNIST, _home(data_home), download=download)
    with np.load(path, allow_pickle=False) as archive:
        return (archive["x_train"], archive["y_train"]), (archive["x_test"], archive["y_test"])
