"""pytest plugin: measure each notebook during an nbval run, for tools/budget.py.

Loaded by tools/colab_parity.sh as ``-p budget_plugin`` (with tools/ on PYTHONPATH). For
every notebook it adds up the wall time of its cells (setup, call and teardown, as pytest
measures them) and reads the kernel process's CPU time (its own and its children's, from
/proc/<pid>/stat) and peak resident memory (VmHWM) after each cell. At the start of the
session it times the reference workload (tools/reference.py) with the same interpreter.
At the end it writes the report named by ``COURSE_RUNTIME_REPORT``
(default ``_build/reports/runtime.json``).
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from pathlib import Path

import pytest
import reference

_seconds: dict[str, float] = defaultdict(float)
_peak_mib: dict[str, float] = defaultdict(float)
_cpu: dict[str, float] = defaultdict(float)
_reference: list[float] = []
_failed: set[str] = set()


def _notebook_of(item: pytest.Item) -> str | None:
    path = str(getattr(item, "path", ""))
    return Path(path).name if path.endswith(".ipynb") else None


def _kernel_pid(item: pytest.Item) -> int | None:
    kernel = getattr(item.parent, "kernel", None)
    manager = getattr(kernel, "km", None)
    pid = None
    provisioner = getattr(manager, "provisioner", None)
    process = getattr(provisioner, "process", None)
    if process is not None:
        pid = getattr(process, "pid", None)
    return pid


def pytest_sessionstart(session: pytest.Session) -> None:
    _reference.append(reference.measure())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    notebook = _notebook_of(item)
    start = time.perf_counter()
    yield
    if notebook is not None:
        _seconds[notebook] += time.perf_counter() - start


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item):
    outcome = yield
    notebook = _notebook_of(item)
    if notebook is not None:
        if outcome.excinfo is not None:
            _failed.add(notebook)
        pid = _kernel_pid(item)
        try:
            cpu, peak = reference.process_stats(pid) if pid is not None else (0.0, 0.0)
        except OSError:  # the kernel has gone
            cpu, peak = 0.0, 0.0
        _cpu[notebook] = max(_cpu[notebook], cpu)
        _peak_mib[notebook] = max(_peak_mib[notebook], peak)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not _seconds:
        return
    report = Path(os.environ.get("COURSE_RUNTIME_REPORT", "_build/reports/runtime.json"))
    report.parent.mkdir(parents=True, exist_ok=True)
    rows = [
        {
            "notebook": name,
            "seconds": round(_seconds[name], 1),
            "cpu_seconds": round(_cpu[name], 1),
            "peak_memory_mib": round(_peak_mib[name], 1),
            "passed": name not in _failed,
        }
        for name in sorted(_seconds)
    ]
    data = {
        "environment": os.environ.get("COURSE_RUNTIME_ENVIRONMENT", "nbval"),
        "cpus": os.cpu_count(),
        "reference_cpu_seconds": round(_reference[0], 3) if _reference else None,
        "notebooks": rows,
    }
    report.write_text(json.dumps(data, indent=2) + "\n")
