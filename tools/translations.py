"""The Korean edition's translation catalogues and website, and the Korean lesson text.

The English pages and notebooks are the one source of code and prose; the Korean text lives
in ``locales/ko/LC_MESSAGES/<page>.po``, one catalogue per page (``book/intro.po``,
``notebooks/04_regularization.po``), managed with ``sphinx-intl``.

Usage::

    python tools/translations.py update      # after an English change: catalogues, editions
    python tools/translations.py check       # what CI checks (see check())
    python tools/translations.py stats       # messages, translated, fuzzy per catalogue
    python tools/translations.py notebooks   # write the Colab editions (notebooks/colab/)
    python tools/translations.py build       # the Korean website, _build/html/ko

``update`` extracts the messages of every page and of every lesson's markdown cells
(Sphinx's gettext builder; notebooks are not executed for it) into ``_build/gettext`` and
merges them into the catalogues: a new paragraph arrives untranslated, a changed one
*fuzzy* with its old translation beside it. Translate those entries (remove the ``fuzzy``
flag once the text is right), then run ``update`` again, which also rewrites the lessons'
Colab editions, English and Korean (``tools/colab_editions.py``; the Korean lesson text
they start from, :func:`korean_notebook`, is made in memory).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANGUAGE = "ko"
LOCALES = ROOT / "locales"
CATALOGUES = LOCALES / LANGUAGE / "LC_MESSAGES"
GETTEXT = ROOT / "_build" / "gettext"
KOREAN_HTML = ROOT / "_build" / "html" / LANGUAGE
HANGUL = re.compile("[\uac00-\ud7a3]")


def sphinx(
    builder: str,
    outdir: Path,
    overrides: dict[str, object],
    quiet: bool = True,
    fresh: bool = False,
) -> int:
    """Run the course's Sphinx build (``_config.yml``, ``_toc.yml``) with ``overrides``."""
    from jupyter_book.sphinx import build_sphinx

    doctrees = ROOT / "_build" / f".doctrees-{builder}-{overrides.get('language', 'en')}"
    config = {
        "external_toc_path": str(ROOT / "_toc.yml"),
        "latex_individualpages": False,
        **overrides,
    }
    status = build_sphinx(
        ROOT,
        outdir,
        path_config=str(ROOT / "_config.yml"),
        noconfig=True,
        confoverrides=config,
        doctreedir=doctrees,
        builder=builder,
        warningiserror=True,
        keep_going=True,
        quiet=quiet,
        freshenv=fresh,
    )
    if isinstance(status, Exception):
        raise status
    return int(status or 0)


def extract(outdir: Path = GETTEXT) -> None:
    """Write the message templates (``.pot``) of every page into ``outdir``, and
    ``site.pot``: the site's own strings (title, author, captions of the table of contents,
    labels), which the extension ``book/_ext/course_i18n.py`` translates."""
    # Only markdown is translated: the notebooks need not be executed for their messages.
    if sphinx("gettext", outdir, {"nb_execution_mode": "off"}, fresh=True) != 0:
        raise SystemExit("error: extracting the messages failed (see the Sphinx output above)")
    write_site_template(outdir / "site.pot")


def write_site_template(path: Path) -> None:
    """The template of ``site.po``, from the configuration the build uses."""
    from types import SimpleNamespace

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po
    from jupyter_book.config import get_final_config
    from myst_nb.core.config import NbParserConfig
    from sphinx_external_toc.parsing import parse_toc_yaml

    values, _ = get_final_config(
        user_yaml=ROOT / "_config.yml",
        cli_config={"latex_individualpages": False},
        sourcedir=ROOT,
        use_external_toc=True,
    )
    myst_nb = NbParserConfig()
    config = SimpleNamespace(
        **{
            "nb_code_prompt_show": myst_nb.code_prompt_show,
            "nb_code_prompt_hide": myst_nb.code_prompt_hide,
            "html_theme_options": {},
            **values,
            "external_site_map": parse_toc_yaml(ROOT / "_toc.yml"),
        }
    )
    catalogue = Catalog(project=values.get("project"), fuzzy=False)
    strings = {**_i18n_extension().site_strings(config), **_colab_editions().template_strings()}
    for text, origin in strings.items():
        catalogue.add(text, auto_comments=[origin], locations=[(origin.split()[0], None)])
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=0, omit_header=False)


def update_catalogues(pot_dir: Path = GETTEXT) -> None:
    """Merge the templates in ``pot_dir`` into the Korean catalogues."""
    from sphinx_intl import basic

    basic.update(str(LOCALES), str(pot_dir), (LANGUAGE,), line_width=0, ignore_obsolete=True)


_MYST_EXTENSIONS = {"colon_fence", "dollarmath", "amsmath", "deflist", "substitution", "html_image"}
_TARGET = re.compile(r"<([^<>]+)>\s*$")


def _markdown():
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions=_MYST_EXTENSIONS), RendererHTML)


@dataclass
class _Markup:
    blocks: list[str]
    code: list[str]
    math: list[str]
    links: list[str]
    roles: list[str]
    strong: int
    stray: str


def _markup(md: object, text: str) -> _Markup:
    """What a message's markdown holds that a translation must keep."""
    found = _Markup([], [], [], [], [], 0, "")
    for block in md.parse(text):  # type: ignore[attr-defined]
        if block.level == 0 and block.nesting >= 0 and block.type != "inline":
            found.blocks.append(block.type)
        for token in block.children or []:
            if token.type == "code_inline":
                found.code.append(token.content)
            elif token.type in ("math_inline", "math_inline_double"):
                found.math.append(" ".join(token.content.split()))
            elif token.type in ("link_open", "image"):
                found.links.append(str(token.attrs.get("href") or token.attrs.get("src")))
            elif token.type == "myst_role":
                name = token.meta.get("name", "")
                if name in ("term", "doc", "ref", "numref"):
                    target = _TARGET.search(token.content)
                    reference = (target.group(1) if target else token.content).strip()
                    found.roles.append(f"{{{name}}}`{reference.lower()}`")
                else:
                    found.roles.append(f"{{{name}}}`{token.content}`")
            elif token.type == "strong_open":
                found.strong += 1
            elif token.type == "text":
                found.stray += "".join(ch for ch in token.content if ch in "*`_$")
    return found


def markup_problems(msgid: str, msgstr: str, md: object | None = None) -> list[str]:
    """How a translation breaks the markup of its English message (empty if it does not).

    The translation must read as the same kind of block (a heading "1. Data" translated as
    "1. 데이터" would read as a list, and Sphinx would drop it: write "1\\. 데이터"), keep
    every inline code span, inline formula, link target and
    cross-reference target, as many bold spans, and show no literal ``*``, ``_``, ``$`` or
    backtick that the English does not (the sign of a span that failed to parse, such as
    ``**드롭아웃(dropout)**은``: CommonMark does not close ``**`` after punctuation that is
    directly followed by a letter).

    >>> markup_problems("**Dropout** uses `rate`.", "**드롭아웃**은 `rate`를 씁니다.")
    []
    >>> markup_problems("**Dropout (rate)** helps.", "**드롭아웃(rate)**은 돕습니다.")
    ['bold spans: 1 in English, 0 here', 'literal markup characters shown: ****']
    >>> markup_problems("1. The data", "1. 데이터")[0].split(" (")[0]
    'reads as ordered_list_open, not as one paragraph'
    >>> markup_problems("See `fit` and $x^2$.", "`fit`을 보십시오.")
    ['formulas differ: English has x^2, this has nothing']
    """
    md = md or _markdown()
    english, korean = _markup(md, msgid), _markup(md, msgstr)
    problems = []
    if korean.blocks != ["paragraph_open"]:
        # Sphinx parses a translation as a paragraph and drops one that is anything else.
        problems.append(
            f"reads as {' '.join(korean.blocks) or 'nothing'}, not as one paragraph"
            " (a leading '1.' or '-' starts a list: write '1\\.')"
        )
    for field, label in (
        ("code", "code spans"),
        ("math", "formulas"),
        ("links", "link targets"),
        ("roles", "cross-references"),
    ):
        want, got = sorted(getattr(english, field)), sorted(getattr(korean, field))
        if want != got:
            missing = [x for x in want if x not in got] or ["nothing"]
            extra = [x for x in got if x not in want] or ["nothing"]
            problems.append(
                f"{label} differ: English has {', '.join(missing)}, this has {', '.join(extra)}"
            )
    if english.strong != korean.strong:
        problems.append(f"bold spans: {english.strong} in English, {korean.strong} here")
    stray = "".join(
        ch for ch in "*`_$" for _ in range(max(0, korean.stray.count(ch) - english.stray.count(ch)))
    )
    if stray:
        problems.append(f"literal markup characters shown: {stray}")
    return problems


# --- terms: the glossary's and the Korean style sheet's ----------------------------------

#: The rules of the Korean terms, the machine-readable half of ``locales/ko/STYLE.md``.
TERMS = LOCALES / LANGUAGE / "terms.toml"
#: The glossary page: English headwords, each definition opening with its Korean term.
GLOSSARY = ROOT / "book" / "glossary.md"
_GLOSSARY_OPENING = re.compile(r"^[^.]*[\uac00-\ud7a3][^.]*\.\s")
_ACRONYM = re.compile(r"[A-Za-z0-9]*[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*")


@dataclass(frozen=True)
class TermRule:
    """A rule of the Korean terms (``locales/ko/terms.toml``, read by :func:`term_rules`).

    *Required* (``english`` is set): a message whose English prose matches ``english`` must
    have one of the ``korean`` patterns in the prose of its translation; where the rule
    comes from a glossary entry (``target``), so must the display text of every ``{term}``
    role that links to that entry; with ``count``, the translation must match the ``korean``
    patterns at least as often as the English matches (a hedge for every "about").
    *Forbidden* (no ``english``): no translation's prose may match ``korean[0]``.
    ``prefer`` says what to write. Patterns are Python regular expressions, the English ones
    ignoring case; prose leaves out code spans, formulas, link targets and cross-reference
    targets.
    """

    name: str
    korean: tuple[re.Pattern[str], ...]
    english: re.Pattern[str] | None = None
    target: str = ""
    prefer: str = ""
    why: str = ""
    count: bool = False

    @classmethod
    def required(
        cls,
        name: str,
        english: str,
        korean: Sequence[str],
        prefer: str = "",
        target: str = "",
        why: str = "",
        count: bool = False,
    ) -> TermRule:
        return cls(
            name,
            tuple(re.compile(k) for k in korean),
            re.compile(english, re.IGNORECASE),
            target.lower(),
            prefer or " / ".join(korean),
            why,
            count,
        )

    @classmethod
    def forbidden(cls, name: str, korean: str, prefer: str, why: str = "") -> TermRule:
        return cls(name, (re.compile(korean),), None, "", prefer, why)


@dataclass(frozen=True)
class TermException:
    """A message allowed to break one rule, and why (``[[exception]]`` in the terms file):
    ``message`` is a piece of its English text."""

    catalogue: str
    message: str
    rule: str
    why: str


def _reading(md: object, text: str) -> tuple[str, list[tuple[str, str]]]:
    """A message's prose (the words a reader sees: no code spans, formulas, link targets or
    cross-reference targets) and its ``{term}`` roles as ``(display text, target)``."""
    prose: list[str] = []
    roles: list[tuple[str, str]] = []
    for block in md.parse(text):  # type: ignore[attr-defined]
        for token in block.children or []:
            if token.type == "text":
                prose.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                prose.append(" ")
            elif token.type == "myst_role" and token.meta.get("name") in ("term", "doc"):
                target = _TARGET.search(token.content)
                display = (token.content[: target.start()] if target else token.content).strip()
                if token.meta["name"] == "term":
                    roles.append((display, target.group(1).strip() if target else display))
                    prose.append(display)
                elif target:  # {doc}`text <page>`; a bare {doc}`page` shows the page's title
                    prose.append(display)
        prose.append(" ")
    return "".join(prose), roles


def parse_glossary(text: str) -> dict[str, list[str]]:
    """``headword -> Korean terms`` of a glossary page: the term that opens each entry's
    definition and the aliases in its parentheses. Only Korean terms and acronyms count
    ("Xavier initialization" there is an English gloss; "CNN" is a name Korean text uses).

    >>> parse_glossary('''```{glossary}
    ... Training set
    ...   학습 데이터 (훈련 데이터, training data). The data the weights are fitted on.
    ...
    ... Convolutional neural network
    ...   합성곱 신경망 (CNN). A network whose first layers are convolutions.
    ... ```''')
    {'Training set': ['학습 데이터', '훈련 데이터'], 'Convolutional neural network': ['합성곱 신경망', 'CNN']}
    """
    terms: dict[str, list[str]] = {}
    headword, inside = "", False
    for line in text.splitlines():
        if line.startswith("```"):
            inside = line.startswith("```{glossary}")
        elif inside and line.strip() and not line[0].isspace():
            headword = line.strip()
        elif inside and headword and line.strip():
            opening = line.strip().split(". ", 1)[0].rstrip(".")
            main, _, aliases = opening.partition("(")
            names = [n.strip() for n in [main, *aliases.rstrip(")").split(",")]]
            terms[headword] = [n for n in names if HANGUL.search(n) or _ACRONYM.fullmatch(n)]
            headword = ""
    return terms


def _headword_pattern(headword: str) -> str:
    r"""A glossary headword as a pattern that also finds its plural.

    >>> _headword_pattern("Hyper-parameter")
    '\\bhyper[\\s-]+parameter(?:s|es)?\\b'
    """
    words = [re.escape(w) for w in re.split(r"[\s-]+", headword.lower())]
    return r"\b" + r"[\s-]+".join(words) + r"(?:s|es)?\b"


def term_rules(
    path: Path = TERMS, glossary: Path = GLOSSARY
) -> tuple[list[TermRule], list[TermException]]:
    """The rules of the terms file and its exceptions.

    First one required rule per glossary entry, its Korean terms read from the glossary page
    (an acronym headword such as ``LSTM`` counts as Korean too), refined by the file's
    ``[glossary.entries]``; then the file's ``[[required]]`` and ``[[forbidden]]`` rules.
    """
    import tomllib

    config = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = config.get("glossary", {}).get("entries", {})
    glossary_terms = parse_glossary(glossary.read_text(encoding="utf-8"))
    unknown = sorted(set(entries) - set(glossary_terms))
    if unknown:
        raise ValueError(f"{path.name}: no such glossary entries: {', '.join(unknown)}")
    rules = []
    for headword, korean in glossary_terms.items():
        entry = entries.get(headword, {})
        names = [*korean, *([headword] if _ACRONYM.fullmatch(headword) else [])]
        rules.append(
            TermRule.required(
                f"glossary: {headword}",
                entry.get("english", _headword_pattern(headword)),
                [re.escape(n) for n in names] + entry.get("accept", []),
                prefer=" / ".join(korean),
                target=headword,
                why=entry.get("why", ""),
            )
        )
    for rule in config.get("required", []):
        rules.append(
            TermRule.required(
                rule["name"],
                rule["english"],
                rule["korean"],
                rule.get("prefer", ""),
                why=rule["why"],
                count=rule.get("count", False),
            )
        )
    for rule in config.get("forbidden", []):
        rules.append(TermRule.forbidden(rule["name"], rule["korean"], rule["prefer"], rule["why"]))
    exceptions = [
        TermException(e["catalogue"], e["message"], e["rule"], e["why"])
        for e in config.get("exception", [])
    ]
    return rules, exceptions


def term_problems(
    msgid: str, msgstr: str, rules: Sequence[TermRule], md: object | None = None
) -> list[str]:
    """Where a translation breaks the Korean terms: a required term missing, a glossary
    term's link showing another word, or a forbidden variant used (empty if none is).

    >>> rules = [
    ...     TermRule.required("network", r"\\bnetworks?\\b", ["신경망"]),
    ...     TermRule.required("glossary: Epoch", r"\\bepochs?\\b", ["에포크"], target="Epoch"),
    ...     TermRule.forbidden("seed notes", "시드 노트", "원본 노트", "시드 is the random seed"),
    ... ]
    >>> term_problems("The network learns.", "신경망이 학습합니다.", rules)
    []
    >>> term_problems("The network learns.", "네트워크가 학습합니다.", rules)
    ["network: the English says 'network', the Korean has none of 신경망"]
    >>> term_problems("Use `networks`.", "`networks`를 씁니다.", rules)  # code is not prose
    []
    >>> term_problems("The seed notes say", "시드 노트에 따르면", rules)
    ["seed notes: '시드 노트'; write 원본 노트 (시드 is the random seed)"]
    >>> term_problems("ten {term}`epochs <Epoch>`", "{term}`열 번 <Epoch>`, 에포크 열 번", rules)
    ["glossary: Epoch: the link '열 번' to the glossary's Epoch has none of 에포크"]
    """
    md = md or _markdown()
    english, _ = _reading(md, msgid)
    # A glossary definition opens with its Korean term ("과적합 (과대적합). Fitting ..."),
    # which the translation leaves to the headword's: the terms are in the rest.
    english = _GLOSSARY_OPENING.sub("", english)
    korean, roles = _reading(md, msgstr)
    problems = []
    for rule in rules:
        if rule.english is None:
            found = rule.korean[0].search(korean)
            if found:
                problems.append(f"{rule.name}: {found.group()!r}; write {rule.prefer} ({rule.why})")
            continue
        said = [m.group().strip() for m in rule.english.finditer(english)]
        found = sum(len(k.findall(korean)) for k in rule.korean)
        if said and (found < len(said) if rule.count else not found):
            problems.append(
                f"{rule.name}: the English says {', '.join(map(repr, said))}, the Korean has"
                f" {found} of {rule.prefer}"
                if rule.count
                else f"{rule.name}: the English says {said[0]!r}, the Korean has none of"
                f" {rule.prefer}"
            )
        problems += [
            f"{rule.name}: the link {display!r} to the glossary's {target} has none of"
            f" {rule.prefer}"
            for display, target in roles
            if rule.target
            and target.lower() == rule.target
            and not any(k.search(display) for k in rule.korean)
        ]
    return problems


# --- catalogues ----------------------------------------------------------------------


def catalogue_paths() -> list[Path]:
    """The Korean catalogues, one per page: ``book/<page>.po``, ``notebooks/<lesson>.po``."""
    return sorted(CATALOGUES.rglob("*.po"))


def read_catalogue(path: Path):  # -> babel.messages.catalog.Catalog
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, locale=LANGUAGE)


def translations(path: Path) -> dict[str, str]:
    """``English message -> Korean`` for the finished entries (translated, not fuzzy)."""
    return {m.id: m.string for m in read_catalogue(path) if m.id and m.string and not m.fuzzy}


@dataclass
class Stats:
    catalogue: str
    messages: int
    translated: int
    fuzzy: int
    untranslated: int


def stats(paths: Iterable[Path] | None = None) -> list[Stats]:
    """Messages, translated, fuzzy and untranslated entries per catalogue."""
    rows = []
    for path in paths if paths is not None else catalogue_paths():
        messages = [m for m in read_catalogue(path) if m.id]
        fuzzy = sum(1 for m in messages if m.fuzzy)
        translated = sum(1 for m in messages if m.string and not m.fuzzy)
        name = (
            path.relative_to(CATALOGUES).as_posix()
            if path.is_relative_to(CATALOGUES)
            else path.name
        )
        rows.append(
            Stats(name, len(messages), translated, fuzzy, len(messages) - translated - fuzzy)
        )
    return rows


def stats_table(rows: Sequence[Stats]) -> str:
    """The statistics as a Markdown table, with a total row."""
    lines = [
        "| catalogue | messages | translated | fuzzy | untranslated |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    total = Stats("total", 0, 0, 0, 0)
    for row in rows:
        lines.append(
            f"| {row.catalogue} | {row.messages} | {row.translated} | {row.fuzzy} |"
            f" {row.untranslated} |"
        )
        for field in ("messages", "translated", "fuzzy", "untranslated"):
            setattr(total, field, getattr(total, field) + getattr(row, field))
    lines.append(
        f"| **total** | {total.messages} | {total.translated} | {total.fuzzy} |"
        f" {total.untranslated} |"
    )
    return "\n".join(lines)


def catalogue_problems(templates: Path) -> list[str]:
    """Why the catalogues do not match the English sources extracted into ``templates``.

    Each page's catalogue must hold exactly the messages the page has now (an English change
    nobody merged shows up here), every entry translated and none fuzzy, and every
    translation must keep its message's markup (:func:`markup_problems`) and use the
    Korean terms (:func:`term_problems`, with the exceptions of the terms file).
    """
    from babel.messages.pofile import read_po

    md = _markdown()
    problems = []
    rules, exceptions = term_rules()
    excused: set[TermException] = set()
    pots = {
        p.relative_to(templates).with_suffix("").as_posix(): p for p in templates.rglob("*.pot")
    }
    pos = {p.relative_to(CATALOGUES).with_suffix("").as_posix(): p for p in catalogue_paths()}
    for page in sorted(set(pots) - set(pos)):
        problems.append(f"{page}: no catalogue (run: python tools/translations.py update)")
    for page in sorted(set(pos) - set(pots)):
        problems.append(f"{page}.po: no such page any more (run the update command)")
    for page in sorted(set(pots) & set(pos)):
        with pots[page].open("rb") as handle:
            wanted = {m.id for m in read_po(handle) if m.id}
        catalogue = read_catalogue(pos[page])
        have = {m.id for m in catalogue if m.id}
        if wanted != have:
            problems.append(
                f"{page}.po: {len(wanted - have)} new and {len(have - wanted)} removed English"
                " messages not merged (run: python tools/translations.py update)"
            )
        for message in catalogue:
            if not message.id:
                continue
            where = f"{page}.po, line {message.lineno}"
            if message.fuzzy:
                problems.append(f"{where}: fuzzy (the English changed): {message.id[:60]!r}")
            elif not message.string:
                problems.append(f"{where}: not translated: {message.id[:60]!r}")
            else:
                problems += [
                    f"{where}: {p}" for p in markup_problems(message.id, message.string, md)
                ]
                for problem in term_problems(message.id, message.string, rules, md):
                    allowed = [
                        e
                        for e in exceptions
                        if e.catalogue == page
                        and e.message in message.id
                        and problem.startswith(f"{e.rule}: ")
                    ]
                    excused.update(allowed)
                    if not allowed:
                        problems.append(f"{where}: {problem}")
    problems += [
        f"{TERMS.name}: the exception for {e.rule!r} in {e.catalogue} is not needed any more"
        for e in exceptions
        if e not in excused and e.catalogue in pos
    ]
    return problems


# --- Korean notebooks -------------------------------------------------------------------

#: Directives whose body is prose that Sphinx translates (their argument is a title).
_PROSE_DIRECTIVES = {
    "admonition",
    "attention",
    "caution",
    "danger",
    "error",
    "exercise",
    "hint",
    "important",
    "note",
    "seealso",
    "solution",
    "tip",
    "warning",
}
_TITLED_DIRECTIVES = {"admonition"}


class MissingTranslation(LookupError):
    """A paragraph of a lesson has no finished translation in its catalogue."""


def _message(text: str) -> str:
    return text.replace("\n", " ").strip()


def translate_markdown(source: str, korean: dict[str, str], md: object | None = None) -> str:
    r"""A markdown cell's source with each paragraph, heading, list item and table cell
    replaced by its translation; directives, math blocks, code and layout are kept.

    A block's message is its text as Sphinx's gettext builder extracts it (the inline
    markdown, line breaks as spaces), so the catalogue of the lesson's page serves here too.

    >>> print(translate_markdown("## Setup\n\n- one\n  two\n", {"Setup": "준비", "one two": "하나 둘"}))
    ## 준비
    <BLANKLINE>
    - 하나 둘
    <BLANKLINE>

    Raises:
        MissingTranslation: for a block whose message has no finished translation.
    """
    md = md or _markdown()
    lines = source.split("\n")

    def translated(text: str) -> str:
        message = _message(text)
        if message not in korean:
            raise MissingTranslation(message)
        return korean[message]

    tokens = md.parse(source)  # type: ignore[attr-defined]
    edits: list[tuple[int, int, list[str]]] = []
    depth_table = 0
    row: list[str] = []
    row_map: list[int] | None = None
    for token in tokens:
        if token.type == "table_open":
            depth_table += 1
        elif token.type == "table_close":
            depth_table -= 1
        elif token.type == "tr_open":
            row, row_map = [], token.map
        elif token.type == "tr_close" and row_map is not None:
            line, position = lines[row_map[0]], 0
            for cell in row:
                at = line.find(cell, position)
                if at < 0:
                    raise MissingTranslation(f"table cell not found in its row: {cell!r}")
                new = translated(cell).replace("|", "\\|")
                line = line[:at] + new + line[at + len(cell) :]
                position = at + len(new)
            edits.append((row_map[0], row_map[0] + 1, [line]))
        elif token.type == "inline" and depth_table:
            if token.content.strip():
                row.append(token.content.strip())
        elif token.type == "inline" and token.map and token.content.strip():
            first, last = token.map[0], token.map[1] - 1
            content = token.content.split("\n")
            start = lines[first].find(content[0])
            end = lines[last].rfind(content[-1])
            if start < 0 or end < 0:
                raise MissingTranslation(f"block not found in the source: {token.content!r}")
            end += len(content[-1])
            edits.append(
                (
                    first,
                    last + 1,
                    [lines[first][:start] + translated(token.content) + lines[last][end:]],
                )
            )
        elif token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
            name, _, argument = token.info.strip()[1:].partition("}")
            if name not in _PROSE_DIRECTIVES:
                continue
            first, last = token.map[0], token.map[1] - 1
            opening = lines[first]
            if argument.strip() and name in _TITLED_DIRECTIVES:
                opening = opening.replace(argument.strip(), translated(argument), 1)
            body = token.content.split("\n")
            options = 0
            while options < len(body) and body[options].startswith(":"):
                options += 1
            translated_body = translate_markdown("\n".join(body[options:]), korean, md)
            new = [opening, *body[:options], *translated_body.split("\n")]
            if new[-1] == "" and lines[last].strip():
                new.pop()
            edits.append((first, last + 1, [*new, lines[last]]))
    for first, end, replacement in sorted(edits, reverse=True):
        lines[first:end] = replacement
    return "\n".join(lines)


def _i18n_extension():
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    import course_i18n

    return course_i18n


def _colab_editions():
    # One module whether this file runs as a script or is imported: the converter's
    # MissingTranslation is this module's.
    sys.modules.setdefault("translations", sys.modules[__name__])
    sys.path.insert(0, str(ROOT / "tools"))
    import colab_editions

    return colab_editions


def korean_notebook(path: Path, md: object | None = None):  # -> nbformat.NotebookNode
    """The Korean text of lesson ``path``: its markdown cells translated from the lesson's
    catalogue, code unchanged (still MyST: the Colab edition is made from it)."""
    import copy

    import nbformat

    korean = translations(CATALOGUES / "notebooks" / f"{path.stem}.po")
    notebook = nbformat.read(path, as_version=4)
    result = copy.deepcopy(notebook)
    md = md or _markdown()
    for number, cell in enumerate(result.cells, start=1):
        if cell.cell_type != "markdown":
            continue
        try:
            cell.source = translate_markdown(cell.source, korean, md)
        except MissingTranslation as error:
            raise MissingTranslation(
                f"{path.name}, cell {number}: no finished Korean translation of {error.args[0]!r}"
                " (run: python tools/translations.py update, then translate"
                f" locales/ko/LC_MESSAGES/notebooks/{path.stem}.po)"
            ) from None
    result.metadata["language"] = LANGUAGE
    return result


# --- the Korean website ---------------------------------------------------------------


def build_korean_site() -> int:
    """Build the Korean website into ``_build/html/ko`` from the cached executions."""
    # The site's own strings (title, captions, labels) come from site.po (course_i18n.py).
    overrides = {"language": LANGUAGE}
    # From scratch: a changed catalogue then reaches every page, and the search index keeps
    # nothing of an earlier build.
    shutil.rmtree(KOREAN_HTML, ignore_errors=True)
    return sphinx("html", KOREAN_HTML, overrides, quiet=False, fresh=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["update", "check", "stats", "notebooks", "build"])
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    if args.command == "update":
        extract()
        update_catalogues()
        editions = _colab_editions()
        try:
            written = editions.write_editions()
        except (MissingTranslation, editions.ConversionError) as error:
            print(f"Catalogues updated; the Colab editions were not written: {error}")
            print(stats_table(stats()))
            return 1
        print(f"Catalogues updated; {len(written)} Colab editions in {editions.EDITIONS}.")
        print(stats_table(stats()))
    elif args.command == "stats":
        print(stats_table(stats()))
    elif args.command == "notebooks":
        return _colab_editions().main(["write"])
    elif args.command == "check":
        with tempfile.TemporaryDirectory() as templates:
            extract(Path(templates))
            problems = catalogue_problems(Path(templates))
        report = stats_table(stats())
        (ROOT / "_build" / "reports").mkdir(parents=True, exist_ok=True)
        (ROOT / "_build" / "reports" / "translations.md").write_text(report + "\n")
        print(report)
        if not problems:
            editions = _colab_editions()
            try:
                stale = editions.stale_editions()
            except (MissingTranslation, editions.ConversionError) as error:
                stale = [str(error)]
            problems += [
                f"{name} is not current (run: python tools/translations.py notebooks)"
                for name in stale
            ]
        if problems:
            print(f"\n{len(problems)} translation problems:")
            print("\n".join(f"  {p}" for p in problems[:60]))
            return 1
        print("Every catalogue is complete and current; the Colab editions are current.")
    elif args.command == "build":
        return build_korean_site()
    return 0


if __name__ == "__main__":
    sys.exit(main())
