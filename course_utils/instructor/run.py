"""The run loop: grade each submission in a sandboxed kernel, then check its answers.

For each submission, :func:`grade_submissions` reads the notebook leniently (Colab's
downloads included), plans it (:mod:`course_utils.instructor.plan`), starts a kernel in a
sandbox of its own (:mod:`course_utils.instructor.kernel`), runs the student's cells with
the time and memory limits, and after each exercise's cells has the kernel write that
exercise's answers to files (:mod:`course_utils.exercises.answers`). Then the kernel's
whole process tree is killed, the answer files are copied out of the sandbox's folder
(plain files only), and the checker (:mod:`course_utils.instructor.checker`) judges them
with the lesson's checks. Nothing the student's code did can reach the verdicts, the other
submissions or the results, which are written only after every sandbox of the run is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from course_utils.instructor.checker import Checker
from course_utils.instructor.kernel import KernelSession, KernelStartError
from course_utils.instructor.lesson import Lesson, LessonError, fetch_data
from course_utils.instructor.plan import cell_place, plan_submission
from course_utils.instructor.sandbox import Sandbox, available

__all__ = [
    "RESULTS",
    "STATUSES",
    "ExerciseResult",
    "Limits",
    "Submission",
    "grade_submissions",
    "read_submission",
    "submission_language",
]

#: The results an exercise can have, best first.
RESULTS = ("passed", "wrong", "error", "not answered", "not run")
#: The values of the ``status`` column.
STATUSES = ("ok", "errors", "timeout", "memory", "not a notebook")
#: Seconds the kernel may take to write one exercise's answers to files.
COLLECT_SECONDS = 300.0
#: The most an exercise's collected answers may weigh; more is not copied out.
COLLECT_MIB = 512

log = logging.getLogger("course_utils.instructor")
_CELL_FILE = re.compile(r"\((?:[^()\s]*/)?\d+\.py, line (\d+)\)")
_LANGUAGE_CALL = re.compile(r"\bsetup\s*\([^)]*language\s*=\s*['\"](\w+)['\"]")


@dataclass(frozen=True)
class Limits:
    """The grader's limits."""

    cell_timeout: float = 120.0
    timeout: float = 900.0
    memory_mib: int = 4096
    check_timeout: float = 300.0


@dataclass
class ExerciseResult:
    """The result of one exercise: one of :data:`RESULTS`, its diagnosis and message."""

    result: str
    message: str = ""
    diagnosis: str = ""

    @property
    def points(self) -> int:
        return int(self.result == "passed")


@dataclass
class Submission:
    """The grading of one submitted file."""

    path: Path
    file: str
    feedback_name: str = ""
    status: str = "ok"
    language: str = "en"
    results: dict[str, ExerciseResult] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)  # {"kind": ..., fields}
    skipped_cells: list[dict[str, Any]] = field(default_factory=list)  # cells calling a check
    reason: str = ""  # why a file is "not a notebook"
    graded: bool = True  # False if the grader itself failed (no kernel)
    seconds: float = 0.0
    peak_mib: float = 0.0
    cpu_seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(result.points for result in self.results.values())


def _one_line(text: Any, limit: int = 400) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_submission(path: Path) -> nbformat.NotebookNode:
    """Read a submitted notebook leniently: anything nbformat can read and convert to
    version 4 counts, invalid metadata and all (Colab's included).

    Raises:
        ValueError: if the file is not a notebook.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValueError("the file is not text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"the file is not JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells", []), list):
        raise ValueError("the file is JSON but not a notebook")
    if "nbformat" not in data:
        raise ValueError("the file is JSON but not a notebook (no nbformat)")
    quiet = logging.getLogger("traitlets")  # where nbformat reports an invalid notebook
    was_disabled, quiet.disabled = quiet.disabled, True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(text, as_version=4)
    except Exception as error:
        raise ValueError(f"nbformat cannot read it ({_one_line(error)})") from None
    finally:
        quiet.disabled = was_disabled
    if not isinstance(notebook.get("cells"), list):
        raise ValueError("the file is JSON but not a notebook (no list of cells)")
    return notebook


def submission_language(notebook: Any, default: str = "en") -> str:
    """The language the student worked in: the notebook's ``language`` metadata (the
    Korean editions have ``"ko"``), else the language its setup call chose, else
    ``default``.

    >>> submission_language({"metadata": {"language": "ko"}, "cells": []})
    'ko'
    >>> cell = {"cell_type": "code", "source": 'course_utils.setup(seed=42, language="ko")'}
    >>> submission_language({"metadata": {}, "cells": [cell]})
    'ko'
    """
    from course_utils.i18n import LANGUAGES

    metadata = notebook.get("metadata") if isinstance(notebook, dict) else None
    language = metadata.get("language") if isinstance(metadata, dict) else None
    if isinstance(language, str) and language in LANGUAGES:
        return language
    for cell in notebook.get("cells", []) if isinstance(notebook, dict) else []:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            found = _LANGUAGE_CALL.search(source)
            if found and found.group(1) in LANGUAGES:
                return found.group(1)
    return default


def _best(results: list[ExerciseResult]) -> ExerciseResult:
    return min(results, key=lambda r: RESULTS.index(r.result))


def _collect_source(names: Sequence[str], folder: Path, probes: dict[str, Any]) -> str:
    request = json.dumps(
        [list(names), str(folder), {k: [list(c) for c in v] for k, v in probes.items()}]
    )
    return (
        f"__course_request = __import__('json').loads({request!r})\n"
        "__import__('course_utils.exercises.answers', fromlist=['export']).export(\n"
        "    {n: globals()[n] for n in __course_request[0] if n in globals()},\n"
        "    __course_request[1],\n"
        "    {k: [tuple(c) for c in v] for k, v in __course_request[2].items()},\n"
        ")\n"
        "del __course_request"
    )


def _copy_out(source: Path, target: Path) -> str | None:
    """Copy the plain files of a collected answers folder out of a sandbox's folder; the
    reason when it cannot be (a link, a folder too large)."""
    if source.is_symlink() or not source.is_dir():
        return "the answers were not written"
    total = 0
    target.mkdir(parents=True)
    for entry in source.iterdir():
        if entry.is_symlink() or not entry.is_file():
            continue  # the manifest names plain files only; anything else is not read
        total += entry.stat().st_size
        if total > COLLECT_MIB * 2**20:
            return f"the answers take more than {COLLECT_MIB} MiB"
        shutil.copyfile(entry, target / entry.name, follow_symlinks=False)
    return None


@dataclass
class _Run:
    """What the submissions of one run share."""

    lesson: Lesson
    limits: Limits
    root: Path
    bwrap: str | None
    hidden: tuple[Path, ...]
    checker: Checker
    python: str
    env: dict[str, str]
    sessions: list[KernelSession] = field(default_factory=list)


async def _grade(submission: Submission, number: int, run: _Run) -> None:
    lesson, limits = run.lesson, run.limits
    name = submission.file
    try:
        notebook = read_submission(submission.path)
    except (OSError, ValueError) as error:
        submission.status = "not a notebook"
        submission.reason = str(error)
        submission.results = {label: ExerciseResult("not run") for label in lesson.labels}
        log.info("%s: not a notebook: %s", name, error)
        return
    submission.language = submission_language(notebook, lesson.language)
    steps, skipped = plan_submission(notebook, lesson.labels)
    submission.skipped_cells = [cell_place(index, source) for index, source in skipped]
    workdir = run.root / "submissions" / f"{number:04d}"
    session = KernelSession(
        Sandbox(workdir, hidden=run.hidden),
        bwrap=run.bwrap,
        memory_mib=limits.memory_mib,
        env={**run.env, "COURSE_LANGUAGE": submission.language},
        python=run.python,
    )
    run.sessions.append(session)
    collected: list[tuple[str, Path]] = []
    stopped: dict[str, Any] | None = None
    timed_out = False
    try:
        try:
            await session.start()
        except KernelStartError as error:
            submission.graded = False
            stopped = {"kind": "no-kernel", "error": _one_line(error)}
            submission.problems.append(stopped)
            submission.results = {
                label: ExerciseResult("not run", "", "no-kernel") for label in lesson.labels
            }
            log.error("%s: the grader could not start a kernel: %s", name, error)
            return
        log.info("%s: kernel started (%d steps)", name, len(steps))
        deadline = time.monotonic() + limits.timeout
        for step in steps:
            where = (
                cell_place(step.cell, step.source) if step.kind == "cell" else {"label": step.label}
            )
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                stopped = {"kind": "notebook-timeout", **where, "seconds": limits.timeout}
                break
            if step.kind == "collect":
                folder = workdir / "answers" / f"{len(collected) + 1:02d}"
                exercise = lesson.exercise(step.label)
                source = _collect_source(exercise.answers, folder, exercise.probes)
                result = await session.run(source, min(COLLECT_SECONDS, left), store_history=False)
                if result.status == "ok":
                    collected.append((step.label, folder))
                elif result.status == "stopped":
                    stopped = {"kind": "memory" if session.over_memory else "died", **where}
                    break
                else:
                    submission.problems.append(
                        {
                            "kind": "collect-failed",
                            "label": step.label,
                            "error": _one_line(result.error),
                        }
                    )
                continue
            limit = min(limits.cell_timeout, left)
            result = await session.run(step.source, limit)
            if result.status == "error":
                error = _CELL_FILE.sub(r"(line \1)", result.error)  # IPython's name of the cell
                submission.problems.append(
                    {"kind": "cell-error", **where, "error": _one_line(error)}
                )
            elif result.status == "timeout":
                timed_out = True
                if limit < limits.cell_timeout:
                    stopped = {"kind": "notebook-timeout", **where, "seconds": limits.timeout}
                    break
                submission.problems.append(
                    {"kind": "cell-timeout", **where, "seconds": limits.cell_timeout}
                )
                if not await session.responsive():
                    stopped = {"kind": "unresponsive", **where}
                    break
            elif result.status == "stopped":
                kind = "memory" if session.over_memory else "died"
                stopped = {"kind": kind, **where, "mib": limits.memory_mib}
                break
        if stopped is not None:
            submission.problems.append(stopped)
            if session.over_memory:
                log.warning(
                    "%s: its processes used %.0f MiB, over the memory limit of %d MiB: "
                    "all of them stopped",
                    name,
                    session.peak_mib(),
                    limits.memory_mib,
                )
            else:
                log.warning("%s: %s", name, stopped)
    finally:
        submission.peak_mib = session.peak_mib()
        submission.cpu_seconds = session.cpu_seconds()
        await session.stop()
        if session.over_memory:
            submission.status = "memory"
        elif timed_out:
            submission.status = "timeout"
        elif submission.problems:
            submission.status = "errors"
    # The kernel and everything it started are gone: its answers are plain files now.
    checked: dict[str, list[ExerciseResult]] = {}
    exchange = run.root / "answers" / f"{number:04d}"
    for index, (label, folder) in enumerate(collected, start=1):
        copy = exchange / f"{index:02d}"
        problem = _copy_out(folder, copy)
        if problem:
            checked.setdefault(label, []).append(ExerciseResult("error", problem, "not-collected"))
            continue
        verdict = await run.checker.judge(label, copy, submission.language)
        checked.setdefault(label, []).append(
            ExerciseResult(verdict.result, verdict.message, verdict.diagnosis)
        )
        log.info("%s: %s: %s %s", name, label, verdict.result, verdict.diagnosis)
    reason = stopped["kind"] if stopped else "not-run"
    submission.results = {
        label: _best(checked[label]) if label in checked else ExerciseResult("not run", "", reason)
        for label in lesson.labels
    }


def _hidden(paths: Sequence[Path], output: Path | None) -> tuple[Path, ...]:
    folders = {p.resolve().parent if p.is_file() else p.resolve() for p in paths}
    if output is not None:
        folders.add(output.resolve())
    return tuple(sorted(folders))


async def _grade_all(submissions: list[Submission], run: _Run, jobs: int, progress: Any) -> None:
    gate = asyncio.Semaphore(jobs)
    done = 0

    async def one(number: int, submission: Submission) -> None:
        nonlocal done
        async with gate:
            start = time.monotonic()
            log.info("%s: grading", submission.file)
            await _grade(submission, number, run)
            submission.seconds = time.monotonic() - start
            done += 1
            log.info(
                "%s: %d of %d passed, status %s, %.1f s, peak %.0f MiB",
                submission.file,
                submission.total,
                len(run.lesson.labels),
                submission.status,
                submission.seconds,
                submission.peak_mib,
            )
            if progress is not None:
                progress(done, len(submissions), submission)

    checker = asyncio.create_task(run.checker.start())
    try:
        await asyncio.gather(*(one(n, s) for n, s in enumerate(submissions, start=1)))
    finally:
        if not checker.done():
            checker.cancel()
        with contextlib.suppress(BaseException):
            await checker  # its failure is kept in run.checker.failure
        await run.checker.stop()
        for session in run.sessions:
            await session.stop()
    leftover = [s for s in run.sessions if not s.gone()]
    if leftover:  # pragma: no cover - stop() waits for every process of a tree
        raise RuntimeError(f"{len(leftover)} sandboxes are still running")


def grade_submissions(
    lesson: Lesson,
    paths: Sequence[Path],
    limits: Limits | None = None,
    jobs: int = 1,
    *,
    output: Path | None = None,
    python: str | None = None,
    progress: Any = None,
) -> list[Submission]:
    """Grade each file of ``paths`` against ``lesson``; the results in the same order.

    Returns only once every kernel of the run, the checker's included, and every process
    they started are gone. ``output`` (the results' folder) is hidden from the sandboxes,
    as are the folders of the submissions.
    """
    import sys

    limits = limits or Limits()
    bwrap = available()
    if bwrap is None:
        log.warning("no bubblewrap: the kernels run WITHOUT a sandbox")
    fetch_data(lesson)
    submissions = [Submission(path=Path(p), file=str(p)) for p in paths]
    with tempfile.TemporaryDirectory(prefix="course-grade-") as folder:
        root = Path(folder)
        hidden = _hidden([Path(p) for p in paths], output)
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("COURSE_VERIFY_ANSWERS",)},
            "MPLBACKEND": "Agg",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        checker = Checker(
            lesson,
            root / "checker",
            root / "answers",
            bwrap=bwrap,
            hidden=hidden,
            cell_timeout=max(limits.timeout, limits.cell_timeout),
            check_timeout=limits.check_timeout,
            env={**env, "COURSE_LANGUAGE": lesson.language},
        )
        (root / "answers").mkdir()
        run = _Run(lesson, limits, root, bwrap, hidden, checker, python or sys.executable, env)
        asyncio.run(_grade_all(submissions, run, max(1, jobs), progress))
    if checker.failure:
        raise LessonError(checker.failure)
    log.info("the checker built the lesson's context in %.1f s", checker.seconds)
    return submissions
