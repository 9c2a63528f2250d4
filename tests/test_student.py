"""The exercise format: the student-notebook command and its guarantees for every lesson."""

from __future__ import annotations

import ast
import inspect
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import course_utils
from course_utils import checks
from course_utils.student import (
    NotebookFormatError,
    find_exercises,
    main,
    make_student_notebook,
    stub_solution,
)

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def exercise_cell(label="ex-a"):
    return new_markdown_cell(f":::{{exercise}}\n:label: {label}\n\nDo it.\n:::")


def solution_cells(code="### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION"):
    return [
        new_markdown_cell("````{solution-start} ex-a\n:class: dropdown\n````"),
        new_markdown_cell("Because six times seven."),
        new_code_cell(code, metadata={"tags": ["solution"]}),
        new_markdown_cell("````{solution-end}\n````"),
    ]


def check_cell(code="checks.check_number(answer, 42, name='answer')"):
    return new_code_cell(code, metadata={"tags": ["check"]})


def notebook(*cells):
    nb = new_notebook()
    nb.cells = list(cells)
    return nb


def badge_cell():
    return new_markdown_cell(
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        "(https://colab.research.google.com/github/org/repo/blob/main/notebooks/lesson.ipynb)"
    )


# --- stubs -----------------------------------------------------------------------------


def test_stub_keeps_lines_outside_the_block_and_sets_names_to_ellipsis():
    source = (
        "x = 1\n### BEGIN SOLUTION\na, b = 1, 2\nc: int = 3\nc += 1\n### END SOLUTION\nprint(a)"
    )
    stub, names = stub_solution(source)
    assert names == ["a", "b", "c"]
    assert stub.splitlines() == [
        "x = 1",
        "a = ...  # YOUR ANSWER HERE",
        "b = ...  # YOUR ANSWER HERE",
        "c = ...  # YOUR ANSWER HERE",
        "print(a)",
    ]


def test_stub_keeps_function_signatures():
    source = (
        "### BEGIN SOLUTION\ndef build(units, *, rate=0.1):\n    return units * rate\n"
        "### END SOLUTION"
    )
    stub, names = stub_solution(source)
    assert names == ["build"]
    assert stub.splitlines() == [
        "def build(units, *, rate=0.1):",
        "    return ...  # YOUR CODE HERE",
    ]
    namespace: dict = {}
    exec(stub, namespace)
    assert str(inspect.signature(namespace["build"])) == "(units, *, rate=0.1)"
    assert namespace["build"](3) is Ellipsis


def test_stub_of_a_block_without_names():
    stub, names = stub_solution("### BEGIN SOLUTION\nprint('hi')\n### END SOLUTION")
    assert names == []
    assert stub == "...  # YOUR CODE HERE"


@pytest.mark.parametrize(
    ("source", "match"),
    [
        ("### BEGIN SOLUTION\nx = 1", r"^### BEGIN SOLUTION is never closed by ### END SOLUTION$"),
        (
            "x = 1\n### END SOLUTION",
            r"^line 2: ### END SOLUTION without a ### BEGIN SOLUTION before it$",
        ),
        (
            "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION",
            r"^line 2: ### BEGIN SOLUTION inside another solution block$",
        ),
        (
            "### BEGIN SOLUTION\nx = = 1\n### END SOLUTION",
            r"^the solution block is not valid Python \(invalid syntax",
        ),
    ],
)
def test_stub_rejects_malformed_blocks(source, match):
    with pytest.raises(ValueError, match=match):
        stub_solution(source)


# --- notebook format -------------------------------------------------------------------


def test_student_notebook_removes_solutions_and_rewrites_badge():
    nb = notebook(badge_cell(), exercise_cell(), *solution_cells(), check_cell())
    nb.cells[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
    nb.cells[-1].execution_count = 3
    badge = "https://colab.research.google.com/github/o/r/blob/b/student/lesson.ipynb"
    student = make_student_notebook(nb, badge_url=badge)
    assert [cell.source for cell in student.cells] == [
        badge_cell().source.replace(
            "https://colab.research.google.com/github/org/repo/blob/main/notebooks/lesson.ipynb",
            badge,
        ),
        exercise_cell().source,
        "answer = ...  # YOUR ANSWER HERE",
        check_cell().source,
    ]
    assert student.cells[2].metadata["tags"] == ["exercise-stub"]
    assert student.cells[3].outputs == []
    assert student.cells[3].execution_count is None
    assert "six times seven" not in json.dumps(student)
    # the input is unchanged
    assert nb.cells[4].source == "### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION"
    assert len(nb.cells[-1].outputs) == 1
    assert nb.cells[-1].execution_count == 3


def test_find_exercises_reports_stub_names_and_cells():
    nb = notebook(exercise_cell(), *solution_cells(), check_cell(), new_markdown_cell("## Summary"))
    (exercise,) = find_exercises(nb)
    assert exercise.label == "ex-a"
    assert exercise.solution_cells == [3]
    assert exercise.check_cells == [5]
    assert exercise.stub_names == ["answer"]


def _solution_code(code):
    return new_code_cell(code, metadata={"tags": ["solution"]})


def _toggle(kind):
    return new_markdown_cell(f"````{{solution-{kind}}} ex-a\n````")


@pytest.mark.parametrize(
    ("cells", "cell", "reason"),
    [
        ([new_markdown_cell(":::{exercise}\nno label\n:::")], 0, "exercise without a :label:"),
        ([exercise_cell(), exercise_cell()], 1, "exercise label 'ex-a' is used twice"),
        ([check_cell()], 0, "a check cell with no exercise before it"),
        (
            [exercise_cell(), new_markdown_cell("## Summary"), check_cell()],
            2,
            "a check cell with no exercise before it",
        ),
        (
            [_solution_code("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")],
            0,
            "a solution cell outside any exercise",
        ),
        (
            [exercise_cell(), _solution_code("x = 1")],
            1,
            "a solution cell without a ### BEGIN SOLUTION ... ### END SOLUTION block",
        ),
        (
            [exercise_cell(), _solution_code("### BEGIN SOLUTION\nx = 1")],
            1,
            "### BEGIN SOLUTION is never closed by ### END SOLUTION",
        ),
        (
            [exercise_cell(), new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")],
            1,
            "### BEGIN SOLUTION / ### END SOLUTION in a cell not tagged 'solution'",
        ),
        ([exercise_cell(), _toggle("start")], 1, "solution-start is never closed by solution-end"),
        ([exercise_cell(), _toggle("end")], 1, "solution-end without a solution-start"),
        (
            [exercise_cell(), _toggle("start"), new_code_cell("x = 2")],
            2,
            "a code cell inside a solution toggle must be tagged 'solution'",
        ),
        (
            [exercise_cell(), _toggle("start"), _toggle("start")],
            2,
            "solution-start while the one of cell 1 is open",
        ),
        ([_toggle("start")], 0, "a solution toggle outside any exercise"),
    ],
)
def test_malformed_notebooks_name_cell_and_reason(cells, cell, reason):
    with pytest.raises(NotebookFormatError) as info:
        find_exercises(notebook(*cells), "lesson.ipynb")
    assert (info.value.notebook, info.value.cell, info.value.reason) == (
        "lesson.ipynb",
        cell,
        reason,
    )
    assert str(info.value) == f"lesson.ipynb, cell {cell}: {reason}"


def test_command_writes_both_versions(tmp_path, capsys):
    source = tmp_path / "lesson.ipynb"
    original = notebook(badge_cell(), exercise_cell(), *solution_cells(), check_cell())
    original.cells[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
    nbformat.write(original, source)
    out = tmp_path / "dist"
    code = main(
        [
            str(source),
            "--output",
            str(out),
            "--repository-url",
            "https://github.com/o/r.git",
            "--branch",
            "spring",
        ]
    )
    assert code == 0
    assert capsys.readouterr().out == f"wrote 1 student and 1 instructor notebooks to {out}/\n"
    student = nbformat.read(out / "student" / "lesson.ipynb", as_version=4)
    instructor = nbformat.read(out / "instructor" / "lesson.ipynb", as_version=4)
    assert student.cells[0].source == badge_cell().source.replace(
        "github/org/repo/blob/main/notebooks/", "github/o/r/blob/spring/student/"
    )
    assert [c.source for c in instructor.cells] == [c.source for c in original.cells]
    assert instructor.cells[-1].outputs == []
    assert not any("answer = 42" in c.source for c in student.cells)
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == [
        "instructor",
        "instructor/lesson.ipynb",
        "student",
        "student/lesson.ipynb",
    ]


def test_command_reads_repository_from_config(tmp_path):
    source = tmp_path / "lesson.ipynb"
    nbformat.write(notebook(badge_cell()), source)
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://github.com/x/y\n  branch: dev\n")
    assert main([str(source), "--output", str(tmp_path / "d"), "--config", str(config)]) == 0
    student = nbformat.read(tmp_path / "d" / "student" / "lesson.ipynb", as_version=4)
    assert student.cells[0].source == badge_cell().source.replace(
        "github/org/repo/blob/main/notebooks/", "github/x/y/blob/dev/student/"
    )


def test_command_fails_on_malformed_notebook_and_writes_nothing(tmp_path, capsys):
    good = tmp_path / "a.ipynb"
    bad = tmp_path / "b.ipynb"
    nbformat.write(notebook(exercise_cell(), *solution_cells(), check_cell()), good)
    nbformat.write(notebook(check_cell()), bad)
    out = tmp_path / "dist"
    arguments = ["--output", str(out), "--repository-url", "u", "--branch", "b"]
    assert main([str(good), str(bad), *arguments]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"error: {bad}, cell 0: a check cell with no exercise before it\n"
    assert captured.out == ""
    assert not out.exists()


def test_command_bad_inputs(tmp_path, capsys):
    arguments = ["--output", str(tmp_path / "o"), "--repository-url", "u", "--branch", "b"]
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert main([str(text), *arguments]) == 1
    assert capsys.readouterr().err == f"error: {text}, cell 0: not a .ipynb file\n"
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json")
    assert main([str(broken), *arguments]) == 1
    assert capsys.readouterr().err.startswith(f"error: {broken}, cell 0: cannot be read (")
    assert not (tmp_path / "o").exists()
    missing = tmp_path / "missing.yml"
    with pytest.raises(
        SystemExit,
        match=rf"^error: cannot read repository.url and repository.branch from {re.escape(str(missing))} ",
    ):
        main([str(broken), "--config", str(missing)])


def test_command_runs_as_module(tmp_path):
    dist = tmp_path / "dist"
    result = subprocess.run(
        [sys.executable, "-m", "course_utils.student", "--output", str(dist)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    count = len(LESSONS)
    assert result.stdout == f"wrote {count} student and {count} instructor notebooks to {dist}/\n"
    for folder in ("student", "instructor"):
        assert sorted(p.name for p in (dist / folder).glob("*.ipynb")) == [p.name for p in LESSONS]


# --- every lesson ----------------------------------------------------------------------


class _Anything:
    """Stands in for any lesson variable a cell mentions besides the exercise's answers."""

    def __getattr__(self, name):
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __getitem__(self, key):
        return self


class _LenientNames(dict):
    """A namespace in which every unknown name is an _Anything, except ``strict`` names:
    those must be set by the code that runs in it, or they raise NameError."""

    def __init__(self, *args, strict=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.strict = frozenset(strict)

    def __missing__(self, key):
        if key in self.strict:
            raise KeyError(key)
        return _Anything()


def _solution_blocks(source):
    """The code between each ### BEGIN SOLUTION and ### END SOLUTION line of a cell."""
    blocks, block = [], None
    for line in source.splitlines():
        if line.strip() == "### BEGIN SOLUTION":
            block = []
        elif line.strip() == "### END SOLUTION":
            blocks.append("\n".join(block))
            block = None
        elif block is not None:
            block.append(line)
    return blocks


def _names_defined_by(block):
    """The names a solution block binds at its top level (assignments, def, class)."""
    names = []
    for node in ast.parse(textwrap.dedent(block)).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found = [node.name]
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found = [
                sub.id
                for target in targets
                for sub in ast.walk(target)
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store)
            ]
        else:
            found = []
        names.extend(name for name in found if name not in names)
    return names


def _is_stub(value):
    """True for ``...`` and for a function that returns ``...`` whatever it is given."""
    if value is Ellipsis:
        return True
    if not inspect.isfunction(value):
        return False
    positional, keywords = [], {}
    for parameter in inspect.signature(value).parameters.values():
        if parameter.default is not parameter.empty or parameter.kind in (
            parameter.VAR_POSITIONAL,
            parameter.VAR_KEYWORD,
        ):
            continue
        if parameter.kind is parameter.KEYWORD_ONLY:
            keywords[parameter.name] = _Anything()
        else:
            positional.append(_Anything())
    return value(*positional, **keywords) is Ellipsis


def test_names_defined_by_a_solution_block():
    block = (
        "a, (b, c) = 1, (2, 3)\nd: int = 4\ne += 1\ndef f(x):\n    g = x\nfor i in []:\n    h = i"
    )
    assert _names_defined_by(block) == ["a", "b", "c", "d", "e", "f"]
    assert _solution_blocks("x\n### BEGIN SOLUTION\ny = 1\n### END SOLUTION\nz") == ["y = 1"]


@pytest.fixture(scope="module", params=LESSONS, ids=[p.stem for p in LESSONS])
def lesson(request):
    path = request.param
    return path, nbformat.read(path, as_version=4)


def test_lesson_has_three_exercises_two_checked(lesson):
    path, nb = lesson
    exercises = find_exercises(nb, path.name)
    assert len(exercises) >= 3, f"{path.name} has {len(exercises)} exercises"
    checked = [e for e in exercises if e.check_cells]
    assert len(checked) >= 2, f"{path.name} has {len(checked)} auto-checked exercises"
    for exercise in checked:
        assert exercise.solution_cells, f"{exercise.label} has a check but no solution cell"
        assert exercise.stub_names, f"{exercise.label}'s solution assigns no name to check"


def test_student_version_contains_no_solution_code(lesson):
    path, nb = lesson
    student = make_student_notebook(nb, name=path.name)
    text = "\n".join(cell.source for cell in student.cells)
    assert "BEGIN SOLUTION" not in text
    assert "END SOLUTION" not in text
    assert "{solution" not in text
    stubs = [c.source for c in student.cells if "exercise-stub" in c.metadata.get("tags", [])]
    for cell in nb.cells:
        if "solution" not in cell.metadata.get("tags", []):
            continue
        for block in _solution_blocks(cell.source):
            assert block not in text, f"{path.name}: a solution block leaked"
            for line in block.splitlines():
                # Lines of code only: a bare bracket or comment is no solution to leak.
                if re.search(r"\w{2}", line) and not line.strip().startswith("#"):
                    assert all(line not in stub for stub in stubs), (
                        f"{path.name}: solution line {line!r} is in a student stub"
                    )


def test_student_stubs_fail_their_checks_with_not_answered(lesson):
    """Run each exercise's stub cells *as the student notebook has them*, then its check
    cells: every name the instructor's solution defines must now be a stub, and every
    check must answer "Not answered yet" about one of those names."""
    path, nb = lesson
    solution_names = {
        exercise.label: [
            name
            for index in exercise.solution_cells
            for block in _solution_blocks(nb.cells[index].source)
            for name in _names_defined_by(block)
        ]
        for exercise in find_exercises(nb, path.name)
    }
    student = make_student_notebook(nb, name=path.name)
    checked = [e for e in find_exercises(student, path.name) if e.check_cells]
    assert checked, f"{path.name}: the student version has no checked exercise"
    for exercise in checked:
        defined = solution_names[exercise.label]
        assert defined, f"{exercise.label}: the solution defines no name"
        stub_cells = [
            index
            for index in range(exercise.cell + 1, exercise.check_cells[0])
            if "exercise-stub" in student.cells[index].metadata.get("tags", [])
        ]
        assert stub_cells, f"{exercise.label}: no exercise-stub cell before its check"
        names = _LenientNames(checks=checks, course_utils=course_utils, np=np, strict=defined)
        names["__builtins__"] = __builtins__
        for index in stub_cells:
            code = compile(student.cells[index].source, f"{path.name}:cell{index}", "exec")
            exec(code, {}, names)
        not_stubbed = [name for name in defined if not _is_stub(dict.get(names, name))]
        assert not_stubbed == [], f"{exercise.label}: {not_stubbed} are not set to ..."
        for index in exercise.check_cells:
            code = compile(student.cells[index].source, f"{path.name}:cell{index}", "exec")
            with pytest.raises(checks.NotAnswered, match=r"^Not answered yet: ") as info:
                exec(code, {}, names)
            assert any(name in str(info.value) for name in defined), (
                f"{exercise.label}: {info.value} names none of {defined}"
            )
