"""Tests of the data loaders: cache, record, mirror and download, all without a network.

Downloads go through pooch's real ``HTTPDownloader``; only ``requests.get`` is replaced, by
a fake web (``FakeWeb``) that serves bytes from a dict and can act part-way through a
download (interrupt it, wait for a second download, change the working directory).
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import io
import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pooch
import pytest
import requests

from course_utils import datasets
from course_utils.datasets import DataError, _Array, _check_arrays, _Source

HEART_ROWS = (
    b"63.0,1.0,1.0,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,0\n"
    b"67.0,1.0,4.0,160.0,286.0,0.0,2.0,108.0,1.0,1.5,2.0,3.0,3.0,2\n"
    b"37.0,1.0,3.0,130.0,250.0,0.0,0.0,187.0,0.0,3.5,3.0,?,3.0,0\n"
    b"41.0,0.0,2.0,130.0,204.0,0.0,2.0,172.0,0.0,1.4,1.0,0.0,?,1\n"
)
HEART_URL = "https://example.invalid/heart/processed.cleveland.data"
MNIST_URL = "https://example.invalid/mnist/mnist.npz"
HEART_RECORD = "processed.cleveland.data" + datasets.RECORD_SUFFIX
MNIST_RECORD = "mnist.npz" + datasets.RECORD_SUFFIX
TRAIN_LABEL_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
SMALL_MNIST = {
    "x_train": np.arange(2 * 28 * 28, dtype="uint8").reshape(2, 28, 28),
    "y_train": np.array([3, 7], dtype="uint8"),
    "x_test": np.full((1, 28, 28), 9, dtype="uint8"),
    "y_test": np.array([1], dtype="uint8"),
}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Body(io.BytesIO):
    """A response body served 64 bytes at a time; calls ``FakeWeb.midway`` after the first."""

    def __init__(self, data: bytes, web: FakeWeb) -> None:
        super().__init__(data)
        self.web, self.chunks = web, 0

    def read(self, size: int | None = -1) -> bytes:  # pooch asks for 64 KiB
        self.chunks += 1
        if self.chunks == 2 and self.web.midway is not None:
            self.web.midway()
        return super().read(64)


class FakeWeb:
    """Stands in for ``requests.get``: serves ``files``; any other URL is unreachable."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.requests: list[tuple[str, object]] = []
        self.midway: Callable[[], None] | None = None

    def get(self, url: str, timeout: object = None, **kwargs: object) -> requests.Response:
        self.requests.append((url, timeout))
        if url not in self.files:
            raise requests.ConnectionError(f"no network here, cannot reach {url}")
        response = requests.Response()
        response.status_code, response.url = 200, url
        response.headers["content-length"] = str(len(self.files[url]))
        response.raw = _Body(self.files[url], self)
        return response


class HashCounter:
    """Counts SHA-256 computations, by this module's hashlib and by pooch alike."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = hashlib.sha256

        def counting(*args: object, **kwargs: object) -> object:
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(hashlib, "sha256", counting)
        monkeypatch.setitem(pooch.hashes.ALGORITHMS_AVAILABLE, "sha256", counting)

    def take(self) -> int:
        calls, self.calls = self.calls, 0
        return calls


@pytest.fixture
def web(monkeypatch):
    """The only 'internet' the tests have; without tqdm, unless a test adds a fake one."""
    fake = FakeWeb()
    monkeypatch.setattr(requests, "get", fake.get)
    monkeypatch.setattr(pooch.downloaders, "tqdm", None)
    return fake


@pytest.fixture
def folders(tmp_path, monkeypatch, web):
    """An empty cache and an empty mirror folder; the mirror variable unset."""
    cache, mirror = tmp_path / "cache", tmp_path / "mirror"
    cache.mkdir()
    mirror.mkdir()
    monkeypatch.setenv("COURSE_DATA_HOME", str(cache))
    monkeypatch.delenv("COURSE_DATA_MIRROR", raising=False)
    monkeypatch.setattr(datasets, "_MIRROR_CHECKED", {})
    return cache, mirror


@pytest.fixture
def fake_heart(folders, web, monkeypatch):
    """A four-row heart file, served at HEART_URL."""
    web.files[HEART_URL] = HEART_ROWS
    source = _Source("processed.cleveland.data", HEART_URL, _sha256(HEART_ROWS))
    monkeypatch.setattr(datasets, "HEART", source)
    return source


def _npz_bytes(compressed: bool = True, **arrays: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, **arrays)
    return buffer.getvalue()


@pytest.fixture
def fake_mnist(folders, web, monkeypatch):
    """A tiny MNIST served at MNIST_URL, checked per array (dtype, shape, bytes)."""
    served = _npz_bytes(**SMALL_MNIST)
    web.files[MNIST_URL] = served
    arrays = {
        key: _Array(_sha256(value.tobytes()), str(value.dtype), value.shape)
        for key, value in SMALL_MNIST.items()
    }
    source = _Source("mnist.npz", MNIST_URL, _sha256(served), arrays)
    monkeypatch.setattr(datasets, "MNIST", source)
    return source


def _assert_small_mnist(loaded) -> None:
    (x_train, y_train), (x_test, y_test) = loaded
    loaded_arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    for key, value in loaded_arrays.items():
        np.testing.assert_array_equal(value, SMALL_MNIST[key])
        assert value.dtype == np.uint8


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _bump_mtime(path: Path, seconds: int = 7) -> None:
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + seconds * 10**9))


# ----- the cache folder -------------------------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG cache folder is Linux's")
def test_data_home_default_variable_and_argument(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_DATA_HOME", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert datasets.data_home() == tmp_path / "xdg" / "course_utils"
    monkeypatch.setenv("COURSE_DATA_HOME", str(tmp_path / "from-variable"))
    assert datasets.data_home() == tmp_path / "from-variable"
    monkeypatch.setenv("COURSE_DATA_HOME", "   ")  # blank means unset
    assert datasets.data_home() == tmp_path / "xdg" / "course_utils"
    assert datasets.data_home(tmp_path / "from-argument") == tmp_path / "from-argument"


def test_relative_cache_folder_is_resolved_against_the_cwd_once(
    fake_heart, web, tmp_path, monkeypatch
):
    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    work.mkdir()
    elsewhere.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("COURSE_DATA_HOME", "rel/from-variable")
    assert datasets.data_home() == work / "rel" / "from-variable"
    assert datasets.data_home("rel/../arg") == work / "arg"
    # the working directory changes during the download: the file still lands in, is
    # recorded in and is read from the folder resolved when the call began
    web.midway = lambda: os.chdir(elsewhere)
    frame = datasets.load_heart(data_home="rel/cache")
    assert frame.shape == (4, 15)
    assert Path.cwd() == elsewhere
    assert _names(work / "rel" / "cache") == sorted(["processed.cleveland.data", HEART_RECORD])
    assert not any(elsewhere.iterdir())


def test_bad_arguments_say_what_was_expected_and_received(folders, tmp_path):
    with pytest.raises(
        TypeError, match=r"`data_home` must be a folder path .* Received: data_home=3 \(int\)"
    ):
        datasets.data_home(3)
    with pytest.raises(ValueError, match=r"must name a folder. Received: data_home=' '"):
        datasets.data_home(" ")
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(NotADirectoryError, match=r"folder .*a-file \(data_home=.*\) is a file"):
        datasets.load_heart(data_home=tmp_path / "a-file")
    with pytest.raises(
        TypeError, match=r"`download` must be True or False. Received: download='no' \(str\)"
    ):
        datasets.load_mnist(download="no")
    with pytest.raises(TypeError, match=r"Received: data_home=\[\] \(list\)"):
        datasets.load_mnist(data_home=[])


# ----- heart: download, cache, mirror, errors ----------------------------------------------


def test_heart_downloads_verifies_caches_and_parses(fake_heart, folders, web):
    cache, _ = folders
    frame = datasets.load_heart()
    assert list(frame.columns) == [*datasets.HEART_COLUMNS, "target"]
    assert frame.shape == (4, 15)
    assert frame["target"].tolist() == [0, 1, 0, 1]
    assert frame["num"].tolist() == [0, 2, 0, 1]
    assert frame["ca"].isna().tolist() == [False, False, True, False]
    assert frame["thal"].isna().sum() == 1
    assert (cache / "processed.cleveland.data").read_bytes() == HEART_ROWS
    assert _names(cache) == sorted(["processed.cleveland.data", HEART_RECORD])
    record = json.loads((cache / HEART_RECORD).read_text())
    assert record["checked"] == {"sha256": _sha256(HEART_ROWS)}
    assert record["stamp"]["size"] == len(HEART_ROWS)
    # a second call uses the cache, even with the origin gone
    del web.files[HEART_URL]
    assert datasets.load_heart().shape == (4, 15)
    assert [url for url, _ in web.requests] == [HEART_URL]


def test_heart_from_mirror_without_network(fake_heart, folders, web, monkeypatch):
    cache, mirror = folders
    (mirror / "processed.cleveland.data").write_bytes(HEART_ROWS)
    del web.files[HEART_URL]
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(mirror))
    assert datasets.load_heart().shape == (4, 15)
    assert not any(cache.iterdir())  # read in place, not copied
    assert web.requests == []


@pytest.mark.parametrize("change", ["same size, new mtime", "new size, same mtime"])
def test_corrupted_cache_is_replaced_with_a_warning(fake_heart, folders, change):
    cache, _ = folders
    cached = cache / "processed.cleveland.data"
    datasets.load_heart()
    before = cached.stat()
    if change == "same size, new mtime":
        cached.write_bytes(HEART_ROWS.replace(b"63.0", b"99.0"))
        os.utime(cached, ns=(before.st_atime_ns, before.st_mtime_ns + 7 * 10**9))
    else:
        cached.write_bytes(HEART_ROWS + b"1,2,3\n")
        os.utime(cached, ns=(before.st_atime_ns, before.st_mtime_ns))
    with pytest.warns(UserWarning, match=r"Deleted the cached .* sha256 .* does not match"):
        frame = datasets.load_heart()
    assert frame["age"].tolist() == [63, 67, 37, 41]
    assert cached.read_bytes() == HEART_ROWS


def test_corrupted_cache_without_a_record_is_replaced(fake_heart, folders):
    cache, _ = folders
    (cache / "processed.cleveland.data").write_bytes(b"garbage\n")
    with pytest.warns(UserWarning, match=r"Deleted the cached .* sha256 .* does not match"):
        frame = datasets.load_heart()
    assert frame.shape == (4, 15)
    assert (cache / "processed.cleveland.data").read_bytes() == HEART_ROWS


def test_a_record_for_another_checksum_is_not_trusted(fake_heart, folders, monkeypatch):
    datasets.load_heart()
    # the expected checksum changes (a new release of the data): the file must be rechecked
    monkeypatch.setattr(datasets, "HEART", _Source(fake_heart.filename, HEART_URL, "0" * 64))
    with (
        pytest.warns(UserWarning, match=r"Deleted the cached .* does not match the expected 0000"),
        pytest.raises(DataError, match=r"failed its check"),
    ):
        datasets.load_heart()


def test_corrupted_mirror_is_an_error(fake_heart, folders, monkeypatch):
    _, mirror = folders
    (mirror / "processed.cleveland.data").write_bytes(HEART_ROWS[:-5])
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(mirror))
    with pytest.raises(DataError, match=r"offline mirror's copy .* is corrupted: sha256"):
        datasets.load_heart()


def test_nothing_works_names_url_and_variables(fake_heart, folders, web, monkeypatch):
    cache, mirror = folders
    del web.files[HEART_URL]
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(mirror))
    with pytest.raises(DataError, match=r"Could not download .* \(no network here") as info:
        datasets.load_heart()
    message = str(info.value)
    assert HEART_URL in message
    assert "COURSE_DATA_MIRROR" in message
    assert "COURSE_DATA_HOME" in message
    assert "has no file processed.cleveland.data" in message
    assert not any(cache.iterdir())


def test_download_switched_off(fake_heart, folders, web):
    with pytest.raises(
        DataError, match=r"not cached .* COURSE_DATA_MIRROR is not set; downloading .* switched off"
    ):
        datasets.load_heart(download=False)
    assert web.requests == []


def test_download_with_wrong_checksum_keeps_nothing(fake_heart, folders, web):
    cache, _ = folders
    web.files[HEART_URL] = b"tampered\n"
    with pytest.raises(
        DataError, match=r"failed its check: .*does not match the known hash.* Nothing was kept"
    ):
        datasets.load_heart()
    assert not any(cache.iterdir())


def test_interrupted_download_leaves_no_file(fake_heart, folders, web):
    cache, _ = folders

    def reset() -> None:
        raise ConnectionResetError("connection reset by peer")

    web.midway = reset
    with pytest.raises(DataError, match=r"Could not download .* \(connection reset by peer\)"):
        datasets.load_heart()
    assert list(cache.iterdir()) == []


# ----- progress bar -------------------------------------------------------------------------


def test_download_shows_pooch_progress_bar_when_tqdm_is_installed(
    fake_heart, folders, web, monkeypatch
):
    bars = []

    class FakeTqdm:
        def __init__(self, total: int, **kwargs: object) -> None:
            self.total, self.updates, self.closed = total, [], False
            bars.append(self)

        def update(self, n: int) -> None:
            self.updates.append(n)

        def reset(self) -> None:
            self.updates.clear()

        def close(self) -> None:
            self.closed = True

    monkeypatch.setattr(pooch.downloaders, "tqdm", FakeTqdm)
    assert datasets.load_heart().shape == (4, 15)
    assert len(bars) == 1
    assert bars[0].total == len(HEART_ROWS)
    assert bars[0].updates == [len(HEART_ROWS)]
    assert bars[0].closed
    assert web.requests == [(HEART_URL, datasets.TIMEOUT_S)]


def test_download_is_silent_without_tqdm(fake_heart, folders, web, monkeypatch):
    used = []
    retrieve = pooch.retrieve

    def spy(*args, downloader, **kwargs):
        used.append(downloader.progressbar)
        return retrieve(*args, downloader=downloader, **kwargs)

    monkeypatch.setattr(pooch, "retrieve", spy)  # the web fixture has set pooch's tqdm to None
    assert datasets.load_heart().shape == (4, 15)
    assert used == [False]


# ----- MNIST: per-array checks, record, concurrency -----------------------------------------


def test_mnist_arrays_checked_not_file_bytes(fake_mnist, folders, web, monkeypatch):
    _, mirror = folders
    del web.files[MNIST_URL]
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(mirror))
    # the mirror's copy is stored uncompressed: other file bytes, the same arrays
    (mirror / "mnist.npz").write_bytes(_npz_bytes(compressed=False, **SMALL_MNIST))
    assert _sha256((mirror / "mnist.npz").read_bytes()) != fake_mnist.sha256
    _assert_small_mnist(datasets.load_mnist())
    # a changed array fails
    changed = {**SMALL_MNIST, "y_test": np.array([2], "uint8")}
    (mirror / "mnist.npz").write_bytes(_npz_bytes(**changed))
    with pytest.raises(DataError, match=r"array 'y_test' has sha256"):
        datasets.load_mnist()


@pytest.mark.parametrize(
    ("key", "wrong", "message"),
    [
        (
            "x_train",
            SMALL_MNIST["x_train"].view("int8"),
            r"'x_train' is int8 of shape \(2, 28, 28\), expected uint8",
        ),
        (
            "x_train",
            SMALL_MNIST["x_train"].reshape(4, 14, 28),
            r"'x_train' is uint8 of shape \(4, 14, 28\), expected uint8 of shape \(2, 28, 28\)",
        ),
        ("y_train", SMALL_MNIST["y_train"].reshape(1, 2), r"'y_train' is uint8 of shape \(1, 2\)"),
    ],
    ids=["dtype", "shape", "label-shape"],
)
def test_wrong_dtype_or_shape_with_the_right_bytes_is_rejected(
    fake_mnist, folders, monkeypatch, key, wrong, message
):
    cache, mirror = folders
    assert wrong.tobytes() == SMALL_MNIST[key].tobytes()
    bad = _npz_bytes(**{**SMALL_MNIST, key: wrong})
    (mirror / "mnist.npz").write_bytes(bad)
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(mirror))
    with pytest.raises(DataError, match=message):
        datasets.load_mnist()
    # in the cache, the same file is deleted with a warning (and MNIST fetched again)
    monkeypatch.delenv("COURSE_DATA_MIRROR")
    (cache / "mnist.npz").write_bytes(bad)
    with pytest.warns(UserWarning, match=message):
        _assert_small_mnist(datasets.load_mnist())


def test_a_download_is_hashed_once_and_a_warm_cache_not_at_all(
    fake_mnist, folders, web, monkeypatch
):
    cache, _ = folders
    hashes = HashCounter(monkeypatch)
    _assert_small_mnist(datasets.load_mnist())
    assert hashes.take() == 1  # pooch's check of the download, nothing after it
    _assert_small_mnist(datasets.load_mnist())
    _assert_small_mnist(datasets.load_mnist())
    assert hashes.take() == 0
    # a touched file is checked in full again (once per array), then trusted again
    _bump_mtime(cache / "mnist.npz")
    _assert_small_mnist(datasets.load_mnist())
    assert hashes.take() == 4
    _assert_small_mnist(datasets.load_mnist())
    assert hashes.take() == 0
    assert [url for url, _ in web.requests] == [MNIST_URL]


def test_a_file_put_in_the_cache_by_hand_is_checked_once(fake_mnist, folders, web, monkeypatch):
    cache, _ = folders
    (cache / "mnist.npz").write_bytes(_npz_bytes(compressed=False, **SMALL_MNIST))
    hashes = HashCounter(monkeypatch)
    _assert_small_mnist(datasets.load_mnist(download=False))
    assert hashes.take() == 4
    _assert_small_mnist(datasets.load_mnist(download=False))
    assert hashes.take() == 0
    assert json.loads((cache / MNIST_RECORD).read_text())["checked"] == fake_mnist.local_check()
    # an unreadable record counts as none: check in full, write a good one
    (cache / MNIST_RECORD).write_text("{not json")
    _assert_small_mnist(datasets.load_mnist(download=False))
    assert hashes.take() == 4
    _assert_small_mnist(datasets.load_mnist(download=False))
    assert hashes.take() == 0
    assert web.requests == []


@pytest.mark.parametrize("failing", ["mkstemp", "replace"])
def test_a_cache_that_cannot_take_a_record_still_works(fake_mnist, folders, monkeypatch, failing):
    cache, _ = folders
    (cache / "mnist.npz").write_bytes(_npz_bytes(**SMALL_MNIST))

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("read-only file system")

    module = datasets.tempfile if failing == "mkstemp" else datasets.os
    monkeypatch.setattr(module, failing, refuse)
    hashes = HashCounter(monkeypatch)
    for _ in range(2):
        _assert_small_mnist(datasets.load_mnist(download=False))
        assert hashes.take() == 4  # no record: checked in full each time
    assert _names(cache) == ["mnist.npz"]  # and no temporary record left behind


def test_a_mirror_file_is_checked_once_per_process(fake_mnist, folders, web, monkeypatch):
    _, mirror = folders
    (mirror / "mnist.npz").write_bytes(_npz_bytes(**SMALL_MNIST))
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(mirror))
    hashes = HashCounter(monkeypatch)
    _assert_small_mnist(datasets.load_mnist())
    assert hashes.take() == 4
    _assert_small_mnist(datasets.load_mnist())
    assert hashes.take() == 0
    # a changed mirror file is checked again, and its corruption found
    changed = {**SMALL_MNIST, "y_train": np.array([3, 8], "uint8")}
    (mirror / "mnist.npz").write_bytes(_npz_bytes(**changed))
    _bump_mtime(mirror / "mnist.npz")
    with pytest.raises(DataError, match=r"array 'y_train' has sha256"):
        datasets.load_mnist()
    assert web.requests == []


def test_two_parallel_loads_into_one_empty_cache_both_succeed(fake_mnist, folders, web):
    cache, _ = folders
    both_downloading = threading.Barrier(2, timeout=20)
    web.midway = both_downloading.wait  # each download waits, half done, for the other
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        loads = [pool.submit(datasets.load_mnist) for _ in range(2)]
        results = [load.result(timeout=60) for load in loads]
    for result in results:
        _assert_small_mnist(result)
    assert len(web.requests) == 2  # both really downloaded at the same time
    assert _names(cache) == sorted(["mnist.npz", MNIST_RECORD])  # no stray staging file
    web.midway = None
    _assert_small_mnist(datasets.load_mnist(download=False))  # and the cache is good


def test_npz_check_reports_missing_arrays_and_unreadable_files(tmp_path):
    check = {"a": _Array("0" * 64, "float64", (2,)), "b": _Array("1" * 64, "float64", (2,))}
    np.savez(tmp_path / "one.npz", a=np.zeros(2))
    assert "array 'a' has sha256" in _check_arrays(tmp_path / "one.npz", check)
    np.savez(tmp_path / "two.npz", c=np.zeros(2))
    assert "array 'a' is missing (found ['c'])" in _check_arrays(tmp_path / "two.npz", check)
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    assert "cannot be read as an .npz archive" in _check_arrays(tmp_path / "bad.npz", check)
    good = {"a": _Array(_sha256(np.zeros(2).tobytes()), "float64", (2,))}
    assert _check_arrays(tmp_path / "one.npz", good) is None


# ----- the real data, from the offline mirror -----------------------------------------------

needs_mirror = pytest.mark.skipif(
    not os.environ.get("COURSE_DATA_MIRROR"),
    reason="COURSE_DATA_MIRROR is not set (CI sets it to ../shared/data)",
)


@needs_mirror
def test_real_heart_data(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_HOME", str(tmp_path))
    frame = datasets.load_heart(download=False)
    assert frame.shape == (303, 15)
    assert frame["target"].value_counts().to_dict() == {0: 164, 1: 139}
    assert frame["ca"].isna().sum() == 4
    assert frame["thal"].isna().sum() == 2


@needs_mirror
def test_real_mnist_data(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_HOME", str(tmp_path))
    (x_train, y_train), (x_test, y_test) = datasets.load_mnist(download=False)
    assert x_train.shape == (60000, 28, 28)
    assert x_test.shape == (10000, 28, 28)
    assert x_train.dtype == np.uint8
    assert y_test.shape == (10000,)
    assert np.bincount(y_train).tolist() == TRAIN_LABEL_COUNTS
