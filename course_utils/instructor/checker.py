"""The checker: the lesson's checks, run outside every student's kernel.

One kernel per grading run (in a sandbox of its own, without network, reading only the
system, the course and the collected answers) runs the lesson's context once: the
instructor's notebook without its solutions, checks and wrong answers. Then, for each
exercise of each submission, it reads the answers the grader collected from the student's
kernel (data-only files, :mod:`course_utils.exercises.answers`), runs the exercise's check
on them with that context, and says the verdict. The student's code never runs here, so
nothing it does can change a verdict; the answers it left are data.

Checks are asked one at a time. A check that runs past its time limit is interrupted; if
the checker then stops answering or dies (an answer file that made it fail), the verdict
is an error and the checker starts again (the context is built anew).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path

from course_utils.instructor import _in_checker
from course_utils.instructor.kernel import KernelSession, data_of
from course_utils.instructor.lesson import Lesson
from course_utils.instructor.sandbox import Sandbox, system_folders

__all__ = ["Checker", "CheckerError", "Verdict"]

#: The checks restart the checker at most this often in one run, then give up.
RESTARTS = 3


class CheckerError(RuntimeError):
    """The lesson's context could not be built: a problem of the lesson, not of a student."""


@dataclass(frozen=True)
class Verdict:
    """A check's verdict on one collected folder of answers."""

    result: str  # "passed", "wrong", "not answered", "error"
    diagnosis: str = ""
    message: str = ""


class Checker:
    """The lesson's checks in a kernel of their own; :meth:`start`, :meth:`judge`, :meth:`stop`."""

    def __init__(
        self,
        lesson: Lesson,
        workdir: Path,
        answers_root: Path,
        *,
        bwrap: str | None,
        hidden: tuple[Path, ...] = (),
        cell_timeout: float = 900.0,
        check_timeout: float = 300.0,
        memory_mib: int = 0,
        env: dict[str, str] | None = None,
        log=None,
    ) -> None:
        self.lesson = lesson
        self.workdir = workdir
        self.answers_root = answers_root
        self.bwrap = bwrap
        self.hidden = hidden
        self.cell_timeout = cell_timeout
        self.check_timeout = check_timeout
        self.memory_mib = memory_mib
        self.env = env or {}
        self.log = log
        self.session: KernelSession | None = None
        self.restarts = 0
        self.ready = asyncio.Event()
        self.failure: str | None = None
        self._lock = asyncio.Lock()
        self.seconds = 0.0

    async def start(self) -> None:
        """Start the kernel and build the lesson's context (see :class:`CheckerError`)."""
        import time

        begin = time.monotonic()
        try:
            await self._start()
        except CheckerError as error:
            self.failure = str(error)
            raise
        finally:
            self.seconds += time.monotonic() - begin
            self.ready.set()

    async def _start(self) -> None:
        sandbox = Sandbox(
            self.workdir,
            hidden=self.hidden,
            readable=(*system_folders(), self.answers_root),
        )
        self.session = KernelSession(
            sandbox, bwrap=self.bwrap, memory_mib=self.memory_mib, env=self.env, log=self.log
        )
        await self.session.start()
        for number, source in enumerate(self.lesson.context_cells, start=1):
            result = await self.session.run(source, self.cell_timeout)
            if result.status != "ok":
                problem = result.error or f"the cell {result.status}"
                raise CheckerError(
                    f"{self.lesson.path.name}: the lesson's code cell {number} of its context "
                    f"failed in the checker: {problem}"
                )
        setup = (
            "import course_utils.instructor._in_checker as __course_checker\n"
            "__course_checker.remember(globals())"
        )
        result = await self.session.run(setup, self.cell_timeout, store_history=False)
        if result.status != "ok":
            raise CheckerError(f"the checker could not keep the lesson's context: {result.error}")

    async def judge(self, label: str, folder: Path, language: str) -> Verdict:
        """The check of ``label`` on the answers collected in ``folder``."""
        await self.ready.wait()
        if self.failure:
            return Verdict("error", "checker-failed", self.failure)
        exercise = self.lesson.exercise(label)
        request = json.dumps(
            [label, str(folder), language, list(exercise.answers), exercise.check_sources]
        )
        source = f"__course_checker.verdict(*__import__('json').loads({request!r}))"
        async with self._lock:
            assert self.session is not None
            result = await self.session.run(source, self.check_timeout, store_history=False)
            found = data_of(result.outputs, _in_checker.MIME)
            if result.status == "ok" and isinstance(found, dict):
                return Verdict(
                    str(found.get("result", "error")),
                    str(found.get("diagnosis", "")),
                    str(found.get("message", "")),
                )
            if result.status == "timeout" and await self.session.responsive(30):
                return Verdict("error", "check-timeout", "")
            await self._restart()
            return Verdict("error", "checker-stopped", result.error)

    async def _restart(self) -> None:
        """Start the checker again after it stopped answering or died."""
        if self.session is not None:
            await self.session.stop()
        self.restarts += 1
        if self.restarts > RESTARTS:
            self.failure = f"the checker stopped {self.restarts} times; no more checks"
            return
        try:
            await self._start()
        except CheckerError as error:
            self.failure = str(error)

    async def stop(self) -> None:
        if self.session is not None:
            await self.session.stop()
