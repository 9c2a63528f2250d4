"""A kernel session: one Python kernel in a sandbox of its own, run cell by cell.

:class:`KernelSession` starts a Jupyter kernel in its own working folder, inside a
sandbox where the platform has one (:mod:`course_utils.instructor.sandbox`), connected
through files in that folder (ZeroMQ's ``ipc`` transport: the sandbox has no network).
It runs one cell at a time with a time limit (the cell is interrupted when it runs over),
watches the memory of the kernel's whole process tree, and ends with :meth:`stop`, which
kills the tree and waits until every process of it is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from course_utils.instructor.sandbox import Sandbox, Tree, command

__all__ = ["CellResult", "KernelSession", "KernelStartError"]

_POLL_SECONDS = 0.2
#: How long the session waits for a kernel's answer beyond a cell's own time limit (its
#: outputs after the reply, the answer to an interruption): far beyond what a busy machine
#: needs, so that a slow machine never changes a verdict.
GRACE_SECONDS = 60.0
STARTUP_SECONDS = 180.0


class KernelStartError(RuntimeError):
    """The kernel could not be started."""


@dataclass
class CellResult:
    """What running one cell gave."""

    status: str  # "ok", "error", "timeout" (interrupted), "stopped" (kernel gone or over memory)
    error: str = ""  # "Name: message" of an error
    outputs: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


class KernelSession:
    """One kernel, in ``sandbox``, with a memory limit for its whole process tree.

    ``python`` is the interpreter whose ``ipykernel`` runs (the grader's own by default);
    ``env`` the kernel's environment variables.
    """

    def __init__(
        self,
        sandbox: Sandbox,
        *,
        bwrap: str | None,
        memory_mib: int = 0,
        env: dict[str, str] | None = None,
        python: str = sys.executable,
        log: Any = None,
    ) -> None:
        self.sandbox = sandbox
        self.bwrap = bwrap
        self.memory_mib = memory_mib
        self.env = dict(env or {})
        self.python = python
        self.log = log
        self.tree: Tree | None = None
        self.over_memory = False
        self._manager: Any = None
        self._client: Any = None
        self._watcher: asyncio.Task | None = None
        self._cells = 0

    # --- start and stop --------------------------------------------------------------

    async def start(self) -> None:
        from jupyter_client.kernelspec import KernelSpec
        from jupyter_client.manager import AsyncKernelManager

        workdir = self.sandbox.workdir
        workdir.mkdir(parents=True, exist_ok=True)
        argv = [self.python, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        manager = AsyncKernelManager(
            transport="ipc",
            ip=str(workdir / "kernel"),
            connection_file=str(workdir / "kernel.json"),
        )
        # The kernel is bubblewrap's child: an interruption goes as a message, which the
        # kernel turns into a SIGINT of its own (a signal to bubblewrap would not reach it).
        manager._kernel_spec = KernelSpec(
            argv=command(self.bwrap, self.sandbox, argv),
            display_name="Python 3 (grading sandbox)",
            language="python",
            interrupt_mode="message",
        )
        self._manager = manager
        env = {
            **self.env,
            "IPYTHONDIR": str(workdir / ".ipython"),
            "MPLCONFIGDIR": str(workdir / ".matplotlib"),
        }
        output = (workdir / ".kernel-output.txt").open("wb")
        try:
            await asyncio.wait_for(
                manager.start_kernel(cwd=str(workdir), env=env, stdout=output, stderr=output),
                timeout=STARTUP_SECONDS,
            )
            client = manager.client()
            client.start_channels()
            await asyncio.wait_for(client.wait_for_ready(), timeout=STARTUP_SECONDS)
        except Exception as error:
            await self.stop()
            raise KernelStartError(f"{type(error).__name__}: {error}") from None
        finally:
            output.close()
        self._client = client
        pid = getattr(getattr(manager, "provisioner", None), "pid", None)
        self.tree = Tree(pid) if pid else None
        if self.tree is not None and self.memory_mib > 0:
            self._watcher = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        assert self.tree is not None
        while True:
            await asyncio.sleep(_POLL_SECONDS)
            if self.tree.memory_mib() > self.memory_mib:
                self.over_memory = True
                self.tree.kill()
                return

    def peak_mib(self) -> float:
        return self.tree.peak_mib if self.tree is not None else 0.0

    def cpu_seconds(self) -> float:
        return self.tree.cpu_seconds() if self.tree is not None else 0.0

    async def stop(self) -> None:
        """Kill the kernel's whole process tree, and wait until it is gone."""
        if self._watcher is not None:
            self._watcher.cancel()
            self._watcher = None
        if self.tree is not None:
            with contextlib.suppress(Exception):
                self.tree.memory_mib()  # the last measurement counts for the peak
            self.tree.kill()
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.stop_channels()
            self._client = None
        if self._manager is not None and self._manager.has_kernel:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._manager.shutdown_kernel(now=True), timeout=30)
        if self._manager is not None:
            with contextlib.suppress(Exception):
                await self._manager.cleanup_resources()

    def gone(self) -> bool:
        """True once no process of the kernel's tree is left."""
        return self.tree is None or not self.tree.alive()

    # --- cells ------------------------------------------------------------------------

    async def run(self, source: str, timeout: float, *, store_history: bool = True) -> CellResult:
        """Run ``source``; interrupt it after ``timeout`` seconds."""
        from queue import Empty

        client = self._client
        if client is None or self.over_memory:
            return CellResult("stopped", "the kernel is not running")
        self._cells += 1
        start = time.monotonic()
        msg_id = client.execute(source, store_history=store_history, allow_stdin=False)
        deadline = start + timeout
        reply = None
        interrupted = False
        while reply is None:
            if self.over_memory or not await self._manager.is_alive():
                return CellResult("stopped", "", seconds=time.monotonic() - start)
            now = time.monotonic()
            if now > deadline and not interrupted:
                interrupted = True
                with contextlib.suppress(Exception):
                    await self._manager.interrupt_kernel()
                deadline = now + GRACE_SECONDS
            elif now > deadline:
                return CellResult("stopped", "", seconds=time.monotonic() - start)
            try:
                message = await client.get_shell_msg(timeout=min(1.0, max(0.05, deadline - now)))
            except Empty:
                continue
            if message.get("parent_header", {}).get("msg_id") == msg_id:
                reply = message["content"]
        outputs = await self._outputs(msg_id)
        seconds = time.monotonic() - start
        if interrupted:
            return CellResult("timeout", "", outputs, seconds)
        if reply.get("status") == "error":
            error = f"{reply.get('ename', 'Error')}: {reply.get('evalue', '')}"
            return CellResult("error", error, outputs, seconds)
        return CellResult("ok", "", outputs, seconds)

    async def _outputs(self, msg_id: str) -> list[dict[str, Any]]:
        """The cell's outputs, read until the kernel says it is idle again."""
        from queue import Empty

        outputs: list[dict[str, Any]] = []
        deadline = time.monotonic() + GRACE_SECONDS
        while time.monotonic() < deadline:
            try:
                message = await self._client.get_iopub_msg(timeout=1.0)
            except Empty:
                if not await self._manager.is_alive():
                    break
                continue
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "status" and content.get("execution_state") == "idle":
                break
            if kind in ("stream", "display_data", "execute_result", "error"):
                outputs.append({"output_type": kind, **content})
        return outputs

    async def responsive(self, seconds: float = GRACE_SECONDS) -> bool:
        """True if the kernel answers a kernel_info request within ``seconds``."""
        from queue import Empty

        if self._client is None:
            return False
        msg_id = self._client.kernel_info()
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            try:
                message = await self._client.get_shell_msg(timeout=min(left, 1.0))
            except Empty:
                continue
            if message.get("parent_header", {}).get("msg_id") == msg_id:
                return True
        return False


def text_of(outputs: list[dict[str, Any]]) -> str:
    """The text a cell printed (its stdout streams)."""
    return "".join(str(o.get("text", "")) for o in outputs if o.get("output_type") == "stream")


def data_of(outputs: list[dict[str, Any]], mime: str) -> Any:
    """The last display data of type ``mime`` a cell published, or None."""
    found = None
    for output in outputs:
        data = output.get("data") or {}
        if mime in data:
            value = data[mime]
            found = json.loads(value) if isinstance(value, str) else value
    return found
