"""The lessons' run-time report and budget, from the measurements of one test run.

    python tools/budget.py REPORT.json [REPORT.json ...]   # table, fail if over budget
    python tools/budget.py --update REPORT.json            # also restate the lessons' times

Each report is written by one execution of the lessons (tools/execute.py for the locked
environment, tools/budget_plugin.py under nbval for the Colab-pinned one): per notebook its
wall time, its kernel's CPU time, its peak memory, and the CPU time of a fixed reference
workload (tools/reference.py) timed in the same run.

Wall time is reported, never judged: a machine may be slower, or busy with other work. The
verdict uses the kernel's CPU time scaled to the reference machine,
``cpu_seconds * REFERENCE_CPU_SECONDS / reference_cpu_seconds``, so that a machine three
times slower (the reference workload then also takes three times longer) gets the same
figure. The table goes to ``_build/reports/runtime.md``. The command exits 1 when a
notebook's scaled CPU time is over its budget, the lessons together are over theirs, a
lesson does not state its run time, or a lesson's stated run time is far from its scaled
CPU time (see `is_stale`); the lessons are nearly single-threaded, so on an idle
reference machine their wall time is close to their CPU time.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
# CPU seconds that tools/reference.py takes on an idle machine of CI's kind (2 cores),
# measured on 2026-12-01 (median of five runs). A lesson's scaled CPU time is its CPU time
# on such a machine.
REFERENCE_CPU_SECONDS = 2.4
# Budgets in scaled CPU seconds: a lesson that runs for two minutes on one core of the
# reference machine, and all lessons of one environment in 15 minutes.
PER_NOTEBOOK = 120.0
TOTAL = 15 * 60.0
STATEMENT = re.compile(r"Run time on a 2-core CPU without a GPU: about (\d+) seconds\.")
# A stated time is stale when it is off by more than a factor of two and by more than 15 s.
STALE_FACTOR = 2.0
STALE_SECONDS = 15.0


def stated_seconds(notebook: Path) -> int | None:
    match = STATEMENT.search(nbformat.read(notebook, as_version=4).cells[0].source)
    return int(match.group(1)) if match else None


def rounded(seconds: float) -> int:
    """The measured time as the intro states it: to the nearest 5 s, at least 5 s.

    >>> rounded(2.0), rounded(32.4), rounded(37.6)
    (5, 30, 40)
    """
    return max(5, int(5 * round(seconds / 5)))


def scaled_cpu(cpu_seconds: float, reference_cpu_seconds: float) -> float:
    """A kernel's CPU time as it would be on the reference machine.

    >>> scaled_cpu(60.0, REFERENCE_CPU_SECONDS)
    60.0
    >>> round(scaled_cpu(180.0, 3 * REFERENCE_CPU_SECONDS), 6)  # a 3x slower machine
    60.0
    """
    if cpu_seconds < 0 or reference_cpu_seconds <= 0:
        raise ValueError(
            "expected a non-negative CPU time and a positive reference time, got "
            f"cpu_seconds={cpu_seconds!r} and reference_cpu_seconds={reference_cpu_seconds!r}"
        )
    return cpu_seconds * REFERENCE_CPU_SECONDS / reference_cpu_seconds


def is_stale(stated: float, measured: float) -> bool:
    """Whether an intro's stated run time no longer describes the measured one.

    >>> is_stale(55, 31), is_stale(70, 39), is_stale(30, 45)
    (False, False, False)
    >>> is_stale(35, 80), is_stale(120, 40), is_stale(10, 21)
    (True, True, False)
    """
    if stated <= 0 or measured <= 0:
        raise ValueError(
            f"run times must be positive, got stated={stated!r} and measured={measured!r}"
        )
    off_by_factor = max(stated / measured, measured / stated) > STALE_FACTOR
    return off_by_factor and abs(stated - measured) > STALE_SECONDS


def load(report: Path) -> dict:
    data = json.loads(report.read_text())
    for row in data["notebooks"]:
        reference = row.get("reference_cpu_seconds") or data.get("reference_cpu_seconds")
        if reference is None or "cpu_seconds" not in row:
            raise ValueError(f"{report}: {row['notebook']} has no CPU or reference measurement")
        row["scaled_cpu_seconds"] = scaled_cpu(row["cpu_seconds"], reference)
    return data


def check(report: Path, update: bool) -> tuple[list[str], list[str]]:
    """The report's table lines and its budget problems."""
    data = load(report)
    environment = data.get("environment", report.stem)
    judge_statements = environment == "locked"
    lines = [
        f"Lessons in the {environment} environment ({data['cpus']} CPU cores; CPU time scaled "
        f"to the reference machine by the reference workload; budget {PER_NOTEBOOK:.0f} s "
        f"each, {TOTAL:.0f} s in all):",
        "",
        "| notebook | wall s | CPU s | scaled CPU s | peak memory (MiB) | stated in intro |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    problems = []
    total = 0.0
    for row in data["notebooks"]:
        path = ROOT / "notebooks" / row["notebook"]
        scaled = row["scaled_cpu_seconds"]
        total += scaled
        if update and judge_statements and path.exists():
            nb = nbformat.read(path, as_version=4)
            nb.cells[0].source = STATEMENT.sub(
                f"Run time on a 2-core CPU without a GPU: about {rounded(scaled)} seconds.",
                nb.cells[0].source,
            )
            nbformat.write(nb, path)
        stated = stated_seconds(path) if path.exists() else None
        lines.append(
            f"| {row['notebook']} | {row['seconds']:.1f} | {row['cpu_seconds']:.1f} | "
            f"{scaled:.1f} | {row['peak_memory_mib']:.0f} | "
            f"{stated if stated is not None else '-'} |"
        )
        where = f"{row['notebook']} ({environment})"
        if scaled > PER_NOTEBOOK:
            problems.append(
                f"{where} took {scaled:.0f} s of scaled CPU time, over the "
                f"{PER_NOTEBOOK:.0f} s budget"
            )
        if not judge_statements:
            continue
        if stated is None:
            problems.append(f"{where} does not state its run time in its first cell")
        elif is_stale(stated, scaled):
            problems.append(
                f"{where} states about {stated} s but took {scaled:.0f} s of scaled CPU time; "
                "run `python tools/budget.py --update` on the report and commit"
            )
    lines.append(f"| **total** | | | {total:.1f} | | |")
    if total > TOTAL:
        problems.append(
            f"all notebooks of the {environment} environment together took "
            f"{total:.0f} s of scaled CPU time, over the {TOTAL:.0f} s budget"
        )
    return lines, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="+", type=Path, help="runtime-*.json files")
    parser.add_argument(
        "--update",
        action="store_true",
        help="write the measured run times into the lessons' intro cells",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "_build/reports/runtime.md")
    args = parser.parse_args(argv)
    sections, problems = [], []
    for report in args.reports:
        if not report.exists():
            print(f"error: {report} does not exist; execute the lessons first", file=sys.stderr)
            return 1
        lines, found = check(report, args.update)
        sections.append("\n".join(lines) + "\n")
        problems += found
    text = "\n".join(sections)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(text)
    for problem in problems:
        print(f"BUDGET: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
