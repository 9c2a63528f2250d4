"""The search for expected answers in a student notebook's text (exercises.answers_in_sight)."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import checks, exercises


def md(text):
    return {"cell_type": "markdown", "source": text}


def code(text):
    return {"cell_type": "code", "source": text}


@pytest.mark.parametrize(
    ("function", "expected", "text"),
    [
        ("check_number", 931, "The model has 931 parameters."),
        ("check_number", 3361546, "all 3,361,546 of them"),
        ("check_number", 3361546, "n = 3_361_546"),
        ("check_number", 931.0, "(931 weights)"),
        ("check_number", -25, "a change of -25"),
        ("check_number", 0.91234, "accuracy 0.912 on the test set"),
        ("check_number", 0.91234, "accuracy 0.9123"),
        ("check_number", np.float32(0.0625), "a rate of 0.0625"),
        ("check_array", np.array([13, 26, 39]), "x = [13, 26, 39]"),
        ("check_array", np.array([0.125, 0.25, 0.5]), "rates 0.125, 0.25, 0.5"),
        ("check_shape", (None, 26, 26, 32), "output (None, 26, 26, 32)"),
        ("check_choice", "overfitting", "answer = 'overfitting'"),
        ("check_choice", "Overfitting", 'answer = "overfitting"'),
    ],
)
def test_an_answer_in_sight_is_found(function, expected, text):
    cell = code(text) if function == "check_choice" else md(text)
    (found,) = exercises.answers_in_sight([md("# Lesson"), cell], {"ex-x": [(function, expected)]})
    assert found.startswith("ex-x: the expected ") and "is shown in cell 1" in found


@pytest.mark.parametrize(
    ("function", "expected", "text"),
    [
        ("check_number", 931, "The model has 9310 parameters, or 1931."),
        ("check_number", 931, "a rate of 0.931 or 931.5"),
        ("check_number", 3, "three layers: 3"),  # small whole numbers are everywhere
        ("check_number", 0.91234, "accuracy 0.91 and 0.9124"),
        ("check_number", 0.5, "a threshold of 0.5"),  # too short to be distinctive
        ("check_array", np.array([13, 26, 39]), "13 and then 39, 26"),
        ("check_array", np.array([0, 1]), "[0, 1]"),
        ("check_shape", (None, 26, 26, 32), "(None, 26, 32)"),
        ("check_choice", "overfitting", "Is it overfitting or underfitting?"),  # prose, not code
        ("check_number", float("nan"), "nan"),
        ("check_number", 17, "### Exercise 17\n\nHow many epochs does `fit` run?"),
        ("check_number", 17, "<!-- exercise: ex-a -->\n### 연습 17\n\n몇 에포크?"),
    ],
)
def test_what_is_not_the_answer_is_not_found(function, expected, text):
    cell = md(text)
    assert exercises.answers_in_sight([cell], {"ex-x": [(function, expected)]}) == []


def test_a_numbered_heading_hides_no_other_number():
    cells = [md("### Exercise 17\n\nThe run stops after 17 epochs.")]
    (found,) = exercises.answers_in_sight(cells, {"ex-x": [("check_number", 17)]})
    assert "cell 0" in found and "after 17 epochs" in found
    cells = [md("### Epoch 12 of 17")]  # a heading with another number is searched
    assert exercises.answers_in_sight(cells, {"ex-x": [("check_number", 17)]}) != []


def test_a_choice_in_prose_is_allowed_but_in_code_is_found():
    cells = [md("Pick 'relu' or 'tanh'."), code("activation = 'relu'")]
    (found,) = exercises.answers_in_sight(cells, {"ex-act": [("check_choice", "relu")]})
    assert "cell 1" in found and "activation = 'relu'" in found


def test_check_records_the_expected_values_of_a_passing_check_only():
    @exercises.exercise("ex-test-hidden", answers=["answer"])
    def _(answer):
        checks.check_number(answer, 1234, name="answer")
        checks.check_shape(np.zeros((2, 17)), (2, 17))

    with pytest.raises(checks.WrongAnswer):
        exercises.check("ex-test-hidden", {"answer": 5})
    assert "ex-test-hidden" not in exercises.expected_values()
    exercises.check("ex-test-hidden", {"answer": 1234})
    assert exercises.expected_values()["ex-test-hidden"] == [
        ("check_number", 1234),
        ("check_shape", (2, 17)),
    ]
    assert exercises.assert_answers_hidden([md("no answer here")], ["ex-test-hidden"]) == 2
    with pytest.raises(AssertionError, match=r"ex-test-hidden: the expected 1234 .* cell 0"):
        exercises.assert_answers_hidden([md("it is 1234")], ["ex-test-hidden"])
    with pytest.raises(AssertionError, match=r"no passing check recorded .*'ex-never-run'"):
        exercises.assert_answers_hidden([md("x")], ["ex-never-run"])


def test_recording_nests_and_stops_at_the_end_of_the_block():
    with checks.recording_expected() as outer:
        checks.check_number(1, 1)
        with checks.recording_expected() as inner:
            checks.check_choice("a", "a", options=["a", "b"])
    checks.check_number(2, 2)
    assert outer == [("check_number", 1), ("check_choice", "a")]
    assert inner == [("check_choice", "a")]
    ((kind, array),) = [(k, v) for k, v in _record_array()]
    assert kind == "check_array" and array.tolist() == [1, 2]


def _record_array():
    with checks.recording_expected() as recorded:
        checks.check_array([1, 2], [1, 2])
    return recorded


def test_values_the_task_states_are_not_searched_for():
    @exercises.exercise("ex-test-stated", answers=["answer"], stated=[1234])
    def _(answer):
        checks.check_number(answer, 1234, name="answer")
        checks.check_number(answer + 1, 1235, name="answer + 1")

    exercises.check("ex-test-stated", {"answer": 1234})
    assert exercises.assert_answers_hidden([md("lowest in epoch 1234")], ["ex-test-stated"]) == 1
    with pytest.raises(AssertionError, match="expected 1235"):
        exercises.assert_answers_hidden([md("1234 and 1235")], ["ex-test-stated"])
