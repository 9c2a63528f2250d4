"""The instructor's tools: student notebooks, the grader, its report, a Gradescope autograder.

Split by stage: reading the lesson (:mod:`~course_utils.instructor.lesson`), planning a
submission (:mod:`~course_utils.instructor.plan`), a submission's sandbox
(:mod:`~course_utils.instructor.sandbox`) and kernel session
(:mod:`~course_utils.instructor.kernel`), the checker that runs the lesson's checks outside
the students' kernels (:mod:`~course_utils.instructor.checker`), the run loop
(:mod:`~course_utils.instructor.run`), the report (:mod:`~course_utils.instructor.report`),
Gradescope (:mod:`~course_utils.instructor.gradescope`) and the command line
(:mod:`~course_utils.instructor.cli`, ``python -m course_utils.instructor``).

Students need none of it: its dependencies come with ``pip install
'course-utils[instructor]'`` and no lesson imports it.
"""
