"""tools/seeds.py: the seed is replaced exactly once, and failing cells are reported."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import seeds

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def notebook(*sources):
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


def test_the_seed_is_replaced_and_the_original_left_alone():
    original = notebook("import course_utils\ncourse_utils.setup(seed=42)  # seed", "x = 1")
    copy = seeds.with_seed(original, 3, "lesson")
    assert copy.cells[0].source == "import course_utils\ncourse_utils.setup(seed=3)  # seed"
    assert "seed=42" in original.cells[0].source


@pytest.mark.parametrize(
    ("sources", "found"),
    [(("x = 1",), 0), (("course_utils.setup(seed=42)", "course_utils.setup(seed=42)"), 2)],
)
def test_a_lesson_without_exactly_one_seed_call_is_refused(sources, found):
    with pytest.raises(ValueError, match=f"exactly one .* found {found}"):
        seeds.with_seed(notebook(*sources), 0, "lesson")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_every_lesson_has_the_one_seed_call_the_tool_replaces(path):
    seeds.with_seed(nbformat.read(path, as_version=4), 0, path.name)


def test_failures_lists_cells_with_errors_in_order():
    nb = notebook("ok = 1", "assert False, 'claim'")
    nb.cells[1].metadata["tags"] = ["remove-cell"]
    nb.cells[1].outputs = [
        nbformat.v4.new_output("error", ename="AssertionError", evalue="claim\nmore", traceback=[])
    ]
    assert seeds.failures(nb) == [
        {
            "cell": 1,
            "tags": ["remove-cell"],
            "first_line": "assert False, 'claim'",
            "error": "AssertionError: claim",
        }
    ]
