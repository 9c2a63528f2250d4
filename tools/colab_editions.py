"""The Colab editions of the lessons, English and Korean, generated from the one source.

A lesson's source notebook (``notebooks/<lesson>.ipynb``) is written for the website: MyST
markup (glossary roles, cross-references, admonitions, exercises with solution toggles),
claim cells that the website hides (tag ``remove-cell``) and wrong-answer cells that test the
exercises' checks. Colab renders plain Markdown. The lesson's Colab edition,
``notebooks/colab/<language>/<lesson>.ipynb``, which every "Open in Colab" button opens, is
the same lesson as Colab can show it:

* a glossary term (``{term}`text <Term>```) becomes a link to the term on the website's
  glossary page, and a cross-reference (``{doc}`page```) a link to the page, both in the
  edition's own language (the site's address is ``html.baseurl`` in ``_config.yml``; the
  Korean site is its ``ko/`` folder);
* an admonition becomes a quote block with a bold title (and an icon for its class);
* an exercise becomes a heading, ``### Exercise 3``, numbered as the website numbers it, with
  its task; its solution prose a folded ``<details>`` block, its solution code a cell folded
  as a Colab form; the solution toggles go (the exercise cells carry their role and label,
  see :mod:`course_utils.instructor.exercise_format`);
* claim cells (``remove-cell``) and wrong-answer cells go; a cell the website folds
  (``hide-input``) and the setup cells (install, imports) are folded as Colab forms: a first
  line ``# @title <title>`` and the cell metadata ``"cellView": "form"``;
* the Korean edition's markdown is translated from the lesson's catalogue
  (:func:`translations.korean_notebook`, in memory), and its setup call selects Korean
  messages: ``course_utils.setup(seed=42, language="ko")``.

Links to a lesson's notebook in Colab open that lesson's edition in the same language. The
titles and labels the converter writes itself (:data:`STRINGS`) are messages of the Korean
catalogue ``site.po``. The markdown is read with MyST's own parser; a construct the
converter does not know (another role or directive, an unknown option, a relative link)
stops it with the notebook, the cell and the construct, and nothing is written until every
edition converted.

Usage::

    python tools/colab_editions.py write    # write notebooks/colab/{en,ko}/
    python tools/colab_editions.py check    # exit status 1 if an edition is not current

``python tools/translations.py update`` writes them too.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import posixpath
import symtable
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "tools") not in sys.path:
    sys.path.insert(0, str(ROOT / "tools"))

import translations  # noqa: E402

from course_utils.instructor.exercise_format import (  # noqa: E402
    CHECK,
    EXERCISE,
    METADATA_KEY,
    PROSE,
    SOLUTION,
    TOGGLE,
    WRONG_ANSWER,
    NotebookFormatError,
    ParsedNotebook,
    exercise_marker,
    parse,
    solution_marker,
)

#: The editions' folder: ``notebooks/colab/<language>/<lesson>.ipynb``.
EDITIONS = ROOT / "notebooks" / "colab"
LANGUAGES = ("en", "ko")

#: What the converter writes itself, by key. The English text is also the message of the
#: Korean catalogue ``site.po`` that translates it (``tools/translations.py update``).
STRINGS = {
    "exercise": "Exercise {number}",
    "solution": "Solution",
    "install": "Install the course's helpers (Colab only)",
    "imports": "Imports and random seeds",
    "setup": "Setup",
    "plot": "Plotting code",
    "code": "Code",
    # the titles of the admonitions that have no title of their own
    "attention": "Attention",
    "caution": "Caution",
    "danger": "Danger",
    "error": "Error",
    "hint": "Hint",
    "important": "Important",
    "note": "Note",
    "seealso": "See also",
    "tip": "Tip",
    "warning": "Warning",
}

#: The classes an admonition may have, and the icon its callout shows.
CALLOUT_ICONS = {
    "attention": "⚠️",
    "caution": "⚠️",
    "danger": "⛔",
    "error": "⛔",
    "hint": "💡",
    "important": "❗",
    "note": "ℹ️",
    "seealso": "🔗",
    "tip": "💡",
    "warning": "⚠️",
}

#: Cell tags the converter knows: the ones it acts on, and those it keeps.
KNOWN_TAGS = {"remove-cell", "hide-input", "solution", "check", "wrong-answer"}

_BLOCK_TOKENS = {
    "paragraph_open",
    "paragraph_close",
    "heading_open",
    "heading_close",
    "bullet_list_open",
    "bullet_list_close",
    "ordered_list_open",
    "ordered_list_close",
    "list_item_open",
    "list_item_close",
    "blockquote_open",
    "blockquote_close",
    "table_open",
    "table_close",
    "thead_open",
    "thead_close",
    "tbody_open",
    "tbody_close",
    "tr_open",
    "tr_close",
    "th_open",
    "th_close",
    "td_open",
    "td_close",
    "fence",
    "colon_fence",
    "code_block",
    "hr",
    "html_block",
    "math_block",
    "inline",
}
_INLINE_TOKENS = {
    "text",
    "softbreak",
    "hardbreak",
    "code_inline",
    "em_open",
    "em_close",
    "strong_open",
    "strong_close",
    "link_open",
    "link_close",
    "image",
    "html_inline",
    "math_inline",
    "math_inline_double",
    "myst_role",
}
#: Characters escaped in the text of a link the converter writes.
_LINK_TEXT_ESCAPES = "\\`*_[]<>$|"


class ConversionError(ValueError):
    """A lesson has something the converter cannot write for Colab: the message names the
    notebook, the cell (0-based index) and the construct."""


# --- the parser --------------------------------------------------------------------------


def markdown_parser():  # -> markdown_it.MarkdownIt
    """MyST's parser as the book configures it (:func:`translations._markdown`), whose role
    tokens also say where they are in their inline source (``meta["span"]``)."""
    from mdit_py_plugins.myst_role.index import myst_role

    md = translations._markdown()

    def positioned_role(state: Any, silent: bool) -> bool:
        start = state.pos
        if not myst_role(state, silent):
            return False
        if not silent:
            state.tokens[-1].meta["span"] = (start, state.pos)
        return True

    md.inline.ruler.at("myst_role", positioned_role)
    return md


# --- what the converter knows about the website ----------------------------------------------


def _config() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def site_url(language: str) -> str:
    """The address of the website's edition in ``language``, ending in ``/``."""
    base = str(_config()["html"]["baseurl"])
    base = base if base.endswith("/") else base + "/"
    return base + translations._i18n_extension().EDITIONS[language][0]


def colab_url(path: str) -> str:
    """The Colab URL of a file of the repository (``_config.yml``'s repository and branch)."""
    repository = _config()["repository"]
    name = str(repository["url"]).rstrip("/").removesuffix(".git").split("github.com/", 1)[-1]
    branch = repository.get("branch", "main")
    return f"https://colab.research.google.com/github/{name}/blob/{branch}/{path}"


def _toc_documents() -> list[str]:
    """The website's documents in the order of its table of contents (``_toc.yml``)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    documents = [str(toc["root"])]

    def walk(entries: Sequence[Mapping[str, Any]]) -> None:
        for entry in entries:
            if "file" in entry:
                documents.append(str(entry["file"]))
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key, []))

    walk(toc.get("parts", []))
    walk(toc.get("chapters", []))
    return documents


def _document_path(docname: str) -> Path | None:
    for suffix in (".ipynb", ".md"):
        path = ROOT / f"{docname}{suffix}"
        if path.exists():
            return path
    return None


def exercise_numbers(md: Any | None = None) -> dict[str, int]:
    """The number the website gives each exercise (``label -> number``): sphinx-exercise
    numbers them through the whole book, in the order of the table of contents."""
    md = md or markdown_parser()
    numbers: dict[str, int] = {}
    for docname in _toc_documents():
        path = _document_path(docname)
        if path is None:
            continue
        if path.suffix == ".ipynb":
            notebook = nbformat.read(path, as_version=4)
            labels = [e.label for e in parse(notebook, path.name).exercises]
        else:
            labels = []
            for token in md.parse(path.read_text(encoding="utf-8")):
                if _directive_name(token) == "exercise":
                    options = _options(token.content)[1]
                    labels.append(str(options.get("label", f"{docname}:{token.map}")))
        for label in labels:
            numbers[label] = len(numbers) + 1
    return numbers


def glossary_anchors(md: Any | None = None) -> dict[str, str]:
    """``term (lower case) -> "<page>.html#<anchor>"`` for every glossary term of the book's
    pages, with the anchor Sphinx gives it (``sphinx.domains.std.make_glossary_term``: the
    term's ASCII letters, else a serial number). The Korean build keeps these ids for the
    translated terms; the book tests check every link against both built editions."""
    from sphinx.util.nodes import _make_id

    md = md or markdown_parser()
    anchors: dict[str, str] = {}
    for page in sorted((ROOT / "book").glob("*.md")):
        docname = page.relative_to(ROOT).with_suffix("").as_posix()
        used: set[str] = set()
        serial = 0
        for token in md.parse(page.read_text(encoding="utf-8")):
            if _directive_name(token) != "glossary":
                continue
            for line in _options(token.content)[0].splitlines():
                if not line.strip() or line[0].isspace():
                    continue  # a definition, or a blank line
                term = line.split(" : ")[0].strip()
                node_id = _make_id(f"term-{term}")
                while node_id == "term" or node_id in used:
                    node_id, serial = f"term-{serial}", serial + 1
                used.add(node_id)
                anchors.setdefault(" ".join(term.split()).lower(), f"{docname}.html#{node_id}")
    return anchors


def converter_strings(language: str) -> dict[str, str]:
    """:data:`STRINGS` in ``language`` (Korean: from the catalogue ``site.po``).

    Raises:
        translations.MissingTranslation: for a string without a finished translation.
    """
    if language == "en":
        return dict(STRINGS)
    catalogue = translations.translations(translations.CATALOGUES / "site.po")
    missing = [text for text in STRINGS.values() if text not in catalogue]
    if missing:
        raise translations.MissingTranslation(
            f"site.po has no finished translation of {missing[0]!r} (run: python"
            " tools/translations.py update, then translate locales/ko/LC_MESSAGES/site.po)"
        )
    return {key: catalogue[text] for key, text in STRINGS.items()}


def template_strings() -> dict[str, str]:
    """``message -> origin`` of the converter's strings, for the template of ``site.po``."""
    return {
        text: f"tools/colab_editions.py (Colab editions: {key})" for key, text in STRINGS.items()
    }


@dataclass
class Site:
    """What an edition in ``language`` links to and writes: the website's address, the
    glossary's anchors, the exercises' numbers, the converter's strings."""

    language: str
    url: str
    glossary: Mapping[str, str]
    numbers: Mapping[str, int]
    strings: Mapping[str, str]
    md: Any = field(repr=False)
    _titles: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, language: str, md: Any | None = None) -> Site:
        md = md or markdown_parser()
        return cls(
            language=language,
            url=site_url(language),
            glossary=glossary_anchors(md),
            numbers=exercise_numbers(md),
            strings=converter_strings(language),
            md=md,
        )

    def title(self, docname: str) -> str:
        """The title of a page of the website in this edition's language."""
        if docname not in self._titles:
            self._titles[docname] = _page_title(docname, self.language, self.md)
        return self._titles[docname]


def _page_title(docname: str, language: str, md: Any) -> str:
    path = _document_path(docname)
    if path is None:
        raise LookupError(f"no page {docname} (neither {docname}.md nor {docname}.ipynb)")
    if path.suffix == ".ipynb":
        cells = nbformat.read(path, as_version=4).cells
        text = "\n\n".join(c.source for c in cells if c.cell_type == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    tokens = md.parse(text)
    titles = [
        tokens[i + 1].content
        for i, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag == "h1"
    ]
    if not titles:
        raise LookupError(f"{path.relative_to(ROOT)} has no title")
    if language == "en":
        return titles[0]
    korean = translations.translations(translations.CATALOGUES / f"{docname}.po")
    if titles[0] not in korean:
        raise translations.MissingTranslation(f"{docname}.po: no translation of {titles[0]!r}")
    return korean[titles[0]]


# --- markdown ----------------------------------------------------------------------------------


def _directive_name(token: Any) -> str | None:
    """The name of the directive a fence token opens (``{admonition} Title`` -> admonition)."""
    if token.type not in ("fence", "colon_fence"):
        return None
    info = token.info.strip()
    if not info.startswith("{") or "}" not in info:
        return None
    return info[1 : info.index("}")]


def _options(content: str) -> tuple[str, dict[str, Any]]:
    """A directive's body and options, read as MyST reads them (``:key: value`` lines or a
    YAML block at the top)."""
    from myst_parser.parsers.directives import _parse_directive_options

    parsed = _parse_directive_options(content, None, True, None)  # type: ignore[arg-type]
    if parsed.warnings:
        raise ValueError(parsed.warnings[0].msg)
    return parsed.content, dict(parsed.options)


def _escape_link_text(text: str) -> str:
    return "".join(f"\\{ch}" if ch in _LINK_TEXT_ESCAPES else ch for ch in text)


@dataclass
class _Context:
    """Where the converter is: for the links it writes and the errors it raises."""

    site: Site
    notebook: str
    cell: int
    docname: str
    role: str = ""
    label: str | None = None

    def error(self, construct: str, reason: str) -> ConversionError:
        return ConversionError(f"{self.notebook}, cell {self.cell}: {construct}: {reason}")


def _role(name: str, body: str, raw: str, ctx: _Context) -> str:
    """The Markdown link that replaces the role ``{name}`body```."""
    from sphinx.util.nodes import split_explicit_title

    explicit, text, target = split_explicit_title(body)
    target = " ".join(target.split())
    if not target or target.startswith(("!", "~")):
        raise ctx.error(raw, "an empty role target, or one with '!' or '~', is not supported")
    if name == "term":
        anchor = ctx.site.glossary.get(target.lower())
        if anchor is None:
            raise ctx.error(raw, f"no glossary term {target!r} (book/glossary.md)")
        return f"[{_escape_link_text(text)}]({ctx.site.url}{anchor})"
    if name == "doc":
        docname = posixpath.normpath(
            target[1:] if target.startswith("/") else posixpath.join(ctx.docname, "..", target)
        )
        try:
            if _document_path(docname) is None:
                raise LookupError(f"no page {docname}")
            title = text if explicit else ctx.site.title(docname)
        except LookupError as error:
            raise ctx.error(raw, str(error)) from None
        return f"[{_escape_link_text(title)}]({ctx.site.url}{docname}.html)"
    raise ctx.error(raw, "a role the converter does not know (it knows {term} and {doc})")


def _href(href: str, kind: str, ctx: _Context) -> str | None:
    """The new target of a link (None: unchanged); refuses a link that Colab cannot follow."""
    if "://" not in href and not href.startswith("mailto:"):
        raise ctx.error(
            f"{kind} {href!r}",
            "a relative link works on the website only: write {doc} or a full address",
        )
    new = translations._i18n_extension().colab_edition_url(href, ctx.site.language)
    return None if new == href else new


def _inline(token: Any, ctx: _Context) -> str:
    """An inline token's source with its roles replaced by links and its links to lessons
    pointed at this edition."""
    content = token.content
    edits: list[tuple[int, int, str]] = []
    links: dict[str, str] = {}
    in_link = False
    for child in token.children or []:
        if child.type not in _INLINE_TOKENS:
            raise ctx.error(child.type, "an inline construct the converter does not know")
        in_link = child.type == "link_open" or (in_link and child.type != "link_close")
        if in_link and child.type == "myst_role":
            raise ctx.error(child.content, "a role inside a link's text")
        for nested in child.children or []:
            if nested.type == "myst_role":
                raise ctx.error(nested.content, "a role inside an image's text")
        if child.type == "myst_role":
            start, end = child.meta["span"]
            raw = content[start:end]
            name = child.meta["name"]
            ticks = len(raw) - len(raw[len(name) + 2 :].lstrip("`")) - len(name) - 2
            body = raw[len(name) + 2 + ticks : len(raw) - ticks]
            edits.append((start, end, _role(name, body, raw, ctx)))
        elif child.type in ("link_open", "image"):
            href = str(child.attrs.get("href") or child.attrs.get("src") or "")
            new = _href(href, "a link to" if child.type == "link_open" else "an image", ctx)
            if new is not None:
                links[href] = new
    for start, end, text in sorted(edits, reverse=True):
        content = content[:start] + text + content[end:]
    for old, new in links.items():
        content = content.replace(old, new)
    return content


#: Characters that may stand before a block's text on its line (indentation, quote and list
#: markers, a heading's hashes).
_PREFIX = set(" \t>-*+#.)0123456789")


def _put_inline(lines: list[str], first: int, old: str, new: str) -> tuple[int, int, list[str]]:
    """The edit that writes an inline's new source over its old one, which starts on line
    ``first``: line by line when the number of lines is the same, else as one line."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    spans = []
    for offset, text in enumerate(old_lines):
        line = lines[first + offset]
        at = line.find(text)
        if at < 0 or not set(line[:at]) <= _PREFIX:
            raise ValueError(f"the text {text!r} is not where the parser found it")
        spans.append((line[:at], line[at + len(text) :]))
    last = first + len(old_lines)
    if len(new_lines) == len(old_lines):
        return first, last, [p + t + s for (p, s), t in zip(spans, new_lines, strict=True)]
    return first, last, [spans[0][0] + " ".join(new_lines) + spans[-1][1]]


def convert_markdown(source: str, ctx: _Context) -> str:
    """A markdown cell's source with every MyST construct written as Colab's Markdown."""
    md = ctx.site.md
    lines = source.split("\n")
    edits: list[tuple[int, int, list[str]]] = []
    row: list[tuple[str, str]] = []
    row_line = 0
    table_depth = 0
    for token in md.parse(source):
        where = lines[token.map[0]].strip() if token.map else token.type
        if token.type not in _BLOCK_TOKENS:
            raise ctx.error(where, f"a construct the converter does not know ({token.type})")
        if token.type == "table_open":
            table_depth += 1
        elif token.type == "table_close":
            table_depth -= 1
        elif token.type == "tr_open":
            row, row_line = [], token.map[0]
        elif token.type == "tr_close":
            if any(old != new for old, new in row):
                line, position = lines[row_line], 0
                for old, new in row:
                    at = line.find(old, position)
                    line = line[:at] + new + line[at + len(old) :]
                    position = at + len(new)
                edits.append((row_line, row_line + 1, [line]))
        elif token.type == "inline":
            new = _inline(token, ctx)
            if table_depth:
                row.append((token.content, new))
            elif new != token.content:
                try:
                    edits.append(_put_inline(lines, token.map[0], token.content, new))
                except ValueError as error:
                    raise ctx.error(where, str(error)) from None
        elif _directive_name(token) is not None:
            if token.level != 0:
                raise ctx.error(where, "a directive inside a list or a quote is not supported")
            edits.append((token.map[0], token.map[1], _directive(token, ctx)))
        elif token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
            raise ctx.error(where, "a directive without a name")
    for first, end, replacement in sorted(edits, reverse=True):
        lines[first:end] = replacement
    return "\n".join(lines)


def _callout(title: str, kind: str | None, body: str) -> list[str]:
    """An admonition as a quote block whose first line is its bold title."""
    icon = CALLOUT_ICONS.get(kind or "", "")
    lines = [f"> {icon} **{title}**" if icon else f"> **{title}**", ">"]
    lines += [f"> {line}" if line.strip() else ">" for line in body.strip("\n").split("\n")]
    return lines


def _check_options(
    options: Mapping[str, Any], allowed: Mapping[str, set[str] | None], construct: str, ctx
) -> None:
    for key, value in options.items():
        if key not in allowed:
            raise ctx.error(construct, f"an option the converter does not know (:{key}:)")
        values = allowed[key]
        if values is not None and str(value) not in values:
            raise ctx.error(construct, f":{key}: {value} is not one of {sorted(values)}")


def _directive(token: Any, ctx: _Context) -> list[str]:
    """The lines that replace a directive."""
    name = _directive_name(token)
    argument = token.info.strip()[len(name) + 2 :].strip()
    construct = f"{{{name}}}"
    try:
        body, options = _options(token.content)
    except ValueError as error:
        raise ctx.error(construct, f"its options cannot be read ({error})") from None
    classes = set(CALLOUT_ICONS)
    if name == "admonition":
        _check_options(options, {"class": classes}, construct, ctx)
        if not argument:
            raise ctx.error(construct, "an admonition needs a title")
        return _callout(argument, options.get("class"), convert_markdown(body, ctx))
    if name in CALLOUT_ICONS:
        _check_options(options, {}, construct, ctx)
        body = f"{argument}\n{body}" if argument else body
        return _callout(ctx.site.strings[name], name, convert_markdown(body, ctx))
    if name == "exercise":
        if ctx.role != EXERCISE:
            raise ctx.error(construct, "an exercise outside the Exercises section's format")
        _check_options(options, {"label": None}, construct, ctx)
        label = str(options.get("label", ""))
        number = ctx.site.numbers.get(label)
        if number is None:
            raise ctx.error(construct, f"exercise {label!r} is not numbered on the website")
        heading = ctx.site.strings["exercise"].format(number=number)
        if argument:
            heading += f" ({argument})"
        return [f"### {heading}", "", *convert_markdown(body, ctx).strip("\n").split("\n")]
    if name == "solution":
        if ctx.role != PROSE:
            raise ctx.error(construct, "a solution outside its exercise")
        _check_options(options, {"class": {"dropdown"}}, construct, ctx)
        if argument != ctx.label:
            raise ctx.error(construct, f"a solution of {argument!r} in exercise {ctx.label!r}")
        return convert_markdown(body, ctx).strip("\n").split("\n")
    raise ctx.error(f"{construct} {argument}".strip(), "a directive the converter does not know")


def _check_toggle(source: str, ctx: _Context) -> None:
    """A solution-start or solution-end cell holds its directive and nothing else."""
    tokens = ctx.site.md.parse(source)
    names = [_directive_name(t) for t in tokens]
    if len(tokens) != 1 or names[0] not in ("solution-start", "solution-end"):
        raise ctx.error(
            source.strip().split("\n")[0], "a solution toggle cell must hold the toggle alone"
        )
    options = _options(tokens[0].content)[1]
    _check_options(options, {"class": {"dropdown"}}, f"{{{names[0]}}}", ctx)


# --- code ----------------------------------------------------------------------------------------


def _fold(cell: nbformat.NotebookNode, title: str) -> None:
    """Fold a code cell as a Colab form titled ``title``."""
    cell.source = f"# @title {title}\n{cell.source}"
    cell.metadata["cellView"] = "form"


def python_source(source: str) -> str:
    """A code cell's source as Python (IPython's magics and shell escapes turned into calls)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def _is_setup_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "setup"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "course_utils"
    )


def _with_language(source: str, language: str) -> tuple[str, int]:
    """The source with ``language="<language>"`` added to each ``course_utils.setup(...)``
    call, and the number of calls."""
    try:
        tree = ast.parse(python_source(source))
    except SyntaxError:
        return source, 0
    calls = [node for node in ast.walk(tree) if _is_setup_call(node)]
    lines = source.split("\n")
    for call in sorted(calls, key=lambda c: (c.end_lineno, c.end_col_offset), reverse=True):
        if any(k.arg == "language" for k in call.keywords):
            continue
        assert call.end_lineno is not None and call.end_col_offset is not None
        row, column = call.end_lineno - 1, call.end_col_offset - 1  # the closing parenthesis
        separator = ", " if call.args or call.keywords else ""
        line = lines[row]
        lines[row] = f'{line[:column]}{separator}language="{language}"{line[column:]}'
        if len(lines[row]) > _line_length():
            lines[row : row + 1] = _comment_above(lines[row])
    return "\n".join(lines), len(calls)


@cache
def _line_length() -> int:
    """The formatter's line length (``pyproject.toml``): an edition's code is formatted."""
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as handle:
        return int(tomllib.load(handle)["tool"]["ruff"]["line-length"])


def _comment_above(line: str) -> list[str]:
    """A line of code with a trailing comment as two lines, the comment first (as the
    formatter leaves them); a line without one as it is."""
    import io
    import tokenize

    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line).readline))
    except (tokenize.TokenError, SyntaxError):
        return [line]
    comments = [t for t in tokens if t.type == tokenize.COMMENT]
    if not comments or not line[: comments[0].start[1]].strip():
        return [line]
    column = comments[0].start[1]
    indent = line[: len(line) - len(line.lstrip())]
    return [indent + line[column:], line[:column].rstrip()]


def names_of(source: str) -> tuple[set[str], set[str]]:
    """``(bound, read)``: the names a code cell binds in the notebook's namespace, and the
    names of that namespace it reads without binding them itself (in its own code, or in the
    functions and classes it defines)."""
    table = symtable.symtable(python_source(source), "<cell>", "exec")
    bound = {
        s.get_name()
        for s in table.get_symbols()
        if s.is_assigned() or s.is_imported() or s.is_namespace()
    }
    read: set[str] = set()

    def visit(scope: symtable.SymbolTable, top: bool) -> None:
        for symbol in scope.get_symbols():
            if symbol.is_referenced() and (top or symbol.is_global()):
                read.add(symbol.get_name())
        for child in scope.get_children():
            visit(child, False)

    visit(table, True)
    return bound, read - bound


def names_from_dropped_cells(
    source: nbformat.NotebookNode, notebook: nbformat.NotebookNode
) -> list[str]:
    """The code cells of ``notebook`` (an edition of ``source``, or a notebook made from
    one) that read a name which, of the cells before them, only cells of ``source`` that
    ``notebook`` left out bind; one line per cell, empty if there is none."""
    return [
        f"cell {index} reads {', '.join(names)}, which only dropped cells bind"
        for index, names in _dropped_reads(source, notebook)
    ]


def _dropped_reads(
    source: nbformat.NotebookNode, notebook: nbformat.NotebookNode
) -> list[tuple[int, list[str]]]:
    kept = {cell.get("id") for cell in notebook.cells}
    dropped: set[str] = set()
    for cell in source.cells:
        if cell.cell_type == "code" and cell.get("id") not in kept:
            dropped |= names_of(cell.source)[0]
    problems, bound = [], set()
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        binds, reads = names_of(cell.source)
        missing = sorted((reads & dropped) - bound)
        if missing:
            problems.append((index, missing))
        bound |= binds
    return problems


# --- notebooks -----------------------------------------------------------------------------------


def _setup_cells(notebook: nbformat.NotebookNode, md: Any) -> set[int]:
    """The code cells of the lesson's setup: under its heading ``## Setup``."""
    cells: set[int] = set()
    inside = False
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            tokens = md.parse(cell.source)
            headings = [
                (token.tag, tokens[i + 1].content)
                for i, token in enumerate(tokens)
                if token.type == "heading_open"
            ]
            if headings:
                inside = ("h2", "Setup") in headings
        elif cell.cell_type == "code" and inside:
            cells.add(index)
    return cells


def _setup_title(source: str, strings: Mapping[str, str]) -> str:
    if "%pip" in source or "!pip" in source:
        return strings["install"]
    if _with_language(source, "en")[1]:
        return strings["imports"]
    return strings["setup"]


def _plots(source: str) -> bool:
    """Whether a cell draws: it uses matplotlib or a plotting helper of the course."""
    try:
        tree = ast.parse(python_source(source))
    except SyntaxError:
        return False
    for node in ast.walk(tree):
        name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
        if name in ("plt", "fig", "ax", "axes") or str(name).startswith(("plot_", "show_")):
            return True
    return False


def convert(
    lesson: nbformat.NotebookNode,
    text: nbformat.NotebookNode,
    *,
    name: str,
    site: Site,
) -> nbformat.NotebookNode:
    """The Colab edition of a lesson.

    ``lesson`` is the source notebook (its cells say what each one is), ``text`` the same
    notebook in the edition's language (its markdown translated; ``lesson`` itself for
    English), ``name`` the source's path in the repository (``notebooks/<lesson>.ipynb``:
    the website's page is ``notebooks/<lesson>``), ``site`` the edition's website.

    Raises:
        ConversionError: naming the notebook, the cell and the construct.
    """
    try:
        parsed: ParsedNotebook = parse(lesson, name)
    except NotebookFormatError as error:
        raise ConversionError(str(error)) from None
    if len(text.cells) != len(lesson.cells):
        raise ConversionError(f"{name}: the translated notebook has other cells")
    docname = posixpath.splitext(name)[0]
    setup = _setup_cells(lesson, site.md)
    strings = site.strings
    edition = copy.deepcopy(text)
    edition.metadata.pop("language", None)
    edition.metadata["colab"] = {"toc_visible": True}
    edition.metadata[METADATA_KEY] = {
        "edition": "colab",
        "language": site.language,
        "source": f"{docname}.ipynb",
    }
    cells = []
    setup_calls = 0
    for index, (cell, translated) in enumerate(zip(lesson.cells, text.cells, strict=True)):
        role = parsed.roles[index]
        exercise = parsed.exercise_of(index)
        label = exercise.label if exercise is not None else None
        ctx = _Context(site, name, index, docname, role, label)
        tags = list(cell.metadata.get("tags", []))
        unknown = [tag for tag in tags if tag not in KNOWN_TAGS]
        if unknown:
            raise ctx.error(f"tag {unknown[0]!r}", "a cell tag the converter does not know")
        if cell.cell_type == "raw":
            raise ctx.error("a raw cell", "Colab shows raw cells as code; not supported")
        if role == TOGGLE:
            _check_toggle(translated.source, ctx)
            continue
        if "remove-cell" in tags or role == WRONG_ANSWER:
            continue
        new = copy.deepcopy(translated)
        if new.cell_type == "markdown":
            new.source = convert_markdown(new.source, ctx)
            if role == EXERCISE:
                new.source = f"{exercise_marker(str(label))}\n{new.source}"
                new.metadata[METADATA_KEY] = {"role": EXERCISE, "exercise": label}
            elif role == PROSE:
                new.source = "\n".join(
                    [
                        solution_marker(str(label)),
                        "<details>",
                        f"<summary>{strings['solution']}</summary>",
                        "",
                        new.source.strip("\n"),
                        "",
                        "</details>",
                    ]
                )
                new.metadata[METADATA_KEY] = {"role": PROSE, "exercise": label}
        else:
            new.outputs, new.execution_count = [], None
            if site.language != "en":
                new.source, calls = _with_language(new.source, site.language)
                setup_calls += calls
            if role in (SOLUTION, CHECK):
                new.metadata[METADATA_KEY] = {"role": role, "exercise": label}
            if role == SOLUTION:
                _fold(new, strings["solution"])
            elif "hide-input" in tags:
                _fold(new, strings["plot"] if _plots(new.source) else strings["code"])
            elif index in setup:
                _fold(new, _setup_title(new.source, strings))
        cells.append(new)
    if site.language != "en" and setup_calls != 1:
        raise ConversionError(
            f"{name}: {setup_calls} calls of course_utils.setup(...); the {site.language}"
            " edition selects its messages in the one setup call"
        )
    edition.cells = cells
    for index, names in _dropped_reads(lesson, edition):
        cell = next(i for i, c in enumerate(lesson.cells) if c.get("id") == cells[index].get("id"))
        raise ConversionError(
            f"{name}, cell {cell}: it reads {', '.join(names)}, which only claim or"
            " wrong-answer cells before it bind, and the Colab edition leaves those out"
        )
    return edition


def edition_path(language: str, lesson: Path) -> Path:
    return EDITIONS / language / lesson.name


def lessons() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def _notebook_json(notebook: nbformat.NotebookNode) -> str:
    return nbformat.writes(notebook) + "\n"


def editions(
    sources: Sequence[Path] | None = None,
    languages: Sequence[str] = LANGUAGES,
    translate: Callable[[Path, Any], nbformat.NotebookNode] | None = None,
) -> dict[Path, str]:
    """``path -> file content`` of every edition, all made in memory.

    Raises:
        ConversionError: for a construct the converter does not know.
        translations.MissingTranslation: for Korean text without a finished translation.
    """
    md = markdown_parser()
    translate = translate or translations.korean_notebook
    files: dict[Path, str] = {}
    for language in languages:
        site = Site.of(language, md)
        for path in sources if sources is not None else lessons():
            lesson = nbformat.read(path, as_version=4)
            text = lesson if language == "en" else translate(path, md)
            name = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
            edition = convert(lesson, text, name=name, site=site)
            files[edition_path(language, path)] = _notebook_json(edition)
    return files


def write_files(files: Mapping[Path, str], folder: Path = EDITIONS) -> list[Path]:
    """Write the files that changed, all or none: each to a temporary file beside it first,
    then all renamed; then remove the notebooks under ``folder`` that ``files`` lacks."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in files.items():
            if path.exists() and path.read_text(encoding="utf-8") == text:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=".part", dir=path.parent
            )
            with os.fdopen(handle, "w", encoding="utf-8") as output:
                output.write(text)
            staged.append((Path(temporary), path))
        for temporary, path in staged:
            os.replace(temporary, path)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    for stale in set(folder.glob("*/*.ipynb")) - set(files):
        stale.unlink()
    return sorted(files)


def write_editions() -> list[Path]:
    """Make every edition, then write them (nothing is written if one fails)."""
    return write_files(editions())


def stale_editions() -> list[str]:
    """The editions that differ from what the lessons and catalogues give now."""
    files = editions()
    stale = [
        path.relative_to(ROOT).as_posix()
        for path, text in files.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    stale += [
        p.relative_to(ROOT).as_posix() for p in sorted(EDITIONS.glob("*/*.ipynb")) if p not in files
    ]
    return stale


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["write", "check"])
    args = parser.parse_args(argv)
    try:
        if args.command == "write":
            written = write_editions()
            print(f"{len(written)} Colab editions in {EDITIONS.relative_to(ROOT)}/.")
            return 0
        stale = stale_editions()
    except (ConversionError, translations.MissingTranslation) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if stale:
        print("Not current (run: python tools/colab_editions.py write):")
        print("\n".join(f"  {name}" for name in stale))
        return 1
    print("Every Colab edition is current.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
