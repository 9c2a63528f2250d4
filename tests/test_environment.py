from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from course_utils import environment


def test_in_colab_false_here_and_forced_by_variable(monkeypatch):
    monkeypatch.delenv("COURSE_FORCE_COLAB", raising=False)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    assert environment.in_colab() is False
    monkeypatch.setenv("COURSE_FORCE_COLAB", "1")
    assert environment.in_colab() is True
    monkeypatch.setenv("COURSE_FORCE_COLAB", "0")
    assert environment.in_colab() is False


def test_in_colab_detects_colab_module(monkeypatch):
    monkeypatch.delenv("COURSE_FORCE_COLAB", raising=False)
    monkeypatch.setitem(sys.modules, "google.colab", object())
    assert environment.in_colab() is True


def test_seed_everything_repeats_python_numpy_and_keras():
    import keras

    def draw():
        return (
            random.random(),
            np.random.rand(),
            keras.ops.convert_to_numpy(keras.random.normal((3,))).tolist(),
            keras.layers.Dense(2).build((None, 3)) or None,
        )

    environment.seed_everything(7)
    first = draw()
    environment.seed_everything(7)
    assert draw() == first
    environment.seed_everything(8)
    assert draw()[:3] != first[:3]


@pytest.mark.parametrize(
    "seed, error, match",
    [
        (1.5, TypeError, r"seed must be an integer. Received: seed=1.5 of type float"),
        ("42", TypeError, r"Received: seed='42'"),
        (True, TypeError, r"seed must be an integer"),
        (-1, ValueError, r"seed must be 0 or greater. Received: seed=-1"),
    ],
)
def test_seed_everything_bad_seed(seed, error, match):
    with pytest.raises(error, match=match):
        environment.seed_everything(seed)


def test_setup_imports_tensorflow_without_log_lines():
    """A fresh interpreter that calls setup() and trains a step prints nothing at all."""
    code = textwrap.dedent(
        """
        import course_utils
        course_utils.setup(seed=1)
        import keras, numpy as np
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit(np.zeros((8, 3)), np.zeros((8, 1)), epochs=1, verbose=0)
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=180
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == "", result.stderr


def test_import_course_utils_is_light_and_fast():
    code = textwrap.dedent(
        """
        import sys, time
        start = time.perf_counter()
        import course_utils
        elapsed = time.perf_counter() - start
        assert "tensorflow" not in sys.modules and "keras" not in sys.modules
        print(elapsed)
        """
    )
    times = []
    for _ in range(3):
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        times.append(float(result.stdout))
    assert min(times) < 0.5, times


def test_lazy_attribute_errors():
    import course_utils

    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        course_utils.nothing_here  # noqa: B018
    assert "plot_history" in dir(course_utils)
    assert course_utils.temporalize is course_utils.sequences.temporalize
