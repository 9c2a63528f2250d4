from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pytest

from course_utils import datasets
from course_utils.datasets import DataError, _Source, _array_checksums, _file_checksum

HEART_ROWS = (
    "63.0,1.0,1.0,145.0,233.0,1.0,2.0,150.0,0.0,2.3,3.0,0.0,6.0,0\n"
    "67.0,1.0,4.0,160.0,286.0,0.0,2.0,108.0,1.0,1.5,2.0,3.0,3.0,2\n"
    "37.0,1.0,3.0,130.0,250.0,0.0,0.0,187.0,0.0,3.5,3.0,?,3.0,0\n"
    "41.0,0.0,2.0,130.0,204.0,0.0,2.0,172.0,0.0,1.4,1.0,0.0,?,1\n"
).encode()


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """An empty cache, an empty mirror and an 'origin' folder served by file:// URLs."""
    cache, mirror, origin = tmp_path / "cache", tmp_path / "mirror", tmp_path / "origin"
    for folder in (cache, mirror, origin):
        folder.mkdir()
    monkeypatch.setenv("COURSE_DATA_HOME", str(cache))
    monkeypatch.delenv("COURSE_DATA_MIRROR", raising=False)
    return cache, mirror, origin


@pytest.fixture
def fake_heart(folders, monkeypatch):
    cache, mirror, origin = folders
    (origin / "processed.cleveland.data").write_bytes(HEART_ROWS)
    source = _Source(
        "processed.cleveland.data",
        (origin / "processed.cleveland.data").as_uri(),
        _file_checksum(hashlib.sha256(HEART_ROWS).hexdigest()),
    )
    monkeypatch.setattr(datasets, "HEART", source)
    return source


def test_data_home_default_and_variable(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_DATA_HOME", raising=False)
    assert datasets.data_home() == Path.home() / ".cache" / "course_utils"
    monkeypatch.setenv("COURSE_DATA_HOME", str(tmp_path))
    assert datasets.data_home() == tmp_path


def test_heart_downloads_verifies_caches_and_parses(fake_heart, folders):
    cache, _, origin = folders
    frame = datasets.load_heart()
    assert list(frame.columns) == datasets.HEART_COLUMNS + ["target"]
    assert frame.shape == (4, 15)
    assert frame["target"].tolist() == [0, 1, 0, 1]
    assert frame["ca"].isna().tolist() == [False, False, True, False]
    assert frame["thal"].isna().sum() == 1
    assert (cache / "processed.cleveland.data").read_bytes() == HEART_ROWS
    assert [p.name for p in cache.iterdir()] == ["processed.cleveland.data"]
    # a second call uses the cache, even with the origin gone
    (origin / "processed.cleveland.data").unlink()
    assert datasets.load_heart().shape == (4, 15)


def test_heart_from_mirror_without_network(fake_heart, folders, monkeypatch):
    cache, mirror, origin = folders
    (mirror / "processed.cleveland.data").write_bytes(HEART_ROWS)
    (origin / "processed.cleveland.data").unlink()
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(mirror))
    assert datasets.load_heart().shape == (4, 15)
    assert not any(cache.iterdir())  # read in place, not copied


def test_corrupted_cache_is_replaced_with_a_warning(fake_heart, folders):
    cache, _, _ = folders
    (cache / "processed.cleveland.data").write_bytes(b"garbage\n")
    with pytest.warns(UserWarning, match=r"Deleted the cached .* sha256 .* does not match"):
        frame = datasets.load_heart()
    assert frame.shape == (4, 15)
    assert (cache / "processed.cleveland.data").read_bytes() == HEART_ROWS


def test_corrupted_mirror_is_an_error(fake_heart, folders, monkeypatch):
    _, mirror, _ = folders
    (mirror / "processed.cleveland.data").write_bytes(HEART_ROWS[:-5])
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(mirror))
    with pytest.raises(DataError, match=r"offline mirror's copy .* is corrupted: sha256"):
        datasets.load_heart()


def test_nothing_works_names_url_and_variables(fake_heart, folders, monkeypatch):
    _, mirror, origin = folders
    (origin / "processed.cleveland.data").unlink()
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(mirror))
    with pytest.raises(DataError) as info:
        datasets.load_heart()
    message = str(info.value)
    assert fake_heart.url in message
    assert "COURSE_DATA_MIRROR" in message and "COURSE_DATA_HOME" in message
    assert "has no file processed.cleveland.data" in message


def test_download_switched_off(fake_heart, folders):
    with pytest.raises(DataError, match=r"not cached .* COURSE_DATA_MIRROR is not set; downloading .* switched off"):
        datasets.load_heart(download=False)


def test_download_with_wrong_checksum_keeps_nothing(fake_heart, folders, monkeypatch):
    cache, _, origin = folders
    (origin / "processed.cleveland.data").write_bytes(b"tampered\n")
    with pytest.raises(DataError, match=r"failed its check: sha256 .* Nothing was kept"):
        datasets.load_heart()
    assert not any(cache.iterdir())


def test_interrupted_download_leaves_no_file(fake_heart, folders, monkeypatch):
    cache, _, _ = folders

    def broken_copy(source, destination, *args, **kwargs):
        destination.write(b"half a fi")
        raise ConnectionResetError("connection reset by peer")

    monkeypatch.setattr(datasets.shutil, "copyfileobj", broken_copy)
    with pytest.raises(DataError, match=r"Could not download .* \(connection reset by peer\)"):
        datasets.load_heart()
    assert list(cache.iterdir()) == []


def _write_npz(path: Path, **arrays: np.ndarray) -> dict[str, str]:
    np.savez_compressed(path, **arrays)
    return {k: hashlib.sha256(v.tobytes()).hexdigest() for k, v in arrays.items()}


def test_mnist_arrays_checked_not_file_bytes(folders, monkeypatch):
    cache, mirror, origin = folders
    arrays = {
        "x_train": np.arange(2 * 28 * 28, dtype="uint8").reshape(2, 28, 28),
        "y_train": np.array([3, 7], dtype="uint8"),
        "x_test": np.zeros((1, 28, 28), dtype="uint8"),
        "y_test": np.array([1], dtype="uint8"),
    }
    checksums = _write_npz(mirror / "mnist.npz", **arrays)
    monkeypatch.setattr(
        datasets, "MNIST", _Source("mnist.npz", (origin / "mnist.npz").as_uri(), _array_checksums(checksums))
    )
    monkeypatch.setenv("COURSE_DATA_MIRROR", str(mirror))
    (x_train, y_train), (x_test, y_test) = datasets.load_mnist()
    np.testing.assert_array_equal(x_train, arrays["x_train"])
    assert y_train.tolist() == [3, 7] and x_test.shape == (1, 28, 28) and y_test.dtype == np.uint8
    # the same arrays stored uncompressed still pass
    np.savez(mirror / "mnist.npz", **arrays)
    assert datasets.load_mnist()[0][1].tolist() == [3, 7]
    # a changed array fails
    _write_npz(mirror / "mnist.npz", **{**arrays, "y_test": np.array([2], dtype="uint8")})
    with pytest.raises(DataError, match=r"array 'y_test' has sha256"):
        datasets.load_mnist()


def test_npz_check_reports_missing_arrays_and_unreadable_files(tmp_path):
    check = _array_checksums({"a": "0" * 64, "b": "1" * 64})
    np.savez(tmp_path / "one.npz", a=np.zeros(2))
    assert "array 'a' has sha256" in check(tmp_path / "one.npz")
    np.savez(tmp_path / "two.npz", c=np.zeros(2))
    assert "array 'a' is missing" in check(tmp_path / "two.npz")
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    assert "cannot be read as an .npz archive" in check(tmp_path / "bad.npz")


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
    assert frame["ca"].isna().sum() == 4 and frame["thal"].isna().sum() == 2


@needs_mirror
def test_real_mnist_data(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_HOME", str(tmp_path))
    (x_train, y_train), (x_test, y_test) = datasets.load_mnist(download=False)
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert x_train.dtype == np.uint8 and y_test.shape == (10000,)
    assert np.bincount(y_train).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
