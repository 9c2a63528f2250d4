"""Execute the lessons once into the website's execution cache, measuring each one.

    python tools/execute.py                   # every lesson not yet in the cache
    python tools/execute.py 03 08             # only the lessons whose names start so
    python tools/execute.py --force 03        # run lesson 03 even if it is cached
    python tools/execute.py --jobs 2          # two lessons at a time

The executed notebooks go into the jupyter-cache folder that ``_config.yml`` names
(``execute.cache``), where ``jupyter-book build`` (``execute_notebooks: cache``) finds them,
so the website shows the outputs of exactly this run and the build executes nothing.

The cache belongs to one state of the helper package and the environment: when any file
of ``course_utils/``, the lock file, ``pyproject.toml`` or the Python version changes, the
whole cache is cleared before anything runs, so a build never serves pages computed with
older helpers.

For every lesson it records the wall time, the kernel's CPU time (user + system, its own
and its children's, from ``/proc``) and the kernel's peak resident memory, and writes them
to ``_build/reports/runtime-locked.json`` for ``tools/budget.py``. A failing lesson is
reported with its cell and error, is not cached, and makes the command exit 1.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import shutil
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import reference  # noqa: E402  (tools/ is not a package)

NOTEBOOKS = ROOT / "notebooks"
REPORT = ROOT / "_build" / "reports" / "runtime-locked.json"
LOGS = ROOT / "_build" / "logs"
STAMP_NAME = "course-stamp.txt"


def cache_folder() -> Path:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return ROOT / config["execute"]["cache"]


def environment_stamp() -> str:
    """A hash of everything whose change must invalidate the executed notebooks."""
    digest = hashlib.sha256(sys.version.encode())
    files = sorted((ROOT / "course_utils").rglob("*.py"))
    files += [ROOT / "requirements" / "lock.txt", ROOT / "pyproject.toml"]
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def open_cache(folder: Path):
    """The jupyter-cache at ``folder``, cleared first when the stamp does not match."""
    from jupyter_cache import get_cache

    stamp = environment_stamp()
    stamp_file = folder / STAMP_NAME
    if folder.exists() and (not stamp_file.exists() or stamp_file.read_text() != stamp):
        print(f"course_utils or the environment changed: clearing {folder.relative_to(ROOT)}")
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cache = get_cache(str(folder))
    stamp_file.write_text(stamp)
    return cache


def execute_notebook(path: str, timeout: int) -> dict[str, Any]:
    """Run one notebook in a fresh kernel; return its outputs and measurements."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    source = nbformat.read(path, as_version=4)
    executed = copy.deepcopy(source)
    measured = {"cpu_seconds": 0.0, "peak_memory_mib": 0.0}

    def measure(**_: Any) -> None:
        try:
            cpu, peak = reference.process_stats(client.km.provisioner.process.pid)
        except (AttributeError, OSError):  # the kernel is gone or not a local process
            return
        measured["cpu_seconds"] = max(measured["cpu_seconds"], cpu)
        measured["peak_memory_mib"] = max(measured["peak_memory_mib"], peak)

    client = NotebookClient(
        executed,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": str(Path(path).parent)}},
        on_cell_executed=measure,
    )
    start = time.perf_counter()
    error = None
    # The kernel process's own messages (start-up notices) go to a log, not the terminal.
    LOGS.mkdir(parents=True, exist_ok=True)
    try:
        with open(LOGS / f"kernel-{Path(path).stem}.log", "w") as log:
            # The kernel draws figures inline, whatever backend the calling process uses.
            env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
            # Every check runs a second time on the answers as the grader reads them.
            env["COURSE_VERIFY_ANSWERS"] = "1"
            client.execute(stderr=log, stdout=log, env=env)
    except (CellExecutionError, CellTimeoutError) as exc:
        error = str(exc)
    except Exception:  # a kernel that died or could not start
        error = traceback.format_exc()
    seconds = time.perf_counter() - start
    # Keep the notebook exactly as stored (its cell metadata is part of the cache key) and
    # take only the outputs of the run.
    for stored, ran in zip(source.cells, executed.cells, strict=True):
        if stored.cell_type == "code":
            stored.outputs = ran.outputs
            stored.execution_count = ran.execution_count
    return {
        "notebook": Path(path).name,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(measured["cpu_seconds"], 1),
        "peak_memory_mib": round(measured["peak_memory_mib"], 1),
        "passed": error is None,
        "error": error,
        "nb": nbformat.writes(source),
    }


def select(prefixes: list[str]) -> list[Path]:
    lessons = sorted(NOTEBOOKS.glob("*.ipynb"))
    if not prefixes:
        return lessons
    chosen = [p for p in lessons if any(p.name.startswith(prefix) for prefix in prefixes)]
    unknown = [x for x in prefixes if not any(p.name.startswith(x) for p in lessons)]
    if unknown:
        names = ", ".join(p.stem for p in lessons)
        raise SystemExit(f"error: no lesson starts with {', '.join(unknown)}; lessons: {names}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="lesson name prefixes, e.g. 03 or 08_cnn")
    parser.add_argument("--force", action="store_true", help="re-run cached lessons too")
    parser.add_argument("--jobs", type=int, default=1, help="lessons run at the same time")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    parser.add_argument("--report", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")

    from jupyter_cache.base import CacheBundleIn

    lessons = select(args.lessons)
    cache = open_cache(cache_folder())
    rows: dict[str, dict[str, Any]] = {}
    previous = {}
    if args.report.exists():
        previous = {r["notebook"]: r for r in json.loads(args.report.read_text())["notebooks"]}
    to_run = []
    for path in lessons:
        record = None
        if not args.force:
            try:
                record = cache.match_cache_notebook(nbformat.read(path, as_version=4))
            except KeyError:
                record = None
        if record is None:
            to_run.append(path)
        else:
            row = dict(record.data.get("measurements") or previous.get(path.name) or {})
            row.update(notebook=path.name, passed=True, cached=True)
            rows[path.name] = row
            print(f"{path.name}: cached (executed {record.created:%Y-%m-%d %H:%M})")

    ref = reference.measure() if to_run else None
    if ref is not None:
        print(f"reference workload: {ref:.2f} s CPU")
    failures = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(execute_notebook, str(p), args.timeout): p for p in to_run}
        for future in as_completed(futures):
            result = future.result()
            nb = nbformat.reads(result.pop("nb"), as_version=4)
            error = result.pop("error")
            name = result["notebook"]
            if error is None:
                result["reference_cpu_seconds"] = ref
                measurements = {
                    k: result[k]
                    for k in ("seconds", "cpu_seconds", "peak_memory_mib", "reference_cpu_seconds")
                }
                cache.cache_notebook_bundle(
                    CacheBundleIn(
                        nb,
                        str(futures[future]),
                        data={"execution_seconds": result["seconds"], "measurements": measurements},
                    ),
                    check_validity=False,
                    overwrite=True,
                )
                print(
                    f"{name}: executed in {result['seconds']:.1f} s "
                    f"({result['cpu_seconds']:.1f} s CPU, {result['peak_memory_mib']:.0f} MiB)"
                )
            else:
                failures.append(name)
                print(f"{name}: FAILED after {result['seconds']:.1f} s\n{error}", file=sys.stderr)
            rows[name] = {**result, "reference_cpu_seconds": ref, "cached": False}

    args.report.parent.mkdir(parents=True, exist_ok=True)
    merged = {**previous, **rows}
    args.report.write_text(
        json.dumps(
            {
                "environment": "locked",
                "cpus": os.cpu_count(),
                "notebooks": [merged[k] for k in sorted(merged)],
            },
            indent=2,
        )
        + "\n"
    )
    if failures:
        print(f"FAILED: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
