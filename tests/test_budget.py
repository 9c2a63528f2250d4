"""The run-time report and budget tool (tools/budget.py) and the reference workload."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import budget  # noqa: E402

FIRST, SECOND = "01_perceptron_to_mlp.ipynb", "02_initialization.ipynb"


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of two lessons in a scratch repository root."""
    (tmp_path / "notebooks").mkdir()
    for name in (FIRST, SECOND):
        shutil.copy(ROOT / "notebooks" / name, tmp_path / "notebooks" / name)
    monkeypatch.setattr(budget, "ROOT", tmp_path)
    return tmp_path


def write_report(
    root: Path,
    cpu: dict[str, float],
    reference: float = budget.REFERENCE_CPU_SECONDS,
    environment: str = "locked",
    wall: float = 500.0,
) -> Path:
    """A report in which every lesson took ``wall`` seconds and the given CPU seconds."""
    report = root / "reports" / f"runtime-{environment}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    rows = [
        {
            "notebook": name,
            "seconds": wall,
            "cpu_seconds": seconds,
            "peak_memory_mib": 900.0,
            "passed": True,
            "reference_cpu_seconds": reference,
        }
        for name, seconds in cpu.items()
    ]
    report.write_text(json.dumps({"environment": environment, "cpus": 2, "notebooks": rows}))
    return report


def run(report: Path, *options: str) -> int:
    return budget.main([str(report), "--output", str(report.parent / "runtime.md"), *options])


def stated(root: Path, name: str) -> int | None:
    return budget.stated_seconds(root / "notebooks" / name)


@pytest.mark.parametrize(
    ("stated_s", "measured_s", "stale"),
    [
        (35, 35, False),
        (55, 31, False),
        (30, 53, False),
        (35, 80, True),
        (120, 40, True),
        (10, 22, False),  # a factor of two but only 12 s
    ],
)
def test_is_stale(stated_s: float, measured_s: float, stale: bool) -> None:
    assert budget.is_stale(stated_s, measured_s) is stale


def test_is_stale_rejects_non_positive_times() -> None:
    with pytest.raises(ValueError, match="positive"):
        budget.is_stale(0, 30)


def test_scaled_cpu_rejects_a_zero_reference() -> None:
    with pytest.raises(ValueError, match="reference_cpu_seconds=0"):
        budget.scaled_cpu(10.0, 0)


def test_missing_report_is_an_error(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(course / "none.json") == 1
    assert "execute the lessons first" in capsys.readouterr().err


def test_table_within_budget(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = stated(course, FIRST), stated(course, SECOND)
    assert first and second
    report = write_report(course, {FIRST: first, SECOND: second})
    assert run(report) == 0
    table = (report.parent / "runtime.md").read_text()
    assert f"| {FIRST} | 500.0 | {first:.1f} | {first:.1f} | 900 | {first} |" in table
    assert f"| **total** | | | {first + second:.1f} | | |" in table
    assert "BUDGET" not in capsys.readouterr().err


def test_wall_time_is_never_judged(course: Path) -> None:
    """A lesson that took ten minutes on a busy machine but its usual CPU time passes."""
    report = write_report(course, {FIRST: stated(course, FIRST)}, wall=600.0)
    assert run(report) == 0


def test_a_three_times_slower_machine_passes(course: Path) -> None:
    """Three times the CPU time with a three times slower reference is the same figure."""
    first = stated(course, FIRST)
    report = write_report(course, {FIRST: 3 * first}, reference=3 * budget.REFERENCE_CPU_SECONDS)
    assert run(report) == 0
    assert f"| {3 * first:.1f} | {first:.1f} |" in (report.parent / "runtime.md").read_text()


def test_over_the_per_notebook_budget_fails(
    course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = write_report(course, {FIRST: 130.0}, environment="colab")
    assert run(report) == 1
    assert "took 130 s of scaled CPU time, over the 120 s budget" in capsys.readouterr().err


def test_over_budget_on_the_reference_machine_fails_on_a_fast_one(
    course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """100 s of CPU where the reference took half as long is 200 s on the reference machine."""
    report = write_report(
        course, {FIRST: 100.0}, reference=budget.REFERENCE_CPU_SECONDS / 2, environment="colab"
    )
    assert run(report) == 1
    assert "took 200 s of scaled CPU time" in capsys.readouterr().err


def test_over_the_total_budget_fails(
    course: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(budget, "TOTAL", 60.0)
    report = write_report(course, {FIRST: 40.0, SECOND: 40.0}, environment="colab")
    assert run(report) == 1
    assert "together took 80 s of scaled CPU time" in capsys.readouterr().err


def test_stale_statement_fails_and_update_fixes_it(
    course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = write_report(course, {FIRST: 111.0})
    assert run(report) == 1
    assert "budget.py --update" in capsys.readouterr().err
    assert run(report, "--update") == 0
    assert stated(course, FIRST) == 110
    nb = nbformat.read(course / "notebooks" / FIRST, as_version=4)
    assert not any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")


def test_colab_report_does_not_judge_or_rewrite_statements(course: Path) -> None:
    report = write_report(course, {FIRST: 111.0}, environment="colab")
    before = stated(course, FIRST)
    assert run(report, "--update") == 0
    assert stated(course, FIRST) == before


def test_missing_statement_fails(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = course / "notebooks" / FIRST
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = budget.STATEMENT.sub("", nb.cells[0].source)
    nbformat.write(nb, path)
    report = write_report(course, {FIRST: 30.0})
    assert run(report) == 1
    assert "does not state its run time" in capsys.readouterr().err


def test_report_without_cpu_measurement_is_an_error(course: Path) -> None:
    report = write_report(course, {FIRST: 30.0})
    data = json.loads(report.read_text())
    del data["notebooks"][0]["cpu_seconds"]
    report.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="no CPU or reference measurement"):
        run(report)


def test_reference_workload_and_process_stats() -> None:
    import os

    import reference

    cpu, peak = reference.process_stats(os.getpid())
    assert cpu > 0 and peak > 50  # this pytest process has run and holds > 50 MiB
    with pytest.raises(FileNotFoundError):
        reference.process_stats(2**22 + 12345)  # above the kernel's largest pid
