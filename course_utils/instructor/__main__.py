"""``python -m course_utils.instructor COMMAND ...`` (see :mod:`course_utils.instructor.cli`)."""

import sys

from course_utils.instructor.cli import main

sys.exit(main())
