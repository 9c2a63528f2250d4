"""A Gradescope autograder for a lesson: the same checks and limits, one submission at a time.

``python -m course_utils.instructor gradescope LESSON --output autograder.zip`` writes the
zip Gradescope asks for (its "Autograder Specifications"): ``setup.sh`` (installs Python's
course environment, the course's helpers at this version with the instructor's tools, and
bubblewrap), ``run_autograder`` and ``source/`` with the instructor's notebook and the
grading settings. On Gradescope, for each submission, ``run_autograder`` runs
``python -m course_utils.instructor gradescope-run``, which grades the one notebook in
``/autograder/submission`` exactly as the class grader does (a sandbox where the container
allows one, the checks outside the student's kernel) and writes
``/autograder/results/results.json``: one test per exercise (1 point each, its feedback in
the language of the student's notebook), the total, and the run's problems. A file that is
not a notebook, a notebook of another lesson, or a grader failure gives a score of 0 and a
message, never a crash. ``--root`` (or ``AUTOGRADER_ROOT``) moves ``/autograder``, for
testing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import traceback
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from course_utils import __version__
from course_utils.i18n import N_, _, language

__all__ = ["build", "build_main", "results_for", "run", "run_main"]

DEFAULT_REPOSITORY = "https://github.com/keras-course/deep-learning-with-keras"
_LABELS = re.compile(r"(?::label:|<!--\s*exercise:)\s*(ex-[\w-]+)")

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, to build the autograder's image.
set -euo pipefail
apt-get update
apt-get install -y python3 python3-venv python3-pip git bubblewrap
python3 - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit("The course needs Python 3.11 or newer: choose Gradescope's Ubuntu 24.04 image.")
PY
python3 -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --quiet --upgrade pip
/autograder/venv/bin/python -m pip install --quiet -r /autograder/source/requirements.txt
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it always writes results/results.json.
root="${AUTOGRADER_ROOT:-/autograder}"
python="${AUTOGRADER_PYTHON:-$root/venv/bin/python}"
cd "$root"
exec "$python" -m course_utils.instructor gradescope-run --root "$root"
"""


def build(
    lesson: Path,
    output: Path,
    *,
    requirement: str,
    settings: dict[str, Any],
) -> Path:
    """Write the autograder's zip for ``lesson`` to ``output``.

    Raises:
        LessonError: if the lesson cannot be graded (read with the class grader's rules).
    """
    from course_utils.instructor.lesson import load_lesson

    load_lesson(lesson)  # refuse a lesson the grader cannot use, now rather than on Gradescope
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text, mode in (
            ("setup.sh", SETUP_SH, 0o755),
            ("run_autograder", RUN_AUTOGRADER, 0o755),
            ("requirements.txt", requirement + "\n", 0o644),
            ("settings.json", json.dumps(settings, indent=1) + "\n", 0o644),
        ):
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o100000 | mode) << 16
            archive.writestr(info, text)
        archive.write(lesson, "lesson.ipynb")
    return output


def build_main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.instructor gradescope",
        description="Write a Gradescope autograder (a zip) for a lesson.",
    )
    parser.add_argument("lesson", type=Path, help="the instructor's notebook (with solutions)")
    parser.add_argument("--output", type=Path, default=Path("autograder.zip"))
    parser.add_argument(
        "--requirement",
        default=f"course-utils[instructor] @ git+{DEFAULT_REPOSITORY}@v{__version__}",
        help="what setup.sh installs (default: this version of the course's helpers)",
    )
    parser.add_argument("--cell-timeout", type=float, default=120.0)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--memory", type=int, default=4096)
    parser.add_argument("--check-timeout", type=float, default=300.0)
    args = parser.parse_args(argv)
    from course_utils.instructor.lesson import LessonError

    settings = {
        "cell_timeout": args.cell_timeout,
        "timeout": args.timeout,
        "memory_mib": args.memory,
        "check_timeout": args.check_timeout,
        "course_utils": __version__,
    }
    try:
        build(args.lesson, args.output, requirement=args.requirement, settings=settings)
    except LessonError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {args.output}: upload it as the assignment's autograder on Gradescope")
    return 0


# --- on Gradescope -----------------------------------------------------------------------


def _zero(message: str, started: float) -> dict[str, Any]:
    return {
        "score": 0.0,
        "execution_time": int(time.monotonic() - started),
        "output": message,
        "output_format": "md",
        "stdout_visibility": "hidden",
        "tests": [],
    }


def _notebook_labels(path: Path) -> set[str]:
    try:
        return set(_LABELS.findall(path.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return set()


def results_for(submission: Any, lesson: Any, started: float) -> dict[str, Any]:
    """``results.json`` for a graded submission: one test per exercise."""
    from course_utils.instructor.report import _result_line, feedback_text

    with language(submission.language):
        tests = []
        for number, label in enumerate(lesson.labels, start=1):
            result = submission.results[label]
            tests.append(
                {
                    "name": label,
                    "number": str(number),
                    "score": float(result.points),
                    "max_score": 1.0,
                    "status": "passed" if result.points else "failed",
                    "output": _result_line(label, submission)[2:],
                    "output_format": "md",
                    "visibility": "visible",
                }
            )
        text = feedback_text(submission, lesson)
    return {
        "score": float(submission.total),
        "execution_time": int(time.monotonic() - started),
        "output": text,
        "output_format": "md",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def run(root: Path) -> dict[str, Any]:
    """Grade the one notebook in ``root/submission``; never raises."""
    started = time.monotonic()
    try:
        from course_utils.instructor.lesson import LessonError, load_lesson
        from course_utils.instructor.run import Limits, grade_submissions

        settings = json.loads((root / "source" / "settings.json").read_text(encoding="utf-8"))
        lesson = load_lesson(root / "source" / "lesson.ipynb")
        files = sorted(p for p in (root / "submission").rglob("*") if p.is_file())
        notebooks = [p for p in files if p.suffix == ".ipynb"]
        with language("en"):
            if not notebooks:
                names = ", ".join(p.name for p in files) or _("nothing")
                return _zero(
                    _(
                        "No notebook was submitted (received: {names}). Hand in the .ipynb "
                        "file that Colab downloads (File → Download → Download .ipynb)."
                    ).format(names=names),
                    started,
                )
            if len(notebooks) > 1:
                return _zero(
                    _("Submit one notebook; received {count}: {names}.").format(
                        count=len(notebooks), names=", ".join(p.name for p in notebooks)
                    ),
                    started,
                )
        path = notebooks[0]
        found = _notebook_labels(path)
        if found and not found & set(lesson.labels):
            with language(_language_of(path, lesson.language)):
                return _zero(
                    _(
                        "This notebook is not this lesson's: it has the exercises {found}, and "
                        "this assignment grades {expected}. Submit the notebook of this lesson."
                    ).format(found=", ".join(sorted(found)), expected=", ".join(lesson.labels)),
                    started,
                )
        limits = Limits(
            settings.get("cell_timeout", 120.0),
            settings.get("timeout", 900.0),
            settings.get("memory_mib", 4096),
            settings.get("check_timeout", 300.0),
        )
        (submission,) = grade_submissions(lesson, [path], limits, 1, output=root / "results")
        return results_for(submission, lesson, started)
    except LessonError as error:
        return _zero(
            _(N_("The autograder's lesson cannot be used: {error}")).format(error=error), started
        )
    except Exception:
        detail = traceback.format_exc(limit=3).strip().splitlines()[-1]
        return _zero(
            _("The autograder failed ({error}). Tell your instructor.").format(error=detail),
            started,
        )


def _language_of(path: Path, default: str) -> str:
    from course_utils.instructor.run import read_submission, submission_language

    try:
        return submission_language(read_submission(path), default)
    except (OSError, ValueError):
        return default


def run_main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.instructor gradescope-run",
        description="Grade the submission in /autograder/submission (Gradescope runs this).",
    )
    parser.add_argument(
        "--root", type=Path, default=Path(os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    )
    args = parser.parse_args(argv)
    results = run(args.root)
    folder = args.root / "results"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(
        json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    print(f"score {results['score']}; {len(results['tests'])} tests")
    return 0
