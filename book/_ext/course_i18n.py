"""Sphinx extension for the course's two editions, English and Korean.

The English pages and notebooks are the one source; the Korean edition is the same build
with ``language = "ko"``, its text taken from ``locales/ko/LC_MESSAGES`` (see
``tools/translations.py``). This extension adds what the two editions need beyond that:

* a language switch on every page (a header link, and ``<link rel="alternate">``) that
  leads to the same page in the other edition: the Korean edition is built into the
  ``ko/`` folder of the English one (``_build/html/ko``);
* every Colab link to a lesson (the badge in the page, the launch button) opens the
  lesson's Colab edition in the page's language, ``notebooks/colab/<language>/<lesson>.ipynb``
  (``tools/colab_editions.py`` makes them); the Korean edition's address
  (``html_baseurl``, for its canonical links) is the ``ko/`` folder of the English one's;
* the API reference's docstrings stay English: text that autodoc takes from a docstring is
  not offered for translation (the reference documents code, which has one language), and
  neither is a display formula;
* the site's own strings that no page holds (the title, the author, the captions of
  ``_toc.yml``, the search box's placeholder, MyST-NB's labels of folded cells) are
  translated from the catalogue ``site.po`` (``tools/translations.py`` extracts them);
* Korean search: Sphinx has no Korean search language, so words would be indexed with
  their particles attached (드롭아웃은, 드롭아웃을) and a search for 드롭아웃 would find
  them only by substring. :class:`SearchKorean` strips the common particles from a word
  before indexing it, and the same rule runs in the browser on the query.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.search import SearchLanguage
from sphinx.transforms import SphinxTransform

#: The editions: language code -> (folder inside the English site, name of the language).
EDITIONS = {"en": ("", "English"), "ko": ("ko/", "한국어")}

#: Korean particles (조사) and copula endings stripped from the end of a word, longest
#: first. A word keeps at least two syllables, so 차이 or 결과 are left whole.
KOREAN_PARTICLES = (
    "에서부터",
    "으로부터",
    "에서는",
    "에서도",
    "에서의",
    "에게서",
    "으로는",
    "으로도",
    "으로서",
    "으로써",
    "이라는",
    "이라고",
    "입니다",
    "에서",
    "에게",
    "에는",
    "에도",
    "에의",
    "으로",
    "로는",
    "로도",
    "로서",
    "로써",
    "부터",
    "까지",
    "보다",
    "처럼",
    "마다",
    "이나",
    "이란",
    "이라",
    "이며",
    "이고",
    "이다",
    "라는",
    "와의",
    "과의",
    "만큼",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "로",
    "와",
    "과",
    "도",
    "만",
    "란",
)

_COLAB_LESSON = re.compile(
    r"(https://colab\.research\.google\.com/github/[^\s\"'<>()]*/notebooks/)([\w-]+\.ipynb)"
)


def colab_edition_url(url: str, language: str) -> str:
    """The Colab URL of a lesson's Colab edition in ``language``, for the Colab URL of the
    lesson's source notebook (other URLs are returned as they are).

    >>> colab_edition_url(
    ...     "https://colab.research.google.com/github/o/r/blob/main/notebooks/04_x.ipynb", "ko")
    'https://colab.research.google.com/github/o/r/blob/main/notebooks/colab/ko/04_x.ipynb'
    >>> colab_edition_url(
    ...     "https://colab.research.google.com/github/o/r/blob/main/notebooks/colab/en/04_x.ipynb",
    ...     "en")
    'https://colab.research.google.com/github/o/r/blob/main/notebooks/colab/en/04_x.ipynb'
    >>> colab_edition_url("https://example.org/notebooks/04_x.ipynb", "en")
    'https://example.org/notebooks/04_x.ipynb'
    """
    return _COLAB_LESSON.sub(rf"\1colab/{language}/\2", url)


def strip_particle(word: str) -> str:
    """A Korean word without its trailing particle (the stem the search index uses).

    >>> [strip_particle(w) for w in ["드롭아웃은", "드롭아웃", "모델에서는", "결과", "loss"]]
    ['드롭아웃', '드롭아웃', '모델', '결과', 'loss']
    """
    for particle in KOREAN_PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


def _js_stemmer() -> str:
    particles = ", ".join(f'"{p}"' for p in KOREAN_PARTICLES)
    return f"""
/** Korean stemmer of the course: strips a trailing particle (see course_i18n.py). */
var Stemmer = function() {{
  const particles = [{particles}];
  this.stemWord = function(w) {{
    for (const p of particles) {{
      if (w.endsWith(p) && w.length - p.length >= 2) return w.slice(0, w.length - p.length);
    }}
    return w;
  }};
}};
"""


class SearchKorean(SearchLanguage):
    """Search for the Korean edition: words split as in English, particles stripped."""

    lang = "ko"
    language_name = "Korean"
    js_stemmer_code = _js_stemmer()
    stopwords = frozenset()

    def stem(self, word: str) -> str:
        return strip_particle(word.lower())


class KeepDocstringsUntranslated(SphinxTransform):
    """Leave docstrings and display formulas out of the translation catalogues.

    Text that autodoc took from a docstring stays English; a display formula (``$$...$$``)
    is the same in both languages.

    Runs before Sphinx's ``Locale`` transform (priority 20), which both extracts messages
    for the catalogues and replaces them by their translations.
    """

    default_priority = 10

    def apply(self, **kwargs: Any) -> None:
        for node in self.document.findall(nodes.TextElement):
            if ":docstring of " in (node.source or "") or isinstance(node, nodes.math_block):
                node["translatable"] = False


def _relative_url(pagename: str, language: str, target: str) -> str:
    """The URL of page ``pagename`` in edition ``target``, relative to its page in ``language``."""
    up = "../" * (pagename.count("/") + (1 if EDITIONS[language][0] else 0))
    return f"{up}{EDITIONS[target][0]}{pagename}.html"


def _edition(app: Sphinx) -> str:
    return app.config.language if app.config.language in EDITIONS else "en"


def _rewrite_buttons(buttons: list[dict[str, Any]], language: str) -> None:
    for button in buttons:
        if "url" in button:
            button["url"] = colab_edition_url(button["url"], language)
        _rewrite_buttons(button.get("buttons", []), language)


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    language = app.config.language if app.config.language in EDITIONS else "en"
    target = "ko" if language == "en" else "en"
    url = _relative_url(pagename, language, target)
    context["course_language_switch"] = {
        "url": url,
        "lang": target,
        "label": EDITIONS[target][1],
    }
    context["metatags"] = (
        context.get("metatags", "") + f'\n<link rel="alternate" hreflang="{target}" href="{url}" />'
    )


def _colab_launch_buttons(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    _rewrite_buttons(context.get("header_buttons", []), _edition(app))


def _colab_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for reference in doctree.findall(nodes.reference):
        if "refuri" in reference:
            reference["refuri"] = colab_edition_url(reference["refuri"], _edition(app))


def _edition_baseurl(app: Sphinx, config: Any) -> None:
    """The address of a translated edition: the folder it is built into (``ko/``)."""
    folder = EDITIONS.get(config.language or "en", ("",))[0]
    if (
        config.html_baseurl
        and folder
        and not config.html_baseurl.rstrip("/").endswith(folder.rstrip("/"))
    ):
        config.html_baseurl = config.html_baseurl.rstrip("/") + "/" + folder


#: The configuration values translated from ``site.po`` (see :func:`site_strings`).
SITE_CONFIG = ("html_title", "author", "nb_code_prompt_show", "nb_code_prompt_hide")


def site_strings(config: Any) -> dict[str, str]:
    """The site's own strings, which no page holds, and where each comes from:
    configuration values, the captions of the table of contents, the search placeholder."""
    strings = {str(getattr(config, name)): f"_config.yml ({name})" for name in SITE_CONFIG}
    site_map = getattr(config, "external_site_map", None)
    for docname in site_map or []:
        for tree in site_map[docname].subtrees:
            if tree.caption:
                strings.setdefault(tree.caption, "_toc.yml (caption)")
    search = config.html_theme_options.get("search_bar_text")
    if search:
        strings.setdefault(search, "_config.yml (html_theme_options.search_bar_text)")
    return strings


def _site_catalogue(app: Sphinx, config: Any) -> dict[str, str]:
    from babel.messages.pofile import read_po

    for folder in config.locale_dirs:
        path = Path(app.srcdir, folder, config.language, "LC_MESSAGES", "site.po")
        if path.exists():
            with path.open("rb") as handle:
                catalogue = read_po(handle)
            return {m.id: m.string for m in catalogue if m.id and m.string and not m.fuzzy}
    return {}


def _translate_site(app: Sphinx, config: Any) -> None:
    """Translate the site's own strings (after sphinx-external-toc read ``_toc.yml``)."""
    if config.language in (None, "en"):
        return
    site = _site_catalogue(app, config)
    for name in SITE_CONFIG:
        setattr(config, name, site.get(str(getattr(config, name)), getattr(config, name)))
    site_map = getattr(config, "external_site_map", None)
    for docname in site_map or []:
        for tree in site_map[docname].subtrees:
            if tree.caption:
                tree.caption = site.get(tree.caption, tree.caption)
    search = config.html_theme_options.get("search_bar_text")
    if search:
        config.html_theme_options["search_bar_text"] = site.get(search, search)


def _add_switch_to_header(app: Sphinx, config: Any) -> None:
    config.templates_path.append(str(Path(__file__).parent / "templates"))
    options = config.html_theme_options
    end = list(options.get("article_header_end", ["article-header-buttons.html"]))
    if "course-language-switch.html" not in end:
        options["article_header_end"] = ["course-language-switch.html", *end]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_search_language(SearchKorean)
    app.add_transform(KeepDocstringsUntranslated)
    app.connect("config-inited", _add_switch_to_header)
    app.connect("config-inited", _translate_site, priority=950)  # etoc reads _toc.yml at 900
    # Before the theme drops header templates that render empty (priority 500), and after
    # it has made its launch buttons (501).
    app.connect("html-page-context", _page_context, priority=400)
    app.connect("config-inited", _edition_baseurl)
    app.connect("html-page-context", _colab_launch_buttons, priority=502)
    app.connect("doctree-resolved", _colab_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
