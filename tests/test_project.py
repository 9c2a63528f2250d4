"""Consistency of the repository: packaging, environment files, table of contents and the
lesson notebooks' layout."""

from __future__ import annotations

import re
import sys
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


def _requirements(extra: str = "dev") -> list[Requirement]:
    """The package's dependencies and those of ``extra``, an extra of the package itself
    (``course-utils[instructor]``) replaced by that extra's dependencies."""
    project = PYPROJECT["project"]
    found = [Requirement(r) for r in project["dependencies"]]
    for text in project["optional-dependencies"][extra]:
        requirement = Requirement(text)
        if canonicalize_name(requirement.name) == canonicalize_name(project["name"]):
            found += [
                Requirement(r)
                for inner in sorted(requirement.extras)
                for r in project["optional-dependencies"][inner]
            ]
        else:
            found.append(requirement)
    return found


def _locked_pins(path: Path) -> dict[str, str]:
    """``name -> version`` of a uv-compiled requirements file, each with its hashes."""
    pins = {}
    lines = path.read_text().splitlines()
    for index, line in enumerate(lines):
        if not line or line[0] in "# ":
            continue
        requirement = Requirement(line.rstrip(" \\"))
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{path.name}: {line!r} is not an exact pin"
        following = lines[index + 1] if index + 1 < len(lines) else ""
        assert following.strip().startswith("--hash=sha256:"), f"{path.name}: {line!r} has no hash"
        pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


def test_environment_yml_is_generated_from_the_lock_file():
    sys.path.insert(0, str(ROOT / "tools"))
    import environment_yml

    expected = environment_yml.render(
        environment_yml.locked_pins(ROOT / "requirements" / "lock.txt")
    )
    assert (ROOT / "environment.yml").read_text() == expected, (
        "environment.yml is out of date: run `python tools/environment_yml.py --write`"
    )
    environment = yaml.safe_load(expected)
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    listed = {
        canonicalize_name(r.split("==")[0]): r.split("==")[1] for r in pip_section if "==" in r
    }
    locked = _locked_pins(ROOT / "requirements" / "lock.txt")
    for requirement in _requirements():
        name = canonicalize_name(requirement.name)
        assert listed.get(name) == locked[name], f"environment.yml lacks {name}=={locked[name]}"


@pytest.mark.parametrize("lock", ["lock.txt", "colab.txt"])
def test_lock_files_pin_every_dependency_within_its_range_with_hashes(lock):
    pins = _locked_pins(ROOT / "requirements" / lock)
    requirements = (
        _requirements()
        if lock == "lock.txt"
        else [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
    )
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not pinned in requirements/{lock}"
        assert requirement.specifier.contains(pins[name]), (
            f"{name}=={pins[name]} is outside {requirement}"
        )
    assert "tensorboard" in pins  # the TensorBoard callback and keras-tuner need it


def test_colab_lock_keeps_colabs_pins():
    pins = _locked_pins(ROOT / "requirements" / "colab.txt")
    for line in (ROOT / "requirements" / "colab.in").read_text().splitlines():
        if line and not line.startswith("#"):
            requirement = Requirement(line)
            (specifier,) = requirement.specifier
            assert pins.get(canonicalize_name(requirement.name)) == specifier.version, line


def test_version_is_stated_once():
    import course_utils

    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert "version" not in PYPROJECT["project"]
    attr = PYPROJECT["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "course_utils.__version__"
    assert re.fullmatch(r"\d+\.\d+\.\d+", course_utils.__version__)


def test_lazy_exports_are_visible_to_type_checkers():
    """The TYPE_CHECKING imports in course_utils/__init__.py name exactly the lazy exports."""
    import ast

    import course_utils

    tree = ast.parse((ROOT / "course_utils" / "__init__.py").read_text())
    block = next(
        n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"
    )
    imported = {
        alias.name: node.module.removeprefix("course_utils.")
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert imported == course_utils._EXPORTS


def test_pytest_markers_are_declared_and_strict():
    options = PYPROJECT["tool"]["pytest"]["ini_options"]
    assert "--strict-markers" in options["addopts"]
    assert "no:cacheprovider" not in options["addopts"]
    declared = {m.split(":")[0] for m in options["markers"]}
    used = set()
    for test in (ROOT / "tests").glob("test_*.py"):
        used |= set(re.findall(r"pytest\.mark\.(\w+)", test.read_text()))
    builtin = {"parametrize", "skip", "skipif", "xfail", "usefixtures", "filterwarnings"}
    assert used - builtin <= declared, f"undeclared markers: {used - builtin - declared}"


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
    badge = (
        f"https://colab.research.google.com/github/{repository}/blob/{branch}/notebooks/{path.name}"
    )
    assert badge in nb.cells[0].source, f"{path.name}: first cell lacks the Colab badge {badge}"
    install = [c.source for c in nb.cells if c.cell_type == "code" and "%pip install" in c.source]
    assert len(install) == 1, f"{path.name} needs exactly one install cell"
    # A notebook saved to Drive keeps working: the install cell names this version's tag.
    import course_utils

    tag = f"v{course_utils.__version__}"
    assert f"git+https://github.com/{repository}@{tag}" in install[0], (
        f"{path.name}: the install cell must install course_utils from the tag {tag}"
    )
    assert f"## {tag}" in (ROOT / "CHANGELOG.md").read_text(), f"CHANGELOG.md has no {tag} entry"
    assert '"google.colab" in sys.modules' in install[0]
    pip_lines = [line for line in install[0].splitlines() if "%pip" in line]
    assert not any("tensorflow" in line.lower() for line in pip_lines), (
        "never reinstall TensorFlow in Colab"
    )


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


def _tool(name: str) -> str:
    """A command-line tool of the running environment (the course's .venv in the tests)."""
    path = Path(sys.executable).parent / name
    if not path.exists():
        pytest.fail(f"{name} is not installed next to {sys.executable}; sync the environment")
    return str(path)


def test_notebooks_pass_nbstripout():
    """The pre-commit hook's own check: nothing for nbstripout to strip in any lesson."""
    import subprocess

    result = subprocess.run(
        [_tool("nbstripout"), "--verify", "--keep-id", *map(str, LESSONS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"nbstripout would change: {result.stdout}{result.stderr}"


def test_pre_commit_config_is_valid():
    import subprocess

    result = subprocess.run(
        [_tool("pre-commit"), "validate-config", str(ROOT / ".pre-commit-config.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
