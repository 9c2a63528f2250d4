"""Make student and instructor versions of the lesson notebooks.

Usage::

    python -m course_utils.student                  # every notebook in notebooks/
    python -m course_utils.student notebooks/01_perceptron_to_mlp.ipynb --output dist

writes ``dist/student/<lesson>.ipynb`` (solutions replaced by stubs) and
``dist/instructor/<lesson>.ipynb`` (solutions kept), both without outputs. The student
version's "Open in Colab" badge points at ``<student-path>/<lesson>.ipynb`` in the
repository and branch named in ``_config.yml``, so publishing is: copy ``dist/student``
to that path of that repository (or pass ``--repository-url`` / ``--branch`` /
``--student-path`` to point the badges elsewhere) and push.

The exercise format the tool reads (see the instructor guide):

* a markdown cell with a ``{exercise}`` directive and a ``:label:`` starts an exercise;
* code cells tagged ``solution`` hold the answer between ``### BEGIN SOLUTION`` and
  ``### END SOLUTION`` lines; in the student version each such block becomes a stub that
  sets every name the block defines to ``...`` (a function keeps its signature and
  returns ``...``), so the exercise's check reports "Not answered yet";
* markdown cells with ``{solution-start}``, ``{solution-end}`` or ``{solution}`` are the
  website's solution toggles; they, and any markdown between a ``{solution-start}`` and
  its ``{solution-end}``, are dropped from the student version;
* code cells tagged ``check`` call :mod:`course_utils.checks` and are kept.

A malformed notebook (an unclosed solution block, a check or solution outside an
exercise, an exercise without a label) stops the command with the notebook, the cell
number and the reason, and nothing is written.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

__all__ = [
    "Exercise",
    "NotebookFormatError",
    "find_exercises",
    "main",
    "make_student_notebook",
    "stub_solution",
]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
_EXERCISE = re.compile(r"^\s*[:`]{3,}\s*\{exercise\}", re.MULTILINE)
_LABEL = re.compile(r"^\s*:label:\s*(\S+)", re.MULTILINE)
_SOLUTION_MARKUP = re.compile(r"^\s*[:`]{3,}\s*\{solution(-start|-end)?\}", re.MULTILINE)
_HEADING = re.compile(r"^#{1,3}\s", re.MULTILINE)
_BADGE = re.compile(
    r"https://colab\.research\.google\.com/github/[^\s)\"']+?/(?P<name>[\w.-]+\.ipynb)"
)


class NotebookFormatError(ValueError):
    """A notebook breaks the exercise format; the message names notebook, cell, reason."""

    def __init__(self, notebook: str, cell: int, reason: str) -> None:
        super().__init__(f"{notebook}, cell {cell}: {reason}")
        self.notebook = notebook
        self.cell = cell
        self.reason = reason


@dataclass
class Exercise:
    """One exercise of a notebook: its label and the cells that belong to it."""

    label: str
    cell: int
    solution_cells: list[int] = field(default_factory=list)
    check_cells: list[int] = field(default_factory=list)
    stub_names: list[str] = field(default_factory=list)


def _tags(cell: dict) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _stub_for(block: str, where: str) -> tuple[list[str], list[str]]:
    """Return the stub lines replacing a solution block and the names it sets."""
    try:
        tree = ast.parse(block)
    except SyntaxError as error:
        raise ValueError(f"the solution block is not valid Python ({error.msg})") from None
    lines: list[str] = []
    names: list[str] = []
    indent = re.match(r"\s*", block.splitlines()[0] if block.strip() else "").group(0)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = ast.unparse(node.args)
            lines.append(f"{indent}def {node.name}({arguments}):")
            lines.append(f"{indent}    return ...  # YOUR CODE HERE")
            names.append(node.name)
            continue
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name) and sub.id not in names:
                    names.append(sub.id)
    for name in names:
        if not any(line.lstrip().startswith(f"def {name}(") for line in lines):
            lines.append(f"{indent}{name} = ...  # YOUR ANSWER HERE")
    if not lines:
        lines.append(f"{indent}...  # YOUR CODE HERE")
    return lines, names


def stub_solution(source: str, where: str = "cell") -> tuple[str, list[str]]:
    """Replace each ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` block with a stub.

    Returns the student source and the names the stubs set to ``...``.

    Raises:
        ValueError: for an unclosed, unopened or nested block, or a block that is not
            valid Python.

    Example:
        >>> source = "### BEGIN SOLUTION\\nanswer = 6 * 7\\n### END SOLUTION\\nprint(answer)"
        >>> print(stub_solution(source)[0])
        answer = ...  # YOUR ANSWER HERE
        print(answer)
    """
    output: list[str] = []
    names: list[str] = []
    block: list[str] | None = None
    for number, line in enumerate(source.splitlines(), start=1):
        marker = line.strip()
        if marker == BEGIN:
            if block is not None:
                raise ValueError(f"line {number}: {BEGIN} inside another solution block")
            block = []
        elif marker == END:
            if block is None:
                raise ValueError(f"line {number}: {END} without a {BEGIN} before it")
            stub_lines, block_names = _stub_for("\n".join(block), where)
            output.extend(stub_lines)
            names.extend(n for n in block_names if n not in names)
            block = None
        elif block is not None:
            block.append(line)
        else:
            output.append(line)
    if block is not None:
        raise ValueError(f"{BEGIN} is never closed by {END}")
    return "\n".join(output), names


def find_exercises(notebook: nbformat.NotebookNode, name: str = "notebook") -> list[Exercise]:
    """List a notebook's exercises, checking the format as it goes.

    Raises:
        NotebookFormatError: naming the notebook, cell number and reason.
    """
    exercises: list[Exercise] = []
    current: Exercise | None = None
    labels: set[str] = set()
    toggle_opened: int | None = None
    for index, cell in enumerate(notebook.cells):
        source = cell.get("source", "")
        tags = _tags(cell)
        toggle = _SOLUTION_MARKUP.search(source) if cell.cell_type == "markdown" else None
        if toggle is not None and toggle.group(1) == "-start":
            if current is None:
                raise NotebookFormatError(name, index, "a solution toggle outside any exercise")
            if toggle_opened is not None:
                raise NotebookFormatError(
                    name, index, f"solution-start while the one of cell {toggle_opened} is open"
                )
            toggle_opened = index
            continue
        if toggle is not None and toggle.group(1) == "-end":
            if toggle_opened is None:
                raise NotebookFormatError(name, index, "solution-end without a solution-start")
            toggle_opened = None
            continue
        if toggle_opened is not None and cell.cell_type == "code" and "solution" not in tags:
            raise NotebookFormatError(
                name, index, "a code cell inside a solution toggle must be tagged 'solution'"
            )
        if cell.cell_type == "markdown":
            if _EXERCISE.search(source):
                match = _LABEL.search(source)
                if match is None:
                    raise NotebookFormatError(name, index, "exercise without a :label:")
                label = match.group(1)
                if label in labels:
                    raise NotebookFormatError(
                        name, index, f"exercise label {label!r} is used twice"
                    )
                labels.add(label)
                current = Exercise(label=label, cell=index)
                exercises.append(current)
            elif _HEADING.search(source) and not _SOLUTION_MARKUP.search(source):
                current = None
            continue
        if cell.cell_type != "code":
            continue
        if "solution" in tags:
            if current is None:
                raise NotebookFormatError(name, index, "a solution cell outside any exercise")
            if BEGIN not in source:
                raise NotebookFormatError(
                    name, index, f"a solution cell without a {BEGIN} ... {END} block"
                )
            try:
                _, stub_names = stub_solution(source, f"{name}, cell {index}")
            except ValueError as error:
                raise NotebookFormatError(name, index, str(error)) from None
            current.solution_cells.append(index)
            current.stub_names.extend(n for n in stub_names if n not in current.stub_names)
        elif BEGIN in source or END in source:
            raise NotebookFormatError(
                name, index, f"{BEGIN} / {END} in a cell not tagged 'solution'"
            )
        if "check" in tags:
            if current is None:
                raise NotebookFormatError(name, index, "a check cell with no exercise before it")
            current.check_cells.append(index)
    if toggle_opened is not None:
        raise NotebookFormatError(
            name, toggle_opened, "solution-start is never closed by solution-end"
        )
    return exercises


def _badge_url(repository_url: str, branch: str, path: str) -> str:
    repository = repository_url.rstrip("/").removesuffix(".git")
    repository = repository.split("github.com/", 1)[-1]
    return f"https://colab.research.google.com/github/{repository}/blob/{branch}/{path}"


def make_student_notebook(
    notebook: nbformat.NotebookNode,
    *,
    name: str = "notebook",
    badge_url: str | None = None,
) -> nbformat.NotebookNode:
    """Return the student version of a lesson notebook (the input is not changed).

    Solution blocks become stubs, solution toggles are removed, outputs are cleared, and
    the Colab badge (if ``badge_url`` is given) points at ``badge_url``.

    Raises:
        NotebookFormatError: if the notebook breaks the exercise format.
    """
    find_exercises(notebook, name)
    student = copy.deepcopy(notebook)
    cells = []
    inside_toggle = False
    for cell in student.cells:
        toggle = _SOLUTION_MARKUP.search(cell.source) if cell.cell_type == "markdown" else None
        if toggle is not None:
            inside_toggle = toggle.group(1) == "-start"
            continue
        if inside_toggle and cell.cell_type == "markdown":
            continue
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            if "solution" in _tags(cell):
                cell.source, _ = stub_solution(cell.source)
                tags = [t for t in cell.metadata.get("tags", []) if t != "solution"]
                cell.metadata["tags"] = [*tags, "exercise-stub"]
        if cell.cell_type == "markdown" and badge_url is not None:
            cell.source = _BADGE.sub(badge_url, cell.source)
        cells.append(cell)
    student.cells = cells
    return student


def _clear_outputs(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    cleared = copy.deepcopy(notebook)
    for cell in cleared.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return cleared


def _read_repository(config: Path) -> tuple[str, str]:
    import yaml

    try:
        data = yaml.safe_load(config.read_text()) or {}
        repository = data["repository"]
        return str(repository["url"]), str(repository.get("branch", "main"))
    except (OSError, KeyError, TypeError, yaml.YAMLError) as error:
        raise SystemExit(
            f"error: cannot read repository.url and repository.branch from {config} "
            f"({error!r}); pass --repository-url and --branch"
        ) from None


def _write_atomically(files: dict[Path, nbformat.NotebookNode]) -> None:
    """Write every notebook to a temporary name first, then rename them all."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, notebook in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=".part", dir=path.parent
            )
            with os.fdopen(handle, "w", encoding="utf-8") as output:
                nbformat.write(notebook, output)
            staged.append((Path(temporary), path))
        for temporary, path in staged:
            os.replace(temporary, path)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.student",
        description="Write student (solutions removed) and instructor versions of the "
        "lesson notebooks.",
    )
    parser.add_argument(
        "notebooks", nargs="*", type=Path, help="notebooks to convert (default: notebooks/*.ipynb)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("dist"),
        help="folder that receives student/ and instructor/ (default: dist)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("_config.yml"),
        help="book configuration naming the repository (default: _config.yml)",
    )
    parser.add_argument("--repository-url", help="repository the student badges point at")
    parser.add_argument("--branch", help="branch the student badges point at")
    parser.add_argument(
        "--student-path",
        default="student",
        help="folder of the published student notebooks in that repository",
    )
    args = parser.parse_args(argv)

    notebooks = list(args.notebooks) or sorted(Path("notebooks").glob("*.ipynb"))
    if not notebooks:
        parser.error("no notebooks given and none found in notebooks/")
    if args.repository_url and args.branch:
        repository_url, branch = args.repository_url, args.branch
    else:
        configured_url, configured_branch = _read_repository(args.config)
        repository_url = args.repository_url or configured_url
        branch = args.branch or configured_branch

    files: dict[Path, nbformat.NotebookNode] = {}
    try:
        for path in notebooks:
            if path.suffix != ".ipynb":
                raise NotebookFormatError(str(path), 0, "not a .ipynb file")
            try:
                notebook = nbformat.read(path, as_version=4)
            except (OSError, ValueError) as error:
                raise NotebookFormatError(str(path), 0, f"cannot be read ({error})") from None
            badge = _badge_url(repository_url, branch, f"{args.student_path}/{path.name}")
            files[args.output / "student" / path.name] = make_student_notebook(
                notebook, name=str(path), badge_url=badge
            )
            files[args.output / "instructor" / path.name] = _clear_outputs(notebook)
    except NotebookFormatError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    _write_atomically(files)
    count = len(notebooks)
    print(f"wrote {count} student and {count} instructor notebooks to {args.output}/")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
