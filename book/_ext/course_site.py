"""Sphinx extension for the course website's presentation, both editions.

* **The course stylesheet** ``_static/course.css`` (this folder's ``_static/``): colours that
  keep WCAG AA contrast in light and dark mode (the model summaries Keras prints through
  rich carry terminal colours inline), and the header's language switch in line with the
  other header buttons. The course script ``_static/course.js`` makes wide code that a
  reader unfolds scrollable by keyboard, as the theme does for code shown from the start.
  New readers get the reader's system setting (``default_mode``
  ``auto``) rather than an empty mode that pydata-sphinx-theme reports as an error.
* **Every page works offline.** MathJax is served from the site: the npm package
  ``mathjax`` (version 3, pinned in ``book/_ext/package-lock.json`` and installed there with
  ``npm ci`` by ``tools/ensure_npm.sh``) is copied into ``_static/mathjax/``; the build
  stops with a message when it is not installed. The "Open in Colab" badge of each lesson is
  the course's own ``colab-badge.svg`` instead of the image on Colab's site (the notebooks,
  opened in Colab, keep the remote one): ``images/colab-badge.svg``.
* **Each inline script once.** Sphinx 7.4 adds an inline script (``add_js_file(None,
  body=...)``) that an extension registers after the builder started twice to every page:
  ``Sphinx.add_js_file`` hands the builder ``None`` as the file name, and the builder's
  ``prepare_writing`` adds the registry's scripts again with ``''``, which it does not see
  as the same script (fixed upstream in Sphinx 8.2, sphinx-doc/sphinx#13402; Jupyter Book 1 needs
  Sphinx 7). sphinx-thebe's ``const THEBE_JS_URL = ...`` is such a script, and the second
  copy throws ``Identifier 'THEBE_JS_URL' has already been declared`` on every page.
  :func:`one_copy_of_each_script` drops the repeats from each page's script list.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform

HERE = Path(__file__).resolve().parent
STATIC = HERE / "_static"
#: The npm package mathjax (version 3), installed by ``npm ci`` in this folder.
MATHJAX = HERE / "node_modules" / "mathjax"
#: What the site serves of it: the TeX/MathML-to-HTML component the pages load, and what
#: that component loads on demand (TeX extensions, fonts, the menu's accessibility tools).
MATHJAX_FILES = ("tex-mml-chtml.js", "input", "output", "a11y", "ui", "sre", "adaptors")
MATHJAX_PATH = "mathjax/tex-mml-chtml.js"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
#: The course's own badge, as an image path relative to the source folder.
LOCAL_BADGE = "/book/_ext/images/colab-badge.svg"


def _script_key(script: Any) -> tuple:
    """What makes two of a page's scripts the same script (``None`` and ``''`` alike)."""
    if isinstance(script, str):
        return (script, 0, ())
    attributes = tuple(sorted((str(k), str(v)) for k, v in script.attributes.items()))
    return (str(script.filename or ""), script.priority, attributes)


def unique_scripts(scripts: list[Any]) -> list[Any]:
    """The scripts in their order, each once.

    >>> from sphinx.builders.html._assets import _JavaScript
    >>> scripts = [_JavaScript(None, body="const A = 1"), _JavaScript("x.js"),
    ...            _JavaScript("", body="const A = 1")]
    >>> [str(s.filename) for s in unique_scripts(scripts)]
    ['None', 'x.js']
    """
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    return unique


def one_copy_of_each_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Drop the repeated scripts from a page's list (see the module's docstring)."""
    scripts = context.get("script_files")
    if isinstance(scripts, list):
        context["script_files"] = unique_scripts(scripts)


class LocalColabBadge(SphinxTransform):
    """The "Open in Colab" badge from the site: Colab's remote image becomes ours.

    Runs after Sphinx's ``Locale`` transform (priority 20), so a translated badge is
    changed too, and before the images are collected, so Sphinx copies the badge into
    ``_images/`` like any image of a page.
    """

    default_priority = 100

    def apply(self, **kwargs: Any) -> None:
        for image in self.document.findall(nodes.image):
            if image.get("uri") == COLAB_BADGE:
                image["uri"] = LOCAL_BADGE


def _presentation(app: Sphinx, config: Any) -> None:
    config.html_static_path.append(str(STATIC))
    # A reader who never chose a mode gets their system's; without a default_mode the theme
    # starts from "" and logs "Got invalid theme mode" on the first visit.
    config.html_context = {"default_mode": "auto", **config.html_context}
    config.mathjax_path = MATHJAX_PATH


def _require_mathjax(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    if not (MATHJAX / "es5" / "tex-mml-chtml.js").exists():
        raise ExtensionError(
            "MathJax is not installed: the website serves it from the npm package in"
            f" {HERE}. Run: bash tools/ensure_npm.sh book/_ext (needs Node.js 18+ with npm)"
        )


def _copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    """Copy MathJax into ``_static/mathjax/`` of the built site."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "mathjax"
    for name in MATHJAX_FILES:
        source = MATHJAX / "es5" / name
        if source.is_dir():
            shutil.copytree(source, target / name, dirs_exist_ok=True)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    shutil.copy2(MATHJAX / "LICENSE", target / "LICENSE")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _presentation)
    app.connect("builder-inited", _require_mathjax)
    app.connect("build-finished", _copy_mathjax)
    app.add_css_file("course.css")
    app.add_js_file("course.js", loading_method="defer")
    app.add_transform(LocalColabBadge)
    # After every handler that adds scripts to the page (MathJax's among them).
    app.connect("html-page-context", one_copy_of_each_script, priority=999)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
