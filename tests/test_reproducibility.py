"""Running a lesson twice on the same machine gives the same reported figures.

Marked 'repro' and run by tools/run_tests.sh after the nbval step. The two fastest lessons
(by the nbval step's run-time report, when it exists) are executed twice each, and every
text output they produce (printed figures, tables, returned values) must be identical.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.repro

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "_build" / "reports" / "runtime.json"
ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def fastest_lessons(count: int = 2) -> list[str]:
    if REPORT.exists():
        rows = json.loads(REPORT.read_text())["notebooks"]
        rows = [r for r in rows if r["passed"]]
        return [r["notebook"] for r in sorted(rows, key=lambda r: r["seconds"])[:count]]
    return ["01_perceptron_to_mlp.ipynb", "07_functional_api.ipynb"][:count]


def text_outputs(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    texts = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            if output.output_type == "stream":
                texts.append(f"cell {index} {output.name}: {output.text}")
            elif "data" in output and "text/plain" in output.data:
                texts.append(f"cell {index} value: {ADDRESS.sub('', output.data['text/plain'])}")
    return texts


@pytest.mark.parametrize("name", fastest_lessons())
def test_lesson_reports_the_same_figures_twice(name):
    path = ROOT / "notebooks" / name
    first = text_outputs(path)
    second = text_outputs(path)
    assert first, f"{name} printed nothing to compare"
    assert first == second
