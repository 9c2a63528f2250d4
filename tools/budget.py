"""The run-time budget table of the lessons, from the nbval run's measurements.

    python tools/budget.py            # print the table, fail if over budget
    python tools/budget.py --update   # also write each lesson's measured time into its intro

Reads _build/reports/runtime.json (written by tools/budget_plugin.py during the nbval step
of tools/run_tests.sh), writes _build/reports/runtime.md, and exits 1 when a notebook took
more than 120 s, all together more than 15 minutes, or when a lesson's intro states a run
time far from the measured one (see `is_stale`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
PER_NOTEBOOK = 120.0
TOTAL = 15 * 60.0
STATEMENT = re.compile(r"Run time on a 2-core CPU without a GPU: about (\d+) seconds\.")


def stated_seconds(notebook: Path) -> int | None:
    match = STATEMENT.search(nbformat.read(notebook, as_version=4).cells[0].source)
    return int(match.group(1)) if match else None


def rounded(seconds: float) -> int:
    """The measured time as the intro states it: to the nearest 5 s, at least 5 s."""
    return max(5, int(5 * round(seconds / 5)))


# Two runs of the same notebook on two machines of the same kind differ by up to about 1.7x
# (measured: 31 s and 53 s for lesson 5), so a stated time is stale only when it is off by
# more than a factor of two and by more than 15 seconds.
STALE_FACTOR = 2.0
STALE_SECONDS = 15.0


def is_stale(stated: float, measured: float) -> bool:
    """Whether an intro's stated run time no longer describes the measured one.

    >>> is_stale(55, 31), is_stale(70, 39), is_stale(30, 45)
    (False, False, False)
    >>> is_stale(35, 80), is_stale(120, 40), is_stale(10, 21)
    (True, True, False)
    """
    if stated <= 0 or measured <= 0:
        raise ValueError(f"run times must be positive, got stated={stated!r} and measured={measured!r}")
    off_by_factor = max(stated / measured, measured / stated) > STALE_FACTOR
    return off_by_factor and abs(stated - measured) > STALE_SECONDS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, default=ROOT / "_build/reports/runtime.json")
    parser.add_argument("--update", action="store_true",
                        help="write the measured run times into the lessons' intro cells")
    args = parser.parse_args(argv)
    if not args.report.exists():
        print(f"error: {args.report} does not exist; run the nbval step first", file=sys.stderr)
        return 1
    data = json.loads(args.report.read_text())
    rows = data["notebooks"]
    problems = []
    lines = [
        f"Lesson run times under nbval ({data['cpus']} CPU cores):",
        "",
        "| notebook | seconds | peak memory (MiB) | stated in intro |",
        "| --- | ---: | ---: | ---: |",
    ]
    total = 0.0
    for row in rows:
        path = ROOT / "notebooks" / row["notebook"]
        seconds = row["seconds"]
        total += seconds
        if args.update and path.exists():
            nb = nbformat.read(path, as_version=4)
            nb.cells[0].source = STATEMENT.sub(
                f"Run time on a 2-core CPU without a GPU: about {rounded(seconds)} seconds.",
                nb.cells[0].source,
            )
            nbformat.write(nb, path)
        stated = stated_seconds(path) if path.exists() else None
        lines.append(f"| {row['notebook']} | {seconds:.1f} | {row['peak_memory_mib']:.0f} | "
                     f"{stated if stated is not None else '-'} |")
        if seconds > PER_NOTEBOOK:
            problems.append(f"{row['notebook']} took {seconds:.0f} s, over the {PER_NOTEBOOK:.0f} s budget")
        if stated is None:
            problems.append(f"{row['notebook']} does not state its run time in its first cell")
        elif is_stale(stated, seconds):
            problems.append(
                f"{row['notebook']} states about {stated} s but took {seconds:.0f} s; "
                "run `python tools/budget.py --update` after the nbval step and commit"
            )
    lines.append(f"| **total** | {total:.1f} | | |")
    if total > TOTAL:
        problems.append(f"all notebooks together took {total:.0f} s, over the {TOTAL:.0f} s budget")
    table = "\n".join(lines) + "\n"
    (args.report.parent / "runtime.md").write_text(table)
    print(table)
    for problem in problems:
        print(f"BUDGET: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
