"""Planning a submission: which of its cells run, and where its answers are collected.

A submission's code cells run in order, except those that call a check (the grader checks
answers itself, outside the student's kernel) and those tagged ``check`` or
``wrong-answer``. After the cells of each exercise (from the cell that starts it, found by
its label, to the next exercise or the end of the notebook) the answers are collected
(exported to files); an exercise whose start was deleted is collected at the end.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Step", "calls_check", "cell_place", "exercise_labels", "only_checks", "plan_submission"]

_CHECK_CALL = re.compile(
    r"\b(?:exercises\s*\.\s*(?:check|assert_\w+)|checks\s*\.\s*check_\w+)\s*\("
)
_SKIPPED_TAGS = {"check", "wrong-answer"}


@dataclass
class Step:
    """One thing to do in the submission's kernel: run a student's cell, or collect the
    answers of an exercise."""

    kind: str  # "cell" or "collect"
    source: str = ""
    cell: int | None = None  # the submission's cell index, for a "cell"
    label: str | None = None  # the exercise: of the cell, or whose answers are collected


def _source(cell: Any) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(str(line) for line in source)
    return source if isinstance(source, str) else ""


def _tags(cell: Any) -> set[str]:
    metadata = cell.get("metadata")
    tags = metadata.get("tags", []) if isinstance(metadata, dict) else []
    return {tag for tag in tags if isinstance(tag, str)} if isinstance(tags, list) else set()


def exercise_labels(cell: Any) -> list[str]:
    """The label of the exercise a markdown cell starts, as a list (empty for none), read
    with :func:`course_utils.instructor.exercise_format.exercise_label`: an ``{exercise}`` directive's
    ``:label:`` (the lesson's MyST source) or a Colab edition's exercise heading (its
    metadata, or its ``<!-- exercise: label -->`` marker).

    >>> exercise_labels({"cell_type": "markdown", "source": ":::{exercise}\\n:label: ex-a\\n:::"})
    ['ex-a']
    >>> exercise_labels({"cell_type": "markdown", "source": "<!-- exercise: ex-b -->\\n### Exercise 1"})
    ['ex-b']
    """
    from course_utils.instructor.exercise_format import exercise_label

    if not isinstance(cell, dict):
        return []
    label = exercise_label(cell)
    return [label] if label else []


def _without_comments(source: str) -> str:
    try:
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        return " ".join(t.string for t in tokens if t.type != tokenize.COMMENT)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return "\n".join(line.split("#", 1)[0] for line in source.splitlines())


def _top_level_code(tree: ast.AST) -> list[ast.AST]:
    """The nodes that run when the module runs: function bodies left out."""
    found, queue = [], [tree]
    while queue:
        node = queue.pop()
        found.append(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                queue.extend(getattr(child, "decorator_list", []))
                continue
            queue.append(child)
    return found


def _python(source: str) -> ast.Module | None:
    """The cell's code as Python (IPython's magics translated), or None if it is not."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return ast.parse(TransformerManager().transform_cell(source))
    except Exception:  # a syntax error, or IPython missing
        return None


def _is_check_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and bool(_CHECK_CALL.match(ast.unparse(node.func) + "("))


def only_checks(source: str) -> bool:
    """True if the code does nothing but call checks (a check cell, untagged or not).

    Example:
        >>> only_checks('exercises.check("ex-a", globals())')
        True
        >>> only_checks('total = 42\\nexercises.check("ex-a", globals())')
        False
    """
    tree = _python(source)
    return tree is not None and all(
        isinstance(statement, ast.Expr) and _is_check_call(statement.value)
        for statement in tree.body
    )


def calls_check(source: str) -> bool:
    """True if running the code calls one of the course's checks; a check called inside a
    function it defines, or named in a comment, does not count.

    Example:
        >>> calls_check('exercises.check("ex-a", globals())')
        True
        >>> calls_check("total = 42  # then run exercises.check(...)")
        False
        >>> calls_check("def check(total):\\n    checks.check_number(total, 42)")
        False
    """
    tree = _python(source)
    if tree is None:  # not Python: look at the text
        return bool(_CHECK_CALL.search(_without_comments(source)))
    return any(_is_check_call(node) for node in _top_level_code(tree))


def cell_place(index: int, source: str) -> dict[str, Any]:
    """How feedback names a cell: its number (from 1) and its first line, shortened.

    >>> cell_place(5, "print(totl)\\n")
    {'cell': 6, 'line': 'print(totl)'}
    """
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    if len(first) > 50:
        first = first[:49] + "…"
    return {"cell": index + 1, "line": first.replace("`", "'")}


def plan_submission(
    notebook: Any, labels: Sequence[str]
) -> tuple[list[Step], list[tuple[int, str]]]:
    """The steps that grade ``notebook`` for the exercises ``labels``, and the cells the
    grader does not run because they call a check, as (cell index, source).

    An exercise's answers are collected after its cells: from the markdown cell that
    starts it to the next such cell or the end; a label missing from the notebook is
    collected at the end, in the lesson's order.
    """
    known = set(labels)
    steps: list[Step] = []
    skipped: list[tuple[int, str]] = []
    anchored: set[str] = set()
    current: str | None = None
    for index, cell in enumerate(notebook.get("cells", [])):
        if not isinstance(cell, dict):
            continue
        source = _source(cell)
        if cell.get("cell_type") == "markdown":
            for label in exercise_labels(cell):
                if label in known:
                    if current is not None:
                        steps.append(Step("collect", label=current))
                    current = label
                    anchored.add(label)
            continue
        if cell.get("cell_type") != "code" or not source.strip():
            continue
        if _tags(cell) & _SKIPPED_TAGS:
            continue
        if calls_check(source):
            if not only_checks(source):  # a check cell that lost its tag: nothing to say
                skipped.append((index, source))
            continue
        steps.append(Step("cell", source=source, cell=index, label=current))
    if current is not None:
        steps.append(Step("collect", label=current))
    steps.extend(Step("collect", label=label) for label in labels if label not in anchored)
    return steps, skipped
