"""A fixed reference workload, timed in CPU seconds, that the run-time budget divides by.

A lesson's budget is not judged on its wall time (a machine may be three times slower, or
busy) but on its kernel's CPU time relative to this workload measured in the same run: a
small Keras MLP trained for a fixed number of steps on fixed random data, the kind of work
the lessons do. On a slower or busier machine both take proportionally longer.

    python tools/reference.py        # prints the workload's CPU seconds

The workload runs in a fresh interpreter; importing TensorFlow is not timed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

WORKLOAD = r"""
import os, time
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras
keras.utils.set_random_seed(0)
x = np.random.default_rng(0).normal(size=(4096, 32)).astype("float32")
y = (x[:, :4].sum(axis=1) > 0).astype("int32")
model = keras.Sequential([
    keras.Input((32,)),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(2, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x[:256], y[:256], epochs=1, verbose=0)  # tracing and first-call costs, not timed
start = time.process_time()
model.fit(x, y, batch_size=32, epochs=10, validation_split=0.25, verbose=0)
model.predict(x, verbose=0)
print(time.process_time() - start)
"""


def measure(python: str = sys.executable) -> float:
    """CPU seconds (user + system, all threads) that the reference workload takes."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [python, "-c", WORKLOAD], capture_output=True, text=True, env=env, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"the reference workload failed:\n{result.stderr[-2000:]}")
    return float(result.stdout.strip().splitlines()[-1])


def process_stats(pid: int) -> tuple[float, float]:
    """(CPU seconds, peak resident memory in MiB) of a running process, from ``/proc``.

    The CPU time is user + system time of the process and of its children it has waited
    for (a lesson's ``pip install`` in Colab parity, say). Raises OSError where the process
    is gone or ``/proc`` is missing.

    >>> cpu, peak = process_stats(os.getpid())
    >>> cpu > 0 and peak > 0
    True
    """
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # Fields after the command name start at "state" (field 3): utime..cstime are 14-17.
    cpu = sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    peak = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    return cpu, peak


if __name__ == "__main__":
    print(f"{measure():.3f}")
