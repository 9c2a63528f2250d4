"""pytest plugin: record each notebook's run time and peak memory during the nbval run.

Loaded by tools/run_tests.sh as ``-p budget_plugin`` (with tools/ on PYTHONPATH). For every
notebook it adds up the duration of its cells (setup, call and teardown, as pytest
measures them) and reads the kernel process's peak resident memory (VmHWM in
/proc/<pid>/status) after each cell. At the end it writes
``_build/reports/runtime.json``, which tools/budget.py turns into the budget table.
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from pathlib import Path

import pytest

_seconds: dict[str, float] = defaultdict(float)
_peak_kib: dict[str, int] = defaultdict(int)
_failed: set[str] = set()


def _notebook_of(item: pytest.Item) -> str | None:
    path = str(getattr(item, "path", ""))
    return Path(path).name if path.endswith(".ipynb") else None


def _kernel_peak_kib(item: pytest.Item) -> int:
    """Peak RSS of the notebook's kernel process, in KiB (0 where it cannot be read)."""
    kernel = getattr(item.parent, "kernel", None)
    manager = getattr(kernel, "km", None)
    pid = None
    provisioner = getattr(manager, "provisioner", None)
    process = getattr(provisioner, "process", None)
    if process is not None:
        pid = getattr(process, "pid", None)
    if pid is None:
        return 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    notebook = _notebook_of(item)
    start = time.perf_counter()
    outcome = yield
    if notebook is not None:
        _seconds[notebook] += time.perf_counter() - start


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item):
    outcome = yield
    notebook = _notebook_of(item)
    if notebook is not None:
        if outcome.excinfo is not None:
            _failed.add(notebook)
        _peak_kib[notebook] = max(_peak_kib[notebook], _kernel_peak_kib(item))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not _seconds:
        return
    report = Path(os.environ.get("COURSE_RUNTIME_REPORT", "_build/reports/runtime.json"))
    report.parent.mkdir(parents=True, exist_ok=True)
    rows = [
        {
            "notebook": name,
            "seconds": round(_seconds[name], 1),
            "peak_memory_mib": round(_peak_kib[name] / 1024, 1),
            "passed": name not in _failed,
        }
        for name in sorted(_seconds)
    ]
    report.write_text(json.dumps({"cpus": os.cpu_count(), "notebooks": rows}, indent=2) + "\n")
