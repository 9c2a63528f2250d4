"""The batch grader (python -m course_utils.instructor grade): submissions made from a tiny
lesson.

The lesson, tests/fixtures/grading/lesson.ipynb, has three exercises whose checks it
registers in its own first code cell, so a kernel starts in a second or two. Most
submissions are graded in one run (``graded``), two jobs at a time; the tests then read its
grades.csv and feedback files.
"""

from __future__ import annotations

import copy
import csv
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

from course_utils.instructor import cli, plan
from course_utils.instructor.lesson import load_lesson
from course_utils.instructor.notebooks import make_student_notebook

pytestmark = pytest.mark.slow  # each test starts notebook kernels

ROOT = Path(__file__).resolve().parents[1]
LESSON = ROOT / "tests" / "fixtures" / "grading" / "lesson.ipynb"
LABELS = ["ex-grade-sum", "ex-grade-squares", "ex-grade-double"]
RIGHT = {
    "ex-grade-sum": "total = 40 + 2",
    "ex-grade-squares": "squares = [number * number for number in range(5)]",
    "ex-grade-double": "def double(x):\n    return 2 * x",
}
# The limits of the main run sit far from what honest work needs, so that no verdict
# depends on how fast or busy the machine is: an honest cell of these submissions takes
# milliseconds and a kernel about 100 MiB (a few seconds and a few hundred MiB on a slow,
# loaded machine), while the submissions that test a limit exceed it without end (a loop
# that never stops, an allocation that grows until it is stopped).
CELL_TIMEOUT = 60
NOTEBOOK_TIMEOUT = 600
MEMORY_MIB = 1024
PARTIAL = "submitted-partial"  # the feedback of submitted/partial.ipynb (late/ has one too)


def lesson() -> nbformat.NotebookNode:
    return nbformat.read(LESSON, as_version=4)


def student() -> nbformat.NotebookNode:
    return make_student_notebook(lesson(), name="lesson.ipynb")


def label_cell(nb, label: str) -> int:
    return next(
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown" and f":label: {label}" in cell.source
    )


def stub_cell(nb, label: str) -> int:
    start = label_cell(nb, label)
    return next(
        i
        for i, cell in enumerate(nb.cells)
        if i > start and "exercise-stub" in cell.metadata.get("tags", [])
    )


def check_cell(nb, label: str) -> int:
    return next(
        i
        for i, cell in enumerate(nb.cells)
        if "check" in cell.metadata.get("tags", []) and f'"{label}"' in cell.source
    )


def answered(**answers: str) -> nbformat.NotebookNode:
    """A student notebook with the given answers (label with '-' as '_'); the others right."""
    nb = student()
    for label in LABELS:
        nb.cells[stub_cell(nb, label)].source = answers.get(label.replace("-", "_"), RIGHT[label])
    return nb


WRONG_SQUARES = "squares = [1, 2, 3]"


def partial() -> nbformat.NotebookNode:
    """One right, one wrong, one whose function raises; and a cell with a typo."""
    nb = answered(
        ex_grade_squares=WRONG_SQUARES, ex_grade_double="def double(x):\n    return x / 0"
    )
    nb.cells.insert(stub_cell(nb, "ex-grade-sum") + 1, new_code_cell("print(totl)"))
    return nb


def colab(nb: nbformat.NotebookNode) -> str:
    """The notebook as Colab downloads it: nbformat 4.0, Colab metadata, ids in the cells'
    metadata, sources as lists of lines, outputs and execution counts of the student's run."""
    data = json.loads(nbformat.writes(nb))
    data["nbformat_minor"] = 0
    data["metadata"] = {
        "colab": {"provenance": [], "toc_visible": True, "name": "lesson.ipynb"},
        "kernelspec": {"name": "python3", "display_name": "Python 3"},
        "language_info": {"name": "python"},
        "accelerator": "GPU",
        "gpuClass": "standard",
    }
    for number, cell in enumerate(data["cells"]):
        cell.pop("id", None)
        cell["metadata"] = {**cell.get("metadata", {}), "id": f"c0La8{number:03d}xYz"}
        source = cell["source"]
        cell["source"] = "".join(source).splitlines(keepends=True)
        if cell["cell_type"] == "code":
            cell["metadata"]["colab"] = {"base_uri": "https://localhost:8080/", "height": 35}
            cell["metadata"]["outputId"] = f"5e1f{number:04d}-aaaa-bbbb-cccc-0123456789ab"
            cell["execution_count"] = number + 1
            cell["outputs"] = [
                {"output_type": "stream", "name": "stdout", "text": ["ran in Colab\n"]},
                {
                    "output_type": "execute_result",
                    "execution_count": number + 1,
                    "data": {"text/plain": ["42"]},
                    "metadata": {"tags": []},
                },
                {
                    "output_type": "error",
                    "ename": "NameError",
                    "evalue": "name 'x' is not defined",
                    "traceback": ["NameError: name 'x' is not defined"],
                },
            ]
    return json.dumps(data, indent=2)


def submissions() -> dict[str, nbformat.NotebookNode | str]:
    """Every submission of the main run, by file name (a str is written as it is)."""
    subs: dict[str, nbformat.NotebookNode | str] = {}
    subs["solutions.ipynb"] = lesson()
    subs["fresh.ipynb"] = student()
    subs["partial.ipynb"] = partial()

    nb = answered(ex_grade_squares="squares = [number * number for number in range(5)")
    subs["syntax.ipynb"] = nb

    nb = answered(ex_grade_squares=RIGHT["ex-grade-squares"] + "\nwhile True:\n    pass")
    subs["loop.ipynb"] = nb

    nb = answered()
    del nb.cells[stub_cell(nb, "ex-grade-double")]
    del nb.cells[check_cell(nb, "ex-grade-squares")]
    del nb.cells[label_cell(nb, "ex-grade-sum")]
    subs["deleted.ipynb"] = nb

    nb = answered(ex_grade_squares=WRONG_SQUARES)
    start, end = label_cell(nb, "ex-grade-double"), len(nb.cells)
    block = nb.cells[start:end]
    del nb.cells[start:end]
    first = label_cell(nb, "ex-grade-sum")
    nb.cells[first:first] = block  # the last exercise first
    subs["reordered.ipynb"] = nb

    nb = answered(ex_grade_squares="squares = [1]")
    start, end = label_cell(nb, "ex-grade-squares"), stub_cell(nb, "ex-grade-squares") + 1
    copies = copy.deepcopy(nb.cells[start:end])
    copies[-1].source = RIGHT["ex-grade-squares"]
    nb.cells[end:end] = copies  # the exercise twice: a wrong answer, then a right one
    nb.cells.insert(2, copy.deepcopy(nb.cells[1]))  # the setup cell twice
    subs["duplicated.ipynb"] = nb

    nb = answered(ex_grade_squares=WRONG_SQUARES)
    nb.cells[check_cell(nb, "ex-grade-sum")].source = 'raise RuntimeError("not my check")'
    nb.cells[check_cell(nb, "ex-grade-squares")].source = "squares = [0, 1, 4, 9, 16]"
    del nb.cells[check_cell(nb, "ex-grade-double")]
    index = stub_cell(nb, "ex-grade-squares") + 1
    nb.cells.insert(index, new_code_cell('exercises.check("ex-grade-squares", {"squares": 0})'))
    source = 'squares = [0, 1, 4, 9, 16]\nexercises.check("ex-grade-squares", globals())'
    nb.cells.insert(index, new_code_cell(source))  # not run: the answer goes with the check
    subs["edited_checks.ipynb"] = nb

    nb = answered(ex_grade_sum="total = 41", ex_grade_squares=WRONG_SQUARES)
    nb.cells.insert(
        2,
        new_code_cell(
            "checks.check_number = lambda *args, **kwargs: None\n"
            "exercises.check = lambda *args, **kwargs: None\n"
            "import course_utils.exercises\n"
            "course_utils.exercises.get = None"
        ),
    )
    subs["cheater.ipynb"] = nb

    nb = answered(ex_grade_squares="import os\n\nos._exit(1)")
    subs["died.ipynb"] = nb

    hog = (  # grows by 128 MiB at a time until the grader stops it (6 GiB would be the end)
        "import time\n\nchunks = []\nfor _ in range(48):\n"
        '    chunks.append(b"x" * (128 * 2**20))\n    time.sleep(0.02)\n'
        + RIGHT["ex-grade-squares"]
    )
    subs["hog.ipynb"] = answered(ex_grade_squares=hog)

    subs["notes.txt"] = "My answers: 42, [0, 1, 4, 9, 16], 2 * x\n"
    subs["broken.ipynb"] = nbformat.writes(student())[:200]
    subs["other.json"] = json.dumps({"answers": [42]})

    nb = partial()
    nb.metadata["language"] = "ko"  # a Korean edition's notebook
    subs["korean.ipynb"] = nb
    subs[".hidden.ipynb"] = lesson()
    return subs


def write(folder: Path, name: str, content) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        seen = set()
        for number, cell in enumerate(content.cells):  # copied cells get ids of their own
            if cell.get("id") in seen:
                cell.id = f"copy{number:04d}"
            seen.add(cell.get("id"))
        nbformat.write(content, path)
    return path


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade every submission in one run: a folder, a subfolder and a file given by name."""
    base = tmp_path_factory.mktemp("grading")
    folder = base / "submitted"
    for name, content in submissions().items():
        write(folder, name, content)
    write(folder / "late", "partial.ipynb", partial())  # a second partial.ipynb
    colab_file = write(base, "colab.ipynb", colab(partial()))
    output = base / "out"
    status = cli.grade_main(
        [
            str(LESSON),
            str(folder),
            str(colab_file),
            "--output",
            str(output),
            "--jobs",
            "2",
            "--cell-timeout",
            str(CELL_TIMEOUT),
            "--timeout",
            str(NOTEBOOK_TIMEOUT),
            "--memory",
            str(MEMORY_MIB),
        ]
    )
    with open(output / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return {
        "status": status,
        "header": rows[0],
        "rows": {Path(row[0]).relative_to(base).as_posix(): row for row in rows[1:]},
        "order": [Path(row[0]).relative_to(base).as_posix() for row in rows[1:]],
        "output": output,
        "base": base,
    }


def row(graded, name: str) -> dict[str, str]:
    key = name if "/" in name or name == "colab.ipynb" else f"submitted/{name}"
    return dict(zip(graded["header"], graded["rows"][key], strict=True))


def points(graded, name: str) -> list[int]:
    values = row(graded, name)
    return [int(values[label]) for label in LABELS]


def feedback(graded, stem: str) -> str:
    return (graded["output"] / "feedback" / f"{stem}.md").read_text(encoding="utf-8")


def results(graded, stem: str) -> dict[str, str]:
    """Each exercise's result word, read back from the feedback file."""
    found = {}
    for line in feedback(graded, stem).splitlines():
        for label in LABELS:
            if line.startswith(f"- {label}: "):
                found[label] = line.removeprefix(f"- {label}: ").split(" — ")[0]
    return found


# --- the main run -----------------------------------------------------------------------


@pytest.mark.slow
def test_every_submission_is_graded_and_the_exit_status_is_0(graded):
    assert graded["status"] == 0
    assert (graded["output"] / "grading.log").is_file()


@pytest.mark.slow
def test_csv_header_is_file_then_the_labels_in_lesson_order_then_total_and_status(graded):
    assert graded["header"] == ["file", *LABELS, "total", "status"]


@pytest.mark.slow
def test_the_lessons_solutions_pass_every_check(graded):
    assert points(graded, "solutions.ipynb") == [1, 1, 1]
    assert row(graded, "solutions.ipynb")["total"] == "3"
    assert row(graded, "solutions.ipynb")["status"] == "ok"


@pytest.mark.slow
def test_a_fresh_student_notebook_is_not_answered_everywhere(graded):
    assert points(graded, "fresh.ipynb") == [0, 0, 0]
    assert row(graded, "fresh.ipynb")["status"] == "ok"
    assert set(results(graded, "fresh").values()) == {"not answered"}


@pytest.mark.slow
def test_feedback_of_a_partly_wrong_submission(graded):
    assert points(graded, "partial.ipynb") == [1, 0, 0]
    assert row(graded, "partial.ipynb")["status"] == "errors"
    assert feedback(graded, PARTIAL) == (
        "# Feedback: partial.ipynb\n"
        "\n"
        "Lesson: lesson.ipynb. Passed 1 of 3 exercises. Status: errors.\n"
        "\n"
        "## Exercises\n"
        "\n"
        "- ex-grade-sum: passed\n"
        "- ex-grade-squares: wrong — squares is not the list of the squares of 0 to 4. "
        "Hint: square each number of range(5).\n"
        "- ex-grade-double: wrong — your answer could not be checked: using it raised "
        "ZeroDivisionError: division by zero. Hint: compare what you stored with what the "
        "exercise asks for (its kind, its shape).\n"
        "\n"
        "## Problems while running your notebook\n"
        "\n"
        "- cell 6 (`print(totl)`): NameError: name 'totl' is not defined\n"
    )


@pytest.mark.slow
def test_a_syntax_error_fails_its_exercise_and_the_others_are_still_graded(graded):
    assert points(graded, "syntax.ipynb") == [1, 0, 1]
    assert row(graded, "syntax.ipynb")["status"] == "errors"
    assert results(graded, "syntax")["ex-grade-squares"] == "not answered"
    assert "SyntaxError" in feedback(graded, "syntax")
    assert ".py, line" not in feedback(graded, "syntax")  # not IPython's name of the cell


@pytest.mark.slow
def test_an_infinite_loop_is_interrupted_and_the_notebook_goes_on(graded):
    # The loop's cell set squares before it looped; the cell is interrupted after the cell
    # time limit, and the exercises after it are graded as usual.
    assert points(graded, "loop.ipynb") == [1, 1, 1]
    assert row(graded, "loop.ipynb")["status"] == "timeout"
    assert f"ran past the {CELL_TIMEOUT} s time limit and was interrupted" in feedback(
        graded, "loop"
    )


@pytest.mark.slow
def test_deleted_cells(graded):
    # The first exercise's markdown is gone (checked at the end: its answer still counts),
    # the last one's answer cell is gone, and so is a check cell.
    assert points(graded, "deleted.ipynb") == [1, 1, 0]
    assert results(graded, "deleted")["ex-grade-double"] == "not answered"
    assert row(graded, "deleted.ipynb")["status"] == "ok"


@pytest.mark.slow
def test_reordered_exercises_are_graded_by_label_not_by_position(graded):
    assert points(graded, "reordered.ipynb") == [1, 0, 1]


@pytest.mark.slow
def test_a_duplicated_exercise_counts_its_best_answer(graded):
    assert points(graded, "duplicated.ipynb") == [1, 1, 1]
    assert row(graded, "duplicated.ipynb")["status"] == "ok"


@pytest.mark.slow
def test_edited_and_deleted_check_cells_change_nothing(graded):
    # Check cells that raise, that set the answer, that are deleted, or added cells that
    # call a check with a made-up namespace or set the answer first: none of them runs.
    assert points(graded, "edited_checks.ipynb") == [1, 0, 1]
    assert row(graded, "edited_checks.ipynb")["status"] == "ok"
    cell = stub_cell(submissions()["edited_checks.ipynb"], "ex-grade-squares") + 2
    notes = feedback(graded, "edited_checks").split("## Notes\n\n")[1].splitlines()
    assert notes == [
        f"- cell {cell} (`squares = [0, 1, 4, 9, 16]`) was not run: it calls a check, and "
        "the grader runs the lesson's checks itself. Keep your answers in cells of their own."
    ]


@pytest.mark.slow
def test_a_student_who_replaces_the_checks_is_still_graded_by_the_real_ones(graded):
    assert points(graded, "cheater.ipynb") == [0, 0, 1]
    assert results(graded, "cheater")["ex-grade-sum"] == "wrong"


@pytest.mark.slow
def test_a_notebook_saved_by_colab_is_graded_like_the_same_notebook(graded):
    assert points(graded, "colab.ipynb") == points(graded, "partial.ipynb") == [1, 0, 0]
    assert row(graded, "colab.ipynb")["status"] == "errors"
    assert results(graded, "colab") == results(graded, PARTIAL)


@pytest.mark.slow
def test_a_kernel_that_dies_leaves_the_rest_not_run(graded):
    assert points(graded, "died.ipynb") == [1, 0, 0]
    assert row(graded, "died.ipynb")["status"] == "errors"
    assert results(graded, "died") == {
        "ex-grade-sum": "passed",
        "ex-grade-squares": "not run",
        "ex-grade-double": "not run",
    }
    assert "the kernel died during cell" in feedback(graded, "died")


@pytest.mark.slow
def test_a_kernel_over_the_memory_limit_is_stopped(graded):
    assert points(graded, "hog.ipynb") == [1, 0, 0]
    assert row(graded, "hog.ipynb")["status"] == "memory"
    assert f"the kernel went over the memory limit ({MEMORY_MIB} MiB)" in feedback(graded, "hog")
    assert "over the memory limit" in (graded["output"] / "grading.log").read_text()


@pytest.mark.slow
def test_files_that_are_not_notebooks_are_rows_not_crashes(graded):
    for name in ("notes.txt", "broken.ipynb", "other.json"):
        assert row(graded, name)["status"] == "not a notebook"
        assert row(graded, name)["total"] == "0"
    assert "not a notebook (the file is not JSON" in feedback(graded, "notes")


@pytest.mark.slow
def test_a_folder_is_every_visible_file_in_it_and_its_subfolders(graded):
    names = sorted(n for n in submissions() if not n.startswith("."))
    expected = [f"submitted/{n}" for n in names]
    expected.insert(expected.index("submitted/korean.ipynb") + 1, "submitted/late/partial.ipynb")
    assert graded["order"] == [*expected, "colab.ipynb"]
    # the two partial.ipynb get a feedback file each, named after their folders
    assert feedback(graded, "late-partial") == feedback(graded, PARTIAL)
    log = (graded["output"] / "grading.log").read_text()
    assert all(f"{graded['base'] / path}: grading" in log for path in graded["order"])


# --- other runs -------------------------------------------------------------------------


def old_style_lesson(with_function: bool = False) -> nbformat.NotebookNode:
    """The lesson as it was before checks were registered: check cells call checks."""
    nb = lesson()
    nb.cells[1].source = "from course_utils import checks"
    old = {
        "ex-grade-sum": 'checks.check_number(total, 42, name="total")',
        "ex-grade-squares": 'checks.check_array(squares, [0, 1, 4, 9, 16], name="squares")',
        "ex-grade-double": 'checks.check_number(double(21), 42, name="double(21)")',
    }
    for label, source in old.items():
        nb.cells[check_cell(nb, label)].source = source
    nb.cells = [c for c in nb.cells if "wrong-answer" not in c.metadata.get("tags", [])]
    if not with_function:
        del nb.cells[label_cell(nb, "ex-grade-double") :]
    return nb


@pytest.mark.slow
def test_a_lesson_without_registered_checks_is_graded_with_its_check_cells(tmp_path):
    path = write(tmp_path, "old_lesson.ipynb", old_style_lesson())
    assert load_lesson(path).registrations == []
    right = write(tmp_path / "in", "right.ipynb", old_style_lesson())
    cheat = make_student_notebook(old_style_lesson(), name="old_lesson.ipynb")
    for label in LABELS[:2]:
        cheat.cells[stub_cell(cheat, label)].source = RIGHT[label]
    cheat.cells[
        stub_cell(cheat, "ex-grade-sum")
    ].source = "total = 41\nchecks.check_number = lambda *args, **kwargs: None"
    cheater = write(tmp_path / "in", "cheater.ipynb", cheat)
    output = tmp_path / "out"
    argv = [str(path), str(right), str(cheater), "--output", str(output), "--jobs", "2"]
    assert cli.grade_main(argv) == 0
    rows = list(csv.DictReader((output / "grades.csv").open(encoding="utf-8")))
    assert [[r[label] for label in LABELS[:2]] for r in rows] == [["1", "1"], ["0", "1"]]
    text = (output / "feedback" / "cheater.md").read_text()
    assert "- ex-grade-sum: wrong — " in text


def test_an_unregistered_function_answer_is_refused_when_the_lesson_is_read(tmp_path, capsys):
    path = write(tmp_path, "old_lesson.ipynb", old_style_lesson(with_function=True))
    submission = write(tmp_path, "in.ipynb", student())
    assert cli.grade_main([str(path), str(submission), "--output", str(tmp_path / "out")]) == 1
    assert "the answer double of ex-grade-double is a function" in capsys.readouterr().err


@pytest.mark.slow
def test_the_notebook_time_limit_stops_the_grading_of_that_notebook(tmp_path):
    # A cell that sleeps for 11 days against a notebook limit of 30 s, which the honest
    # cells before it (a few seconds on a slow, loaded machine) are nowhere near.
    sleeper = write(
        tmp_path, "sleeper.ipynb", answered(ex_grade_squares="import time\n\ntime.sleep(10**6)")
    )
    output = tmp_path / "out"
    argv = [str(LESSON), str(sleeper), "--output", str(output), "--timeout", "30"]
    argv += ["--cell-timeout", "600"]
    assert cli.grade_main(argv) == 0
    rows = list(csv.DictReader((output / "grades.csv").open(encoding="utf-8")))
    assert [rows[0][label] for label in LABELS] == ["1", "0", "0"]
    assert rows[0]["status"] == "timeout"
    text = (output / "feedback" / "sleeper.md").read_text()
    assert "- ex-grade-double: not run — the notebook ran past its time limit (30 s)" in text


def test_a_kernel_that_cannot_start_is_exit_status_2(tmp_path, capsys):
    sub = write(tmp_path, "fresh.ipynb", student())
    output = tmp_path / "out"
    argv = [str(LESSON), str(sub), "--output", str(output), "--python", str(tmp_path / "python3")]
    assert cli.grade_main(argv) == 2
    assert "could not grade" in capsys.readouterr().err
    text = (output / "feedback" / "fresh.md").read_text()
    assert "the grader could not start a Python kernel" in text


# --- the command line -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("not json", "not a notebook"),
        (nbformat.v4.new_notebook(cells=[new_markdown_cell("# Nothing")]), "has no exercise"),
        (
            nbformat.v4.new_notebook(
                cells=[
                    new_code_cell(
                        "exercises.check('ex-a', globals())", metadata={"tags": ["check"]}
                    )
                ]
            ),
            "a check cell outside any exercise",
        ),
    ],
    ids=["missing", "not-a-notebook", "no-exercise", "malformed"],
)
def test_a_bad_lesson_is_exit_status_1_with_the_reason(tmp_path, capsys, content, message):
    lesson_path = tmp_path / "lesson.ipynb"
    if content is not None:
        write(tmp_path, "lesson.ipynb", content)
    sub = write(tmp_path, "sub.ipynb", student())
    assert cli.grade_main([str(lesson_path), str(sub), "--output", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and str(lesson_path) in err
    assert not (tmp_path / "out").exists()


def test_no_submissions_is_exit_status_1(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    argv = [str(LESSON), str(tmp_path / "empty"), "--output", str(tmp_path / "out")]
    assert cli.grade_main(argv) == 1
    assert "error: no submissions" in capsys.readouterr().err
    assert cli.grade_main([str(LESSON), "--output", str(tmp_path / "out")]) == 1
    assert cli.grade_main([str(LESSON), str(tmp_path / "missing.ipynb")]) == 1
    assert "missing.ipynb: no such file or folder" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("module", "moved"),
    [(["course_utils.instructor", "grade"], False), (["course_utils.grade"], True)],
    ids=["instructor", "old-name"],
)
def test_python_dash_m_and_the_console_scripts(tmp_path, module, moved):
    done = subprocess.run(
        [sys.executable, "-m", *module, str(tmp_path / "nope.ipynb"), str(LESSON)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 1
    assert "error: " in done.stderr and "nope.ipynb: no such file" in done.stderr
    assert ("python -m course_utils.instructor grade" in done.stderr) == moved
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["course-grade"] == "course_utils.instructor.cli:grade_main"
    assert scripts["course-instructor"] == "course_utils.instructor.cli:main"


def test_plan_collects_answers_after_each_exercise_and_skips_check_cells():
    nb = student()
    nb.cells.append(new_code_cell("total = 1  # exercises.check() in a comment is fine"))
    nb.cells.append(new_code_cell('exercises.check("ex-grade-sum", globals())'))  # untagged
    nb.cells.append(new_code_cell('total = 2\nexercises.check("ex-grade-sum", globals())'))
    steps, skipped = plan.plan_submission(nb, LABELS)
    kinds = [(s.kind, s.label) for s in steps]
    assert kinds == [
        ("cell", None),
        ("cell", "ex-grade-sum"),
        ("collect", "ex-grade-sum"),
        ("cell", "ex-grade-squares"),
        ("collect", "ex-grade-squares"),
        ("cell", "ex-grade-double"),
        ("cell", "ex-grade-double"),
        ("collect", "ex-grade-double"),
    ]
    assert [index for index, _ in skipped] == [len(nb.cells) - 1]
    assert plan.calls_check("x = 1\nif x:\n    checks.check_number(x, 1)")
    assert not plan.calls_check(
        "@exercises.exercise('ex-a', answers=['x'])\ndef _(x):\n    checks.check_number(x, 1)"
    )


def test_a_colab_editions_marker_starts_an_exercise():
    nb = student()
    start = label_cell(nb, "ex-grade-squares")
    nb.cells[start].source = "<!-- exercise: ex-grade-squares -->\n### Exercise 2: squares"
    steps, _ = plan.plan_submission(nb, LABELS)
    assert [s.label for s in steps if s.kind == "collect"] == LABELS


def test_the_student_notebooks_old_command_still_works_and_says_where_it_moved(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "course_utils.student", str(LESSON), "--output", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "python -m course_utils.instructor notebooks" in done.stderr
    assert (tmp_path / "student" / "lesson.ipynb").is_file()


@pytest.mark.slow
def test_a_korean_notebook_gets_its_feedback_in_korean(graded):
    assert points(graded, "korean.ipynb") == points(graded, "partial.ipynb")
    text = feedback(graded, "korean")
    assert text.startswith(
        "# 피드백: korean.ipynb\n\n레슨: lesson.ipynb. 연습 문제 3개 중 1개 통과."
    )
    assert "- ex-grade-sum: 통과" in text and "- ex-grade-squares: 오답 — " in text
    assert "## 노트북을 실행하며 생긴 문제" in text
    # the course's own words are Korean (this fixture's custom check messages are not)
    assert "힌트: 저장한 값을" in text and "your answer could not be checked" not in text
    assert "- 6번 셀(`print(totl)`): NameError" in text


@pytest.mark.slow
def test_the_gradebook_has_a_row_per_student_with_points_total_and_maximum(graded):
    with open(graded["output"] / "gradebook.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["student", *LABELS, "total", "max"]
    by_student = {r["student"]: r for r in rows}
    assert len(rows) == len(graded["order"])
    assert by_student["solutions"]["total"] == "3" and by_student["solutions"]["max"] == "3"
    assert [by_student["submitted-partial"][label] for label in LABELS] == ["1", "0", "0"]


@pytest.mark.slow
def test_the_class_report_shows_pass_rates_diagnoses_statuses_and_times(graded):
    page = (graded["output"] / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 1  # the pass-rate chart
    graded_rows = [r for r in graded["rows"].values() if r[-1] != "not a notebook"]
    hardest = min(
        LABELS,
        key=lambda label: sum(
            int(graded["rows"][k][1 + LABELS.index(label)]) for k in graded["rows"]
        ),
    )
    assert f"Look first at {hardest}" in page
    assert "<b>too-small</b> × 1" in page  # cheater's total = 41
    assert "<b>check-failed</b>" in page  # the function that divides by zero
    statuses = [r[-1] for r in graded["rows"].values()]
    assert f'<td>memory</td><td class="n">{statuses.count("memory")}</td>' in page
    assert f"{len(graded_rows)}" and "Time per submission: median" in page


def test_the_class_report_quotes_each_mistake_whole_and_in_the_report_language(tmp_path):
    from course_utils.instructor.lesson import Lesson, LessonExercise
    from course_utils.instructor.report import report_html
    from course_utils.instructor.run import ExerciseResult, Submission

    lesson = Lesson(tmp_path / "lesson.ipynb", [LessonExercise("ex-a", ("x",))], [])
    english = "x is the batch size itself. Hint: " + "count the batches of the training rows " * 6
    korean = "x가 배치 크기 자체입니다. 힌트: 배치 수를 세세요."
    students = [
        Submission(tmp_path / f"{name}.ipynb", f"{name}.ipynb", language=code)
        for name, code in (("minsu", "ko"), ("alex", "en"), ("jiwoo", "ko"))
    ]
    for student in students:
        message = korean if student.language == "ko" else english
        student.results = {"ex-a": ExerciseResult("wrong", message, "batch-size")}
    page = report_html(students, lesson, instructor_language="en")
    assert "<b>batch-size</b> × 3" in page
    assert english.strip() in page and korean not in page  # whole, and in English
    page = report_html(students, lesson, instructor_language="ko")
    assert korean in page and english.strip() not in page


def test_killing_a_tree_survives_a_process_that_is_already_gone(monkeypatch):
    import psutil

    from course_utils.instructor.sandbox import Tree

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    tree = Tree(child.pid)

    def gone(self, timeout=None):  # what psutil's pidfd wait raised for a reaped process
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(psutil.Process, "wait", gone)
    tree.kill()  # no error
    assert child.wait(timeout=30) == -9
