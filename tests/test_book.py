"""Checks of the built website (run after `jupyter-book build`, marked 'book')."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import nbformat
import pytest
import yaml

pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TAG = re.compile(r"<[^>]+>")

# Lines TensorFlow, absl and CUDA print that must never reach a reader.
NOISE = re.compile(
    r"oneDNN custom operations|cpu_feature_guard|absl::InitializeLog|"
    r"\b[IWE]0000 \d\d:\d\d|tensorflow/core/|Unable to register cu|"
    r"rebuild TensorFlow with the appropriate compiler flags|NodeDef mentions attribute"
)


@pytest.fixture(scope="module")
def pages():
    if not (HTML / "index.html").exists():
        pytest.fail("the website has not been built: run the book build first")
    return {p: p.read_text(encoding="utf-8") for p in HTML.rglob("*.html")}


def test_no_log_noise_anywhere(pages):
    for path, text in pages.items():
        match = NOISE.search(text)
        assert match is None, f"{path.relative_to(HTML)} shows a log line: {match.group(0)!r}"


def test_no_stderr_outputs_anywhere(pages):
    for path, text in pages.items():
        assert "output stderr" not in text, f"{path.relative_to(HTML)} shows stderr output"


@pytest.fixture(params=LESSONS, ids=[p.stem for p in LESSONS])
def lesson_page(request, pages):
    path = request.param
    page = HTML / "notebooks" / f"{path.stem}.html"
    assert page in pages, f"{page} was not built"
    return path, pages[page]


def test_lesson_page_has_colab_badge_and_launch_button(lesson_page):
    path, text = lesson_page
    repository = CONFIG["repository"]["url"].split("github.com/")[1]
    target = f"colab.research.google.com/github/{repository}/blob/{CONFIG['repository']['branch']}/notebooks/{path.name}"
    assert text.count(target) >= 2, "expected the badge and the launch button to link to Colab"
    assert "colab-badge.svg" in text


def test_lesson_page_shows_executed_outputs_with_plots(lesson_page):
    path, text = lesson_page
    assert "cell_output" in text, f"{path.name} shows no outputs"
    assert re.search(r'<img [^>]*src="\.\./_images/', text), f"{path.name} shows no plot"


def test_lesson_page_numbers_exercises_and_hides_solutions(lesson_page):
    path, text = lesson_page
    assert re.search(r'class="caption-number">Exercise \d+', text), (
        f"{path.name}: no numbered exercise"
    )
    solutions = text.count('class="solution dropdown admonition"')
    assert solutions >= 3, f"{path.name}: {solutions} folded solutions, expected at least 3"


def page_text(html: str) -> str:
    """A page's visible text: tags removed, entities decoded, whitespace collapsed.

    >>> page_text('<pre><span class="k">assert</span> <span>x</span> &gt; 1</pre>')
    'assert x > 1'
    """
    return " ".join(unescape(TAG.sub("", html)).split())


def visible_claim_lines(nb: nbformat.NotebookNode, text: str) -> list[str]:
    """Lines of the notebook's ``remove-cell`` cells that show up in a page's text.

    Every distinctive line of such a cell (an ``assert`` line, or any line of at least 40
    characters; comments, fragments of a wrapped call, and code that a shown cell also has,
    whitespace collapsed, left out) is looked for in the page's visible text.
    """
    public = " ".join(
        " ".join(cell.source.split())
        for cell in nb.cells
        if "remove-cell" not in cell.metadata.get("tags", [])
    )
    shown = []
    for cell in nb.cells:
        if "remove-cell" not in cell.metadata.get("tags", []):
            continue
        for line in cell.source.splitlines():
            code = " ".join(line.split())
            distinctive = code.startswith("assert ") or len(code) >= 40
            if distinctive and len(code) >= 12 and code not in public and code in text:
                shown.append(code)
    return shown


def test_visible_claim_lines_finds_a_shown_cell():
    """The check finds a claim cell rendered as Sphinx renders code, and nothing else."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    lesson = LESSONS[0]
    nb = nbformat.read(lesson, as_version=4)
    claim = next(c for c in nb.cells if "remove-cell" in c.metadata.get("tags", []))
    rendered = highlight(claim.source, PythonLexer(), HtmlFormatter())
    assert visible_claim_lines(nb, page_text(rendered)), "a visible claim cell was not found"
    assert visible_claim_lines(nb, page_text("<p>The MLP learns XOR.</p>")) == []


def test_claim_cells_are_not_shown(lesson_page):
    path, html = lesson_page
    shown = visible_claim_lines(nbformat.read(path, as_version=4), page_text(html))
    assert not shown, f"{path.name}: lines of remove-cell cells are visible: {shown[:3]}"


def documented_helpers() -> dict[str, str]:
    """Every public helper: ``name -> module`` for course_utils's exports and checks."""
    import course_utils
    from course_utils import checks

    names = dict(course_utils._EXPORTS)
    names.update({name: "checks" for name in checks.__all__})
    return names


def test_api_reference_documents_the_helpers(pages):
    html = pages[HTML / "book" / "api.html"]
    missing = []
    for name, module in documented_helpers().items():
        entry = re.search(
            rf'<dt class="sig sig-object py" id="course_utils\.{module}\.{name}">(.*?)</dt>\s*'
            r"<dd>(.*?)</dd>",
            html,
            re.S,
        )
        if entry is None or not page_text(entry.group(2)):
            missing.append(f"course_utils.{module}.{name}")
    assert not missing, "the API page does not document: " + ", ".join(missing)


HREF = re.compile(r'(?:href|src)="([^"]+)"')
ANCHOR_ID = re.compile(r'id="([^"]+)"')


def test_internal_links_and_anchors_resolve(pages):
    """Every relative link and image of every page points at a built file (and anchor)."""
    ids: dict[Path, set[str]] = {}
    broken = []
    for page, text in pages.items():
        if "_static" in page.relative_to(HTML).parts:
            continue  # theme templates, not pages
        for target in HREF.findall(text):
            if re.match(r"^(?:[a-z][a-z0-9+.-]*:|//|#$|javascript:)", target):
                continue
            path_part, _, anchor = target.partition("#")
            destination = (
                page if not path_part else (page.parent / path_part.split("?")[0]).resolve()
            )
            if not destination.exists():
                broken.append(f"{page.relative_to(HTML)} -> {target}")
                continue
            if anchor and destination.suffix == ".html":
                if destination not in ids:
                    ids[destination] = set(
                        ANCHOR_ID.findall(destination.read_text(encoding="utf-8"))
                    )
                if anchor not in ids[destination]:
                    broken.append(f"{page.relative_to(HTML)} -> {target} (no such anchor)")
    assert not broken, "broken internal links:\n" + "\n".join(broken[:30])


def test_glossary_terms_are_linked_from_lessons(pages):
    glossary = HTML / "book" / "glossary.html"
    assert glossary in pages
    for lesson in LESSONS:
        text = pages[HTML / "notebooks" / f"{lesson.stem}.html"]
        assert "glossary.html#term-" in text, f"{lesson.name} links no glossary term"
