"""The report: feedback for each student, grade tables, and the class report.

Written by :func:`write_outputs` into the results' folder, after grading:

* ``feedback/<student>.md``: each exercise's result and message, the problems of the run,
  in the language the student worked in (the Korean notebooks get Korean feedback);
* ``grades.csv``: one row per submitted file, one column per exercise (1 passed, 0 not),
  ``total`` and ``status`` (machine-readable English codes: ``ok``, ``errors``,
  ``timeout``, ``memory``, ``not a notebook``);
* ``gradebook.csv``: one row per student with points per exercise, total and maximum, the
  shape a learning-management system imports;
* ``report.html``: the class report, one page an instructor opens: pass rates per
  exercise as a chart, the most frequent diagnoses per exercise (which known mistakes the
  class made), status counts, time and memory per submission.
"""

from __future__ import annotations

import csv
import html
import io
import statistics
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from course_utils.i18n import N_, _, language
from course_utils.instructor.lesson import Lesson
from course_utils.instructor.run import RESULTS, Submission

__all__ = ["feedback_text", "gradebook_rows", "report_html", "write_outputs"]

_RESULT_WORDS = {
    "passed": N_("passed"),
    "wrong": N_("wrong"),
    "error": N_("error"),
    "not answered": N_("not answered"),
    "not run": N_("not run"),
}
_STATUS_WORDS = {
    "ok": N_("ok"),
    "errors": N_("errors"),
    "timeout": N_("timeout"),
    "memory": N_("memory"),
    "not a notebook": N_("not a notebook"),
}
_STOPPED = {
    "notebook-timeout": N_("the notebook ran past its time limit ({seconds:g} s) during {where}"),
    "memory": N_("the kernel went over the memory limit ({mib} MiB) during {where}"),
    "died": N_("the kernel died during {where}"),
    "unresponsive": N_("the kernel stopped responding during {where}"),
    "no-kernel": N_("the grader could not start a Python kernel ({error})"),
}
_NOT_RUN = {
    "notebook-timeout": N_(
        "the notebook ran past its time limit ({seconds:g} s) before this exercise."
    ),
    "memory": N_("the kernel went over the memory limit ({mib} MiB) before this exercise."),
    "died": N_("the kernel died before this exercise."),
    "unresponsive": N_("the kernel stopped responding before this exercise."),
    "no-kernel": N_("the grader could not start a kernel."),
    "not-run": N_("the exercise's answers were not collected."),
}
_ERRORS = {
    "not-collected": N_("your answers could not be collected: {message}"),
    "check-failed": N_("the check could not run on your answers: {message}"),
    "check-timeout": N_("the check did not finish in time."),
    "checker-stopped": N_("the check stopped the checker; it was started again."),
    "checker-failed": N_("the checks could not run: {message}"),
}


def _where(fields: dict) -> str:
    """The cell or the exercise a problem happened in."""
    if "cell" in fields:
        return (
            _("cell {cell} (`{line}`)").format(**fields)
            if fields.get("line")
            else _("cell {cell}").format(**fields)
        )
    return _("the collection of {label}'s answers").format(label=fields.get("label", ""))


def _problem_line(problem: dict) -> str:
    kind = problem.get("kind")
    fields = {k: v for k, v in problem.items() if k != "kind"}
    if kind == "cell-error":
        return _("{where}: {error}").format(where=_where(fields), error=fields["error"])
    if kind == "cell-timeout":
        return _("{where} ran past the {seconds:g} s time limit and was interrupted.").format(
            where=_where(fields), seconds=fields["seconds"]
        )
    if kind == "collect-failed":
        return _("the answers of {label} could not be collected: {error}").format(**fields)
    if kind in _STOPPED:
        fields["where"] = _where(fields) if "cell" in fields or "label" in fields else ""
        return _("{problem}; nothing after it ran.").format(
            problem=_(_STOPPED[kind]).format(**fields)
        )
    return str(problem)


def _result_line(label: str, submission: Submission) -> str:
    result = submission.results[label]
    word = _(_RESULT_WORDS[result.result])
    message = result.message
    if result.result == "not run":
        stop = next((p for p in reversed(submission.problems) if p.get("kind") in _STOPPED), {})
        template = _NOT_RUN.get(result.diagnosis, _NOT_RUN["not-run"])
        message = _(template).format(**{k: v for k, v in stop.items() if k != "kind"})
    elif result.result == "error" and result.diagnosis in _ERRORS:
        message = _(_ERRORS[result.diagnosis]).format(message=result.message)
    return f"- {label}: {word}" + (f" — {message}" if message else "")


def feedback_text(submission: Submission, lesson: Lesson) -> str:
    """The Markdown feedback for one student, in the language the student worked in."""
    with language(submission.language):
        lines = [_("# Feedback: {file}").format(file=submission.path.name), ""]
        if submission.status == "not a notebook":
            lines += [
                _(
                    "This file could not be graded: it is not a notebook ({reason}). Hand in "
                    "the .ipynb file that Colab downloads (File → Download → Download .ipynb)."
                ).format(reason=submission.reason),
                "",
            ]
            return "\n".join(lines)
        lines += [
            _("Lesson: {lesson}. Passed {passed} of {count} exercises. Status: {status}.").format(
                lesson=lesson.path.name,
                passed=submission.total,
                count=len(lesson.labels),
                status=_(_STATUS_WORDS[submission.status]),
            ),
            "",
            _("## Exercises"),
            "",
        ]
        lines += [_result_line(label, submission) for label in lesson.labels]
        if submission.problems:
            lines += ["", _("## Problems while running your notebook"), ""]
            lines += [f"- {_problem_line(problem)}" for problem in submission.problems]
        if submission.skipped_cells:
            lines += ["", _("## Notes"), ""]
            lines += [
                "- "
                + _(
                    "{where} was not run: it calls a check, and the grader runs the "
                    "lesson's checks itself. Keep your answers in cells of their own."
                ).format(where=_where(cell))
                for cell in submission.skipped_cells
            ]
        lines.append("")
        return "\n".join(lines)


def _feedback_names(submissions: Sequence[Submission]) -> None:
    """``<stem>``, or ``<folder>-<stem>`` for stems that several submissions share (Colab
    names every download after the lesson), made unique with a number if need be."""
    stems = [s.path.stem or s.path.name for s in submissions]
    lowered = [stem.lower() for stem in stems]
    shared = {stem for stem in lowered if lowered.count(stem) > 1}
    used: set[str] = set()
    for submission, stem in zip(submissions, stems, strict=True):
        name = stem
        if stem.lower() in shared and submission.path.parent.name:
            name = f"{submission.path.parent.name}-{stem}"
        unique, number = name, 2
        while unique.lower() in used:
            unique, number = f"{name}-{number}", number + 1
        used.add(unique.lower())
        submission.feedback_name = unique


def gradebook_rows(submissions: Sequence[Submission], lesson: Lesson) -> list[list[str]]:
    """The gradebook: a header, then one row per student (``student``, points per
    exercise, ``total``, ``max``)."""
    rows = [["student", *lesson.labels, "total", "max"]]
    for s in submissions:
        points = [
            str(s.results[label].points) if label in s.results else "0" for label in lesson.labels
        ]
        rows.append([s.feedback_name, *points, str(s.total), str(len(lesson.labels))])
    return rows


def _chart(lesson: Lesson, rates: list[float]) -> str:
    """The pass rates as an SVG bar chart (matplotlib's own SVG, text kept as text)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure, axes = plt.subplots(figsize=(7, 0.45 * len(rates) + 1.2))
        positions = range(len(rates))
        axes.barh(positions, [100 * r for r in rates], color="#2b6cb0")
        axes.set_yticks(list(positions), lesson.labels)
        axes.invert_yaxis()
        axes.set_xlim(0, 100)
        axes.set_xlabel(_("students who passed (%)"))
        for position, rate in zip(positions, rates, strict=True):
            axes.text(min(100 * rate + 1, 92), position, f"{100 * rate:.0f}%", va="center")
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg")
        plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def report_html(
    submissions: Sequence[Submission], lesson: Lesson, *, instructor_language: str = "en"
) -> str:
    """The class report: one HTML page, in the instructor's language."""
    graded = [s for s in submissions if s.status != "not a notebook"]
    count = len(graded) or 1
    with language(instructor_language):
        rates = [sum(s.results[label].points for s in graded) / count for label in lesson.labels]
        e = html.escape
        title = e(_("Class report: {lesson}").format(lesson=lesson.path.name))
        headings = {
            "rates": e(_("Pass rate per exercise")),
            "exercises": e(_("Exercises")),
            "runs": e(_("Runs")),
            "submissions": e(_("Submissions")),
        }
        parts = [
            "<!DOCTYPE html>",
            f'<html lang="{instructor_language}"><head><meta charset="utf-8">',
            f"<title>{title}</title>",
            "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
            "padding:0 1rem;color:#1a202c}table{border-collapse:collapse;margin:1rem 0}"
            "th,td{border:1px solid #cbd5e0;padding:.3rem .6rem;text-align:left;vertical-align:top}"
            "th{background:#edf2f7}td.n{text-align:right}.first{background:#fffbea;"
            "border-left:4px solid #b7791f;padding:.6rem 1rem}</style></head><body>",
            f"<h1>{title}</h1>",
            "<p>"
            + e(
                _(
                    "{count} submissions graded on {date}; average {average:.1f} of {total} exercises."
                ).format(
                    count=len(submissions),
                    date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                    average=statistics.mean(s.total for s in graded) if graded else 0.0,
                    total=len(lesson.labels),
                )
            )
            + "</p>",
        ]
        diagnoses: dict[str, Counter] = {label: Counter() for label in lesson.labels}
        # one example message per diagnosis, from a student who worked in the report's
        # language where there is one (the messages are in each student's language)
        examples: dict[tuple[str, str], str] = {}
        for s in sorted(graded, key=lambda s: s.language != instructor_language):
            for label in lesson.labels:
                result = s.results[label]
                if result.result in ("wrong", "error") and result.diagnosis:
                    diagnoses[label][result.diagnosis] += 1
                    examples.setdefault((label, result.diagnosis), result.message)
        if graded:
            hardest = min(range(len(rates)), key=lambda i: rates[i])
            label = lesson.labels[hardest]
            top = diagnoses[label].most_common(1)
            first = _("Look first at {label}: {rate:.0f}% passed.").format(
                label=label, rate=100 * rates[hardest]
            )
            if top:
                diagnosis, n = top[0]
                first += " " + _(
                    "Its most frequent mistake, made by {n}: {diagnosis} ({example})"
                ).format(n=n, diagnosis=diagnosis, example=examples[(label, diagnosis)])
            parts.append(f'<p class="first">{e(first)}</p>')
            parts.append(f"<h2>{headings['rates']}</h2>")
            parts.append(_chart(lesson, rates))
        parts.append(f"<h2>{headings['exercises']}</h2>")
        header = [
            _("exercise"),
            *[_(_RESULT_WORDS[r]) for r in RESULTS],
            _("most frequent diagnoses"),
        ]
        parts.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr>")
        for label in lesson.labels:
            counts = Counter(s.results[label].result for s in graded)
            listed = "".join(
                f"<li><b>{e(d)}</b> × {n}: {e(examples[(label, d)])}</li>"
                for d, n in diagnoses[label].most_common(5)
            )
            cells = [f"<td>{e(label)}</td>"]
            cells += [f'<td class="n">{counts.get(r, 0)}</td>' for r in RESULTS]
            cells.append(f"<td><ul>{listed}</ul></td>" if listed else "<td></td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</table>")
        statuses = Counter(s.status for s in submissions)
        parts.append(f"<h2>{headings['runs']}</h2><table>")
        for status in ("ok", "errors", "timeout", "memory", "not a notebook"):
            parts.append(
                f"<tr><td>{e(_(_STATUS_WORDS[status]))}</td>"
                f'<td class="n">{statuses.get(status, 0)}</td></tr>'
            )
        parts.append("</table>")
        if graded:
            seconds = [s.seconds for s in graded]
            peaks = [s.peak_mib for s in graded]
            parts.append(
                "<p>"
                + e(
                    _(
                        "Time per submission: median {median:.0f} s, longest {longest:.0f} s. "
                        "Peak memory per kernel: median {memory:.0f} MiB, largest {largest:.0f} MiB."
                    ).format(
                        median=statistics.median(seconds),
                        longest=max(seconds),
                        memory=statistics.median(peaks),
                        largest=max(peaks),
                    )
                )
                + "</p>"
            )
        parts.append(f"<h2>{headings['submissions']}</h2><table><tr>")
        for h in (_("student"), _("total"), _("status"), _("seconds")):
            parts.append(f"<th>{e(h)}</th>")
        parts.append("</tr>")
        for s in submissions:
            parts.append(
                f"<tr><td>{e(s.feedback_name)}</td><td class='n'>{s.total}</td>"
                f"<td>{e(_(_STATUS_WORDS[s.status]))}</td><td class='n'>{s.seconds:.0f}</td></tr>"
            )
        parts.append("</table></body></html>")
    return "\n".join(parts)


def write_outputs(
    output: Path, submissions: Sequence[Submission], lesson: Lesson, *, language_code: str = "en"
) -> None:
    """Write grades.csv, gradebook.csv, the feedback files and report.html into ``output``."""
    feedback = output / "feedback"
    feedback.mkdir(parents=True, exist_ok=True)
    _feedback_names(submissions)
    with open(output / "grades.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", *lesson.labels, "total", "status"])
        for s in submissions:
            points = [
                s.results[label].points if label in s.results else 0 for label in lesson.labels
            ]
            writer.writerow([s.file, *points, s.total, s.status])
    with open(output / "gradebook.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(gradebook_rows(submissions, lesson))
    for submission in submissions:
        text = feedback_text(submission, lesson)
        (feedback / f"{submission.feedback_name}.md").write_text(text, encoding="utf-8")
    (output / "report.html").write_text(
        report_html(submissions, lesson, instructor_language=language_code), encoding="utf-8"
    )
