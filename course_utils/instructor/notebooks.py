"""Make student, instructor and verification versions of the lesson notebooks.

Usage::

    python -m course_utils.instructor.notebooks                  # every English Colab edition
    python -m course_utils.instructor.notebooks notebooks/colab/en/01_perceptron_to_mlp.ipynb --output dist
    python -m course_utils.instructor.notebooks notebooks/colab/ko/*.ipynb --output dist/ko --student-path student/ko
    python -m course_utils.instructor.notebooks --verification   # also dist/verification/

The notebooks to convert are the lessons' Colab editions (``notebooks/colab/<language>/``,
made by ``tools/colab_editions.py``: plain Markdown, no claim or wrong-answer cells), so the
student and instructor notebooks read as the editions do; a lesson's source notebook
(``notebooks/<lesson>.ipynb``, MyST markup) is read the same way.

writes ``dist/student/<lesson>.ipynb`` (solutions replaced by stubs) and
``dist/instructor/<lesson>.ipynb`` (solutions kept), both without outputs, and with
``--verification`` also ``dist/verification/<lesson>.ipynb``, the notebook the tests run
to see that every student stub leaves its check "not answered" and every solution passes
(see :func:`make_verification_notebook`). The student version's "Open in Colab" badge
points at ``<student-path>/<lesson>.ipynb`` in the repository and branch named in
``_config.yml``, so publishing is: copy ``dist/student`` to that path of that repository
(or pass ``--repository-url`` / ``--branch`` / ``--student-path`` to point the badges
elsewhere) and push.

The notebooks are read with :func:`course_utils.instructor.exercise_format.parse`, which defines and
checks the exercise format. A malformed notebook stops the command with the notebook, the
cell number and the reason, and nothing is written.

The student version of a lesson:

* each solution block becomes stubs (the rules are :func:`stub_solution`'s), and the
  cell's ``solution`` tag becomes ``exercise-stub``; a Colab edition's solution cell is
  folded as a Colab form (a ``# @title`` line, ``cellView: form``): the stub cell is not;
* the solution toggles and everything between them (solution prose, ``{solution}``
  directives, headings), an edition's folded solution prose, and the ``wrong-answer``
  cells are dropped; the check cells stay;
* the lesson's own "Open in Colab" link (a Colab URL ending in
  ``/notebooks/<this lesson>.ipynb``, ``/notebooks/colab/<language>/<this lesson>.ipynb``
  for a Colab edition) points at the student copy; links to other lessons'
  notebooks and other URLs are left as they are;
* outputs and execution counts are cleared.
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import io
import json
import os
import re
import sys
import tempfile
import textwrap
import tokenize
from collections.abc import Sequence
from pathlib import Path, PurePath

import nbformat

from course_utils.instructor.exercise_format import (
    CHECK,
    METADATA_KEY,
    PROSE,
    SOLUTION,
    TOGGLE,
    WRONG_ANSWER,
    NotebookFormatError,
    ParsedExercise,
    SolutionBlock,
    parse,
    solution_blocks,
)

__all__ = [
    "NotebookFormatError",
    "main",
    "make_student_notebook",
    "make_verification_notebook",
    "stub_solution",
]

_ANSWER = "  # YOUR ANSWER HERE"
_CODE = "  # YOUR CODE HERE"
_Function = ast.FunctionDef | ast.AsyncFunctionDef


class _Bindings:
    """The names a solution block binds, in order; a name bound by a ``def`` keeps it."""

    def __init__(self) -> None:
        self.functions: dict[str, _Function | None] = {}

    def bind(self, name: str, function: _Function | None = None) -> None:
        if name not in self.functions or self.functions[name] is None:
            self.functions[name] = function

    def target(self, node: ast.expr) -> None:
        """Bind the names of an assignment target; attributes and items bind none."""
        if isinstance(node, ast.Name):
            self.bind(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for element in node.elts:
                self.target(element)
        elif isinstance(node, ast.Starred):
            self.target(node.value)

    def walrus(self, node: ast.AST) -> None:
        """Bind the targets of ``:=`` in an expression (not those inside a lambda)."""
        if isinstance(node, ast.NamedExpr):
            self.bind(node.target.id)
            self.walrus(node.value)
        elif not isinstance(node, ast.Lambda):
            for child in ast.iter_child_nodes(node):
                self.walrus(child)

    def pattern(self, node: ast.pattern) -> None:
        """Bind the capture names of a ``case`` pattern, in source order."""
        if isinstance(node, ast.MatchAs) and node.pattern is not None:
            self.pattern(node.pattern)
        elif isinstance(node, ast.MatchMapping):
            for sub in node.patterns:
                self.pattern(sub)
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.pattern):
                    self.pattern(child)
        name = getattr(node, "rest", None) or getattr(node, "name", None)
        if isinstance(node, (ast.MatchAs, ast.MatchStar, ast.MatchMapping)) and name:
            self.bind(name)

    def statements(self, body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.bind(node.name, node)
            elif isinstance(node, ast.ClassDef):
                self.bind(node.name)
            elif isinstance(node, ast.Assign):
                self.walrus(node.value)
                for target in node.targets:
                    self.target(target)
            elif isinstance(node, ast.AnnAssign):
                if node.value is not None:
                    self.walrus(node.value)
                    self.target(node.target)
            elif isinstance(node, ast.AugAssign):
                self.walrus(node.value)  # changes a name (or attribute, item); binds none
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                self.walrus(node.iter)
                self.target(node.target)
                self.statements(node.body)
                self.statements(node.orelse)
            elif isinstance(node, (ast.While, ast.If)):
                self.walrus(node.test)
                self.statements(node.body)
                self.statements(node.orelse)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    self.walrus(item.context_expr)
                    if item.optional_vars is not None:
                        self.target(item.optional_vars)
                self.statements(node.body)
            elif isinstance(node, (ast.Try, ast.TryStar)):
                self.statements(node.body)
                for handler in node.handlers:  # its "as" name is deleted after the handler
                    self.statements(handler.body)
                self.statements(node.orelse)
                self.statements(node.finalbody)
            elif isinstance(node, ast.Match):
                self.walrus(node.subject)
                for case in node.cases:
                    self.pattern(case.pattern)
                    if case.guard is not None:
                        self.walrus(case.guard)
                    self.statements(case.body)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                pass  # an import is part of the answer: a stub for it would name the tool
            else:
                self.walrus(node)


def _returns(body: list[ast.stmt]) -> bool:
    """True if the block returns (it sits in a function the cell defines)."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Return):
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))
    return False


def _shift_left(line: str, columns: int) -> str:
    """``line`` with up to ``columns`` leading spaces removed."""
    lead = len(line) - len(line.lstrip(" "))
    return line[min(lead, columns) :]


def _signature(node: _Function, code: str) -> list[str]:
    """The lines of a function's ``def`` up to its colon, as the solution wrote them."""
    segment = ast.get_source_segment(code, node) or ""  # from "def" (or "async") on
    depth = 0
    for token in tokenize.generate_tokens(io.StringIO(segment).readline):
        if token.type != tokenize.OP:
            continue
        if token.string in "([{":
            depth += 1
        elif token.string in ")]}":
            depth -= 1
        elif token.string == ":" and depth == 0:
            row, column = token.start
            lines = segment.splitlines()[:row]
            lines[-1] = lines[-1][: column + 1]
            return [lines[0], *(_shift_left(line, node.col_offset) for line in lines[1:])]
    raise AssertionError(f"no colon ends the signature of {node.name}")  # pragma: no cover


def _function_stub(node: _Function, code: str) -> list[str]:
    """A function's signature, its docstring and ``return ...``."""
    lines = _signature(node, code)
    if ast.get_docstring(node, clean=False) is not None:
        docstring = node.body[0]
        first, *rest = (ast.get_source_segment(code, docstring) or "").splitlines()
        lines.append(f"    {first}")
        for line in rest:
            lines.append(f"    {_shift_left(line, docstring.col_offset)}" if line.strip() else "")
    lines.append(f"    return ...{_CODE}")
    return lines


def _stub_block(block: SolutionBlock) -> tuple[list[str], list[str]]:
    """The stub lines that replace a solution block, and the names they set."""
    bindings = _Bindings()
    bindings.statements(block.tree.body)
    lines: list[str] = []
    for name, function in bindings.functions.items():
        if function is None:
            lines.append(f"{name} = ...{_ANSWER}")
        else:
            lines.extend(_function_stub(function, block.code))
    if _returns(block.tree.body):
        lines.append(f"return ...{_CODE}")
    if not lines:
        lines.append(f"...{_CODE}")
    return [f"{block.indent}{line}" if line else line for line in lines], list(bindings.functions)


def stub_solution(source: str, where: str = "cell") -> tuple[str, list[str]]:
    """Replace each ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` block with stubs.

    Returns the student source and the names the stubs set. ``where`` is unused (kept
    for compatibility).

    The rules:

    * The stubs set, at the block's indentation, every name the block binds in the scope
      it runs in: the targets of ``=`` and of annotated assignments with a value (each
      name of a tuple, list or starred target: ``a, (b, *c) = ...`` stubs ``a``, ``b`` and
      ``c``), of ``for`` and ``with ... as``, of ``:=``, class and function names, also inside the block's ``if``, ``for``, ``while``, ``with``,
      ``try`` and ``match`` statements. Names bound inside a nested function or class,
      comprehension variables and ``except ... as`` names are not stubbed.
    * Imports are part of the answer and leave no stub (a stub ``MinMaxScaler = ...``
      would give the tool away).
    * A variable or a class becomes ``name = ...  # YOUR ANSWER HERE``.
      A function keeps its signature and docstring, loses its decorators and body, and
      returns ``...``.
    * Everything else in the block is the answer and is dropped. Assignments to an
      attribute or an item (``base.trainable = False``, ``history["loss"] = x``) and
      augmented assignments (``total += 1``) bind no name: they are dropped and leave no
      stub (``base`` is not set to ``...``).
    * A block that binds no name becomes ``...  # YOUR CODE HERE``; a block that returns
      (it sits in a function) ends with ``return ...  # YOUR CODE HERE``.
    * The lines outside the blocks stay as they are.

    Raises:
        ValueError: for an unclosed, unopened or nested block, or a block that is not
            valid Python.

    Example:
        >>> source = "### BEGIN SOLUTION\\nanswer = 6 * 7\\nbase.trainable = False\\n" \\
        ...     "### END SOLUTION\\nprint(answer)"
        >>> print(stub_solution(source)[0])
        answer = ...  # YOUR ANSWER HERE
        print(answer)
    """
    lines = source.splitlines()
    output: list[str] = []
    names: list[str] = []
    position = 0
    for block in solution_blocks(source):
        output.extend(lines[position : block.begin])
        stub_lines, block_names = _stub_block(block)
        output.extend(stub_lines)
        names.extend(name for name in block_names if name not in names)
        position = block.end + 1
    output.extend(lines[position:])
    return "\n".join(output), names


def _badge_url(repository_url: str, branch: str, path: str) -> str:
    repository = repository_url.rstrip("/").removesuffix(".git")
    repository = repository.split("github.com/", 1)[-1]
    return f"https://colab.research.google.com/github/{repository}/blob/{branch}/{path}"


def _own_colab_link(name: str) -> re.Pattern[str]:
    """The Colab URLs of the lesson ``name`` itself: ``.../notebooks/<lesson>.ipynb``, or
    ``.../notebooks/colab/<language>/<lesson>.ipynb`` for a Colab edition (``en``, ``ko``)."""
    lesson = PurePath(name).name
    if not lesson.endswith(".ipynb"):
        lesson += ".ipynb"
    return re.compile(
        r"https://colab\.research\.google\.com/github/[^\s()<>\"']*/notebooks/"
        r"(?:colab/)?(?:[a-z]{2}/)?" + re.escape(lesson) + r"(?![\w.-])"
    )


def _clear(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
    return cell


def _unfolded(cell: nbformat.NotebookNode) -> str:
    """A code cell's source without its Colab form (changes the cell's metadata): the
    ``# @title`` line goes, and so does ``cellView: form``, so that Colab shows the code."""
    cell.metadata.pop("cellView", None)
    lines = cell.source.split("\n")
    if lines and re.match(r"#\s*@title\b", lines[0]):
        lines = lines[1:]
    return "\n".join(lines)


def _student_cell(
    cell: nbformat.NotebookNode,
    role: str,
    badge: tuple[re.Pattern[str], str] | None = None,
) -> nbformat.NotebookNode | None:
    """The student version of a cell (changed in place), or None for a dropped cell."""
    if role in (TOGGLE, PROSE, WRONG_ANSWER):
        return None
    _clear(cell)
    if role == SOLUTION:
        cell.source, _ = stub_solution(_unfolded(cell))
        tags = [tag for tag in cell.metadata.get("tags", []) if tag != "solution"]
        cell.metadata["tags"] = [*tags, "exercise-stub"]
        if isinstance(cell.metadata.get(METADATA_KEY), dict):
            cell.metadata[METADATA_KEY]["role"] = "stub"
    elif cell.cell_type == "markdown" and badge is not None:
        pattern, url = badge
        cell.source = pattern.sub(lambda _: url, cell.source)
    return cell


def make_student_notebook(
    notebook: nbformat.NotebookNode,
    *,
    name: str = "notebook",
    badge_url: str | None = None,
) -> nbformat.NotebookNode:
    """Return the student version of a lesson notebook (the input is not changed).

    ``name`` is the notebook's file name (or path): error messages show it, and the
    lesson's own Colab link, ``.../notebooks/<name>``, is the one that is made to point
    at ``badge_url`` (if given). See the module's description for what changes.

    Raises:
        NotebookFormatError: if the notebook breaks the exercise format.
    """
    parsed = parse(notebook, name)
    badge = None if badge_url is None else (_own_colab_link(name), badge_url)
    student = copy.deepcopy(notebook)
    cells = (
        _student_cell(cell, role, badge)
        for cell, role in zip(student.cells, parsed.roles, strict=True)
    )
    student.cells = [cell for cell in cells if cell is not None]
    return student


def _json(text: str) -> str:
    """A Python string literal for ``text`` in double quotes."""
    return json.dumps(text)


def _not_answered_source(source: str, exercise: ParsedExercise) -> str:
    """The code that replaces a check cell in the student part of a verification notebook."""
    label = exercise.label
    if exercise.check_style == "exercises":
        return "\n".join(
            [
                "# Verification: the student version stubs every answer, and the check says",
                '# "not answered yet".',
                "_unset = [",
                f"    name for name in exercises.get({_json(label)}).answers"
                " if name not in globals()",
                "]",
                f"assert not _unset, {_json(label + ': the student version sets no stub for ')}"
                " + str(_unset)",
                f"exercises.assert_not_answered({_json(label)}, globals())",
            ]
        )
    raised = f"{label}: with the stubs in place the check should say 'not answered yet', "
    passed = f"{label}: with the stubs in place the check passed"
    return "\n".join(
        [
            "# Verification: with the stubs in place this check must raise NotAnswered.",
            "from course_utils.checks import NotAnswered as _NotAnswered",
            "",
            "try:",
            textwrap.indent(source, "    "),
            "except _NotAnswered:",
            "    pass",
            "except Exception as _error:",
            "    raise AssertionError(",
            f"        {_json(raised + 'but it raised ')}",
            '        + f"{type(_error).__name__}: {_error}"',
            "    ) from _error",
            "else:",
            f"    raise AssertionError({_json(passed)})",
        ]
    )


_SAVE = """\
# Verification: the student version of the Exercises section comes next. The lesson's
# variables are kept here: the instructor's version after it starts from them again.
_verification_lesson = dict(globals())"""

_RESTORE = """\
# Verification: back to the lesson's variables. The instructor's Exercises section follows,
# unchanged: every solution, check and wrong-answer cell must pass.
for _verification_name in set(globals()) - set(_verification_lesson):
    if not _verification_name.startswith("_"):
        del globals()[_verification_name]
globals().update(_verification_lesson)
del _verification_lesson"""

PART = "verification"  # the cell metadata key that says which part of it a cell is in


def _answers_hidden_cell(shown: list[dict[str, str]], labels: list[str]) -> nbformat.NotebookNode:
    """A cell that fails if the student notebook's Exercises section shows an answer that a
    passing check expected."""
    source = "\n".join(
        [
            "# Verification: the student notebook's Exercises section (its text is below) shows",
            "# none of the answers that the checks above expected.",
            "import json as _json",
            "",
            "exercises.assert_answers_hidden(",
            f"    _json.loads({_json(json.dumps(shown, ensure_ascii=False))}),",
            f"    labels={labels!r},",
            ")",
        ]
    )
    return nbformat.v4.new_code_cell(source, id="verification-answers-hidden")


def make_verification_notebook(
    notebook: nbformat.NotebookNode,
    name: str = "notebook",
    *,
    instructor: nbformat.NotebookNode | None = None,
) -> nbformat.NotebookNode:
    """Return the notebook that verifies a lesson's exercises in one kernel.

    ``notebook`` is the lesson as students get it, a Colab edition (or the lesson itself);
    ``instructor`` the lesson's source notebook, whose Exercises section, with its
    wrong-answer cells, makes part 3 (by default ``notebook``'s own section). Both must
    have the same exercises, in the same order.

    Its cells, in order (``cell.metadata["verification"]`` names the part):

    1. ``"before-exercises"``: every cell before the ``## Exercises`` heading, unchanged;
    2. ``"student"``: a cell that keeps the lesson's variables, then the student version
       of the Exercises section (stubs, no solutions, no wrong-answer cells), in which each
       check cell is replaced: ``exercises.check("<label>", globals())`` by
       ``exercises.assert_not_answered("<label>", globals())``, after an assertion that
       every answer of the exercise has a stub; an older cell that calls ``checks.check_*``
       by the same code wrapped so that it must raise ``NotAnswered`` and nothing else;
       then a cell that restores the lesson's variables (stubs must not leak into what
       follows);
    3. ``"instructor"``: the Exercises section again, unchanged, from ``instructor``
       (solutions, checks, wrong-answer cells), so every check must pass with the solutions
       put back and reject every wrong answer; then a
       cell that searches the student notebook's Exercises section (tasks, stubs, check
       cells) for the answers those checks expected, less the values a task states as
       given (:func:`course_utils.exercises.assert_answers_hidden`);
    4. ``"after-exercises"``: the cells after the section (the summary), unchanged.

    Outputs are cleared; the copies get cell ids of their own. A notebook without an
    Exercises section comes back as it is, without outputs.

    Raises:
        NotebookFormatError: if the notebook breaks the exercise format.
    """
    parsed = parse(notebook, name)
    verification = copy.deepcopy(notebook)
    cells = [_clear(cell) for cell in verification.cells]
    if parsed.section_start is None or parsed.section_end is None:
        for cell in cells:
            cell.metadata[PART] = "before-exercises"
        return verification
    start, end = parsed.section_start, parsed.section_end
    instructor_cells = cells[start:end]
    if instructor is not None:
        source = parse(instructor, f"{name} (its source)")
        if [e.label for e in source.exercises] != [e.label for e in parsed.exercises]:
            raise NotebookFormatError(
                name,
                start,
                "the exercises differ from those of its source: "
                f"{[e.label for e in parsed.exercises]} here, "
                f"{[e.label for e in source.exercises]} there",
            )
        assert source.section_start is not None and source.section_end is not None
        instructor_cells = [
            _clear(copy.deepcopy(cell))
            for cell in instructor.cells[source.section_start : source.section_end]
        ]
    student = [nbformat.v4.new_code_cell(_SAVE, id="verification-save")]
    shown: list[dict[str, str]] = []  # the student notebook's Exercises section, as handed out
    for index in range(start, end):
        cell = copy.deepcopy(cells[index])
        role = parsed.roles[index]
        exercise = parsed.exercise_of(index)
        handed_out = _student_cell(copy.deepcopy(cells[index]), role)
        if handed_out is not None:
            shown.append({"cell_type": handed_out.cell_type, "source": handed_out.source})
        if role == CHECK and exercise is not None:
            cell.source = _not_answered_source(cell.source, exercise)
            tags = [tag for tag in cell.metadata.get("tags", []) if tag != "check"]
            cell.metadata["tags"] = [*tags, "not-answered"]
        elif _student_cell(cell, role) is None:
            continue
        if "id" in cell:
            cell.id = "s" + hashlib.sha1(f"student {cell.id}".encode()).hexdigest()[:15]
        student.append(cell)
    student.append(nbformat.v4.new_code_cell(_RESTORE, id="verification-restore"))
    labels = [e.label for e in parsed.exercises if e.check_style == "exercises"]
    if labels:
        instructor_cells = [*instructor_cells, _answers_hidden_cell(shown, labels)]
    parts = [
        ("before-exercises", cells[:start]),
        ("student", student),
        ("instructor", instructor_cells),
        ("after-exercises", cells[end:]),
    ]
    verification.cells = []
    for part, part_cells in parts:
        for cell in part_cells:
            cell.metadata[PART] = part
            verification.cells.append(cell)
    if verification.nbformat == 4 and verification.nbformat_minor < 5:
        for cell in verification.cells:
            cell.pop("id", None)
    return verification


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


#: The notebooks the command converts when it is given none.
DEFAULT_NOTEBOOKS = "notebooks/colab/en"


def _source_of(
    notebook: nbformat.NotebookNode, path: Path, sources: Path
) -> nbformat.NotebookNode | None:
    """The source notebook of a Colab edition (None for a notebook that is no edition)."""
    course = notebook.metadata.get(METADATA_KEY, {})
    if not isinstance(course, dict) or course.get("edition") != "colab":
        return None
    source = sources / path.name
    try:
        return nbformat.read(source, as_version=4)
    except (OSError, ValueError) as error:
        raise NotebookFormatError(
            str(path), 0, f"its source {source} cannot be read ({error}); pass --sources"
        ) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.instructor notebooks",
        description="Write student (solutions removed) and instructor versions of the "
        "lesson notebooks, and optionally the verification notebooks the tests run.",
    )
    parser.add_argument(
        "notebooks",
        nargs="*",
        type=Path,
        help=f"notebooks to convert (default: the English Colab editions, {DEFAULT_NOTEBOOKS}/*.ipynb)",
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
    parser.add_argument(
        "--verification",
        action="store_true",
        help="also write verification/<lesson>.ipynb, the notebook that runs the student "
        "version's checks (all 'not answered yet') and then the instructor's (all passing)",
    )
    parser.add_argument(
        "--sources",
        type=Path,
        default=Path("notebooks"),
        help="folder of the lessons' source notebooks: a Colab edition's verification "
        "notebook takes its instructor part, wrong-answer cells included, from the source "
        "of the same name (default: notebooks)",
    )
    args = parser.parse_args(argv)

    notebooks = list(args.notebooks) or sorted(Path(DEFAULT_NOTEBOOKS).glob("*.ipynb"))
    if not notebooks:
        parser.error(f"no notebooks given and none found in {DEFAULT_NOTEBOOKS}/")
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
            if args.verification:
                files[args.output / "verification" / path.name] = make_verification_notebook(
                    notebook, name=str(path), instructor=_source_of(notebook, path, args.sources)
                )
    except NotebookFormatError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    _write_atomically(files)
    count = len(notebooks)
    if args.verification:
        print(
            f"wrote {count} student, {count} instructor and {count} verification notebooks "
            f"to {args.output}/"
        )
    else:
        print(f"wrote {count} student and {count} instructor notebooks to {args.output}/")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
