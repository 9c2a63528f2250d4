"""Checks of the built website, both editions (run after the book build, marked 'book')."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Site:
    """One edition of the built website: its language, folder and pages."""

    language: str
    root: Path
    pages: dict[Path, str]


#: The editions: the English site, and the Korean one built into its ko/ folder.
EDITIONS = {"en": HTML, "ko": HTML / "ko"}
#: The caption sphinx-exercise gives an exercise, per language.
EXERCISE = {"en": "Exercise", "ko": "연습"}
HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture(scope="module", params=sorted(EDITIONS))
def site(request) -> Site:
    root = EDITIONS[request.param]
    if not (root / "index.html").exists():
        pytest.fail(f"the {request.param} website has not been built: run the book build first")
    pages = {
        p: p.read_text(encoding="utf-8")
        for p in root.rglob("*.html")
        if request.param != "en" or p.relative_to(root).parts[0] not in EDITIONS
    }
    return Site(request.param, root, pages)


def test_no_log_noise_anywhere(site):
    for path, text in site.pages.items():
        match = NOISE.search(text)
        assert match is None, f"{path.relative_to(HTML)} shows a log line: {match.group(0)!r}"


def test_no_stderr_outputs_anywhere(site):
    for path, text in site.pages.items():
        assert "output stderr" not in text, f"{path.relative_to(HTML)} shows stderr output"


@pytest.fixture(params=LESSONS, ids=[p.stem for p in LESSONS])
def lesson_page(request, site):
    path = request.param
    page = site.root / "notebooks" / f"{path.stem}.html"
    assert page in site.pages, f"{page} was not built"
    return path, site.pages[page]


def test_lesson_page_has_colab_badge_and_launch_button(lesson_page, site):
    """The page's badge and the theme's launch button open the lesson's Colab edition in
    the page's language, and no Colab link opens the source notebook or another edition."""
    path, text = lesson_page
    repository = CONFIG["repository"]["url"].split("github.com/")[1]
    folder = f"notebooks/colab/{site.language}/"
    colab = f"colab.research.google.com/github/{repository}/blob/{CONFIG['repository']['branch']}"
    target = f"{colab}/{folder}{path.name}"
    assert text.count(target) >= 2, "expected the badge and the launch button to link to Colab"
    assert "colab-badge.svg" in text
    opened = set(re.findall(re.escape(colab) + r"/([\w/.-]+\.ipynb)", text))
    assert opened == {f"{folder}{path.name}"}, f"Colab links open {opened}"
    assert (ROOT / folder / path.name).exists(), f"{folder}{path.name} is not in the repository"


def test_lesson_page_shows_the_course_colab_badge(lesson_page):
    """The badge is the course's own image, served from the site (it works offline)."""
    path, text = lesson_page
    badges = re.findall(r'<img [^>]*src="([^"]*colab-badge\.svg)"', text)
    assert badges == ["../_images/colab-badge.svg"], f"{path.name}: Colab badges {badges}"


def test_lesson_page_shows_executed_outputs_with_plots(lesson_page):
    path, text = lesson_page
    assert "cell_output" in text, f"{path.name} shows no outputs"
    assert re.search(r'<img [^>]*src="\.\./_images/', text), f"{path.name} shows no plot"


def test_lesson_page_numbers_exercises_and_hides_solutions(lesson_page, site):
    path, text = lesson_page
    caption = EXERCISE[site.language]
    assert re.search(rf'class="caption-number">{caption} \d+', text), (
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
    """What the lessons use: ``name -> module`` for course_utils's exports, the checks'
    errors a notebook shows, the language of the messages, and the check cells' call."""
    import course_utils

    names = dict(course_utils._EXPORTS)
    names.update({name: "checks" for name in ("NotAnswered", "WrongAnswer", "AnswerError")})
    names.update({name: "i18n" for name in ("set_language", "get_language", "language")})
    names["check"] = "exercises"
    # what comes with them: the languages set_language takes, the loaders' error and the
    # split's type, and the seed a lesson's hidden checks ask for
    names.update({"LANGUAGES": "i18n", "DataError": "datasets", "HeartSplit": "datasets"})
    names["current_seed"] = "environment"
    return names


def instructor_tools() -> dict[str, str]:
    """What instructors use: the checks, the exercises' machinery, answers as data, and
    the main entry points of the grader's modules."""
    from course_utils import checks, exercises

    names = {name: "checks" for name in checks.__all__ if name not in documented_helpers()}
    names.update({n: "exercises" for n in exercises.__all__ if n not in ("check", "N_")})
    names.update({name: "exercises.answers" for name in ("export", "load", "roundtrip")})
    names.update(
        {
            "grade_main": "instructor.cli",
            "load_lesson": "instructor.lesson",
            "plan_submission": "instructor.plan",
            "Sandbox": "instructor.sandbox",
            "KernelSession": "instructor.kernel",
            "Checker": "instructor.checker",
            "grade_submissions": "instructor.run",
            "write_outputs": "instructor.report",
            "build": "instructor.gradescope",
            "make_student_notebook": "instructor.notebooks",
            "parse": "instructor.exercise_format",
        }
    )
    return names


def _undocumented(html: str, names: dict[str, str]) -> list[str]:
    missing = []
    for name, module in names.items():
        entry = re.search(
            rf'<dt class="sig sig-object py" id="course_utils\.{re.escape(module)}\.{name}">'
            r"(.*?)</dt>\s*<dd>(.*?)</dd>",
            html,
            re.S,
        )
        if entry is None or not page_text(entry.group(2)):
            missing.append(f"course_utils.{module}.{name}")
    return missing


def test_api_reference_documents_the_helpers(site):
    html = site.pages[site.root / "book" / "api.html"]
    missing = _undocumented(html, documented_helpers())
    assert not missing, "the API page does not document: " + ", ".join(missing)


def test_api_reference_lists_only_what_lessons_use(site):
    html = site.pages[site.root / "book" / "api.html"]
    ids = re.findall(r'<dt class="sig sig-object py" id="(course_utils\.\w+\.\w+)"', html)
    used = {f"course_utils.{module}.{name}" for name, module in documented_helpers().items()}
    assert "course_utils.instructor" not in html
    assert sorted(set(ids) - used) == []


def test_instructor_reference_documents_the_instructor_tools(site):
    html = site.pages[site.root / "book" / "instructor-api.html"]
    missing = _undocumented(html, instructor_tools())
    assert not missing, "the instructors' reference does not document: " + ", ".join(missing)


HREF = re.compile(r'(?:href|src)="([^"]+)"')
ANCHOR_ID = re.compile(r'id="([^"]+)"')


def test_internal_links_and_anchors_resolve(site):
    """Every relative link and image of every page points at a built file (and anchor)."""
    ids: dict[Path, set[str]] = {}
    broken = []
    for page, text in site.pages.items():
        if "_static" in page.relative_to(site.root).parts:
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


SITE_URL = str(CONFIG["html"]["baseurl"]).rstrip("/") + "/"


def test_every_link_of_a_colab_edition_into_the_site_resolves(site):
    """Every link that a Colab edition in this language makes into the website (glossary
    terms, cross-references) leads to an existing page and anchor of this edition's built
    site: the glossary's term ids are Sphinx's, which the converter computes."""
    from markdown_it import MarkdownIt

    base = SITE_URL + ("" if site.language == "en" else f"{site.language}/")
    md = MarkdownIt("commonmark")
    ids: dict[Path, set[str]] = {}
    links, broken = 0, []
    for lesson in LESSONS:
        edition = ROOT / "notebooks" / "colab" / site.language / lesson.name
        for cell in nbformat.read(edition, as_version=4).cells:
            if cell.cell_type != "markdown":
                continue
            hrefs = [
                child.attrs["href"]
                for token in md.parse(cell.source)
                for child in token.children or []
                if child.type == "link_open" and str(child.attrs["href"]).startswith(SITE_URL)
            ]
            for href in hrefs:
                links += 1
                if not href.startswith(base) or (
                    site.language == "en" and href[len(base) :].split("/")[0] in EDITIONS
                ):
                    broken.append(f"{edition.name}: {href} (another edition's page)")
                    continue
                page, _, anchor = href[len(base) :].partition("#")
                target = site.root / page
                if target not in site.pages:
                    broken.append(f"{edition.name}: {href} (no such page)")
                    continue
                if anchor:
                    if target not in ids:
                        ids[target] = set(ANCHOR_ID.findall(site.pages[target]))
                    if anchor not in ids[target]:
                        broken.append(f"{edition.name}: {href} (no such anchor)")
    assert links > 100, f"only {links} links into the site"
    assert not broken, "links of the Colab editions that miss:\n" + "\n".join(broken[:30])


def test_colab_editions_number_exercises_as_the_website(lesson_page, site):
    """An edition's exercise headings say what the page's exercise captions say."""
    path, text = lesson_page
    edition = nbformat.read(ROOT / "notebooks" / "colab" / site.language / path.name, as_version=4)
    headings = [
        cell.source.split("\n")[1].removeprefix("### ")
        for cell in edition.cells
        if cell.metadata.get("course", {}).get("role") == "exercise"
    ]
    captions = [
        " ".join(unescape(c).split())
        for c in re.findall(r'<span class="caption-number">([^<]*)</span>', text)
    ]
    assert headings and headings == captions[: len(headings)], (headings, captions)


def test_glossary_terms_are_linked_from_lessons(site):
    glossary = site.root / "book" / "glossary.html"
    assert glossary in site.pages
    for lesson in LESSONS:
        text = site.pages[site.root / "notebooks" / f"{lesson.stem}.html"]
        assert "glossary.html#term-" in text, f"{lesson.name} links no glossary term"


SWITCH = re.compile(
    r'<a href="([^"]+)" hreflang="([a-z]+)"\s+lang="[a-z]+" class="[^"]*course-language-switch'
)


def test_every_page_has_a_language_switch_to_the_same_page(site):
    """The header link on every page opens that page in the other edition."""
    other = "ko" if site.language == "en" else "en"
    wrong = []
    for page, text in site.pages.items():
        if "_static" in page.relative_to(site.root).parts or page.name == "index.html":
            continue  # theme templates; index.html is a redirect
        found = SWITCH.search(text)
        if found is None:
            wrong.append(f"{page.relative_to(HTML)}: no language switch")
            continue
        target = (page.parent / found.group(1)).resolve()
        same = EDITIONS[other] / page.relative_to(site.root)
        if found.group(2) != other or target != same.resolve() or not target.exists():
            wrong.append(f"{page.relative_to(HTML)} -> {found.group(1)} ({found.group(2)})")
    assert not wrong, "language switches that miss:\n" + "\n".join(wrong[:20])


PROSE_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "td", "th", "dt", "dd")


def visible_prose(html: str, blocks: Sequence[str] = PROSE_BLOCKS) -> list[str]:
    """The text of a page's prose blocks: code, outputs, formulas and docstrings left out.

    >>> visible_prose('<main><p>A <code>**x**</code> b</p><div class="cell_output"><p>o</p></div></main>')
    ['A b']
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main") or soup
    for node in main.select(
        "pre, code, script, style, .math, .cell_output, .highlight, dl.py, kbd, .headerlink"
    ):
        node.decompose()
    return [" ".join(block.get_text(" ").split()) for block in main.find_all(list(blocks))]


LITERAL_MARKUP = re.compile("\\*\\*|`|\\$|\\*(?=[\uac00-\ud7a3])|(?<=[\uac00-\ud7a3])\\*")


def test_no_page_shows_literal_markup(site):
    """No ``**``, backtick or ``$`` left over from markup that failed to parse (CommonMark
    does not close ``**드롭아웃(dropout)**은``; ``$$...$$`` inside a paragraph is no
    formula), and no ``*`` stuck to a Hangul letter."""
    shown = []
    for page, html in site.pages.items():
        if "_static" in page.relative_to(site.root).parts:
            continue
        for text in visible_prose(html):
            match = LITERAL_MARKUP.search(text)
            if match:
                shown.append(
                    f"{page.relative_to(HTML)}: ...{text[max(0, match.start() - 30) : match.end() + 30]}..."
                )
    assert not shown, "literal markup on the pages:\n" + "\n".join(shown[:20])


def test_literal_markup_check_finds_a_broken_bold_span():
    from markdown_it import MarkdownIt

    broken = MarkdownIt("commonmark").render("**드롭아웃(dropout)**은 규제입니다.")
    assert any(LITERAL_MARKUP.search(t) for t in visible_prose(f"<main>{broken}</main>"))
    fixed = MarkdownIt("commonmark").render("**드롭아웃**(dropout)은 규제입니다.")
    assert not any(LITERAL_MARKUP.search(t) for t in visible_prose(f"<main>{fixed}</main>"))


def test_literal_markup_check_finds_a_display_formula_inside_a_paragraph():
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    import translations

    myst = translations._markdown()
    broken = myst.render("- the mean,\n  $$v = 2 / n,$$\n  with $a$ and $b$")
    assert any(LITERAL_MARKUP.search(t) for t in visible_prose(f"<main>{broken}</main>"))
    fixed = myst.render("- the mean, $v = 2 / n$, with $a$ and $b$")
    assert not any(LITERAL_MARKUP.search(t) for t in visible_prose(f"<main>{fixed}</main>"))


def test_korean_pages_are_in_korean():
    """Every prose block of three or more lowercase English words on a Korean page has Korean
    in it (the API references' docstrings stay English: of those two pages, the headings
    are checked)."""
    english = []
    for page in sorted(EDITIONS["ko"].rglob("*.html")):
        if "_static" in page.parts or page.name in ("genindex.html", "search.html", "index.html"):
            continue
        reference = page.name in ("api.html", "instructor-api.html")
        blocks = ("h1", "h2", "h3") if reference else PROSE_BLOCKS
        for text in visible_prose(page.read_text(encoding="utf-8"), blocks):
            # English prose has lowercase words; names (SimpleRNN, LSTM, GRU) do not count
            if len(re.findall(r"\b[a-z]{2,}\b", text)) >= 3 and not HANGUL.search(text):
                english.append(f"{page.relative_to(HTML)}: {text[:80]}")
    assert not english, f"{len(english)} English blocks on Korean pages:\n" + "\n".join(
        english[:20]
    )


def test_korean_site_strings_are_translated():
    """The strings no page holds: the site title, the table of contents' captions, the
    search placeholder and the labels of folded code cells (site.po)."""
    from bs4 import BeautifulSoup

    page = EDITIONS["ko"] / "notebooks" / "04_regularization.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    captions = [c.get_text(strip=True) for c in soup.select(".bd-sidebar-primary .caption-text")]
    placeholders = [i["placeholder"] for i in soup.select("input[placeholder]")]
    labels = [s.get_text(strip=True) for s in soup.select("summary .collapsed")]
    strings = {"title": [soup.title.get_text()], "captions": captions, "search": placeholders}
    strings["folded cells"] = labels
    for kind, texts in strings.items():
        assert texts, f"no {kind} found on {page.name}"
        english = [t for t in texts if not HANGUL.search(t)]
        assert not english, f"{kind} left in English: {english}"


def _search_index(root: Path) -> dict:
    text = (root / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def test_korean_search_indexes_terms_without_their_particles():
    """드롭아웃 appears in the text as 드롭아웃은, 드롭아웃을, ...: the index holds the bare
    term, so the search finds the regularization lesson by it."""
    index = _search_index(EDITIONS["ko"])
    docs = index["docnames"]
    for term, lesson in [
        ("드롭아웃", "notebooks/04_regularization"),
        ("조기", "notebooks/04_regularization"),
        ("콜백", "notebooks/05_callbacks"),
        ("합성곱", "notebooks/08_cnn"),
    ]:
        found = []  # a word of a section title is indexed as a title term only
        for kind in ("terms", "titleterms"):
            entry = index[kind].get(term, [])
            found += [entry] if isinstance(entry, int) else entry
        assert lesson in [docs[i] for i in found], f"{term} does not find {lesson}"
    assert "드롭아웃은" not in index["terms"]


def test_korean_search_in_the_browser_finds_the_lesson():
    """Sphinx's own search code (run by node, if installed) on the Korean index and stemmer:
    a search for 드롭아웃 finds the regularization lesson, whose text has 드롭아웃은, 드롭아웃을."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the browser search was not run")
    static = EDITIONS["ko"] / "_static"
    script = "\n".join(
        [
            "globalThis.window = globalThis; globalThis.document = {addEventListener() {}};",
            "globalThis.DOCUMENTATION_OPTIONS = {}; globalThis._ready = () => {};",
            (static / "language_data.js").read_text(encoding="utf-8"),
            (static / "searchtools.js").read_text(encoding="utf-8"),
            (EDITIONS["ko"] / "searchindex.js").read_text(encoding="utf-8"),
            "const stemmer = new Stemmer();",
            "const found = {};",
            "for (const q of ['드롭아웃', '드롭아웃은', '콜백을', '배치', '시계열']) {",
            "  const word = stemmer.stemWord(q.toLowerCase());",
            "  found[q] = Search.performTermsSearch(new Set([word]), new Set()).map(r => r[0]);",
            "}",
            "console.log(JSON.stringify(found));",
        ]
    )
    output = subprocess.run([node, "-"], input=script, capture_output=True, text=True, timeout=60)
    assert output.returncode == 0, output.stderr[-2000:]
    found = json.loads(output.stdout.strip().splitlines()[-1])
    assert "notebooks/04_regularization" in found["드롭아웃"]
    assert "notebooks/04_regularization" in found["드롭아웃은"]
    assert "notebooks/05_callbacks" in found["콜백을"]
    # Pages where the word only ever has a particle attached (배치를, 시계열의): without the
    # stemmer the browser finds them neither exactly nor, as the bare word is a term of
    # other pages, by a partial match.
    assert "notebooks/02_initialization" in found["배치"]
    assert "book/mistakes" in found["시계열"]


#: What a page loads (as opposed to what it links to): scripts, stylesheets, images, media.
ASSET = re.compile(
    r"<(?:script|img|source|audio|video|iframe|embed|input|track)\b[^>]*?\s(?:src|srcset)="
    r'\s*"([^"]*)"'
    r"|<link\b(?=[^>]*\srel=\"(?:[^\"]*\s)?(?:stylesheet|preload|modulepreload|icon|prefetch)\b)"
    r'[^>]*?\shref="([^"]*)"'
    r"|<object\b[^>]*?\sdata=\"([^\"]*)\""
    r"|url\(\s*['\"]?([^'\")]*)"
    r"|@import\s+['\"]([^'\"]*)",
    re.I,
)
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)


def remote_assets(html: str) -> list[str]:
    """The scripts, stylesheets, images and media a page (or a stylesheet) loads from
    another site. Links to other sites (``<a href>``) are not loaded and do not count.

    >>> remote_assets('<img src="https://x.org/a.svg"><a href="https://x.org/">x</a>')
    ['https://x.org/a.svg']
    >>> remote_assets('<script defer src="../_static/m.js"></script><link rel="stylesheet" href="//cdn/x.css">')
    ['//cdn/x.css']
    """
    found = []
    for match in ASSET.finditer(html):
        for url in match.groups():
            if url is None:
                continue
            urls = [part.split()[0] for part in url.split(",") if part.split()]
            found += [u for u in urls if REMOTE.match(u)]
    return found


def test_remote_asset_check_finds_what_a_page_would_load_from_the_network():
    page = "\n".join(
        [
            '<script defer="defer" src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>',
            '<link rel="stylesheet" type="text/css" href="https://unpkg.com/x.css" />',
            '<link rel="preload" as="script" href="//cdn.example.org/b.js" />',
            '<img alt="Open In Colab" src="https://colab.research.google.com/assets/colab-badge.svg" />',
            "<div style=\"background: url('http://example.org/bg.png')\"></div>",
            "<style>@import 'https://fonts.example.org/f.css';</style>",
            '<a href="https://colab.research.google.com/github/o/r/blob/main/x.ipynb">Colab</a>',
            '<link rel="alternate" hreflang="ko" href="https://example.org/ko/" />',
            '<script>const THEBE_JS_URL = "https://unpkg.com/thebe@0.8.2/lib/index.js"</script>',
            '<img src="../_images/colab-badge.svg" srcset="../_images/a.png 1x, ../_images/b.png 2x">',
        ]
    )
    assert remote_assets(page) == [
        "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js",
        "https://unpkg.com/x.css",
        "//cdn.example.org/b.js",
        "https://colab.research.google.com/assets/colab-badge.svg",
        "http://example.org/bg.png",
        "https://fonts.example.org/f.css",
    ]


def test_pages_load_nothing_from_other_sites(site):
    """The site works with the network off: every script, stylesheet, image and font a page
    or its stylesheets load is served from the site (MathJax and the Colab badge included).
    Links to other sites (Colab, GitHub) are links, and stay."""
    remote = []
    for page, text in site.pages.items():
        remote += [f"{page.relative_to(HTML)}: {url}" for url in remote_assets(text)]
    for stylesheet in sorted(site.root.glob("_static/**/*.css")):
        text = stylesheet.read_text(encoding="utf-8", errors="replace")
        remote += [f"{stylesheet.relative_to(HTML)}: {url}" for url in remote_assets(text)]
    assert not remote, f"{len(remote)} remote assets:\n" + "\n".join(remote[:20])


def test_mathjax_is_served_from_the_site(site):
    """Pages with formulas load MathJax from the site's _static/mathjax/, with its fonts."""
    static = site.root / "_static" / "mathjax"
    assert (static / "tex-mml-chtml.js").is_file(), "MathJax was not copied into the site"
    assert list((static / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff")), "no fonts"
    with_math = [p for p, text in site.pages.items() if 'class="math' in text]
    assert with_math, "no page has a formula"
    for page in with_math:
        scripts = re.findall(r'<script [^>]*src="([^"]*tex-mml-chtml\.js)[^"]*"', site.pages[page])
        assert len(scripts) == 1, f"{page.relative_to(HTML)} loads MathJax {scripts}"
        assert (page.parent / scripts[0]).resolve() == (static / "tex-mml-chtml.js").resolve()


SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)


def test_no_page_has_a_script_twice(site):
    """Each script appears once in a page: a second copy of an inline script that declares
    a constant (sphinx-thebe's THEBE_JS_URL) is an error in the browser."""
    repeated = []
    for page, text in site.pages.items():
        if "_static" in page.relative_to(site.root).parts:
            continue
        scripts = SCRIPT.findall(text)
        twice = sorted({s[:90] for s in scripts if scripts.count(s) > 1})
        repeated += [f"{page.relative_to(HTML)}: {s}" for s in twice]
    assert not repeated, "scripts included twice:\n" + "\n".join(repeated[:20])
