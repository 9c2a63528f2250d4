"""Moved to :mod:`course_utils.instructor.notebooks` (``python -m course_utils.instructor
notebooks``).

``python -m course_utils.student`` and the names of this module keep working until
version 0.6 and say where they moved.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from course_utils.instructor.notebooks import (
    NotebookFormatError,
    make_student_notebook,
    make_verification_notebook,
    stub_solution,
)

__all__ = [
    "NotebookFormatError",
    "main",
    "make_student_notebook",
    "make_verification_notebook",
    "stub_solution",
]

MOVED = (
    "note: the student notebooks' command moved: run `python -m course_utils.instructor "
    "notebooks ...` (`python -m course_utils.student` works until course-utils 0.6)"
)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m course_utils.instructor notebooks``, under its old name."""
    from course_utils.instructor.notebooks import main as notebooks_main

    print(MOVED, file=sys.stderr)
    return notebooks_main(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
