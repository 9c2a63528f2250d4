"""The exercise format: its parser, the student and verification notebooks made from it, and
their guarantees for every lesson."""

from __future__ import annotations

import ast
import copy
import inspect
import json
import re
import subprocess
import symtable
import sys
import textwrap
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import course_utils
from course_utils import checks, exercises
from course_utils.instructor.exercise_format import (
    CHECK,
    EXERCISE,
    LESSON,
    PROSE,
    SOLUTION,
    TASK,
    TOGGLE,
    WRONG_ANSWER,
    ParsedExercise,
    ParsedNotebook,
    parse,
)
from course_utils.instructor.notebooks import (
    NotebookFormatError,
    main,
    make_student_notebook,
    make_verification_notebook,
    stub_solution,
)

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
FIXTURE = ROOT / "tests" / "fixtures" / "exercise_format" / "demo_lesson.ipynb"
COLAB = "https://colab.research.google.com/github/org/repo/blob/main/notebooks"


def heading(text="## Exercises"):
    return new_markdown_cell(text)


def exercise_cell(label="ex-a"):
    return new_markdown_cell(f":::{{exercise}}\n:label: {label}\n\nDo it.\n:::")


def toggle(kind, label="ex-a"):
    if kind == "start":
        return new_markdown_cell(f"````{{solution-start}} {label}\n:class: dropdown\n````")
    return new_markdown_cell("````{solution-end}\n````")


def solution_code(code="### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION"):
    return new_code_cell(code, metadata={"tags": ["solution"]})


def solution_cells(code="### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION", label="ex-a"):
    return [
        toggle("start", label),
        new_markdown_cell("Because six times seven."),
        solution_code(code),
        toggle("end"),
    ]


def check_cell(code='exercises.check("ex-a", globals())'):
    return new_code_cell(code, metadata={"tags": ["check"]})


def old_check_cell(code="checks.check_number(answer, 42, name='answer')"):
    return check_cell(code)


def wrong_cell(
    code='# Wrong: one too many\nexercises.assert_rejects("ex-a", globals(), diagnosis="too-large", answer=43)',
):
    return new_code_cell(code, metadata={"tags": ["wrong-answer", "remove-cell"]})


def notebook(*cells):
    nb = new_notebook()
    nb.cells = [copy.deepcopy(cell) for cell in cells]
    return nb


def badge_cell(lesson="lesson.ipynb"):
    return new_markdown_cell(
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"({COLAB}/{lesson})"
    )


def exercise(*cells, label="ex-a"):
    """An exercise of the usual form followed by ``cells``."""
    return [exercise_cell(label), *solution_cells(label=label), *cells]


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


def test_stub_sets_every_name_of_tuple_list_and_starred_targets():
    source = (
        "### BEGIN SOLUTION\na, (b, *c) = 1, (2, 3, 4)\n[d, e] = f, *g = [5, 6]\n### END SOLUTION"
    )
    stub, names = stub_solution(source)
    assert names == ["a", "b", "c", "d", "e", "f", "g"]
    assert stub.splitlines() == [f"{name} = ...  # YOUR ANSWER HERE" for name in names]


def test_stub_leaves_out_attribute_item_and_augmented_assignments():
    """They bind no name: they are part of the answer, dropped, and stub nothing."""
    source = (
        "base = make_base()\n"
        "### BEGIN SOLUTION\n"
        "base.trainable = False\n"
        'history["loss"] = losses\n'
        "total += 1\n"
        "base.layers[0].units, rates[1:] = 8, [0.1]\n"
        "### END SOLUTION\n"
        "model = build(base)"
    )
    stub, names = stub_solution(source)
    assert names == []
    assert stub.splitlines() == [
        "base = make_base()",
        "...  # YOUR CODE HERE",
        "model = build(base)",
    ]
    stub, names = stub_solution(
        "### BEGIN SOLUTION\nbase.trainable = False\nfrozen = base\n### END SOLUTION"
    )
    assert names == ["frozen"]
    assert stub == "frozen = ...  # YOUR ANSWER HERE"


COMPOUND = """\
import numpy as np
import os.path
from math import pi, sqrt as root
if use_big:
    width = 64
    if deeper:
        def helper(x, *, scale=2):
            inner = x
            return inner * scale
else:
    width = 8
    depth: int = 2
for index, (name, value) in enumerate(pairs):
    seen = name
else:
    finished = True
while (line := read()) is not None:
    count = len(line)
with open(path) as handle, lock() as (first, second):
    text = handle.read()
try:
    parsed = int(text)
except ValueError as error:
    fallback = str(error)
else:
    ok = True
finally:
    closed = True
class Model(Base):
    units = 3
match command:
    case [verb, *rest]:
        action = verb
    case {"k": key, **extra}:
        mapping = key
    case Point(x=px) as point if (positive := px > 0):
        pass
squares = [y * y for y in range(3)]
if any((hit := y) > 1 for y in range(3)):
    found = hit
"""


def test_stub_sets_names_bound_inside_compound_statements():
    source = f"### BEGIN SOLUTION\n{COMPOUND}### END SOLUTION"
    stub, names = stub_solution(source)
    expected = [
        "width", "helper", "depth", "index", "name", "value",
        "seen", "finished", "line", "count", "handle", "first", "second", "text", "parsed",
        "fallback", "ok", "closed", "Model", "verb", "rest", "action", "key", "extra",
        "mapping", "px", "point", "positive", "squares", "hit", "found",
    ]  # fmt: skip
    assert names == expected
    assert sorted(names) == sorted(_names_defined_by(COMPOUND))  # the symbol table agrees
    lines = [f"{name} = ...  # YOUR ANSWER HERE" for name in expected]
    at = expected.index("helper")
    lines[at : at + 1] = ["def helper(x, *, scale=2):", "    return ...  # YOUR CODE HERE"]
    assert stub.splitlines() == lines
    namespace: dict = {}
    exec(stub, namespace)
    assert all(_is_stub(namespace[name]) for name in expected)


def test_stub_of_an_indented_block_in_a_function():
    source = (
        "def train(model, epochs):\n"
        '    """Fit the model."""\n'
        "    ### BEGIN SOLUTION\n"
        "    history = model.fit(epochs=epochs)\n"
        "    if history:\n"
        "        return history\n"
        "    return None\n"
        "    ### END SOLUTION\n"
    )
    stub, names = stub_solution(source)
    assert names == ["history"]
    assert stub.splitlines() == [
        "def train(model, epochs):",
        '    """Fit the model."""',
        "    history = ...  # YOUR ANSWER HERE",
        "    return ...  # YOUR CODE HERE",
    ]
    namespace: dict = {}
    exec(stub, namespace)
    assert namespace["train"](None, 3) is Ellipsis


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


def test_stub_keeps_docstrings_and_drops_decorators():
    source = (
        "### BEGIN SOLUTION\n"
        "@functools.cache\n"
        "def scale(values: list[float], /, factor: float = 2.0, *rest, **options) -> list:\n"
        '    """Multiply every value by factor.\n'
        "\n"
        "    Returns a new list.\n"
        '    """\n'
        "    return [value * factor for value in values]\n"
        "\n"
        "\n"
        "if asynchronous:\n"
        "    async def fetch(\n"
        "        url,  # where from\n"
        "    ):\n"
        "        '''Download url.'''\n"
        "        return await get(url)\n"
        "### END SOLUTION"
    )
    stub, names = stub_solution(source)
    assert names == ["scale", "fetch"]
    assert stub.splitlines() == [
        "def scale(values: list[float], /, factor: float = 2.0, *rest, **options) -> list:",
        '    """Multiply every value by factor.',
        "",
        "    Returns a new list.",
        '    """',
        "    return ...  # YOUR CODE HERE",
        "async def fetch(",
        "    url,  # where from",
        "):",
        "    '''Download url.'''",
        "    return ...  # YOUR CODE HERE",
    ]
    namespace: dict = {}
    exec(stub, namespace)
    assert (
        inspect.getdoc(namespace["scale"])
        == "Multiply every value by factor.\n\nReturns a new list."
    )
    assert namespace["scale"]([1.0]) is Ellipsis
    assert inspect.iscoroutinefunction(namespace["fetch"])
    assert inspect.getdoc(namespace["fetch"]) == "Download url."


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


# --- the parser ------------------------------------------------------------------------


def test_parse_finds_the_korean_editions_exercises_section():
    nb = notebook(
        heading("## 연습 문제"),
        exercise_cell(),
        *solution_cells(),
        check_cell(),
        heading("## 요약"),
    )
    parsed = parse(nb, "ko/lesson.ipynb")
    assert (parsed.section_start, parsed.section_end) == (0, len(nb.cells) - 1)
    assert [exercise.label for exercise in parsed.exercises] == ["ex-a"]


def test_parse_reports_the_cells_of_each_exercise_and_the_section():
    nb = notebook(
        new_markdown_cell("# Lesson\n\n```python\n## not a heading\n```"),  # 0
        new_code_cell("x = 1"),  # 1
        heading(),  # 2
        new_markdown_cell("Two exercises.\n\n```python\n## a comment, no heading\n```"),  # 3
        exercise_cell(),  # 4
        *solution_cells(),  # 5 6 7 8
        check_cell(),  # 9
        wrong_cell(),  # 10
        wrong_cell(),  # 11
        heading("### A harder one"),  # 12
        exercise_cell("ex-b"),  # 13
        new_code_cell("given = 3"),  # 14
        toggle("start", "ex-b"),  # 15
        solution_code(),  # 16
        new_markdown_cell(":::{solution} ex-b\nThe prose.\n:::"),  # 17
        new_markdown_cell("## Inside the toggle: still solution"),  # 18
        toggle("end"),  # 19
        old_check_cell("value = checks.check_number(answer, 42)\nprint(value)"),  # 20
        heading("## Summary"),  # 21
        new_code_cell("print(x)"),  # 22
    )
    parsed = parse(nb, "lesson.ipynb")
    assert parsed == ParsedNotebook(
        name="lesson.ipynb",
        exercises=(
            ParsedExercise(
                label="ex-a",
                cell=4,
                toggle_cells=(5, 8),
                solution_cells=(7,),
                prose_cells=(6,),
                check_cells=(9,),
                wrong_answer_cells=(10, 11),
                check_style="exercises",
                end=12,
            ),
            ParsedExercise(
                label="ex-b",
                cell=13,
                toggle_cells=(15, 19),
                solution_cells=(16,),
                prose_cells=(17, 18),
                check_cells=(20,),
                wrong_answer_cells=(),
                check_style="checks",
                end=21,
            ),
        ),
        section_start=2,
        section_end=21,
        roles=(
            *[LESSON] * 4,
            EXERCISE, TOGGLE, PROSE, SOLUTION, TOGGLE, CHECK, WRONG_ANSWER, WRONG_ANSWER,
            LESSON,
            EXERCISE, TASK, TOGGLE, SOLUTION, PROSE, PROSE, TOGGLE, CHECK,
            LESSON, LESSON,
        ),
    )  # fmt: skip
    assert parsed.exercise_of(14) is parsed.exercises[1]
    assert [parsed.exercise_of(index) for index in (3, 12, 21)] == [None, None, None]


def test_parse_a_notebook_without_exercises():
    parsed = parse(notebook(heading("# Lesson"), new_code_cell("x = 1")))
    assert parsed == ParsedNotebook("notebook", (), None, None, (LESSON, LESSON))


def test_parse_reads_sources_split_into_lines():
    nb = notebook(heading(), *exercise(check_cell()))
    for cell in nb.cells:
        cell.source = cell.source.splitlines(keepends=True)
    assert parse(nb) == parse(notebook(heading(), *exercise(check_cell())))


@pytest.mark.parametrize(
    ("source", "style"),
    [
        ('exercises.check("ex-a", globals())', "exercises"),
        ("exercises.check('ex-a', globals())  # all of it\n", "exercises"),
        ("checks.check_number(answer, 42, name='answer')", "checks"),
        ("score = checks.check_score(model, x, y, minimum=0.9)\nprint(f'{score:.3f}')", "checks"),
    ],
)
def test_parse_reads_check_cells_of_both_forms(source, style):
    (parsed,) = parse(notebook(heading(), *exercise(check_cell(source)))).exercises
    assert parsed.check_style == style


def _reasons():
    """(cells, cell index, reason) of each kind of malformed notebook."""
    solution = "### BEGIN SOLUTION\nx = 1\n### END SOLUTION"
    checked = [exercise_cell(), *solution_cells(), check_cell()]
    must = 'a check cell must be exactly exercises.check("ex-a", globals())'
    wrong_call = 'a wrong-answer cell must call exercises.assert_rejects("ex-a", globals(), ...)'
    return [
        (
            [heading(), new_markdown_cell(":::{exercise}\nno label\n:::")],
            1,
            "exercise without a :label:",
        ),
        ([heading(), exercise_cell(), exercise_cell()], 2, "exercise label 'ex-a' is used twice"),
        ([exercise_cell()], 0, "an exercise outside the '## Exercises' section"),
        (
            [heading(), heading("## Summary"), exercise_cell()],
            2,
            "an exercise outside the '## Exercises' section",
        ),
        ([heading(), heading()], 1, "a second '## Exercises' section"),
        ([heading(), heading("## 연습 문제")], 1, "a second '## Exercises' section"),
        (
            [heading("## Exercise"), exercise_cell()],
            1,
            "an exercise outside the '## Exercises' section",
        ),
        ([heading(), check_cell()], 1, "a check cell outside any exercise"),
        (
            [heading(), exercise_cell(), heading("### Next"), check_cell()],
            3,
            "a check cell outside any exercise",
        ),
        ([solution_code(solution)], 0, "a solution cell outside any exercise"),
        (
            [heading(), exercise_cell(), solution_code("x = 1")],
            2,
            "a solution cell without a ### BEGIN SOLUTION ... ### END SOLUTION block",
        ),
        (
            [heading(), exercise_cell(), solution_code("### BEGIN SOLUTION\nx = 1")],
            2,
            "### BEGIN SOLUTION is never closed by ### END SOLUTION",
        ),
        (
            [heading(), exercise_cell(), solution_code(f"### BEGIN SOLUTION\n{solution}")],
            2,
            "line 2: ### BEGIN SOLUTION inside another solution block",
        ),
        (
            [heading(), exercise_cell(), solution_code(f"### END SOLUTION\n{solution}")],
            2,
            "line 1: ### END SOLUTION without a ### BEGIN SOLUTION before it",
        ),
        (
            [
                heading(),
                exercise_cell(),
                solution_code("### BEGIN SOLUTION\nx = = 1\n### END SOLUTION"),
            ],
            2,
            "the solution block is not valid Python (invalid syntax)",
        ),
        (
            [heading(), exercise_cell(), new_code_cell(solution)],
            2,
            "### BEGIN SOLUTION / ### END SOLUTION in a cell not tagged 'solution'",
        ),
        (
            [
                heading(),
                exercise_cell(),
                new_code_cell("x = 1", metadata={"tags": ["solution", "check"]}),
            ],
            2,
            "a cell tagged both 'solution' and 'check'",
        ),
        (
            [heading(), exercise_cell(), toggle("start")],
            2,
            "solution-start is never closed by solution-end",
        ),
        ([heading(), exercise_cell(), toggle("end")], 2, "solution-end without a solution-start"),
        (
            [heading(), exercise_cell(), toggle("start"), new_code_cell("x = 2")],
            3,
            "a code cell inside a solution toggle must be tagged 'solution'",
        ),
        (
            [heading(), exercise_cell(), toggle("start"), check_cell()],
            3,
            "a code cell inside a solution toggle must be tagged 'solution'",
        ),
        (
            [heading(), exercise_cell(), toggle("start"), toggle("start")],
            3,
            "solution-start while the one of cell 2 is open",
        ),
        (
            [heading(), exercise_cell(), toggle("start"), exercise_cell("ex-b")],
            3,
            "an exercise inside the solution toggle of cell 2",
        ),
        ([heading(), toggle("start")], 1, "a solution toggle outside any exercise"),
        (
            [heading(), new_markdown_cell(":::{solution}\nSo.\n:::")],
            1,
            "a solution toggle outside any exercise",
        ),
        (
            [heading(), exercise_cell(), toggle("start", "ex-b")],
            2,
            "a solution-start must name its exercise: {solution-start} ex-a",
        ),
        (
            [heading(), exercise_cell(), new_markdown_cell("````{solution-start}\n````")],
            2,
            "a solution-start must name its exercise: {solution-start} ex-a",
        ),
        ([heading(), exercise_cell(), check_cell("print(answer)")], 2, must),
        (
            [
                heading(),
                exercise_cell(),
                check_cell('exercises.check("ex-a", globals())\nprint(1)'),
            ],
            2,
            must,
        ),
        (
            [
                heading(),
                exercise_cell(),
                check_cell('exercises.check("ex-a", namespace=globals())'),
            ],
            2,
            must,
        ),
        (
            [heading(), exercise_cell(), check_cell('exercises.check("ex-a", {"answer": 42})')],
            2,
            must,
        ),
        ([heading(), exercise_cell(), check_cell("checks.check_number(exercises.x, 1)")], 2, must),
        ([heading(), exercise_cell(), check_cell("%time checks.check_number(x, 1)")], 2, must),
        (
            [heading(), exercise_cell(), check_cell('exercises.check("ex-b", globals())')],
            2,
            "a check cell for 'ex-b' in exercise 'ex-a'",
        ),
        ([heading(), *checked, check_cell()], 7, "a second check cell in exercise 'ex-a'"),
        ([heading(), wrong_cell()], 1, "a wrong-answer cell outside any exercise"),
        (
            [heading(), exercise_cell(), *solution_cells(), wrong_cell()],
            6,
            "a wrong-answer cell before the check cell of 'ex-a'",
        ),
        (
            [
                heading(),
                *checked,
                wrong_cell(
                    '# Wrong: no\nexercises.assert_rejects("ex-b", globals(), diagnosis="wrong", answer=1)'
                ),
            ],
            7,
            "a wrong-answer cell for 'ex-b' in exercise 'ex-a'",
        ),
        ([heading(), *checked, wrong_cell("# Wrong: no\nassert answer != 1")], 7, wrong_call),
        (
            [
                heading(),
                *checked,
                wrong_cell("# Wrong: no\nexercises.assert_rejects(label, globals())"),
            ],
            7,
            wrong_call,
        ),
        (
            [heading(), *checked, wrong_cell("# Wrong: no\nexercises.assert_rejects(")],
            7,
            wrong_call,
        ),
        (
            [
                heading(),
                *checked,
                wrong_cell(
                    'exercises.assert_rejects("ex-a", globals(), diagnosis="wrong", answer=1)'
                ),
            ],
            7,
            "a wrong-answer cell must say what is wrong in a '# Wrong: ...' comment",
        ),
        (
            [
                heading(),
                *checked,
                wrong_cell('# Wrong: no\nexercises.assert_rejects("ex-a", globals(), answer=1)'),
            ],
            7,
            "a wrong-answer cell must name the diagnosis its check gives: "
            'exercises.assert_rejects("ex-a", globals(), diagnosis="...", ...)',
        ),
        (
            [
                heading(),
                *checked,
                wrong_cell(
                    '# Wrong: no\nexercises.assert_rejects("ex-a", globals(), diagnosis=d, answer=1)'
                ),
            ],
            7,
            "a wrong-answer cell must name the diagnosis its check gives: "
            'exercises.assert_rejects("ex-a", globals(), diagnosis="...", ...)',
        ),
    ]


@pytest.mark.parametrize(("cells", "cell", "reason"), _reasons())
def test_malformed_notebooks_name_cell_and_reason(cells, cell, reason):
    with pytest.raises(NotebookFormatError) as info:
        parse(notebook(*cells), "lesson.ipynb")
    assert (info.value.notebook, info.value.cell, info.value.reason) == (
        "lesson.ipynb",
        cell,
        reason,
    )
    assert str(info.value) == f"lesson.ipynb, cell {cell}: {reason}"
    # the generators refuse it the same way
    for make in (make_student_notebook, make_verification_notebook):
        with pytest.raises(NotebookFormatError, match=f"^{re.escape(str(info.value))}$"):
            make(notebook(*cells), name="lesson.ipynb")


# --- student notebooks -----------------------------------------------------------------


def test_student_notebook_removes_solutions_and_rewrites_badge():
    nb = notebook(badge_cell(), heading(), *exercise(check_cell(), wrong_cell()))
    nb.cells[-2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
    nb.cells[-2].execution_count = 3
    badge = "https://colab.research.google.com/github/o/r/blob/b/student/lesson.ipynb"
    student = make_student_notebook(nb, name="notebooks/lesson.ipynb", badge_url=badge)
    assert [cell.source for cell in student.cells] == [
        badge_cell().source.replace(f"{COLAB}/lesson.ipynb", badge),
        "## Exercises",
        exercise_cell().source,
        "answer = ...  # YOUR ANSWER HERE",
        check_cell().source,
    ]
    assert student.cells[3].metadata["tags"] == ["exercise-stub"]
    assert student.cells[4].outputs == []
    assert student.cells[4].execution_count is None
    assert "six times seven" not in json.dumps(student)
    assert "assert_rejects" not in json.dumps(student)
    # the input is unchanged
    assert nb.cells[5].source == "### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION"
    assert len(nb.cells[-2].outputs) == 1
    assert nb.cells[-2].execution_count == 3


def test_student_notebook_leaks_no_solution_prose():
    nb = notebook(
        heading(),
        exercise_cell(),
        new_markdown_cell("A hint that belongs to the task."),
        toggle("start"),
        new_markdown_cell(":::{solution} ex-a\nSECRET 1\n:::"),
        new_markdown_cell("### SECRET 2, a heading inside the toggle"),
        solution_code(),
        new_markdown_cell("SECRET 3, prose after the code"),
        nbformat.v4.new_raw_cell("SECRET 5, a raw cell"),
        toggle("end"),
        new_markdown_cell(":::{solution} ex-a\nSECRET 4, a directive outside the toggle\n:::"),
        check_cell(),
        *exercise(check_cell('exercises.check("ex-b", globals())'), label="ex-b"),
        heading("## Summary"),
    )  # fmt: skip
    student = make_student_notebook(nb, name="lesson.ipynb")
    assert [cell.source for cell in student.cells] == [
        "## Exercises",
        exercise_cell().source,
        "A hint that belongs to the task.",
        "answer = ...  # YOUR ANSWER HERE",
        check_cell().source,
        exercise_cell("ex-b").source,
        "answer = ...  # YOUR ANSWER HERE",
        'exercises.check("ex-b", globals())',
        "## Summary",
    ]
    assert "SECRET" not in json.dumps(student)


def test_student_notebook_drops_wrong_answer_cells():
    nb = notebook(heading(), *exercise(check_cell(), wrong_cell(), wrong_cell()))
    student = make_student_notebook(nb, name="lesson.ipynb")
    assert [cell.cell_type for cell in student.cells] == ["markdown", "markdown", "code", "code"]
    assert [cell.metadata.get("tags") for cell in student.cells[2:]] == [
        ["exercise-stub"],
        ["check"],
    ]


def test_only_the_lessons_own_colab_link_is_rewritten():
    other = f"{COLAB}/other.ipynb"
    keep = [
        f"[the lesson before]({other})",
        f"[a longer name]({COLAB}/my_lesson.ipynb)",
        f"[not a lesson]({COLAB}/lesson.ipynb.bak)",
        "[on GitHub](https://github.com/org/repo/blob/main/notebooks/lesson.ipynb)",
        "[elsewhere](https://colab.research.google.com/github/o/r/blob/main/lesson.ipynb)",
    ]
    nb = notebook(
        new_markdown_cell(f"{badge_cell().source}\n\n" + "\n".join(keep)),
        new_code_cell(f'print("{COLAB}/lesson.ipynb")'),
    )
    student = make_student_notebook(nb, name="lesson.ipynb", badge_url="NEW")
    assert student.cells[0].source.splitlines() == [
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](NEW)",
        "",
        *keep,
    ]
    assert student.cells[1].source == nb.cells[1].source
    # another lesson's badge is another lesson's
    (cell,) = make_student_notebook(
        notebook(badge_cell()), name="other.ipynb", badge_url="NEW"
    ).cells
    assert cell.source == badge_cell().source


def test_the_colab_editions_own_colab_link_is_rewritten():
    korean = f"[![Colab에서 열기](https://colab.research.google.com/assets/colab-badge.svg)]({COLAB}/colab/ko/lesson.ipynb)"
    keep = [
        f"[다른 레슨]({COLAB}/colab/ko/other.ipynb)",
        f"[three folders deep]({COLAB}/colab/ko/x/lesson.ipynb)",
    ]
    nb = notebook(new_markdown_cell(korean + "\n" + "\n".join(keep)))
    (cell,) = make_student_notebook(nb, name="colab/ko/lesson.ipynb", badge_url="NEW").cells
    assert cell.source.splitlines() == [
        "[![Colab에서 열기](https://colab.research.google.com/assets/colab-badge.svg)](NEW)",
        *keep,
    ]


# --- verification notebooks ------------------------------------------------------------

NOT_ANSWERED = """\
# Verification: the student version stubs every answer, and the check says
# "not answered yet".
_unset = [
    name for name in exercises.get("{label}").answers if name not in globals()
]
assert not _unset, "{label}: the student version sets no stub for " + str(_unset)
exercises.assert_not_answered("{label}", globals())"""

WRAPPED = """\
# Verification: with the stubs in place this check must raise NotAnswered.
from course_utils.checks import NotAnswered as _NotAnswered

try:
{code}
except _NotAnswered:
    pass
except Exception as _error:
    raise AssertionError(
        "{label}: with the stubs in place the check should say 'not answered yet', but it raised "
        + f"{{type(_error).__name__}}: {{_error}}"
    ) from _error
else:
    raise AssertionError("{label}: with the stubs in place the check passed")"""


def test_verification_notebook_parts():
    old_check = "value = checks.check_number(answer, 42)\nprint(value)"
    nb = notebook(
        heading("# Lesson"),
        new_code_cell("from course_utils import checks, exercises"),
        new_code_cell("numbers = [1, 2]"),
        heading(),
        *exercise(check_cell(), wrong_cell()),
        *exercise(old_check_cell(old_check), label="ex-b"),
        heading("## Summary"),
        new_code_cell("print(numbers)"),
    )
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x\n")]
    original = copy.deepcopy(nb)
    verification = make_verification_notebook(nb, "lesson.ipynb")
    assert nb == original
    ids = [cell.id for cell in verification.cells]
    assert len(set(ids)) == len(ids)  # before validate(), which would renumber duplicates
    nbformat.validate(verification)
    parts = [cell.metadata["verification"] for cell in verification.cells]
    assert parts == [
        *["before-exercises"] * 3, *["student"] * 9, *["instructor"] * 15, *["after-exercises"] * 2
    ]  # fmt: skip
    sources = [cell.source for cell in verification.cells]
    assert sources[:3] == [cell.source for cell in nb.cells[:3]]
    student = sources[3:12]
    assert student[0].endswith("\n_verification_lesson = dict(globals())")
    assert student[1:8] == [
        "## Exercises",
        exercise_cell().source,
        "answer = ...  # YOUR ANSWER HERE",
        NOT_ANSWERED.format(label="ex-a"),
        exercise_cell("ex-b").source,
        "answer = ...  # YOUR ANSWER HERE",
        WRAPPED.format(label="ex-b", code=textwrap.indent(old_check, "    ")),
    ]
    assert student[8].endswith("\nglobals().update(_verification_lesson)\ndel _verification_lesson")
    assert sources[12:26] == [cell.source for cell in nb.cells[3:17]]
    hidden = verification.cells[26]
    assert hidden.id == "verification-answers-hidden"
    assert "exercises.assert_answers_hidden(" in hidden.source
    assert "labels=['ex-a']" in hidden.source  # ex-b's old-style check records nothing
    # it searches the Exercises section as handed out: the task and the stub, not the lesson
    assert json.dumps(json.dumps(exercise_cell().source))[1:-1] in hidden.source
    assert "answer = ...  # YOUR ANSWER HERE" in hidden.source
    assert "numbers = [1, 2]" not in hidden.source and "print(numbers)" not in hidden.source
    assert sources[27:] == [cell.source for cell in nb.cells[17:]]
    tags = [cell.metadata.get("tags") for cell in verification.cells[3:12]]
    stub, not_answered = ["exercise-stub"], ["not-answered"]
    assert tags == [None, None, None, stub, not_answered, None, stub, not_answered, None]
    assert all(cell.get("outputs", []) == [] for cell in verification.cells)
    for cell in verification.cells:
        if cell.cell_type == "code":
            compile(cell.source, cell.id, "exec")


def test_verification_of_a_notebook_without_exercises():
    nb = notebook(heading("# Lesson"), new_code_cell("x = 1"))
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x\n")]
    verification = make_verification_notebook(nb)
    assert [cell.source for cell in verification.cells] == ["# Lesson", "x = 1"]
    assert verification.cells[1].outputs == []
    assert {cell.metadata["verification"] for cell in verification.cells} == {"before-exercises"}


def test_verification_of_an_old_notebook_has_no_cell_ids():
    nb = notebook(heading(), *exercise(check_cell()))
    nb.nbformat_minor = 4
    for cell in nb.cells:
        del cell["id"]
    verification = make_verification_notebook(nb)
    nbformat.validate(verification)
    assert not any("id" in cell for cell in verification.cells)


def _execute(nb):
    """Run a notebook in a fresh kernel; return the CellExecutionError, or None."""
    client = NotebookClient(
        nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    try:
        client.execute()
    except CellExecutionError as error:
        return error
    return None


def _fixture_verification(change=None):
    nb = nbformat.read(FIXTURE, as_version=4)
    if change is not None:
        change(nb)
    return make_verification_notebook(nb, FIXTURE.name)


def _failed_cell(nb):
    failed = [
        index
        for index, cell in enumerate(nb.cells)
        if any(output.output_type == "error" for output in cell.get("outputs", []))
    ]
    assert len(failed) == 1, failed
    return nb.cells[failed[0]]


@pytest.mark.slow
def test_fixture_verification_notebook_passes():
    verification = _fixture_verification()
    assert _execute(verification) is None
    code = [cell for cell in verification.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code)
    not_answered = [cell for cell in code if "not-answered" in cell.metadata.get("tags", [])]
    assert len(not_answered) == 4
    summary = verification.cells[-1]
    assert summary.metadata["verification"] == "after-exercises"
    assert summary.outputs[0].text == "the lesson's numbers: [3, 4, 5, 6]\n"


@pytest.mark.slow
def test_fixture_verification_fails_with_a_wrong_solution():
    def break_solution(nb):
        (cell,) = [c for c in nb.cells if "total = 0" in c.source]
        cell.source = cell.source.replace("total = 0", "total = 1")

    verification = _fixture_verification(break_solution)
    error = _execute(verification)
    assert error is not None and error.ename == "WrongAnswer"
    cell = _failed_cell(verification)
    assert cell.metadata["verification"] == "instructor"
    assert cell.source == 'exercises.check("ex-demo-total", globals())'


@pytest.mark.slow
@pytest.mark.parametrize(
    ("label", "stub", "message"),
    [
        ("ex-demo-total", "total = 12", "ex-demo-total: with the stubs in place the check passed"),
        (
            "ex-demo-double",
            "...  # YOUR CODE HERE",
            "ex-demo-double: the student version sets no stub for ['double']",
        ),
        (
            "ex-demo-squares",
            "squares = [9, 16, 25]",
            "ex-demo-squares: with the stubs in place the check passed",
        ),
    ],
    ids=["solution-left-in", "stub-missing", "old-style-check"],
)
def test_fixture_verification_fails_when_a_stub_is_not_generated(label, stub, message):
    verification = _fixture_verification()
    parsed = parse(nbformat.read(FIXTURE, as_version=4))
    (task,) = [e for e in parsed.exercises if e.label == label]
    task_text = nbformat.read(FIXTURE, as_version=4).cells[task.cell].source
    student = [c for c in verification.cells if c.metadata["verification"] == "student"]
    position = [c.source for c in student].index(task_text)
    assert "exercise-stub" in student[position + 1].metadata["tags"]
    student[position + 1].source = stub
    error = _execute(verification)
    assert error is not None and error.ename == "AssertionError"
    assert error.evalue == message
    assert "not-answered" in _failed_cell(verification).metadata["tags"]


@pytest.mark.slow
def test_fixture_verification_fails_when_the_student_notebook_shows_an_answer():
    """The lesson's prose giving away ex-demo-total's answer (12) fails the verification."""

    def give_away(nb):
        nb.cells[6].source = nb.cells[6].source.replace(":::", "(The sum is 12.)\n:::", 2)
        nb.cells[6].source = nb.cells[6].source.replace("(The sum is 12.)\n:::", ":::", 1)

    verification = _fixture_verification(give_away)
    error = _execute(verification)
    assert error is not None and error.ename == "AssertionError"
    assert "ex-demo-total: the expected 12 (check_number) is shown in cell 1" in error.evalue
    assert _failed_cell(verification).id == "verification-answers-hidden"


@pytest.mark.slow
def test_fixture_verification_needs_the_lesson_variables_restored():
    """Without the restoring cell, the student stub of ``numbers`` breaks the instructor part."""
    verification = _fixture_verification()
    verification.cells = [c for c in verification.cells if c.id != "verification-restore"]
    error = _execute(verification)
    assert error is not None and error.ename == "TypeError"
    assert _failed_cell(verification).metadata["verification"] == "instructor"


# --- the command -----------------------------------------------------------------------


def test_command_writes_both_versions(tmp_path, capsys):
    source = tmp_path / "lesson.ipynb"
    original = notebook(badge_cell(), heading(), *exercise(check_cell()))
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


def test_command_writes_verification_notebooks(tmp_path, capsys):
    source = tmp_path / "lesson.ipynb"
    original = notebook(badge_cell(), heading(), *exercise(check_cell()))
    nbformat.write(original, source)
    out = tmp_path / "dist"
    arguments = ["--output", str(out), "--repository-url", "u", "--branch", "b"]
    assert main([str(source), *arguments, "--verification"]) == 0
    assert capsys.readouterr().out == (
        f"wrote 1 student, 1 instructor and 1 verification notebooks to {out}/\n"
    )
    written = nbformat.read(out / "verification" / "lesson.ipynb", as_version=4)
    assert written == make_verification_notebook(original, str(source))
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.ipynb")) == [
        "instructor/lesson.ipynb",
        "student/lesson.ipynb",
        "verification/lesson.ipynb",
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
    nbformat.write(notebook(heading(), *exercise(check_cell())), good)
    nbformat.write(notebook(heading(), check_cell()), bad)
    out = tmp_path / "dist"
    arguments = ["--output", str(out), "--repository-url", "u", "--branch", "b"]
    assert main([str(good), str(bad), *arguments, "--verification"]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"error: {bad}, cell 1: a check cell outside any exercise\n"
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
        match=rf"^error: cannot read repository.url and repository.branch from "
        rf"{re.escape(str(missing))} ",
    ):
        main([str(broken), "--config", str(missing)])


@pytest.mark.slow
def test_command_runs_as_module(tmp_path):
    dist = tmp_path / "dist"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "course_utils.instructor.notebooks",
            "--output",
            str(dist),
            "--verification",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    n = len(LESSONS)
    assert result.stdout == (
        f"wrote {n} student, {n} instructor and {n} verification notebooks to {dist}/\n"
    )
    for folder in ("student", "instructor", "verification"):
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


def _names_defined_by(block, *, everything=False):
    """The names a solution block binds where it runs, as Python's symbol table sees them.

    Without ``everything``, names the block binds only by an import or ``except ... as``, or
    changes only by an augmented assignment, are left out (the stubs leave them out too)."""
    code = textwrap.dedent(block)
    table = symtable.symtable("def _block():\n" + textwrap.indent(code, "    "), "b", "exec")
    (scope,) = table.get_children()
    bound = [s.get_name() for s in scope.get_symbols() if s.is_assigned() or s.is_imported()]
    if everything:
        return bound
    tree = ast.parse(code)
    changed = {
        n.target.id
        for n in ast.walk(tree)
        if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name)
    }
    caught = {n.name for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler) and n.name}
    stored = {
        n.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        and not any(isinstance(p, ast.AugAssign) and p.target is n for p in ast.walk(tree))
    }  # fmt: skip
    imported = {
        alias.asname or alias.name.split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, (ast.Import, ast.ImportFrom))
        for alias in n.names
    }  # imports are part of the answer and leave no stub
    return [name for name in bound if name not in (changed | caught | imported) - stored]


def _signature_lines(block):
    """The lines of a block's function signatures and docstrings (the stubs keep them)."""
    lines = textwrap.dedent(block).splitlines()
    kept = set()
    for node in ast.walk(ast.parse(textwrap.dedent(block))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            kept.update(lines[node.lineno - 1 : node.body[0].lineno - 1])
            if ast.get_docstring(node) is not None:
                kept.update(lines[node.body[0].lineno - 1 : node.body[0].end_lineno])
    return {line.strip() for line in kept}


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
        "a, (b, c) = 1, (2, 3)\nd: int = 4\ne += 1\ndef f(x):\n    g = x\nfor i in []:\n    h = i\n"
        "try:\n    j = 1\nexcept E as k:\n    pass\nl = 0\nl += 1\nm.n = 2"
    )
    assert _names_defined_by(block) == ["a", "b", "c", "d", "f", "i", "h", "j", "l"]
    assert _names_defined_by(block, everything=True) == [
        "a", "b", "c", "d", "e", "f", "i", "h", "j", "k", "l"
    ]  # fmt: skip
    assert _solution_blocks("x\n### BEGIN SOLUTION\ny = 1\n### END SOLUTION\nz") == ["y = 1"]
    signature = '@cache\ndef f(\n    x,\n):\n    """Doc."""\n    return x\n'
    assert _signature_lines(signature) == {"def f(", "x,", "):", '"""Doc."""'}


#: The lessons and their Colab editions, English and Korean (the student notebooks are
#: made from the editions).
EDITIONS = [
    ROOT / "notebooks" / "colab" / language / p.name for language in ("en", "ko") for p in LESSONS
]


@pytest.fixture(
    scope="module",
    params=LESSONS + EDITIONS,
    ids=[p.stem for p in LESSONS] + [f"{p.parent.name}-{p.stem}" for p in EDITIONS],
)
def lesson(request):
    path = request.param
    return path, nbformat.read(path, as_version=4)


def _stub_names(nb, exercise):
    return [
        name
        for index in exercise.solution_cells
        for name in stub_solution(nb.cells[index].source)[1]
    ]


def test_lesson_has_three_exercises_two_checked(lesson):
    path, nb = lesson
    parsed = parse(nb, path.name)
    assert len(parsed.exercises) >= 3, f"{path.name} has {len(parsed.exercises)} exercises"
    checked = [e for e in parsed.exercises if e.check_cells]
    assert len(checked) >= 2, f"{path.name} has {len(checked)} auto-checked exercises"
    for exercise in checked:
        assert exercise.solution_cells, f"{exercise.label} has a check but no solution cell"
        assert _stub_names(nb, exercise), f"{exercise.label}'s solution assigns no name to check"
        if exercise.check_style == "exercises":
            answers = exercises.get(exercise.label).answers
            missing = [name for name in answers if name not in _stub_names(nb, exercise)]
            assert missing == [], f"{exercise.label}: the student stubs do not set {missing}"


def test_student_version_contains_no_solution_code(lesson):
    path, nb = lesson
    parsed = parse(nb, path.name)
    student = make_student_notebook(nb, name=path.name)
    text = "\n".join(cell.source for cell in student.cells)
    assert "BEGIN SOLUTION" not in text
    assert "END SOLUTION" not in text
    assert "{solution" not in text
    assert "assert_rejects" not in text
    for index, role in enumerate(parsed.roles):
        if role in (PROSE, WRONG_ANSWER):
            assert nb.cells[index].source not in text, f"{path.name}: cell {index} leaked"
    stubs = [c.source for c in student.cells if "exercise-stub" in c.metadata.get("tags", [])]
    for cell in nb.cells:
        if "solution" not in cell.metadata.get("tags", []):
            continue
        for block in _solution_blocks(cell.source):
            assert block not in text, f"{path.name}: a solution block leaked"
            kept = _signature_lines(block)
            for line in block.splitlines():
                # Lines of code only: a bare bracket or comment is no solution to leak, and
                # a function's signature and docstring are the task.
                if re.search(r"\w{2}", line) and not line.strip().startswith("#"):
                    if line.strip() in kept:
                        continue
                    assert all(line not in stub for stub in stubs), (
                        f"{path.name}: solution line {line!r} is in a student stub"
                    )


def test_student_stubs_fail_their_checks_with_not_answered(lesson):
    """Run each exercise's stub cells *as the student notebook has them*, then its check:
    every name the instructor's solution binds must now be a stub, and the check must
    answer "Not answered yet" about one of those names. (The verification notebooks run
    the same with the lesson's real variables.)"""
    path, nb = lesson
    parsed = parse(nb, path.name)
    solution_names = {
        exercise.label: [
            name
            for index in exercise.solution_cells
            for block in _solution_blocks(nb.cells[index].source)
            for name in _names_defined_by(block)
        ]
        for exercise in parsed.exercises
    }
    instructor = {exercise.label: exercise for exercise in parsed.exercises}
    student = make_student_notebook(nb, name=path.name)
    checked = [e for e in parse(student, path.name).exercises if e.check_cells]
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
        solutions = instructor[exercise.label].solution_cells
        stubbed = {name for index in solutions for name in stub_solution(nb.cells[index].source)[1]}
        everything = {
            name
            for index in solutions
            for block in _solution_blocks(nb.cells[index].source)
            for name in _names_defined_by(block, everything=True)
        }
        assert stubbed <= everything, f"{exercise.label}: stubs for {stubbed - everything}"
        (check,) = exercise.check_cells
        if exercise.check_style == "exercises":
            registered = exercises.get(exercise.label)
            answers = {name: dict.get(names, name) for name in registered.answers}
            if all(checks.is_placeholder(value) for value in answers.values()):
                context = {name: _Anything() for name in registered.context}
                message = exercises.assert_not_answered(exercise.label, {**context, **answers})
            else:  # a function stub: the check would run it with the lesson's real objects
                assert all(_is_stub(value) for value in answers.values())
                continue
        else:
            code = compile(student.cells[check].source, f"{path.name}:cell{check}", "exec")
            with pytest.raises(checks.NotAnswered) as info:
                exec(code, {}, names)
            message = str(info.value)
        assert message.startswith("Not answered yet: ")
        assert any(name in message for name in defined), (
            f"{exercise.label}: {message} names none of {defined}"
        )


def test_lesson_verification_notebook(lesson):
    path, nb = lesson
    parsed = parse(nb, path.name)
    verification = make_verification_notebook(nb, path.name)
    ids = [cell.id for cell in verification.cells]
    assert len(set(ids)) == len(ids)
    nbformat.validate(verification)
    start, end = parsed.section_start, parsed.section_end
    parts = [cell.metadata["verification"] for cell in verification.cells]
    n_student = parts.count("student")
    assert parts == (
        ["before-exercises"] * start
        + ["student"] * n_student
        + ["instructor"] * (end - start + 1)  # and the search for answers in sight
        + ["after-exercises"] * (len(nb.cells) - end)
    )
    sources = [cell.source for cell in verification.cells]
    assert sources[:start] == [cell.source for cell in nb.cells[:start]]
    instructor_end = start + n_student + end - start
    assert sources[start + n_student : instructor_end] == [c.source for c in nb.cells[start:end]]
    assert verification.cells[instructor_end].id == "verification-answers-hidden"
    assert sources[instructor_end + 1 :] == [cell.source for cell in nb.cells[end:]]
    student = verification.cells[start : start + n_student]
    not_answered = [c for c in student if "not-answered" in c.metadata.get("tags", [])]
    assert len(not_answered) == sum(1 for e in parsed.exercises if e.check_cells)
    for cell, exercise in zip(
        not_answered, [e for e in parsed.exercises if e.check_cells], strict=True
    ):
        if exercise.check_style == "exercises":
            assert cell.source == NOT_ANSWERED.format(label=exercise.label)
        else:
            assert cell.source.startswith(WRAPPED.split("{code}")[0])
    student_text = "\n".join(cell.source for cell in student)
    assert "BEGIN SOLUTION" not in student_text and "assert_rejects" not in student_text
