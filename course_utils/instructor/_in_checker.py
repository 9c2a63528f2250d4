"""The checker's side: runs inside the checker's kernel, never in a student's.

The checker's kernel runs the lesson's context once (the instructor's notebook without its
solutions, checks and wrong answers), then :func:`remember` keeps its variables; for each
collected folder of answers, :func:`verdict` reads the answers from their data-only files,
runs the exercise's check on them with the lesson's context, and publishes the result as
display data of the type :data:`MIME`, which the grader reads back.
"""

from __future__ import annotations

from typing import Any

MIME = "application/vnd.course-verdict+json"
_CONTEXT: dict[str, Any] = {}


def remember(namespace: dict[str, Any]) -> int:
    """Keep the lesson's variables as the context of every check; returns their number."""
    _CONTEXT.clear()
    _CONTEXT.update(namespace)
    return len(_CONTEXT)


def _one_line(text: str, limit: int = 500) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def judge(
    label: str, folder: str, language: str, answers: list[str], fallback: list[str]
) -> dict[str, str]:
    """The verdict on the answers in ``folder`` for exercise ``label``: result, diagnosis,
    message (in ``language``)."""
    from course_utils import checks, exercises, i18n
    from course_utils.exercises.answers import load

    try:
        collected = load(folder)
    except ValueError as error:
        return {
            "result": "error",
            "diagnosis": "not-collected",
            "message": _one_line(error),
        }
    namespace = dict(_CONTEXT)
    for name in answers:  # an answer the student never defined is missing, not the lesson's
        namespace.pop(name, None)
    namespace.update(collected)
    with i18n.language(language):
        try:
            if label in exercises.all_exercises():
                exercises.get(label).run(namespace)
            elif fallback:
                scope = {**namespace, "checks": checks, "exercises": exercises}
                for source in fallback:
                    exec(compile(source, f"<the check of {label}>", "exec"), scope)
            else:
                return {"result": "error", "diagnosis": "no-check", "message": label}
        except checks.NotAnswered as error:
            return {
                "result": "not answered",
                "diagnosis": error.diagnosis,
                "message": _one_line(error),
            }
        except checks.AnswerError as error:
            return {"result": "wrong", "diagnosis": error.diagnosis, "message": _one_line(error)}
        except Exception as error:
            shown = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            return {"result": "error", "diagnosis": "check-failed", "message": _one_line(shown)}
    return {"result": "passed", "diagnosis": "", "message": ""}


def verdict(
    label: str, folder: str, language: str, answers: list[str], fallback: list[str]
) -> None:
    """Publish :func:`judge`'s verdict for the grader."""
    from IPython.display import publish_display_data

    publish_display_data({MIME: judge(label, folder, language, answers, fallback)})
