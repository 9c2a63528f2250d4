"""Moved to :mod:`course_utils.instructor.exercise_format`; this name works until version 0.6."""

from course_utils.instructor.exercise_format import *  # noqa: F403
from course_utils.instructor.exercise_format import __all__  # noqa: F401
