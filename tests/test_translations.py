"""The Korean edition: catalogue checks, the notebook generator, Korean search and the
Korean student notebooks (tools/translations.py, book/_ext/course_i18n.py)."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import nbformat
import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "book" / "_ext"))

import course_i18n  # noqa: E402
import translations  # noqa: E402

from course_utils.student import make_student_notebook  # noqa: E402

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
COLAB = "https://colab.research.google.com/github/keras-course/deep-learning-with-keras/blob/main"


@pytest.fixture(scope="module")
def md():
    return translations._markdown()


# --- markup of a translation ---------------------------------------------------------


@pytest.mark.parametrize(
    ("english", "korean"),
    [
        ("**Dropout** uses `rate`.", "**드롭아웃**은 `rate`를 씁니다."),
        ("**Learning goals.** After this", "**학습 목표.** 이 레슨을 마치면"),
        ("**`EarlyStopping` callback** stops", "**`EarlyStopping` 콜백**은 멈춥니다."),
        ("{term}`dropout` helps", "{term}`드롭아웃(dropout) <dropout>`이 돕습니다."),
        (
            "{term}`L2 <L2 regularization>`: $\\lambda$",
            "{term}`L2 규제 <L2 regularization>`: $\\lambda$",
        ),
        ("[the notes](https://example.org/a)", "[노트](https://example.org/a)"),
        ("*italic* words", "기울임 없이 씁니다"),
        ("1. The data", "1\\. 데이터"),
        ("#", "\\#"),
    ],
)
def test_markup_problems_accepts_faithful_translations(md, english, korean):
    assert translations.markup_problems(english, korean, md) == []


@pytest.mark.parametrize(
    ("english", "korean", "problem"),
    [
        ("**Dropout (p)** helps", "**드롭아웃(p)**은 돕습니다.", "bold spans"),
        ("**`Dropout`** helps", "**`Dropout`**은 돕습니다.", "literal markup"),
        ("*Dropout (p)* helps", "*드롭아웃(p)*은 돕습니다.", "literal markup"),
        ("*emphasis* here", "_강조_는 여기", "literal markup"),
        ("use `fit`", "`fit()`을 씁니다", "code spans"),
        ("use `fit`", "fit을 씁니다", "code spans"),
        ("costs $\\lambda w^2$", "비용은 $\\lambda w$", "formulas"),
        ("[notes](https://example.org/a)", "[노트](https://example.org/b)", "link targets"),
        ("{term}`dropout` helps", "{term}`드롭아웃` 돕습니다", "cross-references"),
        ("see {doc}`../notebooks/04_x`", "{doc}`04_x`를 보세요", "cross-references"),
        ("a `code` span", "`code 범위", "code spans"),
        ("1. The data", "1. 데이터", "reads as ordered_list_open"),
        ("#", "#", "reads as heading_open"),
        ("costs $x$", "비용은 $x", "formulas"),
    ],
)
def test_markup_problems_rejects_broken_translations(md, english, korean, problem):
    problems = translations.markup_problems(english, korean, md)
    assert any(p.startswith(problem) for p in problems), problems


# --- the notebook generator ------------------------------------------------------------

CELL = """\
## 2. A hidden layer

A multi-layer perceptron puts one or more {term}`hidden layers <Hidden layer>` between
input and output.

- a first item that goes on
  over two lines;
- second item.

| name | weights drawn from |
| --- | --- |
| zeros | every weight 0 |

$$
y = \\tanh(x)
$$

:::{admonition} Common mistakes
:class: warning

- **Forgetting** the scaling.
:::

```python
print("code stays")
```"""

KOREAN = {
    "2. A hidden layer": "2. 은닉층",
    "A multi-layer perceptron puts one or more {term}`hidden layers <Hidden layer>` between"
    " input and output.": "다층 퍼셉트론은 입력과 출력 사이에 {term}`은닉층 <Hidden layer>`을 둡니다.",
    "a first item that goes on over two lines;": "두 줄에 걸친 첫 항목,",
    "second item.": "둘째 항목.",
    "name": "이름",
    "weights drawn from": "가중치 분포",
    "zeros": "영",
    "every weight 0": "모든 가중치 0",
    "Common mistakes": "흔한 실수",
    "**Forgetting** the scaling.": "스케일링을 **잊기**.",
}


def test_translate_markdown_replaces_every_block_and_keeps_the_layout(md):
    assert (
        translations.translate_markdown(CELL, KOREAN, md)
        == """\
## 2. 은닉층

다층 퍼셉트론은 입력과 출력 사이에 {term}`은닉층 <Hidden layer>`을 둡니다.

- 두 줄에 걸친 첫 항목,
- 둘째 항목.

| 이름 | 가중치 분포 |
| --- | --- |
| 영 | 모든 가중치 0 |

$$
y = \\tanh(x)
$$

:::{admonition} 흔한 실수
:class: warning

- 스케일링을 **잊기**.
:::

```python
print("code stays")
```"""
    )


@pytest.mark.parametrize("missing", sorted(KOREAN))
def test_translate_markdown_refuses_a_block_without_translation(md, missing):
    korean = {k: v for k, v in KOREAN.items() if k != missing}
    with pytest.raises(translations.MissingTranslation) as raised:
        translations.translate_markdown(CELL, korean, md)
    assert translations._message(missing) in str(raised.value)


def test_translate_markdown_keeps_exercise_options_and_solution_markers(md):
    source = (
        ":::{exercise}\n:label: ex-one\n\n**Count.** How many?\n:::\n"
        "````{solution-start} ex-one\n:class: dropdown\n````"
    )
    result = translations.translate_markdown(
        source, {"**Count.** How many?": "**세기.** 몇 개?"}, md
    )
    assert result == (
        ":::{exercise}\n:label: ex-one\n\n**세기.** 몇 개?\n:::\n"
        "````{solution-start} ex-one\n:class: dropdown\n````"
    )


def _catalogue(tmp_path: Path, entries: dict[str, tuple[str, bool]]) -> Path:
    catalogue = Catalog(locale="ko")
    for english, (korean, fuzzy) in entries.items():
        catalogue.add(english, korean, flags=["fuzzy"] if fuzzy else [])
    path = tmp_path / "page.po"
    with path.open("wb") as handle:
        write_po(handle, catalogue)
    return path


def test_translations_leave_out_fuzzy_and_empty_entries(tmp_path):
    path = _catalogue(
        tmp_path, {"done": ("완료", False), "changed": ("옛 번역", True), "new": ("", False)}
    )
    assert translations.translations(path) == {"done": "완료"}
    (row,) = translations.stats([path])
    assert (row.messages, row.translated, row.fuzzy, row.untranslated) == (3, 1, 1, 1)


def test_catalogue_problems_find_unmerged_fuzzy_untranslated_and_broken_entries(
    tmp_path, monkeypatch
):
    catalogues = tmp_path / "ko"
    (catalogues / "book").mkdir(parents=True)
    templates = tmp_path / "pot"
    (templates / "book").mkdir(parents=True)
    entries = {
        "done": ("완료", False),
        "changed": ("옛 번역", True),
        "new": ("", False),
        "`fit` twice": ("fit 두 번", False),
    }
    (catalogues / "book" / "page.po").write_bytes(_catalogue(tmp_path, entries).read_bytes())
    pot = Catalog()
    for english in [*entries, "added in English"]:
        pot.add(english)
    with (templates / "book" / "page.pot").open("wb") as handle:
        write_po(handle, pot)
    monkeypatch.setattr(translations, "CATALOGUES", catalogues)
    problems = translations.catalogue_problems(templates)
    assert len(problems) == 4, problems
    assert "1 new and 0 removed English messages not merged" in problems[0]
    assert "fuzzy" in problems[1] and "not translated" in problems[2]
    assert "code spans differ" in problems[3]


# --- the Korean notebooks ----------------------------------------------------------------


def test_every_catalogue_is_complete_for_the_generator():
    """A quick form of CI's catalogue check (`tools/translations.py check`, which also
    extracts the English messages again): every entry translated, none fuzzy."""
    rows = translations.stats()
    assert {row.catalogue for row in rows} >= {f"notebooks/{p.stem}.po" for p in LESSONS}
    unfinished = [row for row in rows if row.translated != row.messages]
    assert not unfinished, unfinished


def _has_prose(markdown: str) -> bool:
    """Whether a markdown cell has text to translate (a solution marker has none)."""
    try:
        translations.translate_markdown(markdown, {})
    except translations.MissingTranslation:
        return True
    return False


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_korean_notebook_shares_code_and_translates_every_markdown_cell(lesson):
    """The Korean text of a lesson (made in memory; the Korean Colab edition is made from
    it): the English cells, code and metadata, with every paragraph translated."""
    english = nbformat.read(lesson, as_version=4)
    korean = translations.korean_notebook(lesson)
    assert len(korean.cells) == len(english.cells)
    for number, (en, ko) in enumerate(zip(english.cells, korean.cells, strict=True), start=1):
        assert (ko.cell_type, ko.metadata, ko.get("id")) == (
            en.cell_type,
            en.metadata,
            en.get("id"),
        )
        if en.cell_type == "code":
            assert ko.source == en.source, f"cell {number}: code differs"
        elif _has_prose(en.source):
            assert translations.HANGUL.search(ko.source), f"cell {number} is not translated"
        else:
            assert ko.source == en.source, f"cell {number} has no prose but was changed"
    assert korean.metadata["language"] == "ko"


def _code_lines(cell) -> list[str]:
    """A code cell's lines without its Colab form title (translated in Korean)."""
    lines = cell.source.split("\n")
    return lines[1:] if lines[0].startswith("# @title ") else lines


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_korean_student_notebook_is_the_english_one_with_korean_prose(lesson):
    """``python -m course_utils.student notebooks/colab/ko/*.ipynb --student-path
    student/ko`` makes the Korean student notebooks: the same cells as the English ones, the
    same code but for the setup call, which selects Korean messages, Korean prose, and a
    badge that opens the Korean student copy."""
    english = nbformat.read(ROOT / "notebooks" / "colab" / "en" / lesson.name, as_version=4)
    korean = nbformat.read(ROOT / "notebooks" / "colab" / "ko" / lesson.name, as_version=4)
    badge = f"{COLAB}/student/ko/{lesson.name}"
    student_en = make_student_notebook(english, name=lesson.name, badge_url="EN")
    student_ko = make_student_notebook(
        copy.deepcopy(korean), name=f"ko/{lesson.name}", badge_url=badge
    )
    assert len(student_ko.cells) == len(student_en.cells)
    differ = [
        ko.source
        for en, ko in zip(student_en.cells, student_ko.cells, strict=True)
        if en.cell_type == "code" and _code_lines(en) != _code_lines(ko)
    ]
    assert len(differ) == 1 and 'course_utils.setup(seed=42, language="ko")' in differ[0]
    assert badge in student_ko.cells[0].source
    assert f"{COLAB}/notebooks/colab/ko/{lesson.name}" not in student_ko.cells[0].source
    assert translations.HANGUL.search(student_ko.cells[0].source)


# --- Korean search ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("드롭아웃은", "드롭아웃"),
        ("드롭아웃을", "드롭아웃"),
        ("드롭아웃의", "드롭아웃"),
        ("정규화에서는", "정규화"),
        ("검증으로", "검증"),
        ("드롭아웃", "드롭아웃"),
        ("결과", "결과"),  # two syllables stay whole
        ("Dropout은", "dropout"),
        ("keras", "keras"),
    ],
)
def test_korean_search_strips_particles(word, stem):
    assert course_i18n.SearchKorean({}).stem(word) == stem


def test_korean_search_stemmer_in_the_browser_matches_python():
    """The JavaScript stemmer (run by node, if installed) strips what the Python one does."""
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the JavaScript stemmer was not run")
    words = ["드롭아웃은", "모델에서는", "결과", "학습률을", "검증으로", "keras", "과적합이"]
    script = course_i18n.SearchKorean.js_stemmer_code + (
        f"const s = new Stemmer(); console.log(JSON.stringify({json.dumps(words)}.map(w => s.stemWord(w))));"
    )
    output = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True)
    assert json.loads(output.stdout) == [course_i18n.strip_particle(w) for w in words]


def test_language_switch_urls_lead_to_the_same_page():
    assert course_i18n._relative_url("notebooks/04_x", "en", "ko") == "../ko/notebooks/04_x.html"
    assert course_i18n._relative_url("notebooks/04_x", "ko", "en") == "../../notebooks/04_x.html"
    assert course_i18n._relative_url("search", "en", "ko") == "ko/search.html"
    assert course_i18n._relative_url("search", "ko", "en") == "../search.html"
