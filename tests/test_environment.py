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


def _draw_from_every_generator() -> dict[str, list]:
    """One draw from each generator that seed_everything must seed."""
    import keras

    layer = keras.layers.Dense(2)
    layer.build((None, 3))  # returns None; the kernel is drawn from the seeded generators
    return {
        "python random": [random.random()],
        "numpy": np.random.rand(2).tolist(),
        "keras.random": keras.ops.convert_to_numpy(keras.random.normal((3,))).tolist(),
        "Dense kernel": layer.get_weights()[0].ravel().tolist(),
    }


def test_seed_everything_repeats_python_numpy_and_keras():
    environment.seed_everything(7)
    first = _draw_from_every_generator()
    environment.seed_everything(7)
    again = _draw_from_every_generator()
    environment.seed_everything(8)
    other = _draw_from_every_generator()
    assert len(first["Dense kernel"]) == 6
    not_repeated = [name for name in first if again[name] != first[name]]
    assert not_repeated == [], f"the same seed gave other numbers from {not_repeated}"
    not_changed = [name for name in first if other[name] == first[name]]
    assert not_changed == [], f"another seed gave the same numbers from {not_changed}"


def test_current_seed_is_the_last_seed_used():
    environment.seed_everything(3)
    assert environment.current_seed() == 3
    environment.setup(seed=11)
    assert environment.current_seed() == 11
    with pytest.raises(ValueError, match="0 or greater"):
        environment.seed_everything(-1)
    assert environment.current_seed() == 11  # a refused seed leaves it as it was


def test_setup_seeds_with_the_given_seed():
    environment.seed_everything(5)
    expected = _draw_from_every_generator()
    environment.setup(seed=5)
    assert _draw_from_every_generator() == expected
    environment.setup(seed=6)
    assert _draw_from_every_generator()["keras.random"] != expected["keras.random"]


@pytest.mark.parametrize(
    ("seed", "error", "match"),
    [
        (1.5, TypeError, r"^seed must be an integer. Received: seed=1.5 of type float$"),
        ("42", TypeError, r"^seed must be an integer. Received: seed='42' of type str$"),
        (True, TypeError, r"^seed must be an integer. Received: seed=True of type bool$"),
        (-1, ValueError, r"^seed must be 0 or greater. Received: seed=-1$"),
    ],
)
def test_seed_everything_bad_seed(seed, error, match):
    with pytest.raises(error, match=match):
        environment.seed_everything(seed)


@pytest.mark.slow
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
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
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
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
        times.append(float(result.stdout))
    assert min(times) < 0.5, times


def test_lazy_attribute_errors():
    import course_utils

    message = r"^module 'course_utils' has no attribute 'nothing_here'$"
    with pytest.raises(AttributeError, match=message):
        course_utils.nothing_here  # noqa: B018
    assert "plot_history" in dir(course_utils)
    assert course_utils.temporalize is course_utils.sequences.temporalize
