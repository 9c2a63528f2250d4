"""The run-time budget tool (tools/budget.py) that the test command runs after nbval."""

from __future__ import annotations

import doctest
import json
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import budget  # noqa: E402


def test_doctests() -> None:
    assert doctest.testmod(budget).failed == 0


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of two lessons' intro cells in a scratch repository root."""
    (tmp_path / "notebooks").mkdir()
    for name in ("01_perceptron_to_mlp.ipynb", "02_initialization.ipynb"):
        shutil.copy(ROOT / "notebooks" / name, tmp_path / "notebooks" / name)
    monkeypatch.setattr(budget, "ROOT", tmp_path)
    return tmp_path


def write_report(root: Path, seconds: dict[str, float]) -> Path:
    report = root / "reports" / "runtime.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    rows = [{"notebook": name, "seconds": s, "peak_memory_mib": 900.0, "passed": True}
            for name, s in seconds.items()]
    report.write_text(json.dumps({"cpus": 2, "notebooks": rows}))
    return report


def stated(root: Path, name: str) -> int | None:
    return budget.stated_seconds(root / "notebooks" / name)


@pytest.mark.parametrize(("stated_s", "measured_s", "stale"), [
    (35, 35, False),
    (55, 31, False),  # two machines of the same kind, same notebook
    (30, 53, False),
    (35, 80, True),
    (120, 40, True),
    (10, 22, False),  # a factor of two but only 12 s
])
def test_is_stale(stated_s: float, measured_s: float, stale: bool) -> None:
    assert budget.is_stale(stated_s, measured_s) is stale


def test_is_stale_rejects_non_positive_times() -> None:
    with pytest.raises(ValueError, match="positive"):
        budget.is_stale(0, 30)


def test_missing_report_is_an_error(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert budget.main(["--report", str(course / "none.json")]) == 1
    assert "run the nbval step first" in capsys.readouterr().err


def test_table_within_budget(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = stated(course, "01_perceptron_to_mlp.ipynb"), stated(course, "02_initialization.ipynb")
    assert first and second
    report = write_report(course, {"01_perceptron_to_mlp.ipynb": first,
                                   "02_initialization.ipynb": second})
    assert budget.main(["--report", str(report)]) == 0
    table = (report.parent / "runtime.md").read_text()
    assert f"| 01_perceptron_to_mlp.ipynb | {first:.1f} | 900 | {first} |" in table
    assert "| **total** |" in table
    assert "BUDGET" not in capsys.readouterr().err


def test_over_the_per_notebook_budget_fails(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = write_report(course, {"01_perceptron_to_mlp.ipynb": 130.0})
    assert budget.main(["--report", str(report)]) == 1
    assert "over the 120 s budget" in capsys.readouterr().err


def test_over_the_total_budget_fails(course: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(budget, "TOTAL", 60.0)
    report = write_report(course, {"01_perceptron_to_mlp.ipynb": 40.0,
                                   "02_initialization.ipynb": 40.0})
    assert budget.main(["--report", str(report), "--update"]) == 1
    assert "all notebooks together took 80 s" in capsys.readouterr().err


def test_stale_statement_fails_and_update_fixes_it(course: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    report = write_report(course, {"01_perceptron_to_mlp.ipynb": 111.0})
    assert budget.main(["--report", str(report)]) == 1
    assert "budget.py --update" in capsys.readouterr().err
    assert budget.main(["--report", str(report), "--update"]) == 0
    assert stated(course, "01_perceptron_to_mlp.ipynb") == 110
    nb = nbformat.read(course / "notebooks" / "01_perceptron_to_mlp.ipynb", as_version=4)
    assert not any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")


def test_missing_statement_fails(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = course / "notebooks" / "01_perceptron_to_mlp.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = budget.STATEMENT.sub("", nb.cells[0].source)
    nbformat.write(nb, path)
    report = write_report(course, {"01_perceptron_to_mlp.ipynb": 30.0})
    assert budget.main(["--report", str(report)]) == 1
    assert "does not state its run time" in capsys.readouterr().err
