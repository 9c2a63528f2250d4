"""Grade a class's notebooks: run each submission and the lesson's own checks on it.

Usage::

    python -m course_utils.grade LESSON SUBMISSIONS... --output DIR
    course-grade notebooks/03_tabular_mlp.ipynb submitted/ --output grades/lesson03

``LESSON`` is the instructor's notebook (the lesson with its solutions); it says which
exercises there are, in which order, and, for a lesson whose checks are not registered in
:mod:`course_utils.exercises` yet, what its check cells do. ``SUBMISSIONS`` are the
students' notebooks as Google Colab downloads them, or folders of them (every file in a
folder and its subfolders, hidden ones excepted, is a submission).

Each submission runs in a fresh Python kernel, in a temporary folder of its own, cell after
cell, going on past errors. The submission's own check cells never run: a code cell tagged
``check`` or ``wrong-answer``, or that calls ``exercises.check(``, ``exercises.assert_...(``
or ``checks.check_...(``, is skipped. Instead, after the cells of each exercise (from the
markdown cell that carries the exercise's ``:label:`` to the next label or the end of the
notebook; an exercise whose markdown cell was deleted is checked at the end), the grader
runs in the same kernel the lesson's check, ``exercises.check(label, globals())``, with
``course_utils.checks``, ``course_utils.exercises`` and its lesson modules imported afresh
for that check, so that a student who replaced ``checks.check_number`` or
``exercises.check`` changes nothing. A check that is not registered (a lesson in the old
format) falls back to the lesson's own check cells, run with the fresh modules. A label
that occurs several times is checked after each occurrence, and the best result counts.

Limits: ``--cell-timeout`` seconds per cell (the cell is interrupted and the notebook goes
on), ``--timeout`` seconds for the whole notebook (kernel start not counted; then the
grading of that notebook stops), ``--memory`` MiB for the kernel and its child processes
(their resident memory, read from ``/proc``; the kernel is killed when over).

Writes to ``DIR``:

* ``grades.csv``: one row per submission: ``file``, one column per exercise label in the
  lesson's order (1 passed, 0 otherwise), ``total`` and ``status``: ``ok`` (every cell ran
  without an error), ``errors`` (some cell raised an error, or the kernel died),
  ``timeout`` (a cell or the notebook ran past its time limit), ``memory`` (the kernel went
  over the memory limit and was stopped) or ``not a notebook``;
* ``feedback/<submission stem>.md``: each exercise's label, result (``passed``, ``wrong``,
  ``not answered``, ``error``, ``not run``) and message, and the errors of the student's
  cells in short;
* ``grading.log``: what the grader did, with times.

The exit status is 0 when every submission was graded (wrong answers and broken notebooks
included), 1 for an unusable lesson, a missing path or no submissions, 2 when a kernel
could not be started for some submission.

This is not a security sandbox: the students' code runs with your permissions. Grade
untrusted notebooks in a container or virtual machine without network access (see the
instructor guide).
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import contextlib
import csv
import io
import json
import logging
import math
import os
import re
import signal
import sys
import tempfile
import time
import tokenize
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from course_utils.exercise_format import exercise_label

__all__ = [
    "RESULTS",
    "STATUSES",
    "ExerciseResult",
    "Lesson",
    "LessonError",
    "Limits",
    "Submission",
    "calls_check",
    "feedback_text",
    "grade_submissions",
    "load_lesson",
    "main",
    "only_checks",
    "plan_submission",
    "read_submission",
    "write_outputs",
]

#: The results an exercise can have, best first.
RESULTS = ("passed", "wrong", "error", "not answered", "not run")
#: The values of the ``status`` column.
STATUSES = ("ok", "errors", "timeout", "memory", "not a notebook")

MIME = "application/vnd.course-grade+json"
_TIMEOUT_ENAME = "CourseGradeTimeout"
_CHECK_CALL = re.compile(
    r"\b(?:exercises\s*\.\s*(?:check|assert_\w+)|checks\s*\.\s*check_\w+)\s*\("
)
_REGISTRATION = re.compile(r"(?:@\s*|\bexercises\s*\.\s*)exercise\s*\(")
_CELL_FILE = re.compile(r"\((?:[^()\s]*/)?\d+\.py, line (\d+)\)")
_SKIPPED_TAGS = {"check", "wrong-answer"}
_FRESH_MODULES = ("course_utils.checks", "course_utils.exercises")
_POLL_SECONDS = 0.2
# How long the grader waits for a kernel to answer (after an interruption, for the output
# of a cell whose reply came) before it gives up on it: far beyond what a busy machine needs.
_RESPONSIVE_SECONDS = 60.0
_IOPUB_SECONDS = 60.0
_STARTUP_SECONDS = 180.0

log = logging.getLogger("course_utils.grade")


class LessonError(ValueError):
    """The instructor's notebook cannot be used for grading."""


# --- the lesson -----------------------------------------------------------------------


@dataclass
class LessonExercise:
    """One exercise of the lesson: its label and the sources of its check cells."""

    label: str
    check_sources: list[str] = field(default_factory=list)


@dataclass
class Lesson:
    """What the grader takes from the instructor's notebook."""

    path: Path
    exercises: list[LessonExercise]
    registrations: list[str] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [exercise.label for exercise in self.exercises]

    def exercise(self, label: str) -> LessonExercise:
        return next(e for e in self.exercises if e.label == label)


def _source(cell: Any) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(str(line) for line in source)
    return source if isinstance(source, str) else ""


def _tags(cell: Any) -> set[str]:
    metadata = cell.get("metadata")
    tags = metadata.get("tags", []) if isinstance(metadata, dict) else []
    return {tag for tag in tags if isinstance(tag, str)} if isinstance(tags, list) else set()


def _lesson_exercises(notebook: nbformat.NotebookNode, name: str) -> list[tuple[str, list[int]]]:
    """The lesson's exercises as (label, check cell indices), read by the strict parser."""
    from course_utils.exercise_format import parse

    return [(item.label, list(item.check_cells)) for item in parse(notebook, name).exercises]


def load_lesson(path: Path) -> Lesson:
    """Read the instructor's notebook: its exercises, check cells and check registrations.

    Raises:
        LessonError: if the file cannot be read, breaks the exercise format or has no
            exercise.
    """
    path = Path(path)
    if not path.is_file():
        raise LessonError(f"{path}: no such file")
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:
        raise LessonError(f"{path}: not a notebook ({_one_line(error)})") from None
    try:
        found = _lesson_exercises(notebook, str(path))
    except ValueError as error:
        raise LessonError(f"{error}") from None
    if not found:
        raise LessonError(
            f"{path}: the lesson has no exercise (a markdown cell with an {{exercise}} "
            "directive and a :label:)"
        )
    exercises = [
        LessonExercise(label, [_source(notebook.cells[index]) for index in checks])
        for label, checks in found
    ]
    registrations = [
        _source(cell)
        for cell in notebook.cells
        if cell.get("cell_type") == "code" and _REGISTRATION.search(_source(cell))
    ]
    return Lesson(path=path, exercises=exercises, registrations=registrations)


def _unchecked_labels(lesson: Lesson) -> list[str]:
    """Labels with neither a registered check, nor a registration in the lesson, nor a
    check cell."""
    try:
        from course_utils import exercises

        registered = set(exercises.all_exercises())
    except Exception as error:  # a broken lesson module: the kernel will say so per check
        log.warning("could not load course_utils.exercises: %s", _one_line(error))
        registered = set()
    return [
        e.label
        for e in lesson.exercises
        if e.label not in registered
        and not any(e.label in source for source in lesson.registrations)
        and not any(source.strip() for source in e.check_sources)
    ]


# --- a submission's plan --------------------------------------------------------------


@dataclass
class Step:
    """One thing to run in the submission's kernel: a student's cell or a check."""

    kind: str  # "cell" or "check"
    source: str = ""
    cell: int | None = None  # the submission's cell index, for a "cell"
    label: str | None = None  # the exercise checked, for a "check"


def _without_comments(source: str) -> str:
    try:
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        return " ".join(t.string for t in tokens if t.type != tokenize.COMMENT)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return "\n".join(line.split("#", 1)[0] for line in source.splitlines())


def _top_level_code(tree: ast.AST) -> list[ast.AST]:
    """The nodes that run when the module runs: function and class bodies left out."""
    found, queue = [], [tree]
    while queue:
        node = queue.pop()
        found.append(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                queue.extend(child.decorator_list if hasattr(child, "decorator_list") else [])
                continue
            queue.append(child)
    return found


def _python(source: str) -> ast.Module | None:
    """The cell's code as Python (IPython's magics translated), or None if it is not."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return ast.parse(TransformerManager().transform_cell(source))
    except Exception:  # a syntax error, or IPython missing
        return None


def _is_check_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and bool(_CHECK_CALL.match(ast.unparse(node.func) + "("))


def only_checks(source: str) -> bool:
    """True if the code does nothing but call checks (a check cell, untagged or not).

    Example:
        >>> only_checks('exercises.check("ex-a", globals())')
        True
        >>> only_checks('total = 42\\nexercises.check("ex-a", globals())')
        False
    """
    tree = _python(source)
    return tree is not None and all(
        isinstance(statement, ast.Expr) and _is_check_call(statement.value)
        for statement in tree.body
    )


def calls_check(source: str) -> bool:
    """True if running the code calls one of the course's checks; a check called inside a
    function it defines, or named in a comment, does not count.

    Example:
        >>> calls_check('exercises.check("ex-a", globals())')
        True
        >>> calls_check("total = 42  # then run exercises.check(...)")
        False
        >>> calls_check("def check(total):\\n    checks.check_number(total, 42)")
        False
    """
    tree = _python(source)
    if tree is None:  # not Python: look at the text
        return bool(_CHECK_CALL.search(_without_comments(source)))
    return any(_is_check_call(node) for node in _top_level_code(tree))


def plan_submission(
    notebook: nbformat.NotebookNode, labels: Sequence[str]
) -> tuple[list[Step], list[str]]:
    """The steps that grade ``notebook`` for the exercises ``labels``, and notes for the
    student about cells the grader did not run.

    A check follows the cells of its exercise: from the markdown cell that starts it
    (:func:`course_utils.exercise_format.exercise_label`: a ``:label:``, or a Colab
    edition's exercise heading) to the next such cell or the end; a label missing from the notebook is
    checked at the end, in the lesson's order.
    """
    known = set(labels)
    steps: list[Step] = []
    notes: list[str] = []
    anchored: set[str] = set()
    current: str | None = None
    for index, cell in enumerate(notebook.get("cells", [])):
        if not isinstance(cell, dict):
            continue
        source = _source(cell)
        if cell.get("cell_type") == "markdown":
            label = exercise_label(cell)
            if label in known:
                if current is not None:
                    steps.append(Step("check", label=current))
                current = label
                anchored.add(label)
            continue
        if cell.get("cell_type") != "code" or not source.strip():
            continue
        if _tags(cell) & _SKIPPED_TAGS:
            continue
        if calls_check(source):
            if only_checks(source):  # a check cell that lost its tag: nothing to say
                continue
            notes.append(
                f"{_cell_name(index, source)} was not run: it calls a check, and the grader "
                "runs the lesson's checks itself. Keep your answers in cells of their own."
            )
            continue
        steps.append(Step("cell", source=source, cell=index, label=current))
    if current is not None:
        steps.append(Step("check", label=current))
    steps.extend(Step("check", label=label) for label in labels if label not in anchored)
    return steps, notes


def _check_source(lesson: Lesson, label: str) -> str:
    exercise = lesson.exercise(label)
    request = json.dumps(
        {
            "label": label,
            "registrations": lesson.registrations,
            "fallback": [s for s in exercise.check_sources if s.strip()],
        }
    )
    return (
        '__import__("importlib").reload(__import__("course_utils.grade", fromlist=["_"]))'
        f"._check_in_kernel({request!r}, globals())"
    )


# --- inside the kernel ----------------------------------------------------------------


def _check_in_kernel(request: str, namespace: dict[str, Any]) -> None:
    """Run one exercise's check in a submission's kernel and publish the outcome.

    Called by the grader's own cell; the outcome goes out as display data of the type
    ``application/vnd.course-grade+json``, which the grader reads back.
    """
    from IPython.display import publish_display_data

    publish_display_data({MIME: _fresh_check(json.loads(request), namespace)})


def _fresh_check(request: dict[str, Any], namespace: dict[str, Any]) -> dict[str, str]:
    import importlib

    from IPython.core.inputtransformer2 import TransformerManager

    for name in list(sys.modules):
        if name in _FRESH_MODULES or name.startswith("course_utils.exercises."):
            del sys.modules[name]
    checks = importlib.import_module("course_utils.checks")
    exercises = importlib.import_module("course_utils.exercises")
    label = request["label"]
    python = TransformerManager().transform_cell
    try:
        for source in request["registrations"]:
            code = compile(python(source), "<the lesson's checks>", "exec")
            exec(code, {"__name__": "course_grade_lesson"})
        registered = exercises.all_exercises()
    except Exception as error:
        return {
            "result": "error",
            "message": f"the lesson's checks could not be loaded: {_one_line(error, True)}",
        }
    try:
        if label in registered:
            exercises.check(label, namespace)
        elif request["fallback"]:
            scope = dict(namespace)
            scope.update(checks=checks, exercises=exercises)
            for source in request["fallback"]:
                exec(compile(python(source), f"<the check of {label}>", "exec"), scope)
        else:
            return {"result": "error", "message": f"the lesson has no check for {label}"}
    except checks.NotAnswered as error:
        return {"result": "not answered", "message": _one_line(error)}
    except checks.AnswerError as error:
        return {"result": "wrong", "message": _one_line(error)}
    except Exception as error:
        kind = type(error).__name__
        if kind in {"NotAnswered", "WrongAnswer"}:  # raised by an older copy of the module
            result = "not answered" if kind == "NotAnswered" else "wrong"
            return {"result": result, "message": _one_line(error)}
        return {"result": "error", "message": _one_line(error, True)}
    return {"result": "passed", "message": ""}


# --- running a submission -------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """The grader's limits and options."""

    cell_timeout: float = 120.0
    timeout: float = 900.0
    memory_mib: int = 4096
    kernel: str = "python3"


@dataclass
class ExerciseResult:
    """The result of one exercise: one of :data:`RESULTS`, and the check's message."""

    result: str
    message: str = ""

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
    results: dict[str, ExerciseResult] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reason: str = ""  # why a file is "not a notebook"
    graded: bool = True  # False if the grader itself failed (no kernel)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(result.points for result in self.results.values())


def _one_line(error: BaseException | str, with_type: bool = False, limit: int = 400) -> str:
    text = str(error)
    if with_type and isinstance(error, BaseException):
        text = f"{type(error).__name__}: {text}" if text else type(error).__name__
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cell_name(index: int, source: str) -> str:
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    if len(first) > 50:
        first = first[:49] + "…"
    first = first.replace("`", "'")
    return f"cell {index + 1} (`{first}`)" if first else f"cell {index + 1}"


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


def _process_tree(pid: int) -> list[int]:
    """The process and its descendants, from /proc."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                queue.extend(int(child) for child in children.read_text().split())
            except (OSError, ValueError):
                continue
    return found


def _rss_mib(pids: Sequence[int]) -> float:
    total_kib = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kib += int(line.split()[1])
                    break
        except (OSError, ValueError, IndexError):
            continue
    return total_kib / 1024


def _kill_tree(pid: int) -> None:
    pids = _process_tree(pid)
    try:
        group = os.getpgid(pid)
    except OSError:
        group = None
    if group is not None and group != os.getpgrp():
        with contextlib.suppress(OSError):
            os.killpg(group, signal.SIGKILL)
    for each in reversed(pids):
        with contextlib.suppress(OSError):
            os.kill(each, signal.SIGKILL)


def _kernel_pid(km: Any) -> int | None:
    provisioner = getattr(km, "provisioner", None)
    pid = getattr(provisioner, "pid", None)
    if pid is None:
        process = getattr(provisioner, "process", None)
        pid = getattr(process, "pid", None)
    return pid


async def _responsive(kc: Any, seconds: float) -> bool:
    """True if the kernel answers a kernel_info request within ``seconds`` (it is idle)."""
    from queue import Empty

    msg_id = kc.kernel_info()
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        try:
            message = await kc.shell_channel.get_msg(timeout=left)
        except Empty:
            return False
        if message.get("parent_header", {}).get("msg_id") == msg_id:
            return True
    return False


def _log_tail(name: str, path: Path, lines: int = 20) -> None:
    """Copy the end of the kernel process's own output (crash messages) to the log."""
    try:
        tail = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    except OSError:
        return
    if tail:
        log.info("%s: the kernel's last output:\n    %s", name, "\n    ".join(tail))


def _best(results: list[ExerciseResult]) -> ExerciseResult:
    return min(results, key=lambda r: RESULTS.index(r.result))


async def _run(submission: Submission, lesson: Lesson, limits: Limits) -> None:
    """Grade one submission: fill in ``submission`` (results, problems, status)."""
    name = submission.file
    try:
        notebook = read_submission(submission.path)
    except (OSError, ValueError) as error:
        submission.status = "not a notebook"
        submission.reason = str(error)
        submission.results = {label: ExerciseResult("not run") for label in lesson.labels}
        log.info("%s: not a notebook: %s", name, error)
        return
    steps, submission.notes = plan_submission(notebook, lesson.labels)
    cells = sum(step.kind == "cell" for step in steps)
    log.info("%s: %d cells to run, %d checks", name, cells, len(steps) - cells)

    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    checked: dict[str, list[ExerciseResult]] = {}
    stopped = ""  # why the grading of this notebook stopped early
    timed_out = False
    memory = {"over": False, "peak": 0.0}
    replies: dict[int, dict[str, Any]] = {}
    workdir = tempfile.TemporaryDirectory(prefix="course-grade-", ignore_cleanup_errors=True)
    km = AsyncKernelManager(kernel_name=limits.kernel, log=log.getChild("kernel"))
    client = NotebookClient(
        nbformat.v4.new_notebook(),
        km=km,
        allow_errors=True,
        interrupt_on_timeout=True,
        error_on_timeout={
            "ename": _TIMEOUT_ENAME,
            "evalue": "the cell ran past its time limit",
            "traceback": [],
        },
        raise_on_iopub_timeout=False,
        iopub_timeout=_IOPUB_SECONDS,
        startup_timeout=_STARTUP_SECONDS,
        record_timing=False,
        log=log.getChild("kernel"),
    )
    client.on_cell_executed = lambda cell, cell_index, execute_reply: replies.__setitem__(
        cell_index, execute_reply
    )
    env = {**os.environ, "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    watcher: asyncio.Task | None = None
    kernel_output = Path(workdir.name) / ".kernel-output.txt"
    try:
        try:
            with open(kernel_output, "wb") as output:
                await client.async_start_new_kernel(
                    cwd=workdir.name, env=env, stdout=output, stderr=output
                )
            await client.async_start_new_kernel_client()
        except Exception as error:
            submission.graded = False
            stopped = f"the grader could not start a Python kernel ({_one_line(error, True)})"
            submission.problems.append(stopped)
            log.error("%s: %s", name, stopped)
            return
        pid = _kernel_pid(km)
        log.info("%s: kernel %s started", name, pid)

        async def watch() -> None:
            if pid is None or not Path(f"/proc/{pid}/status").exists():
                log.warning("%s: cannot read the kernel's memory; no memory limit", name)
                return
            while True:
                await asyncio.sleep(_POLL_SECONDS)
                rss = _rss_mib(_process_tree(pid))
                memory["peak"] = max(memory["peak"], rss)
                if rss > limits.memory_mib:
                    memory["over"] = True
                    log.warning("%s: kernel at %.0f MiB, over the limit; killed", name, rss)
                    _kill_tree(pid)
                    return

        if limits.memory_mib > 0:
            watcher = asyncio.create_task(watch())
        deadline = time.monotonic() + limits.timeout
        for step in steps:
            left = deadline - time.monotonic()
            where = (
                _cell_name(step.cell, step.source)
                if step.kind == "cell"
                else f"the check of {step.label}"
            )
            if left <= 0:
                timed_out = True
                stopped = f"the notebook ran past its time limit ({limits.timeout:g} s)"
                submission.problems.append(f"{stopped}; the grading stopped before {where}.")
                break
            limit = min(limits.cell_timeout, left)
            client.timeout = max(1, math.ceil(limit))
            cell = nbformat.v4.new_code_cell(
                step.source if step.kind == "cell" else _check_source(lesson, step.label)
            )
            client.nb.cells.append(cell)
            index = len(client.nb.cells) - 1
            try:
                await asyncio.wait_for(
                    client.async_execute_cell(cell, index, store_history=step.kind == "cell"),
                    timeout=limit + 30,
                )
            except (TimeoutError, DeadKernelError):
                # wait_for's timeout reaches here as a DeadKernelError too (nbclient turns
                # the cancellation into one): the kernel's state tells them apart.
                if memory["over"]:
                    stopped = f"the kernel went over the memory limit ({limits.memory_mib} MiB)"
                elif await km.is_alive():
                    timed_out = True
                    stopped = "the kernel stopped responding"
                else:
                    stopped = "the kernel died"
                submission.problems.append(f"{stopped} during {where}; nothing after it ran.")
                log.warning("%s: %s during %s", name, stopped, where)
                _log_tail(name, kernel_output)
                break
            content = (replies.pop(index, None) or {}).get("content", {})
            over_time = content.get("ename") == _TIMEOUT_ENAME
            if over_time:
                timed_out = True
                notebook_limit = limit < limits.cell_timeout
                seconds = limits.timeout if notebook_limit else limits.cell_timeout
                what = "the notebook's" if notebook_limit else "the cell"
                log.warning("%s: %s ran past %s time limit (%g s)", name, where, what, seconds)
                if notebook_limit:
                    stopped = f"the notebook ran past its time limit ({limits.timeout:g} s)"
                    submission.problems.append(f"{stopped} during {where}; nothing after it ran.")
                    if step.kind == "check":
                        checked.setdefault(step.label, []).append(
                            ExerciseResult("not run", f"{stopped} during the check.")
                        )
                    break
                if step.kind == "cell":
                    submission.problems.append(
                        f"{where} ran past the {seconds:g} s time limit and was interrupted."
                    )
                else:
                    checked.setdefault(step.label, []).append(
                        ExerciseResult("not run", f"the check did not finish within {seconds:g} s.")
                    )
                if not await _responsive(client.kc, _RESPONSIVE_SECONDS):
                    stopped = "the kernel did not stop after the interruption"
                    submission.problems.append(f"{stopped} of {where}; nothing after it ran.")
                    log.error("%s: %s", name, stopped)
                    break
            elif step.kind == "cell":
                if content.get("status") == "error":
                    error = f"{content.get('ename', 'Error')}: {content.get('evalue', '')}"
                    error = _CELL_FILE.sub(r"(line \1)", error)  # IPython's name of the cell
                    submission.problems.append(f"{where}: {_one_line(error)}")
            else:
                outcome = next(
                    (
                        output["data"][MIME]
                        for output in cell.outputs
                        if output.get("output_type") == "display_data"
                        and MIME in output.get("data", {})
                    ),
                    None,
                )
                if isinstance(outcome, dict) and outcome.get("result") in RESULTS:
                    result = ExerciseResult(outcome["result"], str(outcome.get("message", "")))
                elif content.get("status") == "error":
                    error = f"{content.get('ename', 'Error')}: {content.get('evalue', '')}"
                    result = ExerciseResult(
                        "error", f"the grader could not run the check: {_one_line(error)}"
                    )
                else:
                    result = ExerciseResult("error", "the check gave no result")
                checked.setdefault(step.label, []).append(result)
                log.info("%s: %s: %s %s", name, step.label, result.result, result.message)
            cell.outputs = []
    finally:
        if watcher is not None:
            watcher.cancel()
        pid = _kernel_pid(km)
        if stopped and pid is not None:
            _kill_tree(pid)
        try:
            if client.kc is not None:
                client.kc.stop_channels()
            if km.has_kernel:
                await asyncio.wait_for(km.shutdown_kernel(now=True), timeout=30)
        except Exception as error:  # the kernel is gone already
            log.debug("%s: shutting the kernel down: %s", name, error)
        workdir.cleanup()
        reason = f"{stopped} before this check." if stopped else "the check did not run."
        submission.results = {
            label: _best(checked[label]) if label in checked else ExerciseResult("not run", reason)
            for label in lesson.labels
        }
        if memory["over"]:
            submission.status = "memory"
        elif timed_out:
            submission.status = "timeout"
        elif submission.problems:
            submission.status = "errors"
        log.info("%s: peak memory %.0f MiB", name, memory["peak"])


async def _grade_all(
    submissions: list[Submission], lesson: Lesson, limits: Limits, jobs: int
) -> None:
    gate = asyncio.Semaphore(jobs)
    done = 0

    async def one(submission: Submission) -> None:
        nonlocal done
        async with gate:
            start = time.monotonic()
            log.info("%s: grading", submission.file)
            await _run(submission, lesson, limits)
            submission.seconds = time.monotonic() - start
            done += 1
            passed = f"{submission.total} of {len(lesson.labels)} passed"
            log.info(
                "%s: %s, status %s, %.1f s",
                submission.file,
                passed,
                submission.status,
                submission.seconds,
            )
            print(
                f"[{done}/{len(submissions)}] {submission.file}: {passed} "
                f"({submission.status}, {submission.seconds:.1f} s)",
                flush=True,
            )

    await asyncio.gather(*(one(submission) for submission in submissions))


def grade_submissions(
    lesson: Lesson, paths: Sequence[Path], limits: Limits | None = None, jobs: int = 1
) -> list[Submission]:
    """Grade each file of ``paths`` against ``lesson``; the results in the same order."""
    submissions = [Submission(path=Path(p), file=str(p)) for p in paths]
    asyncio.run(_grade_all(submissions, lesson, limits or Limits(), max(1, jobs)))
    return submissions


# --- outputs --------------------------------------------------------------------------


def _feedback_names(submissions: Sequence[Submission]) -> None:
    """``<stem>``, or ``<folder>-<stem>`` for stems that several submissions share (Colab
    names every download after the lesson), made unique with a number if need be."""
    stems = [s.path.stem or s.path.name for s in submissions]
    shared = {stem.lower() for stem in stems if [x.lower() for x in stems].count(stem.lower()) > 1}
    used: set[str] = set()
    for submission, stem in zip(submissions, stems, strict=True):
        name = stem
        if stem.lower() in shared and submission.path.parent.name:
            name = f"{submission.path.parent.name}-{stem}"
        unique, number = name, 2
        while unique.lower() in used:
            unique, number = f"{name}-{number}", number + 1
        used.add(unique.lower())
        submission.feedback_name = unique


def feedback_text(submission: Submission, lesson: Lesson) -> str:
    """The Markdown feedback for one student."""
    lines = [f"# Feedback: {submission.path.name}", ""]
    if submission.status == "not a notebook":
        lines += [
            f"This file could not be graded: it is not a notebook ({submission.reason}). "
            "Hand in the .ipynb file that Colab downloads (File → Download → Download .ipynb).",
            "",
        ]
        return "\n".join(lines)
    count = len(lesson.labels)
    lines += [
        f"Lesson: {lesson.path.name}. Passed {submission.total} of {count} exercises. "
        f"Status: {submission.status}.",
        "",
        "## Exercises",
        "",
    ]
    for label in lesson.labels:
        result = submission.results[label]
        message = f" — {result.message}" if result.message else ""
        lines.append(f"- {label}: {result.result}{message}")
    if submission.problems:
        lines += ["", "## Problems while running your notebook", ""]
        lines += [f"- {problem}" for problem in submission.problems]
    if submission.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {note}" for note in submission.notes]
    lines.append("")
    return "\n".join(lines)


def write_outputs(output: Path, submissions: Sequence[Submission], lesson: Lesson) -> None:
    """Write grades.csv and the feedback files."""
    feedback = output / "feedback"
    feedback.mkdir(parents=True, exist_ok=True)
    _feedback_names(submissions)
    with open(output / "grades.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", *lesson.labels, "total", "status"])
        for s in submissions:
            points = [
                s.results[label].points if label in s.results else 0 for label in lesson.labels
            ]
            writer.writerow([s.file, *points, s.total, s.status])
    for submission in submissions:
        text = feedback_text(submission, lesson)
        (feedback / f"{submission.feedback_name}.md").write_text(text, encoding="utf-8")


# --- the command ----------------------------------------------------------------------


def _collect(arguments: Sequence[Path], lesson: Path, output: Path) -> list[Path]:
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


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.grade",
        description="Run students' notebooks and grade them with the lesson's checks.",
    )
    parser.add_argument("lesson", type=Path, help="the instructor's notebook (with solutions)")
    parser.add_argument(
        "submissions", nargs="*", type=Path, help="submitted notebooks, or folders of them"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("grades"),
        help="folder for grades.csv, feedback/ and grading.log (default: grades)",
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
        help="MiB of memory a notebook's kernel may use; 0 for no limit (default: 4096)",
    )
    parser.add_argument(
        "--jobs",
        type=_positive(int),
        default=1,
        help="submissions graded at the same time (default: 1)",
    )
    parser.add_argument(
        "--kernel", default="python3", help="the Jupyter kernel to run (default: python3)"
    )
    args = parser.parse_args(argv)

    try:
        import nbclient  # noqa: F401
    except ImportError:
        print(
            "error: the grader needs nbclient and ipykernel: pip install nbclient ipykernel",
            file=sys.stderr,
        )
        return 1
    try:
        lesson = load_lesson(args.lesson)
        paths = _collect(args.submissions, args.lesson, args.output)
    except (LessonError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not paths:
        print(
            "error: no submissions: give the submitted notebooks, or folders that hold them",
            file=sys.stderr,
        )
        return 1

    args.output.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(args.output / "grading.log", mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    try:
        log.info(
            "lesson %s: exercises %s; %d submissions; cell timeout %g s, timeout %g s, "
            "memory %d MiB, %d jobs",
            args.lesson,
            ", ".join(lesson.labels),
            len(paths),
            args.cell_timeout,
            args.timeout,
            args.memory,
            args.jobs,
        )
        for label in _unchecked_labels(lesson):
            message = f"warning: {label} has no check (no registered check, no check cell)"
            print(message, file=sys.stderr)
            log.warning(message)
        limits = Limits(args.cell_timeout, args.timeout, args.memory, args.kernel)
        try:
            submissions = grade_submissions(lesson, paths, limits, args.jobs)
        except KeyboardInterrupt:
            print("interrupted: nothing written", file=sys.stderr)
            log.warning("interrupted")
            return 130
        write_outputs(args.output, submissions, lesson)
        log.info("wrote %s", args.output / "grades.csv")
    finally:
        log.removeHandler(handler)
        handler.close()
    print(
        f"graded {len(submissions)} submission{'s' if len(submissions) != 1 else ''}: "
        f"{args.output / 'grades.csv'}, "
        f"{args.output / 'feedback'}/, {args.output / 'grading.log'}"
    )
    failed = [s.file for s in submissions if not s.graded]
    if failed:
        print(f"error: could not grade {', '.join(failed)} (see grading.log)", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
