"""Consistency of the repository: packaging, environment files, table of contents and the
lesson notebooks' layout."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import nbformat
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _requirements() -> list[Requirement]:
    project = PYPROJECT["project"]
    return [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]]


def test_environment_yml_lists_the_same_packages_as_pyproject():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    listed = {str(Requirement(r)) for r in pip_section if not r.startswith("-e")}
    assert listed == {str(r) for r in _requirements()}
    python = next(d for d in environment["dependencies"] if isinstance(d, str) and d.startswith("python="))
    minimum = PYPROJECT["project"]["requires-python"].removeprefix(">=")
    assert python == f"python={minimum}"


def test_lock_file_pins_every_dependency_within_its_range():
    pins = {}
    for line in (ROOT / "requirements" / "lock.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"lock.txt line {line!r} is not an exact pin"
            pins[canonicalize_name(name)] = version
    for requirement in _requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not pinned in requirements/lock.txt"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} is outside {requirement}"
    assert "tensorboard" in pins  # the TensorBoard callback and keras-tuner need it


def _toc_files(node) -> list[str]:
    files = []
    if isinstance(node, dict):
        if "file" in node:
            files.append(node["file"])
        if "root" in node:
            files.append(node["root"])
        for value in node.values():
            files.extend(_toc_files(value))
    elif isinstance(node, list):
        for item in node:
            files.extend(_toc_files(item))
    return files


def test_every_notebook_is_in_the_toc_and_every_toc_entry_exists():
    entries = _toc_files(yaml.safe_load((ROOT / "_toc.yml").read_text()))
    for entry in entries:
        matches = [p for p in ROOT.glob(entry + ".*") if p.suffix in {".md", ".ipynb"}]
        assert matches, f"_toc.yml names {entry}, which does not exist"
    for lesson in LESSONS:
        assert f"notebooks/{lesson.stem}" in entries, f"{lesson.name} is missing from _toc.yml"


@pytest.fixture(params=LESSONS, ids=[p.stem for p in LESSONS])
def lesson(request):
    return request.param, nbformat.read(request.param, as_version=4)


def test_notebook_is_stored_without_outputs(lesson):
    path, nb = lesson
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"{path.name} cell {index} has outputs"
            assert cell.execution_count is None, f"{path.name} cell {index} has an execution count"


def test_badge_and_install_cell_point_at_the_configured_repository(lesson):
    path, nb = lesson
    repository = CONFIG["repository"]["url"].split("github.com/")[1]
    branch = CONFIG["repository"]["branch"]
    badge = f"https://colab.research.google.com/github/{repository}/blob/{branch}/notebooks/{path.name}"
    assert badge in nb.cells[0].source, f"{path.name}: first cell lacks the Colab badge {badge}"
    install = [c.source for c in nb.cells if c.cell_type == "code" and "%pip install" in c.source]
    assert len(install) == 1, f"{path.name} needs exactly one install cell"
    assert f"git+https://github.com/{repository}@{branch}" in install[0]
    assert '"google.colab" in sys.modules' in install[0]
    pip_lines = [line for line in install[0].splitlines() if "%pip" in line]
    assert not any("tensorflow" in line.lower() for line in pip_lines), "never reinstall TensorFlow in Colab"


def test_lesson_layout(lesson):
    path, nb = lesson
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert re.match(r"# \S", nb.cells[0].source), f"{path.name} must start with a title"
    assert "**Learning goals.**" in nb.cells[0].source
    assert re.search(r"Run time on a 2-core CPU", nb.cells[0].source)
    assert "## Setup" in markdown
    assert re.search(r"^## 1\. ", markdown, re.MULTILINE), "numbered sections"
    assert "{admonition} Common mistakes" in markdown
    assert "## Exercises" in markdown and "## Summary" in markdown
    setup = next(s for s in code if "course_utils.setup(" in s)
    assert setup.index("course_utils.setup(") < setup.index("import keras")
    claims = [c for c in nb.cells if "remove-cell" in c.metadata.get("tags", [])]
    assert any("assert" in c.source for c in claims), f"{path.name} asserts no claim"
    for cell in nb.cells:
        assert "input_shape=" not in cell.source or cell.cell_type == "markdown"
