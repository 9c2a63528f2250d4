"""The language of the course's messages (course_utils.i18n) and its catalogues
(tools/messages.py): complete, current, and read by the package in the student's language;
a check's verdict is one line in a notebook, whatever the traceback mode."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

from course_utils import checks, exercises, i18n

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import messages  # noqa: E402


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.set_language("en")


def test_the_catalogues_are_complete_and_current():
    assert messages.problems() == []


def test_every_message_of_the_checks_has_a_korean_translation():
    korean = i18n.translations("ko")
    for part, template in messages.templates().items():
        missing = [m.id for m in template if m.id and m.id not in korean]
        assert not missing, f"{part}: {missing[:3]}"


@pytest.mark.parametrize(
    ("english", "korean", "problem"),
    [
        ("{name} is too small.", "{name}: 너무 작습니다.", None),
        ("{name} is too small.", "이름: 너무 작습니다.", "the fields differ"),
        ("{name} is too small.", "{name}: {value} 너무 작습니다.", "the fields differ"),
        ("{name} is too small.", "{name: 너무 작습니다.", "not a valid template"),
        ("{name} is too small.", "{name} is too small.", "no Korean"),
    ],
)
def test_a_translation_that_loses_fields_or_korean_is_a_problem(
    tmp_path, monkeypatch, english, korean, problem
):
    package = tmp_path / "course_utils"
    (package / "locales" / "ko" / "LC_MESSAGES").mkdir(parents=True)
    (package / "checks.py").write_text(f"_({english!r})\n", encoding="utf-8")
    monkeypatch.setattr(messages, "PACKAGE", package)
    monkeypatch.setattr(messages, "ROOT", tmp_path)
    messages.update()
    path = package / "locales" / "ko" / "LC_MESSAGES" / "checks.po"
    catalogue = messages.read(path)
    catalogue[english].string = korean
    messages.write(path, catalogue)
    found = messages.problems()
    if problem is None:
        assert found == []
    else:
        assert found and all("line" in f for f in found), found
        assert any(problem in f for f in found), found


def test_an_english_change_arrives_fuzzy_and_is_refused(tmp_path, monkeypatch):
    package = tmp_path / "course_utils"
    package.mkdir()
    source = package / "checks.py"
    source.write_text('_("{name} is far too small.")\n', encoding="utf-8")
    monkeypatch.setattr(messages, "PACKAGE", package)
    monkeypatch.setattr(messages, "ROOT", tmp_path)
    messages.update()
    path = package / "locales" / "ko" / "LC_MESSAGES" / "checks.po"
    catalogue = messages.read(path)
    catalogue["{name} is far too small."].string = "{name}: 훨씬 작습니다."
    messages.write(path, catalogue)
    assert messages.problems() == []
    source.write_text('_("{name} is much too small.")\n', encoding="utf-8")
    assert "not merged" in messages.problems()[0]
    messages.update()
    found = messages.problems()
    assert len(found) == 1 and "fuzzy" in found[0], found


def test_messages_follow_the_language():
    with pytest.raises(checks.WrongAnswer) as english:
        checks.check_number(3, 4, name="n", hint=i18n.N_("count them."))
    i18n.set_language("ko")
    with pytest.raises(checks.WrongAnswer) as korean:
        checks.check_number(3, 4, name="n", hint=i18n.N_("count them."))
    assert str(english.value) == "n = 3 is not right: it is too small. Hint: count them."
    assert str(korean.value).startswith("n = 3: 맞지 않습니다(너무 작음). 힌트:")
    assert english.value.diagnosis == korean.value.diagnosis == "too-small"


def test_an_unknown_language_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match=r"'en' \(English\), 'ko' \(한국어\); received 'fr'"):
        i18n.set_language("fr")
    assert i18n.get_language() == "en"


def test_a_fuzzy_or_missing_translation_falls_back_to_english(tmp_path, monkeypatch):
    folder = tmp_path / "ko" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "checks.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "too small"\nmsgstr "작음"\n\nmsgid "too large"\nmsgstr "너무 큼"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    monkeypatch.setattr(i18n, "_catalogues", {})
    with i18n.language("ko"):
        assert (i18n._("too small"), i18n._("too large"), i18n._("new")) == (
            "too small",
            "너무 큼",
            "new",
        )


def test_the_environment_variable_chooses_a_new_process_language(monkeypatch):
    monkeypatch.setenv(i18n.LANGUAGE_VARIABLE, "ko")
    assert i18n._initial() == "ko"
    monkeypatch.setenv(i18n.LANGUAGE_VARIABLE, "xx")
    assert i18n._initial() == "en"


# --- in a notebook -------------------------------------------------------------------------

_CELLS = [
    "import course_utils\ncourse_utils.setup(seed=1, language={language!r})\n"
    "from course_utils import checks, exercises",
    "@exercises.exercise('ex-demo-verdict', answers=['total'], mistakes=[exercises.Mistake("
    "'off-by-one', exercises.N_('total is one off. Hint: count again.'), "
    "lambda total: total in (41, 43))])\n"
    "def _(total):\n    checks.check_number(total, 42, name='total', hint=exercises.N_('add.'))",
    "total = 42\nexercises.check('ex-demo-verdict', globals())",
    "%xmode Verbose\ntotal = 41\nexercises.check('ex-demo-verdict', globals())",
    "total = 50\nexercises.check('ex-demo-verdict', globals())",
    "total = ...\nexercises.check('ex-demo-verdict', globals())",
    "1 / 0",
]


def _run(language: str) -> list[list[dict]]:
    from nbclient import NotebookClient

    cells = [nbformat.v4.new_code_cell(c.format(language=language)) for c in _CELLS]
    notebook = nbformat.v4.new_notebook(cells=cells)
    NotebookClient(notebook, allow_errors=True, timeout=300, startup_timeout=300).execute()
    return [[dict(output) for output in cell.outputs] for cell in notebook.cells]


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_verdict_is_one_line_at_any_xmode(language):
    outputs = _run(language)
    passed, mistake, too_large, not_answered, other = outputs[2:]
    assert [o["text"] for o in passed] == [
        "✔ ex-demo-verdict: right.\n" if language == "en" else "✔ ex-demo-verdict: 정답입니다.\n"
    ]
    for cell, ename, mark in [
        (mistake, "WrongAnswer", "✘"),
        (too_large, "WrongAnswer", "✘"),
        (not_answered, "NotAnswered", "…"),
    ]:
        (error,) = [o for o in cell if o["output_type"] == "error"]
        assert error["ename"] == ename  # the cell still fails: "Run all" stops there
        assert len(error["traceback"]) == 1, error["traceback"]
        line = error["traceback"][0]
        assert mark in line and "ex-demo-verdict" in line and error["evalue"] in line
        assert "check_number" not in line and "42" not in line  # no code, no expected value
    assert "too large" in json.dumps(too_large) or "너무 큼" in json.dumps(
        too_large, ensure_ascii=False
    )
    # Other errors keep their ordinary traceback.
    (error,) = [o for o in other if o["output_type"] == "error"]
    assert error["ename"] == "ZeroDivisionError" and len(error["traceback"]) > 1


def test_without_ipython_the_error_propagates():
    assert exercises.show_verdicts_briefly() is False
    assert shutil.which  # the test process is not IPython
