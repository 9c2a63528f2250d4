"""The instructor's command line: ``python -m course_utils.instructor COMMAND ...``.

Commands:

* ``grade LESSON SUBMISSIONS... --output DIR``: grade a class's notebooks (see
  :mod:`course_utils.instructor.run`); writes ``grades.csv``, ``gradebook.csv``,
  ``feedback/``, ``report.html`` and ``grading.log``. Exit status 0 when every submission
  was graded (wrong answers and broken notebooks included), 1 for an unusable lesson, a
  missing path or no submissions, 2 when a kernel could not be started for a submission.
* ``notebooks ...``: student, instructor and verification notebooks (see
  :mod:`course_utils.instructor.notebooks`).
* ``gradescope LESSON --output ZIP``: a Gradescope autograder for the lesson, and
  ``gradescope-run``, what that autograder runs (see
  :mod:`course_utils.instructor.gradescope`).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["collect", "grade_main", "main"]


def collect(arguments: Sequence[Path], lesson: Path, output: Path) -> list[Path]:
    """The submitted files: each file given, and every non-hidden file under each folder."""
    found: list[Path] = []
    seen: set[Path] = set()
    skip = {lesson.resolve()}
    output = output.resolve()
    for argument in arguments:
        if argument.is_dir():
            files = sorted(
                p
                for p in argument.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(argument).parts)
                and not p.resolve().is_relative_to(output)
            )
        elif argument.exists():
            files = [argument]
        else:
            raise FileNotFoundError(f"{argument}: no such file or folder")
        for path in files:
            resolved = path.resolve()
            if resolved in seen or resolved in skip:
                continue
            seen.add(resolved)
            found.append(path)
    return found


def _positive(kind: type) -> Any:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < 0 or (value == 0 and kind is not int):
            raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
        return value

    return parse


def grade_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Run students' notebooks, each in a sandbox of its own, and grade their "
        "answers with the lesson's checks, outside the students' kernels.",
    )
    parser.add_argument("lesson", type=Path, help="the instructor's notebook (with solutions)")
    parser.add_argument(
        "submissions", nargs="*", type=Path, help="submitted notebooks, or folders of them"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("grades"),
        help="folder for grades.csv, gradebook.csv, feedback/, report.html and grading.log "
        "(default: grades)",
    )
    parser.add_argument(
        "--cell-timeout",
        type=_positive(float),
        default=120.0,
        help="seconds a cell may run before it is interrupted (default: 120)",
    )
    parser.add_argument(
        "--timeout",
        type=_positive(float),
        default=900.0,
        help="seconds all cells of one notebook may take (default: 900)",
    )
    parser.add_argument(
        "--memory",
        type=_positive(int),
        default=4096,
        help="MiB of memory a notebook's kernel and its processes may use together; 0 for "
        "no limit (default: 4096)",
    )
    parser.add_argument(
        "--check-timeout",
        type=_positive(float),
        default=300.0,
        help="seconds one exercise's check may take (default: 300)",
    )
    parser.add_argument(
        "--jobs", type=_positive(int), default=1, help="submissions graded at the same time"
    )
    parser.add_argument(
        "--language",
        default="en",
        choices=["en", "ko"],
        help="language of the class report (the feedback follows each student's notebook)",
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the Python interpreter whose ipykernel runs the notebooks (default: this one)",
    )
    return parser


def grade_main(
    argv: Sequence[str] | None = None, prog: str = "python -m course_utils.instructor grade"
) -> int:
    """``grade``: see the module's description; returns the exit status."""
    args = grade_parser(prog).parse_args(argv)
    try:
        import nbclient  # noqa: F401
        import psutil  # noqa: F401
    except ImportError:
        print(
            "error: the grader needs the instructor's tools: pip install 'course-utils[instructor]'",
            file=sys.stderr,
        )
        return 1
    from course_utils.instructor.lesson import LessonError, load_lesson
    from course_utils.instructor.report import write_outputs
    from course_utils.instructor.run import Limits, grade_submissions, log
    from course_utils.instructor.sandbox import available

    try:
        lesson = load_lesson(args.lesson)
        paths = collect(args.submissions, args.lesson, args.output)
    except (LessonError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not paths:
        print(
            "error: no submissions: give the submitted notebooks, or folders that hold them",
            file=sys.stderr,
        )
        return 1
    if available() is None:
        print(
            "warning: no working bubblewrap (Linux: apt-get install bubblewrap): the "
            "notebooks run WITHOUT a sandbox, with your permissions; their process trees "
            "are still limited and stopped. Grade untrusted work on a Linux machine with "
            "bubblewrap, or in a container or virtual machine without network.",
            file=sys.stderr,
        )
    args.output.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(args.output / "grading.log", mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False

    def progress(done: int, total: int, submission: Any) -> None:
        print(
            f"[{done}/{total}] {submission.file}: {submission.total} of {len(lesson.labels)} "
            f"passed ({submission.status}, {submission.seconds:.1f} s)",
            flush=True,
        )

    try:
        log.info(
            "lesson %s: exercises %s; %d submissions; cell timeout %g s, timeout %g s, "
            "memory %d MiB, check timeout %g s, %d jobs",
            args.lesson,
            ", ".join(lesson.labels),
            len(paths),
            args.cell_timeout,
            args.timeout,
            args.memory,
            args.check_timeout,
            args.jobs,
        )
        limits = Limits(args.cell_timeout, args.timeout, args.memory, args.check_timeout)
        try:
            submissions = grade_submissions(
                lesson,
                paths,
                limits,
                args.jobs,
                output=args.output,
                python=args.python,
                progress=progress,
            )
        except KeyboardInterrupt:
            print("interrupted: nothing written", file=sys.stderr)
            log.warning("interrupted")
            return 130
        except LessonError as error:
            print(f"error: {error}", file=sys.stderr)
            log.error("%s", error)
            return 1
        write_outputs(args.output, submissions, lesson, language_code=args.language)
        log.info("wrote %s", args.output)
    finally:
        log.removeHandler(handler)
        handler.close()
    print(
        f"graded {len(submissions)} submission{'s' if len(submissions) != 1 else ''}: "
        f"{args.output / 'grades.csv'}, {args.output / 'report.html'}, "
        f"{args.output / 'feedback'}/, {args.output / 'grading.log'}"
    )
    failed = [s.file for s in submissions if not s.graded]
    if failed:
        print(f"error: could not grade {', '.join(failed)} (see grading.log)", file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m course_utils.instructor COMMAND ...``; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {
        "grade": lambda rest: grade_main(rest),
        "notebooks": lambda rest: __import__(
            "course_utils.instructor.notebooks", fromlist=["main"]
        ).main(rest),
        "gradescope": lambda rest: __import__(
            "course_utils.instructor.gradescope", fromlist=["build_main"]
        ).build_main(rest),
        "gradescope-run": lambda rest: __import__(
            "course_utils.instructor.gradescope", fromlist=["run_main"]
        ).run_main(rest),
    }
    if not argv or argv[0] not in commands:
        names = ", ".join(commands)
        print(
            f"usage: python -m course_utils.instructor {{{names}}} ...\n"
            "  grade       grade a class's notebooks (--help for the options)\n"
            "  notebooks   write student, instructor and verification notebooks\n"
            "  gradescope  write a Gradescope autograder for a lesson\n"
            "  gradescope-run  what that autograder runs on Gradescope",
            file=sys.stderr,
        )
        return 2
    return int(commands[argv[0]](argv[1:]) or 0)
