"""The lessons' helpers speak the student's language: their input errors, warnings and
loader errors come from ``helpers.po``, in Korean with the values filled in when Korean is
selected, and exactly as before in English; and no helper builds a message that the
catalogue cannot see (an f-string or a plain string handed to ``raise`` or ``warn``)."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import numpy as np
import pytest

from course_utils import datasets, i18n
from course_utils.plotting import plot_history
from course_utils.sequences import temporalize
from course_utils.splits import train_val_test_split

PACKAGE = Path(__file__).resolve().parents[1] / "course_utils"
HELPERS = [
    "_validation.py",
    "datasets.py",
    "diagnostics.py",
    "environment.py",
    "plotting.py",
    "sequences.py",
    "splits.py",
    "tensorboard_logs.py",
]


def _message(call, error=Exception) -> str:
    with pytest.raises(error) as info:
        call()
    return str(info.value)


# Each case: the call, the English message, the Korean one (values filled in).
CASES = {
    "temporalize, window longer than the series": (
        lambda: temporalize(np.arange(10), window=10),
        "the series has 10 time steps, too few for a window of 10 plus a horizon of 1: need "
        "at least 11. Received: window=10, horizon=1, series length=10",
        "series의 타임스텝이 10개뿐이라, 윈도우 길이(10)와 horizon(1)을 더한 값보다 "
        "적습니다. 타임스텝이 적어도 11개 필요합니다. 받은 값: window=10, horizon=1, "
        "series 길이=10",
    ),
    "temporalize, a 3-D series (the received value described)": (
        lambda: temporalize(np.zeros((2, 2, 2)), window=1),
        "series must have shape (time,) or (time, features). Received: ndarray of shape (2, 2, 2)",
        "series: 형태가 (time,)이나 (time, features)여야 합니다. "
        "받은 값: 형태가 (2, 2, 2)인 ndarray",
    ),
    "temporalize, a negative horizon": (
        lambda: temporalize(np.arange(10), window=3, horizon=-1),
        "`horizon` must be at least 0. Received: horizon=-1",
        "`horizon`: 0 이상이어야 합니다. 받은 값: horizon=-1",
    ),
    "plot_history without validation data": (
        lambda: plot_history({"loss": [1.0, 0.5]}, validation=True),
        "validation curves were requested but the history has no ['val_loss']: pass "
        "validation_data (or validation_split) to model.fit, or call plot_history with "
        "validation=False. Received keys: ['loss']",
        "검증 곡선을 그리라고 했지만 history에 이 키가 없습니다: ['val_loss']. model.fit에 "
        "validation_data(또는 validation_split)를 넘기거나, plot_history를 "
        "validation=False로 호출하세요. 받은 history의 키: ['loss']",
    ),
    "train_val_test_split, sizes that leave no training rows": (
        lambda: train_val_test_split(np.zeros(10), val_size=0.5, test_size=0.5),
        "val_size + test_size must leave rows for training (a sum below 1). "
        "Received: val_size=0.5, test_size=0.5",
        "val_size + test_size: 학습에 쓸 행이 남아야 합니다(합이 1보다 작아야 함). "
        "받은 값: val_size=0.5, test_size=0.5",
    ),
    "train_val_test_split, stratify of another length": (
        lambda: train_val_test_split(np.zeros(10), stratify=np.zeros(8)),
        "every array (and stratify) must have one row per example, the same length. "
        "Received lengths [10], stratify 8",
        "모든 배열과 stratify는 샘플마다 행이 하나씩 있어 길이가 같아야 합니다. "
        "받은 길이: [10], stratify 8",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_helpers_error_is_korean_with_its_values_and_english_as_before(case):
    call, english, korean = CASES[case]
    assert _message(call) == english
    with i18n.language("ko"):
        assert _message(call) == korean
    assert _message(call) == english  # back in English after the block


def test_a_loader_whose_file_is_missing_names_the_url_and_variables_in_korean(
    tmp_path, monkeypatch
):
    monkeypatch.delenv(datasets.MIRROR_VARIABLE, raising=False)
    home = tmp_path / "cache"

    def load():
        datasets.load_heart(download=False, data_home=home)

    english = _message(load, datasets.DataError)
    assert english == (
        f"processed.cleveland.data is not cached in {home} and COURSE_DATA_MIRROR is not "
        f"set; downloading from {datasets.HEART.url} was switched off (download=False)."
    )
    with i18n.language("ko"):
        korean = _message(load, datasets.DataError)
    assert korean == (
        f"processed.cleveland.data 파일이 캐시 폴더 {home} 안에 없고, COURSE_DATA_MIRROR "
        f"환경 변수도 설정되어 있지 않습니다. {datasets.HEART.url} 주소에서 내려받기는 꺼져 "
        "있습니다(download=False)."
    )
    # With a mirror folder that lacks the file, the other whole sentence.
    monkeypatch.setenv(datasets.MIRROR_VARIABLE, str(tmp_path))
    with i18n.language("ko"):
        korean = _message(load, datasets.DataError)
    assert f"미러 폴더 COURSE_DATA_MIRROR={tmp_path} 안에도 processed.cleveland.data" in korean


def test_a_corrupted_cache_file_is_deleted_with_a_korean_warning_and_reason(tmp_path, monkeypatch):
    monkeypatch.delenv(datasets.MIRROR_VARIABLE, raising=False)
    cached = tmp_path / datasets.HEART.filename
    cached.write_bytes(b"not the heart data\n")
    actual = datasets.pooch.file_hash(str(cached), alg="sha256")
    with i18n.language("ko"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(datasets.DataError, match="내려받기는 꺼져 있습니다"):
            datasets.load_heart(download=False, data_home=tmp_path)
    (warning,) = [w for w in caught if issubclass(w.category, UserWarning)]
    assert str(warning.message) == (
        f"캐시에 있던 파일을 지웠습니다: {cached}. 까닭: sha256 값이 기대한 값과 "
        f"다릅니다(기대한 값: {datasets.HEART.sha256}, 실제 값: {actual}). 새 사본을 받습니다."
    )
    assert not cached.exists()


def _unmarked_messages(path: Path) -> list[str]:
    """``raise X("...")``, ``raise X(f"...")`` or ``warn(f"...")`` in a module: a message
    built where the extractor cannot see it."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        call = None
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            call = node.exc
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "warn":
            call = node
        if call is None or not call.args:
            continue
        first = call.args[0]
        literal = isinstance(first, ast.JoinedStr) or (
            isinstance(first, ast.Constant) and isinstance(first.value, str)
        )
        if literal or any(isinstance(n, ast.JoinedStr) for n in ast.walk(first)):
            found.append(f"{path.name}, line {node.lineno}")
    return found


def test_every_error_and_warning_of_the_helpers_is_a_marked_message():
    found = [where for name in HELPERS for where in _unmarked_messages(PACKAGE / name)]
    assert found == []


def test_the_check_finds_an_unmarked_message(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        'def f(n):\n    raise ValueError(f"n must be positive. Received: {n}")\n'
        'def g(n):\n    raise ValueError(_("n must be positive. Received: {n}").format(n=n))\n',
        encoding="utf-8",
    )
    assert _unmarked_messages(module) == ["module.py, line 2"]
