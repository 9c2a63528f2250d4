"""Moved to :mod:`course_utils.instructor` (``python -m course_utils.instructor grade``).

``python -m course_utils.grade`` and ``course_utils.grade.main`` keep working until
version 0.6 and say where the grader moved.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]

MOVED = (
    "note: the grader moved: run `python -m course_utils.instructor grade ...` "
    "(`python -m course_utils.grade` works until course-utils 0.6)"
)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m course_utils.instructor grade``, under its old name."""
    from course_utils.instructor.cli import grade_main

    print(MOVED, file=sys.stderr)
    return grade_main(argv, prog="python -m course_utils.grade")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
