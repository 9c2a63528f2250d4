"""Running a lesson again gives the figures the website shows.

Marked 'repro' and run by tools/run_tests.sh after the lessons were executed into the
website's execution cache (tools/execute.py). The lesson with the least CPU time in
that run's report is executed once more, and every text output (printed figures, tables,
returned values) must equal the cached one. Streams are compared merged per cell, so
that how the kernel chunks a cell's output into messages does not matter.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import execute  # noqa: E402

REPORT = execute.REPORT
ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def text_by_cell(nb: nbformat.NotebookNode) -> dict[int, dict[str, str]]:
    """Each code cell's text outputs, by its position among the code cells: its streams
    merged by name, then its plain-text values.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1); print(2)")])
    >>> nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\\n"),
    ...                        nbformat.v4.new_output("stream", name="stdout", text="2\\n")]
    >>> text_by_cell(nb)
    {0: {'stdout': '1\\n2\\n'}}
    """
    texts: dict[int, dict[str, str]] = {}
    # Numbered among code cells only: the execution cache stores no markdown cells.
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    for index, cell in enumerate(code_cells):
        parts: dict[str, str] = {}
        values = []
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                parts[output.name] = parts.get(output.name, "") + output.text
            elif "text/plain" in output.get("data", {}):
                values.append(ADDRESS.sub("", output.data["text/plain"]))
            elif output.output_type == "error":
                values.append(f"{output.ename}: {output.evalue}")
        if values:
            parts["values"] = "\n---\n".join(values)
        if parts:
            texts[index] = parts
    return texts


def differences(cached: dict, fresh: dict) -> list[str]:
    """Readable differences between two ``text_by_cell`` results.

    >>> differences({3: {"stdout": "0.97\\n"}}, {3: {"stdout": "0.96\\n"}})
    ["code cell 3 stdout: website '0.97\\\\n', re-run '0.96\\\\n'"]
    """
    found = []
    for index in sorted(set(cached) | set(fresh)):
        for kind in sorted(set(cached.get(index, {})) | set(fresh.get(index, {}))):
            before, after = cached.get(index, {}).get(kind), fresh.get(index, {}).get(kind)
            if before != after:
                found.append(f"code cell {index} {kind}: website {before!r}, re-run {after!r}")
    return found


def cheapest_lessons(count: int = 1) -> list[str]:
    if not REPORT.exists():
        return []
    rows = [r for r in json.loads(REPORT.read_text())["notebooks"] if r.get("passed")]
    return [r["notebook"] for r in sorted(rows, key=lambda r: r["cpu_seconds"])[:count]]


def test_merged_streams_ignore_chunking():
    one = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    two = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    one.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="a\nb\n")]
    two.cells[0].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="a\n"),
        nbformat.v4.new_output("stream", name="stdout", text="b\n"),
    ]
    assert differences(text_by_cell(one), text_by_cell(two)) == []
    two.cells[0].outputs[1].text = "c\n"
    assert differences(text_by_cell(one), text_by_cell(two)) == [
        "code cell 0 stdout: website 'a\\nb\\n', re-run 'a\\nc\\n'"
    ]


@pytest.mark.repro
@pytest.mark.parametrize("name", cheapest_lessons() or ["(no execution report)"])
def test_lesson_reproduces_the_website_figures(name):
    if not REPORT.exists():
        pytest.fail(f"{REPORT} does not exist: execute the lessons first (tools/execute.py)")
    from jupyter_cache import get_cache

    path = ROOT / "notebooks" / name
    cache = get_cache(str(execute.cache_folder()))
    try:
        record = cache.match_cache_notebook(nbformat.read(path, as_version=4))
    except KeyError:
        pytest.fail(f"{name} is not in the execution cache: execute the lessons first")
    cached = cache.get_cache_bundle(record.pk).nb
    result = execute.execute_notebook(str(path), timeout=600)
    assert result["error"] is None, result["error"]
    fresh = nbformat.reads(result["nb"], as_version=4)
    assert text_by_cell(cached), f"{name} printed nothing to compare"
    found = differences(text_by_cell(cached), text_by_cell(fresh))
    assert not found, f"{name} gave other figures when run again:\n" + "\n".join(found[:20])
