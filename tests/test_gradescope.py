"""The Gradescope autograder: the zip holds what Gradescope asks for, and run_autograder,
run in a folder laid out as Gradescope lays out /autograder, grades one submission with the
class grader's checks and writes a valid results.json, never crashing."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile

import jsonschema
import nbformat
import pytest
from test_grade import LESSON, answered, lesson, student

from course_utils.instructor import gradescope

pytestmark = pytest.mark.slow

#: results.json as Gradescope's "Autograder Specifications" document it.
SCHEMA = {
    "type": "object",
    "required": ["tests"],
    "anyOf": [
        {"required": ["score"]},
        {"properties": {"tests": {"items": {"required": ["score"]}}}},
    ],
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number"},
        "output": {"type": "string"},
        "output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
        "test_output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
        "test_name_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
        "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "stdout_visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "extra_data": {"type": "object"},
        "tests": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "score": {"type": "number"},
                    "max_score": {"type": "number"},
                    "status": {"enum": ["passed", "failed"]},
                    "name": {"type": "string"},
                    "name_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
                    "number": {"type": "string"},
                    "output": {"type": "string"},
                    "output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "visibility": {
                        "enum": ["hidden", "after_due_date", "after_published", "visible"]
                    },
                    "extra_data": {"type": "object"},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    """The zip for the grading fixture's lesson, and a function that runs it on one file."""
    folder = tmp_path_factory.mktemp("gradescope")
    archive = gradescope.build(
        LESSON,
        folder / "autograder.zip",
        requirement="course-utils[instructor]",
        settings={"cell_timeout": 60, "timeout": 600, "memory_mib": 1024, "check_timeout": 120},
    )

    runs = iter(range(1000))

    def run(name: str, content) -> dict:
        root = folder / f"run-{next(runs)}"
        with zipfile.ZipFile(archive) as opened:
            opened.extractall(root / "source")
        (root / "submission").mkdir()
        (root / "results").mkdir()
        path = root / "submission" / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            nbformat.write(content, path)
        script = root / "source" / "run_autograder"
        done = subprocess.run(
            ["bash", str(script)],
            env={**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable},
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr
        results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
        jsonschema.validate(results, SCHEMA)
        return results

    return archive, run


def test_the_zip_holds_setup_and_run_autograder_at_its_root(autograder):
    archive, _ = autograder
    with zipfile.ZipFile(archive) as opened:
        names = set(opened.namelist())
        modes = {i.filename: i.external_attr >> 16 for i in opened.infolist()}
    assert {"setup.sh", "run_autograder", "lesson.ipynb", "settings.json"} <= names
    assert modes["run_autograder"] & stat.S_IXUSR and modes["setup.sh"] & stat.S_IXUSR


def test_the_solution_gets_full_marks(autograder):
    results = autograder[1]("solutions.ipynb", lesson())
    assert results["score"] == 3.0
    assert [(t["name"], t["score"], t["max_score"], t["status"]) for t in results["tests"]] == [
        ("ex-grade-sum", 1.0, 1.0, "passed"),
        ("ex-grade-squares", 1.0, 1.0, "passed"),
        ("ex-grade-double", 1.0, 1.0, "passed"),
    ]


def test_a_fresh_student_notebook_gets_zero_with_its_feedback(autograder):
    results = autograder[1]("lesson.ipynb", student())
    assert results["score"] == 0.0
    assert all(t["status"] == "failed" and "not answered" in t["output"] for t in results["tests"])
    assert "Passed 0 of 3 exercises" in results["output"]


def test_a_korean_submission_gets_korean_feedback(autograder):
    nb = answered(ex_grade_sum="total = 41")
    nb.metadata["language"] = "ko"
    results = autograder[1]("lesson.ipynb", nb)
    assert results["score"] == 2.0
    sum_test = results["tests"][0]
    assert sum_test["output"].startswith("ex-grade-sum: 오답 — total = 41: 맞지 않습니다")
    assert "연습 문제 3개 중 2개 통과" in results["output"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lesson.ipynb", '{"cells": [', "not a notebook"),
        ("answers.txt", "42", "No notebook was submitted (received: answers.txt)"),
    ],
    ids=["broken", "no-notebook"],
)
def test_a_broken_file_gets_zero_and_a_message(autograder, name, content, message):
    results = autograder[1](name, content)
    assert results["score"] == 0.0
    assert message in results["output"]


def test_another_lessons_notebook_gets_zero_and_says_so(autograder):
    nb = student()
    for cell in nb.cells:
        cell.source = cell.source.replace("ex-grade-", "ex-other-")
    results = autograder[1]("lesson.ipynb", nb)
    assert results["score"] == 0.0 and results["tests"] == []
    assert "not this lesson's" in results["output"] and "ex-other-sum" in results["output"]


def test_a_grader_failure_is_a_zero_with_a_message_not_a_crash(tmp_path):
    (tmp_path / "submission").mkdir()
    nbformat.write(student(), tmp_path / "submission" / "lesson.ipynb")
    assert gradescope.run_main(["--root", str(tmp_path)]) == 0  # no source/ at all
    results = json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(results, SCHEMA)
    assert results["score"] == 0.0 and "The autograder failed" in results["output"]
