"""A submission's sandbox: what its processes may see and do, and the limits of its tree.

On Linux with bubblewrap (``bwrap``, Debian's package ``bubblewrap``), every kernel the
grader starts runs inside a sandbox of its own (:func:`command`):

* no network (a network namespace of its own, with nothing in it);
* the whole file system read-only, the course and its environment included;
* its own empty ``/tmp`` and a private working folder, the only place it can write, which
  the grader reads after the sandbox is gone;
* the submissions' and the results' folders hidden (empty in the sandbox), so that one
  submission can neither read another nor touch the grades;
* a PID namespace whose first process is bubblewrap's: when it ends, the kernel ends, and
  so does every process the kernel started, a detached one (its own session) included.

Memory and time are limits of the whole process tree, watched from outside with
``psutil`` (:class:`Tree`), so they also hold where there is no bubblewrap (macOS, a
container that forbids namespaces): the grader then runs kernels unsandboxed, says so
loudly, and still kills each kernel's whole tree when its grading ends.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

__all__ = ["Sandbox", "Tree", "available", "command"]

#: The size of a sandbox's /tmp (MiB).
TMP_MIB = 512
#: Set to 0 to grade without bubblewrap even where it works (the grader warns).
SANDBOX_VARIABLE = "COURSE_SANDBOX"


@dataclass(frozen=True)
class Sandbox:
    """What one sandbox may read and write, and what it must not see.

    ``readable`` are the folders shown read-only (by default :func:`system_folders`: the
    system, Python and the course's environment, nothing else of the machine);
    ``hidden`` are folders inside them that appear empty (the submissions, the results);
    ``workdir`` is the only folder it may write (the same path inside).
    """

    workdir: Path
    hidden: tuple[Path, ...] = ()
    readable: tuple[Path, ...] = field(default_factory=lambda: system_folders())


#: Top-level folders that are links on a merged-/usr system (/bin -> usr/bin).
_TOP_LINKS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
#: Files of /etc that a sandbox does not need and must not read.
_SECRETS = ("/etc/shadow", "/etc/gshadow", "/etc/ssh", "/etc/sudoers", "/etc/sudoers.d")


def system_folders() -> tuple[Path, ...]:
    """The folders a kernel needs to run the course: the system's programs and libraries,
    ``/etc``, the Python installation and the folders on ``sys.path`` (the course's
    environment and, installed as editable, the course itself)."""
    import site
    import sys

    import course_utils

    found: list[Path] = []
    candidates = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"]
    candidates += [sys.base_prefix, sys.prefix, *site.getsitepackages(), *sys.path]
    candidates.append(str(Path(course_utils.__file__).parent))  # also when installed editable
    # The data sets the lessons load: the course's data folder and an offline mirror.
    from course_utils.datasets import MIRROR_VARIABLE, data_home

    candidates += [str(data_home()), os.environ.get(MIRROR_VARIABLE, "").strip()]
    for entry in candidates:
        if not entry or (Path(entry).is_symlink() and entry in _TOP_LINKS):
            continue
        path = Path(entry).resolve()
        if path.is_file():
            path = path.parent
        if not path.is_dir() or any(path == f or f in path.parents for f in found):
            continue
        found = [f for f in found if path not in f.parents]
        found.append(path)
    return tuple(found)


def available() -> str | None:
    """The path of a bubblewrap that can start a sandbox here, or None (with no sandbox
    the grader warns and grades without one)."""
    if os.environ.get(SANDBOX_VARIABLE, "1") == "0" or os.uname().sysname != "Linux":
        return None
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return None
    try:
        done = subprocess.run(
            [bwrap, *_options(Sandbox(Path(tempfile.gettempdir()))), "--", "true"],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return bwrap if done.returncode == 0 else None


def _options(sandbox: Sandbox) -> list[str]:
    options = [
        "--unshare-all",  # network, PIDs, IPC, host name: nothing shared with the host
        "--die-with-parent",
        "--new-session",  # no terminal to write into
        "--dev", "/dev",
        "--proc", "/proc",
        # /tmp lives in memory, which the tree's memory limit does not see: it is bounded.
        "--size", str(TMP_MIB * 2**20), "--tmpfs", "/tmp",
    ]  # fmt: skip
    for folder in sandbox.readable:
        if folder.exists():
            options += ["--ro-bind", str(folder), str(folder)]
    for link in _TOP_LINKS:
        if Path(link).is_symlink():
            options += ["--symlink", os.readlink(link), link]
    for secret in _SECRETS:
        if Path(secret).is_dir():
            options += ["--size", str(2**20), "--tmpfs", secret]
        elif Path(secret).exists():
            options += ["--ro-bind", "/dev/null", secret]
    for folder in sandbox.hidden:
        if any(folder == r or r in folder.parents for r in sandbox.readable):
            options += ["--size", str(2**20), "--tmpfs", str(folder)]
    workdir = str(sandbox.workdir)
    options += ["--bind", workdir, workdir, "--chdir", workdir]
    options += ["--setenv", "TMPDIR", "/tmp", "--setenv", "HOME", workdir]
    # The kernel's parent is the sandbox's first process: ipykernel would take the grader's
    # PID, which does not exist inside, for a parent that died.
    options += ["--unsetenv", "JPY_PARENT_PID"]
    return options


def command(bwrap: str | None, sandbox: Sandbox, argv: Sequence[str]) -> list[str]:
    """``argv`` run inside ``sandbox`` (or as it is, without bubblewrap)."""
    if bwrap is None:
        return list(argv)
    return [bwrap, *_options(sandbox), "--", *argv]


class Tree:
    """A process and all its descendants, measured and stopped together.

    A sandbox's processes all descend from its bubblewrap process, detached ones too
    (re-parented to the sandbox's first process), so the tree holds them all.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_mib = 0.0

    def processes(self) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.pid)
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []

    def memory_mib(self) -> float:
        """The resident memory of the whole tree now (and the peak so far in ``peak_mib``)."""
        total = 0
        for process in self.processes():
            try:
                total += process.memory_info().rss
            except psutil.Error:
                continue
        mib = total / 2**20
        self.peak_mib = max(self.peak_mib, mib)
        return mib

    def cpu_seconds(self) -> float:
        total = 0.0
        for process in self.processes():
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                continue
        return total

    def alive(self) -> list[psutil.Process]:
        return [p for p in self.processes() if p.is_running() and p.status() != "zombie"]

    def kill(self) -> None:
        """Kill every process of the tree and wait until they are gone."""
        processes = self.processes()
        for process in reversed(processes):
            try:
                process.send_signal(signal.SIGKILL)
            except psutil.Error:
                continue
        for process in processes:
            # psutil waits through a pidfd; a process that is already gone (reaped by its
            # parent, or the pid's fd no longer there) is done, whatever error that gives
            try:
                process.wait(timeout=30)
            except (psutil.Error, OSError):
                continue
