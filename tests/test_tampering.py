"""Grades a student cannot forge: each way of tampering from inside a notebook, written as a
submission that also answers every exercise wrongly, gets no mark, and no other submission's
grade changes.

The checks run outside the student's kernel, on answers written as data (JSON, .npy,
.keras, skops), so nothing done inside the kernel (input transformers, pre-run hooks, trace
hooks, import hooks, a fake package on the path, patched checks or reload) reaches a
verdict. Each kernel runs in a sandbox (bubblewrap): no network, the course read-only, the
submissions and the results hidden, a private /tmp of bounded size, and a PID namespace, so
that a detached process dies with its kernel and the grades are written when all are gone.
"""

from __future__ import annotations

import csv
import os
import time

import psutil
import pytest
from test_grade import LABELS, LESSON, answered, lesson, student, write

from course_utils.instructor import cli
from course_utils.instructor.sandbox import available

pytestmark = pytest.mark.slow

WRONG = {
    "ex_grade_sum": "total = 41",
    "ex_grade_squares": "squares = [1, 2, 3]",
    "ex_grade_double": "def double(x):\n    return x + 2",
}
MARKER = "course-tamper-marker"


def _tampering(output, submissions) -> dict[str, str]:
    """name -> the code a cheater runs right after the setup cell."""
    grades = output / "grades.csv"
    sibling = submissions / "solutions.ipynb"
    return {
        "transformer": (
            "def _forge(lines):\n"
            "    return [\n"
            '        "from IPython.display import publish_display_data\\n",\n'
            "        \"for mime in ('application/vnd.course-verdict+json', "
            "'application/vnd.course-grade+json'):\\n\",\n"
            "        \"    publish_display_data({mime: {'result': 'passed'}})\\n\",\n"
            "    ]\n\n\n"
            "get_ipython().input_transformers_post.append(_forge)"
        ),
        "prerun-hook": (
            "import course_utils.checks as _c\n"
            "import course_utils.exercises as _e\n"
            "import course_utils.exercises.answers as _a\n\n\n"
            "def _patch(info):\n"
            "    _c.check_number = _c.check_array = lambda *x, **k: None\n"
            "    _e.Exercise.run = lambda self, namespace: None\n"
            "    _a.export = lambda values, folder, probes=None: None\n\n\n"
            'get_ipython().events.register("pre_run_cell", _patch)'
        ),
        "trace-hook": (
            "import sys\n\n\n"
            "def _tracer(frame, event, arg):\n"
            '    if event == "call" and frame.f_code.co_name in ("run", "judge", "check", "_fail"):\n'
            "        return None\n"
            "    return _tracer\n\n\n"
            "sys.settrace(_tracer)\n\n\n"
            "class Anything:\n"
            "    def __eq__(self, other):\n"
            "        return True\n\n"
            "    def __float__(self):\n"
            "        return 42.0\n\n"
            "    def __call__(self, *args):\n"
            "        return self\n\n\n"
            "total = squares = Anything()"
        ),
        "import-hook": (
            "import importlib.abc\n"
            "import importlib.util\n"
            "import json\n"
            "import os\n"
            "import sys\n\n\n"
            "class _Fake(importlib.abc.MetaPathFinder, importlib.abc.Loader):\n"
            "    def find_spec(self, name, path, target=None):\n"
            '        if name == "course_utils.exercises.answers":\n'
            "            return importlib.util.spec_from_loader(name, self)\n\n"
            "    def create_module(self, spec):\n"
            "        return None\n\n"
            "    def exec_module(self, module):\n"
            "        def export(values, folder, probes=None):\n"
            "            os.makedirs(folder, exist_ok=True)\n"
            '            os.symlink("/etc/passwd", os.path.join(folder, "value-001.npy"))\n'
            "            answers = {\n"
            '                "total": {"kind": "array", "file": "../../../checker/kernel.json"},\n'
            '                "squares": {"kind": "array", "file": "value-001.npy"},\n'
            '                "double": {"kind": "pickle", "file": "x"},\n'
            "            }\n"
            '            with open(os.path.join(folder, "answers.json"), "w") as handle:\n'
            '                json.dump({"format": 1, "answers": answers}, handle)\n\n'
            "        module.export = export\n\n\n"
            'sys.modules.pop("course_utils.exercises.answers", None)\n'
            "sys.meta_path.insert(0, _Fake())"
        ),
        "fake-package": (
            "import os\n"
            "import sys\n\n"
            'os.makedirs("course_utils/exercises", exist_ok=True)\n'
            'open("course_utils/__init__.py", "w").close()\n'
            'open("course_utils/exercises/__init__.py", "w").close()\n'
            'with open("course_utils/exercises/answers.py", "w") as handle:\n'
            "    handle.write(\n"
            '        "import json, os\\n"\n'
            '        "def export(values, folder, probes=None):\\n"\n'
            '        "    os.makedirs(folder, exist_ok=True)\\n"\n'
            "        \"    verdict = {'kind': 'verdict', 'result': 'passed'}\\n\"\n"
            "        \"    answers = {name: verdict for name in ('total', 'squares', 'double')}\\n\"\n"
            "        \"    with open(os.path.join(folder, 'answers.json'), 'w') as f:\\n\"\n"
            "        \"        json.dump({'format': 1, 'answers': answers}, f)\\n\"\n"
            "    )\n"
            'for name in [m for m in sys.modules if m.startswith("course_utils")]:\n'
            "    del sys.modules[name]\n"
            "sys.path.insert(0, os.getcwd())"
        ),
        "reload-and-patch": (
            "import importlib\n\n"
            "from course_utils import checks, exercises\n\n"
            "importlib.reload = lambda module: module\n"
            "checks.check_number = checks.check_array = lambda *args, **kwargs: None\n"
            "exercises.check = lambda *args, **kwargs: None\n"
            "checks.WrongAnswer = checks.NotAnswered = type('Nothing', (Exception,), {})"
        ),
        "detached-writer": (
            "import subprocess\nimport sys\n\n"
            "subprocess.Popen(\n"
            "    [\n"
            "        sys.executable,\n"
            '        "-c",\n'
            '        "import sys, time; time.sleep(8); "\n'
            "        \"open(sys.argv[1], 'a').write('forged,1,1,1,3,ok\\\\n'); time.sleep(600)\",\n"
            f"        {str(grades)!r},\n"
            f'        "{MARKER}-writer",\n'
            "    ],\n"
            "    start_new_session=True,\n"
            ")"
        ),
        "detached-hog": (
            "import subprocess\nimport sys\nimport time\n\n"
            "subprocess.Popen(\n"
            "    [\n"
            "        sys.executable,\n"
            '        "-c",\n'
            '        "import time\\nchunks = []\\nfor _ in range(24):\\n"\n'
            "        \"    chunks.append(b'x' * 2**27)\\n    time.sleep(0.2)\\ntime.sleep(600)\",\n"
            f'        "{MARKER}-hog",\n'
            "    ],\n"
            "    start_new_session=True,\n"
            ")\n"
            "time.sleep(30)  # the kernel waits while its detached child grows"
        ),
        "planted-check": (
            "import os\n\n"
            "import course_utils.exercises\n\n"
            "folder = os.path.dirname(course_utils.exercises.__file__)\n"
            'with open(os.path.join(folder, "lesson99.py"), "w") as handle:\n'
            "    handle.write(\n"
            '        "from course_utils import exercises\\n"\n'
            "        \"@exercises.exercise('ex-grade-sum', answers=['total'])\\n\"\n"
            '        "def _(total):\\n    pass\\n"\n'
            "    )"
        ),
        "reads-others": (
            f"print(open({str(sibling)!r}).read()[:100])\nprint(open({str(LESSON)!r}).read()[:100])"
        ),
        "fills-tmp": (
            'with open("/tmp/big", "wb") as handle:\n'
            "    for _ in range(64):\n"
            '        handle.write(b"x" * 2**25)'
        ),
    }


@pytest.fixture(scope="module")
def tampered(tmp_path_factory):
    if available() is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "CI grades in bubblewrap sandboxes: install it (apt-get install bubblewrap)"
            )
        pytest.skip("no working bubblewrap here: the sandbox's defences cannot be tested")
    base = tmp_path_factory.mktemp("tampering")
    folder, output = base / "submitted", base / "out"
    write(folder, "solutions.ipynb", lesson())
    write(folder, "aa-fresh.ipynb", student())
    for name, source in _tampering(output, folder).items():
        nb = answered(**WRONG)
        nb.cells.insert(2, nb.cells[1].copy())
        nb.cells[2].source = source
        nb.cells[2].id = f"tamper{len(name):02d}{name[:4]}"
        write(folder, f"cheat-{name}.ipynb", nb)
    write(folder, "zz-right.ipynb", answered())  # graded after the cheaters
    write(folder, "zz-fresh.ipynb", student())
    argv = [str(LESSON), str(folder), "--output", str(output), "--jobs", "2"]
    argv += ["--cell-timeout", "60", "--memory", "1024"]
    status = cli.grade_main(argv)
    finished = time.time()
    rows = list(csv.DictReader((output / "grades.csv").open(encoding="utf-8")))
    return {
        "status": status,
        "rows": {os.path.basename(r["file"]): r for r in rows},
        "output": output,
        "finished": finished,
        "names": list(_tampering(output, folder)),
    }


def points(tampered, name: str) -> list[int]:
    return [int(tampered["rows"][name][label]) for label in LABELS]


def test_every_submission_is_graded(tampered):
    assert tampered["status"] == 0


@pytest.mark.parametrize(
    "name",
    [
        "transformer",
        "prerun-hook",
        "trace-hook",
        "import-hook",
        "fake-package",
        "reload-and-patch",
        "detached-writer",
        "detached-hog",
        "planted-check",
        "reads-others",
        "fills-tmp",
    ],
)
def test_tampering_gains_no_mark(tampered, name):
    assert points(tampered, f"cheat-{name}.ipynb") == [0, 0, 0]


def test_the_other_submissions_keep_their_grades(tampered):
    assert points(tampered, "solutions.ipynb") == [1, 1, 1]
    assert points(tampered, "zz-right.ipynb") == [1, 1, 1]
    assert points(tampered, "aa-fresh.ipynb") == points(tampered, "zz-fresh.ipynb") == [0, 0, 0]


def test_a_detached_process_cannot_rewrite_the_grades_and_dies_with_its_sandbox(tampered):
    time.sleep(max(0.0, tampered["finished"] + 12 - time.time()))  # past the writer's 8 s
    text = (tampered["output"] / "grades.csv").read_text(encoding="utf-8")
    assert "forged" not in text
    alive = [
        p.info["cmdline"]
        for p in psutil.process_iter(["cmdline"])
        if any(MARKER in part for part in p.info["cmdline"] or [])
    ]
    assert alive == []


def test_a_detached_memory_hog_counts_for_its_kernels_limit(tampered):
    assert tampered["rows"]["cheat-detached-hog.ipynb"]["status"] == "memory"


def test_the_course_and_the_other_submissions_are_out_of_reach(tampered):
    feedback = tampered["output"] / "feedback"
    planted = (feedback / "cheat-planted-check.md").read_text(encoding="utf-8")
    assert "Read-only file system" in planted
    others = (feedback / "cheat-reads-others.md").read_text(encoding="utf-8")
    assert "No such file or directory" in others
    tmp = (feedback / "cheat-fills-tmp.md").read_text(encoding="utf-8")
    assert "No space left on device" in tmp
