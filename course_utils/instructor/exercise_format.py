"""The exercise format of the lesson notebooks, read and checked in one place.

:func:`parse` reads a lesson notebook, checks that its exercises follow the format below
and says which cell is what. The student-notebook generator (:mod:`course_utils.instructor.notebooks`)
and the grader read notebooks through it only, so a notebook either has one meaning for
all of them or is rejected with a :class:`NotebookFormatError` that names the notebook,
the cell and the reason.

The format (the instructor guide shows a full exercise):

* The exercises sit in the section that starts at the heading ``## Exercises`` (``## 연습
  문제`` in the Korean edition) and ends at the next heading of level 1 or 2 (the summary).
  An exercise anywhere else is an error.
* A markdown cell with an ``{exercise}`` directive and a ``:label: ex-...`` line starts an
  exercise; the exercise goes on until the next exercise or the next heading.
* Its solution is a toggle: a markdown cell ``{solution-start} <label>``, then code cells
  tagged ``solution`` with the answer between ``### BEGIN SOLUTION`` and
  ``### END SOLUTION`` lines, and markdown prose, then a markdown cell ``{solution-end}``.
  A markdown cell with a ``{solution}`` directive is solution prose too. Everything
  between the two markers is solution, headings included; a code cell there must be
  tagged ``solution``.
* One code cell tagged ``check``, whose code is exactly
  ``exercises.check("<label>", globals())``. Lessons not converted yet may instead have
  code that calls ``checks.check_*(...)`` (the cell's ``check_style`` says which).
* After the check cell, code cells tagged ``wrong-answer`` (and ``remove-cell``), each
  with a ``# Wrong: ...`` comment and an
  ``exercises.assert_rejects("<label>", globals(), diagnosis="<id>", ...)`` call for their
  own exercise, naming the diagnosis the check must give.

The Colab editions (``notebooks/colab/<language>/``, made from the lessons by
``tools/colab_editions.py``) write the same exercises in plain Markdown, and :func:`parse`
reads them too:

* the exercise's heading cell (``### Exercise 3`` and the task) carries the exercise in its
  metadata, ``cell.metadata["course"] == {"role": "exercise", "exercise": "<label>"}``, and
  starts with the line ``<!-- exercise: <label> -->`` (:func:`exercise_marker`), which a
  notebook keeps even where its metadata is lost;
* solution prose is a markdown cell with ``{"role": "prose", ...}`` that starts with
  ``<!-- solution: <label> -->`` (a folded ``<details>`` block);
* solution and check cells are tagged ``solution`` and ``check`` as in the lessons; there
  are no toggles and no wrong-answer cells.

:func:`exercise_label` says which exercise a markdown cell starts, in either format.

Example:
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[
    ...     new_markdown_cell("## Exercises"),
    ...     new_markdown_cell(":::{exercise}\\n:label: ex-sum\\nAdd 2 and 2.\\n:::"),
    ...     new_markdown_cell("````{solution-start} ex-sum\\n:class: dropdown\\n````"),
    ...     new_code_cell("### BEGIN SOLUTION\\ntotal = 2 + 2\\n### END SOLUTION",
    ...                   metadata={"tags": ["solution"]}),
    ...     new_markdown_cell("````{solution-end}\\n````"),
    ...     new_code_cell('exercises.check("ex-sum", globals())', metadata={"tags": ["check"]}),
    ...     new_markdown_cell("## Summary"),
    ... ])
    >>> parsed = parse(nb, "lesson.ipynb")
    >>> parsed.section_start, parsed.section_end
    (0, 6)
    >>> (exercise,) = parsed.exercises
    >>> exercise.label, exercise.solution_cells, exercise.check_cells, exercise.check_style
    ('ex-sum', (3,), (5,), 'exercises')
    >>> parsed.roles
    ('lesson', 'exercise', 'toggle', 'solution', 'toggle', 'check', 'lesson')
    >>> nb.cells[5].source = "print(total)"
    >>> try:
    ...     parse(nb, "lesson.ipynb")
    ... except NotebookFormatError as error:
    ...     print(error)
    lesson.ipynb, cell 5: a check cell must be exactly exercises.check("ex-sum", globals())
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BEGIN",
    "CHECK",
    "END",
    "EXERCISE",
    "LESSON",
    "METADATA_KEY",
    "PROSE",
    "SOLUTION",
    "TASK",
    "TOGGLE",
    "WRONG_ANSWER",
    "NotebookFormatError",
    "ParsedExercise",
    "ParsedNotebook",
    "SolutionBlock",
    "exercise_label",
    "exercise_marker",
    "parse",
    "solution_blocks",
    "solution_marker",
]

#: The title of the level-2 heading that opens the Exercises section, per edition.
EXERCISES_HEADINGS = ("Exercises", "연습 문제")
BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"

# The role of each cell (ParsedNotebook.roles).
LESSON = "lesson"  # not part of an exercise
EXERCISE = "exercise"  # the {exercise} directive that starts an exercise
TASK = "task"  # another cell of an exercise, outside its solution (kept for students)
TOGGLE = "toggle"  # {solution-start} or {solution-end}
SOLUTION = "solution"  # code cell tagged solution
PROSE = "prose"  # markdown inside a solution toggle, or a {solution} directive
CHECK = "check"  # code cell tagged check
WRONG_ANSWER = "wrong-answer"  # code cell tagged wrong-answer

_EXERCISE = re.compile(r"^\s*[:`]{3,}\s*\{exercise\}", re.MULTILINE)
_LABEL = re.compile(r"^\s*:label:\s*(\S+)", re.MULTILINE)
_TOGGLE = re.compile(r"^\s*[:`]{3,}\s*\{solution(-start|-end)?\}(.*)$", re.MULTILINE)
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*(.*?)\s*$")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_WRONG_COMMENT = re.compile(r"^\s*# Wrong: \S", re.MULTILINE)
_EXCLUSIVE_TAGS = ("solution", "check", "wrong-answer")
#: The cell metadata key under which the Colab editions say what an exercise cell is.
METADATA_KEY = "course"
_MARKER = re.compile(r"<!-- (exercise|solution): (\S+) -->")


def exercise_marker(label: str) -> str:
    """The first line of a Colab edition's exercise heading cell.

    >>> exercise_marker("ex-sum")
    '<!-- exercise: ex-sum -->'
    """
    return f"<!-- exercise: {label} -->"


def solution_marker(label: str) -> str:
    """The first line of a Colab edition's solution prose cell."""
    return f"<!-- solution: {label} -->"


def _marked(source: str, kind: str) -> str | None:
    """The label of a ``<!-- kind: label -->`` marker on the first non-blank line."""
    lines = [line for line in source.splitlines() if line.strip()]
    match = _MARKER.fullmatch(lines[0].strip()) if lines else None
    return match.group(2) if match is not None and match.group(1) == kind else None


def _edition_cell(cell: Mapping[str, Any], role: str) -> str | None:
    """The label of a Colab edition's markdown cell of ``role`` (``"exercise"`` or
    ``"prose"``): from the cell's metadata, else from its marker line."""
    if cell.get("cell_type") != "markdown":
        return None
    meta = cell.get("metadata", {}).get(METADATA_KEY)
    if isinstance(meta, Mapping) and meta.get("role") == role:
        label = meta.get("exercise")
        if isinstance(label, str) and label:
            return label
    return _marked(_source(cell), "exercise" if role == EXERCISE else "solution")


def exercise_label(cell: Mapping[str, Any]) -> str | None:
    """The label of the exercise that a notebook cell starts, or None.

    Reads both formats: a lesson's markdown cell with an ``{exercise}`` directive and its
    ``:label:``, and a Colab edition's exercise heading cell (its metadata, or the marker
    line :func:`exercise_marker` where the metadata was lost).

    >>> exercise_label({"cell_type": "markdown", "source": ":::{exercise}\\n:label: ex-a\\n:::"})
    'ex-a'
    >>> exercise_label({"cell_type": "markdown", "source": "<!-- exercise: ex-b -->\\n### 1"})
    'ex-b'
    >>> exercise_label({"cell_type": "code", "source": "# :label: ex-c"}) is None
    True
    """
    if cell.get("cell_type") != "markdown":
        return None
    edition = _edition_cell(cell, EXERCISE)
    if edition is not None:
        return edition
    source = _source(cell)
    if _EXERCISE.search(source):
        match = _LABEL.search(source)
        return match.group(1) if match else None
    return None


class NotebookFormatError(ValueError):
    """A notebook breaks the exercise format; the message names notebook, cell, reason."""

    def __init__(self, notebook: str, cell: int, reason: str) -> None:
        super().__init__(f"{notebook}, cell {cell}: {reason}")
        self.notebook = notebook
        self.cell = cell
        self.reason = reason


@dataclass(frozen=True)
class SolutionBlock:
    """The code between one ``### BEGIN SOLUTION`` and its ``### END SOLUTION`` line.

    ``begin`` and ``end`` are the 0-based line numbers of the two markers, ``indent`` the
    indentation the block's code shares, ``code`` that code without it, and ``tree`` the
    parsed code.
    """

    begin: int
    end: int
    indent: str
    code: str
    tree: ast.Module


@dataclass(frozen=True)
class ParsedExercise:
    """One exercise: its label and the indices of its cells, in notebook order.

    ``check_style`` is ``"exercises"`` for a check cell ``exercises.check(label,
    globals())``, ``"checks"`` for the older cells that call ``checks.check_*``, and None
    for an exercise without a check cell. ``end`` is the index after its last cell.
    """

    label: str
    cell: int
    toggle_cells: tuple[int, ...]
    solution_cells: tuple[int, ...]
    prose_cells: tuple[int, ...]
    check_cells: tuple[int, ...]
    wrong_answer_cells: tuple[int, ...]
    check_style: str | None
    end: int


@dataclass(frozen=True)
class ParsedNotebook:
    """What :func:`parse` found: the exercises in order, the Exercises section and roles.

    ``section_start`` is the index of the ``## Exercises`` heading cell and
    ``section_end`` the index of the first cell after the section (None, None for a
    notebook without that section). ``roles[i]`` is the role of cell ``i``: one of
    ``LESSON``, ``EXERCISE``, ``TASK``, ``TOGGLE``, ``SOLUTION``, ``PROSE``, ``CHECK``,
    ``WRONG_ANSWER``.
    """

    name: str
    exercises: tuple[ParsedExercise, ...]
    section_start: int | None
    section_end: int | None
    roles: tuple[str, ...]

    def exercise_of(self, cell: int) -> ParsedExercise | None:
        """The exercise that cell ``cell`` belongs to, or None."""
        for exercise in self.exercises:
            if exercise.cell <= cell < exercise.end:
                return exercise
        return None


class _Reason(Exception):
    """A format error inside one cell; parse adds the notebook and the cell index."""


def _dedent(lines: list[str]) -> tuple[str, str]:
    """The common indentation of the code lines and the lines without it."""
    code_lines = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    code_lines = code_lines or [line for line in lines if line.strip()]  # comments only
    indents = [line[: len(line) - len(line.lstrip())] for line in code_lines]
    indent = min(indents, key=len) if indents else ""
    dedented = []
    for line in lines:
        if line.startswith(indent):
            dedented.append(line[len(indent) :])
        elif not line.strip() or line.lstrip().startswith("#"):
            dedented.append(line.lstrip())
        else:
            dedented.append(line)  # less indented than the block: ast.parse reports it
    return indent, "\n".join(dedented)


def solution_blocks(source: str) -> list[SolutionBlock]:
    """The solution blocks of a code cell's source, in order.

    Raises:
        ValueError: for an unclosed, unopened or nested block, or a block that is not
            valid Python.

    Example:
        >>> (block,) = solution_blocks("def f():\\n    ### BEGIN SOLUTION\\n    return 1\\n"
        ...                            "    ### END SOLUTION")
        >>> block.begin, block.end, block.indent, block.code
        (1, 3, '    ', 'return 1')
    """
    blocks: list[SolutionBlock] = []
    lines = source.splitlines()
    begin: int | None = None
    for number, line in enumerate(lines):
        marker = line.strip()
        if marker == BEGIN:
            if begin is not None:
                raise ValueError(f"line {number + 1}: {BEGIN} inside another solution block")
            begin = number
        elif marker == END:
            if begin is None:
                raise ValueError(f"line {number + 1}: {END} without a {BEGIN} before it")
            indent, code = _dedent(lines[begin + 1 : number])
            try:
                tree = ast.parse(code)
            except SyntaxError as error:
                raise ValueError(f"the solution block is not valid Python ({error.msg})") from None
            blocks.append(SolutionBlock(begin, number, indent, code, tree))
            begin = None
    if begin is not None:
        raise ValueError(f"{BEGIN} is never closed by {END}")
    return blocks


def _headings(source: str) -> list[tuple[int, str]]:
    """(level, text) of each markdown heading, leaving out lines in code blocks."""
    headings: list[tuple[int, str]] = []
    fences: list[tuple[str, bool]] = []  # open fences: the fence, and whether it is code
    for line in source.splitlines():
        fence = _FENCE.match(line)
        if fence is not None:
            marks, info = fence.groups()
            opened = fences[-1][0] if fences else ""
            if opened and not info and marks[0] == opened[0] and len(marks) >= len(opened):
                fences.pop()
                continue
            if not (fences and fences[-1][1]):
                fences.append((marks, not info.startswith("{")))
            continue
        if fences and fences[-1][1]:
            continue
        heading = _HEADING.match(line)
        if heading is not None:
            headings.append((len(heading.group(1)), heading.group(2) or ""))
    return headings


def _is_call(node: ast.AST, module: str, function: str | None = None) -> bool:
    """True for a call ``module.function(...)`` (any ``module.check_*`` if function is
    None)."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    owner = node.func.value
    if not isinstance(owner, ast.Name) or owner.id != module:
        return False
    if function is None:
        return node.func.attr.startswith("check_")
    return node.func.attr == function


def _label_argument(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant):
        value = call.args[0].value
        return value if isinstance(value, str) else None
    return None


def _check_style(source: str, label: str) -> str:
    """``"exercises"`` or ``"checks"`` for a valid check cell of exercise ``label``."""
    required = f'a check cell must be exactly exercises.check("{label}", globals())'
    try:
        tree = ast.parse(source)
    except SyntaxError:
        raise _Reason(required) from None
    nodes = list(ast.walk(tree))
    mentions_exercises = any(
        isinstance(node, ast.Name) and node.id == "exercises" for node in nodes
    )
    if not mentions_exercises and any(_is_call(node, "checks") for node in nodes):
        return "checks"
    body = tree.body
    if len(body) == 1 and isinstance(body[0], ast.Expr):
        call = body[0].value
        if (
            _is_call(call, "exercises", "check")
            and len(call.args) == 2
            and not call.keywords
            and _label_argument(call) is not None
            and isinstance(call.args[1], ast.Call)
            and isinstance(call.args[1].func, ast.Name)
            and call.args[1].func.id == "globals"
            and not call.args[1].args
            and not call.args[1].keywords
        ):
            named = _label_argument(call)
            if named != label:
                raise _Reason(f"a check cell for {named!r} in exercise {label!r}")
            return "exercises"
    raise _Reason(required)


def _check_wrong_answer(source: str, label: str) -> None:
    required = f'a wrong-answer cell must call exercises.assert_rejects("{label}", globals(), ...)'
    try:
        tree = ast.parse(source)
    except SyntaxError:
        raise _Reason(required) from None
    calls = [node for node in ast.walk(tree) if _is_call(node, "exercises", "assert_rejects")]
    if not calls:
        raise _Reason(required)
    for call in calls:
        named = _label_argument(call)
        if named is None:
            raise _Reason(required)
        if named != label:
            raise _Reason(f"a wrong-answer cell for {named!r} in exercise {label!r}")
        diagnosis = [k.value for k in call.keywords if k.arg == "diagnosis"]
        if not diagnosis or not (
            isinstance(diagnosis[0], ast.Constant) and isinstance(diagnosis[0].value, str)
        ):
            raise _Reason(
                "a wrong-answer cell must name the diagnosis its check gives: "
                f'exercises.assert_rejects("{label}", globals(), diagnosis="...", ...)'
            )
    if not _WRONG_COMMENT.search(source):
        raise _Reason("a wrong-answer cell must say what is wrong in a '# Wrong: ...' comment")


@dataclass
class _Exercise:
    label: str
    cell: int
    cells: dict[str, list[int]]
    check_style: str | None = None

    def freeze(self, end: int) -> ParsedExercise:
        return ParsedExercise(
            label=self.label,
            cell=self.cell,
            toggle_cells=tuple(self.cells[TOGGLE]),
            solution_cells=tuple(self.cells[SOLUTION]),
            prose_cells=tuple(self.cells[PROSE]),
            check_cells=tuple(self.cells[CHECK]),
            wrong_answer_cells=tuple(self.cells[WRONG_ANSWER]),
            check_style=self.check_style,
            end=end,
        )


def _tags(cell: Mapping[str, Any]) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _source(cell: Mapping[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


class _Parser:
    def __init__(self, cells: list, name: str) -> None:
        self.cells = cells
        self.name = name
        self.roles: list[str] = []
        self.exercises: list[ParsedExercise] = []
        self.current: _Exercise | None = None
        self.labels: set[str] = set()
        self.toggle: int | None = None  # the index of the open {solution-start}
        self.section_start: int | None = None
        self.section_end: int | None = None

    def close_exercise(self, end: int) -> None:
        if self.current is not None:
            self.exercises.append(self.current.freeze(end))
            self.current = None

    def add(self, role: str, index: int) -> None:
        self.roles.append(role)
        if self.current is not None and role in self.current.cells:
            self.current.cells[role].append(index)

    def run(self) -> ParsedNotebook:
        for index, cell in enumerate(self.cells):
            try:
                kind = cell.get("cell_type")
                if kind == "markdown":
                    role = self.markdown(cell, index)
                elif kind == "code":
                    role = self.code(cell)
                else:  # a raw cell
                    role = PROSE if self.toggle is not None else None
                if role is None:
                    role = TASK if self.current is not None else LESSON
            except _Reason as reason:
                raise NotebookFormatError(self.name, index, str(reason)) from None
            self.add(role, index)
        if self.toggle is not None:
            raise NotebookFormatError(
                self.name, self.toggle, "solution-start is never closed by solution-end"
            )
        self.close_exercise(len(self.cells))
        if self.section_start is not None and self.section_end is None:
            self.section_end = len(self.cells)
        return ParsedNotebook(
            name=self.name,
            exercises=tuple(self.exercises),
            section_start=self.section_start,
            section_end=self.section_end,
            roles=tuple(self.roles),
        )

    def markdown(self, cell: Mapping[str, Any], index: int) -> str | None:
        source = _source(cell)
        toggle = _TOGGLE.search(source)
        kind = None if toggle is None else (toggle.group(1) or "")
        if kind == "-start":
            if self.current is None:
                raise _Reason("a solution toggle outside any exercise")
            if self.toggle is not None:
                raise _Reason(f"solution-start while the one of cell {self.toggle} is open")
            named = toggle.group(2).strip()
            if named != self.current.label:
                raise _Reason(
                    f"a solution-start must name its exercise: "
                    f"{{solution-start}} {self.current.label}"
                )
            self.toggle = index
            return TOGGLE
        if kind == "-end":
            if self.toggle is None:
                raise _Reason("solution-end without a solution-start")
            self.toggle = None
            return TOGGLE
        if self.toggle is not None:
            if _EXERCISE.search(source) or _edition_cell(cell, EXERCISE) is not None:
                raise _Reason(f"an exercise inside the solution toggle of cell {self.toggle}")
            return PROSE
        if kind == "":
            if self.current is None:
                raise _Reason("a solution toggle outside any exercise")
            return PROSE
        prose = _edition_cell(cell, PROSE)
        if prose is not None:
            if self.current is None or prose != self.current.label:
                raise _Reason(f"solution prose of {prose!r} outside its exercise")
            return PROSE
        label = exercise_label(cell)
        if label is not None:
            return self.start_exercise(label, index)
        if _EXERCISE.search(source):
            raise _Reason("exercise without a :label:")
        headings = _headings(source)
        if headings:
            self.close_exercise(index)
            inside = self.section_start is not None and self.section_end is None
            if any((2, title) in headings for title in EXERCISES_HEADINGS):
                if self.section_start is not None:
                    raise _Reason("a second '## Exercises' section")
                self.section_start = index
            elif inside and min(level for level, _ in headings) <= 2:
                self.section_end = index
            return LESSON
        return None

    def start_exercise(self, label: str, index: int) -> str:
        if label in self.labels:
            raise _Reason(f"exercise label {label!r} is used twice")
        if self.section_start is None or self.section_end is not None:
            raise _Reason("an exercise outside the '## Exercises' section")
        self.labels.add(label)
        self.close_exercise(index)
        self.current = _Exercise(
            label, index, {TOGGLE: [], SOLUTION: [], PROSE: [], CHECK: [], WRONG_ANSWER: []}
        )
        return EXERCISE

    def code(self, cell: Mapping[str, Any]) -> str | None:
        source = _source(cell)
        tags = [tag for tag in _EXCLUSIVE_TAGS if tag in _tags(cell)]
        if len(tags) > 1:
            raise _Reason(f"a cell tagged both {tags[0]!r} and {tags[1]!r}")
        if self.toggle is not None and tags != ["solution"]:
            raise _Reason("a code cell inside a solution toggle must be tagged 'solution'")
        if tags == ["solution"]:
            if self.current is None:
                raise _Reason("a solution cell outside any exercise")
            if BEGIN not in source:
                raise _Reason(f"a solution cell without a {BEGIN} ... {END} block")
            try:
                solution_blocks(source)
            except ValueError as error:
                raise _Reason(str(error)) from None
            return SOLUTION
        if BEGIN in source or END in source:
            raise _Reason(f"{BEGIN} / {END} in a cell not tagged 'solution'")
        if tags == ["check"]:
            if self.current is None:
                raise _Reason("a check cell outside any exercise")
            if self.current.cells[CHECK]:
                raise _Reason(f"a second check cell in exercise {self.current.label!r}")
            self.current.check_style = _check_style(source, self.current.label)
            return CHECK
        if tags == ["wrong-answer"]:
            if self.current is None:
                raise _Reason("a wrong-answer cell outside any exercise")
            if not self.current.cells[CHECK]:
                raise _Reason(
                    f"a wrong-answer cell before the check cell of {self.current.label!r}"
                )
            _check_wrong_answer(source, self.current.label)
            return WRONG_ANSWER
        return None


def parse(notebook: Any, name: str = "notebook") -> ParsedNotebook:
    """Read the exercises of a notebook (an ``nbformat`` notebook), checking the format.

    ``name`` is the notebook's name in error messages.

    Raises:
        NotebookFormatError: naming the notebook, the cell index and the reason.
    """
    return _Parser(list(notebook.cells), name).run()
