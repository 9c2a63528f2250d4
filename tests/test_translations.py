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

from course_utils.instructor.notebooks import make_student_notebook  # noqa: E402

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
    """``python -m course_utils.instructor notebooks notebooks/colab/ko/*.ipynb --student-path
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


# --- the Korean terms (locales/ko/terms.toml, locales/ko/STYLE.md) --------------------------


@pytest.fixture(scope="module")
def term_rules():
    rules, _ = translations.term_rules()
    return rules


def test_glossary_terms_are_read_from_the_glossary_page():
    terms = translations.parse_glossary(translations.GLOSSARY.read_text(encoding="utf-8"))
    assert terms["Training set"] == ["학습 데이터", "훈련 데이터", "훈련 세트"]
    assert terms["Overfitting"] == ["과적합", "과대적합"]
    assert terms["Vanishing gradient"] == ["기울기 소실", "그레이디언트 소실"]
    assert terms["Regularization"] == ["규제"]  # 정규화 is explained, not an alias
    assert terms["Convolutional neural network"] == ["합성곱 신경망", "CNN"]
    assert terms["Glorot initialization"] == ["글로럿 초기화", "자비어 초기화"]


@pytest.mark.parametrize(
    ("english", "korean"),
    [
        (
            "The seed notes saw the same pattern.",
            "원본 노트에서도 같은 패턴이 나타났습니다.",
        ),
        ("the network without a hidden layer", "은닉층이 없는 신경망"),
        ("Fit the scaler on the training span.", "스케일러는 학습 구간에 맞추세요."),
        ("`val_cross_entropy` is the fit alone.", "`val_cross_entropy`는 적합도만 나타냅니다."),
        ("the weights of the best epoch", "가장 좋은 에포크의 가중치"),
        ("(over 30 % here)", "(여기서는 30%를 넘으며)"),
        ("at most 0.6", "많아야 0.6"),
        ("it takes about as long as the run", "실행 시간과 비슷하게 걸립니다"),
        ("{term}`epochs <Epoch>` of training", "{term}`에포크 <Epoch>` 동안의 학습"),
        ("a toy series of eight values", "값 여덟 개로 된 작은 예제 시계열"),
        ("call `fit` with `epochs=10`", "`epochs=10`으로 `fit`을 호출합니다"),  # code is not prose
        ("Setup", "준비"),
        ("3 time steps, 1 feature", "타임스텝 3개, 특성 1개"),
    ],
)
def test_term_problems_accepts_the_style_sheets_terms(md, term_rules, english, korean):
    assert translations.term_problems(english, korean, term_rules, md) == []


@pytest.mark.parametrize(
    ("english", "korean", "rule"),
    [
        ("The seed notes saw it.", "시드 노트에서도 나타났습니다.", "seed notes"),
        ("The seed notes saw it.", "시드 노트에서도 나타났습니다.", "시드 노트"),
        ("the network learns", "네트워크가 학습합니다", "network"),
        ("the network learns", "네트워크가 학습합니다", "네트워크"),
        ("fitted by least squares", "최소제곱법으로 적합합니다", "적합하다"),
        ("Fit it on the training set.", "학습 데이터에서만 학습시키세요.", "fit"),
        ("the weights of the best epoch", "최고 에포크의 가중치", "최고 에포크"),
        ("(over 30 % here)", "(여기서는 30% 이상)", "over a number"),
        ("(over 30 % here)", "(여기서는 30 %를 넘으며)", "% spacing"),
        (
            "about as long as the run, about half the cores",
            "실행 시간만큼, 코어의 절반 정도",
            "hedge",
        ),
        ("one per window", "윈도마다 하나", "윈도"),
        ("a perfect score on paper", "서류상으로는 완벽한 점수", "서류상"),
        ("Setup", "설정", "setup heading"),
        ("1. Data: Palmer penguins", "1\\. 데이터: Palmer penguins", "Palmer penguins"),
        ("the species head calls Gentoo", "종 헤드가 젠투라고 판단한", "젠투"),
        ("its slope at 0 is 1", "0에서의 기울기는 1", "slope"),
        ("with {term}`epochs <Epoch>`", "{term}`학습 <Epoch>`으로", "glossary: Epoch"),
        (
            "on {term}`validation <Validation set>` data",
            "{term}`검증 <Validation set>` 데이터로",
            "glossary: Validation set",
        ),
        ("overfitting shows", "오버피팅이 보입니다", "glossary: Overfitting"),
    ],
)
def test_term_problems_rejects_other_terms(md, term_rules, english, korean, rule):
    problems = translations.term_problems(english, korean, term_rules, md)
    assert any(p.startswith(f"{rule}: ") for p in problems), problems


def test_every_catalogue_follows_the_terms():
    """A quick form of CI's check: no catalogue entry breaks a rule of the terms file, and
    every exception there is still needed (few, each with its reason)."""
    md = translations._markdown()
    rules, exceptions = translations.term_rules()
    assert len(exceptions) <= 5 and all(e.why for e in exceptions)
    problems, used = [], set()
    for path in translations.catalogue_paths():
        page = path.relative_to(translations.CATALOGUES).with_suffix("").as_posix()
        for message in translations.read_catalogue(path):
            if not message.id:
                continue
            for problem in translations.term_problems(message.id, message.string, rules, md):
                allowed = {
                    e
                    for e in exceptions
                    if e.catalogue == page
                    and e.message in message.id
                    and problem.startswith(f"{e.rule}: ")
                }
                used |= allowed
                if not allowed:
                    problems.append(f"{page}.po, line {message.lineno}: {problem}")
    assert not problems, "\n".join(problems)
    assert used == set(exceptions)


def test_catalogue_problems_name_the_catalogue_line_and_rule_of_a_term_problem(
    tmp_path, monkeypatch
):
    """A catalogue copy with 시드 노트 put back is refused by the check CI runs."""
    lesson = translations.CATALOGUES / "notebooks" / "03_tabular_mlp.po"
    catalogues = tmp_path / "ko"
    (catalogues / "notebooks").mkdir(parents=True)
    copy_path = catalogues / "notebooks" / lesson.name
    copy_path.write_text(
        lesson.read_text(encoding="utf-8").replace(
            "(이하 원본 노트)에서는", "(이하 시드 노트)에서는", 1
        ),
        encoding="utf-8",
    )
    templates = tmp_path / "pot"
    (templates / "notebooks").mkdir(parents=True)
    pot = Catalog()
    for message in translations.read_catalogue(lesson):
        if message.id:
            pot.add(message.id)
    with (templates / "notebooks" / "03_tabular_mlp.pot").open("wb") as handle:
        write_po(handle, pot)
    monkeypatch.setattr(translations, "CATALOGUES", catalogues)
    problems = translations.catalogue_problems(templates)
    line = next(m.lineno for m in translations.read_catalogue(copy_path) if "시드 노트" in m.string)
    where = f"notebooks/03_tabular_mlp.po, line {line}"
    assert problems == [
        f"{where}: seed notes: the English says 'seed notes', the Korean has none of 원본 노트",
        f"{where}: 시드 노트: '시드 노트'; write 원본 노트 (시드 is the random seed of the same"
        " paragraphs)",
    ]


def test_term_rules_refuse_an_unknown_glossary_entry(tmp_path):
    terms = tmp_path / "terms.toml"
    terms.write_text('[glossary.entries."Gradient descent"]\naccept = ["경사 하강법"]\n')
    with pytest.raises(ValueError, match="no such glossary entries: Gradient descent"):
        translations.term_rules(terms)
