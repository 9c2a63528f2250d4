"""The Colab editions (tools/colab_editions.py): current, free of MyST, without claim and
wrong-answer cells, folded the Colab way, runnable top to bottom as far as names go, and the
student notebooks and grading plans made from them."""

from __future__ import annotations

import ast
import copy
import itertools
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from markdown_it import MarkdownIt
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import colab_editions  # noqa: E402
import translations  # noqa: E402

from course_utils.instructor.exercise_format import (  # noqa: E402
    EXERCISE,
    PROSE,
    SOLUTION,
    exercise_label,
    parse,
)
from course_utils.instructor.notebooks import (  # noqa: E402
    NotebookFormatError,
    main,
    make_student_notebook,
    make_verification_notebook,
)
from course_utils.instructor.plan import plan_submission  # noqa: E402

LESSONS = colab_editions.lessons()
LANGUAGES = colab_editions.LANGUAGES
SITE = "https://keras-course.github.io/deep-learning-with-keras/"
COLAB = "https://colab.research.google.com/github/keras-course/deep-learning-with-keras/blob/main"
EDITIONS = [(language, lesson) for language in LANGUAGES for lesson in LESSONS]
IDS = [f"{language}-{lesson.stem}" for language, lesson in EDITIONS]


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


@pytest.fixture(scope="module", params=EDITIONS, ids=IDS)
def edition(request):
    """``(language, source notebook, edition)`` of one lesson."""
    language, lesson = request.param
    return language, read(lesson), read(colab_editions.edition_path(language, lesson))


@pytest.fixture(scope="module")
def site():
    return colab_editions.Site.of("en")


@pytest.fixture(scope="module")
def korean_site():
    return colab_editions.Site.of("ko")


# --- the committed editions -------------------------------------------------------------------


def test_colab_editions_are_current():
    """What `python tools/colab_editions.py write` (or `translations.py update`) writes from
    the lessons and catalogues now is what is committed."""
    stale = colab_editions.stale_editions()
    assert not stale, f"run: python tools/colab_editions.py write  ({stale})"


def test_every_lesson_has_an_edition_in_each_language():
    for language in LANGUAGES:
        names = sorted(p.name for p in (colab_editions.EDITIONS / language).glob("*.ipynb"))
        assert names == [p.name for p in LESSONS]


# What MyST syntax looks like to a CommonMark renderer: a role is the text "{term}" before a
# code span, a colon fence a paragraph ":::{name}", a backtick fence a code block of
# language "{name}", an option a line ":label: ...", and bold that failed to close shows
# its asterisks.
_ROLE_NAME = re.compile(r"\{[a-zA-Z0-9_\-+:]+\}$")
_OPTION = re.compile(r"(?m)^:(?:label|class|name|nonumber|hidden|sorted):")


def myst_leftovers(markdown: str) -> list[str]:
    """What a CommonMark renderer (markdown-it-py's ``commonmark`` preset, not MyST's
    parser) shows of MyST's syntax in a markdown cell: its visible text is searched, code
    spans and code blocks left out.

    >>> myst_leftovers("A {term}`perceptron <Perceptron>` learns.")
    ['a role']
    >>> myst_leftovers(":::{admonition} Common mistakes\\n:class: warning\\n\\ntext\\n:::")
    ['a colon fence', 'a directive option']
    >>> myst_leftovers("````{solution-start} ex-a\\n:class: dropdown\\n````")
    ["a directive's code fence"]
    >>> myst_leftovers("> ⚠️ **Common mistakes**\\n>\\n> `f(**kw)` [a](https://x.org/#t)")
    []
    >>> myst_leftovers("**드롭아웃(dropout)**은")
    ['literal bold markers']
    """
    md = MarkdownIt("commonmark")
    html = md.render(markdown)
    assert html or not markdown.strip()
    found = []
    for block in md.parse(markdown):
        if block.type == "fence" and block.info.strip().startswith("{"):
            found.append("a directive's code fence")
        children = block.children or []
        text = "".join(c.content if c.type == "text" else "\n" for c in children)
        for child, after in itertools.pairwise(children):
            if child.type == after.type == "text":
                continue
            if (
                child.type == "text"
                and after.type == "code_inline"
                and _ROLE_NAME.search(child.content)
            ):
                found.append("a role")
        if ":::" in text:
            found.append("a colon fence")
        if _OPTION.search(text):
            found.append("a directive option")
        if "**" in text:
            found.append("literal bold markers")
    return sorted(set(found), key=found.index)


def test_markdown_shows_no_myst_syntax_in_a_commonmark_renderer(edition):
    language, _, nb = edition
    shown = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            shown += [f"cell {index}: {what}" for what in myst_leftovers(cell.source)]
    assert not shown, f"MyST syntax left in the {language} edition: {shown}"


def test_no_claim_or_wrong_answer_cell(edition):
    _, source, nb = edition
    hidden = {
        cell.id
        for cell in source.cells
        if {"remove-cell", "wrong-answer"} & set(cell.metadata.get("tags", []))
    }
    for index, cell in enumerate(nb.cells):
        tags = set(cell.metadata.get("tags", []))
        assert not {"remove-cell", "wrong-answer"} & tags, f"cell {index} is tagged {tags}"
        assert cell.id not in hidden, f"cell {index} is a claim or wrong-answer cell"
        assert "assert_rejects" not in cell.source and "# Wrong:" not in cell.source


def test_code_reads_no_name_that_only_dropped_cells_bind(edition):
    """Static: an edition runs top to bottom as far as names go (the claim and wrong-answer
    cells it leaves out bind nothing that a later cell needs), and so does the verification
    notebook that Colab parity runs from it."""
    language, source, nb = edition
    assert colab_editions.names_from_dropped_cells(source, nb) == []
    if language == "en":
        verification = make_verification_notebook(nb, "edition", instructor=source)
        assert colab_editions.names_from_dropped_cells(source, verification) == []


def test_names_from_dropped_cells_finds_a_name_only_a_claim_cell_binds():
    source = new_notebook(
        cells=[
            new_code_cell("import numpy as np\nx = np.ones(3)", id="a"),
            new_code_cell("import inspect\nscale = 2\nassert x.sum() == 3", id="claim"),
            new_code_cell("def f(v):\n    return inspect.isclass(v) and v * scale\ny = x", id="b"),
            new_code_cell("scale = 3\nprint([scale * i for i in range(2)])", id="c"),
        ]
    )
    edition = copy.deepcopy(source)
    del edition.cells[1]
    assert colab_editions.names_from_dropped_cells(source, edition) == [
        "cell 1 reads inspect, scale, which only dropped cells bind"
    ]
    assert colab_editions.names_from_dropped_cells(source, source) == []


def test_cells_folded_the_colab_way(edition):
    """The cells the website folds, the setup cells and the solution cells are Colab forms;
    nothing else is."""
    language, source, nb = edition
    strings = colab_editions.converter_strings(language)
    by_id = {cell.id: cell for cell in source.cells}
    setup = [c for c in nb.cells if c.cell_type == "code"][:2]
    assert setup[0].source.startswith(f"# @title {strings['install']}\n")
    assert setup[1].source.startswith(f"# @title {strings['imports']}\n")
    for cell in nb.cells:
        folded = cell.metadata.get("cellView") == "form"
        titled = cell.source.startswith("# @title ")
        assert folded == titled, cell.source[:80]
        tags = by_id[cell.id].metadata.get("tags", [])
        if "hide-input" in tags:
            assert cell.source.startswith(f"# @title {strings['plot']}\n")
        if "solution" in tags:
            assert cell.source.startswith(f"# @title {strings['solution']}\n")
        if folded:
            assert cell.source.split("\n", 1)[1] == _code(by_id[cell.id].source, language)


def _code(source: str, language: str) -> str:
    if language == "en":
        return source
    return colab_editions._with_language(source, language)[0]


def test_korean_code_is_the_english_code_with_korean_messages():
    """Static (a Korean edition is not executed: its code is the English edition's, which
    Colab parity runs): the same code cells, and the one setup call selects Korean."""
    for lesson in LESSONS:
        english = read(colab_editions.edition_path("en", lesson))
        korean = read(colab_editions.edition_path("ko", lesson))
        assert [c.id for c in korean.cells] == [c.id for c in english.cells]
        differ = []
        for en, ko in zip(english.cells, korean.cells, strict=True):
            if en.cell_type != "code":
                continue
            en_code, ko_code = en.source.split("\n"), ko.source.split("\n")
            if en_code[0].startswith("# @title "):  # the form's title is translated
                en_code, ko_code = en_code[1:], ko_code[1:]
            if en_code != ko_code:
                differ.append(("\n".join(en_code), "\n".join(ko_code)))
        ((en_setup, ko_setup),) = differ
        assert "course_utils.setup(seed=42)" in en_setup
        assert 'course_utils.setup(seed=42, language="ko")' in ko_setup
        assert _without_language(ko_setup) == ast.dump(ast.parse(en_setup))


def _without_language(source: str) -> str:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            node.keywords = [k for k in node.keywords if k.arg != "language"]
    return ast.dump(tree)


def test_exercises_are_numbered_as_on_the_website(edition, site):
    language, source, nb = edition
    parsed, ours = parse(source, "source"), parse(nb, "edition")
    assert [e.label for e in ours.exercises] == [e.label for e in parsed.exercises]
    word = {"en": "Exercise", "ko": "연습"}[language]
    for exercise in ours.exercises:
        cell = nb.cells[exercise.cell]
        lines = cell.source.split("\n")
        assert lines[0] == f"<!-- exercise: {exercise.label} -->"
        assert lines[1] == f"### {word} {site.numbers[exercise.label]}"
        assert cell.metadata["course"] == {"role": "exercise", "exercise": exercise.label}
        assert exercise.check_cells and exercise.solution_cells
        assert not exercise.toggle_cells and not exercise.wrong_answer_cells
        for index in exercise.prose_cells:
            prose = nb.cells[index].source
            assert "<details>" in prose and prose.rstrip().endswith("</details>")
    assert sorted(site.numbers.values()) == list(range(1, len(site.numbers) + 1))


def test_links_into_the_website_are_the_editions_language(edition):
    language, _, nb = edition
    other = "ko/" if language == "en" else ""
    for cell in nb.cells:
        for url in re.findall(r"\]\((https?://[^)\s]+)\)", cell.source):
            if url.startswith(SITE):
                assert url.startswith(SITE + ("ko/" if language == "ko" else ""))
                if other:
                    assert not url.startswith(SITE + other), url
    badge = f"{COLAB}/notebooks/colab/{language}/"
    assert badge in nb.cells[0].source
    assert f"{COLAB}/notebooks/0" not in json.dumps(nb)  # no link opens a source notebook


# --- the converter, construct by construct ----------------------------------------------------


def ctx(site, role="", label=None, cell=3):
    return colab_editions._Context(
        site, "notebooks/01_x.ipynb", cell, "notebooks/01_x", role, label
    )


def test_a_term_becomes_a_link_to_the_glossary(site, korean_site):
    assert (
        colab_editions.convert_markdown("A {term}`hidden layer <Hidden layer>`\nhelps.", ctx(site))
        == f"A [hidden layer]({SITE}book/glossary.html#term-Hidden-layer)\nhelps."
    )
    assert (
        colab_editions.convert_markdown("{term}`은닉층 <Hidden layer>`을 둡니다.", ctx(korean_site))
        == f"[은닉층]({SITE}ko/book/glossary.html#term-Hidden-layer)을 둡니다."
    )
    # a role that runs over two lines of a list item; the text is escaped
    assert colab_editions.convert_markdown(
        "- see the {term}`ReLU`\n  and {term}`one_hot *x* <One-hot encoding>`", ctx(site)
    ) == (
        f"- see the [ReLU]({SITE}book/glossary.html#term-ReLU)\n"
        f"  and [one\\_hot \\*x\\*]({SITE}book/glossary.html#term-One-hot-encoding)"
    )
    # in a table cell
    assert colab_editions.convert_markdown(
        "| a | b |\n| - | - |\n| {term}`ReLU` | 1 |", ctx(site)
    ) == (f"| a | b |\n| - | - |\n| [ReLU]({SITE}book/glossary.html#term-ReLU) | 1 |")


def test_a_role_over_a_line_break_joins_its_lines(site):
    assert (
        colab_editions.convert_markdown(
            "> a {term}`hidden layers\n> <Hidden layer>` here\n> and there", ctx(site)
        )
        == f"> a [hidden layers]({SITE}book/glossary.html#term-Hidden-layer) here and there"
    )


def test_a_doc_reference_becomes_a_link_with_the_pages_title(site, korean_site):
    english = colab_editions.convert_markdown("the next lesson ({doc}`08_cnn`)", ctx(site))
    assert english == f"the next lesson ([Convolutional networks]({SITE}notebooks/08_cnn.html))"
    korean = colab_editions.convert_markdown("다음 레슨({doc}`08_cnn`)", ctx(korean_site))
    title = korean_site.title("notebooks/08_cnn")
    assert translations.HANGUL.search(title)
    assert korean == f"다음 레슨([{title}]({SITE}ko/notebooks/08_cnn.html))"
    assert (
        colab_editions.convert_markdown("{doc}`the glossary </book/glossary>`", ctx(site))
        == f"[the glossary]({SITE}book/glossary.html)"
    )


def test_an_admonition_becomes_a_callout(site, korean_site):
    source = (
        "Before.\n\n:::{admonition} Common mistakes\n:class: warning\n\n"
        "- **Scaling** with {term}`ReLU`.\n- two\n:::\nAfter."
    )
    assert colab_editions.convert_markdown(source, ctx(site)) == (
        "Before.\n\n> ⚠️ **Common mistakes**\n>\n"
        f"> - **Scaling** with [ReLU]({SITE}book/glossary.html#term-ReLU).\n> - two\nAfter."
    )
    korean = ":::{admonition} 흔한 실수\n:class: warning\n\n- 하나\n:::"
    assert colab_editions.convert_markdown(korean, ctx(korean_site)) == (
        "> ⚠️ **흔한 실수**\n>\n> - 하나"
    )
    # a titled-by-its-kind admonition takes its title from the converter's strings
    assert colab_editions.convert_markdown(":::{note}\nRead this.\n:::", ctx(korean_site)) == (
        "> ℹ️ **참고**\n>\n> Read this."
    )


def test_an_exercise_becomes_a_numbered_heading(site, korean_site):
    source = ":::{exercise}\n:label: ex-mlp-params\n\n**Count.** How many?\n:::"
    assert colab_editions.convert_markdown(source, ctx(site, EXERCISE, "ex-mlp-params")) == (
        "### Exercise 1\n\n**Count.** How many?"
    )
    korean = colab_editions.convert_markdown(
        source.replace("**Count.** How many?", "**세기.** 몇 개?"),
        ctx(korean_site, EXERCISE, "ex-mlp-params"),
    )
    assert korean == "### 연습 1\n\n**세기.** 몇 개?"


def lesson_notebook(*cells):
    """A small lesson in the source format: badge, setup, the cells, one exercise."""
    return new_notebook(
        cells=[
            new_markdown_cell(
                "# Perceptron to MLP\n\n[![Open In Colab](https://colab.research.google.com/"
                f"assets/colab-badge.svg)]({COLAB}/notebooks/01_perceptron_to_mlp.ipynb)"
            ),
            new_markdown_cell("## Setup"),
            new_code_cell('%pip install "x"'),
            new_code_cell("import course_utils\n\ncourse_utils.setup(seed=42)\nimport numpy"),
            new_markdown_cell("## 1. Data"),
            *cells,
            new_markdown_cell("## Exercises"),
            new_markdown_cell(":::{exercise}\n:label: ex-mlp-params\n\nCount them.\n:::"),
            new_markdown_cell("````{solution-start} ex-mlp-params\n:class: dropdown\n````"),
            new_markdown_cell("Because {term}`ReLU`."),
            new_code_cell(
                "### BEGIN SOLUTION\nn_params = 2\n### END SOLUTION",
                metadata={"tags": ["solution"]},
            ),
            new_markdown_cell("````{solution-end}\n````"),
            new_code_cell(
                'exercises.check("ex-mlp-params", globals())', metadata={"tags": ["check"]}
            ),
            new_code_cell(
                '# Wrong: one\nexercises.assert_rejects("ex-mlp-params", globals(), diagnosis="too-small", n_params=1)',
                metadata={"tags": ["wrong-answer", "remove-cell"]},
            ),
            new_markdown_cell("## Summary"),
        ]
    )


NAME = "notebooks/01_perceptron_to_mlp.ipynb"


def test_convert_a_small_lesson(site):
    source = lesson_notebook(
        new_code_cell("x = numpy.ones(2)"),
        new_code_cell("assert x.sum() == 2", metadata={"tags": ["remove-cell"]}),
        new_code_cell(
            "import matplotlib.pyplot as plt\nplt.plot(x)", metadata={"tags": ["hide-input"]}
        ),
    )
    edition = colab_editions.convert(source, source, name=NAME, site=site)
    sources = [cell.source for cell in edition.cells]
    assert f"{COLAB}/notebooks/colab/en/01_perceptron_to_mlp.ipynb" in sources[0]
    assert sources[2].startswith("# @title Install the course's helpers (Colab only)\n%pip")
    assert sources[3].startswith("# @title Imports and random seeds\nimport course_utils")
    assert "assert x.sum()" not in "".join(sources)
    assert sources[6].startswith("# @title Plotting code\n")
    assert sources[8:] == [
        "<!-- exercise: ex-mlp-params -->\n### Exercise 1\n\nCount them.",
        "<!-- solution: ex-mlp-params -->\n<details>\n<summary>Solution</summary>\n\n"
        f"Because [ReLU]({SITE}book/glossary.html#term-ReLU).\n\n</details>",
        "# @title Solution\n### BEGIN SOLUTION\nn_params = 2\n### END SOLUTION",
        'exercises.check("ex-mlp-params", globals())',
        "## Summary",
    ]
    roles = [cell.metadata.get("course", {}).get("role") for cell in edition.cells[8:]]
    assert roles == [EXERCISE, PROSE, SOLUTION, "check", None]
    assert edition.metadata["course"] == {
        "edition": "colab",
        "language": "en",
        "source": NAME,
    }
    assert parse(edition, "edition").roles[8:] == (
        "exercise",
        "prose",
        "solution",
        "check",
        "lesson",
    )


def test_convert_moves_a_long_setup_line_s_comment_above_it(korean_site):
    source = lesson_notebook()
    source.cells[3].source = (
        "import course_utils\n\ncourse_utils.setup(seed=42)  # quiet TensorFlow start-up,"
        " seed Python, NumPy and Keras"
    )
    edition = colab_editions.convert(source, source, name=NAME, site=korean_site)
    assert edition.cells[3].source.split("\n")[1:] == [
        "import course_utils",
        "",
        "# quiet TensorFlow start-up, seed Python, NumPy and Keras",
        'course_utils.setup(seed=42, language="ko")',
    ]


UNKNOWN = [
    ("A {ref}`label`.", "{ref}`label`: a role the converter does not know"),
    ("{term}`no such term`", "{term}`no such term`: no glossary term 'no such term'"),
    ("{doc}`the lesson <09_no_such_lesson>`", "no page notebooks/09_no_such_lesson"),
    (":::{figure} a.png\n:::", "{figure} a.png: a directive the converter does not know"),
    (
        ":::{admonition} Title\n:name: x\ntext\n:::",
        "{admonition}: an option the converter does not know (:name:)",
    ),
    (
        ":::{admonition} Title\n:class: sidebar\ntext\n:::",
        "{admonition}: :class: sidebar is not one of",
    ),
    (":::{admonition}\ntext\n:::", "{admonition}: an admonition needs a title"),
    ("(my-target)=\n# Heading", "(my-target)=: a construct the converter does not know"),
    ("% a comment", "% a comment: a construct the converter does not know"),
    ("term\n: definition", "term: a construct the converter does not know (dl_open)"),
    ("See [setup](../book/setup.md).", "a link to '../book/setup.md': a relative link"),
    ("![plot](plot.png)", "an image 'plot.png': a relative link"),
    ("[a {term}`ReLU` link](https://x.org)", "ReLU: a role inside a link's text"),
    ("- :::{note}\n  x\n  :::", "a directive inside a list or a quote is not supported"),
]


@pytest.mark.parametrize(("markdown", "message"), UNKNOWN, ids=[m for m, _ in UNKNOWN])
def test_the_converter_refuses_what_it_does_not_know(site, markdown, message):
    source = lesson_notebook(new_markdown_cell(markdown))
    with pytest.raises(colab_editions.ConversionError) as raised:
        colab_editions.convert(source, source, name=NAME, site=site)
    assert str(raised.value).startswith(f"{NAME}, cell 5: "), raised.value
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (new_code_cell("x = 1", metadata={"tags": ["hide-output"]}), "tag 'hide-output'"),
        (new_raw_cell("raw"), "a raw cell"),
    ],
)
def test_the_converter_refuses_unknown_cells(site, cell, message):
    source = lesson_notebook(cell)
    with pytest.raises(colab_editions.ConversionError, match=f"cell 5: {re.escape(message)}"):
        colab_editions.convert(source, source, name=NAME, site=site)


def test_the_converter_refuses_unknown_exercise_options_and_toggle_content(site):
    source = lesson_notebook()
    source.cells[6].source = ":::{exercise}\n:label: ex-mlp-params\n:nonumber:\n\nCount.\n:::"
    with pytest.raises(colab_editions.ConversionError, match=r"cell 6: \{exercise\}: an option"):
        colab_editions.convert(source, source, name=NAME, site=site)
    source = lesson_notebook()
    source.cells[7].source += "\n\nSome prose."
    with pytest.raises(colab_editions.ConversionError, match=r"cell 7: .* the toggle alone"):
        colab_editions.convert(source, source, name=NAME, site=site)


def test_the_converter_refuses_a_later_cell_that_needs_a_claim_cell(site):
    source = lesson_notebook(
        new_code_cell("import inspect\nassert True", metadata={"tags": ["remove-cell"]}),
        new_code_cell("print(inspect.isclass(int))"),
    )
    with pytest.raises(
        colab_editions.ConversionError, match="cell 6: it reads inspect, which only claim"
    ):
        colab_editions.convert(source, source, name=NAME, site=site)


def test_nothing_is_written_when_one_lesson_fails(tmp_path, monkeypatch):
    """All editions are made in memory before any is written: a failure in the second
    lesson leaves the first one's file as it was."""
    good, bad = tmp_path / "01_perceptron_to_mlp.ipynb", tmp_path / "02_initialization.ipynb"
    nbformat.write(lesson_notebook(), good)
    broken = lesson_notebook(new_markdown_cell("{ref}`x`"))
    broken.cells[6].source = broken.cells[6].source.replace("ex-mlp-params", "ex-init-glorot-limit")
    for cell in broken.cells:
        cell.source = cell.source.replace("ex-mlp-params", "ex-init-glorot-limit")
    nbformat.write(broken, bad)
    out = tmp_path / "colab"
    monkeypatch.setattr(colab_editions, "EDITIONS", out)
    (out / "en").mkdir(parents=True)
    (out / "en" / good.name).write_text("old\n")
    with pytest.raises(colab_editions.ConversionError, match=r"02_initialization.ipynb, cell 5"):
        colab_editions.write_files(colab_editions.editions([good, bad], languages=["en"]), out)
    assert [p.name for p in out.rglob("*")] == ["en", good.name]
    assert (out / "en" / good.name).read_text() == "old\n"
    written = colab_editions.write_files(colab_editions.editions([good], languages=["en"]), out)
    assert written == [out / "en" / good.name]
    assert "Exercise 1" in (out / "en" / good.name).read_text()
    assert not list(out.rglob("*.part"))


def test_write_files_is_all_or_nothing(tmp_path, monkeypatch):
    files = {tmp_path / "en" / f"{n}.ipynb": f"{n}\n" for n in ("a", "b", "c")}
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "stale.ipynb").write_text("stale\n")
    real_replace = colab_editions.os.replace
    calls = []

    def failing_replace(source, target):
        calls.append(target)
        raise OSError("disk full")

    monkeypatch.setattr(colab_editions.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        colab_editions.write_files(files, tmp_path)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["en", "stale.ipynb"]  # no .part left
    monkeypatch.setattr(colab_editions.os, "replace", real_replace)
    colab_editions.write_files(files, tmp_path)
    assert sorted(p.name for p in (tmp_path / "en").iterdir()) == ["a.ipynb", "b.ipynb", "c.ipynb"]


# --- student notebooks and grading, from the editions -----------------------------------------


def test_student_notebook_from_an_edition(edition):
    language, _, nb = edition
    name = f"notebooks/colab/{language}/x.ipynb"
    badge = f"{COLAB}/student/{language}/x.ipynb"
    nb = copy.deepcopy(nb)
    own = f"{COLAB}/notebooks/colab/{language}/"
    lesson = re.search(re.escape(own) + r"([\w-]+\.ipynb)", nb.cells[0].source).group(1)
    student = make_student_notebook(nb, name=name.replace("x.ipynb", lesson), badge_url=badge)
    assert badge in student.cells[0].source and own not in student.cells[0].source
    text = json.dumps([cell.source for cell in student.cells], ensure_ascii=False)
    assert "BEGIN SOLUTION" not in text and "<details>" not in text
    assert "<!-- solution:" not in text
    parsed = parse(student, "student")
    assert [e.label for e in parsed.exercises] == [e.label for e in parse(nb, "x").exercises]
    for exercise in parsed.exercises:
        stubs = [
            student.cells[i]
            for i in range(exercise.cell, exercise.end)
            if "exercise-stub" in student.cells[i].metadata.get("tags", [])
        ]
        assert stubs, f"{exercise.label}: no stub"
        for stub in stubs:
            assert "@title" not in stub.source and "cellView" not in stub.metadata
            assert "YOUR ANSWER HERE" in stub.source or "YOUR CODE HERE" in stub.source
            assert stub.metadata["course"] == {"role": "stub", "exercise": exercise.label}
        assert exercise.check_cells


def test_the_command_reads_the_english_editions_by_default(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "dist"
    assert main(["--output", str(out), "--verification"]) == 0
    n = len(LESSONS)
    assert capsys.readouterr().out.startswith(f"wrote {n} student, {n} instructor")
    verification = read(out / "verification" / LESSONS[0].name)
    parts = [cell.metadata["verification"] for cell in verification.cells]
    instructor = [c for c, p in zip(verification.cells, parts, strict=True) if p == "instructor"]
    assert any("wrong-answer" in c.metadata.get("tags", []) for c in instructor)
    lesson = [c for c, p in zip(verification.cells, parts, strict=True) if p == "before-exercises"]
    assert not any("remove-cell" in c.metadata.get("tags", []) for c in lesson)
    assert lesson[0].source == read(colab_editions.edition_path("en", LESSONS[0])).cells[0].source
    instructor_notebook = read(out / "instructor" / LESSONS[0].name)
    assert instructor_notebook.cells == read(colab_editions.edition_path("en", LESSONS[0])).cells


def test_verification_needs_the_source_of_an_edition(tmp_path, capsys):
    edition = colab_editions.edition_path("en", LESSONS[0])
    arguments = ["--output", str(tmp_path / "o"), "--repository-url", "u", "--branch", "b"]
    assert main([str(edition), *arguments, "--verification", "--sources", str(tmp_path)]) == 1
    assert "its source" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_exercise_label_reads_both_formats():
    source = new_markdown_cell(":::{exercise}\n:label: ex-tab-updates\n\nTask.\n:::")
    edition = new_markdown_cell(
        "<!-- exercise: ex-tab-updates -->\n### Exercise 8\n\nTask.",
        metadata={"course": {"role": "exercise", "exercise": "ex-tab-updates"}},
    )
    lost = new_markdown_cell(edition.source)  # a download that lost the metadata
    moved = new_markdown_cell("### Exercise 8\n\n<!-- exercise: ex-tab-updates -->")
    assert [exercise_label(c) for c in (source, edition, lost)] == ["ex-tab-updates"] * 3
    assert exercise_label(moved) is None  # the marker is the cell's first line
    assert exercise_label(new_markdown_cell(":::{exercise}\nTask.\n:::")) is None
    assert exercise_label(new_code_cell("# <!-- exercise: ex-tab-updates -->")) is None
    assert exercise_label(new_markdown_cell("<!-- solution: ex-tab-updates -->")) is None
    other = new_markdown_cell(
        lost.source, metadata={"course": {"role": "exercise", "exercise": "ex-b"}}
    )
    assert exercise_label(other) == "ex-b"


@pytest.mark.parametrize("metadata", ["kept", "lost"])
def test_plan_submission_of_a_student_notebook_from_an_edition(metadata):
    lesson = LESSONS[2]
    edition = read(colab_editions.edition_path("en", lesson))
    student = make_student_notebook(edition, name=lesson.name)
    if metadata == "lost":
        for cell in student.cells:
            cell.metadata = {}
    labels = [e.label for e in parse(edition, "edition").exercises]
    steps, skipped = plan_submission(student, labels)
    assert skipped == []
    checks = [step.label for step in steps if step.kind == "collect"]
    assert checks == labels
    # a check comes after the cells of its exercise: the stub cells run first
    for index, cell in enumerate(student.cells):
        if (
            "exercise-stub" not in cell.metadata.get("tags", [])
            and "YOUR ANSWER" not in cell.source
        ):
            continue
        (position,) = [i for i, s in enumerate(steps) if s.kind == "cell" and s.cell == index]
        label = steps[position].label
        assert label in labels
        check = next(i for i, s in enumerate(steps) if s.kind == "collect" and s.label == label)
        assert position < check


def test_parse_refuses_an_editions_solution_prose_outside_its_exercise():
    edition = read(colab_editions.edition_path("en", LESSONS[0]))
    prose = next(
        i
        for i, c in enumerate(edition.cells)
        if c.metadata.get("course", {}).get("role") == "prose"
    )
    moved = copy.deepcopy(edition)
    moved.cells.insert(5, moved.cells.pop(prose))
    with pytest.raises(NotebookFormatError, match="cell 5: solution prose of 'ex-mlp-xor-choice'"):
        parse(moved, "moved")
    lost = copy.deepcopy(moved)
    lost.cells[5].metadata = {}  # the marker line says it too
    with pytest.raises(NotebookFormatError, match="cell 5: solution prose of 'ex-mlp-xor-choice'"):
        parse(lost, "lost")


def test_verification_refuses_an_edition_whose_exercises_differ_from_its_source():
    edition = read(colab_editions.edition_path("en", LESSONS[0]))
    source = read(LESSONS[1])
    with pytest.raises(NotebookFormatError, match="the exercises differ from those of its source"):
        make_verification_notebook(edition, "edition", instructor=source)


def test_editions_pass_nbstripout():
    """The pre-commit hook leaves the editions as the converter wrote them."""
    import subprocess

    nbstripout = Path(sys.executable).parent / "nbstripout"
    paths = [str(colab_editions.edition_path(lang, lesson)) for lang, lesson in EDITIONS]
    result = subprocess.run(
        [str(nbstripout), "--verify", "--keep-id", *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"nbstripout would change: {result.stdout}{result.stderr}"
